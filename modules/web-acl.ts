import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { Wafv2WebAcl, type Wafv2WebAclConfig } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";

export interface WebAclProps {
  /** Web ACL name (also its CloudWatch metric name). */
  readonly name: string;
  /**
   * ARN of the regional resource (an ALB) the ACL protects, associated here. Default: none (a CloudFront distribution
   * names its web ACL itself).
   */
  readonly resourceArn?: string;
  /** REGIONAL (load balancers) or CLOUDFRONT (distributions; the ACL must be made in us-east-1). Default: REGIONAL. */
  readonly scope?: "REGIONAL" | "CLOUDFRONT";
  /** Provider to create the ACL with (a us-east-1 alias for CLOUDFRONT). Default: the stack's. */
  readonly provider?: TerraformProvider;
  /** AWS managed rule groups, evaluated in this order; each blocks what it matches. */
  readonly managedRuleGroups: readonly string[];
  /** Requests per 5 minutes from one IP above which it is blocked. Default: none (no rate rule). */
  readonly rateLimit?: number;
}

/**
 * A WAF web ACL that allows by default and blocks what AWS managed rule groups (and an optional per-IP rate limit)
 * match: regional and associated with one load balancer, or for CloudFront. Sampled requests and metrics are on for
 * every rule.
 */
export class WebAcl extends Construct {
  readonly acl: Wafv2WebAcl;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const visibility = (metricName: string) => ({
      cloudwatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    const managed = props.managedRuleGroups.map((name, i) => ({
      name,
      priority: i + 1,
      overrideAction: { none: {} },
      statement: { managed_rule_group_statement: { name, vendor_name: "AWS" } },
      visibilityConfig: visibility(name),
    }));
    const rate =
      props.rateLimit === undefined
        ? []
        : [
            {
              name: "rate-limit-per-ip",
              priority: managed.length + 1,
              action: { block: {} },
              statement: { rate_based_statement: { limit: props.rateLimit, aggregate_key_type: "IP" } },
              visibilityConfig: visibility("rate-limit-per-ip"),
            },
          ];
    this.acl = new StructuredWebAcl(this, "this-acl", {
      name: props.name,
      scope: props.scope ?? "REGIONAL",
      provider: props.provider,
      defaultAction: { allow: {} },
      rule: [...managed, ...rate],
      visibilityConfig: visibility(props.name),
    });
    if (props.resourceArn) {
      new Wafv2WebAclAssociation(this, "this-association", {
        resourceArn: props.resourceArn,
        webAclArn: this.acl.arn,
      });
    }
  }
}

/**
 * The provider types a rule's `statement` loosely (its nesting is recursive), so cdktf writes it into HCL as an
 * attribute (`statement = {...}`), which Terraform rejects: a statement is a nested block. This marks every object
 * inside a statement as a block for the HCL form; the JSON form, where blocks and objects look alike, is unchanged.
 */
class StructuredWebAcl extends Wafv2WebAcl {
  constructor(scope: Construct, id: string, config: Wafv2WebAclConfig) {
    super(scope, id, config);
  }

  protected override synthesizeHclAttributes(): { [name: string]: unknown } {
    const attributes = super.synthesizeHclAttributes() as { rule?: { value?: unknown } };
    const rules = attributes.rule?.value;
    if (Array.isArray(rules)) {
      for (const rule of rules as { statement?: { value: unknown } }[]) {
        if (rule.statement) rule.statement = nestedBlock(rule.statement.value);
      }
    }
    return attributes;
  }
}

type HclAttribute = { value: unknown; isBlock: boolean; type: "simple" | "list" };

/** An object as a nested HCL block, recursively: objects become blocks, scalars stay attributes. */
function nestedBlock(value: unknown): HclAttribute {
  return { value: blockBody(value), isBlock: true, type: "simple" };
}

function blockBody(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      v !== null && typeof v === "object" && !Array.isArray(v) ? nestedBlock(v) : v,
    ]),
  );
}
