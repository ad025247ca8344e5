import { Construct } from "constructs";
import type { Deployment } from "../schema/resolve";
import { selectSubnets } from "../schema/subnets";
import { flowLogGroupName } from "../schema/names";
import { Vpc } from "../modules/vpc";
import { VpcEndpoints } from "../modules/vpc-endpoints";
import { ApplicationSecurityGroups } from "../modules/application-security-groups";
import { BlueprintStack, type BlueprintStackProps } from "./blueprint-stack";
import { listenerIngress, listenerPorts } from "./load-balancer-settings";

/** VPC, subnets, routing, NAT or endpoints, flow logs and the security group chain. */
export class NetworkStack extends BlueprintStack {
  readonly vpc: Vpc;
  readonly securityGroups: ApplicationSecurityGroups;

  constructor(scope: Construct, id: string, d: Deployment, base: BlueprintStackProps) {
    super(scope, id, base);
    const { network, services, loadBalancer, database } = d.spec;
    this.vpc = new Vpc(this, "this-vpc", {
      namePrefix: d.prefix,
      cidr: network.cidr,
      subnets: network.subnets,
      natGateways: network.natGateways,
      flowLogs: { ...network.flowLogs, logGroupName: flowLogGroupName(d) },
    });
    const endpoints = network.vpcEndpoints;
    this.securityGroups = new ApplicationSecurityGroups(this, "this-security-groups", {
      namePrefix: d.prefix,
      vpcId: this.vpc.vpc.id,
      vpcCidr: network.cidr,
      services: services.map((s) => ({
        name: s.name,
        // A worker has no port: its group admits nothing (semantics refuses a port on a worker).
        containerPort: s.containerPort,
        databaseAccess: s.databaseAccess,
      })),
      loadBalancer: loadBalancer && {
        listeners: listenerIngress(loadBalancer, network.cidr, d.spec.cloudFront?.originFacingPrefixListId),
      },
      databasePort: database?.port,
      vpcEndpoints: endpoints.interface.length > 0,
      clients: network.clientSecurityGroups.map((c) => ({
        name: c.name,
        description: c.description ?? "Client of the load balancer",
        ports: c.loadBalancerPorts ?? (loadBalancer ? listenerPorts(loadBalancer) : []),
      })),
    });
    if (endpoints.interface.length + endpoints.gateway.length > 0) {
      const endpointSubnets = selectSubnets(network.subnets, endpoints.subnets ?? { tier: "private" });
      new VpcEndpoints(this, "this-endpoints", {
        namePrefix: d.prefix,
        region: d.region,
        vpcId: this.vpc.vpc.id,
        interfaceServices: endpoints.interface,
        subnetIds: this.vpc.subnets.filter((s) => endpointSubnets.includes(s.spec)).map((s) => s.resource.id),
        securityGroupId: this.securityGroups.vpcEndpoints?.id,
        gatewayServices: endpoints.gateway,
        routeTableIds: this.vpc.privateRouteTableIds,
      });
    }

    this.publish("vpc_id", "string", this.vpc.vpc.id, "VPC id");
    this.publish("vpc_cidr", "string", this.vpc.vpc.cidrBlock, "VPC CIDR block");
    for (const tier of ["public", "private", "isolated"] as const) {
      this.publish(`${tier}_subnet_ids`, "list", this.vpc.subnetIds(tier), `Ids of the ${tier} subnets`);
    }
    this.publish(
      "subnet_ids",
      "map",
      Object.fromEntries(this.vpc.subnets.map((s) => [s.label, s.resource.id])),
      "Subnet ids by label (<tier>-<az suffix> or the blueprint's name)",
    );
    const sgs = this.securityGroups;
    if (sgs.loadBalancer)
      this.publish("alb_security_group_id", "string", sgs.loadBalancer.id, "Load balancer security group");
    this.publish(
      "service_security_group_ids",
      "map",
      Object.fromEntries(Object.entries(sgs.services).map(([k, sg]) => [k, sg.id])),
      "Security group of each service",
    );
    if (network.clientSecurityGroups.length > 0) {
      this.publish(
        "client_security_group_ids",
        "map",
        Object.fromEntries(Object.entries(sgs.clients).map(([k, sg]) => [k, sg.id])),
        "Security group of each load balancer client outside the blueprint (attach it to the client)",
      );
    }
    if (sgs.database) this.publish("db_security_group_id", "string", sgs.database.id, "Database security group");
    this.publish(
      "nat_gateway_public_ips",
      "list",
      this.vpc.natGateways.map((n) => n.publicIp),
      "Public IPs of the NAT gateways (allow-list these at third parties)",
    );
  }
}
