import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { libraryApp } from "../blueprints/library-app";
import { markmail } from "../blueprints/markmail";
import type { SynthesizedStack, TerraformJson } from "../tools/terraform/cdktf-out";
import { parseStructuredValue } from "../tools/terraform/jsonencode";
import {
  applyAndPlan,
  changesOf,
  pending,
  PreparedStack,
  type DayTwoPlans,
  type PreparedStackOptions,
  type ResourceChange,
  type Scenario,
} from "./helpers/applied-state";
import { FakeSsm } from "./helpers/fake-ssm";
import { synthToTemp } from "./helpers/synth";

/**
 * After the first apply. Each stack below is applied on paper (helpers/applied-state.ts: real plans of the shipped
 * JSON, the state built from them), then changed the way AWS, CI or the blueprint's authors change it, and planned
 * again with the real provider and `-refresh=false`: the state holds what the next refresh would read.
 *
 * One blueprint, library-app (prod), carries every point: two rolling services, one injecting the database
 * password, a PostgreSQL instance, a new public zone with a certificate. markmail's dev parameters stand for a
 * non-production environment. Release tags are read from stand-in SSM endpoints: one holds the tags of the first
 * apply, the other the record after CI released a new backend tag.
 *
 * Every change is declared up front as a scenario (its own copy of the stack: a configuration synthesized from the
 * changed blueprint, or the applied state edited by the event) and all of them are planned by few Terraform
 * processes: the stacks are applied together, round by round, and each scenario is planned as soon as its stack
 * has settled (helpers/applied-state.ts `applyAndPlan`). The destruction of an environment is planned as its stack
 * with nothing left in it: each resource is deleted because its configuration is gone, as `terraform destroy` deletes
 * it, with the state's values (a plan is either a destroy plan or not, so this lets it share a process). That a stack
 * in such a batch is planned as it would be alone is checked at the end, on one scenario planned both ways.
 */
const FIRST = "1111111";
const RELEASED = "2222222";

let root: string;
/** The release record as the first apply found it, and after CI released RELEASED to the backend. */
const ssm = new FakeSsm();
const releasedSsm = new FakeSsm();
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

/** A stack with nothing left in it: what destroying its environment plans. */
const emptied = (json: TerraformJson): TerraformJson => ({ terraform: json.terraform, provider: json.provider });

/** The stacks applied on paper, the one planned once, and every scenario planned after the apply. */
const applied = {} as Record<"compute" | "data" | "network" | "devSecrets", PreparedStack>;
let dns: PreparedStack;
const scenario = {} as Record<
  "released" | "releasedAndChanged" | "portChanged" | "renamedGroup" | "majorUpgrade" | "minorUpgrade" | "destroyed",
  PreparedStack
>;
let majorUpgradeAlone: PreparedStack;
let plans: DayTwoPlans;
const planOf = (stack: PreparedStack) => plans.plans.get(stack)!;
const firstPlanOf = (stack: PreparedStack) => plans.first.get(stack)!;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-day2-"));
  await Promise.all([ssm.start(), releasedSsm.start()]);
  for (const svc of ["backend", "frontend"]) ssm.parameters.set(`/library-app-prod/release/${svc}`, FIRST);
  releasedSsm.parameters.set("/library-app-prod/release/backend", RELEASED);
  releasedSsm.parameters.set("/library-app-prod/release/frontend", FIRST);
  stacks = synthToTemp({ blueprint: "library-app" }).stacks;
  const mm = synthToTemp({ blueprint: "markmail", environment: "dev" }).stacks;
  const prepare = (id: string, options: PreparedStackOptions = {}, from = stacks) =>
    new PreparedStack(byId(id, from), from, root, options);
  const compute = (name: string, record: FakeSsm, configuration?: TerraformJson) =>
    prepare("library-app-prod-compute", {
      name: `library-app-prod-compute--${name}`,
      read: ["aws_ssm_parameter"],
      endpoints: { ssm: record.url },
      configuration,
    });
  applied.compute = prepare("library-app-prod-compute", { read: ["aws_ssm_parameter"], endpoints: { ssm: ssm.url } });
  applied.data = prepare("library-app-prod-data");
  applied.network = prepare("library-app-prod-network");
  applied.devSecrets = prepare("markmail-dev-parameters", {}, mm);
  dns = prepare("library-app-prod-dns");

  scenario.released = compute("released", releasedSsm);
  scenario.releasedAndChanged = compute(
    "released-and-changed",
    releasedSsm,
    variant((bp) => {
      bp.services[0].environment.LOG_CHANNEL = "errorlog";
      bp.services[0].spot = { onDemandBase: 2, spotWeight: 3 };
      bp.services[1].cpuArchitecture = "ARM64";
    }, "library-app-prod-compute"),
  );
  scenario.portChanged = compute(
    "port-changed",
    ssm,
    variant((bp) => (bp.services[0].containerPort = 8001), "library-app-prod-compute"),
  );
  scenario.renamedGroup = prepare("library-app-prod-network", { name: "library-app-prod-network--renamed-group" });
  const engine17 = variant((bp) => (bp.database.engineVersion = "17"), "library-app-prod-data");
  scenario.majorUpgrade = prepare("library-app-prod-data", {
    name: "library-app-prod-data--major-upgrade",
    configuration: engine17,
  });
  majorUpgradeAlone = prepare("library-app-prod-data", {
    name: "library-app-prod-data--major-upgrade-alone",
    configuration: engine17,
  });
  scenario.minorUpgrade = prepare("library-app-prod-data", { name: "library-app-prod-data--minor-upgrade" });
  scenario.destroyed = prepare(
    "markmail-dev-parameters",
    { name: "markmail-dev-parameters--destroyed", configuration: emptied(byId("markmail-dev-parameters", mm).json) },
    mm,
  );

  const scenarios: Scenario[] = [
    { stack: scenario.released, after: applied.compute, event: ciReleased },
    { stack: scenario.releasedAndChanged, after: applied.compute, event: ciReleased },
    { stack: scenario.portChanged, after: applied.compute },
    {
      stack: scenario.renamedGroup,
      after: applied.network,
      event: (network) => {
        // As created by an earlier version of the blueprint's wording and naming.
        const group = network.applied("aws_security_group.service_backend");
        group.description = "Backend tasks";
        group.name = "library-app-backend";
      },
    },
    { stack: scenario.majorUpgrade, after: applied.data, alone: majorUpgradeAlone },
    { stack: scenario.minorUpgrade, after: applied.data, event: awsUpgradedMinorVersion },
    { stack: scenario.destroyed, after: applied.devSecrets },
  ];
  plans = await applyAndPlan(root, { apply: Object.values(applied), planOnce: [dns], scenarios });
}, 1_800_000);

