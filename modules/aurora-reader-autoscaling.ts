import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";

export interface AuroraReaderAutoscalingProps {
  /** Cluster identifier (`cluster:<id>` is the scalable resource). */
  readonly clusterIdentifier: string;
  /** Fewest and most readers, the ones Terraform keeps included. */
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** What to hold: the readers' average CPU (%) or average connections. */
  readonly metric: "cpu" | "connections";
  readonly targetValue: number;
  /** Seconds. */
  readonly scaleInCooldown: number;
  readonly scaleOutCooldown: number;
  /**
   * What must exist first: the readers Terraform keeps (Application Auto Scaling refuses a cluster without a reader
   * in the available state).
   */
  readonly dependsOn: ITerraformDependable[];
}

const METRICS = {
  cpu: "RDSReaderAverageCPUUtilization",
  connections: "RDSReaderAverageDatabaseConnections",
} as const;

/**
 * Aurora replica autoscaling: Application Auto Scaling adds and removes readers (`application-autoscaling-...`, not
 * in Terraform's state, so plans never see them) between the bounds, on target tracking of the readers' average CPU or
 * connections. The readers Terraform creates stay whatever the load. The scalable target takes the construct's name,
 * the policy `<name>_<metric>`.
 */
export class AuroraReaderAutoscaling extends Construct {
  readonly target: AppautoscalingTarget;
  readonly policy: AppautoscalingPolicy;

  constructor(scope: Construct, id: string, props: AuroraReaderAutoscalingProps) {
    super(scope, id);
    this.target = new AppautoscalingTarget(this, "this-target", {
      serviceNamespace: "rds",
      scalableDimension: "rds:cluster:ReadReplicaCount",
      resourceId: `cluster:${props.clusterIdentifier}`,
      minCapacity: props.minCapacity,
      maxCapacity: props.maxCapacity,
      dependsOn: props.dependsOn,
    });
    this.policy = new AppautoscalingPolicy(this, props.metric, {
      name: `${props.clusterIdentifier}-readers-${props.metric}`,
      policyType: "TargetTrackingScaling",
      serviceNamespace: this.target.serviceNamespace,
      scalableDimension: this.target.scalableDimension,
      resourceId: this.target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: props.targetValue,
        scaleInCooldown: props.scaleInCooldown,
        scaleOutCooldown: props.scaleOutCooldown,
        predefinedMetricSpecification: { predefinedMetricType: METRICS[props.metric] },
      },
    });
  }
}
