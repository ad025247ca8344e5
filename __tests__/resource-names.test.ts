import { selectDeployments } from "../app/synth";
import { accountBaselinesOf } from "../schema/account-baseline";
import { ACCOUNT_RESOURCE_KINDS, RESOURCE_KINDS } from "../schema/preflight/named-resources";
import { resourcesOf, synthToTemp } from "./helpers/synth";

/**
 * The preflight checks names the stacks really give: for every blueprint, the names in the synthesized JSON of each
 * resource type are exactly the names schema/names.ts derives for it (which the preflight's catalog lists). A stack
 * that derived a name on its own would fail here.
 */
const NAME_ATTRIBUTE: Record<string, { readonly type: string; readonly attribute: string; readonly head?: true }[]> = {
  "ecr-repository": [{ type: "aws_ecr_repository", attribute: "name" }],
  "iam-role": [{ type: "aws_iam_role", attribute: "name" }],
  "log-group": [{ type: "aws_cloudwatch_log_group", attribute: "name" }],
  "sns-topic": [{ type: "aws_sns_topic", attribute: "name" }],
  "kms-alias": [{ type: "aws_kms_alias", attribute: "name" }],
  "ecs-cluster": [{ type: "aws_ecs_cluster", attribute: "name" }],
  "ecs-service": [{ type: "aws_ecs_service", attribute: "name" }],
  "task-family": [{ type: "aws_ecs_task_definition", attribute: "family" }],
  "load-balancer": [{ type: "aws_lb", attribute: "name" }],
  // The derived name is the head; the module appends the replacement's generation, an expression of the VPC.
  "target-group": [{ type: "aws_lb_target_group", attribute: "name", head: true }],
  "codedeploy-application": [{ type: "aws_codedeploy_app", attribute: "name" }],
  "waf-web-acl": [{ type: "aws_wafv2_web_acl", attribute: "name" }],
  "rds-identifier": [
    { type: "aws_db_instance", attribute: "identifier" },
    { type: "aws_rds_cluster", attribute: "cluster_identifier" },
    { type: "aws_rds_cluster_instance", attribute: "identifier" },
  ],
  secret: [{ type: "aws_secretsmanager_secret", attribute: "name" }],
  "ssm-parameter": [{ type: "aws_ssm_parameter", attribute: "name" }],
  "log-bucket-prefix": [{ type: "aws_s3_bucket", attribute: "bucket_prefix" }],
  schedule: [{ type: "aws_scheduler_schedule", attribute: "name" }],
};

/** `-<6 hex characters of sha1(protocol:port:vpc)>`, as an expression Terraform evaluates at apply. */
const GENERATION = /-\$\{substr\(sha1\(join\(":", \[.*\]\)\), 0, 6\)\}$/;

const { stacks } = synthToTemp();
const deployments = selectDeployments({});

it("maps every named kind of the catalog to the attribute that carries its name (or says why not)", () => {
  const notInJson = ["oidc-provider", "security-group"]; // a URL; names of every group are checked by prefix below
  expect(RESOURCE_KINDS.map((k) => k.id).filter((id) => !notInJson.includes(id))).toEqual(Object.keys(NAME_ATTRIBUTE));
});

describe.each(deployments.map((d) => [d.prefix, d] as const))("%s", (prefix, d) => {
  const own = stacks.filter((s) => s.id.startsWith(`${prefix}-`));
  const synthesized = (type: string, attribute: string, head = false) =>
    own
      .flatMap((s) => resourcesOf(s.json, type))
      .map((r) => r[attribute])
      .filter((n): n is string => typeof n === "string")
      .map((n) => (head ? n.replace(GENERATION, "") : n));

  it.each(Object.entries(NAME_ATTRIBUTE))("%s: the synthesized names are the derived ones", (kind, places) => {
    const derived = RESOURCE_KINDS.find((k) => k.id === kind)!
      .of(d)
      .map((r) => r.name);
    const inJson = places.flatMap((p) => synthesized(p.type, p.attribute, p.head));
    expect([...new Set(inJson)].sort()).toEqual([...new Set(derived)].sort());
  });

  it("security groups are named <app>-<env>-<what>", () => {
    for (const name of synthesized("aws_security_group", "name")) expect(name.startsWith(`${prefix}-`)).toBe(true);
  });
});

/** The names of account baselines (one set per account), in the account-baseline stacks. */
const ACCOUNT_NAME_ATTRIBUTE: Record<string, { readonly type: string; readonly attribute: string }> = {
  "config-bucket-prefix": { type: "aws_s3_bucket", attribute: "bucket_prefix" },
  "config-role": { type: "aws_iam_role", attribute: "name" },
  "config-recorder": { type: "aws_config_configuration_recorder", attribute: "name" },
  "config-delivery-channel": { type: "aws_config_delivery_channel", attribute: "name" },
  budget: { type: "aws_budgets_budget", attribute: "name" },
};

it("maps every named kind of account baselines to the attribute that carries its name", () => {
  expect(ACCOUNT_RESOURCE_KINDS.map((k) => k.id)).toEqual(Object.keys(ACCOUNT_NAME_ATTRIBUTE));
});

describe.each(accountBaselinesOf(deployments).map((b) => [b.stackId, b] as const))("%s", (id, baseline) => {
  it.each(Object.entries(ACCOUNT_NAME_ATTRIBUTE))("%s: the synthesized names are the derived ones", (kind, place) => {
    const derived = ACCOUNT_RESOURCE_KINDS.find((k) => k.id === kind)!
      .of(baseline)
      .map((r) => r.name);
    const stack = stacks.find((s) => s.id === id)!;
    const inJson = resourcesOf(stack.json, place.type).map((r) => r[place.attribute]);
    expect(inJson).toEqual(derived);
  });
});