afterAll(async () => {
  await Promise.all([ssm.stop(), releasedSsm.stop()]);
  fs.rmSync(root, { recursive: true, force: true });
});

const summary = (changes: readonly ResourceChange[]) =>
  changes.map((c) => `${c.change.actions.join("+")} ${c.address}`).sort();
const containerOf = (change: ResourceChange) =>
  (parseStructuredValue(change.change.after!.container_definitions) as TerraformJson[])[0];

/** What ECS holds after CI released RELEASED to the backend (tools/release/release.sh); its record is releasedSsm. */
function ciReleased(compute: PreparedStack): void {
  const td = compute.instance("aws_ecs_task_definition", (a) => a.family === "library-app-prod-backend").attributes;
  const containers = JSON.parse(td.container_definitions);
  containers[0].image = containers[0].image.replace(`:${FIRST}`, `:${RELEASED}`);
  const revision = Number(td.revision) + 1;
  const arn = `${td.arn_without_revision}:${revision}`;
  // With track_latest, the refresh reads the family's latest revision: the one CI registered.
  Object.assign(td, { arn, id: arn, revision, container_definitions: JSON.stringify(containers) });
  compute.instance("aws_ecs_service", (a) => a.name === "library-app-prod-backend").attributes.task_definition = arn;
}

describe("releases: one owner of what runs", () => {
  it("runs the tag the release record holds", () => {
    const image = (family: string) =>
      containerOf(
        changesOf(firstPlanOf(applied.compute), "aws_ecs_task_definition").find(
          (c) => c.change.after!.family === family,
        )!,
      ).image;
    expect(image("library-app-prod-backend")).toBe(
      `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/library-app-backend:${FIRST}`,
    );
    expect(ssm.reads).toEqual(expect.arrayContaining(["/library-app-prod/release/backend"]));
  });

  it("plans no change after CI released a new tag (revision N+1)", () => {
    expect(summary(pending(planOf(scenario.released)))).toEqual([]);
  });

  it("rolls a configuration change out with the released image; Spot and Graviton change in place", () => {
    const plan = planOf(scenario.releasedAndChanged);
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
      JSON.parse(applied.compute.applied(`aws_iam_role_policy.${role}`).policy).Statement as TerraformJson[];
    expect(statements("backend_task")).toContainEqual(
      expect.objectContaining({
        Action: "rds-db:connect",
        Resource: expect.stringMatching(/^arn:aws:rds-db:ap-northeast-1:\d{12}:dbuser:[^/:]+\/app_user$/),
      }),
    );
    // The front end has no databaseAccess: no task policy at all.
    expect(() => applied.compute.applied("aws_iam_role_policy.frontend_task")).toThrow(/not in the state/);
  });

  it("restarts the services that inject the master password when it rotates, and only those", () => {
    const pattern = JSON.parse(applied.compute.applied("aws_cloudwatch_event_rule.database_password").event_pattern);
    expect(pattern).toEqual({
      source: ["aws.secretsmanager"],
      "detail-type": ["AWS Service Event via CloudTrail"],
      detail: {
        eventSource: ["secretsmanager.amazonaws.com"],
        eventName: ["RotationSucceeded"],
        additionalEventData: { SecretId: [expect.stringMatching(/^arn:aws:secretsmanager:.*:secret:rds!/)] },
      },
    });
    const runbook = applied.compute.applied("aws_ssm_document.database_password");
    const steps = JSON.parse(runbook.content).mainSteps as TerraformJson[];
    expect(
      steps.map((s) => [s.action, s.inputs.Service, s.inputs.Api, s.inputs.service, s.inputs.forceNewDeployment]),
    ).toEqual([["aws:executeAwsApi", "ecs", "UpdateService", "library-app-prod-backend", true]]);
    const target = applied.compute.applied("aws_cloudwatch_event_target.database_password");
    expect(target.arn).toMatch(new RegExp(`:automation-definition/${runbook.name}:\\$DEFAULT$`));
    const restartsRole = applied.compute.applied("aws_iam_role.database_password_restarts").arn;
    expect(JSON.parse(target.input)).toEqual({ AutomationAssumeRole: [restartsRole] });
    const restarts = JSON.parse(applied.compute.applied("aws_iam_role_policy.database_password_restarts").policy);
    const cluster = applied.compute.applied("aws_ecs_cluster.cluster").arn;
    expect(restarts.Statement).toEqual([
      expect.objectContaining({
        Action: "ecs:UpdateService",
        Resource: `${cluster.replace(":cluster/", ":service/")}/library-app-prod-backend`,
      }),
    ]);
  });
});

