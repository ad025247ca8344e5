import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { containers, dataOf, onlyResource, resourcesOf, stackById, synthToTemp } from "./helpers/synth";
import type { SynthesizedStack, TerraformJson } from "../tools/terraform/cdktf-out";
import { errorsAfter } from "./helpers/blueprint-errors";
import { textMessaging } from "../blueprints/text-messaging";

/** text-messaging, as shared/reference-architectures/text-messaging.md describes it, in dev and prod. */
let stacks: SynthesizedStack[];
beforeAll(() => {
  stacks = synthToTemp({ blueprint: "text-messaging" }).stacks;
});
const stack = (env: string, layer: string) => stackById(stacks, `text-messaging-${env}-${layer}`);
const ENVS = ["dev", "prod"];

/** Ingress or egress rules of one security group (found by its logical name suffix). */
function rulesOf(json: TerraformJson, type: string, group: string): TerraformJson[] {
  const sg = group === "alb" || group === "database" ? group : `service_${group}`;
  return resourcesOf(json, type).filter((r) => r.security_group_id === `\${aws_security_group.${sg}.id}`);
}

describe("stacks and their order", () => {
  it.each(ENVS)("%s: network first; data and registry after it; compute after all three; ci last", (env) => {
    const id = (l: string) => `text-messaging-${env}-${l}`;
    const deps = Object.fromEntries(stacks.map((s) => [s.id, [...s.dependencies].sort()]));
    expect(deps[id("network")]).toEqual([]);
    expect(deps[id("data")]).toEqual([id("network")]);
    expect(deps[id("registry")]).toEqual([id("network")]);
    expect(deps[id("compute")]).toEqual([id("data"), id("network"), id("registry")]);
    expect(deps[id("ci")]).toEqual([id("compute"), id("registry")]);
  });

  it("publishes the ALB DNS name as alb_dns_name", () => {
    for (const env of ENVS) {
      expect(stack(env, "compute").output.alb_dns_name.value).toBe("${aws_lb.alb.dns_name}");
    }
  });
});

describe("network", () => {
  it("has the VPC and three tiers of two subnets in 1a/1c", () => {
    for (const env of ENVS) {
      const net = stack(env, "network");
      expect(onlyResource(net, "aws_vpc").cidr_block).toBe("10.0.0.0/16");
      const subnets = resourcesOf(net, "aws_subnet").map((s) => [s.tags.Tier, s.cidr_block, s.availability_zone]);
      expect(subnets.sort()).toEqual(
        [
          ["isolated", "10.0.4.0/24", "ap-northeast-1a"],
          ["isolated", "10.0.5.0/24", "ap-northeast-1c"],
          ["private", "10.0.2.0/24", "ap-northeast-1a"],
          ["private", "10.0.3.0/24", "ap-northeast-1c"],
          ["public", "10.0.0.0/24", "ap-northeast-1a"],
          ["public", "10.0.1.0/24", "ap-northeast-1c"],
        ].sort(),
      );
    }
  });

  it("has one NAT gateway in dev and one per AZ in prod", () => {
    expect(resourcesOf(stack("dev", "network"), "aws_nat_gateway")).toHaveLength(1);
    expect(resourcesOf(stack("prod", "network"), "aws_nat_gateway")).toHaveLength(2);
  });

  it("gives the isolated subnets no route out", () => {
    const net = stack("dev", "network");
    const isolatedTables = Object.entries<TerraformJson>(net.resource.aws_route_table)
      .filter(([, t]) => /isolated/.test(t.tags.Name))
      .map(([k]) => k);
    expect(isolatedTables.length).toBeGreaterThan(0);
    const routes = resourcesOf(net, "aws_route").filter((r) =>
      isolatedTables.some((t) => r.route_table_id.includes(`aws_route_table.${t}.`)),
    );
    expect(routes).toEqual([]);
  });

  it("chains the security groups: internet → ALB 80, VPC → test 8080, ALB → tasks 8080, tasks → database 5432", () => {
    const net = stack("dev", "network");
    const albIn = rulesOf(net, "aws_vpc_security_group_ingress_rule", "alb").map((r) => [r.from_port, r.cidr_ipv4]);
    expect(albIn.sort()).toEqual([
      [80, "0.0.0.0/0"],
      [8080, "10.0.0.0/16"],
    ]);
    const svcIn = rulesOf(net, "aws_vpc_security_group_ingress_rule", "app");
    expect(svcIn.map((r) => [r.from_port, r.referenced_security_group_id])).toEqual([
      [8080, "${aws_security_group.alb.id}"],
    ]);
    const dbIn = rulesOf(net, "aws_vpc_security_group_ingress_rule", "database");
    expect(dbIn.map((r) => [r.from_port, r.referenced_security_group_id])).toEqual([
      [5432, "${aws_security_group.service_app.id}"],
    ]);
  });
});

