import type { AlarmTier, MetricAlarm, StorageAlarm } from "../../schema/blueprint";
import type { Deployment } from "../../schema/resolve";

/** Values the alarms' dimensions name, known only to the stack that builds them (from upstream outputs). */
export interface MetricRefs {
  readonly clusterName: string;
  /** ECS service name of a blueprint service. */
  serviceName(service: string): string;
  /** The load balancer's `arn_suffix`. */
  readonly loadBalancerArnSuffix: string;
  /** Instance identifier (RDS) or cluster identifier (Aurora). */
  readonly databaseIdentifier: string;
  /** Identifier of the i-th Aurora instance (0: the first). */
  databaseInstanceIdentifier(index: number): string;
}

/** One alarm the blueprint asks for, in terms of the blueprint: what compute and monitoring both need to agree on. */
export interface PlannedAlarm {
  /** Construct id and the tail of the alarm name, e.g. backend-cpu-high. */
  readonly key: string;
  /** `<app>-<env>-<key>`. */
  readonly name: string;
  readonly description: string;
  readonly tier: AlarmTier;
  /**
   * Blue/green deployments roll back when the alarm fires during them: those of `service`, or of every service when
   * the alarm watches the load balancer. Default: none (the alarm is not about a release).
   */
  readonly rollback?: { readonly service?: string };
  readonly namespace: string;
  readonly metricName: string;
  readonly statistic: string;
  readonly period: number;
  readonly evaluationPeriods: number;
  /** In the metric's unit (bytes for storage). */
  readonly threshold: number;
  readonly comparisonOperator: string;
  readonly dimensions: (refs: MetricRefs) => Record<string, string> | undefined;
  /** The service whose log group's metric filter produces the metric (error-log alarms). */
  readonly logsOf?: string;
}

const GIB = 1024 ** 3;

const PHRASE: Record<string, string> = {
  GreaterThanThreshold: "above",
  GreaterThanOrEqualToThreshold: "at or above",
  LessThanThreshold: "below",
  LessThanOrEqualToThreshold: "at or below",
};

/** The error-log metrics' namespace: the blueprint's, or `<app>/<env>`. */
export function errorLogNamespace(d: Deployment): string {
  return d.spec.monitoring?.errorLogs?.metricNamespace ?? `${d.app}/${d.environment}`;
}

/** Services whose log groups get an error-log metric filter. */
export function errorLogServices(d: Deployment): string[] {
  const logs = d.spec.monitoring?.errorLogs;
  if (!logs) return [];
  return logs.services ?? d.spec.services.map((s) => s.name);
}

/**
 * Every alarm of a deployment's monitoring, in a stable order: per service CPU, memory and error logs; the load
 * balancer's 5XX count and response time; the database's connections and free storage (per Aurora instance) and the
 * Aurora volume. Alarm names are `<app>-<env>-<key>`.
 */
