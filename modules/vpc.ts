import { Construct } from "constructs";
import { Vpc as AwsVpc } from "@cdktf/provider-aws/lib/vpc";
import { Subnet as AwsSubnet } from "@cdktf/provider-aws/lib/subnet";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import type { Subnet } from "../schema/blueprint";
import { subnetLabel } from "../schema/subnets";
import { FlowLogs } from "./flow-logs";

export interface VpcProps {
  /** Prefix of Name tags, e.g. library-app-prod. */
  readonly namePrefix: string;
  /** VPC CIDR. */
  readonly cidr: string;
  /** Subnets with explicit CIDRs and AZs. */
  readonly subnets: readonly Subnet[];
  /** NAT gateways for private subnets. Default: none. */
  readonly natGateways?: "none" | "single" | "per-az";
  /** Flow logs into the log group `logGroupName`; undefined or enabled false turns them off. Default: off. */
  readonly flowLogs?: { enabled: boolean; trafficType: string; retentionDays: number; logGroupName: string };
}

export interface VpcSubnet {
  readonly spec: Subnet;
  /** Label used in output maps, e.g. private-1a. */
  readonly label: string;
  readonly resource: AwsSubnet;
}

/**
 * A VPC with explicit subnets in three tiers. Public subnets route to an internet gateway (created only when a public
 * subnet exists); private subnets route to a NAT gateway per the NAT mode, or nowhere when there is none (VPC
 * endpoints then carry AWS traffic); isolated subnets have no route out. The default security group is emptied
 * (CKV2_AWS_12) and flow logs go to CloudWatch Logs (CKV2_AWS_11).
 *
 * Instantiated as `this-vpc`, addresses name what each resource is: `aws_vpc.vpc`, `aws_subnet.private_1a` (the
 * subnet's label), `aws_route_table.private_1a` (per AZ), `aws_route.private_1a_nat`, `aws_nat_gateway.nat_1a`,
 * `aws_flow_log.flow_logs`.
 */
export class Vpc extends Construct {
  readonly vpc: AwsVpc;
  readonly subnets: VpcSubnet[];
  /** Route tables of private and isolated subnets, for gateway endpoints. */
  readonly privateRouteTableIds: string[] = [];
  readonly internetGateway?: InternetGateway;
  readonly natGateways: NatGateway[] = [];

