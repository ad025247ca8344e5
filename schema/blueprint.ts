import { z } from "zod";
import {
  absolutePath,
  awsRegion,
  cidrBlock,
  domainName,
  ecrRepositoryName,
  kebabName,
  logGroupName,
  logRetentionDays,
  port,
  subnetSelector,
  subnetTier,
} from "./primitives";

// A synthesis parses each blueprint once: zod's JIT (compiling a parser per object schema with `new Function`) costs
// more than it saves here, so parse without it.
z.config({ jitless: true });

/*
 * The blueprint format. Every field documents its default; `z.input` of these schemas is what a blueprint file
 * writes, `z.output` is what modules receive (defaults filled in). Cross-field rules (CIDR containment, AZs in the
 * region, Fargate sizes, path conflicts ...) live in ./semantics.ts.
 */

// ---------------------------------------------------------------- network

export const subnetSchema = z.strictObject({
  /** public: route to the internet gateway; private: route to a NAT gateway (if any); isolated: no route out. */
  tier: subnetTier,
  /** Must lie inside the VPC CIDR and overlap no other subnet. */
  cidr: cidrBlock,
  /** Availability zone, e.g. ap-northeast-1a; must be one of the environment's availabilityZones. */
  az: z.string(),
  /** Name suffix for the Name tag. Default: `<tier>-<az suffix>`. */
  name: kebabName("subnet name", 40).optional(),
});

export const INTERFACE_ENDPOINT_SERVICES = [
  "ecr.api",
  "ecr.dkr",
  "logs",
  "ssm",
  "ssmmessages",
  "ec2messages",
  "secretsmanager",
  "kms",
  "sts",
  "monitoring",
] as const;

// ---- issue 3 (callback-handler): client security groups
export const clientSecurityGroupSchema = z.strictObject({
  /** Short name; the group is named `<app>-<env>-client-<name>`. */
  name: kebabName("client group name", 40),
  /** Who uses the group. Default: "Client of the load balancer". */
  description: z.string().min(1).max(255).optional(),
  /** Listener ports the client may reach. Default: every listener port. */
  loadBalancerPorts: z.array(port).min(1).optional(),
});
// ---- end issue 3

export const networkSchema = z.strictObject({
  /** VPC CIDR block. */
  cidr: cidrBlock,
  /** Subnets with explicit CIDRs and AZs (nothing is computed, so a plan never moves a subnet). */
  subnets: z.array(subnetSchema).min(1, { error: "is empty. Fix: declare at least one subnet" }),
  /**
   * NAT gateways for private subnets. none: private subnets reach AWS only through VPC endpoints; single: one NAT
   * gateway in the first public subnet; per-az: one per AZ that has a public subnet. Default: none.
   */
  natGateways: z.enum(["none", "single", "per-az"]).default("none"),
  /** VPC endpoints, so that tasks reach AWS APIs without NAT. Default: none. */
  vpcEndpoints: z
    .strictObject({
      /** Interface endpoints (com.amazonaws.<region>.<service>). Default: []. */
      interface: z.array(z.enum(INTERFACE_ENDPOINT_SERVICES)).default([]),
      /** Gateway endpoints, attached to every private and isolated route table. Default: []. */
      gateway: z.array(z.enum(["s3", "dynamodb"])).default([]),
      /** Subnets for the interface endpoints' network interfaces. Default: every private subnet. */
      subnets: subnetSelector.optional(),
    })
    .default({ interface: [], gateway: [] }),
  /** VPC flow logs to CloudWatch Logs. Default: enabled, ALL traffic, 90 days. */
  flowLogs: z
    .strictObject({
      enabled: z.boolean().default(true),
      trafficType: z.enum(["ALL", "ACCEPT", "REJECT"]).default("ALL"),
      retentionDays: logRetentionDays.default(90),
    })
    .default({ enabled: true, trafficType: "ALL", retentionDays: 90 }),
  // ---- issue 3 (callback-handler): client security groups
  /**
   * Security groups for clients that live outside the blueprint (an EC2 host, a Nitro Enclave ...) and call the
   * load balancer: each may leave only to the load balancer's group, on its listener ports. Attach them to the
   * client's network interface. Default: [].
   */
  clientSecurityGroups: z.array(clientSecurityGroupSchema).default([]),
  // ---- end issue 3
});

