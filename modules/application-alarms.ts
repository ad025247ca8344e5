import { Construct } from "constructs";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { policyDocument } from "./iam-documents";

export interface AlarmThreshold {
  readonly threshold: number;
  /** Seconds. */
  readonly period: number;
  readonly evaluationPeriods: number;
  /** Default: Average. */
  readonly statistic?: string;
}

export interface ApplicationAlarmsProps {
  readonly topicName: string;
  /** E-mail subscribers. Default: none. */
  readonly emails?: readonly string[];
  readonly clusterName: string;
  /** ECS services to watch: the blueprint's short name (names the alarms' addresses) and the ECS service name. */
  readonly services: readonly { readonly key: string; readonly serviceName: string }[];
  /** ALB `arn_suffix`, for the load balancer alarms. Default: no ALB alarms. */
  readonly loadBalancerArnSuffix?: string;
  readonly cpuUtilization?: AlarmThreshold;
  readonly memoryUtilization?: AlarmThreshold;
  readonly http5xx?: AlarmThreshold;
  readonly targetResponseTime?: AlarmThreshold;
  /**
   * Encrypt the topic with a customer-managed KMS key of this construct whose policy lets CloudWatch alarms publish,
   * owned by this account id. Default: the AWS-managed alias/aws/sns key (whose policy CloudWatch cannot use).
   */
  readonly customerManagedKey?: { readonly accountId: string };
}

/**
 * An encrypted SNS topic and the alarms that notify it: per service ECS CPU and memory utilization, and for the load
 * balancer target 5XX count and response time. Missing data is "not breaching" so a scaled-to-zero service is quiet.
 * The topic, its key and alias take the construct's name (`aws_sns_topic.alarms`); alarms are named by what they
 * watch (`aws_cloudwatch_metric_alarm.backend_cpu_high`, `alb_target_5xx`).
 */
export class ApplicationAlarms extends Construct {
  readonly topic: SnsTopic;
  readonly alarms: CloudwatchMetricAlarm[] = [];
  readonly key?: KmsKey;

  constructor(scope: Construct, id: string, props: ApplicationAlarmsProps) {
    super(scope, id);
    this.key = props.customerManagedKey && this.topicKey(props.topicName, props.customerManagedKey.accountId);
    this.topic = new SnsTopic(this, "this-topic", {
      name: props.topicName,
      kmsMasterKeyId: this.key ? this.key.arn : "alias/aws/sns",
    });
    (props.emails ?? []).forEach(
      (email, i) =>
        new SnsTopicSubscription(this, `email-${i + 1}`, {
          topicArn: this.topic.arn,
          protocol: "email",
          endpoint: email,
        }),
    );
    const alarm = (key: string, nameKey: string, description: string, t: AlarmThreshold, metric: MetricRef) =>
      this.alarms.push(
        new CloudwatchMetricAlarm(this, key, {
          alarmName: `${props.topicName.replace(/-alarms$/, "")}-${nameKey}`,
          alarmDescription: description,
          namespace: metric.namespace,
          metricName: metric.name,
          dimensions: metric.dimensions,
          statistic: (t.statistic ?? metric.statistic).startsWith("p") ? undefined : (t.statistic ?? metric.statistic),
          extendedStatistic: (t.statistic ?? "").startsWith("p") ? t.statistic : undefined,
          period: t.period,
          evaluationPeriods: t.evaluationPeriods,
          threshold: t.threshold,
          comparisonOperator: "GreaterThanThreshold",
          treatMissingData: "notBreaching",
          alarmActions: [this.topic.arn],
          okActions: [this.topic.arn],
        }),
      );
    for (const { key, serviceName: service } of props.services) {
      const dimensions = { ClusterName: props.clusterName, ServiceName: service };
      if (props.cpuUtilization) {
        const description = `${service}: CPU above ${props.cpuUtilization.threshold}%`;
        alarm(`${key}-cpu-high`, `${service}-cpu-high`, description, props.cpuUtilization, {
          namespace: "AWS/ECS",
          name: "CPUUtilization",
          statistic: "Average",
          dimensions,
        });
      }
      if (props.memoryUtilization) {
        alarm(
          `${key}-memory-high`,
          `${service}-memory-high`,
          `${service}: memory above ${props.memoryUtilization.threshold}%`,
          props.memoryUtilization,
          {
            namespace: "AWS/ECS",
            name: "MemoryUtilization",
            statistic: "Average",
            dimensions,
          },
        );
      }
    }
    if (props.loadBalancerArnSuffix) {
      const dimensions = { LoadBalancer: props.loadBalancerArnSuffix };
      if (props.http5xx) {
        alarm(
          "alb-target-5xx",
          "alb-target-5xx",
          `Targets answered more than ${props.http5xx.threshold} 5XX`,
          props.http5xx,
          {
            namespace: "AWS/ApplicationELB",
            name: "HTTPCode_Target_5XX_Count",
            statistic: "Sum",
            dimensions,
          },
        );
      }
      if (props.targetResponseTime) {
        alarm(
          "alb-response-time",
          "alb-response-time",
          `Target response time above ${props.targetResponseTime.threshold}s`,
          props.targetResponseTime,
          {
            namespace: "AWS/ApplicationELB",
            name: "TargetResponseTime",
            statistic: "Average",
            dimensions,
          },
        );
      }
    }
  }

  /**
   * CloudWatch alarms publish to an encrypted topic only when the key policy lets cloudwatch.amazonaws.com use the
   * key; AWS-managed keys' policies cannot be changed, hence a key of our own (rotated yearly). The account keeps
   * administering it; the service may only encrypt for this account's alarms (aws:SourceAccount).
   */
  private topicKey(topicName: string, accountId: string): KmsKey {
    const key = new KmsKey(this, "this-key", {
      description: `Encrypts SNS topic ${topicName} (CloudWatch alarms may publish)`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyDocument(this, "key-policy", [
        {
          sid: "AccountAdministersKey",
          actions: ["kms:*"],
          resources: ["*"],
          principals: [{ type: "AWS", identifiers: [`arn:aws:iam::${accountId}:root`] }],
        },
        {
          sid: "CloudWatchAlarmsPublish",
          actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
          resources: ["*"],
          principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
          conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] }],
        },
      ]),
    });
    new KmsAlias(this, "this-alias", { name: `alias/${topicName}`, targetKeyId: key.keyId });
    return key;
  }
}

interface MetricRef {
  readonly namespace: string;
  readonly name: string;
  readonly statistic: string;
  readonly dimensions: Record<string, string>;
}
