import { containers, onlyResource, resourcesOf, stackById, synthToTemp } from "./helpers/synth";
import type { SynthesizedStack, TerraformJson } from "../tools/terraform/cdktf-out";
import { parseStructuredValue } from "../tools/terraform/jsonencode";
import { resolveBlueprint } from "../schema/resolve";
import { BlueprintError } from "../schema/errors";
import { fastapiAurora } from "../blueprints/fastapi-aurora";

/** fastapi-aurora, as shared/reference-architectures/fastapi-aurora.md describes it, in dev and prod. */
let stacks: SynthesizedStack[];
beforeAll(() => {
  stacks = synthToTemp({ blueprint: "fastapi-aurora" }).stacks;
});
const stack = (env: string, layer: string) => stackById(stacks, `fastapi-aurora-${env}-${layer}`);
const ENVS = ["dev", "prod"];

/** Ingress rules of one security group (by its address name). */
function ingressOf(json: TerraformJson, sg: string): TerraformJson[] {
  return resourcesOf(json, "aws_vpc_security_group_ingress_rule").filter(
    (r) => r.security_group_id === `\${aws_security_group.${sg}.id}`,
  );
}

describe("stacks", () => {
  it.each(ENVS)("%s: network, registry, data, dns, logs, compute, monitoring, security and ci", (env) => {
    const layers = stacks
      .map((s) => s.id)
      .filter((id) => id.startsWith(`fastapi-aurora-${env}-`))
      .map((id) => id.slice(`fastapi-aurora-${env}-`.length));
    expect(layers.sort()).toEqual([
      "ci",
      "compute",
      "data",
      "dns",
      "logs",
      "monitoring",
      "network",
      "registry",
      "security",
    ]);
  });

  it.each(ENVS)("%s: logs before compute (the ALB checks its log bucket), security after it", (env) => {
    const deps = Object.fromEntries(stacks.map((s) => [s.id, [...s.dependencies]]));
    expect(deps[`fastapi-aurora-${env}-compute`]).toContain(`fastapi-aurora-${env}-logs`);
    expect(deps[`fastapi-aurora-${env}-security`]).toEqual([`fastapi-aurora-${env}-compute`]);
  });
});

describe("network: two AZs, public + private, VPC endpoints instead of NAT", () => {
  it("has a public and a private subnet in each of ap-northeast-1a/1c", () => {
    for (const env of ENVS) {
      const net = stack(env, "network");
      expect(onlyResource(net, "aws_vpc").cidr_block).toBe("10.0.0.0/16");
      const subnets = resourcesOf(net, "aws_subnet").map((s) => [s.tags.Tier, s.cidr_block, s.availability_zone]);
      expect(subnets.sort()).toEqual(
        [
          ["private", "10.0.10.0/24", "ap-northeast-1a"],
          ["private", "10.0.11.0/24", "ap-northeast-1c"],
          ["public", "10.0.0.0/24", "ap-northeast-1a"],
          ["public", "10.0.1.0/24", "ap-northeast-1c"],
        ].sort(),
      );
    }
  });

  it("has no NAT gateway; the only route out is the public subnets' route to the internet gateway", () => {
    for (const env of ENVS) {
      const net = stack(env, "network");
      expect(resourcesOf(net, "aws_nat_gateway")).toEqual([]);
      const routes = resourcesOf(net, "aws_route");
      expect(routes).toHaveLength(1);
      expect(routes[0]).toMatchObject({ destination_cidr_block: "0.0.0.0/0" });
      expect(routes[0].gateway_id).toMatch(/aws_internet_gateway/);
    }
  });

  it("has the S3 gateway endpoint on the private route tables and four interface endpoints in the private subnets", () => {
    const endpoints = resourcesOf(stack("dev", "network"), "aws_vpc_endpoint");
    const byType = (t: string) =>
      endpoints
        .filter((e) => e.vpc_endpoint_type === t)
        .map((e) => e.service_name.replace("com.amazonaws.ap-northeast-1.", ""))
        .sort();
    expect(byType("Gateway")).toEqual(["s3"]);
    expect(byType("Interface")).toEqual(["ecr.api", "ecr.dkr", "logs", "secretsmanager"]);
    for (const e of endpoints) {
      const where = JSON.stringify(e.vpc_endpoint_type === "Gateway" ? e.route_table_ids : e.subnet_ids);
      expect(where).toMatch(/private_1a.*private_1c/);
      expect(where).not.toMatch(/public/);
    }
  });

  it("admits internet → ALB 80/443, ALB → tasks 8000, tasks → Aurora 5432", () => {
    const net = stack("dev", "network");
    expect(
      ingressOf(net, "alb")
        .map((r) => [r.from_port, r.cidr_ipv4])
        .sort(),
    ).toEqual([
      [443, "0.0.0.0/0"],
      [80, "0.0.0.0/0"],
    ]);
    expect(ingressOf(net, "service_backend").map((r) => [r.from_port, r.referenced_security_group_id])).toEqual([
      [8000, "${aws_security_group.alb.id}"],
    ]);
    expect(ingressOf(net, "database").map((r) => [r.from_port, r.referenced_security_group_id])).toEqual([
      [5432, "${aws_security_group.service_backend.id}"],
    ]);
  });

  it("keeps VPC flow logs 7 days in dev and 30 days in prod", () => {
    expect(onlyResource(stack("dev", "network"), "aws_cloudwatch_log_group").retention_in_days).toBe(7);
    expect(onlyResource(stack("prod", "network"), "aws_cloudwatch_log_group").retention_in_days).toBe(30);
  });
});

