import type { Construct } from "constructs";
import type { Deployment } from "../schema/resolve";
import { EcsCluster } from "../modules/ecs-cluster";
import { clusterName } from "../schema/names";
import { BlueprintStack, type BlueprintStackProps } from "./blueprint-stack";
import { computeInputs, type ComputeUpstreams } from "./compute/inputs";
import { loadBalancer, serviceUnits } from "./compute/load-balancing";
import { fargateServices, type RunningService } from "./compute/services";
import { aliases, blueGreenDeployments } from "./compute/operations";
import { restartOnRotation } from "./compute/database-access";
import { scheduledTasks } from "./compute/schedules";
import type { BlueGreenDeployment } from "../modules/blue-green-deployment";
import type { ApplicationLoadBalancer } from "../modules/application-load-balancer";

export type { ComputeUpstreams } from "./compute/inputs";

/**
 * The ECS cluster, the load balancer, every service with its scaling and deployments, the scheduled tasks, and the
 * DNS aliases.
 */
export class ComputeStack extends BlueprintStack {
  constructor(scope: Construct, id: string, d: Deployment, base: BlueprintStackProps, up: ComputeUpstreams) {
    super(scope, id, base);
    const inputs = computeInputs(this, d, up);
    const cluster = new EcsCluster(this, "cluster", {
      name: clusterName(d),
      containerInsights: d.spec.cluster.containerInsights,
      capacityProviders: d.spec.cluster.capacityProviders,
    });
    const units = serviceUnits(this, inputs);
    const alb = loadBalancer(this, inputs, units);
    const services = fargateServices(this, inputs, cluster, alb, units);
    const blueGreen = blueGreenDeployments(inputs, cluster, alb, services);
    const appUrl = aliases(this, inputs, alb);
    restartOnRotation(this, inputs, cluster, services);
    const schedules = scheduledTasks(this, inputs, cluster, services);

    this.publish("cluster_name", "string", cluster.cluster.name, "ECS cluster name");
    this.publish("cluster_arn", "string", cluster.cluster.arn, "ECS cluster ARN");
    this.publishServices(services, blueGreen);
    if (alb) this.publishLoadBalancer(alb);
    if (schedules.length > 0) {
      this.publish(
        "schedule_names",
        "map",
        Object.fromEntries(d.spec.scheduledTasks.map((t, i) => [t.name, schedules[i].schedule.name])),
        "EventBridge Scheduler schedule of each scheduled task (default group)",
      );
    }
    if (appUrl) this.publish("app_url", "string", appUrl, "Where the application answers");
  }

  private publishServices(services: readonly RunningService[], blueGreen: ReadonlyMap<string, BlueGreenDeployment>) {
    const byName = new Map(services.map((s) => [s.unit.svc.name, s.fargate]));
    this.publish(
      "service_names",
      "map",
      Object.fromEntries([...byName].map(([key, f]) => [key, f.serviceName])),
      "ECS service name of each blueprint service",
    );
    this.publishPerService(byName, {
      service_arns: [(f) => f.service.id, "ECS service ARN of each service"],
      task_role_arns: [(f) => f.taskRole.arn, "Task role of each service (CI passes it to ECS)"],
      execution_role_arns: [(f) => f.executionRole.arn, "Execution role of each service (CI passes it to ECS)"],
      task_definition_families: [(f) => f.taskDefinition.family, "Task definition family of each service"],
      log_group_names: [(f) => f.logGroup.name, "CloudWatch log group of each service"],
      task_definition_arns: [
        (f) => f.taskDefinition.arn,
        "Latest task definition revision of each service (what a blue/green rollout deploys)",
      ],
      container_names: [(f) => f.containerName, "Container of each service whose image a release replaces"],
    });
    this.publishPerService(blueGreen, {
      codedeploy_app_names: [(b) => b.application.name, "CodeDeploy application of each blue/green service"],
      codedeploy_app_arns: [(b) => b.application.arn, "CodeDeploy application ARN of each blue/green service"],
      deployment_group_names: [(b) => b.deploymentGroup.deploymentGroupName, "Deployment group of each"],
      deployment_group_arns: [(b) => b.deploymentGroup.arn, "Deployment group ARN of each blue/green service"],
      deployment_config_arns: [(b) => b.deploymentConfigArn, "Deployment configuration ARN of each"],
    });
  }

  private publishLoadBalancer(alb: ApplicationLoadBalancer) {
    this.publish("alb_dns_name", "string", alb.lb.dnsName, "Load balancer DNS name");
    this.publish("alb_zone_id", "string", alb.lb.zoneId, "Load balancer hosted zone id (for aliases)");
    this.publish("alb_arn", "string", alb.lb.arn, "Load balancer ARN");
    this.publish("alb_arn_suffix", "string", alb.lb.arnSuffix, "Load balancer ARN suffix (CloudWatch dimension)");
  }

  private publishPerService<T>(items: ReadonlyMap<string, T>, outputs: PerService<T>): void {
    if (items.size === 0) return;
    for (const [name, [pick, description]] of Object.entries(outputs)) {
      this.publish(name, "map", Object.fromEntries([...items].map(([key, item]) => [key, pick(item)])), description);
    }
  }
}

/** Map outputs keyed by service name, one per (name → [pick, description]); nothing when there are no services. */
type PerService<T> = Record<string, [(item: T) => string, string]>;
