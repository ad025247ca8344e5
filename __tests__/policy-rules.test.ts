import { POLICY_RULE_IDS } from "../schema/policy-rule-ids";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RULES } from "../tools/check/rules";
import { blocking, checkStack, checkStacks } from "../tools/check/engine";
import { renderReport } from "../tools/check/report";
import { scanDirectory, scanText, SECRET_PATTERNS } from "../tools/check/secrets";
import type { TerraformJson } from "../tools/terraform/cdktf-out";
import { BLUEPRINTS } from "../blueprints";
import { resolveBlueprint } from "../schema/resolve";
import type { BlueprintInput } from "../schema/blueprint";
import type { Suppression } from "../tools/check/types";
import { synthToTemp } from "./helpers/synth";

/**
 * Every policy rule against a minimal bad stack (it must fail) and the same stack fixed (it must pass). A rule added
 * without a case here fails the "every rule has a case" test.
 */
type Stack = TerraformJson;
const res = (type: string, name: string, body: TerraformJson): Stack => ({ resource: { [type]: { [name]: body } } });
const merge = (...parts: Stack[]): Stack => {
  const out: Stack = { resource: {}, data: {} };
  for (const p of parts) {
    for (const section of ["resource", "data"] as const) {
      for (const [type, byName] of Object.entries<TerraformJson>(p[section] ?? {})) {
        out[section][type] = { ...(out[section][type] ?? {}), ...byName };
      }
    }
  }
  return out;
};
/** Every case is judged as production (as a stack without a policy file is), where the strictest rules apply. */
const PRODUCTION = { production: true, suppressions: [] };
const vpc = res("aws_vpc", "main", { cidr_block: "10.0.0.0/16" });
const vpcRef = "${aws_vpc.main.id}";
const bucket = res("aws_s3_bucket", "b", { bucket: "x" });
const bucketRef = "${aws_s3_bucket.b.id}";
const task = (container: TerraformJson, roles = { task_role_arn: "${a.t.arn}", execution_role_arn: "${a.e.arn}" }) =>
  res("aws_ecs_task_definition", "td", {
    family: "f",
    ...roles,
    container_definitions: JSON.stringify([{ name: "app", readonlyRootFilesystem: true, ...container }]),
  });
const doc = (statement: TerraformJson[]) => ({ data: { aws_iam_policy_document: { d: { statement } } } });
/** A schedule that starts ECS tasks, with these RunTask parameters. */
const schedule = (ecs: TerraformJson) =>
  res("aws_scheduler_schedule", "s", {
    schedule_expression: "rate(1 hour)",
    target: {
      arn: "${aws_ecs_cluster.c.arn}",
      role_arn: "${aws_iam_role.r.arn}",
      ecs_parameters: { task_definition_arn: "${aws_ecs_task_definition.t.arn_without_revision}", ...ecs },
    },
  });
const repo = (body: TerraformJson) =>
  res("aws_ecr_repository", "r", {
    name: "r",
    image_scanning_configuration: { scan_on_push: true },
    image_tag_mutability: "IMMUTABLE",
    ...body,
  });
const lifecycle = res("aws_ecr_lifecycle_policy", "l", { repository: "${aws_ecr_repository.r.name}", policy: "{}" });
const db = (type: string, body: TerraformJson) =>
  res(type, "db", {
    storage_encrypted: true,
    backup_retention_period: 7,
    deletion_protection: true,
    enabled_cloudwatch_logs_exports: ["postgresql"],
    iam_database_authentication_enabled: true,
    ...body,
  });
const bothDb = (id: string, bad: TerraformJson, good: TerraformJson): [string, Stack, Stack][] => [
  [`rds-${id}`, merge(db("aws_db_instance", bad)), merge(db("aws_db_instance", good))],
  [`aurora-${id}`, merge(db("aws_rds_cluster", bad)), merge(db("aws_rds_cluster", good))],
];