describe("database", () => {
  it("is PostgreSQL 16 (RDS keeps the minor current), 20 GB gp3 with storage autoscaling, encrypted, isolated", () => {
    for (const env of ENVS) {
      const db = onlyResource(stack(env, "data"), "aws_db_instance");
      expect(db).toMatchObject({
        engine: "postgres",
        engine_version: "16",
        auto_minor_version_upgrade: true,
        allocated_storage: 20,
        storage_type: "gp3",
        storage_encrypted: true,
        publicly_accessible: false,
        manage_master_user_password: true,
      });
      expect(db.max_allocated_storage).toBeGreaterThan(20);
      expect(db.password).toBeUndefined();
      const group = onlyResource(stack(env, "data"), "aws_db_subnet_group");
      expect(JSON.stringify(group.subnet_ids)).toMatch(/isolated-1a.*isolated-1c/);
    }
  });

  it("is single-AZ db.t3.micro in dev and Multi-AZ db.t3.small in prod", () => {
    expect(onlyResource(stack("dev", "data"), "aws_db_instance")).toMatchObject({
      instance_class: "db.t3.micro",
      multi_az: false,
    });
    expect(onlyResource(stack("prod", "data"), "aws_db_instance")).toMatchObject({
      instance_class: "db.t3.small",
      multi_az: true,
      deletion_protection: true,
    });
  });

  it("holds no connection secret of its own: the master secret is RDS's, applications use IAM authentication", () => {
    const data = stack("dev", "data");
    expect(resourcesOf(data, "aws_secretsmanager_secret")).toEqual([]);
    expect(onlyResource(data, "aws_db_instance").iam_database_authentication_enabled).toBe(true);
    expect(data.output.db_resource_id.value).toBe("${aws_db_instance.database.resource_id}");
  });
});

