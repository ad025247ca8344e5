import { Construct } from "constructs";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Route53HealthCheck } from "@cdktf/provider-aws/lib/route53-health-check";

export interface LoadBalancerAliasProps {
  readonly zoneId: string;
  /** Fully qualified names to point at the load balancer. */
  readonly names: readonly string[];
  readonly loadBalancerDnsName: string;
  readonly loadBalancerZoneId: string;
  /** HTTPS health check of the first name. Default: none. */
  readonly healthCheck?: {
    readonly path: string;
    readonly port: number;
    readonly interval: number;
    readonly failureThreshold: number;
  };
}

/** Alias A records to a load balancer, and optionally a Route 53 health check of the first name. */
export class LoadBalancerAlias extends Construct {
  readonly healthCheck?: Route53HealthCheck;

  constructor(scope: Construct, id: string, props: LoadBalancerAliasProps) {
    super(scope, id);
    props.names.forEach(
      (name, i) =>
        new Route53Record(this, `alias-${i}`, {
          zoneId: props.zoneId,
          name,
          type: "A",
          alias: { name: props.loadBalancerDnsName, zoneId: props.loadBalancerZoneId, evaluateTargetHealth: true },
        }),
    );
    if (props.healthCheck && props.names.length > 0) {
      this.healthCheck = new Route53HealthCheck(this, "health-check", {
        type: "HTTPS",
        fqdn: props.names[0],
        port: props.healthCheck.port,
        resourcePath: props.healthCheck.path,
        requestInterval: props.healthCheck.interval,
        failureThreshold: props.healthCheck.failureThreshold,
        enableSni: true,
        tags: { Name: `${props.names[0]}-health` },
      });
    }
  }
}
