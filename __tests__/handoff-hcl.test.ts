import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { SynthesizedStack, TerraformJson } from "../tools/terraform/cdktf-out";
import { OFFLINE_AWS_ENV, terraform, terraformEnv } from "../tools/terraform/environment";
import { prepareOfflineWorkdir } from "../tools/terraform/offline";
import { STACK_JSON } from "../tools/handoff/bundle";
import { STACK_HCL } from "../tools/handoff/hcl";
import { LOCK_FILE } from "../tools/handoff/lock";
import { runTool } from "./helpers/cli";
import { synthToTemp } from "./helpers/synth";

/**
 * `npm run handoff -- --format hcl`: the same bundle with each stack as terraform fmt-formatted HCL (main.tf). The
 * HCL of two stacks (the network, and the compute stack that reads four upstream stacks) plans offline to exactly
 * what their JSON form plans: same addresses, same actions, same planned values.
 */
const STACKS = ["library-app-prod-network", "library-app-prod-compute"];
let synthesized: SynthesizedStack[];
let bundle: string;
const plans = new Map<string, { hcl: TerraformJson; json: TerraformJson }>();

/** init + plan + show -json in a directory holding one form of a stack and the offline override. */
async function offlinePlan(dir: string): Promise<TerraformJson> {
  const env = terraformEnv(OFFLINE_AWS_ENV);
  for (const args of [
    ["init", "-input=false", "-no-color"],
    ["validate", "-no-color"],
    ["plan", "-input=false", "-no-color", "-lock=false", "-out=tfplan"],
  ]) {
    const run = await terraform(args, dir, env);
    if (run.code !== 0) throw new Error(`${dir}: terraform ${args[0]} failed\n${run.stdout}${run.stderr}`);
  }
  const show = await terraform(["show", "-json", "tfplan"], dir, env);
  return JSON.parse(show.stdout);
}

beforeAll(async () => {
  const synth = synthToTemp({ blueprint: "library-app" });
  synthesized = synth.stacks;
  bundle = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fbp-handoff-hcl-")), "bundle");
  const cli = await runTool("tools/handoff/cli.ts", [
    "--out",
    bundle,
    "--format",
    "hcl",
    "--cdktf-out",
    synth.outdir,
    "library-app-*",
  ]);
  if (cli.code !== 0) throw new Error(`handoff failed (${cli.code}): ${cli.stderr}`);
  for (const id of STACKS) {
    const stack = synthesized.find((s) => s.id === id)!;
    // The JSON form beside it, prepared the same way, for comparison.
    const jsonDir = fs.mkdtempSync(path.join(os.tmpdir(), `fbp-json-${id}-`));
    prepareOfflineWorkdir(stack, synthesized, jsonDir);
    const hclDir = path.join(bundle, id);
    prepareOfflineWorkdir({ ...stack, dir: hclDir }, synthesized, hclDir);
    plans.set(id, { hcl: await offlinePlan(hclDir), json: await offlinePlan(jsonDir) });
  }
}, 600_000);

it("writes main.tf (HCL, terraform fmt-formatted), never cdk.tf.json, with the lock file and a README", async () => {
  for (const id of fs.readdirSync(bundle).filter((f) => f !== "README.md")) {
    const files = fs
      .readdirSync(path.join(bundle, id))
      .filter((f) => !/^(seed-.*|offline_.*|tfplan|\.terraform)$/.test(f));
    expect({ id, files: files.sort() }).toEqual({ id, files: [LOCK_FILE, "README.md", STACK_HCL].sort() });
    expect(fs.existsSync(path.join(bundle, id, STACK_JSON))).toBe(false);
  }
  const check = await terraform(["fmt", "-check", "-recursive", "-no-color", bundle], bundle, terraformEnv());
  expect({ code: check.code, unformatted: check.stdout }).toEqual({ code: 0, unformatted: "" });
  expect(fs.readFileSync(path.join(bundle, "README.md"), "utf8")).toContain("`main.tf` (plain Terraform HCL");
});

it("holds structured values as HCL, not JSON strings with references inside", () => {
  const hcl = fs.readFileSync(path.join(bundle, "library-app-prod-compute", STACK_HCL), "utf8");
  // terraform fmt writes the template "${jsonencode(...)}" as the plain call.
  expect(hcl).toMatch(/container_definitions\s*=\s*jsonencode\(\[\{/);
  expect(hcl).toMatch(/resource "aws_ecs_service" "backend" \{/);
  expect(hcl).not.toMatch(/cdktf|"\/\/"|policy_context/);
});

it.each(STACKS)("%s: the HCL form plans exactly what the JSON form plans", (id) => {
  const { hcl, json } = plans.get(id)!;
  const changes = (plan: TerraformJson) =>
    (plan.resource_changes as TerraformJson[]).map((c) => [c.address, c.change.actions, c.change.after]);
  expect(changes(hcl).length).toBeGreaterThan(5);
  expect(changes(hcl)).toEqual(changes(json));
  expect(hcl.planned_values).toEqual(json.planned_values);
});
