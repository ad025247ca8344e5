import { Construct } from "constructs";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";

export interface HostedZoneProps {
  /** Zone name, e.g. example.com. */
  readonly zoneName: string;
  /** Attach to this VPC as a private zone. Default: public. */
  readonly privateVpcId?: string;
  /** Use an existing zone instead of creating one. Default: create. */
  readonly existingZoneId?: string;
}

/** A Route 53 zone, created (public or private to one VPC) or taken by id. */
export class HostedZone extends Construct {
  readonly zoneId: string;
  readonly nameServers?: string[];

  constructor(scope: Construct, id: string, props: HostedZoneProps) {
    super(scope, id);
    if (props.existingZoneId) {
      // Taken by id rather than looked up: a data source would need AWS credentials at plan time.
      this.zoneId = props.existingZoneId;
      return;
    }
    const zone = new Route53Zone(this, "this-zone", {
      name: props.zoneName,
      comment: props.privateVpcId ? "Private zone managed by Terraform" : "Managed by Terraform",
      vpc: props.privateVpcId ? [{ vpcId: props.privateVpcId }] : undefined,
    });
    this.zoneId = zone.zoneId;
    this.nameServers = props.privateVpcId ? undefined : zone.nameServers;
  }
}
