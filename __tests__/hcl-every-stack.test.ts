import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { JSON_FILE, type SynthesizedStack } from "../tools/terraform/cdktf-out";
import { planStacksOffline } from "../tools/terraform/plan-offline";
import { readStacks } from "../tools/terraform/stack-files";
import { synthesize } from "../app/synth";

/**
 * Every stack of every blueprint is valid Terraform in both forms: the JSON that ships (planned by
 * offline-plan.test.ts) and the HCL that `cdktf synth --hcl` and `npm run handoff -- --format hcl` write. Here the HCL
 * form of every stack goes through real `terraform init` and `terraform validate` with the real provider, in batches
 * (one Terraform process per share of the stacks). handoff-hcl.test.ts shows, for two stacks, that the HCL form also
 * plans exactly what the JSON form plans.
 */
const HCL_FILE = "cdk.tf";
let stacks: SynthesizedStack[];
let work: string;

beforeAll(async () => {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fbp-hcl-synth-")), "cdktf.out");
  synthesize({ outdir, hcl: true });
  const read = await readStacks(outdir);
  expect(read.unreadable).toEqual([]);
  stacks = read.stacks;
});

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

it("synthesizes every stack as HCL (cdk.tf), none as JSON", () => {
  expect(stacks.length).toBeGreaterThan(50);
  for (const s of stacks) {
    expect({ id: s.id, hcl: fs.existsSync(path.join(s.dir, HCL_FILE)) }).toEqual({ id: s.id, hcl: true });
    expect({ id: s.id, json: fs.existsSync(path.join(s.dir, JSON_FILE)) }).toEqual({ id: s.id, json: false });
  }
});

it("validates every stack's HCL form with terraform validate and the real provider", async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-hcl-every-"));
  const checks = await planStacksOffline(stacks, stacks, work, { plan: false });
  const failures = checks
    .filter((c) => !c.validation?.valid)
    .map((c) => `${c.stack} (${c.failedStep ?? "validate"}): ${c.output.slice(-1500)}`);
  expect(failures).toEqual([]);
  expect(checks.map((c) => c.stack)).toEqual(stacks.map((s) => s.id));
  for (const c of checks) expect({ stack: c.stack, plan: c.plan }).toEqual({ stack: c.stack, plan: undefined });
}, 600_000);
