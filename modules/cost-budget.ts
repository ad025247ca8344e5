import { Construct } from "constructs";
import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";

export interface CostBudgetProps {
  readonly name: string;
  /** The monthly limit in US dollars. */
  readonly monthlyLimitUsd: number;
  /** Percent of the limit and whether actual or forecasted spend is compared; one notification each. */
  readonly thresholds: readonly { readonly percent: number; readonly basis: "actual" | "forecasted" }[];
  /** Default: none. */
  readonly emails?: readonly string[];
  /** Default: none. */
  readonly snsTopicArn?: string;
}

/** A monthly cost budget of the whole account (every service, unblended), telling its subscribers at each threshold. */
export class CostBudget extends Construct {
  readonly budget: BudgetsBudget;

  constructor(scope: Construct, id: string, props: CostBudgetProps) {
    super(scope, id);
    this.budget = new BudgetsBudget(this, "this-budget", {
      name: props.name,
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: props.monthlyLimitUsd.toFixed(2),
      limitUnit: "USD",
      notification: props.thresholds.map((t) => ({
        comparisonOperator: "GREATER_THAN",
        threshold: t.percent,
        thresholdType: "PERCENTAGE",
        notificationType: t.basis === "actual" ? "ACTUAL" : "FORECASTED",
        subscriberEmailAddresses: props.emails?.length ? [...props.emails] : undefined,
        subscriberSnsTopicArns: props.snsTopicArn ? [props.snsTopicArn] : undefined,
      })),
    });
  }
}