// ---------------------------------------------------------------- services

export const secretRefSchema = z.union(
  [
    z.strictObject({
      /**
       * username / password: a key of the master secret that RDS manages in Secrets Manager. url: the whole
       * connection-URL secret the data stack creates when database.connectionUrlSecret is set.
       */
      fromDatabase: z.enum(["username", "password", "url"]),
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
      "is not a secret reference. Fix: use { fromDatabase: 'password' | 'url' }, { appSecret: '<name>', key? }, { secretsManager: '<name>', key?: '<json key>' } or { ssmParameter: '/path' }",
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
  /** Roll back when a CloudWatch alarm of the blueprint's monitoring fires during a deployment. Default: true. */
  rollbackOnAlarm: z.boolean().default(true),
});

export const serviceSchema = z.strictObject({
  /** Short name, unique in the blueprint; prefixes every resource of the service. */
  name: kebabName("service name", 24),
  /** ECS service name. Default: `<app>-<env>-<name>`. */
  serviceName: kebabName("ECS service name", 255).optional(),
  /** Task definition family. Default: `<app>-<env>-<name>`. */
  family: kebabName("task family", 255).optional(),
  /** Container name. Default: the service name. */
  containerName: kebabName("container name", 255).optional(),
  image: z.strictObject({
    /** ECR repository name; the registry stack creates it. */
    repository: ecrRepositoryName,
    /** Tag deployed by Terraform; CI deploys other tags. Default: latest. */
    tag: z.string().min(1).max(128).default("latest"),
    /** Images the lifecycle policy keeps (older ones expire; untagged ones after 7 days). Default: 10. */
    keepImages: z.number().int().min(1).max(1000).default(10),
    /** Tags cannot be overwritten (ECR.2); CI pushes a new tag per build. Default: true. */
    immutableTags: z.boolean().default(true),
  }),
  /** Port the container listens on. */
  containerPort: port,
  /** Fargate task CPU units (256 = 0.25 vCPU). */
  cpu: z.number().int(),
  /** Fargate task memory in MiB; must be a size Fargate offers for `cpu`. */
  memory: z.number().int(),
  /** Tasks to run. Default: 1. */
  desiredCount: z.number().int().min(0).default(1),
  /** Where tasks run. Default: every private subnet. */
  subnets: subnetSelector.default({ tier: "private" }),
  /** Whether tasks get a public IP (only for public subnets without NAT; flagged by the policy checks). Default: false. */
  assignPublicIp: z.boolean().default(false),
  /** Target group health check. Defaults per field. */
  healthCheck: healthCheckSchema.default({
    path: "/health",
    interval: 30,
    timeout: 5,
    healthyThreshold: 2,
    unhealthyThreshold: 3,
    matcher: "200-399",
    gracePeriodSeconds: 60,
  }),
  /** Container-level health check. Default: none. */
  containerHealthCheck: containerHealthCheckSchema.optional(),
  /** Listener rule for this service. Default: the service takes the listener's default action (one service only). */
  routing: routingSchema.optional(),
  /** Target-tracking autoscaling. Default: fixed desiredCount. */
  autoscaling: autoscalingSchema.optional(),
  /**
   * Plain environment variables: a string, or { database: "address" | "reader_address" | "port" | "name" } for a
   * value the data stack publishes. Never put secrets here: use `secrets`. Default: {}.
   */
  environment: z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
      z.union([z.string(), z.strictObject({ database: z.enum(["address", "reader_address", "port", "name"]) })], {
        error: 'is not an environment value. Fix: use a string or { database: "address" }',
      }),
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
  /** awslogs stream prefix. Default: the service name. */
  logStreamPrefix: z.string().min(1).optional(),
  /** Log retention. Default: 30 days. */
  logRetentionDays: logRetentionDays.default(30),
  /** Whether the service may connect to the database (its security group is admitted on the database port). Default: false. */
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
  // ---- issue 3 (callback-handler): task role log access
  /**
   * The task role (the application itself, not the ECS agent) may create streams in and write to the service's own
   * log group, for applications that ship logs with the SDK. Default: false.
   */
  taskRoleLogAccess: z.boolean().default(false),
  // ---- end issue 3
});

// ---------------------------------------------------------------- load balancer

export const certificateSchema = z.discriminatedUnion(
  "source",
  [
    /** Issued by ACM in the dns stack, validated through the blueprint's public zone. */
    z.strictObject({ source: z.literal("dns") }),
    /** An ACM certificate imported out of band; its ARN is the Terraform variable `certificate_arn` at apply time. */
    z.strictObject({ source: z.literal("variable") }),
    /** An existing ACM certificate ARN. */
    z.strictObject({
      source: z.literal("arn"),
      arn: z.string().regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/, {
        error: "is not an ACM certificate ARN. Fix: use arn:aws:acm:<region>:<account>:certificate/<id>",
      }),
    }),
  ],
  {
    error: "is not a certificate source. Fix: use { source: 'dns' }, { source: 'variable' } or { source: 'arn', arn }",
  },
);

export const loadBalancerSchema = z.strictObject({
  /** internet-facing or internal. Default: internet-facing. */
  scheme: z.enum(["internet-facing", "internal"]).default("internet-facing"),
  /** ALB name (at most 32 characters). Default: `<app>-<env>`. */
  name: kebabName("load balancer name", 32).optional(),
  /** Subnets. Default: public tier when internet-facing, private tier when internal. */
  subnets: subnetSelector.optional(),
  /** CIDRs admitted to the listeners. Default: 0.0.0.0/0 when internet-facing, the VPC CIDR when internal. */
  ingressCidrs: z.array(cidrBlock).min(1).optional(),
  /** Plain HTTP listener. Default: port 80, redirecting to HTTPS when an HTTPS listener exists. */
  http: z
    .strictObject({
      port: port.default(80),
      /** Default: true when `https` is set. */
      redirectToHttps: z.boolean().optional(),
    })
    .optional(),
  /** HTTPS listener. Default: none. */
  https: z
    .strictObject({
      port: port.default(443),
      certificate: certificateSchema,
      /** Default: ELBSecurityPolicy-TLS13-1-2-2021-06 (TLS 1.2 and 1.3 only). */
      sslPolicy: z.string().default("ELBSecurityPolicy-TLS13-1-2-2021-06"),
    })
    .optional(),
  /**
   * Listener on which CodeDeploy offers the new (green) tasks before switching traffic; blue/green services need it.
   * Default: none.
   */
  testListener: z
    .strictObject({
      /** Default: 8080. */
      port: port.default(8080),
      /** Who may reach the test listener. Default: the VPC CIDR only (test traffic never comes from the internet). */
      ingressCidrs: z.array(cidrBlock).min(1).optional(),
    })
    .optional(),
  /** Seconds. Default: 60. */
  idleTimeout: z.number().int().min(1).max(4000).default(60),
  /** Default: true in production environments. */
  deletionProtection: z.boolean().optional(),
  // ---- issue 9 (fastapi-aurora): access logs and WAF
  /**
   * Access logs to a private, versioned SSE-S3 bucket of the `logs` stack (created before compute). Default: none.
   */
  accessLogs: z
    .strictObject({
      /** Key prefix of the log objects. Default: alb. */
      prefix: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: "is not a key prefix. Fix: use lowercase letters, digits, -" })
        .default("alb"),
      /** Days before logs move to Glacier Flexible Retrieval. Default: 90. */
      glacierAfterDays: z.number().int().min(1).default(90),
      /** Days before logs are deleted; after glacierAfterDays. Default: 365. */
      expireAfterDays: z.number().int().min(2).default(365),
    })
    .refine((a) => a.expireAfterDays > a.glacierAfterDays, {
      error: "deletes logs before they reach Glacier. Fix: make expireAfterDays greater than glacierAfterDays",
    })
    .optional(),
  /** A regional WAF web ACL on the load balancer, in the `security` stack (after compute). Default: none. */
  waf: z
    .strictObject({
      /** AWS managed rule groups, in evaluation order. Default: Common, KnownBadInputs, AmazonIpReputationList. */
      managedRuleGroups: z
        .array(
          z.string().regex(/^AWSManagedRules[A-Za-z0-9]+$/, {
            error: "is not an AWS managed rule group. Fix: use a name such as AWSManagedRulesCommonRuleSet",
          }),
        )
        .min(1)
        .default([
          "AWSManagedRulesCommonRuleSet",
          "AWSManagedRulesKnownBadInputsRuleSet",
          "AWSManagedRulesAmazonIpReputationList",
        ]),
      /** Requests per 5 minutes from one IP above which it is blocked (100-2000000000). Default: none. */
      rateLimit: z.number().int().min(100).max(2000000000).optional(),
    })
    .optional(),
  // ---- end issue 9
});

