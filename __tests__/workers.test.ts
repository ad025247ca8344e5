import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { dataOf, resourcesOf, stackById, synthToTemp } from "./helpers/synth";
import { errorsAfter } from "./helpers/blueprint-errors";
import { queueWorker } from "./fixtures/blueprints/queue-worker";
import type { BlueprintInput } from "../schema/blueprint";
import { resolveBlueprint } from "../schema/resolve";
import { scheduleName, schedulerRoleName } from "../schema/names";
import { RESOURCE_KINDS } from "../schema/preflight/named-resources";
import { parseStructuredValue } from "../tools/terraform/jsonencode";
import type { OfflineCheck } from "../tools/terraform/plan-offline";
import { checkStacks } from "../tools/check/engine";
import type { SynthesizedStack, TerraformJson } from "../tools/terraform/cdktf-out";
import { offlinePlansOf } from "./helpers/offline-plans";
import { QUEUE_WORKER, synthesizeVariant } from "./helpers/planned-variants";

/**
 * Services without a load balancer (kind: worker) and scheduled tasks, on a test blueprint (none of the five design
 * documents describes a queue consumer or a cron job): what a worker lacks, the scheduler role's exact permissions,
 * the schedule's wiring, each validation error, and an offline plan of the network and compute stacks.
 *
 * The plans are the run's shared ones: the blueprint is a variant the shared offline plan covers
 * (helpers/planned-variants.ts, synthesized here by the same function; offlinePlansOf takes a shared plan only for
 * byte-identical JSON seeded alike, else plans here). That plan runs no separate `terraform validate`: Terraform's
 * plan walks the same validate graph first (plan-offline-batch.test.ts: an error only validation finds fails the
 * plan), so a stack that plans has passed validation. The HCL form's `terraform validate` is in
 * hcl-every-stack.test.ts, which validates these two stacks' HCL with every registered stack's.
 */
let dir: string;
let stacks: SynthesizedStack[];
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-workers-"));
  stacks = synthesizeVariant(QUEUE_WORKER).stacks;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const stack = (layer: string) => stackById(stacks, `queue-worker-prod-${layer}`);
/** `${<type>.<name>.<attr>}` → name. */
const refName = (ref: unknown, type: string) => new RegExp(`${type}\\.([^.}]+)\\.`).exec(String(ref))?.[1];
/** A resource's Terraform name, found by an attribute (addresses are not the test's business). */
function nameOf(json: TerraformJson, type: string, pick: (r: TerraformJson) => boolean): string {
  const found = Object.entries<TerraformJson>(json.resource?.[type] ?? {}).filter(([, r]) => pick(r));
  expect(found).toHaveLength(1);
  return found[0][0];
}
const resource = (json: TerraformJson, type: string, name: string): TerraformJson => json.resource[type][name];