const CASES: [string, Stack, Stack][] = [
  ["vpc-flow-logs", merge(vpc), merge(vpc, res("aws_flow_log", "f", { vpc_id: vpcRef, traffic_type: "ALL" }))],
  [
    "default-sg-closed",
    merge(vpc, res("aws_default_security_group", "d", { vpc_id: vpcRef, ingress: [{ from_port: 0 }], egress: [] })),
    merge(vpc, res("aws_default_security_group", "d", { vpc_id: vpcRef, ingress: [], egress: [] })),
  ],
  [
    "sg-open-ingress",
    res("aws_vpc_security_group_ingress_rule", "r", { cidr_ipv4: "0.0.0.0/0", from_port: 22, to_port: 22 }),
    res("aws_vpc_security_group_ingress_rule", "r", { cidr_ipv4: "0.0.0.0/0", from_port: 443, to_port: 443 }),
  ],
  [
    "sg-open-ingress-inline",
    res("aws_security_group", "g", { ingress: [{ cidr_blocks: ["0.0.0.0/0"], from_port: 0, to_port: 65535 }] }),
    res("aws_security_group", "g", { ingress: [{ cidr_blocks: ["10.0.0.0/16"], from_port: 0, to_port: 65535 }] }),
  ],
  [
    "ecs-no-public-ip",
    res("aws_ecs_service", "s", { network_configuration: { assign_public_ip: true } }),
    res("aws_ecs_service", "s", { network_configuration: { assign_public_ip: false } }),
  ],
  [
    "alb-drop-invalid-headers",
    res("aws_lb", "lb", { load_balancer_type: "application" }),
    res("aws_lb", "lb", { load_balancer_type: "application", drop_invalid_header_fields: true }),
  ],
  [
    "alb-deletion-protection",
    merge(res("aws_lb", "lb", { enable_deletion_protection: false })),
    merge(res("aws_lb", "lb", { enable_deletion_protection: true })),
  ],
  ["alb-access-logs", res("aws_lb", "lb", {}), res("aws_lb", "lb", { access_logs: { bucket: "x", enabled: true } })],
  [
    "alb-https-redirect",
    res("aws_lb_listener", "l", { protocol: "HTTP", port: 80, default_action: [{ type: "forward" }] }),
    res("aws_lb_listener", "l", {
      protocol: "HTTP",
      port: 80,
      default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443" } }],
    }),
  ],
  [
    "alb-tls-policy",
    res("aws_lb_listener", "l", { protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-2016-08" }),
    res("aws_lb_listener", "l", { protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }),
  ],
  ["ecs-not-privileged", task({ privileged: true }), task({ privileged: false })],
  ["ecs-readonly-root", task({ readonlyRootFilesystem: false }), task({})],
  [
    "ecs-no-secret-env",
    task({ environment: [{ name: "DB_PASSWORD", value: "x" }] }),
    task({ environment: [{ name: "DB_HOST", value: "x" }] }),
  ],
  [
    "ecs-distinct-roles",
    task({}, { task_role_arn: "${a.r.arn}", execution_role_arn: "${a.r.arn}" }),
    task({}, { task_role_arn: "${a.t.arn}", execution_role_arn: "${a.e.arn}" }),
  ],
  [
    "ecs-container-insights",
    res("aws_ecs_cluster", "c", { setting: [{ name: "containerInsights", value: "disabled" }] }),
    res("aws_ecs_cluster", "c", { setting: [{ name: "containerInsights", value: "enabled" }] }),
  ],
  ...bothDb("encrypted", { storage_encrypted: false }, {}),
  ...bothDb("backups", { backup_retention_period: 0 }, {}),
  ...bothDb("deletion-protection", { deletion_protection: false }, {}),
  ...bothDb("log-exports", { enabled_cloudwatch_logs_exports: [] }, {}),
  ...bothDb("iam-auth", { iam_database_authentication_enabled: false }, {}),
  [
    "rds-not-public",
    res("aws_db_instance", "db", { publicly_accessible: true }),
    res("aws_db_instance", "db", { publicly_accessible: false }),
  ],
  [
    "aurora-instance-not-public",
    res("aws_rds_cluster_instance", "i", { publicly_accessible: true }),
    res("aws_rds_cluster_instance", "i", {}),
  ],
  [
    "s3-public-access-block",
    merge(bucket, res("aws_s3_bucket_public_access_block", "p", { bucket: bucketRef, block_public_acls: true })),
    merge(
      bucket,
      res("aws_s3_bucket_public_access_block", "p", {
        bucket: bucketRef,
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      }),
    ),
  ],
  [
    "s3-encryption",
    merge(bucket),
    merge(bucket, res("aws_s3_bucket_server_side_encryption_configuration", "e", { bucket: bucketRef })),
  ],
  [
    "s3-versioning",
    merge(bucket, res("aws_s3_bucket_versioning", "v", { bucket: bucketRef, versioning_configuration: {} })),
    merge(
      bucket,
      res("aws_s3_bucket_versioning", "v", { bucket: bucketRef, versioning_configuration: { status: "Enabled" } }),
    ),
  ],
  [
    "s3-tls-only",
    merge(
      bucket,
      res("aws_s3_bucket_policy", "p", { bucket: bucketRef, policy: "${data.aws_iam_policy_document.d.json}" }),
      doc([{ effect: "Allow", actions: ["s3:GetObject"], resources: ["x"] }]),
    ),
    merge(
      bucket,
      res("aws_s3_bucket_policy", "p", { bucket: bucketRef, policy: "${data.aws_iam_policy_document.d.json}" }),
      doc([
        {
          effect: "Deny",
          actions: ["s3:*"],
          resources: ["x"],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ]),
    ),
  ],
  [
    "dynamodb-pitr",
    res("aws_dynamodb_table", "t", { point_in_time_recovery: { enabled: false } }),
    res("aws_dynamodb_table", "t", { point_in_time_recovery: { enabled: true } }),
  ],
  [
    "dynamodb-encryption",
    res("aws_dynamodb_table", "t", {}),
    res("aws_dynamodb_table", "t", { server_side_encryption: { enabled: true } }),
  ],
  [
    "logs-retention",
    res("aws_cloudwatch_log_group", "g", { name: "/x" }),
    res("aws_cloudwatch_log_group", "g", { name: "/x", retention_in_days: 30 }),
  ],
  [
    "ecr-scan-on-push",
    merge(repo({ image_scanning_configuration: { scan_on_push: false } }), lifecycle),
    merge(repo({}), lifecycle),
  ],
  ["ecr-immutable-tags", merge(repo({ image_tag_mutability: "MUTABLE" }), lifecycle), merge(repo({}), lifecycle)],
  ["ecr-lifecycle", repo({}), merge(repo({}), lifecycle)],
  [
    "ec2-imdsv2",
    res("aws_instance", "i", { metadata_options: { http_tokens: "optional" } }),
    merge(
      res("aws_instance", "i", { launch_template: { id: "${aws_launch_template.t.id}" } }),
      res("aws_launch_template", "t", { metadata_options: { http_tokens: "required" } }),
    ),
  ],
  [
    "ec2-ebs-encrypted",
    res("aws_instance", "i", {
      root_block_device: { encrypted: true },
      ebs_block_device: [{ device_name: "/dev/sdf" }],
    }),
    res("aws_instance", "i", { root_block_device: { encrypted: true } }),
  ],
  [
    "cloudfront-viewer-https",
    res("aws_cloudfront_distribution", "d", {
      default_cache_behavior: { viewer_protocol_policy: "redirect-to-https" },
      ordered_cache_behavior: [{ path_pattern: "/api/*", viewer_protocol_policy: "allow-all" }],
    }),
    res("aws_cloudfront_distribution", "d", {
      default_cache_behavior: { viewer_protocol_policy: "redirect-to-https" },
      ordered_cache_behavior: [{ path_pattern: "/api/*", viewer_protocol_policy: "https-only" }],
    }),
  ],
  [
    "cloudfront-tls-policy",
    res("aws_cloudfront_distribution", "d", { viewer_certificate: { cloudfront_default_certificate: true } }),
    res("aws_cloudfront_distribution", "d", {
      viewer_certificate: {
        acm_certificate_arn: "${aws_acm_certificate.c.arn}",
        ssl_support_method: "sni-only",
        minimum_protocol_version: "TLSv1.2_2021",
      },
    }),
  ],
  [
    "cloudfront-origin-https",
    res("aws_cloudfront_distribution", "d", {
      origin: [
        {
          origin_id: "alb",
          custom_origin_config: { origin_protocol_policy: "match-viewer", origin_ssl_protocols: ["TLSv1.2"] },
        },
      ],
    }),
    res("aws_cloudfront_distribution", "d", {
      origin: [
        {
          origin_id: "alb",
          custom_origin_config: { origin_protocol_policy: "https-only", origin_ssl_protocols: ["TLSv1.2"] },
        },
      ],
    }),
  ],
  [
    "cloudfront-waf",
    res("aws_cloudfront_distribution", "d", {}),
    res("aws_cloudfront_distribution", "d", { web_acl_id: "${aws_wafv2_web_acl.w.arn}" }),
  ],
  [
    "cloudfront-access-logs",
    res("aws_cloudfront_distribution", "d", {}),
    merge(
      res("aws_cloudfront_distribution", "d", {}),
      res("aws_cloudwatch_log_delivery_source", "s", { resource_arn: "${aws_cloudfront_distribution.d.arn}" }),
    ),
  ],
  [
    "ec2-no-public-ip",
    res("aws_instance", "i", { subnet_id: "subnet-1" }),
    res("aws_instance", "i", { subnet_id: "subnet-1", associate_public_ip_address: false }),
  ],
  [
    "iam-no-wildcards",
    merge(doc([{ actions: ["s3:GetObject"], resources: ["*"] }])),
    merge(doc([{ actions: ["ecr:GetAuthorizationToken"], resources: ["*"] }])),
  ],
  [
    "scheduler-no-public-ip",
    schedule({ network_configuration: { subnets: ["subnet-1"], assign_public_ip: true } }),
    schedule({ network_configuration: { subnets: ["subnet-1"], assign_public_ip: false } }),
  ],
  [
    "iam-passrole-scoped",
    merge(doc([{ actions: ["iam:PassRole"], resources: ["${aws_iam_role.t.arn}"] }])),
    merge(
      doc([
        {
          actions: ["iam:PassRole"],
          resources: ["${aws_iam_role.t.arn}"],
          condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] }],
        },
      ]),
    ),
  ],
  [
    "iam-no-wildcards-inline",
    res("aws_iam_role_policy", "p", {
      policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
    }),
    res("aws_iam_role_policy", "p", {
      policy: JSON.stringify({
        Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }],
      }),
    }),
  ],
];

