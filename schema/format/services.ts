import { z } from "zod";
import {
  absolutePath,
  ecrRepositoryName,
  kebabName,
  logGroupName,
  logRetentionDays,
  port,
  subnetSelector,
} from "../primitives";
import { logRouterSchema } from "./log-router";

/* Services: image, size, placement, health checks, routing, scaling, environment and secrets, deployments. */

export const secretRefSchema = z.union(
  [
    z.strictObject({
      /**
       * username / password: a key of the master secret that RDS manages (and rotates, every 7 days) in Secrets
       * Manager. ECS reads it when a task starts, so services that inject the password are restarted after each
       * rotation (docs/day-two.md). Applications should rather connect as database.applicationUser with IAM
       * authentication, which needs no secret at all (environment { database: "user" | "url" }).
       */
      fromDatabase: z.enum(["username", "password"]),
    }),
    z.strictObject({
      /** Name of a Secrets Manager secret that exists (written out of band). */
      secretsManager: z.string().min(1),
      /** JSON key inside the secret. Default: the whole secret string. */
      key: z.string().min(1).optional(),
    }),
    z.strictObject({
      /** Name of one of the blueprint's appSecrets (created empty by the parameters stack, filled out of band). */
      appSecret: z.string().min(1),
      /** JSON key inside the secret. Default: the whole secret string. */
      key: z.string().min(1).optional(),
    }),
    z.strictObject({
      /** Name of an SSM parameter (SecureString or String), e.g. /app/prod/api-key. */
      ssmParameter: z.string().regex(/^\/[A-Za-z0-9_.\-/]+$/, {
        error: "is not an SSM parameter path. Fix: write an absolute path such as /app/prod/key",
      }),
    }),
  ],
  {
    error:
      "is not a secret reference. Fix: use { fromDatabase: 'username' | 'password' }, { appSecret: '<name>', key? }, { secretsManager: '<name>', key?: '<json key>' } or { ssmParameter: '/path' }",
  },
);

export const healthCheckSchema = z.strictObject({
  /** HTTP path the target group probes. Default: /health. */
  path: z.string().startsWith("/").default("/health"),
  /** Seconds between probes. Default: 30. */
  interval: z.number().int().min(5).max(300).default(30),
  /** Seconds before a probe times out. Default: 5. */
  timeout: z.number().int().min(2).max(120).default(5),
  /** Consecutive successes to become healthy. Default: 2. */
  healthyThreshold: z.number().int().min(2).max(10).default(2),
  /** Consecutive failures to become unhealthy. Default: 3. */
  unhealthyThreshold: z.number().int().min(2).max(10).default(3),
  /** HTTP codes that count as healthy. Default: 200-399. */
  matcher: z.string().default("200-399"),
  /** Seconds ECS ignores failing load balancer health checks after a task starts. Default: 60. */
  gracePeriodSeconds: z.number().int().min(0).max(2147483647).default(60),
});

export const containerHealthCheckSchema = z.strictObject({
  /** Docker HEALTHCHECK command, e.g. ["CMD-SHELL", "wget -qO- http://localhost:8080/health || exit 1"]. */
  command: z.array(z.string()).min(1),
  /** Default: 30 s. */
  interval: z.number().int().min(5).max(300).default(30),
  /** Default: 5 s. */
  timeout: z.number().int().min(2).max(60).default(5),
  /** Default: 3. */
  retries: z.number().int().min(1).max(10).default(3),
  /** Default: 0 s. */
  startPeriod: z.number().int().min(0).max(300).default(0),
});

export const autoscalingSchema = z.strictObject({
  /** Fewest tasks. */
  minCapacity: z.number().int().min(0),
  /** Most tasks. */
  maxCapacity: z.number().int().min(1),
  /** Target average CPU utilization (%). Default: none. */
  cpuTargetPercent: z.number().min(1).max(100).optional(),
  /** Target average memory utilization (%). Default: none. */
  memoryTargetPercent: z.number().min(1).max(100).optional(),
  /** Target ALB requests per task per minute. Default: none. */
  requestsPerTarget: z.number().int().min(1).optional(),
  /** Seconds after a scale-in before another. Default: 300. */
  scaleInCooldown: z.number().int().min(0).default(300),
  /** Seconds after a scale-out before another. Default: 60. */
  scaleOutCooldown: z.number().int().min(0).default(60),
});

export const routingSchema = z.strictObject({
  /** ALB path patterns, e.g. ["/api/*"]. */
  pathPatterns: z.array(z.string().startsWith("/")).min(1).max(5).optional(),
  /** ALB host headers, e.g. ["api.example.com"]. */
  hostHeaders: z.array(z.string()).min(1).max(5).optional(),
  /** Listener rule priority (1-50000, lower wins). Default: ordered by specificity, most specific first. */
  priority: z.number().int().min(1).max(50000).optional(),
});

