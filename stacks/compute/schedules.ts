import { accountInArn } from "../../modules/arn";
import { Construct } from "constructs";
import { scheduleName, schedulerRoleName } from "../../schema/names";
import type { EcsCluster } from "../../modules/ecs-cluster";
import { ScheduledTask } from "../../modules/scheduled-task";
import type { BlueprintStack } from "../blueprint-stack";
import { taskNetwork, type ComputeInputs } from "./inputs";
import type { RunningService } from "./services";

/**
 * The blueprint's scheduled tasks: each starts its service's task definition family (the latest release) where the
 * service's tasks run, with the service's security group. Their scope sits beside the services', so a schedule's
 * addresses start with its own name (`aws_scheduler_schedule.nightly_cleanup`).
 */
export function scheduledTasks(
  stack: BlueprintStack,
  inputs: ComputeInputs,
  cluster: EcsCluster,
  services: readonly RunningService[],
): ScheduledTask[] {
  const { d } = inputs;
  if (d.spec.scheduledTasks.length === 0) return [];
  const scope = new Construct(stack, "this-schedules");
  // Without a configured account id, take it from an ARN this stack creates: aws_caller_identity needs AWS at plan.
  const accountId = d.accountId ?? accountInArn(cluster.cluster.arn);
  return d.spec.scheduledTasks.map((task) => {
    // semantics: every scheduled task names a service of the blueprint.
    const { unit, fargate } = services.find((s) => s.unit.svc.name === task.service)!;
    return new ScheduledTask(scope, task.name, {
      scheduleName: scheduleName(d, task),
      roleName: schedulerRoleName(d, task),
      description: task.description,
      expression: task.expression,
      timezone: task.timezone,
      enabled: task.enabled,
      accountId,
      clusterArn: cluster.cluster.arn,
      taskFamilyArn: fargate.taskDefinition.arnWithoutRevision,
      taskRoleArn: fargate.taskRole.arn,
      executionRoleArn: fargate.executionRole.arn,
      ...taskNetwork(inputs, unit.svc),
      containerName: fargate.containerName,
      command: task.command,
      retry: task.retry,
    });
  });
}
