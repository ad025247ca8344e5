import * as fs from "fs";
import * as path from "path";
import type { SynthesizedStack } from "../tools/terraform/cdktf-out";
import { checkStackOffline, type OfflineCheck } from "../tools/terraform/plan-offline";
import { OFFLINE_OVERRIDE_FILE } from "../tools/terraform/offline";
import { offlinePlansOfAllStacks } from "./helpers/offline-plans";
import { planSubstance } from "./helpers/plan-substance";
import { scanText } from "../tools/check/secrets";

/**
 * Every stack of every blueprint, exactly as shipped, through an offline `terraform plan` (which validates the
 * configuration first, as `terraform validate` does) and `terraform show -json` with the real hashicorp/aws provider.
 * Test-only differences live in an override file beside the JSON. The stacks are planned in batches
 * (tools/terraform/plan-offline.ts: one Terraform process, and one provider schema load, for many stacks, each a
 * child module with its own provider configuration), once per jest run (helpers/offline-plans.ts).
 */
let stacks: readonly SynthesizedStack[];
let results: ReadonlyMap<string, OfflineCheck>;
let workroot: string;

// OFFLINE_PLAN_BLUEPRINT=<name> narrows the run to one blueprint while working on it; CI runs them all.
beforeAll(async () => {
  ({ stacks, results, workroot } = await offlinePlansOfAllStacks());
}, 1_200_000);

it("synthesizes stacks for every blueprint", () => {
  expect(stacks.length).toBeGreaterThanOrEqual(6);
});

it("validates and plans every stack offline", () => {
  expect([...results.keys()].sort()).toEqual(stacks.map((s) => s.id).sort());
  const failures = [...results.values()]
    .filter((r) => r.failedStep)
    .map((r) => `${r.stack} (${r.failedStep}):\n${r.output.slice(-4000)}`);
  expect(failures).toEqual([]);
  for (const r of results.values()) {
    expect({ stack: r.stack, errors: r.diagnostics.filter((d) => d.severity === "error") }).toEqual({
      stack: r.stack,
      errors: [],
    });
  }
});

it("plans each stack as itself: every resource and output of its JSON, under its own addresses", () => {
  for (const s of stacks) {
    const plan = results.get(s.id)!.plan!;
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
    expect({ stack: s.id, planned }).toEqual({ stack: s.id, planned: declared });
    expect({ stack: s.id, outputs: Object.keys(plan.output_changes).sort() }).toEqual({
      stack: s.id,
      outputs: Object.keys(s.json.output ?? {}).sort(),
    });
  }
});

it("shows no secret material in any plan (tools/check/secrets.ts over the plan JSON)", () => {
  for (const r of results.values())
    expect({ stack: r.stack, hits: scanText(JSON.stringify(r.plan ?? {})) }).toEqual({ stack: r.stack, hits: [] });
});

it("plans only creations, at least one per stack, against empty state", () => {
  for (const [id, r] of results) {
    const changes: { change: { actions: string[] } }[] = r.plan?.resource_changes ?? [];
    const actions = new Set(changes.flatMap((c) => c.change.actions));
    expect({ id, creates: changes.length > 0 }).toEqual({ id, creates: true });
    expect({ id, actions: [...actions].filter((a) => a !== "create" && a !== "read" && a !== "no-op") }).toEqual({
      id,
      actions: [],
    });
  }
});

it("plans the JSON that ships: the working copy is byte-identical to cdktf.out", () => {
  for (const s of stacks) {
    const r = results.get(s.id)!;
    expect(fs.readFileSync(path.join(r.workdir, "cdk.tf.json"), "utf8")).toBe(
      fs.readFileSync(path.join(s.dir, "cdk.tf.json"), "utf8"),
    );
    const extra = fs.readdirSync(r.workdir).filter((f) => f.endsWith(".tf.json") && f !== "cdk.tf.json");
    expect(extra).toEqual([OFFLINE_OVERRIDE_FILE]);
  }
});

it("resolves downstream inputs from the upstream stacks' published outputs", () => {
  const computes = [...results.values()].filter((r) => r.stack.endsWith("-compute"));
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
