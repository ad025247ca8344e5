import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { SynthesizedStack, TerraformJson } from "../tools/terraform/cdktf-out";
import { terraform, terraformEnv } from "../tools/terraform/environment";
import { planStacksOffline } from "../tools/terraform/plan-offline";
import { STACK_JSON } from "../tools/handoff/bundle";
import { STACK_HCL } from "../tools/handoff/hcl";
import { LOCK_FILE } from "../tools/handoff/lock";
import { runTool } from "./helpers/cli";
import { offlinePlansOf } from "./helpers/offline-plans";
import { synthToTemp } from "./helpers/synth";

/**
 * `npm run handoff -- --format hcl`: the same bundle with each stack as terraform fmt-formatted HCL (main.tf). The
 * HCL of two stacks (the network, and the compute stack that reads four upstream stacks) validates and plans offline
 * to exactly what their JSON form plans: same addresses, same actions, same planned values. (Both forms through the
 * batched offline plan; the JSON form's plans are the run's shared ones when offline-plan.test.ts made them.)
 */
const STACKS = ["library-app-prod-network", "library-app-prod-compute"];
let synthesized: SynthesizedStack[];
let bundle: string;
let work: string;
const plans = new Map<string, { hcl: TerraformJson; json: TerraformJson }>();

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
  work = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-handoff-hcl-work-"));
  // The bundle's main.tf of each stack, with the facts of its synthesized JSON (same providers, outputs, inputs).
  const hclStacks = STACKS.map((id) => ({
    ...synthesized.find((s) => s.id === id)!,
    dir: path.join(bundle, id),
    file: STACK_HCL,
  }));
  // One Terraform process for both; `terraform plan` validates first (the walk `terraform validate` makes).
  const hcl = await planStacksOffline(hclStacks, synthesized, path.join(work, "hcl"), {
    validate: false,
    concurrency: 1,
  });
  const jsonStacks = STACKS.map((id) => synthesized.find((s) => s.id === id)!);
  const jsons = await offlinePlansOf(jsonStacks, synthesized, path.join(work, "json"));
  for (const [i, id] of STACKS.entries()) {
    const json = jsons[i];
    for (const check of [hcl[i], json]) {
      if (!check.plan) throw new Error(`${id} (${check.failedStep}): ${check.output.slice(-3000)}`);
    }
    const errors = hcl[i].diagnostics.filter((d) => d.severity === "error");
    expect({ id, failed: hcl[i].failedStep, errors }).toEqual({ id, failed: undefined, errors: [] });
    plans.set(id, { hcl: hcl[i].plan!, json: json.plan! });
  }
}, 600_000);

afterAll(() => {
  for (const dir of [bundle && path.dirname(bundle), work]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it("writes main.tf (HCL, terraform fmt-formatted), never cdk.tf.json, with the lock file and a README", async () => {
  for (const id of fs.readdirSync(bundle).filter((f) => f !== "README.md")) {
    const files = fs.readdirSync(path.join(bundle, id));
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
