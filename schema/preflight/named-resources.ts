import * as names from "../names";
import { hasLayer } from "../layers";
import { servicesRestartedOnRotation } from "../operations-rules";
import type { AccountBaseline } from "../account-baseline";
import type { Deployment } from "../resolve";
import { documented, type Source } from "./types";

/** One name a deployment gives an AWS resource, and the field that changes it. */
export interface NamedResource {
  readonly name: string;
  /** The blueprint field to change for another name (written or not: a derived name is set there). */
  readonly path: string;
  /** Derived from the deployment's `<app>-<env>` prefix rather than written in the blueprint. */
  readonly derived: boolean;
  /** Created once per deployment however often it appears (an image repository two services share). */
  readonly sharedWithin?: boolean;
}

/** A shape AWS refuses beyond length and characters, e.g. a load balancer name starting with `internal-`. */
export interface RefusedShape {
  readonly test: (name: string) => boolean;
  readonly says: string;
}

/**
 * A kind of named AWS resource the stacks create: AWS's limits on its name and where AWS keeps the name unique.
 * The preflight makes two rules of each: `<id>-name` (length, characters, refused shapes) and, with `unique`,
 * `unique-<id>` (no two environments of one account create it, nor one environment twice).
 */
export interface ResourceKind {
  readonly id: string;
  /** e.g. "IAM role name". */
  readonly what: string;
  readonly limits?: {
    readonly min?: number;
    readonly max: number;
    /** Every allowed character (a one-character class). */
    readonly chars: RegExp;
    readonly charsText: string;
    readonly shapes?: readonly RefusedShape[];
    /** What AWS answers to a name outside the limits. */
    readonly refuses: string;
    readonly source: Source;
  };
  readonly unique?: {
    /** IAM names are unique in the account; the others in the account's region. */
    readonly scope: "account" | "region";
    /** What AWS does with a second resource of the same name. */
    readonly refuses: string;
    readonly source: Source;
  };
  readonly of: (d: Deployment) => NamedResource[];
}

/** The blueprint field of a name it may write, or the field that names the part the name is derived from. */
function named(name: string, path: string, written: boolean, sharedWithin = false): NamedResource {
  return { name, path, derived: !written, ...(sharedWithin ? { sharedWithin } : {}) };
}

const services = (d: Deployment) => d.spec.services.map((svc, i) => ({ svc, i }));
const scheduledTasks = (d: Deployment) => d.spec.scheduledTasks.map((task, i) => ({ task, i }));

const SCHEDULE_SOURCE = documented("https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html");

const noEdgeHyphen: RefusedShape = {
  test: (n) => n.startsWith("-") || n.endsWith("-"),
  says: "begins or ends with a hyphen",
};

/** ECS names (clusters, services, task families): up to 255 letters, numbers, underscores and hyphens. */
const ecsName = (what: string, refuses: string, url: string) => ({
  min: 1,
  max: 255,
  chars: /[A-Za-z0-9_-]/,
  charsText: "letters, digits, _ -",
  refuses: `${refuses}: ${what} may contain up to 255 letters, numbers, underscores and hyphens`,
  source: documented(url),
});

const IAM_ROLE_SOURCE = documented("https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html");

const IAM_ROLE_LIMITS = {
  min: 1,
  max: 64,
  chars: /[\w+=,.@-]/,
  charsText: "letters, digits, + = , . @ _ -",
  refuses: "ValidationError: RoleName must have length less than or equal to 64 and match [\\w+=,.@-]+",
  source: IAM_ROLE_SOURCE,
};

/** S3 bucket name prefixes: Terraform appends 26 characters, and bucket names have at most 63. */
const BUCKET_PREFIX_LIMITS = {
  min: 1,
  max: 37,
  chars: /[a-z0-9.-]/,
  charsText: "lower-case letters, digits, . -",
  refuses:
    "bucket names have at most 63 characters; Terraform appends a 26-character unique suffix to bucket_prefix, so the prefix may have 37",
  source: documented("https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html"),
};

