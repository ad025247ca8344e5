import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { JSON_FILE, type SynthesizedStack } from "../tools/terraform/cdktf-out";
import { planSetsOffline, type OfflineSet } from "../tools/terraform/plan-offline";
import { readStacks } from "../tools/terraform/stack-files";
import { synthesize } from "../app/synth";
import { PLANNED_VARIANTS } from "./helpers/planned-variants";

/**
 * Every stack of every blueprint is valid Terraform in both forms: the JSON that ships (planned by
 * offline-plan.test.ts) and the HCL that `cdktf synth --hcl` and `npm run handoff -- --format hcl` write. Here the HCL
 * form of every stack goes through real `terraform init` and `terraform validate` with the real provider, in batches
 * (one Terraform process per share of the stacks). The test variants whose HCL form needs a proof
 * (helpers/planned-variants.ts: the queue-worker test blueprint's network and compute) go through the same batches,
 * each with its own synthesis's upstream stacks. handoff-hcl.test.ts shows, for two stacks, that the HCL form also
 * plans exactly what the JSON form plans.
 */
const HCL_FILE = "cdk.tf";
const VARIANTS = PLANNED_VARIANTS.filter((v) => v.hcl.length > 0);
let stacks: SynthesizedStack[];
let variants: { name: string; stacks: SynthesizedStack[]; all: SynthesizedStack[] }[];
let work: string;

beforeAll(async () => {
  const synthRoot = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-hcl-synth-"));
  const outdir = path.join(synthRoot, "cdktf.out");
  synthesize({ outdir, hcl: true });
  const read = await readStacks(outdir);
  expect(read.unreadable).toEqual([]);
  stacks = read.stacks;
  variants = [];
  for (const v of VARIANTS) {
    const variantOut = path.join(synthRoot, v.name, "cdktf.out");
    v.synthesize(variantOut, { hcl: true });
    const all = await readStacks(variantOut);
    expect({ variant: v.name, unreadable: all.unreadable }).toEqual({ variant: v.name, unreadable: [] });
    variants.push({ name: v.name, stacks: all.stacks.filter((s) => v.hcl.includes(s.id)), all: all.stacks });
  }
});

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

it("synthesizes every stack as HCL (cdk.tf), none as JSON", () => {
  expect(stacks.length).toBeGreaterThan(50);
  for (const s of [...stacks, ...variants.flatMap((v) => v.stacks)]) {
    expect({ id: s.id, hcl: fs.existsSync(path.join(s.dir, HCL_FILE)) }).toEqual({ id: s.id, hcl: true });
    expect({ id: s.id, json: fs.existsSync(path.join(s.dir, JSON_FILE)) }).toEqual({ id: s.id, json: false });
  }
});

it("validates every stack's HCL form with terraform validate and the real provider, the variants' too", async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-hcl-every-"));
  const sets: OfflineSet[] = [{ stacks, all: stacks }, ...variants];
  const results = await planSetsOffline(sets, work, { plan: false });
  const checks = results.flat();
  const failures = checks
    .filter((c) => !c.validation?.valid)
    .map((c) => `${c.stack} (${c.failedStep ?? "validate"}): ${c.output.slice(-1500)}`);
  expect(failures).toEqual([]);
  expect(results.map((r) => r.map((c) => c.stack))).toEqual(sets.map((s) => s.stacks.map((x) => x.id)));
  expect(variants.map((v) => [v.name, v.stacks.map((s) => s.id).sort()])).toEqual(
    VARIANTS.map((v) => [v.name, [...v.hcl].sort()]),
  );
  for (const c of checks) expect({ stack: c.stack, plan: c.plan }).toEqual({ stack: c.stack, plan: undefined });
}, 600_000);
