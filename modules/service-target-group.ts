import { Construct } from "constructs";
import { Fn } from "cdktf";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";

export interface ServiceTargetGroupProps {
  /**
   * Head of the group's name, at most 25 characters: the name is `<nameHead>-<6 hex characters>`, the hex derived
   * from what replaces a target group when it changes (port, protocol, VPC). A replacement is created before the
   * group it replaces is deleted, and target group names are unique in the account and region: the new group must
   * not take the old one's name.
   */
  readonly nameHead: string;
  readonly vpcId: string;
  /** Container port the targets listen on (HTTP). */
  readonly port: number;
  readonly healthCheck: {
    readonly path: string;
    readonly interval: number;
    readonly timeout: number;
    readonly healthyThreshold: number;
    readonly unhealthyThreshold: number;
    readonly matcher: string;
  };
  /** Seconds to drain. Default: 30. */
  readonly deregistrationDelay?: number;
}

export interface ServiceRoute {
  readonly listenerArn: string;
  readonly priority: number;
  readonly pathPatterns?: string[];
  readonly hostHeaders?: string[];
}

/**
 * An `ip` target group for Fargate tasks (`aws_lb_target_group.<name>`), with the listener rules that send a service
 * its paths, one per listener and named after it (`aws_lb_listener_rule.<name>_https`).
 */
export class ServiceTargetGroup extends Construct {
  readonly targetGroup: LbTargetGroup;
  readonly rules: LbListenerRule[] = [];

  constructor(scope: Construct, id: string, props: ServiceTargetGroupProps) {
    super(scope, id);
    const hc = props.healthCheck;
    const protocol = "HTTP";
    if (props.nameHead.length > 25) throw new Error(`ServiceTargetGroup: name head ${props.nameHead} exceeds 25`);
    const generation = Fn.substr(Fn.sha1(Fn.join(":", [protocol, String(props.port), props.vpcId])), 0, 6);
    this.targetGroup = new LbTargetGroup(this, "this-target-group", {
      name: `${props.nameHead}-${generation}`,
      targetType: "ip",
      protocol,
      port: props.port,
      vpcId: props.vpcId,
      deregistrationDelay: String(props.deregistrationDelay ?? 30),
      healthCheck: {
        enabled: true,
        protocol: "HTTP",
        path: hc.path,
        port: "traffic-port",
        interval: hc.interval,
        timeout: hc.timeout,
        healthyThreshold: hc.healthyThreshold,
        unhealthyThreshold: hc.unhealthyThreshold,
        matcher: hc.matcher,
      },
      lifecycle: { createBeforeDestroy: true },
    });
  }

  /** Forwards requests that match the route to this target group; `listener` names the rule (https, http ...). */
  route(listener: string, route: ServiceRoute): LbListenerRule {
    const condition = [
      ...(route.pathPatterns ? [{ pathPattern: { values: route.pathPatterns } }] : []),
      ...(route.hostHeaders ? [{ hostHeader: { values: route.hostHeaders } }] : []),
    ];
    const rule = new LbListenerRule(this, listener, {
      listenerArn: route.listenerArn,
      priority: route.priority,
      action: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
      condition,
    });
    this.rules.push(rule);
    return rule;
  }
}
