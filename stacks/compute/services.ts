import type { ITerraformDependable } from "cdktf";
import { selectSubnets, subnetLabel } from "../../schema/subnets";
import { ecsServiceName, executionRoleName, serviceLogGroupName, taskFamily, taskRoleName } from "../../schema/names";
import type { EcsCluster } from "../../modules/ecs-cluster";
import type { ApplicationLoadBalancer } from "../../modules/application-load-balancer";
import { FargateService } from "../../modules/fargate-service";
import { ServiceAutoscaling } from "../../modules/service-autoscaling";
import type { BlueprintStack } from "../blueprint-stack";
import { rulePriorities } from "../routing";
import { containerSecret, parameterReads } from "./container-secrets";
import type { ComputeInputs } from "./inputs";
import type { ServiceUnit } from "./load-balancing";

/** A running service: its unit and the Fargate service built for it. */
export interface RunningService {
  readonly unit: ServiceUnit;
  readonly fargate: FargateService;
}

/**
 * Every service of the blueprint on Fargate: listener rules for routed services, the task definition and service
 * (after the listeners and rules they hang on), and target-tracking autoscaling where the blueprint asks for it.
 */
export function fargateServices(
  stack: BlueprintStack,
  inputs: ComputeInputs,
  cluster: EcsCluster,
  alb: ApplicationLoadBalancer | undefined,
  units: readonly ServiceUnit[],
): RunningService[] {
  const { d } = inputs;
  const spec = d.spec;
  const priorities = rulePriorities(spec.services);
  return units.map((unit) => {
    const { svc, scope, targetGroup: tg } = unit;
    const dependsOn: ITerraformDependable[] = [
      ...(alb?.trafficListeners ?? []),
      ...(alb?.testListener ? [alb.testListener] : []),
    ];
    if (tg && svc.routing && alb) {
      for (const listener of alb.trafficListeners) {
        dependsOn.push(
          tg.route(listener.node.id, {
            listenerArn: listener.arn,
            priority: priorities.get(svc.name)!,
            pathPatterns: svc.routing.pathPatterns,
            hostHeaders: svc.routing.hostHeaders,
          }),
        );
      }
    }
    const fargate = new FargateService(scope, "this-service", {
      executionRoleName: executionRoleName(d, svc),
      taskRoleName: taskRoleName(d, svc),
      clusterArn: cluster.cluster.arn,
      serviceName: ecsServiceName(d, svc),
      family: taskFamily(d, svc),
      containerName: svc.containerName ?? svc.name,
      image: `${inputs.registry.entry("repository_urls", svc.image.repository)}:${svc.image.tag}`,
      repositoryArn: inputs.registry.entry("repository_arns", svc.image.repository),
      cpu: svc.cpu,
      memory: svc.memory,
      containerPort: svc.containerPort,
      desiredCount: svc.desiredCount,
      subnetIds: inputs.subnetIds(selectSubnets(spec.network.subnets, svc.subnets).map(subnetLabel)),
      securityGroupIds: [inputs.net.entry("service_security_group_ids", svc.name)],
      assignPublicIp: svc.assignPublicIp,
      environment: Object.fromEntries(
        Object.entries(svc.environment).map(([k, v]) => [
          k,
          typeof v === "string" ? v : inputs.data!.string(`db_${v.database}`),
        ]),
      ),
      secrets: Object.entries(svc.secrets).map(([envName, ref]) => containerSecret(envName, ref, d, inputs)),
      readOnlyRootFilesystem: svc.readOnlyRootFilesystem,
      writablePaths: svc.writablePaths,
      user: svc.user,
      region: d.region,
      logGroupName: serviceLogGroupName(d, svc),
      logRetentionDays: svc.logRetentionDays,
      logStreamPrefix: svc.logStreamPrefix ?? svc.name,
      containerHealthCheck: svc.containerHealthCheck,
      loadBalancer: tg && {
        targetGroupArn: tg.targetGroup.arn,
        healthCheckGracePeriodSeconds: svc.healthCheck.gracePeriodSeconds,
        dependsOn,
      },
      deployment: svc.deployment,
      autoscaled: svc.autoscaling !== undefined,
      deploymentController: svc.blueGreen ? "CODE_DEPLOY" : "ECS",
      taskRoleLogAccess: svc.taskRoleLogAccess,
      taskRoleStatements: parameterReads(spec.ssmParameters, svc.name, inputs.parameters),
    });
    if (!svc.readOnlyRootFilesystem && svc.readOnlyRootFilesystemOptOutReason) {
      // The blueprint's documented opt-out is the suppression (semantics refuses an opt-out without a reason).
      stack.suppress({
        rule: "ecs-readonly-root",
        reason: svc.readOnlyRootFilesystemOptOutReason,
        resources: [`aws_ecs_task_definition.${fargate.taskDefinition.friendlyUniqueId}`],
      });
    }
    if (svc.autoscaling) {
      new ServiceAutoscaling(scope, "this-scaling", {
        clusterName: cluster.cluster.name,
        serviceName: fargate.service.name,
        ...svc.autoscaling,
        requestCountResourceLabel: alb && tg ? `${alb.lb.arnSuffix}/${tg.targetGroup.arnSuffix}` : undefined,
      });
    }
    return { unit, fargate };
  });
}
