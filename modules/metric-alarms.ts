import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";

/** One alarm on one CloudWatch metric. */
export interface MetricAlarmDefinition {
  /** Construct id, and so the address: `aws_cloudwatch_metric_alarm.<key in snake case>`. */
  readonly key: string;
  /** Alarm name (unique in the account and region). */
  readonly name: string;
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  /** Default: none. */
  readonly dimensions?: Record<string, string>;
  /** Average, Sum, Maximum, Minimum, SampleCount, or a percentile such as p95. */
  readonly statistic: string;
  /** Seconds. */
  readonly period: number;
  readonly evaluationPeriods: number;
  /** In the metric's unit (bytes for storage metrics). */
  readonly threshold: number;
  readonly comparisonOperator: string;
  /** Topic notified on ALARM and on the return to OK. */
  readonly topicArn: string;
  /** Resources the metric comes from that Terraform cannot see it depends on (a metric filter). Default: none. */
  readonly dependsOn?: ITerraformDependable[];
}

export interface MetricAlarmsProps {
  readonly alarms: readonly MetricAlarmDefinition[];
}

/**
 * CloudWatch alarms that notify a topic when they fire and when they recover. Missing data is "not breaching": a
 * scaled-to-zero service, an idle log group or a stopped instance stays quiet instead of alarming.
 */
export class MetricAlarms extends Construct {
  readonly alarms = new Map<string, CloudwatchMetricAlarm>();

  constructor(scope: Construct, id: string, props: MetricAlarmsProps) {
    super(scope, id);
    for (const a of props.alarms) {
      const percentile = /^p\d+(\.\d+)?$/.test(a.statistic);
      this.alarms.set(
        a.key,
        new CloudwatchMetricAlarm(this, a.key, {
          alarmName: a.name,
          alarmDescription: a.description,
          namespace: a.namespace,
          metricName: a.metricName,
          dimensions: a.dimensions,
          statistic: percentile ? undefined : a.statistic,
          extendedStatistic: percentile ? a.statistic : undefined,
          period: a.period,
          evaluationPeriods: a.evaluationPeriods,
          threshold: a.threshold,
          comparisonOperator: a.comparisonOperator,
          treatMissingData: "notBreaching",
          alarmActions: [a.topicArn],
          okActions: [a.topicArn],
          dependsOn: a.dependsOn,
        }),
      );
    }
  }
}
