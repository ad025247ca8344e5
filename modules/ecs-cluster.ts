import { Construct } from "constructs";
import { EcsCluster as AwsEcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";

export interface EcsClusterProps {
  readonly name: string;
  /** CloudWatch Container Insights (ECS.12). Default: true. */
  readonly containerInsights?: boolean;
  /** Capacity providers; FARGATE is always the default strategy. Default: FARGATE and FARGATE_SPOT. */
  readonly capacityProviders?: readonly ("FARGATE" | "FARGATE_SPOT")[];
}

/** An ECS cluster with Fargate capacity providers (both unless told otherwise), FARGATE by default. */
export class EcsCluster extends Construct {
  readonly cluster: AwsEcsCluster;

  constructor(scope: Construct, id: string, props: EcsClusterProps) {
    super(scope, id);
    this.cluster = new AwsEcsCluster(this, "this-cluster", {
      name: props.name,
      setting: [{ name: "containerInsights", value: props.containerInsights === false ? "disabled" : "enabled" }],
    });
    new EcsClusterCapacityProviders(this, "this-capacity-providers", {
      clusterName: this.cluster.name,
      capacityProviders: [...(props.capacityProviders ?? ["FARGATE", "FARGATE_SPOT"])],
      defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
    });
  }
}
