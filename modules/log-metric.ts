import { Construct } from "constructs";
import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";

export interface LogMetricProps {
  /** Log group whose events are matched (it must exist: the filter is created on it). */
  readonly logGroupName: string;
  /** CloudWatch Logs filter pattern. */
  readonly pattern: string;
  /** Custom metric namespace (never AWS/...). */
  readonly namespace: string;
  readonly metricName: string;
}

/**
 * A CloudWatch Logs metric filter that counts the log events matching a pattern as a custom metric (1 per event).
 * Nothing is published while nothing matches, so alarms on it treat missing data as "no errors". The filter takes the
 * construct's name (`aws_cloudwatch_log_metric_filter.<id>`) and the metric's name.
 */
export class LogMetric extends Construct {
  readonly filter: CloudwatchLogMetricFilter;
  readonly namespace: string;
  readonly metricName: string;

  constructor(scope: Construct, id: string, props: LogMetricProps) {
    super(scope, id);
    this.namespace = props.namespace;
    this.metricName = props.metricName;
    this.filter = new CloudwatchLogMetricFilter(this, "this-filter", {
      name: props.metricName,
      logGroupName: props.logGroupName,
      pattern: props.pattern,
      metricTransformation: { namespace: props.namespace, name: props.metricName, value: "1", unit: "Count" },
    });
  }
}