// ---------------------------------------------------------------- database

export const databaseSchema = z.strictObject({
  /** instance: RDS for PostgreSQL; aurora: Aurora PostgreSQL cluster. Default: instance. */
  kind: z.enum(["instance", "aurora"]).default("instance"),
  /** PostgreSQL engine version. Default: 16.4. */
  engineVersion: z
    .string()
    .regex(/^\d+(\.\d+)?$/, { error: "is not a PostgreSQL version. Fix: use e.g. 16.4" })
    .default("16.4"),
  /** Instance class, e.g. db.t3.micro. */
  instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, {
    error: "is not an RDS instance class. Fix: use e.g. db.t3.micro",
  }),
  /** Identifier. Default: `<app>-<env>`. */
  identifier: kebabName("database identifier", 63).optional(),
  /** Initial database. Default: the app name with underscores. */
  databaseName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, {
      error: "is not a PostgreSQL database name. Fix: start with a letter, then letters, digits or _ (at most 63)",
    })
    .optional(),
  /** Master user; its password is generated and stored by RDS in Secrets Manager. Default: app_admin. */
  masterUsername: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,15}$/, { error: "is not a valid master user name. Fix: 1-16 letters, digits, _" })
    .refine((v) => !["admin", "rdsadmin", "postgres"].includes(v.toLowerCase()), {
      error: "is reserved by RDS. Fix: choose another name, e.g. app_admin",
    })
    .default("app_admin"),
  /** Default: 5432. */
  port: port.default(5432),
  /** GiB (instance only). Default: 20. */
  allocatedStorage: z.number().int().min(20).max(65536).default(20),
  /** Storage autoscaling ceiling in GiB (instance only). Default: none. */
  maxAllocatedStorage: z.number().int().max(65536).optional(),
  /** Default: gp3. */
  storageType: z.enum(["gp3", "gp2", "io1", "io2"]).default("gp3"),
  /** Standby in another AZ (instance only). Default: false. */
  multiAz: z.boolean().default(false),
  /** Aurora reader instances besides the writer. Default: 0. */
  readerCount: z.number().int().min(0).max(15).default(0),
  /** Subnets for the subnet group. Default: isolated tier if the VPC has one, else private. */
  subnets: subnetSelector.optional(),
  /** Days of automated backups (1-35). Default: 7. */
  backupRetentionDays: z.number().int().min(1).max(35).default(7),
  /** Default: 18:00-19:00 UTC. */
  backupWindow: z
    .string()
    .regex(/^\d\d:\d\d-\d\d:\d\d$/)
    .default("18:00-19:00"),
  /** Default: true in production environments. */
  deletionProtection: z.boolean().optional(),
  /** Parameter group settings, e.g. { log_min_duration_statement: "1000" }. Default: a few logging settings. */
  parameters: z.record(z.string(), z.string()).default({}),
  /** IAM database authentication. Default: true. */
  iamAuthentication: z.boolean().default(true),
  /** Performance Insights. Default: false (not offered on the smallest classes). */
  performanceInsights: z.boolean().default(false),
  /** Log types exported to CloudWatch. Default: ["postgresql"]. */
  logExports: z.array(z.enum(["postgresql", "upgrade"])).default(["postgresql"]),
  /**
   * Creates an empty Secrets Manager secret `<identifier>/database-url` for applications that want one connection
   * URL (services read it with secrets: { X: { fromDatabase: "url" } }). Terraform never sees the password, so the
   * value (postgres://user:password@host:port/db) is written out of band after the first apply. Default: false.
   */
  connectionUrlSecret: z.boolean().default(false),
});

