import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";

export interface ServicePorts {
  /** Service name (key of `serviceGroups`). */
  readonly name: string;
  /**
   * Container port the load balancer reaches. Default: none, a service that takes no traffic (a worker): its group
   * gets no ingress rule at all, only the egress every service has.
   */
  readonly containerPort?: number;
  /** Whether the service's group is admitted to the database. */
  readonly databaseAccess: boolean;
}

export interface ListenerIngress {
  readonly port: number;
  readonly cidrs: readonly string[];
  /** Managed prefix lists admitted too, each with a name for its rule's address (cloudfront). Default: none. */
  readonly prefixLists?: readonly { readonly name: string; readonly id: string }[];
}

export interface ApplicationSecurityGroupsProps {
  readonly namePrefix: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly services: readonly ServicePorts[];
  /** Load balancer listener ports, each with who may reach it. Default: no load balancer group. */
  readonly loadBalancer?: { readonly listeners: readonly ListenerIngress[] };
  /** Database port. Default: no database group. */
  readonly databasePort?: number;
  /** Create a group for interface VPC endpoints (443 from the VPC). Default: false. */
  readonly vpcEndpoints?: boolean;
  /**
   * Groups for clients outside the blueprint that call the load balancer: each may leave only to the load
   * balancer's group, on the given ports (listener ports). Needs `loadBalancer`. Default: none.
   */
  readonly clients?: readonly {
    readonly name: string;
    readonly description: string;
    readonly ports: readonly number[];
  }[];
}

/**
 * The security group chain, least privilege by construction: clients → load balancer (listener ports only) →
 * each service (its container port, from the load balancer only; a worker, which takes no traffic, admits nothing)
 * → database (its port, from services that need it only). Rules are separate resources so groups can reference each
 * other without a cycle. Services may leave on 443 (AWS APIs through endpoints or NAT, external HTTPS) and to the
 * database; nothing else.
 *
 * Groups are `aws_security_group.alb`, `.service_<name>`, `.database`, `.vpc_endpoints`, `.client_<name>`; a rule
 * names its group and what it admits: `aws_vpc_security_group_ingress_rule.alb_443_from_0_0_0_0_0`,
 * `.service_backend_from_alb`, `aws_vpc_security_group_egress_rule.service_backend_to_database`.
 */
export class ApplicationSecurityGroups extends Construct {
  readonly loadBalancer?: SecurityGroup;
  readonly services: Record<string, SecurityGroup> = {};
  readonly database?: SecurityGroup;
  readonly vpcEndpoints?: SecurityGroup;
  readonly clients: Record<string, SecurityGroup> = {};

  constructor(scope: Construct, id: string, props: ApplicationSecurityGroupsProps) {
    super(scope, id);
    const group = (key: string, awsName: string, description: string) =>
      new SecurityGroup(this, key, {
        name: `${props.namePrefix}-${awsName}`,
        description,
        vpcId: props.vpcId,
        tags: { Name: `${props.namePrefix}-${awsName}` },
        // Other stacks attach these groups (tasks, the load balancer, the database): a replacement could not delete
        // the old group while they use it (DependencyViolation), and a same-named one cannot exist beside it in
        // the VPC. So a changed name or description is not worth a replacement: both are kept as created (the Name
        // tag follows the configuration in place). Only a new VPC replaces the groups, new ones first.
        lifecycle: { createBeforeDestroy: true, ignoreChanges: ["name", "description"] },
      });

    if (props.loadBalancer) {
      const lb = group("alb", "alb", "Load balancer: listener ports from the allowed CIDRs");
      this.loadBalancer = lb;
      for (const { port, cidrs, prefixLists } of props.loadBalancer.listeners) {
        for (const cidr of cidrs)
          this.ingress(`alb-${port}-from-${cidr}`, lb, port, { cidrIpv4: cidr }, `listener ${port}`);
        for (const list of prefixLists ?? [])
          this.ingress(`alb-${port}-from-${list.name}`, lb, port, { prefixListId: list.id }, `listener ${port}`);
      }
    }
    for (const svc of props.services) {
      const key = `service-${svc.name}`;
      const admits =
        svc.containerPort === undefined ? "no inbound traffic" : "container port from the load balancer only";
      const sg = group(key, `svc-${svc.name}`, `Service ${svc.name}: ${admits}`);
      this.services[svc.name] = sg;
      if (this.loadBalancer && svc.containerPort !== undefined) {
        this.ingress(
          `${key}-from-alb`,
          sg,
          svc.containerPort,
          { referencedSecurityGroupId: this.loadBalancer.id },
          "from load balancer",
        );
        this.egress(
          `alb-to-${svc.name}`,
          this.loadBalancer,
          svc.containerPort,
          { referencedSecurityGroupId: sg.id },
          `to ${svc.name}`,
        );
      }
      this.egress(`${key}-to-https`, sg, 443, { cidrIpv4: "0.0.0.0/0" }, "AWS APIs and HTTPS");
    }
    if (props.databasePort !== undefined) {
      const db = group("database", "db", "Database: its port from the services that use it only");
      this.database = db;
      for (const svc of props.services.filter((s) => s.databaseAccess)) {
        const svcSg = this.services[svc.name];
        this.ingress(
          `database-from-${svc.name}`,
          db,
          props.databasePort,
          { referencedSecurityGroupId: svcSg.id },
          `from ${svc.name}`,
        );
        this.egress(
          `service-${svc.name}-to-database`,
          svcSg,
          props.databasePort,
          { referencedSecurityGroupId: db.id },
          "to database",
        );
      }
    }
    if (props.vpcEndpoints) {
      const ep = group("vpc-endpoints", "vpce", "Interface VPC endpoints: HTTPS from the VPC");
      this.vpcEndpoints = ep;
      this.ingress("vpc-endpoints-443-from-vpc", ep, 443, { cidrIpv4: props.vpcCidr }, "HTTPS from the VPC");
    }
    for (const client of props.clients ?? []) {
      if (!this.loadBalancer) throw new Error(`ApplicationSecurityGroups: client ${client.name} needs a load balancer`);
      const sg = group(`client-${client.name}`, `client-${client.name}`, client.description);
      this.clients[client.name] = sg;
      for (const port of client.ports) {
        this.egress(
          `client-${client.name}-to-alb-${port}`,
          sg,
          port,
          { referencedSecurityGroupId: this.loadBalancer.id },
          `to the load balancer on ${port}`,
        );
      }
    }
  }

  private ingress(id: string, sg: SecurityGroup, port: number, peer: Peer, description: string) {
    new VpcSecurityGroupIngressRule(this, id, tcpRule(sg, port, peer, description));
  }

  private egress(id: string, sg: SecurityGroup, port: number, peer: Peer, description: string) {
    new VpcSecurityGroupEgressRule(this, id, tcpRule(sg, port, peer, description));
  }
}

/** One TCP port to or from one peer; ingress and egress rules take the same arguments. */
function tcpRule(sg: SecurityGroup, port: number, peer: Peer, description: string) {
  return { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: port, toPort: port, description, ...peer };
}

type Peer = { cidrIpv4: string } | { referencedSecurityGroupId: string } | { prefixListId: string };
