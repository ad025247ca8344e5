import { createHash } from "crypto";
import type { ScheduledTask, Service } from "./blueprint";
import type { Deployment } from "./resolve";

/**
 * Fits a derived AWS name into its length limit (32 for load balancers and target groups, 64 for IAM roles ...)
 * while keeping it unique and telling: a name that fits is unchanged; a longer one keeps its head and its `tail`
 * (what the resource is, e.g. `-exec`) and puts a short hash of the whole name between them, so two long names
 * that share a head never collide.
 */
export function fitName(name: string, max: number, tail = ""): string {
  const full = `${name}${tail}`;
  if (full.length <= max) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 6);
  const head = name.slice(0, Math.max(0, max - tail.length - hash.length - 1)).replace(/-+$/, "");
  return `${head}-${hash}${tail}`;
}

/*
 * The names of the AWS resources a deployment creates, derived here and only here: the stacks take them from these
 * functions, and the preflight (./preflight) checks the very same names against AWS's limits, the account model and
 * each other. A name the blueprint writes wins; otherwise it is derived from the deployment's prefix `<app>-<env>`.
 * (A test compares every name in the synthesized JSON with these.)
 */

/** ECS cluster. */
export const clusterName = (d: Deployment): string => d.spec.cluster.name ?? d.prefix;

/** ECS service. */
export const ecsServiceName = (d: Deployment, svc: Service): string => svc.serviceName ?? `${d.prefix}-${svc.name}`;

/** Task definition family. */
export const taskFamily = (d: Deployment, svc: Service): string => svc.family ?? ecsServiceName(d, svc);

/** The role ECS starts the service's tasks with (image pull, logs, secrets). */
export const executionRoleName = (d: Deployment, svc: Service): string =>
  fitName(`${d.prefix}-${svc.name}`, 64, "-exec");

/** The role the service's application runs as. */
export const taskRoleName = (d: Deployment, svc: Service): string => fitName(`${d.prefix}-${svc.name}`, 64, "-task");

/** Which of a service's target groups: the one of a rolling service, or blue and green of a blue/green one. */
export type TargetGroupColor = "default" | "blue" | "green";

/**
 * What the target group module appends to a head: `-` and 6 hex characters derived from what replaces the group
 * (protocol, port, VPC), so that a replacement, created before the group it replaces is deleted, has a name of its
 * own. Distinct heads make distinct names.
 */
export const TARGET_GROUP_GENERATION = "-xxxxxx";

/**
 * Head of a service's target group name (at most 25 characters: the name has at most 32). The environment is left
 * out, to keep the name readable within 32 characters: the generation derives from the deployment's own VPC, so
 * two environments (or blueprints) in one account and region never share a name.
 */
export const targetGroupNameHead = (d: Deployment, svc: Service, color: TargetGroupColor): string =>
  fitName(`${d.app}-${svc.name}`, 32 - TARGET_GROUP_GENERATION.length, color === "default" ? "" : `-${color}`);

/** The target groups a service gets behind the load balancer (a worker, which takes no traffic, none). */
export const targetGroupColors = (svc: Service): TargetGroupColor[] =>
  svc.kind === "worker" ? [] : svc.blueGreen ? ["blue", "green"] : ["default"];

/** Application load balancer (at most 32 characters). */
export const loadBalancerName = (d: Deployment): string => fitName(d.spec.loadBalancer?.name ?? d.prefix, 32);

/** A service's CloudWatch log group. */
export const serviceLogGroupName = (d: Deployment, svc: Service): string =>
  svc.logGroupName ?? `/ecs/${d.prefix}/${svc.name}`;

/** The log group of a service's FireLens router's own output (start-up and delivery errors). */
export const logRouterLogGroupName = (d: Deployment, svc: Service): string =>
  `${serviceLogGroupName(d, svc)}/log-router`;

/** The VPC flow logs' log group. */
export const flowLogGroupName = (d: Deployment): string => `/vpc/${d.prefix}/flow-logs`;

/** The SNS topic the alarms notify. */
export const alarmTopicName = (d: Deployment): string => d.spec.monitoring?.topicName ?? `${d.prefix}-alarms`;

/** The alias of the alarm topic's customer-managed key. */
export const alarmTopicKeyAlias = (d: Deployment): string => `alias/${d.prefix}-alarm-topics`;

/** The warning tier's topic (monitoring.warning). */
export const warningTopicName = (d: Deployment): string =>
  d.spec.monitoring?.warning?.topicName ?? `${d.prefix}-warnings`;

/** The SSM parameter that records a service's release (the image tag it runs); CI writes it. */
export const releaseParameterName = (d: Deployment, svc: Service): string => `${releaseParameterPrefix(d)}${svc.name}`;

/** The path every release record of a deployment is under. */
export const releaseParameterPrefix = (d: Deployment): string => `/${d.prefix}/release/`;

/** Head of the names of what restarts services after the database password rotates (roles add a suffix). */
const rotationRestartName = (d: Deployment): string => fitName(d.prefix, 40);

/** What restarts services after the database password rotates (RestartOnRotation): its rule, runbook and roles. */
export const rotationRestartNames = (d: Deployment) => {
  const head = rotationRestartName(d);
  return {
    rule: `${head}-secret-rotated`,
    runbook: `${head}-restart-on-rotation`,
    restartsRole: `${head}-restarts`,
    eventsRole: `${head}-rotation-events`,
  };
};

