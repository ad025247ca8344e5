import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadBackendConfig } from "../app/backend-config";
import type { BlueprintInput } from "../schema/blueprint";
import { refusalOf } from "./helpers/blueprint-errors";
import { checkAcrossBlueprints, resolveBlueprint, type Deployment } from "../schema/resolve";
import { readSynthesizedStacks, type SynthesizedStack, type TerraformJson } from "../tools/terraform/cdktf-out";
import type { OfflineCheck } from "../tools/terraform/plan-offline";
import { offlinePlansOf } from "./helpers/offline-plans";
import { FULL_BASELINE, synthesizeDeployments, synthesizeVariant } from "./helpers/planned-variants";
import { onlyResource, resourcesOf, stackById, synthToTemp } from "./helpers/synth";

/**
 * The account baseline (stacks/account-baseline-stack.ts): one stack per AWS account whose environments ask for
 * GuardDuty, AWS Config or a budget, built from what every environment of that account asks for, refused when they
 * contradict each other; the registered blueprints' baselines as AWS needs them; all of them planned offline.
 *
 * The offline plans are the run's shared ones (helpers/offline-plans.ts): the registered baselines are among every
 * registered stack, the one with every optional part is a variant the shared plan covers
 * (helpers/planned-variants.ts, synthesized here by the same function). offlinePlansOf takes a shared plan only for
 * byte-identical JSON, else plans here; the plans validate first, as `terraform validate` does.
 */
const ROOT = path.join(__dirname, "..");
const backend = loadBackendConfig(path.join(ROOT, "backend.tf.json"));
const corpus = (name: string): BlueprintInput =>
  JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "preflight", `${name}.json`), "utf8"));

/** Synthesizes exactly like the app: `selected` deployments, `others` only for the accounts' baselines. */
function synthOf(selected: readonly Deployment[], others: readonly Deployment[] = []): SynthesizedStack[] {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fbp-baseline-")), "cdktf.out");
  synthesizeDeployments(outdir, selected, others);
  return readSynthesizedStacks(outdir);
}

const baselineIds = (stacks: readonly SynthesizedStack[]) =>
  stacks.map((s) => s.id).filter((id) => id.startsWith("account-baseline-"));

const GUARD_DUTY = { guardDuty: {} };
const fastapiAurora = synthToTemp({ blueprint: "fastapi-aurora" }).stacks;
const libraryApp = synthToTemp({ blueprint: "library-app" }).stacks;
const BUDGET = { budget: { monthlyLimitUsd: 200, emails: ["ops@example.com"] } };

describe("one baseline per account", () => {
  it("environments in accounts of their own: one stack each, keyed <app>-<env>", () => {
    const bp = { ...corpus("valid"), accountBaseline: GUARD_DUTY };
    expect(baselineIds(synthOf(resolveBlueprint(bp)))).toEqual([
      "account-baseline-shop-dev",
      "account-baseline-shop-prod",
    ]);
  });

  it("two environments sharing an account: one stack, keyed by the account id", () => {
    const bp = { ...corpus("valid-shared-account"), accountBaseline: GUARD_DUTY };
    const stacks = synthOf(resolveBlueprint(bp));
    expect(baselineIds(stacks)).toEqual(["account-baseline-111111111111"]);
    const json = stackById(stacks, "account-baseline-111111111111");
    expect(resourcesOf(json, "aws_guardduty_detector")).toHaveLength(1);
    // Terraform refuses another account; the state is in the S3 backend under the stack id.
    expect(json.provider.aws[0].allowed_account_ids).toEqual(["111111111111"]);
    expect(json.terraform.backend.s3).toMatchObject({
      key: "account-baseline-111111111111/terraform.tfstate",
      bucket: backend.bucket,
      encrypt: true,
    });
  });

  it("no stack for an account none of whose environments asks", () => {
    expect(baselineIds(synthOf(resolveBlueprint(corpus("valid"))))).toEqual([]);
  });

  it("across blueprints: one stack holding what each asks for, even when only one blueprint is selected", () => {
    const shop = { ...corpus("valid"), accountBaseline: GUARD_DUTY };
    shop.environments = [{ ...shop.environments[1], account: "workloads" }];
    const blog = { ...corpus("valid"), name: "blog", accountBaseline: BUDGET };
    blog.environments = [{ ...blog.environments[1], account: "workloads" }];
    delete blog.ci;
    delete shop.ci;
    blog.services = blog.services!.map((s) => ({ ...s, image: { ...s.image, repository: `blog-${s.name}` } }));
    blog.dns = { ...blog.dns!, zoneName: "blog.example.com" };
    const [shopProd] = resolveBlueprint(shop);
    const [blogProd] = resolveBlueprint(blog);
    checkAcrossBlueprints([shopProd, blogProd]);
    const stacks = synthOf([shopProd], [blogProd]);
    expect(baselineIds(stacks)).toEqual(["account-baseline-workloads"]);
    const json = stackById(stacks, "account-baseline-workloads");
    expect(resourcesOf(json, "aws_guardduty_detector")).toHaveLength(1);
    expect(onlyResource(json, "aws_budgets_budget").name).toBe("workloads-monthly-cost");
    // blog's own stacks are not built: only the baseline of the account it shares.
    expect(stacks.some((s) => s.id.startsWith("blog-"))).toBe(false);
  });
});