// ---------------------------------------------------------------- dns

export const dnsSchema = z.strictObject({
  /** Zone name, e.g. example.com. */
  zoneName: domainName,
  /** Private zone attached to the VPC. Default: false. */
  private: z.boolean().default(false),
  /** Use this existing hosted zone instead of creating one. Default: create. */
  existingZoneId: z
    .string()
    .regex(/^Z[A-Z0-9]{1,32}$/, { error: "is not a hosted zone id. Fix: use the Z... id" })
    .optional(),
  /** Alias records to the load balancer; "" is the zone apex. Default: []. */
  records: z
    .array(
      z.strictObject({
        name: z.string().regex(/^([a-z0-9*]([a-z0-9-]*[a-z0-9])?)?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, {
          error: 'is not a record label. Fix: use a label such as api, or "" for the apex',
        }),
      }),
    )
    .default([]),
  /** Route 53 health check of the first record over HTTPS (public zones only). Default: none. */
  healthCheck: z
    .strictObject({
      path: z.string().startsWith("/").default("/health"),
      /** Default: 30. */
      interval: z.union([z.literal(10), z.literal(30)]).default(30),
      /** Default: 3. */
      failureThreshold: z.number().int().min(1).max(10).default(3),
    })
    .optional(),
});

// ---------------------------------------------------------------- monitoring

