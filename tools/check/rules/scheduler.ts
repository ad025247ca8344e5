import type { Rule } from "../types";
import { block } from "../resources";
import type { TerraformJson } from "../../terraform/cdktf-out";

/** The ECS RunTask parameters of a schedule's target, if it starts ECS tasks. */
function ecsParameters(schedule: TerraformJson): TerraformJson | undefined {
  return block(block(schedule.target)?.ecs_parameters);
}

export const SCHEDULER_RULES: Rule[] = [
  {
    id: "scheduler-no-public-ip",
    title: "Scheduled ECS tasks get no public IP",
    severity: "high",
    resourceType: "aws_scheduler_schedule",
    checkov: [],
    fsbp: "ECS.2",
    note: "ECS.2 for the tasks EventBridge Scheduler starts (the rule ecs-no-public-ip checks services).",
    check: (schedule) => {
      const ecs = ecsParameters(schedule);
      return block(ecs?.network_configuration)?.assign_public_ip === true
        ? "the tasks it starts get a public IP"
        : undefined;
    },
  },
];