export function plannedAlarms(d: Deployment): PlannedAlarm[] {
  const m = d.spec.monitoring;
  if (!m) return [];
  const out: PlannedAlarm[] = [];
  const add = (
    key: string,
    what: string,
    unit: string,
    t: { tier: AlarmTier; period: number; evaluationPeriods: number; comparisonOperator?: string },
    metric: Omit<PlannedAlarm, "key" | "name" | "description" | "tier" | "period" | "evaluationPeriods"> & {
      shownThreshold: number;
    },
  ) => {
    const { shownThreshold, ...rest } = metric;
    out.push({
      ...rest,
      key,
      name: `${d.prefix}-${key}`,
      description: `${what} ${PHRASE[metric.comparisonOperator]} ${shownThreshold}${unit} (${metric.statistic}, ${t.evaluationPeriods} × ${t.period} s)`,
      tier: t.tier,
      period: t.period,
      evaluationPeriods: t.evaluationPeriods,
    });
  };
  const metricAlarm = (a: MetricAlarm, defaultStatistic: string, defaultOperator = "GreaterThanThreshold") => ({
    statistic: a.statistic ?? defaultStatistic,
    threshold: a.threshold,
    shownThreshold: a.threshold,
    comparisonOperator: a.comparisonOperator ?? defaultOperator,
  });
  const storageAlarm = (a: StorageAlarm, statistic: string, defaultOperator: string) => ({
    statistic,
    threshold: a.thresholdGiB * GIB,
    shownThreshold: a.thresholdGiB,
    comparisonOperator: a.comparisonOperator ?? defaultOperator,
  });

  for (const svc of d.spec.services) {
    const dimensions = (r: MetricRefs) => ({ ClusterName: r.clusterName, ServiceName: r.serviceName(svc.name) });
    const ecs = { namespace: "AWS/ECS", dimensions, rollback: { service: svc.name } };
    const utilization = [
      [m.cpuUtilization, "cpu", "CPU", "CPUUtilization"],
      [m.memoryUtilization, "memory", "memory", "MemoryUtilization"],
    ] as const;
    for (const [a, key, what, metricName] of utilization) {
      if (a)
        add(`${svc.name}-${key}-high`, `${svc.name}: ${what}`, "%", a, {
          ...ecs,
          metricName,
          ...metricAlarm(a, "Average"),
        });
    }
    if (m.errorLogs && errorLogServices(d).includes(svc.name)) {
      const a = m.errorLogs;
      add(`${svc.name}-error-logs`, `${svc.name}: log events matching ${a.pattern}`, "", a, {
        namespace: errorLogNamespace(d),
        metricName: `${svc.name}-error-logs`,
        dimensions: () => undefined,
        rollback: { service: svc.name },
        logsOf: svc.name,
        ...metricAlarm({ ...a, statistic: "Sum" }, "Sum"),
      });
    }
  }
  if (d.spec.loadBalancer) {
    const alb = {
      namespace: "AWS/ApplicationELB",
      dimensions: (r: MetricRefs) => ({ LoadBalancer: r.loadBalancerArnSuffix }),
      rollback: {},
    };
    const balancer = [
      [m.http5xx, "alb-target-5xx", "Target 5XX responses", "", "HTTPCode_Target_5XX_Count", "Sum"],
      [m.targetResponseTime, "alb-response-time", "Target response time", " s", "TargetResponseTime", "Average"],
    ] as const;
    for (const [a, key, what, unit, metricName, statistic] of balancer) {
      if (a) add(key, what, unit, a, { ...alb, metricName, ...metricAlarm(a, statistic) });
    }
  }
  const db = d.spec.database;
  if (db) {
    const rds = { namespace: "AWS/RDS" };
    // Aurora: one alarm per instance (max_connections and local storage are per instance); RDS: the instance.
    const instances =
      db.kind === "aurora"
        ? Array.from({ length: db.readerCount + 1 }, (_, i) => ({
            key: `database-${i + 1}`,
            dimensions: (r: MetricRefs) => ({ DBInstanceIdentifier: r.databaseInstanceIdentifier(i) }),
          }))
        : [{ key: "database", dimensions: (r: MetricRefs) => ({ DBInstanceIdentifier: r.databaseIdentifier }) }];
    for (const instance of instances) {
      if (m.databaseConnections) {
        const a = m.databaseConnections;
        add(`${instance.key}-connections`, `${instance.key}: connections`, "", a, {
          ...rds,
          dimensions: instance.dimensions,
          metricName: "DatabaseConnections",
          ...metricAlarm(a, "Maximum"),
        });
      }
      if (m.databaseFreeStorage) {
        const aurora = db.kind === "aurora";
        add(
          `${instance.key}-${aurora ? "free-local-storage" : "free-storage"}`,
          `${instance.key}: free ${aurora ? "local " : ""}storage`,
          " GiB",
          m.databaseFreeStorage,
          {
            ...rds,
            dimensions: instance.dimensions,
            metricName: aurora ? "FreeLocalStorage" : "FreeStorageSpace",
            ...storageAlarm(m.databaseFreeStorage, "Minimum", "LessThanThreshold"),
          },
        );
      }
    }
    if (m.auroraVolumeUsed && db.kind === "aurora") {
      add("database-volume-used", "Aurora cluster volume used", " GiB", m.auroraVolumeUsed, {
        ...rds,
        dimensions: (r) => ({ DBClusterIdentifier: r.databaseIdentifier }),
        metricName: "VolumeBytesUsed",
        ...storageAlarm(m.auroraVolumeUsed, "Maximum", "GreaterThanThreshold"),
      });
    }
  }
  return out;
}

/** Names of the alarms that roll back a blue/green deployment of one service. */
export function rollbackAlarmNames(d: Deployment, service: string): string[] {
  return plannedAlarms(d)
    .filter((a) => a.rollback && (a.rollback.service === undefined || a.rollback.service === service))
    .map((a) => a.name);
}
