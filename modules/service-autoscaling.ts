import { Construct } from "constructs";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";

export interface ServiceAutoscalingProps {
  readonly clusterName: string;
  readonly serviceName: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Average CPU (%) to hold. Default: none. */
  readonly cpuTargetPercent?: number;
  /** Average memory (%) to hold. Default: none. */
  readonly memoryTargetPercent?: number;
  /** ALB requests per task; needs `requestCountResourceLabel`. Default: none. */
  readonly requestsPerTarget?: number;
  /** `<alb arn suffix>/<target group arn suffix>`. */
  readonly requestCountResourceLabel?: string;
  /** Seconds. Default: 300. */
  readonly scaleInCooldown?: number;
  /** Seconds. Default: 60. */
  readonly scaleOutCooldown?: number;
}

/**
 * Target-tracking autoscaling of an ECS service on CPU, memory and/or ALB requests per task: the scalable target takes
 * the construct's name, each policy its metric (`aws_appautoscaling_policy.<name>_cpu`).
 */
export class ServiceAutoscaling extends Construct {
  constructor(scope: Construct, id: string, props: ServiceAutoscalingProps) {
    super(scope, id);
    const target = new AppautoscalingTarget(this, "this-target", {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/${props.clusterName}/${props.serviceName}`,
      minCapacity: props.minCapacity,
      maxCapacity: props.maxCapacity,
    });
    const policy = (name: string, metric: string, value: number, resourceLabel?: string) =>
      new AppautoscalingPolicy(this, name, {
        name: `${props.serviceName}-${name}`,
        policyType: "TargetTrackingScaling",
        serviceNamespace: target.serviceNamespace,
        scalableDimension: target.scalableDimension,
        resourceId: target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: value,
          scaleInCooldown: props.scaleInCooldown ?? 300,
          scaleOutCooldown: props.scaleOutCooldown ?? 60,
          predefinedMetricSpecification: { predefinedMetricType: metric, resourceLabel },
        },
      });
    if (props.cpuTargetPercent !== undefined) policy("cpu", "ECSServiceAverageCPUUtilization", props.cpuTargetPercent);
    if (props.memoryTargetPercent !== undefined) {
      policy("memory", "ECSServiceAverageMemoryUtilization", props.memoryTargetPercent);
    }
    if (props.requestsPerTarget !== undefined) {
      policy("requests", "ALBRequestCountPerTarget", props.requestsPerTarget, props.requestCountResourceLabel);
    }
  }
}
