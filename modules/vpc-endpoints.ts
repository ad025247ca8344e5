import { Construct } from "constructs";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";

export interface VpcEndpointsProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly vpcId: string;
  /** Interface endpoint services, e.g. ecr.api, logs. Default: none. */
  readonly interfaceServices?: readonly string[];
  /** Subnets for interface endpoint ENIs (one per AZ at most). */
  readonly subnetIds?: readonly string[];
  /** Security group admitting 443 from the VPC. Required with interface services. */
  readonly securityGroupId?: string;
  /** Gateway endpoint services (s3, dynamodb). Default: none. */
  readonly gatewayServices?: readonly string[];
  /** Route tables that get the gateway endpoints' routes. */
  readonly routeTableIds?: readonly string[];
}

/**
 * VPC endpoints so tasks without a NAT gateway still pull images, write logs and read secrets. Interface endpoints
 * have private DNS on, so SDKs need no endpoint configuration. Each is named by its service:
 * `aws_vpc_endpoint.ecr_api`, `aws_vpc_endpoint.s3`.
 */
export class VpcEndpoints extends Construct {
  readonly endpoints: Record<string, VpcEndpoint> = {};

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    for (const service of props.interfaceServices ?? []) {
      if (!props.securityGroupId || !props.subnetIds?.length) {
        throw new Error("VpcEndpoints: interface endpoints need subnetIds and securityGroupId");
      }
      this.endpoints[service] = new VpcEndpoint(this, service, {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: [...props.subnetIds],
        securityGroupIds: [props.securityGroupId],
        tags: { Name: `${props.namePrefix}-${service}` },
      });
    }
    for (const service of props.gatewayServices ?? []) {
      this.endpoints[service] = new VpcEndpoint(this, service, {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: "Gateway",
        routeTableIds: [...(props.routeTableIds ?? [])],
        tags: { Name: `${props.namePrefix}-${service}` },
      });
    }
  }
}