describe("a worker takes no traffic", () => {
  it("has no target group and no listener rule; the web service keeps its target group on its port", () => {
    const compute = stack("compute");
    const groups = resourcesOf(compute, "aws_lb_target_group");
    expect(groups.map((g) => g.port)).toEqual([8080]);
    expect(resourcesOf(compute, "aws_lb_listener_rule")).toEqual([]);
    const listener = resourcesOf(compute, "aws_lb_listener")[0];
    const api = nameOf(compute, "aws_lb_target_group", () => true);
    expect(JSON.stringify(listener.default_action)).toContain(`aws_lb_target_group.${api}.arn`);
  });

  it("runs as an ECS service with no load balancer, no grace period and no port mapping", () => {
    const compute = stack("compute");
    const service = resourcesOf(compute, "aws_ecs_service").find((s) => s.name === "queue-worker-prod-mailer")!;
    expect(service.load_balancer).toBeUndefined();
    expect(service.health_check_grace_period_seconds).toBeUndefined();
    expect(service.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
    const td = resourcesOf(compute, "aws_ecs_task_definition").find((t) => t.family === "queue-worker-prod-mailer")!;
    const [container] = parseStructuredValue(td.container_definitions) as TerraformJson[];
    expect(container.portMappings).toEqual([]);
    expect(container.healthCheck.command).toEqual(["CMD", "/app/healthcheck"]);
    expect(td.track_latest).toBe(true);
  });

  it("scales on CPU and memory like any service", () => {
    const compute = stack("compute");
    const metrics = resourcesOf(compute, "aws_appautoscaling_policy").map((p) => [
      p.target_tracking_scaling_policy_configuration.predefined_metric_specification.predefined_metric_type,
      p.target_tracking_scaling_policy_configuration.target_value,
    ]);
    expect(metrics.sort()).toEqual([
      ["ECSServiceAverageCPUUtilization", 60],
      ["ECSServiceAverageMemoryUtilization", 75],
    ]);
    const [target] = resourcesOf(compute, "aws_appautoscaling_target");
    expect([target.min_capacity, target.max_capacity]).toEqual([1, 4]);
    const mailer = nameOf(stack("compute"), "aws_ecs_service", (svc) => svc.name === "queue-worker-prod-mailer");
    expect(target.resource_id).toContain(`aws_ecs_service.${mailer}.name`);
  });

  it("has its own security group with egress rules only: no ingress rule at all, and the ALB cannot reach it", () => {
    const net = stack("network");
    const group = nameOf(net, "aws_security_group", (g) => g.name === "queue-worker-prod-svc-mailer");
    const on = (type: string) =>
      resourcesOf(net, type).filter((r) => refName(r.security_group_id, "aws_security_group") === group);
    expect(on("aws_vpc_security_group_ingress_rule")).toEqual([]);
    expect(on("aws_vpc_security_group_egress_rule").map((r) => [r.from_port, r.cidr_ipv4])).toEqual([
      [443, "0.0.0.0/0"],
    ]);
    const anyRuleToIt = [
      ...resourcesOf(net, "aws_vpc_security_group_ingress_rule"),
      ...resourcesOf(net, "aws_vpc_security_group_egress_rule"),
    ].filter((r) => refName(r.referenced_security_group_id, "aws_security_group") === group);
    expect(anyRuleToIt).toEqual([]);
    // The web service next to it keeps its door from the load balancer.
    const api = nameOf(net, "aws_security_group", (g) => g.name === "queue-worker-prod-svc-api");
    const apiIngress = resourcesOf(net, "aws_vpc_security_group_ingress_rule").filter(
      (r) => refName(r.security_group_id, "aws_security_group") === api,
    );
    expect(apiIngress.map((r) => r.from_port)).toEqual([8080]);
  });
});

describe("scheduled tasks", () => {
  const compute = () => stack("compute");
  const scheduleOf = (name: string) =>
    resourcesOf(compute(), "aws_scheduler_schedule").find((s) => s.name === `queue-worker-prod-${name}`)!;
  const d = () => resolveBlueprint(queueWorker)[0];

  it("start the service's task definition family (no revision) in its cluster, subnets and group, no public IP", () => {
    const schedule = scheduleOf("nightly-cleanup");
    const td = nameOf(compute(), "aws_ecs_task_definition", (t) => t.family === "queue-worker-prod-mailer");
    const cluster = nameOf(compute(), "aws_ecs_cluster", () => true);
    expect(schedule.schedule_expression).toBe("cron(0 3 * * ? *)");
    expect(schedule.schedule_expression_timezone).toBe("Asia/Tokyo");
    expect(schedule.state).toBe("ENABLED");
    expect(schedule.flexible_time_window).toEqual({ mode: "OFF" });
    const target = schedule.target;
    expect(target.arn).toBe(`\${aws_ecs_cluster.${cluster}.arn}`);
    expect(target.ecs_parameters).toEqual({
      task_definition_arn: `\${aws_ecs_task_definition.${td}.arn_without_revision}`,
      task_count: 1,
      launch_type: "FARGATE",
      platform_version: "LATEST",
      network_configuration: {
        assign_public_ip: false,
        security_groups: ["${data.terraform_remote_state.network.outputs.service_security_group_ids.mailer}"],
        subnets: [
          '${data.terraform_remote_state.network.outputs.subnet_ids["private-1a"]}',
          '${data.terraform_remote_state.network.outputs.subnet_ids["private-1c"]}',
        ],
      },
    });
    expect(target.retry_policy).toEqual({ maximum_retry_attempts: 3, maximum_event_age_in_seconds: 3600 });
    expect(parseStructuredValue(target.input)).toEqual({
      containerOverrides: [{ name: "mailer", command: ["/app/mailer", "cleanup", "--older-than=30d"] }],
    });
  });

  it("keep the image's command without an override, and UTC without a time zone", () => {
    const schedule = scheduleOf("hourly-report");
    expect(schedule.schedule_expression).toBe("rate(1 hour)");
    expect(schedule.schedule_expression_timezone).toBe("UTC");
    expect(schedule.target.input).toBeUndefined();
    expect(schedule.target.ecs_parameters.network_configuration.security_groups).toEqual([
      "${data.terraform_remote_state.network.outputs.service_security_group_ids.api}",
    ]);
  });

  it("each run with a role of its own: this account's scheduler, RunTask on the family in this cluster, PassRole of exactly the two task roles", () => {
    const json = compute();
    const schedule = scheduleOf("nightly-cleanup");
    const roleName = refName(schedule.target.role_arn, "aws_iam_role")!;
    const role = resource(json, "aws_iam_role", roleName);
    expect(role.name).toBe(schedulerRoleName(d(), d().spec.scheduledTasks[0]));
    const documents = json.data.aws_iam_policy_document;
    const trust = documents[refName(role.assume_role_policy, "aws_iam_policy_document")!];
    expect(trust.statement).toEqual([
      {
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["scheduler.amazonaws.com"] }],
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] }],
      },
    ]);
    const policies = resourcesOf(json, "aws_iam_role_policy").filter(
      (p) => refName(p.role, "aws_iam_role") === roleName,
    );
    expect(policies).toHaveLength(1);
    expect(resourcesOf(json, "aws_iam_role_policy_attachment")).toEqual([]);
    const td = nameOf(json, "aws_ecs_task_definition", (t) => t.family === "queue-worker-prod-mailer");
    const cluster = nameOf(json, "aws_ecs_cluster", () => true);
    const taskRole = refName(resource(json, "aws_ecs_task_definition", td).task_role_arn, "aws_iam_role");
    const executionRole = refName(resource(json, "aws_ecs_task_definition", td).execution_role_arn, "aws_iam_role");
    const policy = documents[refName(policies[0].policy, "aws_iam_policy_document")!];
    expect(policy.statement).toEqual([
      {
        sid: "RunTask",
        effect: "Allow",
        actions: ["ecs:RunTask"],
        resources: [`\${aws_ecs_task_definition.${td}.arn_without_revision}:*`],
        condition: [{ test: "ArnEquals", variable: "ecs:cluster", values: [`\${aws_ecs_cluster.${cluster}.arn}`] }],
      },
      {
        sid: "PassTaskRoles",
        effect: "Allow",
        actions: ["iam:PassRole"],
        resources: [`\${aws_iam_role.${taskRole}.arn}`, `\${aws_iam_role.${executionRole}.arn}`],
        condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] }],
      },
    ]);
    // Two schedules, two roles: neither may start the other's family.
    const roles = resourcesOf(json, "aws_scheduler_schedule").map((s) => refName(s.target.role_arn, "aws_iam_role"));
    expect(new Set(roles).size).toBe(2);
  });

  it("take their account from the cluster's ARN when the environment pins none", () => {
    const file = path.join(dir, "unpinned.json");
    const bp = structuredClone(queueWorker);
    delete bp.environments[0].accountId;
    fs.writeFileSync(file, JSON.stringify(bp));
    const json = stackById(synthToTemp({ blueprintFile: file }).stacks, "queue-worker-prod-compute");
    const trusts = dataOf(json, "aws_iam_policy_document").filter((doc) =>
      JSON.stringify(doc.principals ?? doc.statement).includes("scheduler.amazonaws.com"),
    );
    expect(trusts).toHaveLength(2);
    for (const t of trusts) {
      expect(t.statement[0].condition[0].values).toEqual(['${element(split(":", aws_ecs_cluster.cluster.arn), 4)}']);
    }
  });

  it("are named as schema/names.ts derives, within AWS's 64 characters, and published", () => {
    const derived = RESOURCE_KINDS.find((k) => k.id === "schedule")!.of(d());
    expect(
      resourcesOf(compute(), "aws_scheduler_schedule")
        .map((s) => s.name)
        .sort(),
    ).toEqual(derived.map((n) => n.name).sort());
    const long = { ...d().spec.scheduledTasks[0], name: "n".repeat(40) };
    const deployment = { ...d(), prefix: "a".repeat(24) + "-" + "e".repeat(12) };
    expect(scheduleName(deployment, long).length).toBe(64);
    expect(schedulerRoleName(deployment, long)).toMatch(/^a{24}-e{12}-n+-[0-9a-f]{6}-scheduler$/);
    expect(schedulerRoleName(deployment, long).length).toBe(64);
    expect(compute().output.schedule_names.value).toEqual({
      "nightly-cleanup": "${aws_scheduler_schedule.nightly_cleanup.name}",
      "hourly-report": "${aws_scheduler_schedule.hourly_report.name}",
    });
  });
});

