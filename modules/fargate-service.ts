import { Construct } from "constructs";
import { Fn, type ITerraformDependable } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { serviceTrust, type Statement } from "./iam-documents";
import { Role } from "./iam-role";
import { LogRouter, type LogRouterProps } from "./log-router";

/** A secret ECS injects at start: the env var, what ECS reads (`valueFrom`) and the IAM statement allowing it. */
export interface ContainerSecret {
  readonly name: string;
  readonly valueFrom: string;
  readonly read: { readonly action: string; readonly resource: string };
}

export interface FargateServiceProps {
  /** Name of the execution role (what ECS uses to start the task; at most 64 characters). */
  readonly executionRoleName: string;
  /** Name of the task role (what the application may do; at most 64 characters). */
  readonly taskRoleName: string;
  readonly clusterArn: string;
  readonly serviceName: string;
  readonly family: string;
  readonly containerName: string;
  /** Full image reference, repository URL and tag. */
  readonly image: string;
  /** ARN of the ECR repository, for the execution role's pull permission. */
  readonly repositoryArn: string;
  /** Fargate task CPU units and MiB. */
  readonly cpu: number;
  readonly memory: number;
  /** What the image is built for. Default: X86_64. */
  readonly cpuArchitecture?: "X86_64" | "ARM64";
  /**
   * Part of the tasks on FARGATE_SPOT: `onDemandBase` tasks always on FARGATE, then `spotWeight` Spot tasks per
   * on-demand one. Default: every task on FARGATE.
   */
  readonly spot?: { readonly onDemandBase: number; readonly spotWeight: number };
  /** The port the container listens on. Default: none (a worker, which takes no traffic: no port mapping). */
  readonly containerPort?: number;
  readonly desiredCount: number;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  /** Default: false. */
  readonly assignPublicIp?: boolean;
  /** Plain variables. Default: none. */
  readonly environment?: Record<string, string>;
  /** Secrets injected by reference. Default: none. */
  readonly secrets?: readonly ContainerSecret[];
  /** Default: true. */
  readonly readOnlyRootFilesystem?: boolean;
  /** Task-local writable directories. Default: none. */
  readonly writablePaths?: readonly string[];
  /** Non-root user. Default: 1000:1000. */
  readonly user?: string;
  readonly region: string;
  readonly logGroupName: string;
  readonly logRetentionDays: number;
  readonly logStreamPrefix: string;
  /** Docker health check. Default: none. */
  readonly containerHealthCheck?: {
    command: string[];
    interval: number;
    timeout: number;
    retries: number;
    startPeriod: number;
  };
  /** Load balancer wiring (needs containerPort). Default: not load balanced. */
  readonly loadBalancer?: {
    readonly targetGroupArn: string;
    readonly healthCheckGracePeriodSeconds: number;
    /** Listeners and rules the target group must be attached to before the service is created. */
    readonly dependsOn: ITerraformDependable[];
  };
  /** Rolling deployment bounds. */
  readonly deployment: { readonly minimumHealthyPercent: number; readonly maximumPercent: number };
  /** Leave desired_count to autoscaling after creation. Default: false. */
  readonly autoscaled?: boolean;
  /**
   * ECS: rolling updates with the circuit breaker and rollback. CODE_DEPLOY: blue/green deployments by CodeDeploy,
   * which then owns the service's task definition and target group, so Terraform ignores changes to them. Default: ECS.
   */
  readonly deploymentController?: "ECS" | "CODE_DEPLOY";
  /** Extra statements for the task role (what the application itself may do). Default: none. */
  readonly taskRoleStatements?: Statement[];
  /** The task role may create streams in and write to this service's log group (SDK log shipping). Default: false. */
  readonly taskRoleLogAccess?: boolean;
  /**
   * A FireLens log router beside the container: error lines to this service's log group, every line to S3. Its cpu and
   * memory are part of the task's. Default: none (the container logs to the service's log group through awslogs).
   */
  readonly logRouter?: Omit<
    LogRouterProps,
    "appContainerName" | "region" | "errorLogGroup" | "errorLogGroupName" | "errorLogStreamPrefix"
  >;
}