const recorder = (recordingGroup: TerraformJson) =>
  res("aws_config_configuration_recorder", "rec", { name: "r", role_arn: "x", recording_group: recordingGroup });
const recorderOn = res("aws_config_configuration_recorder_status", "on", {
  name: "${aws_config_configuration_recorder.rec.name}",
  is_enabled: true,
});
CASES.push(
  [
    "guardduty-enabled",
    res("aws_guardduty_detector", "g", { enable: false }),
    res("aws_guardduty_detector", "g", { enable: true }),
  ],
  [
    "config-recording",
    merge(recorder({ all_supported: true, include_global_resource_types: true })),
    merge(recorder({ all_supported: true, include_global_resource_types: true }), recorderOn),
  ],
);

describe("each rule", () => {
  it("has a bad and a fixed case here", () => {
    expect(CASES.map(([id]) => id).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  it.each(CASES)("%s fails on the bad resource and passes on the fixed one", (id, bad, good) => {
    const rule = RULES.find((r) => r.id === id)!;
    expect(checkStack("bad", bad, [rule], PRODUCTION).map((f) => f.rule.id)).toEqual([id]);
    expect(checkStack("good", good, [rule], PRODUCTION)).toEqual([]);
  });

  it("is data: an id, a title, a severity, a resource type and its checkov / FSBP references", () => {
    for (const r of RULES) {
      expect(r.id).toMatch(/^[a-z0-9-]+$/);
      expect(["high", "medium", "low"]).toContain(r.severity);
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.resourceType).toMatch(/^(data\.)?aws_[a-z0-9_]+$/);
      expect(r.checkov.length + (r.fsbp ? 1 : 0)).toBeGreaterThan(0);
    }
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });
});

it("config-recording also fails a recorder of some resource types, switched on or not", () => {
  const rule = RULES.find((r) => r.id === "config-recording")!;
  const some = merge(recorder({ all_supported: false, resource_types: ["AWS::S3::Bucket"] }), recorderOn);
  expect(checkStack("some", some, [rule], PRODUCTION).map((f) => f.message)).toEqual([
    "records only some resource types (all_supported = false)",
  ]);
});

describe("the policy context synthesis writes beside each stack", () => {
  it("holds production-only rules back outside production", () => {
    const dev = res("aws_lb", "lb", { enable_deletion_protection: false });
    const rule = RULES.filter((r) => r.id === "alb-deletion-protection");
    expect(checkStack("dev", dev, rule, { production: false, suppressions: [] })).toEqual([]);
    expect(checkStack("prod", dev, rule, PRODUCTION)).toHaveLength(1);
  });

  it("marks a finding suppressed, with its reason, only for the resources the suppression names", () => {
    const stack = merge(res("aws_lb", "one", {}), res("aws_lb", "two", {}));
    const findings = checkStack(
      "s",
      stack,
      RULES.filter((r) => r.id === "alb-access-logs"),
      { production: true, suppressions: [{ rule: "alb-access-logs", reason: "because", resources: ["aws_lb.one"] }] },
    );
    expect(findings.map((f) => [f.address, f.suppressedBecause])).toEqual([
      ["aws_lb.one", "because"],
      ["aws_lb.two", undefined],
    ]);
    expect(renderReport(["s"], findings, [])).toMatch(/suppressed: because/);
  });
});

describe("every blueprint", () => {
  let outdir: string;
  let stacks: ReturnType<typeof synthToTemp>["stacks"];
  beforeAll(() => {
    ({ outdir, stacks } = synthToTemp());
  });

  it("passes with zero unsuppressed high findings", () => {
    const open = blocking(checkStacks(stacks)).map((f) => `${f.stackId} ${f.rule.id} ${f.address}: ${f.message}`);
    expect(open).toEqual([]);
    expect(stacks.length).toBeGreaterThanOrEqual(BLUEPRINTS.length * 4);
  });

  it("reports text-messaging's accepted plain-HTTP listeners as suppressed, with the blueprint's reason", () => {
    const suppressed = checkStacks(stacks).filter(
      (f) => f.suppressedBecause && f.stackId === "text-messaging-dev-compute",
    );
    expect(suppressed.map((f) => f.rule.id)).toEqual(["alb-https-redirect", "alb-https-redirect"]);
    expect(suppressed[0].suppressedBecause).toMatch(/design document serves plain HTTP/);
  });

  it("writes the policy facts beside each blueprint stack's JSON, never into it", () => {
    for (const s of stacks) {
      const text = fs.readFileSync(path.join(s.dir, "cdk.tf.json"), "utf8");
      expect({ id: s.id, leaks: /policy_context|"locals"/.test(text) }).toEqual({ id: s.id, leaks: false });
      const policyFile = path.join(s.dir, "policy.json");
      expect({ id: s.id, hasPolicy: fs.existsSync(policyFile) }).toEqual({
        id: s.id,
        hasPolicy: s.id !== "state-backend",
      });
    }
    const facts = (id: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "policy.json"), "utf8"));
    expect(facts("library-app-prod-network").production).toBe(true);
    expect(facts("markmail-dev-network")).toEqual({ production: false, suppressions: [] });
    expect(facts("text-messaging-dev-compute").suppressions.map((s: Suppression) => s.rule)).toEqual([
      "alb-https-redirect",
    ]);
  });

  it("judges a stack whose policy file is missing as production, with nothing accepted", () => {
    const original = stacks.find((s) => s.id === "text-messaging-dev-compute")!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-no-policy-"));
    fs.copyFileSync(path.join(original.dir, "cdk.tf.json"), path.join(dir, "cdk.tf.json"));
    const before = checkStacks([original]);
    const after = checkStacks([{ ...original, dir }]);
    expect(before.filter((f) => f.suppressedBecause).length).toBeGreaterThan(0);
    expect(after.filter((f) => f.suppressedBecause)).toEqual([]);
    expect(blocking(after).map((f) => f.rule.id)).toContain("alb-https-redirect");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes output the secrets scan finds clean", () => {
    expect(scanDirectory(outdir)).toEqual([]);
  });

  it("carries a suppression a stack adds while it is built (a service's read-only root opt-out) to the check", () => {
    const bp = structuredClone(BLUEPRINTS.find((b) => b.name === "callback-handler")!) as BlueprintInput;
    const reason = "The vendor agent rewrites its own binary on start";
    Object.assign(bp.services[0], { readOnlyRootFilesystem: false, readOnlyRootFilesystemOptOutReason: reason });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fbp-opt-out-")), "blueprint.json");
    fs.writeFileSync(file, JSON.stringify(bp));
    const optedOut = synthToTemp({ blueprintFile: file, environment: "prod" });
    const findings = checkStacks(optedOut.stacks).filter((f) => f.rule.id === "ecs-readonly-root");
    expect(findings.map((f) => [f.stackId, f.suppressedBecause])).toEqual([["callback-handler-prod-compute", reason]]);
  });

  it("refuses a suppression of a rule that does not exist, naming the field and the fix", () => {
    const bp = { ...structuredClone(BLUEPRINTS[0]), suppressions: [{ rule: "no-such-rule", reason: "x".repeat(25) }] };
    expect(() => resolveBlueprint(bp, "test")).toThrow(
      /suppressions\[0\]\.rule = "no-such-rule" is not a policy rule\. Fix:/,
    );
  });
});