describe("service", () => {
  const taskDefinition = (env: string) => onlyResource(stack(env, "compute"), "aws_ecs_task_definition");

  it("runs text-messaging-app on 8080 in a 256 CPU / 512 MiB task with a container health check every 30 s", () => {
    const td = taskDefinition("dev");
    expect(td).toMatchObject({ cpu: "256", memory: "512", network_mode: "awsvpc" });
    const [c] = containers(td);
    expect(c.name).toBe("text-messaging-app");
    expect(c.portMappings).toEqual([{ containerPort: 8080, protocol: "tcp" }]);
    expect(c.healthCheck.command.join(" ")).toContain("localhost:8080/health");
    expect(c.healthCheck.interval).toBe(30);
    expect(c.user).not.toMatch(/^(0|root)/);
  });

  it("gets DATABASE_URL without a password and may connect as app_user with IAM authentication", () => {
    const [c] = containers(taskDefinition("dev"));
    expect(c.secrets).toEqual([]);
    const url = c.environment.find((e: TerraformJson) => e.name === "DATABASE_URL").value;
    expect(url).toMatch(
      /^postgresql:\/\/app_user@\$\{[^}]*db_address\}:\$\{[^}]*db_port\}\/\$\{[^}]*db_name\}\?sslmode=require$/,
    );
    const policies = dataOf(stack("dev", "compute"), "aws_iam_policy_document");
    expect(JSON.stringify(policies)).not.toContain("secretsmanager:GetSecretValue");
    const connect = policies
      .flatMap((d) => d.statement)
      .filter((st: TerraformJson) => st.actions.includes("rds-db:connect"));
    expect(connect).toHaveLength(1);
    expect(connect[0].resources).toEqual([
      expect.stringMatching(
        /^arn:aws:rds-db:ap-northeast-1:\$\{.*db_arn.*\}:dbuser:\$\{[^}]*db_resource_id\}\/app_user$/,
      ),
    ]);
  });

  it("uses the names of the operations guide", () => {
    const compute = stack("dev", "compute");
    expect(onlyResource(compute, "aws_ecs_cluster").name).toBe("text-messaging-dev");
    expect(onlyResource(compute, "aws_ecs_service").name).toBe("text-messaging-dev");
    expect(onlyResource(compute, "aws_cloudwatch_log_group").name).toBe("/ecs/text-messaging-dev");
    expect(onlyResource(stack("prod", "compute"), "aws_ecs_service").name).toBe("text-messaging-prod");
  });

  it("scales 1-4 tasks in dev and 1-10 in prod on CPU 70% and memory 70%, out after 60 s, in after 300 s", () => {
    for (const [env, max] of [
      ["dev", 4],
      ["prod", 10],
    ] as const) {
      const compute = stack(env, "compute");
      expect(onlyResource(compute, "aws_appautoscaling_target")).toMatchObject({ min_capacity: 1, max_capacity: max });
      const policies = resourcesOf(compute, "aws_appautoscaling_policy").map(
        (p) => p.target_tracking_scaling_policy_configuration,
      );
      expect(
        policies.map((p) => [p.predefined_metric_specification.predefined_metric_type, p.target_value]).sort(),
      ).toEqual([
        ["ECSServiceAverageCPUUtilization", 70],
        ["ECSServiceAverageMemoryUtilization", 70],
      ]);
      for (const p of policies) expect([p.scale_out_cooldown, p.scale_in_cooldown]).toEqual([60, 300]);
    }
  });

  it("pushes to text-messaging-app-<env> with scan on push", () => {
    for (const env of ENVS) {
      const repo = onlyResource(stack(env, "registry"), "aws_ecr_repository");
      expect(repo.name).toBe(`text-messaging-app-${env}`);
      expect(repo.image_scanning_configuration).toEqual({ scan_on_push: true });
    }
  });
});

