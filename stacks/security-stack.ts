import { Construct } from "constructs";
import type { Deployment } from "../schema/resolve";
import { WebAcl } from "../modules/web-acl";
import { BlueprintStack, type BlueprintStackProps } from "./blueprint-stack";
import type { ComputeStack } from "./compute-stack";
import { webAclName } from "../schema/names";

/**
 * The WAF web ACL in front of the load balancer. After compute, because it protects the ALB that compute publishes;
 * a stack of its own so that rule changes plan apart from the services. Only built when loadBalancer.waf is set.
 */
export class SecurityStack extends BlueprintStack {
  constructor(scope: Construct, id: string, d: Deployment, base: BlueprintStackProps, up: { compute: ComputeStack }) {
    super(scope, id, base);
    const waf = d.spec.loadBalancer!.waf!;
    const acl = new WebAcl(this, "waf", {
      name: webAclName(d),
      resourceArn: this.fromStack(up.compute).string("alb_arn"),
      managedRuleGroups: waf.managedRuleGroups,
      rateLimit: waf.rateLimit,
    });
    this.publish("web_acl_arn", "string", acl.acl.arn, "WAF web ACL on the load balancer");
  }
}