const metricAlarmSchema = z.strictObject({
  threshold: z.number(),
  /** Seconds. Default: 300. */
  period: z.number().int().min(10).default(300),
  /** Default: 2. */
  evaluationPeriods: z.number().int().min(1).default(2),
  /** Default: Average (Sum for counts). */
  statistic: z.enum(["Average", "Sum", "Maximum", "Minimum", "p99", "p95", "p90"]).optional(),
});
export type MetricAlarm = z.infer<typeof metricAlarmSchema>;

export const monitoringSchema = z.strictObject({
  /** SNS topic for alarm notifications. Default: `<app>-<env>-alarms`. */
  topicName: kebabName("SNS topic name", 256).optional(),
  /** E-mail subscriptions (confirmed by the recipient). Default: none. */
  emails: z.array(z.email()).default([]),
  /** Per-service ECS CPUUtilization alarm (%). Default: none. */
  cpuUtilization: metricAlarmSchema.optional(),
  /** Per-service ECS MemoryUtilization alarm (%). Default: none. */
  memoryUtilization: metricAlarmSchema.optional(),
  /** ALB HTTPCode_Target_5XX_Count alarm (count per period). Default: none. */
  http5xx: metricAlarmSchema.optional(),
  /** ALB TargetResponseTime alarm (seconds). Default: none. */
  targetResponseTime: metricAlarmSchema.optional(),
  // ---- issue 3 (callback-handler): alarm topic key
  /**
   * Key that encrypts the alarm topic. aws-managed: alias/aws/sns, whose fixed key policy does not let CloudWatch
   * alarms publish (their notifications are dropped); customer-managed: a KMS key of this stack, with rotation, whose
   * policy admits cloudwatch.amazonaws.com. Default: customer-managed (alarms that cannot notify are no alarms).
   */
  topicEncryption: z.enum(["aws-managed", "customer-managed"]).default("customer-managed"),
  // ---- end issue 3
});

// ---------------------------------------------------------------- ci

