import { Construct } from "constructs";
import { Fn } from "cdktf";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { serviceTrust } from "./iam-documents";
import { Role } from "./iam-role";

export interface ScheduledTaskProps {
  /** Schedule name, unique in the account's default schedule group (at most 64 characters). */
  readonly scheduleName: string;
  /** Name of the role EventBridge Scheduler assumes (at most 64 characters). */
  readonly roleName: string;
  /** Default: none. */
  readonly description?: string;
  /** `cron(...)` or `rate(...)`, as EventBridge Scheduler takes it. */
  readonly expression: string;
  /** IANA time zone of a cron expression. Default: UTC. */
  readonly timezone?: string;
  /** false: the schedule exists but starts nothing. Default: true. */
  readonly enabled?: boolean;
  /** The account whose schedules may assume the role (aws:SourceAccount; confused-deputy protection). */
  readonly accountId: string;
  readonly clusterArn: string;
  /**
   * Task definition family ARN without a revision: RunTask takes the family's latest active revision, so each run
   * starts what the last release registered.
   */
  readonly taskFamilyArn: string;
  /** The roles the task definition names: the scheduler role may pass exactly these, to ECS tasks only. */
  readonly taskRoleArn: string;
  readonly executionRoleArn: string;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  /** Container whose command `command` replaces. */
  readonly containerName: string;
  /** Command for this run instead of the image's. Default: the image's. */
  readonly command?: readonly string[];
  /** Retries of a failed RunTask call: attempts after the first, and how late a run may still start (seconds). */
  readonly retry: { readonly maximumAttempts: number; readonly maximumEventAgeSeconds: number };
}

/**
 * An EventBridge Scheduler schedule that starts one Fargate task (RunTask) of a service's task definition family in
 * the service's subnets with its security group and no public IP, and the role it starts it with: trusted by the
 * scheduler of this account only, allowed RunTask on that family in that cluster only, and to pass that task's two
 * roles to ECS tasks only. Addresses follow the module's name: `aws_scheduler_schedule.<name>`,
 * `aws_iam_role.<name>_scheduler`.
 */
export class ScheduledTask extends Construct {
  readonly schedule: SchedulerSchedule;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ScheduledTaskProps) {
    super(scope, id);
    const trust = serviceTrust("scheduler.amazonaws.com");
    this.role = new Role(this, "scheduler", {
      name: props.roleName,
      trust: {
        ...trust,
        conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }],
      },
      statements: [
        {
          sid: "RunTask",
          actions: ["ecs:RunTask"],
          // Every revision of the family: AWS authorizes a revision-less RunTask against the latest revision.
          resources: [`${props.taskFamilyArn}:*`],
          conditions: [{ test: "ArnEquals", variable: "ecs:cluster", values: [props.clusterArn] }],
        },
        {
          sid: "PassTaskRoles",
          actions: ["iam:PassRole"],
          resources: [props.taskRoleArn, props.executionRoleArn],
          conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] }],
        },
      ],
      policyName: "run-task",
    }).role;

    this.schedule = new SchedulerSchedule(this, "this-schedule", {
      name: props.scheduleName,
      description: props.description,
      scheduleExpression: props.expression,
      scheduleExpressionTimezone: props.timezone ?? "UTC",
      state: props.enabled === false ? "DISABLED" : "ENABLED",
      // Runs start at their time, not somewhere in a window.
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: props.clusterArn,
        roleArn: this.role.arn,
        ecsParameters: {
          taskDefinitionArn: props.taskFamilyArn,
          taskCount: 1,
          launchType: "FARGATE",
          platformVersion: "LATEST",
          networkConfiguration: {
            subnets: props.subnetIds,
            securityGroups: props.securityGroupIds,
            assignPublicIp: false,
          },
        },
        // The ECS target passes its input to RunTask as the task's overrides; jsonencode keeps it structured (HCL).
        input: props.command
          ? Fn.jsonencode({ containerOverrides: [{ name: props.containerName, command: [...props.command] }] })
          : undefined,
        retryPolicy: {
          maximumRetryAttempts: props.retry.maximumAttempts,
          maximumEventAgeInSeconds: props.retry.maximumEventAgeSeconds,
        },
      },
    });
  }
}