it("passes the policy checks: the worker, the schedules and their roles raise no finding", () => {
  const open = checkStacks(stacks).filter((f) => !f.suppressedBecause);
  expect(open.map((f) => `${f.stackId} ${f.rule.id} ${f.address}`)).toEqual([]);
  // The rules that judge what this blueprint adds did look at it.
  const judged = (type: string) => stacks.some((s) => Object.keys(s.json.resource?.[type] ?? {}).length > 0);
  expect(judged("aws_scheduler_schedule")).toBe(true);
});

describe("validation: each error names the field, the value and the fix", () => {
  const errors = (change: (bp: BlueprintInput) => void) => errorsAfter<BlueprintInput>(queueWorker, change);
  const worker = (bp: BlueprintInput) => bp.services[1];
  const schedule = (bp: BlueprintInput) => bp.scheduledTasks![0];

  it.each<[string, (bp: BlueprintInput) => void, string, string]>([
    [
      "routing on a worker",
      (bp) => (worker(bp).routing = { pathPatterns: ["/mail/*"] }),
      "services[1].routing",
      "worker",
    ],
    [
      "a container port on a worker",
      (bp) => (worker(bp).containerPort = 8081),
      "services[1].containerPort = 8081",
      "no load balancer reaches",
    ],
    [
      "a target group health check on a worker",
      (bp) => (worker(bp).healthCheck = { path: "/health" }),
      "services[1].healthCheck",
      "a worker has no target group",
    ],
    [
      "blue/green on a worker",
      (bp) =>
        (worker(bp).blueGreen = {
          deploymentConfig: "CodeDeployDefault.ECSAllAtOnce",
        }),
      "services[1].blueGreen",
      "rolling updates",
    ],
    [
      "request-count scaling on a worker",
      (bp) => (worker(bp).autoscaling = { minCapacity: 1, maxCapacity: 2, requestsPerTarget: 100 }),
      "services[1].autoscaling.requestsPerTarget = 100",
      "cpuTargetPercent or memoryTargetPercent",
    ],
    [
      "a web service without a port",
      (bp) => delete bp.services[0].containerPort,
      "services[0].containerPort",
      'kind: "worker"',
    ],
    [
      "a load balancer with workers only",
      (bp) => {
        bp.services[0].kind = "worker";
        delete bp.services[0].containerPort;
      },
      "loadBalancer",
      "serves no web service",
    ],
    [
      "a cron with five fields",
      (bp) => (schedule(bp).expression = "cron(0 3 * * *)"),
      'scheduledTasks[0].expression = "cron(0 3 * * *)"',
      "has 5 fields, cron takes 6",
    ],
    [
      "a cron with both day fields",
      (bp) => (schedule(bp).expression = "cron(0 3 * * * *)"),
      "scheduledTasks[0].expression",
      "exactly one of them must be ?",
    ],
    [
      "a cron hour out of range",
      (bp) => (schedule(bp).expression = "cron(0 24 * * ? *)"),
      "scheduledTasks[0].expression",
      '"24" is outside 0-23',
    ],
    [
      "rate(5 minute)",
      (bp) => (schedule(bp).expression = "rate(5 minute)"),
      'scheduledTasks[0].expression = "rate(5 minute)"',
      "Fix: rate(5 minutes)",
    ],
    [
      "rate(1 minutes)",
      (bp) => (schedule(bp).expression = "rate(1 minutes)"),
      "scheduledTasks[0].expression",
      "Fix: rate(1 minute)",
    ],
    [
      "rate in weeks",
      (bp) => (schedule(bp).expression = "rate(1 week)"),
      "scheduledTasks[0].expression",
      "minute(s), hour(s) or day(s)",
    ],
    [
      "neither cron nor rate",
      (bp) => (schedule(bp).expression = "every night"),
      "scheduledTasks[0].expression",
      "neither cron(...) nor rate(...)",
    ],
    [
      "an unknown time zone",
      (bp) => (schedule(bp).timezone = "Asia/Osaka"),
      'scheduledTasks[0].timezone = "Asia/Osaka"',
      "not an IANA time zone",
    ],
    [
      "a time zone in the wrong case",
      (bp) => (schedule(bp).timezone = "asia/tokyo"),
      "scheduledTasks[0].timezone",
      "Fix: write Asia/Tokyo",
    ],
    [
      "an abbreviation for a time zone",
      (bp) => (schedule(bp).timezone = "JST"),
      "scheduledTasks[0].timezone",
      "Asia/Tokyo",
    ],
    [
      "a service that does not exist",
      (bp) => (schedule(bp).service = "mail"),
      'scheduledTasks[0].service = "mail"',
      "use one of api, mailer",
    ],
    [
      "a service with a public IP",
      (bp) => {
        worker(bp).subnets = { tier: "public" };
        worker(bp).assignPublicIp = true;
      },
      "scheduledTasks[0].service",
      "public IP",
    ],
    [
      "two scheduled tasks of one name",
      (bp) => (bp.scheduledTasks![1].name = "nightly-cleanup"),
      "scheduledTasks[1].name",
      "unique",
    ],
  ])("%s", (_case, change, where, says) => {
    const lines = errors(change);
    const line = lines.find((l) => l.includes(`: ${where}`));
    expect({ where, line }).toEqual({ where, line: expect.stringContaining("Fix:") });
    expect(line).toContain(says);
  });

  it("accepts valid expressions and zones AWS documents", () => {
    for (const [expression, timezone] of [
      ["cron(0/15 * * * ? *)", "UTC"],
      ["cron(0 18 ? * MON-FRI *)", "Asia/Tokyo"],
      ["cron(0 10 L * ? *)", "Europe/London"],
      ["cron(0 8 ? * 2#1 *)", "America/New_York"],
      ["cron(30 2 15W JAN-MAR ? 2030)", "Etc/UTC"],
      ["rate(1 minute)", "UTC"],
      ["rate(5 minutes)", "UTC"],
      ["rate(1 day)", "UTC"],
    ]) {
      expect(errors((bp) => Object.assign(schedule(bp), { expression, timezone }))).toEqual([]);
    }
  });

  it("allows a blue/green service to be scheduled: RunTask takes the family's latest active revision", () => {
    // The API goes blue/green (HTTPS-less, so the test listener is all it needs besides one production route).
    const lines = errors((bp) => {
      bp.services[0].blueGreen = { deploymentConfig: "CodeDeployDefault.ECSAllAtOnce" };
      bp.loadBalancer!.testListener = { port: 9000 };
    });
    expect(lines.filter((l) => l.includes("scheduledTasks"))).toEqual([]);
  });
});

