import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { libraryApp } from "../blueprints/library-app";
import { markmail } from "../blueprints/markmail";
import type { SynthesizedStack, TerraformJson } from "../tools/terraform/cdktf-out";
import { inPool } from "../tools/terraform/environment";
import { parseStructuredValue } from "../tools/terraform/jsonencode";
import { changesOf, pending, PreparedStack, type ResourceChange } from "./helpers/applied-state";
import { FakeSsm } from "./helpers/fake-ssm";
import { synthToTemp } from "./helpers/synth";

/**
 * After the first apply. Each stack below is applied on paper (helpers/applied-state.ts: real plans of the shipped
 * JSON, the state built from them), then changed the way AWS, CI or the blueprint's authors change it, and planned
 * again with the real provider and `-refresh=false`: the state holds what the next refresh would read.
 *
 * One blueprint, library-app (prod), carries every point: two rolling services, one injecting the database
 * password, a PostgreSQL instance, a new public zone with a certificate. Its stacks plan in parallel; markmail's dev
 * parameters stand for a non-production environment. Release tags are read from a stand-in SSM endpoint.
 */
const FIRST = "1111111";
const RELEASED = "2222222";

let root: string;
const ssm = new FakeSsm();
let stacks: SynthesizedStack[];
const byId = (id: string, from: readonly SynthesizedStack[] = stacks) => from.find((s) => s.id === id)!;