/**
 * A deploy role for GitHub Actions through OIDC (no long-lived keys), allowed exactly what a deploy workflow does:
 * push the blueprint's images, register task definitions passing the services' own roles, and roll the services out
 * (CodeDeploy deployments for blue/green services, UpdateService for the others).
 */
export const ciSchema = z.strictObject({
  github: z.strictObject({
    /** Repository owner (user or organisation). */
    owner: z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, {
      error: "is not a GitHub owner. Fix: use the user or organisation name, e.g. example-org",
    }),
    /** Repository name. */
    repository: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, {
      error: "is not a GitHub repository name. Fix: use letters, digits, '.', '_' or '-'",
    }),
    /** What follows `repo:<owner>/<repository>:` in the token's subject, e.g. ref:refs/heads/main. Default: *. */
    subject: z.string().min(1).default("*"),
  }),
  /**
   * Create the account's GitHub OIDC identity provider (one per account and URL). Set false in every environment
   * but one that shares an account; the role then trusts the existing provider. Default: true.
   */
  createOidcProvider: z.boolean().default(true),
  /** Deploy role name. Default: `<app>-<env>-github-deploy`. */
  roleName: kebabName("IAM role name", 64).optional(),
  /**
   * Also create the read-only role the plan-review workflow assumes (.github/workflows/plan.yml, PLAN_ROLE_ARN):
   * trusted by this repository's pull requests only, AWS ReadOnlyAccess minus data reads, plus state locking.
   * Default: true.
   */
  planRole: z.boolean().default(true),
  /** Plan role name. Default: `<app>-<env>-github-plan`. */
  planRoleName: kebabName("IAM role name", 64).optional(),
});
// ---------------------------------------------------------------- ssm parameters (issue 3, callback-handler)

export const ssmParameterSchema = z.strictObject({
  /** Last path segment; the parameter is `/<app>-<env>/<name>`. */
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,200}$/, {
    error: "is not an SSM parameter name segment. Fix: use letters, digits, _ . - (no slash)",
  }),
  /** What the value is. */
  description: z.string().min(1).max(1024),
  /** Services whose task role may read it (ssm:GetParameter, decrypted with the aws/ssm key). Default: []. */
  readers: z.array(z.string()).default([]),
});
export type SsmParameter = z.output<typeof ssmParameterSchema>;

// ---------------------------------------------------------------- application secrets

/**
 * A Secrets Manager secret the application reads (third-party credentials and the like). The parameters stack
 * creates it without a value, as `<app>-<env>-<name>`; its value is written out of band (`aws secretsmanager
 * put-secret-value`), so it never enters the state, the plan or the synthesized JSON. Services read it with
 * secrets: { X: { appSecret: "<name>", key?: "<json key>" } }, and their execution role may read exactly it.
 */
export const appSecretSchema = z.strictObject({
  /** Suffix of the secret's name: the secret is `<app>-<env>-<name>`. */
  name: kebabName("secret name", 100),
  /** What the value is, e.g. the JSON keys it holds. */
  description: z.string().min(1).max(2048),
});

// ---------------------------------------------------------------- policy suppressions

/**
 * A policy finding (tools/check, `npm run check`) the blueprint accepts on purpose. The reason is printed with the
 * finding in every report, so it must say why the control does not apply.
 */
