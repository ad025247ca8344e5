import type { Service } from "../blueprint";
import type { Deployment } from "../resolve";
import { documented, type DeploymentRule, type Report } from "./types";

/*
 * A Fargate task reaches ECR (image), S3 (image layers), CloudWatch Logs (awslogs) and Secrets Manager or SSM
 * (secrets) over the network before its container starts. With no route to the internet, each of those takes a VPC
 * endpoint; without it the task never starts.
 */

const ECR_ENDPOINTS = "https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html";

type Egress = "internet" | "endpoints-only" | "none";

/** How a service's tasks reach AWS APIs. */
function egressOf(d: Deployment, svc: Service): Egress {
  const tier = svc.subnets.tier;
  if (tier === "public") return svc.assignPublicIp ? "internet" : "none";
  if (tier === "private" && d.spec.network.natGateways !== "none") return "internet";
  return "endpoints-only";
}

/** The endpoints a service without internet access needs, each with why. */
function neededEndpoints(d: Deployment, svc: Service): { service: string; gateway: boolean; why: string }[] {
  const needs = [
    { service: "ecr.api", gateway: false, why: "the image manifest (ECR API)" },
    { service: "ecr.dkr", gateway: false, why: "the image (ECR registry)" },
    { service: "s3", gateway: true, why: "the image layers, which ECR serves from S3" },
    { service: "logs", gateway: false, why: "the awslogs log driver" },
  ];
  const refs = Object.values(svc.secrets);
  if (refs.some((r) => "fromDatabase" in r || "appSecret" in r || "secretsManager" in r)) {
    needs.push({ service: "secretsmanager", gateway: false, why: "the Secrets Manager secrets ECS injects" });
  }
  const readsParameters = d.spec.ssmParameters.some((p) => p.readers.includes(svc.name));
  if (refs.some((r) => "ssmParameter" in r) || readsParameters) {
    needs.push({ service: "ssm", gateway: false, why: "the SSM parameters it reads" });
  }
  return needs;
}

function missingEndpoints(d: Deployment, svc: Service, services: readonly string[]) {
  const endpoints = d.spec.network.vpcEndpoints;
  return neededEndpoints(d, svc).filter(
    (n) =>
      services.includes(n.service) &&
      !(n.gateway ? (endpoints.gateway as readonly string[]) : (endpoints.interface as readonly string[])).includes(
        n.service,
      ),
  );
}

function endpointRule(id: string, services: readonly string[], refuses: string): DeploymentRule {
  return {
    id,
    concern: "egress",
    refuses,
    source: documented(ECR_ENDPOINTS),
    each: (d: Deployment, report: Report) => {
      d.spec.services.forEach((svc, i) => {
        if (egressOf(d, svc) !== "endpoints-only") return;
        for (const gateway of [false, true]) {
          const missing = missingEndpoints(d, svc, services).filter((m) => m.gateway === gateway);
          if (missing.length === 0) continue;
          const kind = gateway ? "gateway" : "interface";
          const where =
            svc.subnets.tier === "isolated"
              ? "isolated subnets, which have no route out"
              : "private subnets and natGateways is none";
          report(
            `network.vpcEndpoints.${kind}`,
            d.spec.network.vpcEndpoints[kind],
            `lacks ${missing.map((m) => m.service).join(", ")}: services[${i}] (${svc.name}) runs in ${where}, so its tasks reach ${missing.map((m) => m.why).join("; ")} only through VPC endpoints and cannot start. Fix: add ${missing.map((m) => JSON.stringify(m.service)).join(", ")} to network.vpcEndpoints.${kind}, or give the private subnets a NAT gateway`,
          );
        }
      });
    },
  };
}

export const EGRESS_RULES: readonly DeploymentRule[] = [
  {
    id: "egress-public-subnet-without-ip",
    concern: "egress",
    refuses:
      "CannotPullContainerError / ResourceInitializationError (i/o timeout): a task in a public subnet without a public IP has no route to ECR, S3 or CloudWatch Logs",
    source: documented("https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html"),
    each: (d, report) => {
      d.spec.services.forEach((svc, i) => {
        if (egressOf(d, svc) !== "none") return;
        report(
          `services[${i}].assignPublicIp`,
          svc.assignPublicIp,
          "leaves tasks in public subnets without a public IP: the internet gateway carries only public addresses, and gateway endpoints serve private route tables only, so the image cannot be pulled. Fix: set assignPublicIp: true, or run the service in private subnets (with NAT or VPC endpoints)",
        );
      });
    },
  },
  endpointRule(
    "egress-image-pull",
    ["ecr.api", "ecr.dkr", "s3"],
    "CannotPullContainerError: ... dial tcp ...:443: i/o timeout — Fargate (platform 1.4+) needs the ecr.api and ecr.dkr interface endpoints and the s3 gateway endpoint without NAT",
  ),
  endpointRule(
    "egress-logs",
    ["logs"],
    "ResourceInitializationError: failed to validate logger args ... dial tcp ...:443: i/o timeout (awslogs needs CloudWatch Logs)",
  ),
  endpointRule(
    "egress-secrets",
    ["secretsmanager", "ssm"],
    "ResourceInitializationError: unable to pull secrets or registry auth ... i/o timeout (secrets need the secretsmanager endpoint, parameters the ssm endpoint)",
  ),
];