/**
 * One Fargate service: its log group, an execution role that may pull only its image, write only its log group and
 * read only its referenced secrets, a separate task role (CKV_AWS_249) with nothing but what the blueprint grants,
 * a task definition (non-root, read-only root filesystem with task-local scratch volumes, not privileged), and a
 * service with the deployment circuit breaker and rollback.
 */
export class FargateService extends Construct {
  readonly service: EcsService;
  /** The ECS service name (known at synthesis). */
  readonly serviceName: string;
  /** The (one) container's name, whose image each release replaces. */
  readonly containerName: string;
  readonly taskDefinition: EcsTaskDefinition;
  readonly logGroup: CloudwatchLogGroup;
  readonly executionRole: IamRole;
  readonly taskRole: IamRole;
  /** The FireLens log router, when the service has one. */
  readonly logRouter?: LogRouter;

  constructor(scope: Construct, id: string, props: FargateServiceProps) {
    super(scope, id);
    this.serviceName = props.serviceName;
    this.containerName = props.containerName;
    this.logGroup = new CloudwatchLogGroup(this, "this-log-group", {
      name: props.logGroupName,
      retentionInDays: props.logRetentionDays,
    });

    this.logRouter =
      props.logRouter &&
      new LogRouter(this, "log-router", {
        ...props.logRouter,
        appContainerName: props.containerName,
        region: props.region,
        errorLogGroup: this.logGroup,
        errorLogGroupName: props.logGroupName,
        errorLogStreamPrefix: props.logStreamPrefix,
      });
    const router = this.logRouter;

    const secrets = props.secrets ?? [];
    const executionStatements: Statement[] = [
      // GetAuthorizationToken has no resource-level permissions: AWS requires "*".
      { sid: "EcrAuth", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
      {
        sid: "EcrPull",
        actions: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
        resources: [props.repositoryArn],
      },
      // With a router, the application's lines reach the log group through Fluent Bit (the task role), not awslogs.
      ...(router ? [] : [logWrite(this.logGroup)]),
      ...groupSecretReads(secrets),
      ...(router?.executionStatements ?? []),
    ];
    const trust = serviceTrust("ecs-tasks.amazonaws.com");
    this.executionRole = new Role(this, "execution", {
      name: props.executionRoleName,
      trust,
      statements: executionStatements,
      policyName: "pull-log-read-secrets",
    }).role;
    this.taskRole = new Role(this, "task", {
      name: props.taskRoleName,
      trust,
      statements: [
        ...(props.taskRoleLogAccess ? [logWrite(this.logGroup)] : []),
        ...(props.taskRoleStatements ?? []),
        ...(router?.taskRoleStatements ?? []),
      ],
      policyName: "application",
    }).role;

    const writable = props.writablePaths ?? [];
    const volumeName = (path: string) => `scratch${path.replace(/[^A-Za-z0-9]/g, "-")}`;
    const container = {
      name: props.containerName,
      image: props.image,
      essential: true,
      user: props.user ?? "1000:1000",
      privileged: false,
      readonlyRootFilesystem: props.readOnlyRootFilesystem ?? true,
      portMappings: props.containerPort === undefined ? [] : [{ containerPort: props.containerPort, protocol: "tcp" }],
      environment: Object.entries(props.environment ?? {})
        // Code-unit order: deterministic, and without loading ICU's collator (localeCompare costs ~6 ms a process).
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, value]) => ({ name, value })),
      secrets: secrets.map((s) => ({ name: s.name, valueFrom: s.valueFrom })),
      mountPoints: writable.map((path) => ({ sourceVolume: volumeName(path), containerPath: path, readOnly: false })),
      linuxParameters: { initProcessEnabled: true },
      logConfiguration: router?.appLogConfiguration ?? {
        logDriver: "awslogs",
        options: {
          "awslogs-group": this.logGroup.name,
          "awslogs-region": props.region,
          "awslogs-stream-prefix": props.logStreamPrefix,
        },
      },
      dependsOn: router?.appDependsOn,
      healthCheck: props.containerHealthCheck,
    };
    this.taskDefinition = new EcsTaskDefinition(this, "this-task-definition", {
      family: props.family,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(props.cpu),
      memory: String(props.memory),
      executionRoleArn: this.executionRole.arn,
      taskRoleArn: this.taskRole.arn,
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: props.cpuArchitecture ?? "X86_64" },
      volume: writable.map((path) => ({ name: volumeName(path) })),
      // jsonencode keeps the definitions structured in both the JSON and the HCL form of the stack.
      containerDefinitions: Fn.jsonencode(router ? [container, router.container] : [container]),
      // CI registers each release as a new revision of this family (the image changed, nothing else). Terraform
      // reads the family's latest revision rather than the one it registered, so after a release it plans no change
      // as long as its image is the released one (docs/day-two.md); and replaced revisions stay registered, for
      // rollbacks and for CodeDeploy's blue tasks.
      trackLatest: true,
      skipDestroy: true,
    });

    const lb = props.loadBalancer;
    if (lb && props.containerPort === undefined) {
      throw new Error(`FargateService ${props.serviceName}: load balanced without a containerPort to forward to`);
    }
    const codeDeploy = props.deploymentController === "CODE_DEPLOY";
    const ignoreChanges = [
      // Autoscaling owns the count once the service runs.
      ...(props.autoscaled ? ["desired_count"] : []),
      // CodeDeploy runs each release's task definition, swaps the target group and takes the capacity strategy
      // from the deployment (UpdateService cannot change them on a CODE_DEPLOY service).
      ...(codeDeploy ? ["task_definition", "load_balancer", "capacity_provider_strategy"] : []),
    ];
    this.service = new EcsService(this, "this-service", {
      name: props.serviceName,
      cluster: props.clusterArn,
      taskDefinition: this.taskDefinition.arn,
      desiredCount: props.desiredCount,
      // A strategy rather than launch_type FARGATE, so that Spot can be used at all (FARGATE_SPOT is not a launch
      // type). Changing a strategy in place needs force_new_deployment (else the provider replaces the service);
      // CodeDeploy services cannot force one.
      capacityProviderStrategy: capacityStrategy(props.spot),
      forceNewDeployment: codeDeploy ? undefined : true,
      platformVersion: "LATEST",
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      networkConfiguration: {
        subnets: props.subnetIds,
        securityGroups: props.securityGroupIds,
        assignPublicIp: props.assignPublicIp ?? false,
      },
      // The circuit breaker belongs to the ECS controller; CodeDeploy rolls back on its own.
      deploymentController: codeDeploy ? { type: "CODE_DEPLOY" } : undefined,
      deploymentCircuitBreaker: codeDeploy ? undefined : { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: props.deployment.minimumHealthyPercent,
      deploymentMaximumPercent: props.deployment.maximumPercent,
      loadBalancer: lb
        ? [
            {
              targetGroupArn: lb.targetGroupArn,
              containerName: props.containerName,
              containerPort: props.containerPort!,
            },
          ]
        : undefined,
      healthCheckGracePeriodSeconds: lb?.healthCheckGracePeriodSeconds,
      dependsOn: lb?.dependsOn,
      lifecycle: ignoreChanges.length > 0 ? { ignoreChanges } : undefined,
    });
  }
}

/** All tasks on FARGATE, or a base on FARGATE and the rest shared with FARGATE_SPOT by weight. */
function capacityStrategy(spot: FargateServiceProps["spot"]) {
  if (!spot) return [{ capacityProvider: "FARGATE", base: 0, weight: 1 }];
  return [
    { capacityProvider: "FARGATE", base: spot.onDemandBase, weight: 1 },
    { capacityProvider: "FARGATE_SPOT", base: 0, weight: spot.spotWeight },
  ];
}

/** Create streams in and write to one log group (its streams are `<group arn>:*`). */
function logWrite(group: CloudwatchLogGroup): Statement {
  return { sid: "Logs", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${group.arn}:*`] };
}

function groupSecretReads(secrets: readonly ContainerSecret[]): Statement[] {
  const byAction = new Map<string, Set<string>>();
  for (const s of secrets) {
    const set = byAction.get(s.read.action) ?? new Set<string>();
    set.add(s.read.resource);
    byAction.set(s.read.action, set);
  }
  return [...byAction.entries()].map(([action, resources], i) => ({
    sid: `ReadSecrets${i}`,
    actions: [action],
    resources: [...resources],
  }));
}