  constructor(scope: Construct, id: string, props: VpcProps) {
    super(scope, id);
    const name = (suffix: string) => ({ Name: `${props.namePrefix}-${suffix}` });
    // The VPC, its default group and its internet gateway are all `<type>.vpc`.
    const core = new Construct(this, "vpc");
    this.vpc = new AwsVpc(core, "this-vpc", {
      cidrBlock: props.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: name("vpc"),
    });
    const defaultGroup = new DefaultSecurityGroup(core, "this-default-security-group", {
      vpcId: this.vpc.id,
      tags: name("default-deny-all"),
    });
    // No rules at all, said explicitly (`ingress = []`) so Terraform removes any rule added later. As blocks, an empty
    // list would vanish from the HCL form and leave the rules unmanaged there; as attributes both forms keep it.
    defaultGroup.addOverride("ingress", []);
    defaultGroup.addOverride("egress", []);

    this.subnets = props.subnets.map((spec) => {
      const label = subnetLabel(spec);
      // A subnet and its route table association are both `<type>.<label>`.
      const resource = new AwsSubnet(new Construct(this, label), "this-subnet", {
        vpcId: this.vpc.id,
        cidrBlock: spec.cidr,
        availabilityZone: spec.az,
        mapPublicIpOnLaunch: false,
        tags: { ...name(label), Tier: spec.tier },
      });
      return { spec, label, resource };
    });

    // Route tables and routes are named by tier and AZ (`aws_route_table.private_1a`), apart from the subnets.
    const tables = new Construct(this, "this-route-tables");
    const publicSubnets = this.subnets.filter((s) => s.spec.tier === "public");
    if (publicSubnets.length > 0) {
      this.internetGateway = new InternetGateway(core, "this-internet-gateway", {
        vpcId: this.vpc.id,
        tags: name("igw"),
      });
      const table = new RouteTable(tables, "public", { vpcId: this.vpc.id, tags: name("public") });
      new Route(tables, "public-internet", {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        gatewayId: this.internetGateway.id,
      });
      publicSubnets.forEach((s) => this.associate(s, table.id));
    }

    const natByAz = this.createNatGateways(props.natGateways ?? "none", publicSubnets, name);
    // One route table per private AZ, so per-AZ NAT keeps traffic in its AZ; isolated subnets share one with no route.
    const privateAzs = [...new Set(this.subnets.filter((s) => s.spec.tier === "private").map((s) => s.spec.az))];
    for (const az of privateAzs) {
      const suffix = az.slice(-2);
      const table = new RouteTable(tables, `private-${suffix}`, {
        vpcId: this.vpc.id,
        tags: name(`private-${suffix}`),
      });
      const nat = natByAz(az);
      if (nat) {
        new Route(tables, `private-${suffix}-nat`, {
          routeTableId: table.id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: nat.id,
        });
      }
      this.subnets
        .filter((s) => s.spec.tier === "private" && s.spec.az === az)
        .forEach((s) => this.associate(s, table.id));
      this.privateRouteTableIds.push(table.id);
    }
    const isolated = this.subnets.filter((s) => s.spec.tier === "isolated");
    if (isolated.length > 0) {
      const table = new RouteTable(tables, "isolated", { vpcId: this.vpc.id, tags: name("isolated") });
      isolated.forEach((s) => this.associate(s, table.id));
      this.privateRouteTableIds.push(table.id);
    }

    if (props.flowLogs?.enabled) {
      new FlowLogs(this, "flow-logs", {
        name: props.flowLogs.logGroupName,
        vpcId: this.vpc.id,
        trafficType: props.flowLogs.trafficType,
        retentionDays: props.flowLogs.retentionDays,
      });
    }
  }

  subnetIds(tier: Subnet["tier"]): string[] {
    return this.subnets.filter((s) => s.spec.tier === tier).map((s) => s.resource.id);
  }

  private associate(subnet: VpcSubnet, routeTableId: string) {
    new RouteTableAssociation(subnet.resource.node.scope!, "this-association", {
      subnetId: subnet.resource.id,
      routeTableId,
    });
  }

  private createNatGateways(
    mode: "none" | "single" | "per-az",
    publicSubnets: VpcSubnet[],
    name: (s: string) => Record<string, string>,
  ): (az: string) => NatGateway | undefined {
    if (mode === "none" || publicSubnets.length === 0) return () => undefined;
    const homes = mode === "single" ? [publicSubnets[0]] : firstPerAz(publicSubnets);
    const byAz = new Map<string, NatGateway>();
    for (const home of homes) {
      const suffix = home.spec.az.slice(-2);
      // The NAT gateway and its address are both `<type>.nat_<az>`.
      const scope = new Construct(this, `nat-${suffix}`);
      const eip = new Eip(scope, "this-eip", { domain: "vpc", tags: name(`nat-${suffix}`) });
      const nat = new NatGateway(scope, "this-nat-gateway", {
        allocationId: eip.id,
        subnetId: home.resource.id,
        tags: name(`nat-${suffix}`),
        dependsOn: this.internetGateway ? [this.internetGateway] : undefined,
      });
      byAz.set(home.spec.az, nat);
      this.natGateways.push(nat);
    }
    return (az) => byAz.get(az) ?? this.natGateways[0];
  }
}

function firstPerAz(subnets: VpcSubnet[]): VpcSubnet[] {
  const seen = new Set<string>();
  return subnets.filter((s) => !seen.has(s.spec.az) && seen.add(s.spec.az));
}