describe("secrets scan", () => {
  // Built from pieces, so that no secret-shaped literal sits in the repository for scanners to trip on.
  const planted: Record<string, string> = {
    "private-key": ["-----BEGIN", "RSA PRIVATE", "KEY-----"].join(" "),
    "aws-access-key-id": `"key": "${"AKIA"}${"ABCDEFGHIJKLMNOP"}"`,
    "aws-secret-access-key": `aws_secret_access_key = ${"a".repeat(40)}`,
    "github-token": `token ghp_${"A".repeat(36)}`,
    "slack-token": "xoxb-1234567890-abcdef",
    jwt: `eyJ${"a".repeat(12)}.eyJ${"b".repeat(12)}.${"c".repeat(12)}`,
    "password-value": `"pass${"word"}": "${"x".repeat(12)}"`,
    "url-credentials": `postgres://app:${"y".repeat(8)}@db.example.com:5432/app`,
  };

  it("has a planted example for every pattern", () => {
    expect(Object.keys(planted).sort()).toEqual(SECRET_PATTERNS.map((p) => p.id).sort());
  });

  it.each(Object.entries(planted))(
    "finds a planted %s in a file of the output, by line, without echoing it",
    (id, text) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-secret-"));
      fs.mkdirSync(path.join(dir, "stacks", "x"), { recursive: true });
      fs.writeFileSync(path.join(dir, "stacks", "x", "cdk.tf.json"), `{\n  "a": 1,\n  ${text}\n}\n`);
      const hits = scanDirectory(dir);
      expect(hits.map((h) => [h.id, h.line])).toContainEqual([id, 3]);
      expect(JSON.stringify(hits)).not.toContain(text);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  );

  it("passes references, ARNs and empty values", () => {
    const clean = [
      '"password": "${var.db_password}"',
      '"valueFrom": "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:app-AbCdEf"',
      '"password": ""',
      '"url": "https://example.com/path"',
    ].join("\n");
    expect(scanText(clean)).toEqual([]);
  });
});

it("lists every rule id in the blueprint format's registry, and nothing else (suppressions are checked against it)", () => {
  expect([...POLICY_RULE_IDS].sort()).toEqual(RULES.map((r) => r.id).sort());
});
