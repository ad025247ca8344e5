import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { SynthesizedStack } from "../tools/terraform/cdktf-out";
import { OFFLINE_AWS_ENV, terraform, terraformEnv } from "../tools/terraform/environment";
import { OFFLINE_OVERRIDE_FILE, prepareOfflineWorkdir } from "../tools/terraform/offline";
import { STACK_JSON } from "../tools/handoff/bundle";
import { LOCK_FILE } from "../tools/handoff/lock";
import { POLICY_FILE } from "../app/policy-file";
import { HANDOVER_GUARD } from "../app/handovers";
import { runTool } from "./helpers/cli";
import { synthToTemp } from "./helpers/synth";

/**
 * The handoff bundle of library-app (and the state backend), written by the command, copied to an empty directory with no node_modules and
 * no project files, run with plain terraform in the order and with the commands its README gives: init from the
 * provider mirror (checked against the bundled lock file) and an offline plan (which validates the configuration
 * first; a separate validate would load the provider once more per stack). The only file the test adds to a stack directory
 * is Terraform's own override file (local backend, seeded upstream outputs, the provider's skip flags).
 */
let synthesized: SynthesizedStack[];
let synthDir: string;
let copy: string;
let order: string[];
const runs = new Map<string, { step: string; code: number; output: string }[]>();
const locksBefore = new Map<string, string>();

beforeAll(async () => {
  const synth = synthToTemp({ blueprint: "library-app" });
  synthesized = synth.stacks;
  synthDir = synth.outdir;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-handoff-"));
  const bundle = path.join(root, "bundle");
  const cli = await runTool("tools/handoff/cli.ts", [
    "--out",
    bundle,
    "--cdktf-out",
    synth.outdir,
    "state-backend",
    "library-app-*",
  ]);
  if (cli.code !== 0) throw new Error(`handoff failed (${cli.code}): ${cli.stderr}`);
  copy = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-handoff-copy-"));
  fs.cpSync(bundle, copy, { recursive: true });
  fs.rmSync(root, { recursive: true, force: true });

  order = [...fs.readFileSync(path.join(copy, "README.md"), "utf8").matchAll(/^(\d+)\. `([^`]+)`/gm)].map((m) => m[2]);
  const inBundle: SynthesizedStack[] = order.map((id) => ({
    id,
    dir: path.join(copy, id),
    json: JSON.parse(fs.readFileSync(path.join(copy, id, STACK_JSON), "utf8")),
    dependencies: [],
  }));
  const env = terraformEnv(OFFLINE_AWS_ENV);
  for (const stack of inBundle) {
    locksBefore.set(stack.id, fs.readFileSync(path.join(stack.dir, LOCK_FILE), "utf8"));
    prepareOfflineWorkdir(stack, inBundle, stack.dir);
    const steps: [string, string[]][] = [
      ["init", ["init", "-input=false", "-no-color"]],
      ["plan", ["plan", "-input=false", "-no-color", "-lock=false", "-out=tfplan"]],
    ];
    const results: { step: string; code: number; output: string }[] = [];
    for (const [step, args] of steps) {
      const r = await terraform(args, stack.dir, env);
      results.push({ step, code: r.code, output: r.stdout + r.stderr });
      if (r.code !== 0) break;
    }
    runs.set(stack.id, results);
  }
}, 600_000);

afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

it("lists every stack once, in an order where each follows what it reads and the state bucket's stack", () => {
  expect([...order].sort()).toEqual(
    synthesized
      .map((s) => s.id)
      .filter((id) => id === "state-backend" || id.startsWith("library-app-"))
      .sort(),
  );
  expect(order[0]).toBe("state-backend");
  for (const s of synthesized) {
    for (const dep of s.dependencies) expect(order.indexOf(dep)).toBeLessThan(order.indexOf(s.id));
  }
});

it("is self-contained: a README, and per stack only the JSON, the lock file and a README", () => {
  expect(fs.readdirSync(copy).sort()).toEqual(["README.md", ...order].sort());
  const files = (dir: string) => fs.readdirSync(dir).filter((f) => f !== ".terraform" && f !== OFFLINE_OVERRIDE_FILE);
  for (const id of order) {
    expect(
      files(path.join(copy, id))
        .filter((f) => !/^seed-.*\.tfstate$|^tfplan$|^terraform\.tfstate$/.test(f))
        .sort(),
    ).toEqual([LOCK_FILE, "README.md", STACK_JSON].sort());
  }
  expect(fs.existsSync(path.join(copy, "node_modules"))).toBe(false);
  expect(fs.existsSync(path.join(copy, "package.json"))).toBe(false);
});

it("carries no build-machine paths and no cdktf metadata, and keeps the backend", () => {
  for (const id of order) {
    const text = fs.readFileSync(path.join(copy, id, STACK_JSON), "utf8");
    expect(text).not.toContain(process.cwd());
    expect(text).not.toContain(synthDir);
    expect(text).not.toContain('"//"');
    const json = JSON.parse(text);
    const original = synthesized.find((s) => s.id === id)!.json;
    expect(json.terraform.backend).toEqual(original.terraform.backend);
    expect(Object.keys(json.resource)).toEqual(Object.keys(original.resource));
  }
});

it("ships nothing cdktf-only in any file: no metadata, no policy facts, no handover guard", () => {
  const shipped = order.flatMap((id) => [LOCK_FILE, "README.md", STACK_JSON].map((f) => path.join(copy, id, f)));
  for (const file of [path.join(copy, "README.md"), ...shipped]) {
    const text = fs.readFileSync(file, "utf8");
    // policy.json as a file name, not the `.json` attribute of a policy document named `..._policy`.
    const found = ['"//"', "policy_context", /(?<![\w.])policy\.json/, `"${HANDOVER_GUARD}"`, '"locals"', "cdktf"]
      .filter((t) => (typeof t === "string" ? text.includes(t) : t.test(text)))
      .map(String);
    expect({ file: path.relative(copy, file), found }).toEqual({ file: path.relative(copy, file), found: [] });
  }
  // cdktf.out keeps the policy facts beside the JSON, never in it (cdktf's "//" metadata stays there: cdktf reads it).
  for (const s of synthesized) {
    const text = fs.readFileSync(path.join(s.dir, STACK_JSON), "utf8");
    expect({ id: s.id, leaks: ["policy_context", '"locals"'].filter((t) => text.includes(t)) }).toEqual({
      id: s.id,
      leaks: [],
    });
    expect({ id: s.id, policy: fs.existsSync(path.join(s.dir, POLICY_FILE)) }).toEqual({
      id: s.id,
      policy: s.id !== "state-backend",
    });
  }
});

it("names each stack's inputs, outputs and upstream stacks in its README", () => {
  for (const id of order) {
    const readme = fs.readFileSync(path.join(copy, id, "README.md"), "utf8");
    const json = synthesized.find((s) => s.id === id)!.json;
    for (const output of Object.keys(json.output ?? {})) expect(readme).toContain(`| \`${output}\` |`);
    for (const variable of Object.keys(json.variable ?? {})) expect(readme).toContain(`| \`${variable}\` |`);
    for (const block of Object.values<{ config: { key: string } }>(json.data?.terraform_remote_state ?? {})) {
      expect(readme).toContain(`| \`${block.config.key.split("/")[0]}\` | \`${block.config.key}\` |`);
    }
  }
  const compute = fs.readFileSync(path.join(copy, "library-app-prod-compute", "README.md"), "utf8");
  expect(compute).toMatch(/\| `library-app-prod-network` \| [^|]+ \| .*`vpc_id`/);
});

