import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { containers, dataOf, onlyResource, resourcesOf, stackById, synthToTemp } from "./helpers/synth";
import { errorsAfter } from "./helpers/blueprint-errors";
import type { SynthesizedStack, TerraformJson } from "../tools/terraform/cdktf-out";
import { fastapiAurora } from "../blueprints/fastapi-aurora";
import type { BlueprintInput } from "../schema/blueprint";
import { privateEcrRepositoryArn } from "../modules/log-router";

/** FireLens log routers (services[].logRouter), as fastapi-aurora uses one, and the rules that guard them. */
let stacks: SynthesizedStack[];
beforeAll(() => {
  stacks = synthToTemp({ blueprint: "fastapi-aurora", environment: "dev" }).stacks;
});
const compute = () => stackById(stacks, "fastapi-aurora-dev-compute");
const logs = () => stackById(stacks, "fastapi-aurora-dev-logs");
const defs = () => containers(onlyResource(compute(), "aws_ecs_task_definition"));
const app = () => defs().find((c) => c.name === "backend")!;
const router = () => defs().find((c) => c.name === "log-router")!;
const LOGS = "data.terraform_remote_state.logs.outputs";

/** The Fluent Bit configuration object (the join of its pieces, with the bucket output as a marker). */
function configText(): string {
  const content: string = onlyResource(compute(), "aws_s3_object").content;
  const m = /^\$\{join\("", \[(.*)\]\)\}$/s.exec(content);
  if (!m) throw new Error(`not a join: ${content.slice(0, 80)}`);
  // The pieces are Terraform string literals or the one reference to the bucket output.
  const pieces = m[1].split(/, (?=")|, (?=data\.)/);
  return pieces.map((p) => (p.startsWith('"') ? (JSON.parse(p) as string) : `<${p.replace(/,$/, "")}>`)).join("");
}

/** Statements of a role's inline policy, by the role's name ending. */
function statementsOf(json: TerraformJson, roleSuffix: string): TerraformJson[] {
  const [address] = Object.entries<TerraformJson>(json.resource.aws_iam_role).find(([, r]) =>
    String(r.name).endsWith(roleSuffix),
  )!;
  const policy = resourcesOf(json, "aws_iam_role_policy").find((p) => p.role === `\${aws_iam_role.${address}.id}`)!;
  const doc = /^\$\{data\.aws_iam_policy_document\.([a-z0-9_]+)\.json\}$/.exec(policy.policy)![1];
  return json.data.aws_iam_policy_document[doc].statement;
}

describe("the task: a log-router container beside the application's", () => {
  it("runs AWS for Fluent Bit (init variant, pinned) from the region's ECR as an essential FireLens router", () => {
    expect(router()).toMatchObject({
      image: "906394416424.dkr.ecr.ap-northeast-1.amazonaws.com/aws-for-fluent-bit:init-2.34.3.20260818",
      essential: true,
      cpu: 51,
      memory: 128,
      privileged: false,
      firelensConfiguration: { type: "fluentbit", options: { "enable-ecs-log-metadata": "true" } },
    });
  });

  it("keeps the task at the blueprint's size: the router's 51 units and 128 MiB are part of 512/1024", () => {
    const td = onlyResource(compute(), "aws_ecs_task_definition");
    expect([td.cpu, td.memory]).toEqual(["512", "1024"]);
    expect(app().cpu).toBeUndefined();
  });

  it("loads its configuration from the logs bucket, and a new configuration makes a new task definition", () => {
    const env = Object.fromEntries(router().environment.map((e: TerraformJson) => [e.name, e.value]));
    expect(env.aws_fluent_bit_init_s3_1).toBe(
      `\${${LOGS}.app_log_bucket_arn}/\${aws_s3_object.backend_log_router.key}`,
    );
    expect(env.LOG_ROUTER_CONFIG_MD5).toMatch(/^\$\{md5\(join\(""/);
    expect(onlyResource(compute(), "aws_s3_object")).toMatchObject({
      bucket: `\${${LOGS}.app_log_bucket_name}`,
      key: "fluent-bit/backend.conf",
      content_type: "text/plain",
    });
  });

  it("logs its own output to its own log group through awslogs, kept as long as the service's", () => {
    expect(router().logConfiguration).toEqual({
      logDriver: "awslogs",
      options: {
        "awslogs-group": "${aws_cloudwatch_log_group.backend_log_router.name}",
        "awslogs-region": "ap-northeast-1",
        "awslogs-stream-prefix": "log-router",
      },
    });
    expect(compute().resource.aws_cloudwatch_log_group.backend_log_router).toMatchObject({
      name: "/ecs/fastapi-aurora-dev/backend/log-router",
      retention_in_days: 7,
    });
  });

  it("sends the application's output to the router (awsfirelens), starting after it", () => {
    expect(app().logConfiguration).toEqual({ logDriver: "awsfirelens" });
    expect(app().dependsOn).toEqual([{ containerName: "log-router", condition: "START" }]);
    expect(app().readonlyRootFilesystem).toBe(true);
  });

  it("suppresses the read-only-root finding for the router only, with the reason", () => {
    const policy = JSON.parse(
      fs.readFileSync(path.join(stacks.find((s) => s.id === "fastapi-aurora-dev-compute")!.dir, "policy.json"), "utf8"),
    );
    expect(policy.suppressions).toContainEqual({
      rule: "ecs-readonly-root",
      reason: expect.stringContaining("log-router container"),
      resources: ["aws_ecs_task_definition.backend"],
    });
  });
});

describe("the Fluent Bit configuration", () => {
  it("copies lines holding an error level as a word to error.<tag>", () => {
    expect(configText()).toContain(
      "[FILTER]\n    Name               rewrite_tag\n    Match              backend-firelens-*\n" +
        "    Rule               $log (^|[^A-Za-z0-9_])(ERROR|CRITICAL|FATAL)([^A-Za-z0-9_]|$) error.$TAG true\n",
    );
  });

  it("the rule's pattern takes uvicorn, logging and JSON error lines and leaves the rest", () => {
    const rule = /Rule +\$log (\S+) error/.exec(configText())![1];
    const re = new RegExp(rule);
    expect(
      [
        "ERROR:    Exception in ASGI application",
        "CRITICAL:root:database unreachable",
        '{"level": "ERROR", "msg": "boom"}',
        "[FATAL] out of memory",
      ].every((l) => re.test(l)),
    ).toBe(true);
    expect(
      [
        'INFO:     10.0.10.5:41234 - "GET /health HTTP/1.1" 200 OK',
        "WARNING: retrying",
        "INFO: 3 ERRORS_TOTAL counter",
      ].some((l) => re.test(l)),
    ).toBe(false);
  });

  it("sends error lines (the line only) to the service's log group, which the error-log alarm watches", () => {
    const text = configText();
    const cw = text.split("\n\n").find((s) => s.includes("cloudwatch_logs"))!;
    expect(cw).toContain("Match              error.*");
    expect(cw).toContain("log_group_name     /ecs/fastapi-aurora-dev/backend\n");
    expect(cw).toContain("log_key            log\n");
    expect(cw).toContain("auto_create_group  false\n");
  });

  it("sends every original line to S3, gzip, one object per upload, partitioned by date and hour", () => {
    const s3 = configText()
      .split("\n\n")
      .find((s) => s.includes("Name               s3"))!;
    expect(s3).toContain("Match              backend-firelens-*\n");
    expect(s3).toContain(`bucket             <${LOGS}.app_log_bucket_name>\n`);
    expect(s3).toContain("compression        gzip\n");
    expect(s3).toContain("use_put_object     On\n");
    expect(s3).toContain("s3_key_format      /app/backend/%Y/%m/%d/%H/$UUID.gz\n");
    expect(s3).toContain("total_file_size    50M\n");
    expect(s3).toContain("upload_timeout     10m\n");
  });
});

describe("IAM: exactly what Fluent Bit needs", () => {
  it("the task role writes error lines, puts objects under app/backend/ and reads its configuration", () => {
    const statements = statementsOf(compute(), "-backend-task");
    // Everything the role may do: the database connection the blueprint asks for, and the router's needs.
    expect(statements.map((s) => s.sid)).toEqual([
      "ConnectToDatabase",
      "LogRouterErrorLines",
      "LogRouterArchive",
      "LogRouterConfig",
      "LogRouterConfigRegion",
    ]);
    const routerStatements = statements.filter((s) => String(s.sid).startsWith("LogRouter"));
    expect(routerStatements.map((s) => [s.sid, s.actions, s.resources])).toEqual([
      [
        "LogRouterErrorLines",
        ["logs:CreateLogStream", "logs:PutLogEvents"],
        ["${aws_cloudwatch_log_group.backend.arn}:*"],
      ],
      ["LogRouterArchive", ["s3:PutObject"], [`\${${LOGS}.app_log_bucket_arn}/app/backend/*`]],
      [
        "LogRouterConfig",
        ["s3:GetObject"],
        [`\${${LOGS}.app_log_bucket_arn}/\${aws_s3_object.backend_log_router.key}`],
      ],
      ["LogRouterConfigRegion", ["s3:GetBucketLocation"], [`\${${LOGS}.app_log_bucket_arn}`]],
    ]);
  });

  it("the execution role writes the router's log group and pulls only the router's repository, not the app's group", () => {
    const statements = statementsOf(compute(), "-backend-exec");
    expect(statements.map((s) => s.sid)).toEqual([
      "EcrAuth",
      "EcrPull",
      "ReadSecrets0",
      "LogRouterLogs",
      "LogRouterPull",
    ]);
    expect(statements.find((s) => s.sid === "LogRouterLogs")!.resources).toEqual([
      "${aws_cloudwatch_log_group.backend_log_router.arn}:*",
    ]);
    expect(statements.find((s) => s.sid === "LogRouterPull")!.resources).toEqual([
      "arn:aws:ecr:ap-northeast-1:906394416424:repository/aws-for-fluent-bit",
    ]);
    // The application's lines reach its group through the router (task role), no longer through awslogs.
    expect(statements.some((s) => s.sid === "Logs")).toBe(false);
  });

  it("reads a private ECR repository from an image reference and grants nothing for public registries", () => {
    expect(privateEcrRepositoryArn("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/fluent-bit:init-1")).toBe(
      "arn:aws:ecr:eu-west-1:123456789012:repository/team/fluent-bit",
    );
    expect(privateEcrRepositoryArn("public.ecr.aws/aws-observability/aws-for-fluent-bit:init-2.34.3.20260818")).toBe(
      undefined,
    );
  });
});

describe("the logs bucket", () => {
  it("expires application logs like the ALB's and keeps the configuration out of every lifecycle rule", () => {
    const rules = onlyResource(logs(), "aws_s3_bucket_lifecycle_configuration").rule;
    expect(rules.map((r: TerraformJson) => [r.id, r.filter[0].prefix, r.transition, r.expiration])).toEqual([
      ["alb-archive-then-expire", "alb/", [{ days: 90, storage_class: "GLACIER" }], [{ days: 365 }]],
      ["app-backend-archive-then-expire", "app/backend/", [{ days: 90, storage_class: "GLACIER" }], [{ days: 365 }]],
    ]);
    expect(rules.some((r: TerraformJson) => "fluent-bit/backend.conf".startsWith(r.filter[0].prefix))).toBe(false);
  });

  it("publishes the bucket for the routers", () => {
    expect(Object.keys(logs().output)).toEqual(
      expect.arrayContaining(["alb_log_bucket_name", "app_log_bucket_name", "app_log_bucket_arn"]),
    );
  });

  it("exists for routers alone: without ALB access logs, no ELB delivery and only the app prefix", () => {
    const bp = structuredClone(fastapiAurora) as BlueprintInput;
    delete (bp.loadBalancer as { accessLogs?: unknown }).accessLogs;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fbp-router-")), "bp.json");
    fs.writeFileSync(file, JSON.stringify(bp));
    const only = synthToTemp({ blueprintFile: file, environment: "dev" }).stacks;
    const json = stackById(only, "fastapi-aurora-dev-logs");
    expect(dataOf(json, "aws_elb_service_account")).toEqual([]);
    expect(Object.keys(json.output).sort()).toEqual(["app_log_bucket_arn", "app_log_bucket_name"]);
    const rules = onlyResource(json, "aws_s3_bucket_lifecycle_configuration").rule;
    expect(rules.map((r: TerraformJson) => r.filter[0].prefix)).toEqual(["app/backend/"]);
    const policyDoc = Object.values<TerraformJson>(json.data.aws_iam_policy_document)[0];
    expect(policyDoc.statement.map((s: TerraformJson) => s.sid)).toEqual(["DenyInsecureTransport"]);
  });
});

describe("validation", () => {
  const backend = (bp: BlueprintInput) =>
    bp.services[0] as { logRouter: Record<string, unknown> } & BlueprintInput["services"][0];

  it("refuses a router taking more than half of the task's CPU or memory", () => {
    const errors = errorsAfter(fastapiAurora, (bp) => {
      backend(bp).logRouter = { cpu: 300, memory: 600 };
    });
    expect(errors.join("\n")).toContain(
      "services[0].logRouter.cpu = 300 leaves the application less than half of the task's 512 CPU units",
    );
    expect(errors.join("\n")).toContain("Fix: use at most 256 or raise services[0].cpu");
    expect(errors.join("\n")).toContain(
      "services[0].logRouter.memory = 600 leaves the application less than half of the task's 1024 MiB",
    );
  });

  it("refuses a public.ecr.aws image without NAT", () => {
    const errors = errorsAfter(fastapiAurora, (bp) => {
      backend(bp).logRouter = { image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:init-2.34.3.20260818" };
    });
    expect(errors.join("\n")).toMatch(
      /services\[0\]\.logRouter\.image = ".*public\.ecr\.aws.*\(ECR Public has no VPC endpoint\)\. Fix: leave image unset/,
    );
  });

  it("refuses an image that is not an init variant with a tag", () => {
    const errors = errorsAfter(fastapiAurora, (bp) => {
      backend(bp).logRouter = { image: "906394416424.dkr.ecr.ap-northeast-1.amazonaws.com/aws-for-fluent-bit:stable" };
    });
    expect(errors.join("\n")).toMatch(/services\[0\]\.logRouter\.image .*is not an init- variant.* Fix:/);
  });

  it("refuses a prefix that overlaps the ALB logs or the routers' configuration", () => {
    for (const prefix of ["alb", "alb/app", "fluent-bit"]) {
      const errors = errorsAfter(fastapiAurora, (bp) => {
        backend(bp).logRouter = { s3: { prefix } };
      });
      expect(errors.join("\n")).toContain(`services[0].logRouter.s3.prefix = "${prefix}" overlaps`);
    }
  });

  it("refuses two routers whose prefixes overlap", () => {
    const errors = errorsAfter(fastapiAurora, (bp) => {
      const other = structuredClone(bp.services[0]);
      other.name = "worker";
      other.image = { repository: "fastapi-aurora-worker" };
      delete (other as { healthCheck?: unknown }).healthCheck;
      delete (other as { autoscaling?: unknown }).autoscaling;
      (other as { logRouter: object }).logRouter = { s3: { prefix: "app/backend/worker" } };
      bp.services.push(other);
    });
    expect(errors.join("\n")).toContain(
      'services[1].logRouter.s3.prefix = "app/backend/worker" overlaps services[0]\'s logs in the logs bucket',
    );
  });

  it("refuses a moving tag", () => {
    const errors = errorsAfter(fastapiAurora, (bp) => {
      backend(bp).logRouter = {
        image: "906394416424.dkr.ecr.ap-northeast-1.amazonaws.com/aws-for-fluent-bit:init-latest",
      };
    });
    expect(errors.join("\n")).toMatch(/services\[0\]\.logRouter\.image .*is a moving tag.* Fix: pin a version/);
  });

  it("refuses a level that is not an upper-case word", () => {
    const errors = errorsAfter(fastapiAurora, (bp) => {
      backend(bp).logRouter = { errorLevels: ["error"] };
    });
    expect(errors.join("\n")).toMatch(/services\[0\]\.logRouter\.errorLevels\[0\].*is not a level word\. Fix:/);
  });
});
