import type { Rule } from "../types";
import { attachedTo, block } from "../resources";

/** Ports a public load balancer may open to the whole internet. */
const WEB_PORTS = new Set([80, 443]);
const ANYWHERE = new Set(["0.0.0.0/0", "::/0"]);

function openToWorld(cidrs: unknown[]): boolean {
  return cidrs.some((c) => typeof c === "string" && ANYWHERE.has(c));
}

function webOnly(from: unknown, to: unknown): boolean {
  return from === to && WEB_PORTS.has(Number(from));
}

export const NETWORK_RULES: Rule[] = [
  {
    id: "vpc-flow-logs",
    title: "VPC flow logs are enabled",
    severity: "high",
    resourceType: "aws_vpc",
    checkov: ["CKV2_AWS_11"],
    fsbp: "EC2.6",
    check: (_vpc, ctx, name) =>
      attachedTo(ctx, "aws_flow_log", "vpc_id", { type: "aws_vpc", name }).length > 0
        ? undefined
        : "no aws_flow_log records this VPC's traffic",
  },
  {
    id: "default-sg-closed",
    title: "The VPC's default security group allows nothing",
    severity: "high",
    resourceType: "aws_vpc",
    checkov: ["CKV2_AWS_12"],
    fsbp: "EC2.2",
    check: (_vpc, ctx, name) => {
      const [group] = attachedTo(ctx, "aws_default_security_group", "vpc_id", { type: "aws_vpc", name });
      if (!group) return "the default security group is not managed, so it keeps AWS's allow-all-within rules";
      const rules = [...(group.ingress ?? []), ...(group.egress ?? [])];
      return rules.length === 0 ? undefined : `the default security group has ${rules.length} rule(s)`;
    },
  },
  {
    id: "sg-open-ingress",
    title: "No ingress from 0.0.0.0/0 except HTTP/HTTPS to a load balancer",
    severity: "high",
    resourceType: "aws_vpc_security_group_ingress_rule",
    checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"],
    fsbp: "EC2.18, EC2.19",
    note: "80 and 443 from anywhere are what an internet-facing ALB is for; any other port open to the world fails.",
    check: (rule) =>
      openToWorld([rule.cidr_ipv4, rule.cidr_ipv6]) && !webOnly(rule.from_port, rule.to_port)
        ? `ports ${rule.from_port}-${rule.to_port}/${rule.ip_protocol} are open to the internet`
        : undefined,
  },
  {
    id: "sg-open-ingress-inline",
    title: "No inline ingress from 0.0.0.0/0 except HTTP/HTTPS",
    severity: "high",
    resourceType: "aws_security_group",
    checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"],
    fsbp: "EC2.18, EC2.19",
    check: (group) => {
      const open = ([] as Record<string, unknown>[])
        .concat(group.ingress ?? [])
        .filter((i) =>
          openToWorld([...((i.cidr_blocks as unknown[]) ?? []), ...((i.ipv6_cidr_blocks as unknown[]) ?? [])]),
        )
        .filter((i) => !webOnly(i.from_port, i.to_port));
      return open.length > 0 ? `${open.length} inline ingress rule(s) open other ports to the internet` : undefined;
    },
  },
  {
    id: "ecs-no-public-ip",
    title: "ECS services do not give tasks public IPs",
    severity: "high",
    resourceType: "aws_ecs_service",
    checkov: ["CKV_AWS_333"],
    fsbp: "ECS.2",
    check: (service) =>
      block(service.network_configuration)?.assign_public_ip === true ? "tasks get public IP addresses" : undefined,
  },
];