it("inits from the bundled lock file and plans (which validates) every stack with plain terraform", () => {
  const failures = [...runs.entries()]
    .filter(([, r]) => r.some((x) => x.code !== 0) || r.length < 2)
    .map(([id, r]) => `${id}: ${r[r.length - 1].step}\n${r[r.length - 1].output.slice(-3000)}`);
  expect(failures).toEqual([]);
  for (const [id, r] of runs) {
    // The plan creates what the stack declares.
    expect({ id, plan: /Plan: [1-9]\d* to add, 0 to change, 0 to destroy/.test(r[1].output) }).toEqual({
      id,
      plan: true,
    });
    // init used the lock file as it is: its checksum matched the mirror's provider and nothing was added.
    expect(fs.readFileSync(path.join(copy, id, LOCK_FILE), "utf8")).toBe(locksBefore.get(id));
    expect(locksBefore.get(id)).toMatch(/provider "registry.terraform.io\/hashicorp\/aws" \{\s+version\s+= "5.100.0"/);
  }
});

it("refuses to replace a directory that is not an earlier bundle", async () => {
  const other = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-handoff-other-"));
  fs.writeFileSync(path.join(other, "keep.txt"), "not a bundle");
  const run = await runTool("tools/handoff/cli.ts", ["--out", other, "--cdktf-out", synthDir]);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain("is neither empty nor a handoff bundle");
  expect(fs.readdirSync(other)).toEqual(["keep.txt"]);
  fs.rmSync(other, { recursive: true, force: true });
});
