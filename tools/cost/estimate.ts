import type { SynthesizedStack } from "../terraform/cdktf-out";
import { ecsIndex, type Scenario } from "./pricers/ecs-model";
import { FREE_TYPES, PRICERS } from "./pricers";
import { times, type ComponentSpec, type PricingContext } from "./pricers/types";
import { priceBooks, type PriceBook } from "./prices";
import { stackModel, type ResourceRef } from "./stack-model";
import {
  HOURS_PER_MONTH,
  type CostComponent,
  type CostReport,
  type CostTotal,
  type GroupCost,
  type Quantity,
  type ResourceCost,
  type StackCost,
  type UnpricedItem,
} from "./types";
import type { Usage, UsageProfiles } from "./usage";

/**
 * Prices what ships: the synthesized stacks, resource by resource, with the region's price file and the usage
 * profile. Every ECS-dependent figure is computed three times, with the services at desired_count, at their
 * autoscaling minimum and at their maximum; the report's monthly costs are at desired_count.
 */

export interface EstimateOptions {
  readonly usage: UsageProfiles;
  /** Price books by region; default: the files in tools/cost/prices. */
  readonly prices?: (region: string) => PriceBook;
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

function priced(spec: ComponentSpec, instances: Quantity, book: PriceBook | undefined, region: string): CostComponent {
  const quantity = times(spec.quantity, instances);
  const price = book?.lookup(spec.priceKey);
  if (price && price.unit !== spec.unit)
    throw new Error(`${book!.file}: ${spec.priceKey} is per "${price.unit}", the cost model counts "${spec.unit}"`);
  const base = {
    name: spec.name,
    unit: spec.unit,
    monthlyQuantity: typeof quantity === "number" ? round(quantity) : null,
    price: price?.usd ?? null,
    usageBased: spec.usageBased,
    priceKey: spec.priceKey,
    ...(spec.detail ? { detail: spec.detail } : {}),
  };
  if (typeof quantity !== "number") return { ...base, monthlyCost: null, unpriced: quantity.unknown };
  if (!book) return { ...base, monthlyCost: null, unpriced: `no region: ${region}` };
  if (!price) return { ...base, monthlyCost: null, unpriced: `${book.file} has no price "${spec.priceKey}"` };
  return { ...base, monthlyCost: round(quantity * price.usd) };
}

function resourceCost(resource: ResourceRef, ctx: PricingContext, books: (region: string) => PriceBook): ResourceCost {
  const base = { address: resource.address, type: resource.type };
  const pricer = PRICERS[resource.type];
  const free = FREE_TYPES[resource.type] ?? (resource.type.startsWith("aws_") ? undefined : "not an AWS resource");
  if (!pricer && free) return { ...base, free, components: [], monthlyCost: 0, unpricedComponents: 0 };
  if (!pricer) {
    const component: CostComponent = {
      name: "not modeled",
      unit: "",
      monthlyQuantity: null,
      price: null,
      monthlyCost: null,
      usageBased: false,
      priceKey: "",
      unpriced: `no cost model for ${resource.type}. Fix: add one in tools/cost/pricers or list the type in FREE_TYPES`,
    };
    return { ...base, components: [component], monthlyCost: 0, unpricedComponents: 1 };
  }
  const result = pricer(resource, ctx);
  if ("free" in result) return { ...base, free: result.free, components: [], monthlyCost: 0, unpricedComponents: 0 };
  const region = resource.region ?? "(none: the stack's AWS provider has no literal region)";
  const book = resource.region ? books(resource.region) : undefined;
  const components = result.components.map((c) => priced(c, resource.instances, book, region));
  const known = (q: Quantity) => (typeof q === "number" ? q : null);
  return {
    ...base,
    components,
    monthlyCost: round(components.reduce((sum, c) => sum + (c.monthlyCost ?? 0), 0)),
    unpricedComponents: components.filter((c) => c.monthlyCost === null).length,
    ...(result.tasks
      ? { tasks: { min: known(result.tasks.min), desired: known(result.tasks.desired), max: known(result.tasks.max) } }
      : {}),
  };
}

function priceStack(
  ctx: Omit<PricingContext, "scenario">,
  scenario: Scenario,
  books: (region: string) => PriceBook,
): ResourceCost[] {
  return ctx.stack.resources.map((r) => resourceCost(r, { ...ctx, scenario }, books));
}

const sumOf = (resources: readonly ResourceCost[]) => round(resources.reduce((s, r) => s + r.monthlyCost, 0));

function addTotals(totals: readonly CostTotal[]): CostTotal {
  const sum = (pick: (t: CostTotal) => number) => round(totals.reduce((s, t) => s + pick(t), 0));
  return {
    monthlyCost: sum((t) => t.monthlyCost),
    atMinTasks: sum((t) => t.atMinTasks),
    atMaxTasks: sum((t) => t.atMaxTasks),
    unpricedComponents: sum((t) => t.unpricedComponents),
  };
}

function groupBy(stacks: readonly StackCost[], key: (s: StackCost) => string): StackCost[][] {
  const groups = new Map<string, StackCost[]>();
  for (const s of stacks) groups.set(key(s), [...(groups.get(key(s)) ?? []), s]);
  return [...groups.values()];
}

export function estimateCosts(stacks: readonly SynthesizedStack[], options: EstimateOptions): CostReport {
  const books = options.prices ?? priceBooks();
  const usedBooks = new Map<string, PriceBook>();
  const trackedBooks = (region: string) => {
    const book = books(region);
    usedBooks.set(region, book);
    return book;
  };
  const usages = new Map<string, Usage>();
  const stackCosts: StackCost[] = stacks.map((stack) => {
    const model = stackModel(stack);
    const key = `${model.blueprint}/${model.environment}`;
    if (!usages.has(key)) usages.set(key, options.usage.forEnvironment(model.blueprint, model.environment));
    const ctx = { stack: model, usage: usages.get(key)!, ecs: ecsIndex(model) };
    const resources = priceStack(ctx, "desired", trackedBooks);
    return {
      stack: model.id,
      blueprint: model.blueprint,
      environment: model.environment,
      region: model.region ?? "",
      resources,
      monthlyCost: sumOf(resources),
      atMinTasks: sumOf(priceStack(ctx, "min", trackedBooks)),
      atMaxTasks: sumOf(priceStack(ctx, "max", trackedBooks)),
      unpricedComponents: resources.reduce((n, r) => n + r.unpricedComponents, 0),
    };
  });
  const group = (members: StackCost[], withEnvironment: boolean): GroupCost => ({
    blueprint: members[0].blueprint,
    ...(withEnvironment ? { environment: members[0].environment } : {}),
    stacks: members.map((s) => s.stack),
    ...addTotals(members),
  });
  const unpriced: UnpricedItem[] = stackCosts.flatMap((s) =>
    s.resources.flatMap((r) =>
      r.components
        .filter((c) => c.unpriced)
        .map((c) => ({ stack: s.stack, address: r.address, component: c.name, reason: c.unpriced! })),
    ),
  );
  return {
    format: 1,
    currency: "USD",
    hoursPerMonth: HOURS_PER_MONTH,
    usage: { name: options.usage.name, files: options.usage.files() },
    prices: [...usedBooks.values()]
      .sort((a, b) => a.region.localeCompare(b.region))
      .map((b) => ({ region: b.region, file: b.file, asOf: b.asOf })),
    stacks: stackCosts,
    environments: groupBy(stackCosts, (s) => `${s.blueprint}/${s.environment}`).map((g) => group(g, true)),
    blueprints: groupBy(stackCosts, (s) => s.blueprint).map((g) => group(g, false)),
    total: addTotals(stackCosts),
    unpriced,
    assumptions: Object.fromEntries([...usages.entries()].map(([k, u]) => [k, u.used()])),
  };
}
