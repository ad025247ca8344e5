import { Construct } from "constructs";
import { Fn } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import type { Statement } from "./iam-documents";

export interface LogRouterProps {
  /** Name of the application container whose output the router receives (FireLens tags it `<name>-firelens-<task>`). */
  readonly appContainerName: string;
  /** Image of AWS for Fluent Bit, an init- variant (it loads the configuration from S3 before Fluent Bit starts). */
  readonly image: string;
  /** CPU units and memory limit (MiB) of the router container, parts of the task's size. */
  readonly cpu: number;
  readonly memory: number;
  readonly region: string;
  /** The log group that receives error lines (the service's own group), its name, and the stream prefix there. */
  readonly errorLogGroup: CloudwatchLogGroup;
  readonly errorLogGroupName: string;
  readonly errorLogStreamPrefix: string;
  /** Level words that make a line an error line. */
  readonly errorLevels: readonly string[];
  /** The logs bucket (name and ARN), the key prefix of this service's logs and the key of its configuration. */
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly keyPrefix: string;
  readonly configKey: string;
  /** Largest object in MiB and the minutes after which Fluent Bit uploads what it has. */
  readonly totalFileSizeMiB: number;
  readonly uploadTimeoutMinutes: number;
  /** Add ECS metadata (cluster, task ARN, task definition, container) to each record. Default: true. */
  readonly ecsLogMetadata?: boolean;
  /** The router's own log group (its start-up and delivery errors) and how long it keeps them. */
  readonly routerLogGroupName: string;
  readonly routerLogRetentionDays: number;
}

/** The container every FireLens router of the project is called (the application's `dependsOn` names it). */
export const LOG_ROUTER_CONTAINER = "log-router";

/**
 * A FireLens log router: a Fluent Bit container beside the application's, which sends lines holding an error level
 * to CloudWatch Logs and every line, gzip-compressed and partitioned by date and hour, to S3. The routing is a Fluent
 * Bit configuration file this construct writes to the logs bucket; the AWS for Fluent Bit init image downloads it at
 * start (`aws_fluent_bit_init_s3_1`), because FireLens on Fargate takes configuration files only from inside the
 * image, and a custom image would be one more thing to build and patch. The router's own output goes to its own log
 * group through awslogs, so a router that cannot deliver still says why.
 *
 * What the task needs, as statements: the task role writes the error lines, puts objects under the prefix and reads
 * the configuration (the init process asks the bucket's region first); the execution role writes the router's own
 * log group and pulls its image when it is in a private ECR registry.
 */
export class LogRouter extends Construct {
  /** The router's container definition (structured; encoded with the task's other containers). */
  readonly container: Record<string, unknown>;
  /** The application container's log configuration and start dependency. */
  readonly appLogConfiguration: Record<string, unknown>;
  readonly appDependsOn: Record<string, unknown>[];
  readonly taskRoleStatements: Statement[];
  readonly executionStatements: Statement[];
  /** The Fluent Bit configuration text (a Terraform expression: it names the bucket, an upstream output). */
  readonly config: string;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: LogRouterProps) {
    super(scope, id);
    this.logGroup = new CloudwatchLogGroup(this, "this-log-group", {
      name: props.routerLogGroupName,
      retentionInDays: props.routerLogRetentionDays,
    });
    this.config = fluentBitConfig(props);
    const object = new S3Object(this, "this-config", {
      bucket: props.bucketName,
      key: props.configKey,
      content: this.config,
      contentType: "text/plain",
    });
    // Through the object's key, so that the object exists before a task definition names it.
    const configArn = `${props.bucketArn}/${object.key}`;
    this.container = {
      name: LOG_ROUTER_CONTAINER,
      image: props.image,
      essential: true,
      cpu: props.cpu,
      memory: props.memory,
      privileged: false,
      // The init process writes the generated configuration and the downloaded file under /init in the image.
      readonlyRootFilesystem: false,
      firelensConfiguration: {
        type: "fluentbit",
        options: { "enable-ecs-log-metadata": String(props.ecsLogMetadata ?? true) },
      },
      environment: [
        { name: "aws_fluent_bit_init_s3_1", value: configArn },
        // Tasks read the configuration when they start: a new digest makes a new task definition, which rolls out.
        { name: "LOG_ROUTER_CONFIG_MD5", value: Fn.md5(this.config) },
      ],
      logConfiguration: {
        logDriver: "awslogs",
        options: {
          "awslogs-group": this.logGroup.name,
          "awslogs-region": props.region,
          "awslogs-stream-prefix": LOG_ROUTER_CONTAINER,
        },
      },
    };
    // No options: the outputs are in the configuration file, for every line of the application container.
    this.appLogConfiguration = { logDriver: "awsfirelens" };
    this.appDependsOn = [{ containerName: LOG_ROUTER_CONTAINER, condition: "START" }];
    this.taskRoleStatements = [
      {
        sid: "LogRouterErrorLines",
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [`${props.errorLogGroup.arn}:*`],
      },
      { sid: "LogRouterArchive", actions: ["s3:PutObject"], resources: [`${props.bucketArn}/${props.keyPrefix}/*`] },
      { sid: "LogRouterConfig", actions: ["s3:GetObject"], resources: [configArn] },
      { sid: "LogRouterConfigRegion", actions: ["s3:GetBucketLocation"], resources: [props.bucketArn] },
    ];
    const repository = privateEcrRepositoryArn(props.image);
    this.executionStatements = [
      {
        sid: "LogRouterLogs",
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [`${this.logGroup.arn}:*`],
      },
      ...(repository
        ? [
            {
              sid: "LogRouterPull",
              actions: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
              resources: [repository],
            },
          ]
        : []),
    ];
  }
}

