import type { SynthesizedStack } from "../terraform/cdktf-out";
import { estimateCosts, type EstimateOptions } from "./estimate";
import type { CostReport, StackCost } from "./types";

/**
 * The cost change between two syntheses (or any two reports): per stack, per environment and in total, and the cost
 * components that moved most. Components are matched by stack, resource type and component name — never by
 * address, which may change between the two (renames) without any change in cost.
 */

export interface Amount {
  /** null when the stack does not exist on that side. */
  readonly before: number | null;
  readonly after: number | null;
  readonly delta: number;
  /** delta / before × 100; null when there was nothing before. */
  readonly percent: number | null;
}

export interface StackDelta extends Amount {
  readonly stack: string;
  readonly blueprint: string;
  readonly environment: string;
  readonly unpricedBefore: number;
  readonly unpricedAfter: number;
}

export interface GroupDelta extends Amount {
  readonly blueprint: string;
  readonly environment: string;
}

export interface ComponentChange {
  readonly stack: string;
  readonly type: string;
  readonly component: string;
  readonly unit: string;
  /** Resources of the type in the stack, before and after. */
  readonly resourcesBefore: number;
  readonly resourcesAfter: number;
  readonly quantityBefore: number | null;
  readonly quantityAfter: number | null;
  readonly delta: number;
}

export interface CostDiff {
  readonly format: 1;
  /** What "before" is, e.g. "the base synthesis in /tmp/base/cdktf.out". */
  readonly before: string;
  readonly usage: CostReport["usage"];
  readonly prices: CostReport["prices"];
  readonly stacks: readonly StackDelta[];
  readonly environments: readonly GroupDelta[];
  readonly total: Amount;
  /** Every component whose monthly cost moved by at least a cent, largest change first. */
  readonly changes: readonly ComponentChange[];
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

function amount(before: number | null, after: number | null): Amount {
  const delta = round((after ?? 0) - (before ?? 0));
  return { before, after, delta, percent: before ? round((delta / before) * 100) : null };
}

interface Tally {
  unit: string;
  quantity: number | null;
  cost: number;
}

/** Per stack: component totals by "type\u0000component", and resource counts by type. */
function tallies(stack: StackCost | undefined) {
  const components = new Map<string, Tally>();
  const resources = new Map<string, number>();
  for (const r of stack?.resources ?? []) {
    resources.set(r.type, (resources.get(r.type) ?? 0) + 1);
    for (const c of r.components) {
      const key = `${r.type}\u0000${c.name}`;
      const t = components.get(key) ?? { unit: c.unit, quantity: 0, cost: 0 };
      t.quantity = t.quantity === null || c.monthlyQuantity === null ? null : t.quantity + c.monthlyQuantity;
      t.cost += c.monthlyCost ?? 0;
      components.set(key, t);
    }
  }
  return { components, resources };
}

function componentChanges(id: string, base: StackCost | undefined, head: StackCost | undefined): ComponentChange[] {
  const before = tallies(base);
  const after = tallies(head);
  const out: ComponentChange[] = [];
  for (const key of new Set([...before.components.keys(), ...after.components.keys()])) {
    const [type, component] = key.split("\u0000");
    const b = before.components.get(key);
    const a = after.components.get(key);
    const delta = round((a?.cost ?? 0) - (b?.cost ?? 0));
    if (Math.abs(delta) < 0.005) continue;
    out.push({
      stack: id,
      type,
      component,
      unit: (a ?? b)!.unit,
      resourcesBefore: before.resources.get(type) ?? 0,
      resourcesAfter: after.resources.get(type) ?? 0,
      quantityBefore: b ? (b.quantity === null ? null : round(b.quantity)) : 0,
      quantityAfter: a ? (a.quantity === null ? null : round(a.quantity)) : 0,
      delta,
    });
  }
  return out;
}

/** Compares two cost reports priced with the same usage profile. */
export function compareReports(base: CostReport, head: CostReport, before: string): CostDiff {
  const baseById = new Map(base.stacks.map((s) => [s.stack, s]));
  const headById = new Map(head.stacks.map((s) => [s.stack, s]));
  const ids = [...new Set([...head.stacks.map((s) => s.stack), ...base.stacks.map((s) => s.stack)])];
  const stacks: StackDelta[] = ids.map((id) => {
    const b = baseById.get(id);
    const a = headById.get(id);
    const either = (a ?? b)!;
    return {
      stack: id,
      blueprint: either.blueprint,
      environment: either.environment,
      ...amount(b ? b.monthlyCost : null, a ? a.monthlyCost : null),
      unpricedBefore: b?.unpricedComponents ?? 0,
      unpricedAfter: a?.unpricedComponents ?? 0,
    };
  });
  const groups = new Map<string, StackDelta[]>();
  for (const s of stacks) {
    const key = `${s.blueprint}\u0000${s.environment}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const sum = (list: readonly StackDelta[], pick: (s: StackDelta) => number | null) => {
    const values = list.map(pick).filter((v): v is number => v !== null);
    return values.length === 0 ? null : round(values.reduce((x, y) => x + y, 0));
  };
  return {
    format: 1,
    before,
    usage: head.usage,
    prices: head.prices,
    stacks,
    environments: [...groups.values()].map((list) => ({
      blueprint: list[0].blueprint,
      environment: list[0].environment,
      ...amount(
        sum(list, (s) => s.before),
        sum(list, (s) => s.after),
      ),
    })),
    total: amount(base.total.monthlyCost, head.total.monthlyCost),
    changes: ids
      .flatMap((id) => componentChanges(id, baseById.get(id), headById.get(id)))
      .sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta)),
  };
}

/** Prices both syntheses with the same usage profile and prices, and compares them. */
export function costDiff(
  baseStacks: readonly SynthesizedStack[],
  headStacks: readonly SynthesizedStack[],
  options: EstimateOptions & { readonly before: string },
): CostDiff {
  return compareReports(estimateCosts(baseStacks, options), estimateCosts(headStacks, options), options.before);
}