/** The blueprint with a change made by its authors, synthesized: the stack to plan against the applied state. */
function variant(change: (bp: TerraformJson) => void, id: string, base: TerraformJson = libraryApp): TerraformJson {
  const bp = structuredClone(base);
  change(bp);
  const file = path.join(root, `${id}-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(bp));
  return byId(id, synthToTemp({ blueprintFile: file }).stacks).json;
}

const compute = { stack: undefined as unknown as PreparedStack, first: {} as TerraformJson };
const data = { stack: undefined as unknown as PreparedStack };
const network = { stack: undefined as unknown as PreparedStack };
let dnsPlan: TerraformJson;
let devSecrets: PreparedStack;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-day2-"));
  await ssm.start();
  for (const svc of ["backend", "frontend"]) ssm.parameters.set(`/library-app-prod/release/${svc}`, FIRST);
  stacks = synthToTemp({ blueprint: "library-app" }).stacks;
  const mm = synthToTemp({ blueprint: "markmail", environment: "dev" }).stacks;
  compute.stack = new PreparedStack(byId("library-app-prod-compute"), stacks, root, {
    read: ["aws_ssm_parameter"],
    env: { AWS_ENDPOINT_URL_SSM: ssm.url },
  });
  data.stack = new PreparedStack(byId("library-app-prod-data"), stacks, root);
  network.stack = new PreparedStack(byId("library-app-prod-network"), stacks, root);
  const dns = new PreparedStack(byId("library-app-prod-dns"), stacks, root);
  devSecrets = new PreparedStack(byId("markmail-dev-parameters", mm), mm, root);
  await inPool([compute.stack, data.stack, network.stack, dns, devSecrets], 2, async (s) => {
    await s.init();
    if (s === dns) dnsPlan = await s.plan();
    else if (s === compute.stack) compute.first = (await s.apply()).firstPlan;
    else await s.apply();
  });
}, 1_800_000);

afterAll(async () => {
  await ssm.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const summary = (changes: readonly ResourceChange[]) =>
  changes.map((c) => `${c.change.actions.join("+")} ${c.address}`).sort();
const containerOf = (change: ResourceChange) =>
  (parseStructuredValue(change.change.after!.container_definitions) as TerraformJson[])[0];

describe("releases: one owner of what runs", () => {
  const backendTaskDefinition = () =>
    compute.stack.instance("aws_ecs_task_definition", (a) => a.family === "library-app-prod-backend");

  /** What ECS and the release record hold after CI released RELEASED to the backend (tools/release/release.sh). */
  function ciReleased(): void {
    ssm.parameters.set("/library-app-prod/release/backend", RELEASED);
    const td = backendTaskDefinition().attributes;
    const containers = JSON.parse(td.container_definitions);
    containers[0].image = containers[0].image.replace(`:${FIRST}`, `:${RELEASED}`);
    const revision = Number(td.revision) + 1;
    const arn = `${td.arn_without_revision}:${revision}`;
    // With track_latest, the refresh reads the family's latest revision: the one CI registered.
    Object.assign(td, { arn, id: arn, revision, container_definitions: JSON.stringify(containers) });
    compute.stack.instance("aws_ecs_service", (a) => a.name === "library-app-prod-backend").attributes.task_definition =
      arn;
  }

  it("runs the tag the release record holds", () => {
    const image = (family: string) =>
      containerOf(changesOf(compute.first, "aws_ecs_task_definition").find((c) => c.change.after!.family === family)!)
        .image;
    expect(image("library-app-prod-backend")).toBe(
      `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/library-app-backend:${FIRST}`,
    );
    expect(ssm.reads).toEqual(expect.arrayContaining(["/library-app-prod/release/backend"]));
  });

  it("plans no change after CI released a new tag (revision N+1)", async () => {
    const before = compute.stack.snapshot();
    ciReleased();
    const plan = await compute.stack.plan();
    expect(summary(pending(plan))).toEqual([]);
    compute.stack.restore(before);
    ssm.parameters.set("/library-app-prod/release/backend", FIRST);
  });

  it("rolls a configuration change out with the released image; Spot and Graviton change in place", async () => {
    const before = compute.stack.snapshot();
    ciReleased();
    compute.stack.useConfiguration(
      variant((bp) => {
        bp.services[0].environment.LOG_CHANNEL = "errorlog";
        bp.services[0].spot = { onDemandBase: 2, spotWeight: 3 };
        bp.services[1].cpuArchitecture = "ARM64";
      }, "library-app-prod-compute"),
    );
    const plan = await compute.stack.plan();
    compute.stack.useConfiguration(byId("library-app-prod-compute").json);
    compute.stack.restore(before);
    ssm.parameters.set("/library-app-prod/release/backend", FIRST);

    expect(summary(pending(plan))).toEqual([
      // Replaced revisions stay registered (skip_destroy): the delete only forgets them.
      "delete+create aws_ecs_task_definition.backend",
      "delete+create aws_ecs_task_definition.frontend",
      "update aws_ecs_service.backend",
      "update aws_ecs_service.frontend",
    ]);
    const [backend, frontend] = ["backend", "frontend"].map(
      (n) => changesOf(plan, "aws_ecs_task_definition").find((c) => c.name === n)!,
    );
    expect(containerOf(backend).image).toMatch(new RegExp(`:${RELEASED}$`));
    expect(containerOf(backend).environment).toContainEqual({ name: "LOG_CHANNEL", value: "errorlog" });
    expect(containerOf(frontend).image).toMatch(new RegExp(`:${FIRST}$`));
    expect(frontend.change.after!.runtime_platform).toEqual([
      { cpu_architecture: "ARM64", operating_system_family: "LINUX" },
    ]);
    const service = changesOf(plan, "aws_ecs_service").find((c) => c.name === "backend")!;
    expect(service.change.after!.capacity_provider_strategy).toEqual(
      expect.arrayContaining([
        { capacity_provider: "FARGATE", base: 2, weight: 1 },
        { capacity_provider: "FARGATE_SPOT", base: 0, weight: 3 },
      ]),
    );
    expect(service.change.after!.launch_type).not.toBe("FARGATE");
  });
});

describe("database access and rotation", () => {
  it("lets the services that use the database connect as app_user through IAM, by the DbiResourceId", () => {
    const statements = (role: string) =>
      JSON.parse(compute.stack.applied(`aws_iam_role_policy.${role}`).policy).Statement as TerraformJson[];
    expect(statements("backend_task")).toContainEqual(
      expect.objectContaining({
        Action: "rds-db:connect",
        Resource: expect.stringMatching(/^arn:aws:rds-db:ap-northeast-1:\d{12}:dbuser:[^/:]+\/app_user$/),
      }),
    );
    // The front end has no databaseAccess: no task policy at all.
    expect(() => compute.stack.applied("aws_iam_role_policy.frontend_task")).toThrow(/not in the state/);
  });

  it("restarts the services that inject the master password when it rotates, and only those", () => {
    const pattern = JSON.parse(compute.stack.applied("aws_cloudwatch_event_rule.database_password").event_pattern);
    expect(pattern).toEqual({
      source: ["aws.secretsmanager"],
      "detail-type": ["AWS Service Event via CloudTrail"],
      detail: {
        eventSource: ["secretsmanager.amazonaws.com"],
        eventName: ["RotationSucceeded"],
        additionalEventData: { SecretId: [expect.stringMatching(/^arn:aws:secretsmanager:.*:secret:rds!/)] },
      },
    });
    const runbook = compute.stack.applied("aws_ssm_document.database_password");
    const steps = JSON.parse(runbook.content).mainSteps as TerraformJson[];
    expect(
      steps.map((s) => [s.action, s.inputs.Service, s.inputs.Api, s.inputs.service, s.inputs.forceNewDeployment]),
    ).toEqual([["aws:executeAwsApi", "ecs", "UpdateService", "library-app-prod-backend", true]]);
    const target = compute.stack.applied("aws_cloudwatch_event_target.database_password");
    expect(target.arn).toMatch(new RegExp(`:automation-definition/${runbook.name}:\\$DEFAULT$`));
    const restartsRole = compute.stack.applied("aws_iam_role.database_password_restarts").arn;
    expect(JSON.parse(target.input)).toEqual({ AutomationAssumeRole: [restartsRole] });
    const restarts = JSON.parse(compute.stack.applied("aws_iam_role_policy.database_password_restarts").policy);
    const cluster = compute.stack.applied("aws_ecs_cluster.cluster").arn;
    expect(restarts.Statement).toEqual([
      expect.objectContaining({
        Action: "ecs:UpdateService",
        Resource: `${cluster.replace(":cluster/", ":service/")}/library-app-prod-backend`,
      }),
    ]);
  });
});

describe("replacements", () => {
  it("gives a replacing target group a name of its own (the port changed)", async () => {
    compute.stack.useConfiguration(variant((bp) => (bp.services[0].containerPort = 8001), "library-app-prod-compute"));
    const plan = await compute.stack.plan();
    compute.stack.useConfiguration(byId("library-app-prod-compute").json);
    const group = changesOf(plan, "aws_lb_target_group").find((c) => c.name === "backend")!;
    expect(group.change.actions).toEqual(["create", "delete"]);
    expect(group.change.after!.name).not.toBe(group.change.before!.name);
    expect(group.change.after!.name).toMatch(/^library-app-backend-[0-9a-f]{6}$/);
  });

  it("keeps a security group other stacks attach when its description or name changed", async () => {
    const before = network.stack.snapshot();
    // As created by an earlier version of the blueprint's wording and naming.
    const group = network.stack.applied("aws_security_group.service_backend");
    group.description = "Backend tasks";
    group.name = "library-app-backend";
    const plan = await network.stack.plan();
    network.stack.restore(before);
    expect(summary(pending(plan))).toEqual([]);
  });

  it("replaces the parameter group under a new name before a major upgrade, and upgrades in place", async () => {
    data.stack.useConfiguration(variant((bp) => (bp.database.engineVersion = "17"), "library-app-prod-data"));
    const plan = await data.stack.plan();
    data.stack.useConfiguration(byId("library-app-prod-data").json);
    expect(summary(pending(plan))).toEqual([
      "create+delete aws_db_parameter_group.database",
      "update aws_db_instance.database",
    ]);
    const group = changesOf(plan, "aws_db_parameter_group")[0];
    expect(group.change.after!.family).toBe("postgres17");
    expect(group.change.after_unknown.name).toBe(true); // name_prefix: AWS-unique, never the old one
    const db = changesOf(plan, "aws_db_instance")[0].change;
    expect([db.before!.engine_version, db.after!.engine_version]).toEqual(["16", "17"]);
    expect(db.after!.allow_major_version_upgrade).toBe(true);
  });
});

describe("engine upgrades by AWS", () => {
  /**
   * How the provider reads an engine version (internal/service/rds compareActualEngineVersion): engine_version keeps
   * the configured value when it prefixes the running one at a dot (16 for 16.6), else takes the running one.
   */
  const readEngineVersion = (configured: string, running: string) =>
    running.startsWith(`${configured}.`) ? configured : running;

  it("plans no downgrade after AWS upgraded the minor version (16.6)", async () => {
    const before = data.stack.snapshot();
    const db = data.stack.instance("aws_db_instance").attributes;
    db.engine_version = readEngineVersion(db.engine_version, "16.6");
    db.engine_version_actual = "16.6";
    const plan = await data.stack.plan();
    data.stack.restore(before);
    expect(summary(pending(plan))).toEqual([]);
  });
});

describe("delegation before validation", () => {
  it("creates the new zone, the certificate request and its records without waiting on DNS", () => {
    expect(changesOf(dnsPlan, "aws_acm_certificate_validation")).toEqual([]);
    expect(changesOf(dnsPlan, "aws_route53_zone")).toHaveLength(1);
    expect(changesOf(dnsPlan, "aws_acm_certificate")).toHaveLength(1);
    expect(Object.keys(dnsPlan.planned_values.outputs)).toEqual(
      expect.arrayContaining(["zone_name_servers", "certificate_arn"]),
    );
  });

  it("waits for the issued certificate in compute, before the HTTPS listener", () => {
    const validation = changesOf(compute.first, "aws_acm_certificate_validation");
    expect(validation).toHaveLength(1);
    const listener = compute.first.configuration.root_module.resources.find(
      (r: TerraformJson) => r.address === "aws_lb_listener.alb_https",
    );
    expect(listener.expressions.certificate_arn.references).toContain("aws_acm_certificate_validation.https");
  });
});

describe("secrets of a non-production environment", () => {
  it("are deleted at once when the environment is destroyed, so it can be created again", async () => {
    const plan = await devSecrets.plan({ destroy: true });
    const secret = changesOf(plan, "aws_secretsmanager_secret")[0];
    expect(secret.change.actions).toEqual(["delete"]);
    expect(secret.change.before!.recovery_window_in_days).toBe(0);
  });

  it("keep their 30-day recovery window in production", () => {
    const prod = synthToTemp({ blueprint: markmail.name, environment: "prod" }).stacks;
    const secret = Object.values<TerraformJson>(
      byId("markmail-prod-parameters", prod).json.resource.aws_secretsmanager_secret,
    )[0];
    expect(secret.recovery_window_in_days).toBe(30);
  });
});