/** The ARN of a private ECR repository an image reference names, or undefined (public registries need no grant). */
export function privateEcrRepositoryArn(image: string): string | undefined {
  const m = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([^:@]+)/.exec(image);
  return m ? `arn:aws:ecr:${m[2]}:${m[1]}:repository/${m[3]}` : undefined;
}

/**
 * The routing, in Fluent Bit's classic format (the init process @INCLUDEs it after FireLens's own configuration):
 * a rewrite_tag filter copies lines holding an error level as a word to the tag `error.<tag>`; cloudwatch_logs sends
 * those (the line only, as the application printed it); s3 sends every original line. A level counts as a word: not
 * preceded or followed by a letter, digit or _ (so `ERROR:`, `[ERROR]` and `"ERROR"` count, `ERRORS` does not).
 * Rules are space-separated and every piece is a Terraform string literal, so the pattern holds no space, quote or
 * backslash.
 */
function fluentBitConfig(props: LogRouterProps): string {
  const appTag = `${props.appContainerName}-firelens-*`;
  const levels = props.errorLevels.join("|");
  // Pieces, never a template around a token: the bucket name is an upstream output, and Fn.join keeps the JSON and
  // HCL forms of the stack equal.
  const section = (name: string, entries: [string, string][]) => [
    `[${name}]\n`,
    ...entries.flatMap(([k, v]) => [`    ${k.padEnd(18)} `, v, "\n"]),
    "\n",
  ];
  return Fn.join("", [
    ...section("FILTER", [
      ["Name", "rewrite_tag"],
      ["Match", appTag],
      ["Rule", `$log (^|[^A-Za-z0-9_])(${levels})([^A-Za-z0-9_]|$) error.$TAG true`],
      ["Emitter_Name", "error_lines"],
    ]),
    ...section("OUTPUT", [
      ["Name", "cloudwatch_logs"],
      ["Match", "error.*"],
      ["region", props.region],
      ["log_group_name", props.errorLogGroupName],
      ["log_stream_prefix", `${props.errorLogStreamPrefix}/`],
      ["log_key", "log"],
      ["auto_create_group", "false"],
      ["retry_limit", "5"],
    ]),
    ...section("OUTPUT", [
      ["Name", "s3"],
      ["Match", appTag],
      ["region", props.region],
      ["bucket", props.bucketName],
      ["total_file_size", `${props.totalFileSizeMiB}M`],
      ["upload_timeout", `${props.uploadTimeoutMinutes}m`],
      ["use_put_object", "On"],
      ["compression", "gzip"],
      ["s3_key_format", `/${props.keyPrefix}/%Y/%m/%d/%H/$UUID.gz`],
      ["retry_limit", "5"],
    ]),
  ]);
}
