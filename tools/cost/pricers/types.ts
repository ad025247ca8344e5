import type { ResourceRef, StackModel } from "../stack-model";
import { formatNumber } from "../format";
import type { Quantity } from "../types";
import type { Usage } from "../usage";
import type { EcsIndex, Scenario } from "./ecs-model";

/** One thing a resource is charged for, before its price is looked up. */
export interface ComponentSpec {
  readonly name: string;
  readonly unit: string;
  /** Units a month (already multiplied out; the resource's count/for_each is applied by the caller). */
  readonly quantity: Quantity;
  readonly priceKey: string;
  readonly usageBased: boolean;
  readonly detail?: string;
}

export type PricerResult =
  | { readonly free: string }
  | {
      readonly components: readonly ComponentSpec[];
      readonly tasks?: { readonly min: Quantity; readonly desired: Quantity; readonly max: Quantity };
    };

export interface PricingContext {
  readonly stack: StackModel;
  readonly usage: Usage;
  /** Which task count the ECS services run at: the autoscaling minimum, desired_count or the maximum. */
  readonly scenario: Scenario;
  readonly ecs: EcsIndex;
}

/** A cost model for one resource type: the components of one instance of the resource. */
export type Pricer = (resource: ResourceRef, ctx: PricingContext) => PricerResult;

/** The product of quantities; the first unknown factor makes the product unknown. */
export function times(...factors: Quantity[]): Quantity {
  let product = 1;
  for (const f of factors) {
    if (typeof f !== "number") return f;
    product *= f;
  }
  return product;
}

/** The sum of quantities; any unknown term makes the sum unknown. */
export function plus(...terms: Quantity[]): Quantity {
  let sum = 0;
  for (const t of terms) {
    if (typeof t !== "number") return t;
    sum += t;
  }
  return sum;
}

/** A number for details: up to four decimals, thousands separated. */
export function num(q: Quantity): string {
  return typeof q === "number" ? formatNumber(q, 4) : "?";
}

export function plural(n: Quantity, word: string, many = `${word}s`): string {
  return `${num(n)} ${n === 1 ? word : many}`;
}
