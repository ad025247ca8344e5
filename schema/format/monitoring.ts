import { z } from "zod";
import { kebabName } from "../primitives";

/* Alarms and where they notify. */

const metricAlarmSchema = z.strictObject({
  threshold: z.number(),
  /** Seconds. Default: 300. */
  period: z.number().int().min(10).default(300),
  /** Default: 2. */
  evaluationPeriods: z.number().int().min(1).default(2),
  /** Default: Average (Sum for counts). */
  statistic: z.enum(["Average", "Sum", "Maximum", "Minimum", "p99", "p95", "p90"]).optional(),
});
export type MetricAlarm = z.infer<typeof metricAlarmSchema>;

export const monitoringSchema = z.strictObject({
  /** SNS topic for alarm notifications. Default: `<app>-<env>-alarms`. */
  topicName: kebabName("SNS topic name", 256).optional(),
  /** E-mail subscriptions (confirmed by the recipient). Default: none. */
  emails: z.array(z.email()).default([]),
  /** Per-service ECS CPUUtilization alarm (%). Default: none. */
  cpuUtilization: metricAlarmSchema.optional(),
  /** Per-service ECS MemoryUtilization alarm (%). Default: none. */
  memoryUtilization: metricAlarmSchema.optional(),
  /** ALB HTTPCode_Target_5XX_Count alarm (count per period). Default: none. */
  http5xx: metricAlarmSchema.optional(),
  /** ALB TargetResponseTime alarm (seconds). Default: none. */
  targetResponseTime: metricAlarmSchema.optional(),
  /**
   * Key that encrypts the alarm topic. aws-managed: alias/aws/sns, whose fixed key policy does not let CloudWatch
   * alarms publish (their notifications are dropped); customer-managed: a KMS key of this stack, with rotation, whose
   * policy admits cloudwatch.amazonaws.com. Default: customer-managed (alarms that cannot notify are no alarms).
   */
  topicEncryption: z.enum(["aws-managed", "customer-managed"]).default("customer-managed"),
});