describe("replacements", () => {
  it("gives a replacing target group a name of its own (the port changed)", () => {
    const group = changesOf(planOf(scenario.portChanged), "aws_lb_target_group").find((c) => c.name === "backend")!;
    expect(group.change.actions).toEqual(["create", "delete"]);
    expect(group.change.after!.name).not.toBe(group.change.before!.name);
    expect(group.change.after!.name).toMatch(/^library-app-backend-[0-9a-f]{6}$/);
  });

  it("keeps a security group other stacks attach when its description or name changed", () => {
    expect(summary(pending(planOf(scenario.renamedGroup)))).toEqual([]);
  });

  it("replaces the parameter group under a new name before a major upgrade, and upgrades in place", () => {
    const plan = planOf(scenario.majorUpgrade);
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

/**
 * How the provider reads an engine version (internal/service/rds compareActualEngineVersion): engine_version keeps
 * the configured value when it prefixes the running one at a dot (16 for 16.6), else takes the running one.
 */
const readEngineVersion = (configured: string, running: string) =>
  running.startsWith(`${configured}.`) ? configured : running;

/** AWS upgraded the database's minor version (16.6) in its maintenance window. */
function awsUpgradedMinorVersion(data: PreparedStack): void {
  const db = data.instance("aws_db_instance").attributes;
  db.engine_version = readEngineVersion(db.engine_version, "16.6");
  db.engine_version_actual = "16.6";
}

describe("engine upgrades by AWS", () => {
  it("plans no downgrade after AWS upgraded the minor version (16.6)", () => {
    expect(summary(pending(planOf(scenario.minorUpgrade)))).toEqual([]);
  });
});

describe("delegation before validation", () => {
  it("creates the new zone, the certificate request and its records without waiting on DNS", () => {
    const plan = firstPlanOf(dns);
    expect(changesOf(plan, "aws_acm_certificate_validation")).toEqual([]);
    expect(changesOf(plan, "aws_route53_zone")).toHaveLength(1);
    expect(changesOf(plan, "aws_acm_certificate")).toHaveLength(1);
    expect(Object.keys(plan.planned_values.outputs)).toEqual(
      expect.arrayContaining(["zone_name_servers", "certificate_arn"]),
    );
  });

  it("waits for the issued certificate in compute, before the HTTPS listener", () => {
    const first = firstPlanOf(applied.compute);
    const validation = changesOf(first, "aws_acm_certificate_validation");
    expect(validation).toHaveLength(1);
    const listener = first.configuration.root_module.resources.find(
      (r: TerraformJson) => r.address === "aws_lb_listener.alb_https",
    );
    expect(listener.expressions.certificate_arn.references).toContain("aws_acm_certificate_validation.https");
  });
});

describe("secrets of a non-production environment", () => {
  it("are deleted at once when the environment is destroyed, so it can be created again", () => {
    const secret = changesOf(planOf(scenario.destroyed), "aws_secretsmanager_secret")[0];
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

describe("one process, many stacks", () => {
  it("plans a stack in a batch as it plans alone (the major upgrade, also planned in a directory of its own)", () => {
    const batched = planOf(scenario.majorUpgrade);
    expect(pending(batched).length).toBeGreaterThan(0);
    expect(batched.resource_changes).toEqual(planOf(majorUpgradeAlone).resource_changes);
  });
});
