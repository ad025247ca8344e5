import type { TerraformJson } from "../terraform/cdktf-out";

export type Severity = "high" | "medium" | "low";

/** What a rule sees besides the resource: the whole stack and the deployment facts synthesis wrote beside it. */
export interface StackContext {
  readonly stackId: string;
  readonly json: TerraformJson;
  /** From the stack's `policy.json` (production environments get deletion protection and the like). */
  readonly production: boolean;
}

/**
 * One policy rule, as data: what it is, how bad, which resources it reads, what checkov and AWS Foundational Security
 * Best Practices call the same control, and the check itself, which returns why a resource fails (or nothing).
 */
export interface Rule {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** Terraform resource type, or `data.<type>` for data sources. */
  readonly resourceType: string;
  readonly checkov: readonly string[];
  readonly fsbp?: string;
  /** Why a case is allowed or how the rule differs from checkov, when it does. */
  readonly note?: string;
  readonly check: (resource: TerraformJson, ctx: StackContext, name: string) => string | undefined;
}

export interface Suppression {
  readonly rule: string;
  readonly reason: string;
  /** Terraform address prefixes (e.g. aws_lb_listener.alb_http). Default: every resource of the stack. */
  readonly resources?: readonly string[];
}

export interface Finding {
  readonly rule: Rule;
  readonly stackId: string;
  /** Terraform address, e.g. aws_lb.alb_88D76693. */
  readonly address: string;
  readonly message: string;
  /** The suppression's reason when a blueprint accepted the finding. */
  readonly suppressedBecause?: string;
}
