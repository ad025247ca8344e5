import * as fs from "fs";
import * as path from "path";
import type { SynthesizedStack } from "../tools/terraform/cdktf-out";
import { checkStackOffline, type OfflineCheck } from "../tools/terraform/plan-offline";
import { OFFLINE_OVERRIDE_FILE } from "../tools/terraform/offline";
import { offlinePlansOfAllStacks, type PlannedSet } from "./helpers/offline-plans";
import { PLANNED_VARIANTS } from "./helpers/planned-variants";
import { planSubstance } from "./helpers/plan-substance";
import { scanText } from "../tools/check/secrets";

/**
 * Every stack of every blueprint, exactly as shipped, through an offline `terraform plan` (which validates the
 * configuration first, as `terraform validate` does) and `terraform show -json` with the real hashicorp/aws provider.
 * Test-only differences live in an override file beside the JSON. The stacks are planned in batches
 * (tools/terraform/plan-offline.ts: one Terraform process, and one provider schema load, for many stacks, each a
 * child module with its own provider configuration), once per jest run (helpers/offline-plans.ts), together with
 * the stacks of the test variants that other suites read plans of (helpers/planned-variants.ts): every assertion
 * about "every stack" holds for those too.
 */
let stacks: readonly SynthesizedStack[];
let results: ReadonlyMap<string, OfflineCheck>;
let variants: readonly PlannedSet[];
let workroot: string;

// OFFLINE_PLAN_BLUEPRINT=<name> narrows the run to one blueprint while working on it; CI runs them all.
const narrowed = Boolean(process.env.OFFLINE_PLAN_BLUEPRINT);
beforeAll(async () => {
  ({ stacks, results, variants, workroot } = await offlinePlansOfAllStacks());
}, 1_200_000);

/** Every stack planned, the variants' after the registered ones: `<variant>:<id>` names a variant's. */
const everyPlanned = () => [
  ...stacks.map((stack) => ({ name: stack.id, stack, result: results.get(stack.id)! })),
  ...variants.flatMap((v) =>
    [...v.results].map(([id, result]) => ({
      name: `${v.variant}:${id}`,
      stack: v.stacks.find((s) => s.id === id)!,
      result,
    })),
  ),
];

it("synthesizes stacks for every blueprint", () => {
  expect(stacks.length).toBeGreaterThanOrEqual(6);
});

it("plans the test variants the suites declare, each stack they name", () => {
  const declared = narrowed ? [] : PLANNED_VARIANTS;
  expect(variants.map((v) => [v.variant, [...v.results.keys()].sort()])).toEqual(
    declared.map((v) => [v.name, [...v.planned].sort()]),
  );
});

it("validates and plans every stack offline", () => {
  expect([...results.keys()].sort()).toEqual(stacks.map((s) => s.id).sort());
  const failures = everyPlanned()
    .filter(({ result }) => result.failedStep)
    .map(({ name, result }) => `${name} (${result.failedStep}):\n${result.output.slice(-4000)}`);
  expect(failures).toEqual([]);
  for (const { name, result } of everyPlanned()) {
    expect({ name, errors: result.diagnostics.filter((d) => d.severity === "error") }).toEqual({ name, errors: [] });
  }
});

it("plans each stack as itself: every resource and output of its JSON, under its own addresses", () => {
  for (const { name, stack: s, result } of everyPlanned()) {
    const plan = result.plan!;
    const declared = Object.entries<Record<string, { count?: unknown; for_each?: unknown }>>(s.json.resource ?? {})
      .flatMap(([type, rs]) => Object.keys(rs).map((name) => `${type}.${name}`))
      .sort();
    const planned = [
      ...new Set(
        (plan.resource_changes as { mode: string; address: string }[])
          .filter((c) => c.mode === "managed")
          .map((c) => c.address.replace(/\[[^\]]*\]$/, "")),
      ),
    ].sort();
    expect({ name, planned }).toEqual({ name, planned: declared });
    expect({ name, outputs: Object.keys(plan.output_changes ?? {}).sort() }).toEqual({
      name,
      outputs: Object.keys(s.json.output ?? {}).sort(),
    });
  }
});

it("shows no secret material in any plan (tools/check/secrets.ts over the plan JSON)", () => {
  for (const { name, result } of everyPlanned())
    expect({ name, hits: scanText(JSON.stringify(result.plan ?? {})) }).toEqual({ name, hits: [] });
});

it("plans only creations, at least one per stack, against empty state", () => {
  for (const { name, result } of everyPlanned()) {
    const changes: { change: { actions: string[] } }[] = result.plan?.resource_changes ?? [];
    const actions = new Set(changes.flatMap((c) => c.change.actions));
    expect({ name, creates: changes.length > 0 }).toEqual({ name, creates: true });
    expect({ name, actions: [...actions].filter((a) => a !== "create" && a !== "read" && a !== "no-op") }).toEqual({
      name,
      actions: [],
    });
  }
});

it("plans the JSON that ships: the working copy is byte-identical to cdktf.out", () => {
  for (const { stack: s, result: r } of everyPlanned()) {
    expect(fs.readFileSync(path.join(r.workdir, "cdk.tf.json"), "utf8")).toBe(
      fs.readFileSync(path.join(s.dir, "cdk.tf.json"), "utf8"),
    );
    const extra = fs.readdirSync(r.workdir).filter((f) => f.endsWith(".tf.json") && f !== "cdk.tf.json");
    expect(extra).toEqual([OFFLINE_OVERRIDE_FILE]);
  }
});

it("resolves downstream inputs from the upstream stacks' published outputs", () => {
  const computes = everyPlanned()
    .map(({ result }) => result)
    .filter((r) => r.stack.endsWith("-compute"));
  expect(computes.length).toBeGreaterThan(0);
  for (const compute of computes) {
    const planned = JSON.stringify(compute.plan!.planned_values);
    // The seeded network outputs reached the plan: subnet and security group ids are known values, not unknowns.
    expect({ stack: compute.stack, subnet: planned.includes("subnet-0a1b2c3d4e5f60718") }).toEqual({
      stack: compute.stack,
      subnet: true,
    });
    expect({ stack: compute.stack, sg: planned.includes("sg-0a1b2c3d4e5f60718") }).toEqual({
      stack: compute.stack,
      sg: true,
    });
  }
});

it("says for a stack what planning it alone says (the batch root changes nothing the plan shows)", async () => {
  // The smallest stack with an upstream, so that provider configuration, default tags and seeded remote state all count.
  const size = (s: SynthesizedStack) => JSON.stringify(s.json).length;
  const stack = stacks.filter((s) => s.dependencies.length > 0).sort((a, b) => size(a) - size(b))[0];
  const alone = await checkStackOffline(stack, stacks, path.join(workroot, "alone"), { validate: false });
  expect(alone.failedStep).toBeUndefined();
  const batched = results.get(stack.id)!;
  expect(planSubstance(batched.plan!, batched.workdir)).toEqual(planSubstance(alone.plan!, alone.workdir));
}, 300_000);
