import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { JSON_FILE, readSynthesizedStacks, type SynthesizedStack } from "../tools/terraform/cdktf-out";
import { planSetsOffline, type OfflineCheck, type OfflineSet } from "../tools/terraform/plan-offline";
import { hclAsTerraformJson, hclToJson, readStacks } from "../tools/terraform/stack-files";
import { synthesize } from "../app/synth";
import { PLANNED_VARIANTS } from "./helpers/planned-variants";
import { synthToTemp } from "./helpers/synth";

/**
 * Every stack of every blueprint is valid Terraform in both forms: the JSON that ships (planned by
 * offline-plan.test.ts) and the HCL that `cdktf synth --hcl` and `npm run handoff -- --format hcl` write. Here the HCL
 * form of every stack goes through real `terraform init` and `terraform validate` with the real provider, in batches
 * (one Terraform process per share of the stacks). The test variants whose HCL form needs a proof
 * (helpers/planned-variants.ts: the queue-worker test blueprint's network and compute) go through the same batches,
 * each with its own synthesis's upstream stacks. handoff-hcl.test.ts shows, for two stacks, that the HCL form also
 * plans exactly what the JSON form plans.
 *
 * The batches validate with the batch root's provider configurations passed to every stack (a provider instance
 * costs about a second of CPU, and each stack's own would start one): each stack's copy leaves out its provider
 * blocks, cut from the HCL text. What Terraform does not validate here is proven another way: the provider blocks
 * of each HCL file, read by HashiCorp's HCL parser, are those of the JSON form (which the offline plan validates and
 * plans with them), and each copy, read by the same parser, is its HCL file without the provider blocks and
 * nothing else.
 */
const HCL_FILE = "cdk.tf";
const VARIANTS = PLANNED_VARIANTS.filter((v) => v.hcl.length > 0);
let stacks: SynthesizedStack[];
let variants: { name: string; stacks: SynthesizedStack[]; all: SynthesizedStack[] }[];
/** The JSON form of the same stacks (the variants' under `<variant>/<stack id>`), from a synthesis of its own. */
const jsonForms = new Map<string, SynthesizedStack>();
let work: string;
let checks: OfflineCheck[];

beforeAll(async () => {
  const synthRoot = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-hcl-synth-"));
  const outdir = path.join(synthRoot, "cdktf.out");
  synthesize({ outdir, hcl: true });
  for (const s of synthToTemp().stacks) jsonForms.set(s.id, s);
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
    const jsonOut = path.join(synthRoot, v.name, "json", "cdktf.out");
    v.synthesize(jsonOut, {});
    for (const s of readSynthesizedStacks(jsonOut)) jsonForms.set(`${v.name}/${s.id}`, s);
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
  const results = await planSetsOffline(sets, work, { plan: false, sharedProviders: true });
  checks = results.flat();
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

describe("the provider blocks, which the batches leave out", () => {
  const everyHcl = () => [
    ...stacks.map((s) => ({ key: s.id, stack: s })),
    ...variants.flatMap((v) => v.stacks.map((s) => ({ key: `${v.name}/${s.id}`, stack: s }))),
  ];

  it("are in every HCL file exactly those of its JSON form, as HashiCorp's HCL parser reads them", () => {
    for (const { key, stack } of everyHcl()) {
      const json = jsonForms.get(key);
      expect({ key, json: !!json }).toEqual({ key, json: true });
      expect({ key, provider: stack.json.provider }).toEqual({ key, provider: json!.json.provider });
      expect(stack.json.provider?.aws?.length).toBeGreaterThan(0);
    }
  });

  it("are all each validated copy leaves out of its HCL file", async () => {
    expect(checks.length).toBe(everyHcl().length);
    for (const [i, { key, stack }] of everyHcl().entries()) {
      const copy = path.join(checks[i].workdir, HCL_FILE);
      const read = hclAsTerraformJson(await hclToJson(copy, fs.readFileSync(copy, "utf8")));
      const { provider, ...rest } = stack.json;
      expect(provider).toBeDefined();
      expect({ key, copy: read }).toEqual({ key, copy: rest });
    }
  });
});