describe("contradictions are refused with the field path", () => {
  it("two environments of one account giving different budgets", () => {
    const bp = { ...corpus("valid-shared-account"), accountBaseline: BUDGET };
    bp.environments[1].overrides = { accountBaseline: { budget: { monthlyLimitUsd: 900 } } };
    const error = refusalOf(() => resolveBlueprint(bp));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({
      path: "accountBaseline.budget.monthlyLimitUsd",
      value: 900,
      rule: "one-account-baseline",
    });
    expect(error.issues[0].message).toContain("differs from 200, which environment dev gives");
    expect(error.issues[0].message).toMatch(/Fix: .*\[one-account-baseline\] \[environments\[1\]\(prod\)\]$/);
  });

  it("two blueprints in one account giving different GuardDuty settings", () => {
    const shop = { ...corpus("valid"), accountBaseline: { guardDuty: { findingPublishingFrequency: "ONE_HOUR" } } };
    shop.environments = [{ ...shop.environments[1], account: "workloads" }];
    const blog = { ...corpus("valid"), name: "blog", accountBaseline: GUARD_DUTY };
    blog.environments = [{ ...blog.environments[1], account: "workloads" }];
    for (const bp of [shop, blog]) delete bp.ci;
    blog.services = blog.services!.map((s) => ({ ...s, image: { ...s.image, repository: `blog-${s.name}` } }));
    blog.dns = { ...blog.dns!, zoneName: "blog.example.com" };
    const error = refusalOf(() => checkAcrossBlueprints([...resolveBlueprint(shop), ...resolveBlueprint(blog)]));
    expect(error.source).toBe("blueprint blog");
    expect(error.issues.map((i) => [i.path, i.value, i.rule])).toEqual([
      ["accountBaseline.guardDuty.findingPublishingFrequency", "FIFTEEN_MINUTES", "one-account-baseline"],
    ]);
    expect(error.issues[0].message).toContain('"ONE_HOUR", which blueprint shop, environment prod gives');
  });

  it("a section only one environment gives is no contradiction", () => {
    const bp = { ...corpus("valid-shared-account"), accountBaseline: GUARD_DUTY };
    bp.environments[1].overrides = { accountBaseline: BUDGET };
    const stacks = synthOf(resolveBlueprint(bp));
    const json = stackById(stacks, "account-baseline-111111111111");
    expect(resourcesOf(json, "aws_guardduty_detector")).toHaveLength(1);
    expect(resourcesOf(json, "aws_budgets_budget")).toHaveLength(1);
  });

  it("GuardDuty asked from two regions of one account", () => {
    const bp = { ...corpus("valid-shared-account"), accountBaseline: GUARD_DUTY };
    bp.environments[1] = {
      ...bp.environments[1],
      region: "ap-northeast-3",
      availabilityZones: ["ap-northeast-3a", "ap-northeast-3c"],
    };
    bp.network = {
      ...bp.network,
      subnets: bp.network.subnets.map((s) => ({ ...s, az: s.az.replace("ap-northeast-1", "ap-northeast-3") })),
    };
    bp.environments[0].overrides = { ...bp.environments[0].overrides, network: corpus("valid").network };
    const error = refusalOf(() => resolveBlueprint(bp));
    const regional = error.issues.filter((i) => i.rule === "one-account-baseline");
    expect(regional.map((i) => [i.path, i.value])).toEqual([["environments[1].region", "ap-northeast-3"]]);
  });

  it("a baseline that asks for nothing, and a budget that tells nobody", () => {
    const empty = refusalOf(() => resolveBlueprint({ ...corpus("valid"), accountBaseline: {} }));
    expect(empty.issues.map((i) => i.path)).toContain("accountBaseline");
    const silent = refusalOf(() =>
      resolveBlueprint({ ...corpus("valid"), accountBaseline: { budget: { monthlyLimitUsd: 10 } } }),
    );
    expect(silent.issues.map((i) => i.path)).toContain("accountBaseline.budget");
    expect(silent.issues[0].message).toContain("Fix: give emails or snsTopicArn");
  });
});

