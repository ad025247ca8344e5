import { Construct } from "constructs";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";

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
}

/** Alias A records to a load balancer (`aws_route53_record.<label>`, `apex` for the zone apex). */
export class LoadBalancerAlias extends Construct {
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
  }
}
