import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { SynthesizedStack, TerraformJson } from "../tools/terraform/cdktf-out";
import { OFFLINE_AWS_ENV, terraform, terraformEnv } from "../tools/terraform/environment";
import { OFFLINE_OVERRIDE_FILE, prepareOfflineWorkdir } from "../tools/terraform/offline";
import type { OfflineCheck } from "../tools/terraform/plan-offline";
import { STACK_JSON } from "../tools/handoff/bundle";
import { LOCK_FILE } from "../tools/handoff/lock";
import { POLICY_FILE } from "../app/policy-file";
import { HANDOVER_GUARD } from "../app/handovers";
import { runTool } from "./helpers/cli";
import { offlinePlansOf } from "./helpers/offline-plans";
import { synthToTemp } from "./helpers/synth";
import { withoutComments } from "./helpers/terraform-comments";

/**
 * The handoff bundle of library-app (and the state backend), written by the command, copied to an empty directory with
 * no node_modules and no project files, and run with plain terraform as its README says: `terraform init` in every
 * stack directory, in the README's order, from the provider mirror and checked against the bundled lock file (the
 * part only the bundle can prove), then `terraform plan -out=tfplan`. The only files the test adds to a stack
 * directory are Terraform's own override file (local backend, seeded upstream outputs, the provider's skip flags) and
 * the seeded upstream states it names.
 *
 * Every stack's plan is the run's shared offline plan (helpers/offline-plans.ts), not a second plan of the same
 * configuration: the test asserts that each directory holds exactly what was planned there, byte for byte (the
 * stack's file is the planned cdk.tf.json without cdktf's "//" comment properties, which Terraform skips; the override
 * file is the planned one, its seed paths naming this directory; the seeds are the planned ones), so its plan is that
 * plan. The README's `plan` runs end to end in two directories as root modules of their own (what the shared plan's
 * batch does as child modules, which offline-plan.test.ts shows to plan alike): the stack whose shipped backend is
 * local (the first step, state in its own directory), and the stack that reads the most upstream states, from seeds
 * in its directory.
 */
let synthesized: SynthesizedStack[];
let synthDir: string;
let copy: string;
let work: string;
let order: string[];
let endToEnd: string[];
const inits = new Map<string, { code: number; output: string }>();
const plans = new Map<string, { code: number; output: string }>();
const planned = new Map<string, OfflineCheck>();
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
  const remoteStates = (s: SynthesizedStack) => Object.keys(s.json.data?.terraform_remote_state ?? {}).length;
  endToEnd = [
    ...inBundle.filter((s) => s.json.terraform?.backend?.local).map((s) => s.id),
    [...inBundle].sort((a, b) => remoteStates(b) - remoteStates(a))[0].id,
  ];
  const env = terraformEnv(OFFLINE_AWS_ENV);
  for (const stack of inBundle) {
    locksBefore.set(stack.id, fs.readFileSync(path.join(stack.dir, LOCK_FILE), "utf8"));
    prepareOfflineWorkdir(stack, inBundle, stack.dir);
    const init = await terraform(["init", "-input=false", "-no-color"], stack.dir, env);
    inits.set(stack.id, { code: init.code, output: init.stdout + init.stderr });
    if (init.code !== 0 || !endToEnd.includes(stack.id)) continue;
    const plan = await terraform(["plan", "-input=false", "-no-color", "-lock=false", "-out=tfplan"], stack.dir, env);
    plans.set(stack.id, { code: plan.code, output: plan.stdout + plan.stderr });
  }
  work = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-handoff-work-"));
  const checks = await offlinePlansOf(
    order.map((id) => synthesized.find((s) => s.id === id)!),
    synthesized,
    work,
  );
  for (const check of checks) planned.set(check.stack, check);
}, 600_000);

afterAll(() => {
  for (const dir of [copy, work]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

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

it("inits every stack from the bundled lock file with plain terraform, in the README's order", () => {
  const failures = [...inits.entries()]
    .filter(([, r]) => r.code !== 0)
    .map(([id, r]) => `${id}: ${r.output.slice(-3000)}`);
  expect(failures).toEqual([]);
  expect([...inits.keys()]).toEqual(order);
  for (const id of order) {
    // init used the lock file as it is: its checksum matched the mirror's provider and nothing was added.
    expect(fs.readFileSync(path.join(copy, id, LOCK_FILE), "utf8")).toBe(locksBefore.get(id));
    expect(locksBefore.get(id)).toMatch(/provider "registry.terraform.io\/hashicorp\/aws" \{\s+version\s+= "5.100.0"/);
  }
});

const seeds = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((f) => /^seed-.*\.tfstate$/.test(f))
    .sort();

it("holds in each stack directory exactly what the run's offline plan planned", () => {
  for (const id of order) {
    const dir = path.join(copy, id);
    const check = planned.get(id)!;
    const file = (d: string, f: string) => fs.readFileSync(path.join(d, f), "utf8");
    // The shipped file: the planned one, cdktf's comments left out, written as the bundle writes JSON.
    expect({
      id,
      same: file(dir, STACK_JSON) === withoutComments(file(check.workdir, STACK_JSON)),
    }).toEqual({ id, same: true });
    // The override the plan had, its seeded states in this directory; and those seeds, byte for byte.
    expect({
      id,
      same:
        file(dir, OFFLINE_OVERRIDE_FILE) === file(check.workdir, OFFLINE_OVERRIDE_FILE).replaceAll(check.workdir, dir),
    }).toEqual({ id, same: true });
    expect(seeds(dir)).toEqual(seeds(check.workdir));
    for (const seed of seeds(dir))
      expect({ id, seed, same: file(dir, seed) === file(check.workdir, seed) }).toEqual({ id, seed, same: true });
  }
});

it("plans every stack (which validates it): resources to create, none to change or destroy", () => {
  const failures = order
    .map((id) => planned.get(id)!)
    .filter((c) => !c.plan)
    .map((c) => `${c.stack}: ${c.failedStep}\n${c.output.slice(-3000)}`);
  expect(failures).toEqual([]);
  for (const id of order) {
    const actions: string[] = planned
      .get(id)!
      .plan!.resource_changes.map((c: TerraformJson) => c.change.actions.join());
    const creates = actions.filter((a) => a === "create").length;
    expect({ id, creates: creates > 0, others: actions.filter((a) => a !== "create" && a !== "read") }).toEqual({
      id,
      creates: true,
      others: [],
    });
  }
});

it("runs the README's init and plan end to end in the local-state stack and in the stack reading the most upstream states", () => {
  expect(endToEnd).toEqual(["state-backend", "library-app-prod-compute"]);
  for (const id of endToEnd) {
    const plan = plans.get(id)!;
    expect({ id, code: plan.code, output: plan.code === 0 ? "" : plan.output.slice(-3000) }).toEqual({
      id,
      code: 0,
      output: "",
    });
    // The plan creates what the stack declares: as many resources as its plan in the run's offline plan.
    const creates = planned
      .get(id)!
      .plan!.resource_changes.filter((c: TerraformJson) => c.change.actions.join() === "create").length;
    expect({ id, plan: plan.output.match(/Plan: \d+ to add, \d+ to change, \d+ to destroy/)?.[0] }).toEqual({
      id,
      plan: `Plan: ${creates} to add, 0 to change, 0 to destroy`,
    });
    expect(fs.existsSync(path.join(copy, id, "tfplan"))).toBe(true);
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