describe("blue/green deployments", () => {
  const compute = () => stack("dev", "compute");

  it("has blue and green target groups on HTTP 8080 with the document's health check", () => {
    const groups = resourcesOf(compute(), "aws_lb_target_group");
    // Named after what replaces them (protocol, port, VPC): a replacement never takes the old group's name.
    const tail =
      '-${substr(sha1(join(":", ["HTTP", "8080", data.terraform_remote_state.network.outputs.vpc_id])), 0, 6)}';
    expect(groups.map((g) => g.name).sort()).toEqual([
      `text-messaging-app-blue${tail}`,
      `text-messaging-app-green${tail}`,
    ]);
    for (const g of groups) {
      expect(g).toMatchObject({ protocol: "HTTP", port: 8080, target_type: "ip" });
      expect(g.health_check).toMatchObject({
        path: "/health",
        interval: 30,
        healthy_threshold: 2,
        unhealthy_threshold: 3,
      });
    }
  });

  it("has a production listener on 80 (blue) and a test listener on 8080 (green), left to CodeDeploy after creation", () => {
    const listeners = resourcesOf(compute(), "aws_lb_listener");
    const byPort = Object.fromEntries(listeners.map((l) => [l.port, l]));
    expect(Object.keys(byPort).sort()).toEqual(["80", "8080"]);
    expect(byPort[80].default_action[0].target_group_arn).toBe("${aws_lb_target_group.app_blue.arn}");
    expect(byPort[8080].default_action[0].target_group_arn).toBe("${aws_lb_target_group.app_green.arn}");
    for (const l of listeners) expect(l.lifecycle.ignore_changes).toEqual(["default_action"]);
  });

  it("hands the ECS service to the CODE_DEPLOY controller; Terraform ignores task definition and target group", () => {
    const service = onlyResource(compute(), "aws_ecs_service");
    expect(service.deployment_controller).toEqual({ type: "CODE_DEPLOY" });
    expect(service.deployment_circuit_breaker).toBeUndefined();
    expect(service.lifecycle.ignore_changes).toEqual(
      expect.arrayContaining(["task_definition", "load_balancer", "desired_count"]),
    );
  });

  it("has a CodeDeploy ECS application and a blue/green group with traffic control, rollback and termination", () => {
    const app = onlyResource(compute(), "aws_codedeploy_app");
    expect(app).toMatchObject({ name: "text-messaging-dev", compute_platform: "ECS" });
    const group = onlyResource(compute(), "aws_codedeploy_deployment_group");
    expect(group).toMatchObject({
      deployment_group_name: "text-messaging-dev-dg",
      deployment_style: { deployment_type: "BLUE_GREEN", deployment_option: "WITH_TRAFFIC_CONTROL" },
      blue_green_deployment_config: { terminate_blue_instances_on_deployment_success: { action: "TERMINATE" } },
    });
    expect(group.auto_rollback_configuration.enabled).toBe(true);
    expect(group.auto_rollback_configuration.events).toContain("DEPLOYMENT_FAILURE");
    const pair = group.load_balancer_info.target_group_pair_info;
    expect(pair.prod_traffic_route.listener_arns).toEqual(["${aws_lb_listener.alb_http.arn}"]);
    expect(pair.test_traffic_route.listener_arns).toEqual(["${aws_lb_listener.alb_test.arn}"]);
    expect(pair.target_group.map((t: TerraformJson) => t.name)).toEqual([
      "${aws_lb_target_group.app_blue.name}",
      "${aws_lb_target_group.app_green.name}",
    ]);
    expect(group.ecs_service.service_name).toBe("${aws_ecs_service.app.name}");
    expect(onlyResource(stack("prod", "compute"), "aws_codedeploy_deployment_group").deployment_group_name).toBe(
      "text-messaging-prod-dg",
    );
  });

  it.each(["dev", "prod"])(
    "%s: rolls back on the 5XX alarm, which the monitoring stack creates under the name the group names",
    (env) => {
      const group = onlyResource(stack(env, "compute"), "aws_codedeploy_deployment_group");
      expect(group.auto_rollback_configuration.events).toContain("DEPLOYMENT_STOP_ON_ALARM");
      const alarms = resourcesOf(stack(env, "monitoring"), "aws_cloudwatch_metric_alarm").map((a) => a.alarm_name);
      expect(group.alarm_configuration).toEqual({ enabled: true, alarms: [`text-messaging-${env}-alb-target-5xx`] });
      for (const name of group.alarm_configuration.alarms) expect(alarms).toContain(name);
      // Compute names the alarms without reading the monitoring stack: that stack comes after it.
      const computeDeps = stacks.find((s) => s.id === `text-messaging-${env}-compute`)!.dependencies;
      expect(computeDeps).not.toContain(`text-messaging-${env}-monitoring`);
    },
  );

  it("gives CodeDeploy a role with only AWS's managed ECS policy", () => {
    const attachments = resourcesOf(compute(), "aws_iam_role_policy_attachment");
    expect(attachments.map((a) => a.policy_arn)).toEqual(["arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS"]);
  });
});