describe("the registered blueprints' baselines", () => {
  const stacks = fastapiAurora;
  const dev = stackById(stacks, "account-baseline-fastapi-aurora-dev");
  const prod = stackById(stacks, "account-baseline-fastapi-aurora-prod");

  it("fastapi-aurora: one baseline per environment's account, nothing of another blueprint", () => {
    expect(baselineIds(stacks)).toEqual([
      "account-baseline-fastapi-aurora-dev",
      "account-baseline-fastapi-aurora-prod",
    ]);
  });

  it("GuardDuty: an enabled detector publishing every 15 minutes, no extra protection plans", () => {
    for (const json of [dev, prod]) {
      expect(onlyResource(json, "aws_guardduty_detector")).toMatchObject({
        enable: true,
        finding_publishing_frequency: "FIFTEEN_MINUTES",
      });
      expect(resourcesOf(json, "aws_guardduty_detector_feature")).toEqual([]);
    }
  });

  it("Config: every supported type with global ones, continuous in prod and daily in dev, enabled after the channel", () => {
    const recorder = (json: TerraformJson) => onlyResource(json, "aws_config_configuration_recorder");
    expect(recorder(prod)).toMatchObject({
      name: "fastapi-aurora-prod-recorder",
      recording_group: { all_supported: true, include_global_resource_types: true },
      recording_mode: { recording_frequency: "CONTINUOUS" },
      role_arn: "${aws_iam_role.config.arn}",
    });
    expect(recorder(dev).recording_mode).toEqual({ recording_frequency: "DAILY" });
    const channel = onlyResource(prod, "aws_config_delivery_channel");
    expect(channel).toMatchObject({
      name: "fastapi-aurora-prod-delivery",
      s3_bucket_name: "${aws_s3_bucket.config.bucket}",
    });
    expect(channel.depends_on).toEqual(
      expect.arrayContaining(["aws_config_configuration_recorder.config", "aws_s3_bucket_policy.config"]),
    );
    const status = onlyResource(prod, "aws_config_configuration_recorder_status");
    expect(status).toMatchObject({ name: "${aws_config_configuration_recorder.config.name}", is_enabled: true });
    expect(status.depends_on).toEqual(["aws_config_delivery_channel.config"]);
  });

  it("Config's role: trusted by config.amazonaws.com, AWS_ConfigRole, and delivery into its bucket only", () => {
    const role = onlyResource(prod, "aws_iam_role");
    expect(role.name).toBe("fastapi-aurora-prod-config-recorder");
    const trust = prod.data.aws_iam_policy_document.config_trust.statement;
    expect(trust).toEqual([
      expect.objectContaining({
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["config.amazonaws.com"] }],
      }),
    ]);
    expect(onlyResource(prod, "aws_iam_role_policy_attachment").policy_arn).toBe(
      "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole",
    );
    const delivery = prod.data.aws_iam_policy_document.config_delivery_document.statement;
    expect(delivery.flatMap((s: TerraformJson) => s.resources)).toEqual([
      "${aws_s3_bucket.config.arn}",
      expect.stringMatching(/^\$\{aws_s3_bucket\.config\.arn\}\/AWSLogs\/.+\/Config\/\*$/),
    ]);
  });

  it("Config's bucket: private, encrypted, versioned, expiring, written by Config of this account only", () => {
    expect(onlyResource(prod, "aws_s3_bucket")).toMatchObject({
      bucket_prefix: "fastapi-aurora-prod-config-",
      force_destroy: false,
    });
    expect(onlyResource(prod, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResource(prod, "aws_s3_bucket_versioning").versioning_configuration.status).toBe("Enabled");
    expect(onlyResource(prod, "aws_s3_bucket_server_side_encryption_configuration").rule[0]).toMatchObject({
      apply_server_side_encryption_by_default: { sse_algorithm: "AES256" },
    });
    const expiry = (json: TerraformJson) => onlyResource(json, "aws_s3_bucket_lifecycle_configuration").rule[0];
    expect(expiry(prod)).toMatchObject({
      expiration: [{ days: 365 }],
      noncurrent_version_expiration: [{ noncurrent_days: 365 }],
    });
    expect(expiry(dev)).toMatchObject({ expiration: [{ days: 90 }] });

    const statements: TerraformJson[] = prod.data.aws_iam_policy_document.config.statement;
    const bySid = new Map(statements.map((s) => [s.sid, s]));
    expect(bySid.get("DenyInsecureTransport")).toMatchObject({
      effect: "Deny",
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    });
    const account = '${element(split(":", aws_iam_role.config.arn), 4)}';
    for (const sid of ["AWSConfigBucketPermissionsCheck", "AWSConfigBucketExistenceCheck", "AWSConfigBucketDelivery"]) {
      const s = bySid.get(sid)!;
      expect(s.principals).toEqual([{ type: "Service", identifiers: ["config.amazonaws.com"] }]);
      expect(s.condition).toContainEqual({ test: "StringEquals", variable: "aws:SourceAccount", values: [account] });
    }
    expect(bySid.get("AWSConfigBucketDelivery")).toMatchObject({
      actions: ["s3:PutObject"],
      resources: [`\${aws_s3_bucket.config.arn}/AWSLogs/${account}/Config/*`],
    });
    expect(bySid.get("AWSConfigBucketDelivery")!.condition).toContainEqual({
      test: "StringEquals",
      variable: "s3:x-amz-acl",
      values: ["bucket-owner-full-control"],
    });
    expect(onlyResource(prod, "aws_s3_bucket_policy").policy).toBe("${data.aws_iam_policy_document.config.json}");
  });

  it("library-app: a monthly budget of $450 telling ops at 80 % actual and 100 % forecasted", () => {
    const library = stackById(libraryApp, "account-baseline-library-app-prod");
    const budget = onlyResource(library, "aws_budgets_budget");
    expect(budget).toMatchObject({
      name: "library-app-prod-monthly-cost",
      budget_type: "COST",
      time_unit: "MONTHLY",
      limit_amount: "450.00",
      limit_unit: "USD",
    });
    expect(
      budget.notification.map((n: TerraformJson) => [
        n.notification_type,
        n.threshold,
        n.threshold_type,
        n.comparison_operator,
      ]),
    ).toEqual([
      ["ACTUAL", 80, "PERCENTAGE", "GREATER_THAN"],
      ["FORECASTED", 100, "PERCENTAGE", "GREATER_THAN"],
    ]);
    for (const n of budget.notification) {
      expect(n.subscriber_email_addresses).toEqual(["ops@example.com"]);
      expect(n.subscriber_sns_topic_arns).toBeUndefined();
    }
    expect(resourcesOf(library, "aws_guardduty_detector")).toEqual([]);
  });
});