export const RESOURCE_KINDS: readonly ResourceKind[] = [
  {
    id: "ecr-repository",
    what: "ECR repository name",
    // Its limits are the schema's (ecrRepositoryName): a name the schema accepts, ECR accepts.
    unique: {
      scope: "region",
      refuses: "RepositoryAlreadyExistsException",
      source: documented("https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html"),
    },
    of: (d) =>
      services(d).map(({ svc, i }) => named(svc.image.repository, `services[${i}].image.repository`, true, true)),
  },
  {
    id: "iam-role",
    what: "IAM role name",
    limits: IAM_ROLE_LIMITS,
    unique: {
      scope: "account",
      refuses: "EntityAlreadyExists: Role with name ... already exists",
      source: IAM_ROLE_SOURCE,
    },
    of: (d) => [
      ...services(d).flatMap(({ svc, i }) => [
        named(names.executionRoleName(d, svc), `services[${i}].name`, false),
        named(names.taskRoleName(d, svc), `services[${i}].name`, false),
        ...(svc.blueGreen && d.spec.loadBalancer
          ? [named(names.codeDeployRoleName(d, svc), `services[${i}].name`, false)]
          : []),
      ]),
      ...scheduledTasks(d).map(({ task, i }) =>
        named(names.schedulerRoleName(d, task), `scheduledTasks[${i}].name`, false),
      ),
      ...(d.spec.ci ? [named(names.deployRoleName(d), "ci.roleName", d.spec.ci.roleName !== undefined)] : []),
      ...(d.spec.ci?.planRole
        ? [named(names.planRoleName(d), "ci.planRoleName", d.spec.ci.planRoleName !== undefined)]
        : []),
      ...(servicesRestartedOnRotation(d.spec).length > 0
        ? names.rotationRestartRoleNames(d).map((n) => named(n, "database", false))
        : []),
      ...(hasLayer(d, "bastion")
        ? [named(names.bastionName(d), "bastion.name", d.spec.bastion?.name !== undefined)]
        : []),
    ],
  },
  {
    id: "oidc-provider",
    what: "GitHub OIDC identity provider",
    unique: {
      scope: "account",
      refuses: "EntityAlreadyExists: Provider with url https://token.actions.githubusercontent.com already exists",
      source: documented("https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html"),
    },
    of: (d) =>
      d.spec.ci?.createOidcProvider
        ? [named("token.actions.githubusercontent.com", "ci.createOidcProvider", true)]
        : [],
  },
  {
    id: "log-group",
    what: "CloudWatch Logs log group name",
    limits: {
      min: 1,
      max: 512,
      chars: /[A-Za-z0-9._/#-]/,
      charsText: "letters, digits, . _ - / #",
      shapes: [{ test: (n) => n.startsWith("aws/"), says: "starts with aws/, which AWS keeps for its services" }],
      refuses:
        "InvalidParameterException: logGroupName must be 1-512 of [\\.\\-_/#A-Za-z0-9]+ and can't start with aws/",
      source: documented(
        "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
      ),
    },
    unique: {
      scope: "region",
      refuses: "ResourceAlreadyExistsException: The specified log group already exists",
      source: documented(
        "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
      ),
    },
    of: (d) => [
      ...services(d).map(({ svc, i }) =>
        named(names.serviceLogGroupName(d, svc), `services[${i}].logGroupName`, svc.logGroupName !== undefined),
      ),
      ...services(d)
        .filter(({ svc }) => svc.logRouter)
        .map(({ svc, i }) =>
          named(names.logRouterLogGroupName(d, svc), `services[${i}].logRouter`, svc.logGroupName !== undefined),
        ),
      ...(d.spec.network.flowLogs.enabled ? [named(names.flowLogGroupName(d), "network.flowLogs", false)] : []),
      // In us-east-1, with CloudFront (the account model compares names per region; this region is always the same).
      ...(hasLayer(d, "edge") && d.spec.cloudFront?.accessLogs.enabled
        ? [named(names.cdnLogGroupName(d), "cloudFront.accessLogs", false)]
        : []),
    ],
  },
  {
    id: "sns-topic",
    what: "SNS topic name",
    limits: {
      min: 1,
      max: 256,
      chars: /[A-Za-z0-9_-]/,
      charsText: "letters, digits, _ -",
      refuses:
        "InvalidParameter: Topic names must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long",
      source: documented("https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html"),
    },
    unique: {
      scope: "region",
      refuses:
        "CreateTopic answers a second create with the existing topic: both environments would manage one topic, and destroying either deletes it",
      source: documented("https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html"),
    },
    of: (d) => [
      ...(d.spec.monitoring
        ? [named(names.alarmTopicName(d), "monitoring.topicName", d.spec.monitoring.topicName !== undefined)]
        : []),
      ...(d.spec.monitoring?.warning
        ? [
            named(
              names.warningTopicName(d),
              "monitoring.warning.topicName",
              d.spec.monitoring.warning.topicName !== undefined,
            ),
          ]
        : []),
    ],
  },
  {
    id: "kms-alias",
    what: "KMS alias name",
    limits: {
      min: 7,
      max: 256,
      chars: /[A-Za-z0-9/_-]/,
      charsText: "letters, digits, / _ -",
      shapes: [
        { test: (n) => n.startsWith("alias/aws/"), says: "starts with alias/aws/, which AWS keeps for its keys" },
      ],
      refuses:
        "ValidationException: AliasName must be alias/ followed by 1-250 of [a-zA-Z0-9/_-] (256 in all), not alias/aws/",
      source: documented("https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html"),
    },
    of: (d) =>
      d.spec.monitoring?.topicEncryption === "customer-managed"
        ? [named(names.alarmTopicKeyAlias(d), "monitoring.topicEncryption", false)]
        : [],
  },
  {
    id: "ecs-cluster",
    what: "ECS cluster name",
    limits: ecsName(
      "cluster names",
      "InvalidParameterException",
      "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html",
    ),
    unique: {
      scope: "region",
      refuses:
        "CreateCluster answers a second create with the existing cluster: both environments would manage one cluster, and destroying either fails or deletes it",
      source: documented("https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html"),
    },
    of: (d) => [named(names.clusterName(d), "cluster.name", d.spec.cluster.name !== undefined)],
  },
  {
    id: "ecs-service",
    what: "ECS service name",
    limits: ecsName(
      "service names",
      "InvalidParameterException",
      "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html",
    ),
    of: (d) =>
      services(d).map(({ svc, i }) =>
        named(names.ecsServiceName(d, svc), `services[${i}].serviceName`, svc.serviceName !== undefined),
      ),
  },
  {
    id: "task-family",
    what: "task definition family",
    limits: ecsName(
      "family",
      "ClientException",
      "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html",
    ),
    of: (d) =>
      services(d).map(({ svc, i }) =>
        named(names.taskFamily(d, svc), `services[${i}].family`, svc.family !== undefined),
      ),
  },
  {
    id: "load-balancer",
    what: "load balancer name",
    limits: {
      min: 1,
      max: 32,
      chars: /[A-Za-z0-9-]/,
      charsText: "letters, digits, -",
      shapes: [
        noEdgeHyphen,
        {
          test: (n) => n.startsWith("internal-"),
          says: "begins with internal-, which AWS keeps for internal DNS names",
        },
      ],
      refuses:
        "ValidationError: the name must have a maximum of 32 alphanumeric characters and hyphens, must not begin or end with a hyphen, and must not begin with internal-",
      source: documented(
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
      ),
    },
    unique: {
      scope: "region",
      refuses: "DuplicateLoadBalancerName: A load balancer with the same name already exists",
      source: documented(
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
      ),
    },
    of: (d) =>
      d.spec.loadBalancer
        ? [named(names.loadBalancerName(d), "loadBalancer.name", d.spec.loadBalancer.name !== undefined)]
        : [],
  },
  {
    id: "target-group",
    what: "target group name",
    limits: {
      min: 1,
      max: 32,
      chars: /[A-Za-z0-9-]/,
      charsText: "letters, digits, -",
      shapes: [noEdgeHyphen],
      refuses:
        "ValidationError: the name must have a maximum of 32 alphanumeric characters and hyphens, and must not begin or end with a hyphen",
      source: documented(
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
      ),
    },
    // No uniqueness rule: every name ends in a generation derived from the deployment's own VPC
    // (TARGET_GROUP_GENERATION), so names of different deployments differ even where their heads are equal.
    of: (d) =>
      d.spec.loadBalancer
        ? services(d).flatMap(({ svc, i }) =>
            names
              .targetGroupColors(svc)
              .map((c) => named(names.targetGroupNameHead(d, svc, c), `services[${i}].name`, false)),
          )
        : [],
  },
  {
    id: "codedeploy-application",
    what: "CodeDeploy application name",
    limits: {
      min: 1,
      max: 100,
      chars: /[\x20-\x7e]/,
      charsText: "printable ASCII",
      refuses: "InvalidApplicationNameException: application names have 1-100 characters",
      source: documented("https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateApplication.html"),
    },
    unique: {
      scope: "region",
      refuses: "ApplicationAlreadyExistsException: An application with the specified name ... already exists",
      source: documented("https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateApplication.html"),
    },
    of: (d) =>
      d.spec.loadBalancer?.testListener
        ? services(d)
            .filter(({ svc }) => svc.blueGreen)
            .map(({ svc, i }) =>
              named(
                names.codeDeployApplicationName(d, svc),
                `services[${i}].blueGreen.applicationName`,
                svc.blueGreen?.applicationName !== undefined,
              ),
            )
        : [],
  },
  {
    id: "waf-web-acl",
    what: "WAF web ACL name",
    limits: {
      min: 1,
      max: 128,
      chars: /[\w-]/,
      charsText: "letters, digits, _ -",
      refuses: "WAFInvalidParameterException: Name must match ^[\\w\\-]+$ with 1-128 characters",
      source: documented("https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html"),
    },
    unique: {
      scope: "region",
      refuses: "WAFDuplicateItemException: a web ACL with this name already exists in the scope",
      source: documented("https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html"),
    },
    of: (d) => [
      ...(d.spec.loadBalancer?.waf ? [named(names.webAclName(d), "loadBalancer.waf", false)] : []),
      ...(hasLayer(d, "edge") && d.spec.cloudFront?.waf
        ? [named(names.cdnWebAclName(d), "cloudFront.waf", false)]
        : []),
    ],
  },
  {
    id: "rds-identifier",
    what: "RDS DB identifier",
    limits: {
      min: 1,
      max: 63,
      chars: /[a-z0-9-]/,
      charsText: "lower-case letters, digits, -",
      shapes: [
        { test: (n) => !/^[a-z]/.test(n), says: "does not begin with a letter" },
        { test: (n) => n.includes("--"), says: "has two consecutive hyphens" },
        { test: (n) => n.endsWith("-"), says: "ends with a hyphen" },
      ],
      refuses:
        "InvalidParameterValue: The parameter DBInstanceIdentifier (DBClusterIdentifier) is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens (1-63 characters)",
      source: documented("https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html"),
    },
    unique: {
      scope: "region",
      refuses: "DBInstanceAlreadyExists / DBClusterAlreadyExistsFault",
      source: documented("https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html"),
    },
    of: (d) => {
      const db = d.spec.database;
      if (!db) return [];
      const written = db.identifier !== undefined;
      const ids =
        db.kind === "aurora"
          ? [names.databaseIdentifier(d), ...names.auroraInstanceIdentifiers(d)]
          : [names.databaseIdentifier(d)];
      return ids.map((id) => named(id, "database.identifier", written));
    },
  },
  {
    id: "secret",
    what: "Secrets Manager secret name",
    limits: {
      min: 1,
      max: 512,
      chars: /[A-Za-z0-9/_+=.@-]/,
      charsText: "letters, digits, / _ + = . @ -",
      refuses: "ValidationException: secret names have 1-512 characters of letters, numbers and /_+=.@-",
      source: documented("https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html"),
    },
    unique: {
      scope: "region",
      refuses: "ResourceExistsException: The operation failed because the secret ... already exists",
      source: documented("https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html"),
    },
    of: (d) => d.spec.appSecrets.map((a, i) => named(names.appSecretName(d, a.name), `appSecrets[${i}].name`, false)),
  },
  {
    id: "ssm-parameter",
    what: "SSM parameter name",
    limits: {
      min: 1,
      max: 1011 - "arn:aws:ssm:ap-northeast-1:123456789012:parameter".length,
      chars: /[A-Za-z0-9_./-]/,
      charsText: "letters, digits, _ . - /",
      shapes: [
        {
          test: (n) => /^\/?(aws|ssm)/i.test(n),
          says: 'begins with "aws" or "ssm", which Parameter Store keeps for itself',
        },
        { test: (n) => n.split("/").filter(Boolean).length > 15, says: "is more than 15 levels deep" },
      ],
      refuses:
        "ValidationException: parameter names can't be prefixed with aws or ssm (case-insensitive), have at most 15 levels, and the name with its ARN at most 1011 characters",
      source: documented(
        "https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html",
      ),
    },
    unique: {
      scope: "region",
      refuses: "ParameterAlreadyExists: The parameter already exists",
      source: documented("https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html"),
    },
    of: (d) => [
      ...d.spec.ssmParameters.map((p, i) =>
        named(names.ssmParameterName(d, p.name), `ssmParameters[${i}].name`, false),
      ),
      ...services(d).map(({ svc, i }) => named(names.releaseParameterName(d, svc), `services[${i}].name`, false)),
    ],
  },
  {
    id: "log-bucket-prefix",
    what: "access log bucket name prefix",
    limits: BUCKET_PREFIX_LIMITS,
    of: (d) =>
      d.spec.loadBalancer?.accessLogs ? [named(names.logBucketPrefix(d), "loadBalancer.accessLogs", false)] : [],
  },
  {
    id: "security-group",
    what: "security group name",
    limits: {
      min: 1,
      max: 255,
      chars: /[\x20-\x7e]/,
      charsText: "printable ASCII",
      shapes: [{ test: (n) => n.toLowerCase().startsWith("sg-"), says: "starts with sg-, the shape of group ids" }],
      refuses: "InvalidParameterValue: Group names may be up to 255 characters and may not start with sg-",
      source: documented("https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html"),
    },
    of: (d) => d.spec.services.map((svc) => named(names.securityGroupName(d, `svc-${svc.name}`), "name", false)),
  },
  {
    id: "schedule",
    what: "EventBridge Scheduler schedule name",
    limits: {
      min: 1,
      max: 64,
      chars: /[0-9a-zA-Z_.-]/,
      charsText: "letters, digits, _ . -",
      refuses: "ValidationException: Name must have length less than or equal to 64 and match [0-9a-zA-Z-_.]+",
      source: SCHEDULE_SOURCE,
    },
    unique: {
      // Every schedule is in the account's default group of the region, where names are unique.
      scope: "region",
      refuses: "ConflictException: a schedule with this name already exists in the group",
      source: SCHEDULE_SOURCE,
    },
    of: (d) =>
      scheduledTasks(d).map(({ task, i }) => named(names.scheduleName(d, task), `scheduledTasks[${i}].name`, false)),
  },
];

/**
 * A kind of named resource of an account's baseline (the account-baseline stack): one per account, so only its
 * limits are checked (`<id>-name`); that an account has one baseline is the rule `one-account-baseline`.
 */
export interface AccountResourceKind {
  readonly id: string;
  readonly what: string;
  readonly limits: NonNullable<ResourceKind["limits"]>;
  readonly of: (b: AccountBaseline) => NamedResource[];
}

/** AWS Config names: 1-256 characters, not blank. */
const configName = (what: string, url: string) => ({
  min: 1,
  max: 256,
  chars: /[\x20-\x7e]/,
  charsText: "printable ASCII",
  refuses: `ValidationException: ${what} must have 1-256 characters`,
  source: documented(url),
});

/** The names of an account's baseline are derived from the account key (schema/names.ts). */
const fromKey = (name: string, section: string) => named(name, `accountBaseline.${section}`, false);

export const ACCOUNT_RESOURCE_KINDS: readonly AccountResourceKind[] = [
  {
    id: "config-bucket-prefix",
    what: "Config bucket name prefix",
    limits: BUCKET_PREFIX_LIMITS,
    of: (b) => (b.config ? [fromKey(names.configBucketPrefix(b.account.key), "config")] : []),
  },
  {
    id: "config-role",
    what: "IAM role name",
    limits: IAM_ROLE_LIMITS,
    of: (b) => (b.config ? [fromKey(names.configRoleName(b.account.key), "config")] : []),
  },
  {
    id: "config-recorder",
    what: "configuration recorder name",
    limits: configName(
      "ConfigurationRecorder.name",
      "https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigurationRecorder.html",
    ),
    of: (b) => (b.config ? [fromKey(names.configRecorderName(b.account.key), "config")] : []),
  },
  {
    id: "config-delivery-channel",
    what: "delivery channel name",
    limits: configName(
      "DeliveryChannel.name",
      "https://docs.aws.amazon.com/config/latest/APIReference/API_DeliveryChannel.html",
    ),
    of: (b) => (b.config ? [fromKey(names.configDeliveryChannelName(b.account.key), "config")] : []),
  },
  {
    id: "budget",
    what: "budget name",
    limits: {
      min: 1,
      max: 100,
      chars: /[^:\\]/,
      charsText: "any character but : and \\",
      refuses: "InvalidParameterException: BudgetName must have 1-100 characters and no : or \\",
      source: documented("https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html"),
    },
    of: (b) => (b.budget ? [fromKey(names.budgetName(b.account.key), "budget")] : []),
  },
];