// ---------------------------------------------------------------- blue/green deployments (CodeDeploy)

export const CODE_DEPLOY_ECS_CONFIGS = [
  "CodeDeployDefault.ECSAllAtOnce",
  "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
  "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
  "CodeDeployDefault.ECSCanary10Percent5Minutes",
  "CodeDeployDefault.ECSCanary10Percent15Minutes",
] as const;

/**
 * Blue/green deployments by CodeDeploy instead of ECS rolling updates. The service gets a second (green) target
 * group; CodeDeploy starts new tasks there, offers them on loadBalancer.testListener, switches the production
 * listener and rolls back on failure. Terraform then leaves the task definition and listener targets to CodeDeploy.
 */
export const blueGreenSchema = z.strictObject({
  /** CodeDeploy application. Default: `<app>-<env>`. */
  applicationName: kebabName("CodeDeploy application name", 100).optional(),
  /** Deployment group. Default: `<app>-<env>-<service>-dg`. */
  deploymentGroupName: kebabName("CodeDeploy deployment group name", 100).optional(),
  /** How traffic shifts. Default: CodeDeployDefault.ECSAllAtOnce. */
  deploymentConfig: z.enum(CODE_DEPLOY_ECS_CONFIGS).default("CodeDeployDefault.ECSAllAtOnce"),
  /** Minutes the old (blue) tasks keep running after the switch, for a fast manual rollback. Default: 5. */
  terminationWaitMinutes: z.number().int().min(0).max(2880).default(5),
  /**
   * Roll back when, during a deployment, one of the service's alarms (CPU, memory, error logs) or a load balancer
   * alarm of monitoring fires. Default: true.
   */
  rollbackOnAlarm: z.boolean().default(true),
});