describe("Aurora PostgreSQL", () => {
  it("is an encrypted cluster in the private subnets with a managed password and automated backups", () => {
    for (const env of ENVS) {
      const data = stack(env, "data");
      const cluster = onlyResource(data, "aws_rds_cluster");
      expect(cluster).toMatchObject({
        engine: "aurora-postgresql",
        storage_encrypted: true,
        manage_master_user_password: true,
        port: 5432,
      });
      expect(cluster.backup_retention_period).toBeGreaterThanOrEqual(1);
      expect(cluster.master_password).toBeUndefined();
      expect(JSON.stringify(onlyResource(data, "aws_db_subnet_group").subnet_ids)).toMatch(/private-1a.*private-1c/);
    }
  });

  it("has a writer and one replica: db.t4g.medium in dev, db.r6g.large in prod, never public", () => {
    for (const [env, cls] of [
      ["dev", "db.t4g.medium"],
      ["prod", "db.r6g.large"],
    ]) {
      const instances = resourcesOf(stack(env, "data"), "aws_rds_cluster_instance");
      expect(instances).toHaveLength(2);
      for (const i of instances) expect(i).toMatchObject({ instance_class: cls, publicly_accessible: false });
    }
  });

  it("is protected from deletion in prod", () => {
    expect(onlyResource(stack("prod", "data"), "aws_rds_cluster")).toMatchObject({
      deletion_protection: true,
      skip_final_snapshot: false,
    });
  });
});

