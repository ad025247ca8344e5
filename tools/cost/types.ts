/**
 * The cost report's shape (`npm run cost -- --json` prints a CostReport). In the spirit of Infracost's
 * `breakdown --format json`: stacks → resources → cost components, each component with its unit, monthly quantity,
 * unit price and monthly cost, and whether it depends on the usage profile. Money is US dollars per month of 730
 * hours. A cost that cannot be computed is `null` with the reason beside it, never 0.
 */

/** How many hours a month has in every AWS price calculator (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/** A number, or why it is not known before apply (a `${...}` expression) or not modeled. */
export type Quantity = number | { readonly unknown: string };

export function isKnown(q: Quantity): q is number {
  return typeof q === "number";
}

export interface CostComponent {
  /** What is charged, e.g. "NAT gateway hours" or "Fargate vCPU (Linux/X86_64, on-demand)". */
  readonly name: string;
  /** The price's unit, e.g. "hours", "GB", "vCPU-hours". */
  readonly unit: string;
  /** Units a month; null when not known before apply. */
  readonly monthlyQuantity: number | null;
  /** USD per unit from the region's price file; null when the file has no such price. */
  readonly price: number | null;
  /** monthlyQuantity × price; null whenever either is. */
  readonly monthlyCost: number | null;
  /** True when the quantity comes from the usage profile rather than from the configuration. */
  readonly usageBased: boolean;
  /** Key of the price in the price file. */
  readonly priceKey: string;
  /** How the quantity was derived, e.g. "2 tasks × 0.5 vCPU × 730 h". */
  readonly detail?: string;
  /** Why monthlyCost is null: a price the file lacks, or a quantity known only after apply. */
  readonly unpriced?: string;
}

export interface ResourceCost {
  /** Terraform address as synthesized (type.name). */
  readonly address: string;
  readonly type: string;
  /** Set when the resource costs nothing itself, with the reason. */
  readonly free?: string;
  readonly components: readonly CostComponent[];
  /** Sum of the priced components. */
  readonly monthlyCost: number;
  /** Components without a cost (see their `unpriced`). */
  readonly unpricedComponents: number;
  /** For ECS services: tasks at the autoscaling minimum, desired_count and the maximum. */
  readonly tasks?: { readonly min: number | null; readonly desired: number | null; readonly max: number | null };
}

/** A monthly total at desired_count, at every service's autoscaling minimum and at its maximum. */
export interface CostTotal {
  readonly monthlyCost: number;
  readonly atMinTasks: number;
  readonly atMaxTasks: number;
  /** Components that could not be priced and are therefore not in the sums. */
  readonly unpricedComponents: number;
}

export interface StackCost extends CostTotal {
  readonly stack: string;
  /** From the stack's provider default tags (Application, Environment); "(shared)" when absent. */
  readonly blueprint: string;
  readonly environment: string;
  readonly region: string;
  readonly resources: readonly ResourceCost[];
}

export interface GroupCost extends CostTotal {
  readonly blueprint: string;
  /** Absent on blueprint totals. */
  readonly environment?: string;
  readonly stacks: readonly string[];
}

/** An assumption the estimate used, with where it came from. */
export interface UsedAssumption {
  readonly value: number;
  readonly why: string;
  /** The file that set it: a preset, a blueprint usage file or the --usage file. */
  readonly from: string;
}

export interface UnpricedItem {
  readonly stack: string;
  readonly address: string;
  readonly component: string;
  readonly reason: string;
}

export interface CostReport {
  readonly format: 1;
  readonly currency: "USD";
  readonly hoursPerMonth: typeof HOURS_PER_MONTH;
  /** The usage profile's name (a preset or a file) and the files applied, in order. */
  readonly usage: { readonly name: string; readonly files: readonly string[] };
  /** Price files read: region, file, the dates their prices are from. */
  readonly prices: readonly { readonly region: string; readonly file: string; readonly asOf: readonly string[] }[];
  readonly stacks: readonly StackCost[];
  readonly environments: readonly GroupCost[];
  readonly blueprints: readonly GroupCost[];
  readonly total: CostTotal;
  /** Every component without a cost, so that a reader sees what the totals leave out. */
  readonly unpriced: readonly UnpricedItem[];
  /** Per blueprint and environment: every usage assumption the estimate read. */
  readonly assumptions: Readonly<Record<string, Readonly<Record<string, UsedAssumption>>>>;
}
