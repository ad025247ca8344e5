import { Construct } from "constructs";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Route53HealthCheck } from "@cdktf/provider-aws/lib/route53-health-check";

export interface AliasRecord {
  /** Label in the zone ("" for the apex); names the record's address (`apex` for ""). */
  readonly label: string;
  /** Fully qualified name. */
  readonly fqdn: string;
}

export interface LoadBalancerAliasProps {
  readonly zoneId: string;
  /** Names to point at the load balancer. */
  readonly records: readonly AliasRecord[];
  readonly loadBalancerDnsName: string;
  readonly loadBalancerZoneId: string;
  /** HTTPS health check of a name. Default: none. */
  readonly healthCheck?: {
    /** The name probed, when it is not among `records` (one CloudFront serves). Default: the first of `records`. */
    readonly record?: AliasRecord;
    readonly path: string;
    readonly port: number;
    readonly interval: number;
    readonly failureThreshold: number;
  };
}

/**
 * Alias A records to a load balancer (`aws_route53_record.<label>`, `apex` for the zone apex), and optionally a
 * Route 53 health check of the first name (`aws_route53_health_check.<label>_health`).
 */
export class LoadBalancerAlias extends Construct {
  readonly healthCheck?: Route53HealthCheck;

  constructor(scope: Construct, id: string, props: LoadBalancerAliasProps) {
    super(scope, id);
    const recordId = (r: AliasRecord) => (r.label === "" ? "apex" : r.label.replace(/^\*/, "wildcard"));
    for (const record of props.records) {
      new Route53Record(this, recordId(record), {
        zoneId: props.zoneId,
        name: record.fqdn,
        type: "A",
        alias: { name: props.loadBalancerDnsName, zoneId: props.loadBalancerZoneId, evaluateTargetHealth: true },
      });
    }
    const first = props.healthCheck?.record ?? props.records[0];
    if (props.healthCheck && first) {
      this.healthCheck = new Route53HealthCheck(this, `${recordId(first)}-health`, {
        type: "HTTPS",
        fqdn: first.fqdn,
        port: props.healthCheck.port,
        resourcePath: props.healthCheck.path,
        requestInterval: props.healthCheck.interval,
        failureThreshold: props.healthCheck.failureThreshold,
        enableSni: true,
        tags: { Name: `${first.fqdn}-health` },
      });
    }
  }
}
