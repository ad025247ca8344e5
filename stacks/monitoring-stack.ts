import { accountInArn } from "../modules/arn";
import { alarmTopicKeyAlias, alarmTopicName, warningTopicName } from "../schema/names";
import { Construct } from "constructs";
import { Fn } from "cdktf";
import type { Deployment } from "../schema/resolve";
import { AlarmTopics } from "../modules/alarm-topics";
import { MetricAlarms, type MetricAlarmDefinition } from "../modules/metric-alarms";
import { LogMetric } from "../modules/log-metric";
import { Dashboard } from "../modules/dashboard";
import { BlueprintStack, type BlueprintStackProps, type UpstreamOutputs } from "./blueprint-stack";
import type { ComputeStack } from "./compute-stack";
import type { DataStack } from "./data-stack";
import { errorLogNamespace, errorLogServices, plannedAlarms, type MetricRefs } from "./monitoring/alarm-catalog";
import { dashboardWidgets } from "./monitoring/dashboard-widgets";

export interface MonitoringUpstreams {
  readonly compute: ComputeStack;
  /** The database the database alarms and graphs watch. Default: none. */
  readonly data?: DataStack;
}

/**
 * Alarm topics by tier (critical pages, warning does not), the alarms on the services, the load balancer, the
 * database and the services' error logs, and the environment's dashboard. After compute and data, whose resources
 * it watches. Blue/green deployment groups in compute name their rollback alarms before this stack creates them:
 * CodeDeploy checks the alarms while a deployment runs, not when the group is created, and every deployment comes
 * after the stacks are applied.
 */
export class MonitoringStack extends BlueprintStack {
  constructor(scope: Construct, id: string, d: Deployment, base: BlueprintStackProps, up: MonitoringUpstreams) {
    super(scope, id, base);
    const monitoring = d.spec.monitoring!;
    const compute = this.fromStack(up.compute);
    // Read the data stack only when an alarm or the dashboard watches the database (no idle remote state).
    const data = () => this.fromStack(up.data!);
    const criticalTopic = alarmTopicName(d);
    const topics = new AlarmTopics(this, "alerts", {
      topics: [
        { tier: "critical", name: criticalTopic, emails: monitoring.emails },
        ...(monitoring.warning
          ? [
              {
                tier: "warning",
                name: warningTopicName(d),
                emails: monitoring.warning.emails,
              },
            ]
          : []),
      ],
      customerManagedKey:
        monitoring.topicEncryption === "customer-managed"
          ? {
              // Without a configured account id, take it from an ARN upstream created: aws_caller_identity would
              // need AWS credentials at plan time.
              accountId: d.accountId ?? accountInArn(compute.string("cluster_arn")),
              aliasName: alarmTopicKeyAlias(d).replace(/^alias\//, ""),
            }
          : undefined,
    });

    const refs = metricRefs(compute, data);
    const logMetrics = new Map(
      errorLogServices(d).map((service) => [
        service,
        new LogMetric(this, `${service}-errors`, {
          logGroupName: compute.entry("log_group_names", service),
          pattern: monitoring.errorLogs!.pattern,
          namespace: errorLogNamespace(d),
          metricName: `${service}-error-logs`,
        }),
      ]),
    );
    const definitions: MetricAlarmDefinition[] = plannedAlarms(d).map((a) => ({
      key: a.key,
      name: a.name,
      description: a.description,
      namespace: a.namespace,
      metricName: a.metricName,
      dimensions: a.dimensions(refs),
      statistic: a.statistic,
      period: a.period,
      evaluationPeriods: a.evaluationPeriods,
      threshold: a.threshold,
      comparisonOperator: a.comparisonOperator,
      topicArn: topics.arnOf(a.tier),
      dependsOn: a.logsOf ? [logMetrics.get(a.logsOf)!.filter] : undefined,
    }));
    const alarms = new MetricAlarms(this, "this-alarms", { alarms: definitions });

    this.publish("alarm_topic_arn", "string", topics.arnOf("critical"), "SNS topic of the critical alarms (paging)");
    if (monitoring.warning) {
      this.publish("warning_topic_arn", "string", topics.arnOf("warning"), "SNS topic of the warning alarms");
    }
    if (definitions.length > 0) {
      this.publish(
        "alarm_names",
        "map",
        Object.fromEntries(definitions.map((a) => [a.key, a.name])),
        "CloudWatch alarm name of each alarm, by key (<service>-cpu-high, alb-target-5xx, ...)",
      );
    }
    if (monitoring.dashboard) {
      const name = monitoring.dashboard.name ?? d.prefix;
      new Dashboard(this, "dashboard", {
        name,
        region: d.region,
        period: monitoring.dashboard.period,
        widgets: dashboardWidgets(
          d,
          refs,
          [...alarms.alarms.values()].map((a) => a.arn),
        ),
      });
      this.publish("dashboard_name", "string", name, "CloudWatch dashboard of the environment");
      this.publish(
        "dashboard_url",
        "string",
        `https://console.aws.amazon.com/cloudwatch/home?region=${d.region}#dashboards:name=${name}`,
        "Console URL of the dashboard",
      );
    }
  }
}

/** Dimension values from the upstream stacks' outputs; a value the deployment lacks is never asked for. */
function metricRefs(compute: UpstreamOutputs, data: () => UpstreamOutputs): MetricRefs {
  return {
    clusterName: compute.string("cluster_name"),
    serviceName: (service) => compute.entry("service_names", service),
    get loadBalancerArnSuffix() {
      return compute.string("alb_arn_suffix");
    },
    get databaseIdentifier() {
      return data().string("db_identifier");
    },
    databaseInstanceIdentifier: (i) => Fn.element(data().list("db_instance_identifiers"), i),
  };
}