describe("offline, with the real provider", () => {
  const PLANNED = QUEUE_WORKER.planned;
  let checks: OfflineCheck[];
  beforeAll(async () => {
    const planned = PLANNED.map((id) => stacks.find((s) => s.id === id)!);
    checks = await offlinePlansOf(planned, stacks, path.join(dir, "offline"));
  }, 300_000);

  it("plans (validating first) the network and compute stacks", () => {
    expect(PLANNED).toEqual(["queue-worker-prod-network", "queue-worker-prod-compute"]);
    expect(checks.map((c) => c.stack)).toEqual(PLANNED);
    for (const c of checks)
      expect({ stack: c.stack, failed: c.failedStep, output: c.failedStep && c.output }).toEqual({
        stack: c.stack,
        failed: undefined,
        output: undefined,
      });
  });

  it("plans the two schedules and their roles, and a worker with no target group", () => {
    const compute = checks.find((c) => c.stack === "queue-worker-prod-compute")!.plan!;
    const creates = (type: string) =>
      (compute.resource_changes as TerraformJson[])
        .filter((r) => r.type === type && r.change.actions.includes("create"))
        .map((r) => r.change.after);
    expect(
      creates("aws_scheduler_schedule")
        .map((s) => s.name)
        .sort(),
    ).toEqual(["queue-worker-prod-hourly-report", "queue-worker-prod-nightly-cleanup"]);
    const nightly = creates("aws_scheduler_schedule").find((s) => s.name.endsWith("nightly-cleanup"))!;
    expect(JSON.parse(nightly.target[0].input)).toEqual({
      containerOverrides: [{ name: "mailer", command: ["/app/mailer", "cleanup", "--older-than=30d"] }],
    });
    expect(nightly.target[0].ecs_parameters[0].network_configuration[0].assign_public_ip).toBe(false);
    expect(creates("aws_iam_role").map((r) => r.name)).toEqual(
      expect.arrayContaining([
        "queue-worker-prod-nightly-cleanup-scheduler",
        "queue-worker-prod-hourly-report-scheduler",
      ]),
    );
    expect(creates("aws_lb_target_group")).toHaveLength(1);
    const mailer = creates("aws_ecs_service").find((s) => s.name === "queue-worker-prod-mailer")!;
    expect(mailer.load_balancer).toEqual([]);
  });
});
