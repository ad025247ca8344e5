import { Fn, ref, type ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import {
  ecsServiceName,
  executionRoleName,
  logRouterLogGroupName,
  releaseParameterName,
  serviceLogGroupName,
  taskFamily,
  taskRoleName,
} from "../../schema/names";
import { logRouterConfigKey, logRouterImage, logRouterPrefix } from "../../schema/log-router-defaults";
import type { EcsCluster } from "../../modules/ecs-cluster";
import type { ApplicationLoadBalancer } from "../../modules/application-load-balancer";
import { FargateService, type FargateServiceProps } from "../../modules/fargate-service";
import { ServiceAutoscaling } from "../../modules/service-autoscaling";
import type { BlueprintStack } from "../blueprint-stack";
import { rulePriorities } from "../routing";
import { containerSecret, parameterReads } from "./container-secrets";
import { databaseConnect } from "./database-access";
import { taskNetwork, type ComputeInputs } from "./inputs";
import type { ServiceUnit } from "./load-balancing";
import { targetHealthCheck, type Service } from "../../schema/blueprint";

type DatabaseValue = Extract<Service["environment"][string], { database: string }>["database"];

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
      image: `${inputs.registry.entry("repository_urls", svc.image.repository)}:${releasedTag(scope, svc, inputs)}`,
      repositoryArn: inputs.registry.entry("repository_arns", svc.image.repository),
      cpu: svc.cpu,
      memory: svc.memory,
      cpuArchitecture: svc.cpuArchitecture,
      spot: svc.spot,
      containerPort: svc.containerPort,
      desiredCount: svc.desiredCount,
      ...taskNetwork(inputs, svc),
      assignPublicIp: svc.assignPublicIp,
      environment: Object.fromEntries(
        Object.entries(svc.environment).map(([k, v]) => [k, typeof v === "string" ? v : databaseValue(v, inputs)]),
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
        healthCheckGracePeriodSeconds: targetHealthCheck(svc).gracePeriodSeconds,
        dependsOn,
      },
      deployment: svc.deployment,
      autoscaled: svc.autoscaling !== undefined,
      deploymentController: svc.blueGreen ? "CODE_DEPLOY" : "ECS",
      taskRoleLogAccess: svc.taskRoleLogAccess,
      logRouter: logRouterOf(svc, inputs),
      taskRoleStatements: [
        ...parameterReads(spec.ssmParameters, svc.name, inputs.parameters),
        ...databaseConnect(svc, inputs),
      ],
    });
    if (!svc.readOnlyRootFilesystem && svc.readOnlyRootFilesystemOptOutReason) {
      // The blueprint's documented opt-out is the suppression (semantics refuses an opt-out without a reason).
      stack.suppress({
        rule: "ecs-readonly-root",
        reason: svc.readOnlyRootFilesystemOptOutReason,
        resources: [`aws_ecs_task_definition.${fargate.taskDefinition.friendlyUniqueId}`],
      });
    }
    if (svc.logRouter && svc.readOnlyRootFilesystem) {
      // The application container stays read-only (the rule still sees an opt-out of its own); the router's is not.
      stack.suppress({
        rule: "ecs-readonly-root",
        reason:
          "the log-router container (AWS for Fluent Bit, init variant) writes its generated configuration and the file it downloads from S3 under /init in the image; the application container is read-only",
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

/** The service's FireLens router, writing to the logs stack's bucket (hasLayer builds that stack for it). */
function logRouterOf(svc: Service, inputs: ComputeInputs): FargateServiceProps["logRouter"] {
  const router = svc.logRouter;
  if (!router) return undefined;
  const logs = inputs.logs!;
  return {
    image: logRouterImage(svc, inputs.d.region),
    cpu: router.cpu,
    memory: router.memory,
    errorLevels: router.errorLevels,
    bucketName: logs.string("app_log_bucket_name"),
    bucketArn: logs.string("app_log_bucket_arn"),
    keyPrefix: logRouterPrefix(svc),
    configKey: logRouterConfigKey(svc),
    totalFileSizeMiB: router.s3.totalFileSizeMiB,
    uploadTimeoutMinutes: router.s3.uploadTimeoutMinutes,
    ecsLogMetadata: router.ecsLogMetadata,
    routerLogGroupName: logRouterLogGroupName(inputs.d, svc),
    routerLogRetentionDays: svc.logRetentionDays,
  };
}

/** A value of the database for a service's environment: published by the data stack, or built from what it publishes. */
function databaseValue(ref: { database: DatabaseValue }, inputs: ComputeInputs): string {
  const data = inputs.data!;
  const user = inputs.d.spec.database!.applicationUser;
  switch (ref.database) {
    case "user":
      return user;
    case "url":
      // No password in it: with IAM authentication the application passes a signed token (15 minutes) instead.
      return `postgresql://${user}@${data.string("db_address")}:${data.string("db_port")}/${data.string("db_name")}?sslmode=require`;
    default:
      return data.string(`db_${ref.database}`);
  }
}

/**
 * The image tag a service runs: what its release record holds (CI writes it with every release, registry-stack.ts),
 * so a plan after a release proposes no change and a configuration change rolls out with the running image. Read as
 * `one(<data source>[*]...)`: offline tools, which cannot read SSM, switch such reads off (count = 0), and the
 * blueprint's first tag stands in.
 */
function releasedTag(scope: Construct, svc: Service, inputs: ComputeInputs): string {
  const record = new DataAwsSsmParameter(scope, "release", { name: releaseParameterName(inputs.d, svc) });
  return Fn.coalesce([Fn.one(ref(`${record.fqn}[*].insecure_value`)), svc.image.tag]);
}