describe("ECS service", () => {
  it("runs two FastAPI tasks in the private subnets of both AZs, without public IPs, rolling", () => {
    for (const env of ENVS) {
      const svc = onlyResource(stack(env, "compute"), "aws_ecs_service");
      expect(svc).toMatchObject({ desired_count: 2 });
      expect(svc.capacity_provider_strategy).toEqual([{ capacity_provider: "FARGATE", base: 0, weight: 1 }]);
      expect(svc.network_configuration.assign_public_ip).toBe(false);
      expect(JSON.stringify(svc.network_configuration.subnets)).toMatch(/private-1a.*private-1c/);
      expect(svc.deployment_controller).toBeUndefined();
      expect(svc.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
    }
  });

  it("reads the database credentials by reference and the endpoints as values", () => {
    const [c] = containers(onlyResource(stack("dev", "compute"), "aws_ecs_task_definition"));
    expect(c.portMappings).toEqual([{ containerPort: 8000, protocol: "tcp" }]);
    expect(c.secrets.map((s: TerraformJson) => s.name).sort()).toEqual(["DB_PASSWORD", "DB_USER"]);
    expect(c.environment.map((e: TerraformJson) => e.name).sort()).toEqual([
      "DB_HOST",
      "DB_NAME",
      "DB_PORT",
      "DB_READER_HOST",
    ]);
  });

  it("scales 2-6 tasks on CPU and memory", () => {
    const compute = stack("dev", "compute");
    expect(onlyResource(compute, "aws_appautoscaling_target")).toMatchObject({ min_capacity: 2, max_capacity: 6 });
    expect(
      resourcesOf(compute, "aws_appautoscaling_policy")
        .map(
          (p) => p.target_tracking_scaling_policy_configuration.predefined_metric_specification.predefined_metric_type,
        )
        .sort(),
    ).toEqual(["ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization"]);
  });

  it("keeps application logs (error lines and the router's own) 7 days in dev and 30 days in prod; Container Insights on", () => {
    const retention = (env: string) =>
      resourcesOf(stack(env, "compute"), "aws_cloudwatch_log_group").map((g) => [g.name, g.retention_in_days]);
    expect(retention("dev")).toEqual([
      ["/ecs/fastapi-aurora-dev/backend", 7],
      ["/ecs/fastapi-aurora-dev/backend/log-router", 7],
    ]);
    expect(retention("prod")).toEqual([
      ["/ecs/fastapi-aurora-prod/backend", 30],
      ["/ecs/fastapi-aurora-prod/backend/log-router", 30],
    ]);
    for (const env of ENVS) {
      expect(onlyResource(stack(env, "compute"), "aws_ecs_cluster").setting).toEqual([
        { name: "containerInsights", value: "enabled" },
      ]);
    }
  });

  it("pushes to an ECR repository with scan on push that keeps the newest 10 images", () => {
    const registry = stack("dev", "registry");
    expect(onlyResource(registry, "aws_ecr_repository").image_scanning_configuration).toEqual({ scan_on_push: true });
    const rules = (parseStructuredValue(onlyResource(registry, "aws_ecr_lifecycle_policy").policy) as TerraformJson)
      .rules;
    expect(rules).toContainEqual(
      expect.objectContaining({
        selection: expect.objectContaining({ countType: "imageCountMoreThan", countNumber: 10 }),
      }),
    );
  });
});

describe("ALB and DNS", () => {
  it("is internet-facing in the public subnets, HTTPS 443 with the ACM certificate, HTTP 80 redirecting", () => {
    const compute = stack("dev", "compute");
    const alb = onlyResource(compute, "aws_lb");
    expect(alb.internal).toBe(false);
    expect(JSON.stringify(alb.subnets)).toMatch(/public-1a.*public-1c/);
    const listeners = Object.fromEntries(resourcesOf(compute, "aws_lb_listener").map((l) => [l.port, l]));
    expect(listeners[443]).toMatchObject({ protocol: "HTTPS" });
    expect(listeners[443].certificate_arn).toBe("${aws_acm_certificate_validation.https.certificate_arn}");
    expect(listeners[80].default_action).toEqual([
      { type: "redirect", redirect: { port: "443", protocol: "HTTPS", status_code: "HTTP_301" } },
    ]);
  });

  it("health-checks /health on the tasks' port", () => {
    const tg = onlyResource(stack("dev", "compute"), "aws_lb_target_group");
    expect(tg).toMatchObject({ port: 8000, target_type: "ip" });
    expect(tg.health_check.path).toBe("/health");
  });

  it.each([
    ["prod", "example.com", "api.example.com"],
    ["dev", "dev.example.com", "api.dev.example.com"],
  ])("%s: points its own name at its ALB and validates the certificate in its own zone %s", (env, zone, name) => {
    const record = onlyResource(stack(env, "compute"), "aws_route53_record");
    expect(record).toMatchObject({ name, type: "A" });
    expect(record.alias.name).toMatch(/aws_lb\..*\.dns_name/);
    const dns = stack(env, "dns");
    expect(onlyResource(dns, "aws_route53_zone").name).toBe(zone);
    expect(onlyResource(dns, "aws_acm_certificate")).toMatchObject({ domain_name: name, validation_method: "DNS" });
  });
});

describe("monitoring stack: two alert tiers, Aurora and error-log alarms, a dashboard", () => {
  const monitoring = (env: string) => stack(env, "monitoring");
  const topicAddress = (json: TerraformJson, name: string) =>
    `\${aws_sns_topic.${Object.entries<TerraformJson>(json.resource.aws_sns_topic).find(([, t]) => t.name === name)![0]}.arn}`;

  it.each(ENVS)("%s: compute keeps no alarms or topics; monitoring reads compute and data", (env) => {
    expect(resourcesOf(stack(env, "compute"), "aws_cloudwatch_metric_alarm")).toEqual([]);
    expect(resourcesOf(stack(env, "compute"), "aws_sns_topic")).toEqual([]);
    const deps = stacks.find((s) => s.id === `fastapi-aurora-${env}-monitoring`)!.dependencies;
    expect([...deps].sort()).toEqual([`fastapi-aurora-${env}-compute`, `fastapi-aurora-${env}-data`]);
  });

  it.each(ENVS)("%s: critical-alerts and warning-alerts topics under one rotated key, each with the e-mail", (env) => {
    const m = monitoring(env);
    const topics = resourcesOf(m, "aws_sns_topic");
    expect(topics.map((t) => t.name).sort()).toEqual([
      `fastapi-aurora-${env}-critical-alerts`,
      `fastapi-aurora-${env}-warning-alerts`,
    ]);
    const key = onlyResource(m, "aws_kms_key");
    expect(key.enable_key_rotation).toBe(true);
    for (const t of topics) expect(t.kms_master_key_id).toBe("${aws_kms_key.alerts.arn}");
    const subscriptions = resourcesOf(m, "aws_sns_topic_subscription");
    expect(subscriptions.map((x) => [x.protocol, x.endpoint, x.topic_arn]).sort()).toEqual(
      [
        ["email", "ops@example.com", topicAddress(m, `fastapi-aurora-${env}-critical-alerts`)],
        ["email", "ops@example.com", topicAddress(m, `fastapi-aurora-${env}-warning-alerts`)],
      ].sort(),
    );
  });

  it.each(ENVS)("%s: each alarm notifies its tier's topic, with the documented thresholds", (env) => {
    const m = monitoring(env);
    const critical = topicAddress(m, `fastapi-aurora-${env}-critical-alerts`);
    const warning = topicAddress(m, `fastapi-aurora-${env}-warning-alerts`);
    const tierOf = (arn: string) => (arn === critical ? "critical" : arn === warning ? "warning" : arn);
    const alarms = resourcesOf(m, "aws_cloudwatch_metric_alarm").map((a) => {
      expect(a.ok_actions).toEqual(a.alarm_actions);
      return [a.alarm_name, a.metric_name, a.comparison_operator, a.threshold, tierOf(a.alarm_actions[0])];
    });
    const gib = 1024 ** 3;
    const connections = env === "prod" ? 1200 : 300;
    const p = `fastapi-aurora-${env}`;
    expect(alarms.sort()).toEqual(
      [
        [`${p}-backend-cpu-high`, "CPUUtilization", "GreaterThanThreshold", 80, "warning"],
        [`${p}-backend-memory-high`, "MemoryUtilization", "GreaterThanThreshold", 80, "warning"],
        [`${p}-backend-error-logs`, "backend-error-logs", "GreaterThanThreshold", 0, "warning"],
        [`${p}-alb-target-5xx`, "HTTPCode_Target_5XX_Count", "GreaterThanOrEqualToThreshold", 10, "critical"],
        [`${p}-database-1-connections`, "DatabaseConnections", "GreaterThanThreshold", connections, "critical"],
        [`${p}-database-2-connections`, "DatabaseConnections", "GreaterThanThreshold", connections, "critical"],
        [`${p}-database-1-free-local-storage`, "FreeLocalStorage", "LessThanThreshold", 2 * gib, "critical"],
        [`${p}-database-2-free-local-storage`, "FreeLocalStorage", "LessThanThreshold", 2 * gib, "critical"],
        [`${p}-database-volume-used`, "VolumeBytesUsed", "GreaterThanThreshold", 100 * gib, "warning"],
      ].sort(),
    );
  });

  it("watches each Aurora instance by its identifier from the data stack, and the cluster volume by the cluster", () => {
    const alarms = resourcesOf(monitoring("dev"), "aws_cloudwatch_metric_alarm");
    const byName = (n: string) => alarms.find((a) => a.alarm_name === `fastapi-aurora-dev-${n}`)!;
    expect(byName("database-2-free-local-storage")).toMatchObject({
      namespace: "AWS/RDS",
      statistic: "Minimum",
      dimensions: {
        DBInstanceIdentifier: "${element(data.terraform_remote_state.data.outputs.db_instance_identifiers, 1)}",
      },
    });
    expect(byName("database-1-connections")).toMatchObject({
      statistic: "Maximum",
      dimensions: {
        DBInstanceIdentifier: "${element(data.terraform_remote_state.data.outputs.db_instance_identifiers, 0)}",
      },
    });
    expect(byName("database-volume-used").dimensions).toEqual({
      DBClusterIdentifier: "${data.terraform_remote_state.data.outputs.db_identifier}",
    });
    expect(stack("dev", "data").output.db_instance_identifiers.value).toEqual([
      "${aws_rds_cluster_instance.database_1.identifier}",
      "${aws_rds_cluster_instance.database_2.identifier}",
    ]);
  });

  it("counts ERROR and CRITICAL lines of the backend's log group as a custom metric, alarming on the first", () => {
    const m = monitoring("dev");
    const filter = onlyResource(m, "aws_cloudwatch_log_metric_filter");
    expect(filter).toMatchObject({
      log_group_name: "${data.terraform_remote_state.compute.outputs.log_group_names.backend}",
      pattern: "?ERROR ?CRITICAL",
      metric_transformation: { namespace: "fastapi-aurora/dev", name: "backend-error-logs", value: "1" },
    });
    const alarm = resourcesOf(m, "aws_cloudwatch_metric_alarm").find((a) => a.metric_name === "backend-error-logs")!;
    expect(alarm).toMatchObject({ namespace: "fastapi-aurora/dev", statistic: "Sum", evaluation_periods: 1 });
    expect(alarm.depends_on).toEqual(["aws_cloudwatch_log_metric_filter.backend_errors"]);
    expect(stack("dev", "compute").output.log_group_names.value).toEqual({
      backend: "${aws_cloudwatch_log_group.backend.name}",
    });
  });

  it.each(ENVS)("%s: a dashboard of ECS, ALB and Aurora metrics and the alarms, as structured JSON", (env) => {
    const m = monitoring(env);
    const dashboard = onlyResource(m, "aws_cloudwatch_dashboard");
    expect(dashboard.dashboard_name).toBe(`fastapi-aurora-${env}`);
    expect(dashboard.dashboard_body).toMatch(/^\$\{jsonencode\(/);
    const body = parseStructuredValue(dashboard.dashboard_body) as { widgets: TerraformJson[] };
    const metrics = body.widgets
      .filter((w) => w.type === "metric")
      .flatMap((w) => w.properties.metrics.map((x: string[]) => `${x[0]} ${x[1]}`));
    expect(new Set(metrics)).toEqual(
      new Set([
        "AWS/ECS CPUUtilization",
        "AWS/ECS MemoryUtilization",
        "ECS/ContainerInsights RunningTaskCount",
        "AWS/ApplicationELB RequestCount",
        "AWS/ApplicationELB HTTPCode_Target_5XX_Count",
        "AWS/ApplicationELB HTTPCode_ELB_5XX_Count",
        "AWS/ApplicationELB TargetResponseTime",
        "AWS/RDS DatabaseConnections",
        "AWS/RDS CPUUtilization",
        "AWS/RDS FreeLocalStorage",
        "fastapi-aurora/" + env + " backend-error-logs",
      ]),
    );
    for (const w of body.widgets.filter((x) => x.type === "metric")) {
      expect(w.properties).toMatchObject({ region: "ap-northeast-1", period: 300, view: "timeSeries" });
    }
    const alarmWidget = body.widgets.find((w) => w.type === "alarm")!;
    expect(alarmWidget.properties.alarms).toHaveLength(resourcesOf(m, "aws_cloudwatch_metric_alarm").length);
    expect(alarmWidget.properties.alarms[0]).toMatch(/^\$\{aws_cloudwatch_metric_alarm\.[a-z0-9_]+\.arn\}$/);
    // Widgets tile a 24-column grid without overlapping.
    const cells = body.widgets.map((w) => `${w.x},${w.y}`);
    expect(new Set(cells).size).toBe(cells.length);
    expect(m.output.dashboard_name.value).toBe(`fastapi-aurora-${env}`);
  });
});

describe("ALB access logs (logs stack)", () => {
  it("writes to the logs stack's bucket under alb/", () => {
    const alb = onlyResource(stack("dev", "compute"), "aws_lb");
    expect(alb.access_logs).toEqual({
      bucket: expect.stringContaining("data.terraform_remote_state.logs.outputs.alb_log_bucket_name"),
      prefix: "alb",
      enabled: true,
    });
  });

  it("keeps logs in a versioned, SSE-S3, non-public bucket: Glacier after 90 days, deleted after 1 year", () => {
    const logs = stack("dev", "logs");
    expect(onlyResource(logs, "aws_s3_bucket").bucket_prefix).toBe("fastapi-aurora-dev-alb-logs-");
    expect(onlyResource(logs, "aws_s3_bucket_versioning").versioning_configuration.status).toBe("Enabled");
    expect(
      onlyResource(logs, "aws_s3_bucket_server_side_encryption_configuration").rule[0]
        .apply_server_side_encryption_by_default.sse_algorithm,
    ).toBe("AES256");
    expect(onlyResource(logs, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const [rule] = onlyResource(logs, "aws_s3_bucket_lifecycle_configuration").rule;
    expect(rule.transition).toEqual([{ days: 90, storage_class: "GLACIER" }]);
    expect(rule.expiration).toEqual([{ days: 365 }]);
  });

  it("orders what S3 needs ordered: policy after the public-access block, lifecycle after versioning", () => {
    const logs = stack("dev", "logs");
    expect(onlyResource(logs, "aws_s3_bucket_policy").depends_on).toEqual([
      expect.stringMatching(/^aws_s3_bucket_public_access_block\./),
    ]);
    expect(onlyResource(logs, "aws_s3_bucket_lifecycle_configuration").depends_on).toEqual([
      expect.stringMatching(/^aws_s3_bucket_versioning\./),
    ]);
  });

  it("lets only the region's ELB account write, only under the prefix, and only over TLS", () => {
    const logs = stack("dev", "logs");
    const [doc] = Object.values<TerraformJson>(logs.data.aws_iam_policy_document);
    const bySid = Object.fromEntries(doc.statement.map((st: TerraformJson) => [st.sid, st]));
    expect(bySid.AlbLogDelivery.actions).toEqual(["s3:PutObject"]);
    expect(bySid.AlbLogDelivery.resources[0]).toMatch(/\/alb\/AWSLogs\/\*$/);
    expect(bySid.AlbLogDelivery.principals[0].identifiers[0]).toMatch(/data\.aws_elb_service_account\./);
    expect(bySid.DenyInsecureTransport).toMatchObject({ effect: "Deny", actions: ["s3:*"] });
  });
});

describe("WAF (security stack)", () => {
  it("guards the ALB with the AWS managed rule groups, allowing the rest", () => {
    const security = stack("prod", "security");
    const acl = onlyResource(security, "aws_wafv2_web_acl");
    expect(acl).toMatchObject({ scope: "REGIONAL", default_action: { allow: {} } });
    expect(acl.rule.map((r: TerraformJson) => [r.priority, r.statement.managed_rule_group_statement.name])).toEqual([
      [1, "AWSManagedRulesCommonRuleSet"],
      [2, "AWSManagedRulesKnownBadInputsRuleSet"],
      [3, "AWSManagedRulesAmazonIpReputationList"],
    ]);
    expect(onlyResource(security, "aws_wafv2_web_acl_association").resource_arn).toContain(
      "data.terraform_remote_state.compute.outputs.alb_arn",
    );
  });
});

describe("schema rules for access logs and WAF", () => {
  const withLoadBalancer = (extra: object) => ({
    ...fastapiAurora,
    loadBalancer: { ...fastapiAurora.loadBalancer, ...extra },
  });

  it("refuses logs that expire before they reach Glacier, naming the field and the fix", () => {
    const bad = withLoadBalancer({ accessLogs: { glacierAfterDays: 90, expireAfterDays: 30 } });
    expect(() => resolveBlueprint(bad)).toThrow(BlueprintError);
    expect(() => resolveBlueprint(bad)).toThrow(/loadBalancer\.accessLogs.*expireAfterDays greater/s);
  });

  it("refuses a rule group that is not an AWS managed one", () => {
    const bad = withLoadBalancer({ waf: { managedRuleGroups: ["MyRules"] } });
    expect(() => resolveBlueprint(bad)).toThrow(/managedRuleGroups.*AWS managed rule group/s);
  });

  it("builds no logs or security stack for blueprints that do not ask for them", () => {
    const plain = withLoadBalancer({ accessLogs: undefined, waf: undefined });
    const [d] = resolveBlueprint(plain);
    expect(d.spec.loadBalancer!.accessLogs).toBeUndefined();
    expect(d.spec.loadBalancer!.waf).toBeUndefined();
  });
});

describe("Aurora replica autoscaling (data stack)", () => {
  it.each([
    ["dev", 2],
    ["prod", 3],
  ])("%s: readers between the fixed one and %i, by Application Auto Scaling", (env, max) => {
    const data = stack(env, "data");
    expect(onlyResource(data, "aws_appautoscaling_target")).toMatchObject({
      service_namespace: "rds",
      scalable_dimension: "rds:cluster:ReadReplicaCount",
      resource_id: "cluster:${aws_rds_cluster.database.cluster_identifier}",
      min_capacity: 1,
      max_capacity: max,
      // Autoscaling needs a reader in the available state: it waits for the ones Terraform keeps.
      depends_on: ["aws_rds_cluster_instance.database_1", "aws_rds_cluster_instance.database_2"],
    });
    // The fixed reader stays in Terraform's state beside the writer.
    expect(resourcesOf(data, "aws_rds_cluster_instance")).toHaveLength(2);
  });

  it("tracks the readers' average CPU at 70 %, scaling in more slowly than out", () => {
    const policy = onlyResource(stack("dev", "data"), "aws_appautoscaling_policy");
    expect(policy).toMatchObject({
      name: "${aws_rds_cluster.database.cluster_identifier}-readers-cpu",
      policy_type: "TargetTrackingScaling",
      resource_id: "${aws_appautoscaling_target.readers.resource_id}",
      scalable_dimension: "${aws_appautoscaling_target.readers.scalable_dimension}",
      service_namespace: "${aws_appautoscaling_target.readers.service_namespace}",
    });
    expect(policy.target_tracking_scaling_policy_configuration).toEqual({
      target_value: 70,
      scale_in_cooldown: 600,
      scale_out_cooldown: 300,
      predefined_metric_specification: { predefined_metric_type: "RDSReaderAverageCPUUtilization" },
    });
  });

  const withScaling = (database: object) => ({
    ...fastapiAurora,
    database: { ...fastapiAurora.database, ...database },
  });
  const errorsOf = (bp: object): string => {
    try {
      resolveBlueprint(bp);
    } catch (e) {
      if (e instanceof BlueprintError) return e.message;
      throw e;
    }
    return "";
  };

  it("tracks connections with the blueprint's target, and asks for one when it is missing", () => {
    const [d] = resolveBlueprint(withScaling({ readerAutoscaling: { max: 3, metric: "connections", target: 400 } }));
    expect(d.spec.database!.readerAutoscaling).toMatchObject({ metric: "connections", target: 400 });
    expect(errorsOf(withScaling({ readerAutoscaling: { max: 3, metric: "connections" } }))).toContain(
      'database.readerAutoscaling.target = "(unset)" has no default for connections. Fix:',
    );
  });

  it.each([
    [
      { kind: "instance", readerCount: 0 },
      'database.readerAutoscaling = "(set)" scales Aurora readers; an RDS instance has none. Fix:',
    ],
    [{ readerCount: 0 }, "database.readerCount = 0 must be at least 1 with readerAutoscaling"],
    [
      { readerCount: 2, readerAutoscaling: { min: 1, max: 4 } },
      "database.readerAutoscaling.min = 1 is below readerCount (2)",
    ],
    [
      { readerAutoscaling: { min: 3, max: 2 } },
      "database.readerAutoscaling.max = 2 is below min (3). Fix: use at least 3",
    ],
    [
      { readerAutoscaling: { max: 1 } },
      "database.readerAutoscaling.max = 1 would never add a reader beside the 1 of readerCount",
    ],
    [{ readerAutoscaling: { max: 16 } }, "database.readerAutoscaling.max"],
    [{ readerAutoscaling: { min: -1, max: 2 } }, "database.readerAutoscaling.min"],
    [
      { readerAutoscaling: { max: 3, target: 120 } },
      "database.readerAutoscaling.target = 120 is a CPU percentage above 100",
    ],
  ])("refuses %j with the field, the value and the fix", (database, message) => {
    const errors = errorsOf(withScaling(database));
    expect(errors).toContain(message);
  });
});