describe("GitHub OIDC deploy role", () => {
  const ci = () => stack("dev", "ci");
  const documents = () =>
    dataOf(ci(), "aws_iam_policy_document").filter((d) => d["//"].metadata.path.includes("-ci/this-github/"));

  it("creates the GitHub OIDC provider for the sts.amazonaws.com audience", () => {
    const provider = onlyResource(ci(), "aws_iam_openid_connect_provider");
    expect(provider.url).toBe("https://token.actions.githubusercontent.com");
    expect(provider.client_id_list).toEqual(["sts.amazonaws.com"]);
  });

  it("is trusted only by the main branch of the blueprint's repository, through that provider and audience", () => {
    const trust = documents().find((d) => JSON.stringify(d).includes("AssumeRoleWithWebIdentity"))!;
    expect(trust.statement).toHaveLength(1);
    const [s] = trust.statement;
    expect(s.principals).toEqual([
      { type: "Federated", identifiers: [expect.stringMatching(/aws_iam_openid_connect_provider/)] },
    ]);
    expect(s.condition).toEqual(
      expect.arrayContaining([
        { test: "StringEquals", variable: "token.actions.githubusercontent.com:aud", values: ["sts.amazonaws.com"] },
        {
          test: "StringEquals",
          variable: "token.actions.githubusercontent.com:sub",
          values: ["repo:example-org/text-messaging:ref:refs/heads/main"],
        },
      ]),
    );
  });

  it("may do exactly what the deploy workflow does, on exactly its resources", () => {
    const policy = documents().find((d) => JSON.stringify(d).includes("ecr:PutImage"))!;
    const grants = Object.fromEntries(
      policy.statement.map((s: TerraformJson) => [s.actions.join(","), s.resources.join(",")]),
    );
    expect(grants).toEqual({
      "ecr:GetAuthorizationToken": "*",
      "ecr:BatchCheckLayerAvailability,ecr:BatchGetImage,ecr:CompleteLayerUpload,ecr:InitiateLayerUpload,ecr:PutImage,ecr:UploadLayerPart":
        expect.stringMatching(/^\$\{[^,]*repository_arns\["text-messaging-app-dev"\]\}$/),
      "ecs:DescribeTaskDefinition,ecs:RegisterTaskDefinition,ecs:DeregisterTaskDefinition": "*",
      "ecs:TagResource":
        '${replace(data.terraform_remote_state.compute.outputs.task_definition_arns.app, "/:[0-9]+$/", ":*")}',
      "ssm:GetParameter,ssm:PutParameter": expect.stringMatching(/^\$\{[^,]*release_parameter_arns\.app\}$/),
      "iam:PassRole": expect.stringMatching(/task_role_arns\.app.*,.*execution_role_arns\.app/),
      "ecs:DescribeServices": expect.stringMatching(/^\$\{[^,]*service_arns\.app\}$/),
      "codedeploy:GetApplicationRevision,codedeploy:RegisterApplicationRevision": expect.stringMatching(
        /^\$\{[^,]*codedeploy_app_arns\.app\}$/,
      ),
      "codedeploy:CreateDeployment,codedeploy:GetDeployment,codedeploy:GetDeploymentGroup": expect.stringMatching(
        /^\$\{[^,]*deployment_group_arns\.app\}$/,
      ),
      "codedeploy:GetDeploymentConfig": expect.stringMatching(/^\$\{[^,]*deployment_config_arns\.app\}$/),
    });
    const passRole = policy.statement.find((s: TerraformJson) => s.actions[0] === "iam:PassRole");
    expect(passRole.condition).toEqual([
      { test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] },
    ]);
  });

  it("publishes the role ARN for the workflow's AWS_ROLE_ARN", () => {
    expect(ci().output.deploy_role_arn.value).toBe("${aws_iam_role.github_deploy.arn}");
  });
});