export const suppressionSchema = z.strictObject({
  /** Rule id, e.g. alb-https-redirect (README, "Policy checks"). */
  rule: z.string().regex(/^[a-z0-9-]+$/, { error: "is not a rule id. Fix: use an id from the README's rule table" }),
  /** Why the finding is accepted (at least 20 characters). */
  reason: z.string().min(20, { error: "is too short to explain anything. Fix: say why the rule does not apply" }),
  /** Terraform address prefixes the suppression covers, e.g. aws_lb_listener.alb_http. Default: every match. */
  resources: z
    .array(z.string().regex(/^(data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+$/))
    .min(1)
    .optional(),
});

// ---------------------------------------------------------------- blueprint

/** What an environment may differ in: any part of the spec, deep-merged (arrays of named items merge by name). */
export const specSchema = z.strictObject({
  network: networkSchema,
  /** ECS cluster. */
  cluster: z
    .strictObject({
      /** Default: `<app>-<env>`. */
      name: kebabName("cluster name", 255).optional(),
      /** CloudWatch Container Insights. Default: enabled. */
      containerInsights: z.boolean().default(true),
      // ---- issue 3 (callback-handler): capacity providers
      /** Capacity providers of the cluster; FARGATE is the default strategy. Default: ["FARGATE", "FARGATE_SPOT"]. */
      capacityProviders: z
        .array(z.enum(["FARGATE", "FARGATE_SPOT"]))
        .min(1)
        .refine((list) => list.includes("FARGATE"), {
          error: "lacks FARGATE, the default strategy. Fix: include FARGATE",
        })
        .optional(),
      // ---- end issue 3
    })
    .default({ containerInsights: true }),
  services: z.array(serviceSchema).min(1, { error: "is empty. Fix: declare at least one service" }),
  loadBalancer: loadBalancerSchema.optional(),
  database: databaseSchema.optional(),
  dns: dnsSchema.optional(),
  monitoring: monitoringSchema.optional(),
  /** CI deploy role (the ci stack). Default: none. */
  ci: ciSchema.optional(),
  // ---- issue 3 (callback-handler): SSM parameters written out of band
  /** SSM SecureString parameters created empty (the `parameters` stack); values are written out of band. Default: []. */
  ssmParameters: z.array(ssmParameterSchema).default([]),
  // ---- end issue 3
  /** Secrets Manager secrets the services read, created empty and filled out of band. Default: none. */
  appSecrets: z.array(appSecretSchema).default([]),
  /** Policy findings accepted on purpose, each with its reason. Default: none. */
  suppressions: z.array(suppressionSchema).default([]),
  /** Extra tags on every resource. Default: {}. */
  tags: z.record(z.string(), z.string()).default({}),
});

export const environmentSchema = z.strictObject({
  /** dev, staging, prod ... */
  name: kebabName("environment name", 12),
  /** AWS region. */
  region: awsRegion,
  /** AZs the environment uses; subnets must be in these. */
  availabilityZones: z.array(z.string()).min(1),
  /** Terraform refuses to run against any other account. Default: any. */
  accountId: z
    .string()
    .regex(/^\d{12}$/, { error: "is not a 12-digit AWS account id. Fix: use the 12 digits" })
    .optional(),
  /** Production: deletion protection, final snapshots. Default: true when the name is prod or production. */
  production: z.boolean().optional(),
  /** Deep-merged over the blueprint's spec for this environment. Default: none. */
  overrides: z.record(z.string(), z.unknown()).optional(),
});

export const blueprintEnvelopeSchema = z.looseObject({
  /** Application name; prefixes stack ids and resource names. */
  name: kebabName("blueprint name", 24),
  /** One line on what the application is. */
  description: z.string().optional(),
  environments: z.array(environmentSchema).min(1, { error: "is empty. Fix: declare at least one environment" }),
});

export type Spec = z.output<typeof specSchema>;
export type SpecInput = z.input<typeof specSchema>;
export type Service = Spec["services"][number];
export type Network = Spec["network"];
export type Subnet = Network["subnets"][number];
export type LoadBalancer = NonNullable<Spec["loadBalancer"]>;
export type Database = NonNullable<Spec["database"]>;
export type Dns = NonNullable<Spec["dns"]>;
export type Monitoring = NonNullable<Spec["monitoring"]>;
export type BlueGreen = z.output<typeof blueGreenSchema>;
export type Ci = NonNullable<Spec["ci"]>;
export type Certificate = z.output<typeof certificateSchema>;
export type SecretRef = z.output<typeof secretRefSchema>;
export type EnvironmentInput = z.input<typeof environmentSchema>;

/** What a blueprint file exports. */
export interface BlueprintInput extends SpecInput {
  name: string;
  description?: string;
  environments: EnvironmentInput[];
}