export const serviceSchema = z.strictObject({
  /** Short name, unique in the blueprint; prefixes every resource of the service. */
  name: kebabName("service name", 24),
  /**
   * web: a service behind the load balancer (when the blueprint has one): a target group, a listener rule or the
   * listener's default action, its container port admitted from the load balancer only. worker: a service that
   * takes no traffic (a queue consumer, an internal poller): no target group, no listener rule, no container port,
   * a security group with egress rules only; the same task definition, release, capacity and CPU/memory autoscaling
   * as a web service. Default: web.
   */
  kind: z.enum(["web", "worker"]).default("web"),
  /** ECS service name. Default: `<app>-<env>-<name>`. */
  serviceName: kebabName("ECS service name", 255).optional(),
  /** Task definition family. Default: `<app>-<env>-<name>`. */
  family: kebabName("task family", 255).optional(),
  /** Container name. Default: the service name. */
  containerName: kebabName("container name", 255).optional(),
  image: z.strictObject({
    /** ECR repository name; the registry stack creates it. */
    repository: ecrRepositoryName,
    /**
     * Tag of the first release. Releases are recorded in the SSM parameter /<app>-<env>/release/<service> (the
     * registry stack creates it with this tag; CI overwrites it with each release) and the compute stack runs what
     * it holds (docs/day-two.md). Default: latest.
     */
    tag: z.string().min(1).max(128).default("latest"),
    /** Images the lifecycle policy keeps (older ones expire; untagged ones after 7 days). Default: 10. */
    keepImages: z.number().int().min(1).max(1000).default(10),
    /** Tags cannot be overwritten (ECR.2); CI pushes a new tag per build. Default: true. */
    immutableTags: z.boolean().default(true),
  }),
  /** Port the container listens on; web services need one, workers have none. Default: none. */
  containerPort: port.optional(),
  /** Fargate task CPU units (256 = 0.25 vCPU). */
  cpu: z.number().int(),
  /** Fargate task memory in MiB; must be a size Fargate offers for `cpu`. */
  memory: z.number().int(),
  /** Tasks to run. Default: 1. */
  desiredCount: z.number().int().min(0).default(1),
  /**
   * CPU architecture the image is built for: X86_64, or ARM64 (Graviton: about 20 % cheaper per vCPU-hour; build the
   * image for linux/arm64, e.g. on an arm64 machine). Default: X86_64.
   */
  cpuArchitecture: z.enum(["X86_64", "ARM64"]).default("X86_64"),
  /**
   * Run part of the tasks on FARGATE_SPOT (about 70 % cheaper; AWS may stop a Spot task with two minutes' notice, and
   * ECS starts another). Needs FARGATE_SPOT among cluster.capacityProviders. Default: none, every task on FARGATE.
   */
  spot: z
    .strictObject({
      /** Tasks that always run on on-demand FARGATE, whatever the count (the strategy's base). Default: 1. */
      onDemandBase: z.number().int().min(0).max(100000).default(1),
      /** Spot tasks per on-demand task above the base (FARGATE_SPOT's weight, FARGATE's is 1). Default: 1. */
      spotWeight: z.number().int().min(1).max(1000).default(1),
    })
    .optional(),
  /** Where tasks run. Default: every private subnet. */
  subnets: subnetSelector.default({ tier: "private" }),
  /** Whether tasks get a public IP (only for public subnets without NAT; flagged by the policy checks). Default: false. */
  assignPublicIp: z.boolean().default(false),
  /**
   * Target group health check of a web service behind the load balancer (workers have none). Default: each field's
   * default (GET /health every 30 s, 5 s timeout, healthy after 2, unhealthy after 3, 200-399, 60 s grace period).
   */
  healthCheck: healthCheckSchema.optional(),
  /** Container-level health check. Default: none. */
  containerHealthCheck: containerHealthCheckSchema.optional(),
  /** Listener rule for this service. Default: the service takes the listener's default action (one service only). */
  routing: routingSchema.optional(),
  /** Target-tracking autoscaling (workers: on CPU and memory). Default: fixed desiredCount. */
  autoscaling: autoscalingSchema.optional(),
  /**
   * Plain environment variables: a string, or { database: ... } for a value of the database: address,
   * reader_address, port, name; user (database.applicationUser, the role services connect as with IAM
   * authentication); url (postgresql://<user>@<address>:<port>/<name>?sslmode=require, no password: the application
   * signs an IAM token as the password). Never put secrets here: use `secrets`. Default: {}.
   */
  environment: z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
      z.union(
        [
          z.string(),
          z.strictObject({ database: z.enum(["address", "reader_address", "port", "name", "user", "url"]) }),
        ],
        { error: 'is not an environment value. Fix: use a string or { database: "address" }' },
      ),
    )
    .default({}),
  /** Secrets injected by ECS at start from Secrets Manager or SSM, by reference only. Default: {}. */
  secrets: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), secretRefSchema).default({}),
  /** Read-only root filesystem (ECS.5). Default: true. Set false only with readOnlyRootFilesystemOptOutReason. */
  readOnlyRootFilesystem: z.boolean().default(true),
  /** Why the root filesystem must be writable; required when readOnlyRootFilesystem is false. */
  readOnlyRootFilesystemOptOutReason: z.string().min(10).optional(),
  /** Writable scratch directories (task-local volumes) for a read-only root filesystem. Default: ["/tmp"]. */
  writablePaths: z.array(absolutePath).default(["/tmp"]),
  /** User the container runs as (never root). Default: 1000:1000. */
  user: z
    .string()
    .regex(/^(?!0(:|$))(?!root(:|$))[A-Za-z0-9_-]+(:[A-Za-z0-9_-]+)?$/, {
      error: "runs as root. Fix: use a non-root user such as 1000:1000",
    })
    .default("1000:1000"),
  /** Log group. Default: /ecs/<app>-<env>/<name>. */
  logGroupName: logGroupName.optional(),
  /**
   * A FireLens (Fluent Bit) log router beside the container (a `log-router` container of the task): lines holding an
   * error level go to the service's log group, every line goes gzip-compressed to the logs stack's bucket, partitioned
   * by date (docs/operations.md). Needs nothing else: the logs stack is built for it. Default: none (awslogs to the
   * service's log group).
   */
  logRouter: logRouterSchema.optional(),
  /** awslogs stream prefix. Default: the service name. */
  logStreamPrefix: z.string().min(1).optional(),
  /** Log retention. Default: 30 days. */
  logRetentionDays: logRetentionDays.default(30),
  /**
   * Whether the service may connect to the database: its security group is admitted on the database port and, with
   * database.iamAuthentication, its task role may connect as database.applicationUser (rds-db:connect). Default: false.
   */
  databaseAccess: z.boolean().default(false),
  /** Rolling deployment settings. Defaults per field. */
  deployment: z
    .strictObject({
      /** Default: 100. */
      minimumHealthyPercent: z.number().int().min(0).max(100).default(100),
      /** Default: 200. */
      maximumPercent: z.number().int().min(100).max(200).default(200),
    })
    .default({ minimumHealthyPercent: 100, maximumPercent: 200 }),
  /** Blue/green deployments through CodeDeploy (needs loadBalancer.testListener). Default: ECS rolling updates. */
  blueGreen: blueGreenSchema.optional(),
  /**
   * The task role (the application itself, not the ECS agent) may create streams in and write to the service's own
   * log group, for applications that ship logs with the SDK. Default: false.
   */
  taskRoleLogAccess: z.boolean().default(false),
});

export type HealthCheck = z.output<typeof healthCheckSchema>;

/** The health check a web service's target group probes with: the blueprint's, or each field's default. */
export function targetHealthCheck(svc: { readonly healthCheck?: HealthCheck }): HealthCheck {
  return svc.healthCheck ?? healthCheckSchema.parse({});
}