describe("GitHub OIDC plan role (plan-review workflow)", () => {
  const ci = () => stack("dev", "ci");
  const document = (name: "trust" | "policy") =>
    ci().data.aws_iam_policy_document[name === "trust" ? "github_plan_trust" : "github_plan"];

  it("is trusted only by this repository's pull requests, through the deploy role's provider", () => {
    const [s] = document("trust").statement;
    expect(s.principals).toEqual([
      { type: "Federated", identifiers: ["${aws_iam_openid_connect_provider.github.arn}"] },
    ]);
    expect(s.condition).toEqual([
      { test: "StringEquals", variable: "token.actions.githubusercontent.com:aud", values: ["sts.amazonaws.com"] },
      {
        test: "StringEquals",
        variable: "token.actions.githubusercontent.com:sub",
        values: ["repo:example-org/text-messaging:pull_request"],
      },
    ]);
    expect(resourcesOf(ci(), "aws_iam_openid_connect_provider")).toHaveLength(1);
  });

  it("reads with ReadOnlyAccess, minus other state, table items, secrets, parameters, decryption and log events", () => {
    const attachment = resourcesOf(ci(), "aws_iam_role_policy_attachment");
    expect(attachment).toEqual([
      expect.objectContaining({
        policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
        role: "${aws_iam_role.github_plan.name}",
      }),
    ]);
    const bySid = Object.fromEntries(document("policy").statement.map((s: TerraformJson) => [s.sid, s]));
    const table =
      'arn:aws:dynamodb:ap-northeast-1:${element(split(":", aws_iam_role.github_deploy.arn), 4)}:table/fargate-blueprints-tflock';
    expect(bySid.NoStateButItsOwn).toMatchObject({
      effect: "Deny",
      actions: ["s3:GetObject", "s3:GetObjectVersion"],
      not_resources: ["network", "registry", "data", "compute", "monitoring", "ci"].map(
        (layer) => `arn:aws:s3:::fargate-blueprints-tfstate-apne1/text-messaging-dev-${layer}/terraform.tfstate`,
      ),
    });
    expect(bySid.NoItemsButLocks).toMatchObject({
      effect: "Deny",
      actions: expect.arrayContaining(["dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query"]),
      not_resources: [table],
    });
    expect(bySid.NoSecretsOrLogEvents).toMatchObject({
      effect: "Deny",
      actions: expect.arrayContaining(["secretsmanager:GetSecretValue", "logs:GetLogEvents"]),
      resources: ["*"],
    });
    expect(bySid.NoParametersButReleases).toMatchObject({
      effect: "Deny",
      actions: expect.arrayContaining(["ssm:GetParameter"]),
      not_resources: [
        'arn:aws:ssm:ap-northeast-1:${element(split(":", aws_iam_role.github_deploy.arn), 4)}:parameter/text-messaging-dev/release/*',
      ],
    });
    expect(bySid.StateDigests).toMatchObject({
      effect: "Allow",
      actions: ["dynamodb:DescribeTable", "dynamodb:GetItem"],
      resources: [table],
    });
    const allows = document("policy").statement.filter((s: TerraformJson) => s.effect === "Allow");
    expect(allows.map((s: TerraformJson) => s.sid)).toEqual(["StateDigests"]);
  });

  it("publishes plan_role_arn for the workflow's PLAN_ROLE_ARN, and is left out with planRole: false", () => {
    expect(ci().output.plan_role_arn.value).toBe("${aws_iam_role.github_plan.arn}");
    const bp = structuredClone(textMessaging) as TerraformJson;
    bp.ci.planRole = false;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fbp-planrole-")), "bp.json");
    fs.writeFileSync(file, JSON.stringify(bp));
    const without = stackById(synthToTemp({ blueprintFile: file, environment: "dev" }).stacks, "text-messaging-dev-ci");
    expect(without.output.plan_role_arn).toBeUndefined();
    expect(resourcesOf(without, "aws_iam_role")).toHaveLength(1);
    expect(resourcesOf(without, "aws_iam_role_policy_attachment")).toEqual([]);
  });
});

describe("blueprint rules for blue/green and CI", () => {
  const withChange = (change: (bp: TerraformJson) => void) =>
    errorsAfter(textMessaging as TerraformJson, change, "text-messaging").join("\n");

  it("refuses blue/green without a test listener", () => {
    expect(withChange((bp) => delete bp.loadBalancer.testListener)).toMatch(
      /services\[0\]\.blueGreen .*Fix: add loadBalancer\.testListener/,
    );
  });

  it("refuses a test listener on a production port", () => {
    expect(withChange((bp) => (bp.loadBalancer.testListener.port = 80))).toMatch(
      /loadBalancer\.testListener\.port = 80 .*Fix: use another port/,
    );
  });

  it("refuses injecting the rotating master password into the blue/green service", () => {
    expect(withChange((bp) => (bp.services[0].secrets = { DB_PASSWORD: { fromDatabase: "password" } }))).toMatch(
      /services\[0\]\.secrets\.DB_PASSWORD = .*blue\/green service cannot be.*Fix: connect as database\.applicationUser/,
    );
  });

  it("refuses trusting an existing OIDC provider without the account id", () => {
    expect(withChange((bp) => (bp.ci.createOidcProvider = false))).toMatch(
      /ci\.createOidcProvider = false .*Fix: set environments\[\]\.accountId/,
    );
  });

  it("accepts the blueprint as written", () => {
    expect(withChange(() => undefined)).toBe("");
  });
});