describe("offline plans (real provider)", () => {
  // The registered baselines, and one with every optional part (GuardDuty's features, a budget topic) that no
  // registered blueprint uses, so that those resources are proven to plan too.
  const registered = [...fastapiAurora, ...libraryApp];
  const full = synthesizeVariant(FULL_BASELINE).stacks;
  const baselines = [
    ...registered
      .filter((s) => s.id.startsWith("account-baseline-"))
      .filter((s, i, all) => all.findIndex((o) => o.id === s.id) === i),
    ...full.filter((s) => FULL_BASELINE.planned.includes(s.id)),
  ];
  let plans: OfflineCheck[];

  beforeAll(async () => {
    // Upstream contracts from the syntheses the baselines come from (no two of them share a stack id).
    const workroot = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-baseline-plan-"));
    plans = await offlinePlansOf(baselines, [...registered, ...full], workroot);
  }, 300_000);

  it("plans every baseline stack, creating every resource it declares", () => {
    expect(baselines.map((s) => s.id)).toEqual([
      "account-baseline-fastapi-aurora-dev",
      "account-baseline-fastapi-aurora-prod",
      "account-baseline-library-app-prod",
      "account-baseline-shop-prod",
    ]);
    for (const check of plans) {
      expect({ stack: check.stack, failed: check.failedStep, output: check.failedStep ? check.output : "" }).toEqual({
        stack: check.stack,
        failed: undefined,
        output: "",
      });
      const stack = baselines.find((s) => s.id === check.stack)!;
      const declared = Object.entries<TerraformJson>(stack.json.resource).flatMap(([type, rs]) =>
        Object.keys(rs).map((name) => `${type}.${name}`),
      );
      const created = (check.plan!.resource_changes as TerraformJson[])
        .filter((c) => c.mode === "managed" && c.change.actions.includes("create"))
        .map((c) => c.address);
      expect(created.sort()).toEqual(declared.sort());
    }
  });

  it("GuardDuty's Runtime Monitoring manages the agent on ECS Fargate only", () => {
    const shop = plans.find((p) => p.stack === "account-baseline-shop-prod")!;
    const change = (address: string) =>
      (shop.plan!.resource_changes as TerraformJson[]).find((c) => c.address === address)!.change.after;
    expect(change("aws_guardduty_detector_feature.guardduty_runtime_monitoring")).toMatchObject({
      name: "RUNTIME_MONITORING",
      status: "ENABLED",
      additional_configuration: expect.arrayContaining([{ name: "ECS_FARGATE_AGENT_MANAGEMENT", status: "ENABLED" }]),
    });
    expect(change("aws_guardduty_detector_feature.guardduty_s3_protection")).toMatchObject({
      name: "S3_DATA_EVENTS",
      status: "ENABLED",
    });
    expect(change("aws_budgets_budget.monthly_cost").notification).toHaveLength(2);
  });
});
