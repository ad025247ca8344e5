import type { Spec } from "./blueprint";

type Report = (path: string, value: unknown, message: string) => void;

/**
 * Cross-field rules of the operations fields: alarms name a tier that has a topic and watch what exists, the
 * error-log filter names real services.
 */
export function checkOperations(spec: Spec, report: Report): void {
  checkMonitoring(spec, report);
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