/** The roles that restart services after a rotation: the runbook's, and EventBridge's that starts it. */
export const rotationRestartRoleNames = (d: Deployment): string[] => {
  const { restartsRole, eventsRole } = rotationRestartNames(d);
  return [restartsRole, eventsRole];
};

/** The bastion instance and its role (bastion.name). */
export const bastionName = (d: Deployment): string => d.spec.bastion?.name ?? `${d.prefix}-bastion`;

/** CloudFront's web ACL (cloudFront.waf), in us-east-1. */
export const cdnWebAclName = (d: Deployment): string => fitName(`${d.prefix}-cdn`, 128);

/** CloudFront's access log group (cloudFront.accessLogs), in us-east-1. */
export const cdnLogGroupName = (d: Deployment): string => `/aws/cloudfront/${d.prefix}`;

/** CodeDeploy application of a blue/green service. */
export const codeDeployApplicationName = (d: Deployment, svc: Service): string =>
  svc.blueGreen?.applicationName ?? d.prefix;

/** CodeDeploy deployment group of a blue/green service. */
export const deploymentGroupName = (d: Deployment, svc: Service): string =>
  svc.blueGreen?.deploymentGroupName ?? `${d.prefix}-${svc.name}-dg`;

/** The role CodeDeploy deploys a blue/green service with. */
export const codeDeployRoleName = (d: Deployment, svc: Service): string =>
  fitName(`${d.prefix}-${svc.name}`, 64, "-codedeploy");

/** The regional WAF web ACL on the load balancer. */
export const webAclName = (d: Deployment): string => fitName(`${d.prefix}-alb`, 128);

/** Name prefix of the access log bucket (bucket names are global: Terraform appends a unique suffix). */
export const logBucketPrefix = (d: Deployment): string => `${d.prefix}-alb-logs-`;

/** RDS instance or Aurora cluster identifier; its subnet group takes the same name, its parameter groups it as prefix. */
export const databaseIdentifier = (d: Deployment): string => d.spec.database?.identifier ?? d.prefix;

/** Aurora instances: the writer and each reader, `<cluster>-<n>`. */
export const auroraInstanceIdentifiers = (d: Deployment): string[] =>
  Array.from({ length: (d.spec.database?.readerCount ?? 0) + 1 }, (_, i) => `${databaseIdentifier(d)}-${i + 1}`);

/** The snapshot taken when a production database is destroyed. */
export const finalSnapshotIdentifier = (d: Deployment): string => `${databaseIdentifier(d)}-final`;

/** An appSecrets entry's Secrets Manager secret. */
export const appSecretName = (d: Deployment, name: string): string => `${d.prefix}-${name}`;

/** Path prefix of a deployment's SSM parameters: `/<app>-<env>`, the name of the whole deployment, not of a layer. */
export const parameterPathPrefix = (d: Deployment): string => `/${d.prefix}`;

/** An ssmParameters entry's full name. */
export const ssmParameterName = (d: Deployment, name: string): string => `${parameterPathPrefix(d)}/${name}`;

/** A scheduled task's EventBridge Scheduler schedule (in the account's default group: at most 64 characters). */
export const scheduleName = (d: Deployment, task: ScheduledTask): string => fitName(`${d.prefix}-${task.name}`, 64);

/** The role EventBridge Scheduler starts a scheduled task with. */
export const schedulerRoleName = (d: Deployment, task: ScheduledTask): string =>
  fitName(`${d.prefix}-${task.name}`, 64, "-scheduler");

/** The CI deploy role. */
export const deployRoleName = (d: Deployment): string =>
  d.spec.ci?.roleName ?? fitName(`${d.prefix}-github-deploy`, 64);

/** The plan-review role. */
export const planRoleName = (d: Deployment): string =>
  d.spec.ci?.planRoleName ?? fitName(`${d.prefix}-github-plan`, 64);

/**
 * Security groups: `<app>-<env>-<what>` (modules/application-security-groups.ts appends `what`: alb, svc-<service>,
 * db, vpce, client-<name>).
 */
export const securityGroupName = (d: Deployment, what: string): string => `${d.prefix}-${what}`;

/*
 * Names of an account's baseline (the account-baseline stack): derived from the account key (its id, its name, or
 * `<app>-<env>` for an environment's account of its own), one of each per account.
 */

/** Name prefix of the Config bucket (bucket names are global: Terraform appends a unique suffix; at most 37). */
export const configBucketPrefix = (accountKey: string): string => fitName(accountKey, 37, "-config-");

/** The Config recorder's role (IAM names are unique per account). */
export const configRoleName = (accountKey: string): string => fitName(accountKey, 64, "-config-recorder");

/** The configuration recorder and the delivery channel: AWS allows one of each per account and region. */
export const configRecorderName = (accountKey: string): string => fitName(accountKey, 256, "-recorder");
export const configDeliveryChannelName = (accountKey: string): string => fitName(accountKey, 256, "-delivery");

/** The monthly cost budget (names are unique per account, at most 100 characters). */
export const budgetName = (accountKey: string): string => fitName(accountKey, 100, "-monthly-cost");
