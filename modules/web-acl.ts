import { Construct } from "constructs";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";

export interface WebAclProps {
  /** Web ACL name (also its CloudWatch metric name). */
  readonly name: string;
  /** ARN of the regional resource (an ALB) the ACL protects. */
  readonly resourceArn: string;
  /** AWS managed rule groups, evaluated in this order; each blocks what it matches. */
  readonly managedRuleGroups: readonly string[];
  /** Requests per 5 minutes from one IP above which it is blocked. Default: none (no rate rule). */
  readonly rateLimit?: number;
}

/**
 * A regional WAF web ACL that allows by default and blocks what AWS managed rule groups (and an optional per-IP rate
 * limit) match, associated with one load balancer. Sampled requests and metrics are on for every rule.
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
    this.acl = new Wafv2WebAcl(this, "acl", {
      name: props.name,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rule: [...managed, ...rate],
      visibilityConfig: visibility(props.name),
    });
    new Wafv2WebAclAssociation(this, "association", {
      resourceArn: props.resourceArn,
      webAclArn: this.acl.arn,
    });
  }
}
