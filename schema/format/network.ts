import { z } from "zod";
import { cidrBlock, kebabName, logRetentionDays, port, subnetSelector, subnetTier } from "../primitives";

/* The VPC: CIDRs, subnets in three tiers, NAT or VPC endpoints, flow logs, client security groups. */

export const subnetSchema = z.strictObject({
  /** public: route to the internet gateway; private: route to a NAT gateway (if any); isolated: no route out. */
  tier: subnetTier,
  /** Must lie inside the VPC CIDR and overlap no other subnet. */
  cidr: cidrBlock,
  /** Availability zone, e.g. ap-northeast-1a; must be one of the environment's availabilityZones. */
  az: z.string(),
  /** Name suffix for the Name tag. Default: `<tier>-<az suffix>`. */
  name: kebabName("subnet name", 40).optional(),
});

export const INTERFACE_ENDPOINT_SERVICES = [
  "ecr.api",
  "ecr.dkr",
  "logs",
  "ssm",
  "ssmmessages",
  "ec2messages",
  "secretsmanager",
  "kms",
  "sts",
  "monitoring",
] as const;
export const clientSecurityGroupSchema = z.strictObject({
  /** Short name; the group is named `<app>-<env>-client-<name>`. */
  name: kebabName("client group name", 40),
  /** Who uses the group. Default: "Client of the load balancer". */
  description: z.string().min(1).max(255).optional(),
  /** Listener ports the client may reach. Default: every listener port. */
  loadBalancerPorts: z.array(port).min(1).optional(),
});

export const networkSchema = z.strictObject({
  /** VPC CIDR block. */
  cidr: cidrBlock,
  /** Subnets with explicit CIDRs and AZs (nothing is computed, so a plan never moves a subnet). */
  subnets: z.array(subnetSchema).min(1, { error: "is empty. Fix: declare at least one subnet" }),
  /**
   * NAT gateways for private subnets. none: private subnets reach AWS only through VPC endpoints; single: one NAT
   * gateway in the first public subnet; per-az: one per AZ that has a public subnet. Default: none.
   */
  natGateways: z.enum(["none", "single", "per-az"]).default("none"),
  /** VPC endpoints, so that tasks reach AWS APIs without NAT. Default: none. */
  vpcEndpoints: z
    .strictObject({
      /** Interface endpoints (com.amazonaws.<region>.<service>). Default: []. */
      interface: z.array(z.enum(INTERFACE_ENDPOINT_SERVICES)).default([]),
      /** Gateway endpoints, attached to every private and isolated route table. Default: []. */
      gateway: z.array(z.enum(["s3", "dynamodb"])).default([]),
      /** Subnets for the interface endpoints' network interfaces. Default: every private subnet. */
      subnets: subnetSelector.optional(),
    })
    .default({ interface: [], gateway: [] }),
  /** VPC flow logs to CloudWatch Logs. Default: enabled, ALL traffic, 90 days. */
  flowLogs: z
    .strictObject({
      enabled: z.boolean().default(true),
      trafficType: z.enum(["ALL", "ACCEPT", "REJECT"]).default("ALL"),
      retentionDays: logRetentionDays.default(90),
    })
    .default({ enabled: true, trafficType: "ALL", retentionDays: 90 }),
  /**
   * Security groups for clients that live outside the blueprint (an EC2 host, a Nitro Enclave ...) and call the
   * load balancer: each may leave only to the load balancer's group, on its listener ports. Attach them to the
   * client's network interface. Default: [].
   */
  clientSecurityGroups: z.array(clientSecurityGroupSchema).default([]),
});
