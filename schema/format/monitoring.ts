import { z } from "zod";
import { kebabName } from "../primitives";

/* Alarms, the topics they notify by tier, the error-log metric and the dashboard (the `monitoring` stack). */

/** Which topic an alarm notifies: critical pages (the topic of `topicName`/`emails`), warning does not. */
export const ALARM_TIERS = ["critical", "warning"] as const;
export type AlarmTier = (typeof ALARM_TIERS)[number];

export const COMPARISON_OPERATORS = [
  "GreaterThanThreshold",
  "GreaterThanOrEqualToThreshold",
  "LessThanThreshold",
  "LessThanOrEqualToThreshold",
] as const;

/** What every alarm says besides its threshold: how long, how often, how compared, and whom it tells. */
const alarmTimingSchema = z.strictObject({
  /** Seconds. Default: 300. */
  period: z.number().int().min(10).default(300),
  /** Default: 2. */
  evaluationPeriods: z.number().int().min(1).default(2),
  /** Topic tier the alarm notifies (warning needs monitoring.warning). Default: critical. */
  tier: z.enum(ALARM_TIERS).default("critical"),
  /**
   * How the statistic is compared with the threshold (GreaterThanOrEqualToThreshold fires at the threshold itself).
   * Default: GreaterThanThreshold; LessThanThreshold for free storage.
   */
  comparisonOperator: z.enum(COMPARISON_OPERATORS).optional(),
});

const metricAlarmSchema = alarmTimingSchema.extend({
  threshold: z.number(),
  /** Default: Average (Sum for counts, Maximum for database connections). */
  statistic: z.enum(["Average", "Sum", "Maximum", "Minimum", "p99", "p95", "p90"]).optional(),
});
export type MetricAlarm = z.infer<typeof metricAlarmSchema>;

const storageAlarmSchema = alarmTimingSchema.extend({
  /** GiB: free space below it (or used space above it, for the Aurora volume) raises the alarm. */
  thresholdGiB: z.number().positive(),
});
export type StorageAlarm = z.infer<typeof storageAlarmSchema>;

/** CloudWatch namespaces: letters, digits and . - _ / # : space; never AWS/ (reserved for AWS services). */
const metricNamespace = z.string().regex(/^(?!AWS\/)[A-Za-z0-9.\-_/#: ]{1,255}$/, {
  error: "is not a custom metric namespace. Fix: use letters, digits and . - _ / # : (not starting with AWS/)",
});

const errorLogsSchema = alarmTimingSchema.extend({
  /**
   * CloudWatch Logs filter pattern; each matching log event counts one. Default: `?ERROR ?CRITICAL ?FATAL` (an event
   * holding any of the words: ERROR level and above as most loggers print it).
   */
  pattern: z.string().min(1).max(1024).default("?ERROR ?CRITICAL ?FATAL"),
  /** Namespace of the metrics (one per service, `<service>-error-logs`). Default: `<app>/<env>`. */
  metricNamespace: metricNamespace.optional(),
  /** Services whose log groups are filtered. Default: every service. */
  services: z.array(kebabName("service name", 24)).min(1).optional(),
  /** Matching events per period; with the default comparison the first error of a period raises it. Default: 0. */
  threshold: z.number().min(0).default(0),
  /** Default: 1 (one period with errors is enough). */
  evaluationPeriods: z.number().int().min(1).default(1),
});

/** CloudWatch dashboard names: letters, digits, - and _ (the runbooks' MarkMail-dev has capitals). */
const dashboardName = z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, {
  error: "is not a CloudWatch dashboard name. Fix: use 1-255 letters, digits, - and _",
});

export const monitoringSchema = z.strictObject({
  /** SNS topic of the critical tier, which every alarm notifies unless it says tier: warning. Default: `<app>-<env>-alarms`. */
  topicName: kebabName("SNS topic name", 256).optional(),
  /** E-mail subscriptions of the critical topic (confirmed by the recipient). Default: none. */
  emails: z.array(z.email()).default([]),
  /**
   * A second topic for alarms of tier warning: what should be looked at, not paged on. Default: none (every alarm is
   * critical; an alarm of tier warning needs it).
   */
  warning: z
    .strictObject({
      /** Default: `<app>-<env>-warnings`. */
      topicName: kebabName("SNS topic name", 256).optional(),
      /** E-mail subscriptions (confirmed by the recipient). Default: none. */
      emails: z.array(z.email()).default([]),
    })
    .optional(),
  /** Per-service ECS CPUUtilization alarm (%). Default: none. */
  cpuUtilization: metricAlarmSchema.optional(),
  /** Per-service ECS MemoryUtilization alarm (%). Default: none. */
  memoryUtilization: metricAlarmSchema.optional(),
  /** ALB HTTPCode_Target_5XX_Count alarm (count per period). Default: none. */
  http5xx: metricAlarmSchema.optional(),
  /** ALB TargetResponseTime alarm (seconds). Default: none. */
  targetResponseTime: metricAlarmSchema.optional(),
  /**
   * DatabaseConnections of the RDS instance, or of each Aurora instance (max_connections is per instance; its default
   * is LEAST(DBInstanceClassMemory/9531392, 5000), so size the threshold from the class). Default: none.
   */
  databaseConnections: metricAlarmSchema.optional(),
  /**
   * Free storage of the database: FreeStorageSpace of an RDS instance; FreeLocalStorage of each Aurora instance (its
   * local disk for temporary files and logs, the one an Aurora instance can fill; the cluster volume grows by itself).
   * Default: none.
   */
  databaseFreeStorage: storageAlarmSchema.optional(),
  /** Aurora only: VolumeBytesUsed of the cluster volume above thresholdGiB (growth and cost). Default: none. */
  auroraVolumeUsed: storageAlarmSchema.optional(),
  /** A metric filter on each service's log group counting error lines, with an alarm per service. Default: none. */
  errorLogs: errorLogsSchema.optional(),
  /**
   * A CloudWatch dashboard of the environment: ECS CPU and memory per service, the load balancer's requests, 5XX and
   * response time, the database's connections, CPU and free storage, the error-log metrics and the alarms' states.
   * Default: none.
   */
  dashboard: z
    .strictObject({
      /** Default: `<app>-<env>`. */
      name: dashboardName.optional(),
      /** Seconds each data point of the graphs spans. Default: 300. */
      period: z.number().int().min(60).default(300),
    })
    .optional(),
  /**
   * Key that encrypts the alarm topics. aws-managed: alias/aws/sns, whose fixed key policy does not let CloudWatch
   * alarms publish (their notifications are dropped); customer-managed: a KMS key of the monitoring stack, with
   * rotation, whose policy admits cloudwatch.amazonaws.com. Default: customer-managed (alarms that cannot notify are no
   * alarms).
   */
  topicEncryption: z.enum(["aws-managed", "customer-managed"]).default("customer-managed"),
});
