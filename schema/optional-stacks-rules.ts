import type { Spec } from "./blueprint";
import { AL2023_X86_64_PARAMETER } from "./format/bastion";
import { selectSubnets } from "./subnets";

type Report = (path: string, value: unknown, message: string) => void;

/**
 * Cross-field rules of the optional stacks' fields (monitoring, bastion, CloudFront): alarms name a tier that has a
 * topic and watch what exists, the error-log filter names real services, a bastion has a database to reach and a way
 * to Session Manager, and CloudFront has a public name and an HTTPS origin to serve.
 */
export function checkOptionalStacks(spec: Spec, report: Report): void {
  checkMonitoring(spec, report);
  checkBastion(spec, report);
  checkCloudFront(spec, report);
}

function checkCloudFront(spec: Spec, report: Report): void {
  const cf = spec.cloudFront;
  if (!cf) return;
  const lb = spec.loadBalancer;
  if (!lb || lb.scheme !== "internet-facing" || lb.https?.certificate.source !== "dns") {
    report(
      "cloudFront",
      "(set)",
      "needs an internet-facing load balancer with an HTTPS listener whose certificate is issued through dns (CloudFront reaches it over HTTPS for the same names, and its own certificate is validated by the same records). Fix: set loadBalancer.https.certificate.source to dns",
    );
  }
  if (lb?.ingressCidrs) {
    report(
      "loadBalancer.ingressCidrs",
      lb.ingressCidrs,
      "would let other clients past CloudFront: with cloudFront the load balancer admits CloudFront's origin-facing servers only. Fix: remove ingressCidrs",
    );
  }
  const records = spec.dns && !spec.dns.private ? spec.dns.records.map((r) => r.name) : [];
  if (records.length === 0) {
    report(
      "cloudFront",
      "(set)",
      "serves no name: it needs dns.records in a public zone. Fix: add a public dns zone with records",
    );
  }
  (cf.records ?? []).forEach((name, i) => {
    if (!records.includes(name)) {
      report(
        `cloudFront.records[${i}]`,
        name,
        `is not one of dns.records (${records.map((r) => JSON.stringify(r)).join(", ") || "none"}). Fix: use a record name`,
      );
    }
  });
  cf.uncachedPaths.forEach((p, i) => {
    if (cf.uncachedPaths.indexOf(p) !== i) {
      report(`cloudFront.uncachedPaths[${i}]`, p, "duplicates another path pattern. Fix: remove it");
    }
  });
}

/** Interface endpoints Session Manager needs when there is no NAT route. */
const SESSION_MANAGER_ENDPOINTS = ["ssm", "ssmmessages", "ec2messages"] as const;

function checkBastion(spec: Spec, report: Report): void {
  const b = spec.bastion;
  if (!b) return;
  if (!spec.database) {
    report("bastion", "(set)", "has no database to reach. Fix: add database or remove bastion");
  }
  const selector = b.subnets ?? { tier: "private" as const };
  if (selector.tier === "public") {
    report("bastion.subnets.tier", "public", "would put the bastion in a public subnet. Fix: use private or isolated");
    return;
  }
  if (selectSubnets(spec.network.subnets, selector).length === 0) {
    report("bastion.subnets", selector, "selects no subnet. Fix: declare a subnet of that tier or change the selector");
    return;
  }
  const nat = selector.tier === "private" && spec.network.natGateways !== "none";
  const missing = SESSION_MANAGER_ENDPOINTS.filter((e) => !spec.network.vpcEndpoints.interface.includes(e));
  if (!nat && missing.length > 0) {
    report(
      "bastion",
      "(set)",
      `cannot reach Session Manager from ${selector.tier} subnets without NAT: the VPC lacks the interface endpoints ${missing.join(", ")}. Fix: add them to network.vpcEndpoints.interface${selector.tier === "private" ? " or set network.natGateways" : ""}`,
    );
  }
  if (/^[a-z]+\d+[a-z]*g[a-z]*\./.test(b.instanceType) && b.imageParameter === AL2023_X86_64_PARAMETER) {
    report(
      "bastion.instanceType",
      b.instanceType,
      "is an arm64 (Graviton) type, but the image is x86_64. Fix: use an x86_64 type such as t3.micro or set imageParameter to /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
    );
  }
}

const ALARM_FIELDS = [
  "cpuUtilization",
  "memoryUtilization",
  "http5xx",
  "targetResponseTime",
  "databaseConnections",
  "databaseFreeStorage",
  "auroraVolumeUsed",
  "errorLogs",
] as const;

function checkMonitoring(spec: Spec, report: Report): void {
  const m = spec.monitoring;
  if (!m) return;
  for (const field of ALARM_FIELDS) {
    const alarm = m[field];
    if (alarm?.tier === "warning" && !m.warning) {
      report(
        `monitoring.${field}.tier`,
        "warning",
        "names the warning tier, which has no topic. Fix: add monitoring.warning or use tier critical",
      );
    }
  }
  for (const field of ["http5xx", "targetResponseTime"] as const) {
    if (m[field] && !spec.loadBalancer) {
      report(`monitoring.${field}`, m[field], "watches a load balancer the blueprint lacks. Fix: remove it");
    }
  }
  for (const field of ["databaseConnections", "databaseFreeStorage", "auroraVolumeUsed"] as const) {
    if (m[field] && !spec.database) {
      report(`monitoring.${field}`, m[field], "watches a database the blueprint lacks. Fix: remove it or add database");
    }
  }
  if (m.auroraVolumeUsed && spec.database && spec.database.kind !== "aurora") {
    report(
      "monitoring.auroraVolumeUsed",
      m.auroraVolumeUsed,
      "applies to Aurora only (an RDS instance's disk is databaseFreeStorage). Fix: use databaseFreeStorage",
    );
  }
  const services = spec.services.map((s) => s.name);
  (m.errorLogs?.services ?? []).forEach((name, i) => {
    if (!services.includes(name)) {
      report(`monitoring.errorLogs.services[${i}]`, name, `names no service. Fix: use one of ${services.join(", ")}`);
    }
  });
  if (m.warning?.topicName !== undefined && m.warning.topicName === m.topicName) {
    report(
      "monitoring.warning.topicName",
      m.warning.topicName,
      "is also the critical topic. Fix: give it its own name",
    );
  }
}
