import { containers, dataOf, onlyResource, resourcesOf, stackById, synthToTemp } from "./helpers/synth";
import type { SynthesizedStack, TerraformJson } from "../tools/terraform/cdktf-out";
import { parseStructuredValue } from "../tools/terraform/jsonencode";

/** library-app, as shared/reference-architectures/library-app.md describes it. */
let stacks: SynthesizedStack[];
beforeAll(() => {
  stacks = synthToTemp({ blueprint: "library-app" }).stacks;
});
const stack = (layer: string) => stackById(stacks, `library-app-prod-${layer}`);

describe("stacks", () => {
  it("synthesizes the seven layers plus state-backend and its account's baseline, with dependencies as drawn", () => {
    expect(stacks.map((s) => s.id).sort()).toEqual(
      ["compute", "data", "dns", "edge", "monitoring", "network", "registry"]
        .map((l) => `library-app-prod-${l}`)
        .concat("state-backend", "account-baseline-library-app-prod")
        .sort(),
    );
    const deps = Object.fromEntries(stacks.map((s) => [s.id, [...s.dependencies].sort()]));
    expect(deps["library-app-prod-data"]).toEqual(["library-app-prod-network"]);
    expect(deps["library-app-prod-compute"]).toEqual(
      ["library-app-prod-data", "library-app-prod-dns", "library-app-prod-network", "library-app-prod-registry"].sort(),
    );
    expect(deps["library-app-prod-monitoring"]).toEqual(["library-app-prod-compute", "library-app-prod-data"]);
    expect(deps["library-app-prod-edge"]).toEqual(["library-app-prod-compute", "library-app-prod-dns"]);
  });

  it("keeps every stack's state in the S3 backend of backend.tf.json under its own key", () => {
    for (const s of stacks.filter((s) => s.id !== "state-backend")) {
      const backend = s.json.terraform.backend.s3;
      expect(backend).toMatchObject({
        bucket: "fargate-blueprints-tfstate-apne1",
        dynamodb_table: "fargate-blueprints-tflock",
        encrypt: true,
        key: `${s.id}/terraform.tfstate`,
        region: "ap-northeast-1",
      });
    }
    expect(stackById(stacks, "state-backend").terraform.backend.local).toBeDefined();
  });

  it("reads upstream values through remote state of the upstream's key", () => {
    const remotes = dataOf(stack("compute"), "terraform_remote_state");
    expect(remotes.map((r) => r.config.key).sort()).toEqual(
      ["data", "dns", "network", "registry"].map((l) => `library-app-prod-${l}/terraform.tfstate`),
    );
    for (const r of remotes) expect(r.backend).toBe("s3");
  });

  it("tags every resource through the provider's default tags and pins the region", () => {
    const provider = stack("network").provider.aws[0];
    expect(provider.region).toBe("ap-northeast-1");
    expect(provider.default_tags[0].tags).toMatchObject({
      Application: "library-app",
      Environment: "prod",
      ManagedBy: "terraform",
    });
  });
});

describe("network", () => {
  it("has the VPC CIDR, two public and two private subnets over 1a/1c", () => {
    const net = stack("network");
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
    for (const s of resourcesOf(net, "aws_subnet")) expect(s.map_public_ip_on_launch).toBe(false);
  });

  it("routes public subnets to the internet gateway and private subnets to a NAT gateway in their AZ", () => {
    const net = stack("network");
    expect(resourcesOf(net, "aws_internet_gateway")).toHaveLength(1);
    expect(resourcesOf(net, "aws_nat_gateway")).toHaveLength(2);
    const routes = resourcesOf(net, "aws_route");
    expect(routes.filter((r) => r.gateway_id?.includes("aws_internet_gateway"))).toHaveLength(1);
    expect(routes.filter((r) => r.nat_gateway_id)).toHaveLength(2);
    expect(routes.every((r) => r.destination_cidr_block === "0.0.0.0/0")).toBe(true);
  });

  it("locks the default security group and sends flow logs to a retained log group", () => {
    const net = stack("network");
    const dsg = onlyResource(net, "aws_default_security_group");
    expect(dsg.ingress).toEqual([]);
    expect(dsg.egress).toEqual([]);
    expect(onlyResource(net, "aws_flow_log")).toMatchObject({
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
    });
    expect(onlyResource(net, "aws_cloudwatch_log_group").retention_in_days).toBe(90);
  });

  it("chains security groups: CloudFront → ALB 443 → services on their port → database 5432 from the backend only", () => {
    const net = stack("network");
    const ingress = resourcesOf(net, "aws_vpc_security_group_ingress_rule");
    const sgName = (ref: string) => ref.match(/aws_security_group\.([^.]+)\.id/)![1];
    // Behind CloudFront nothing is open to the world: 443 admits CloudFront's origin-facing servers, 80 nobody.
    expect(ingress.filter((r) => r.cidr_ipv4 !== undefined)).toEqual([]);
    const [cloudFront, ...others] = ingress.filter((r) => r.prefix_list_id);
    expect(others).toEqual([]);
    expect(cloudFront).toMatchObject({ prefix_list_id: "pl-58a04531", from_port: 443, to_port: 443 });
    expect(sgName(cloudFront.security_group_id)).toBe("alb");
    const fromGroups = ingress.filter((r) => r.referenced_security_group_id);
    const edges = fromGroups.map(
      (r) => `${sgName(r.referenced_security_group_id)}->${sgName(r.security_group_id)}:${r.from_port}`,
    );
    expect(edges.sort()).toEqual(
      ["alb->service_backend:8000", "alb->service_frontend:8080", "service_backend->database:5432"].sort(),
    );
    expect(edges.some((e) => /service_frontend->database/.test(e))).toBe(false);
    expect(ingress).toHaveLength(4);
  });
});

describe("registry", () => {
  it("has an ECR repository per image, scanned on push, immutable, with a lifecycle policy", () => {
    const reg = stack("registry");
    const repos = resourcesOf(reg, "aws_ecr_repository");
    expect(repos.map((r) => r.name).sort()).toEqual(["library-app-backend", "library-app-frontend"]);
    for (const r of repos) {
      expect(r.image_scanning_configuration.scan_on_push).toBe(true);
      expect(r.image_tag_mutability).toBe("IMMUTABLE");
    }
    const policies = resourcesOf(reg, "aws_ecr_lifecycle_policy").map(
      (p) => parseStructuredValue(p.policy) as TerraformJson,
    );
    expect(policies).toHaveLength(2);
    for (const p of policies)
      expect(p.rules.map((r: { selection: { tagStatus: string } }) => r.selection.tagStatus)).toEqual([
        "untagged",
        "any",
      ]);
  });
});

describe("data", () => {
  it("runs PostgreSQL Multi-AZ on t3.micro, encrypted, private, backed up, with an AWS-managed password", () => {
    const db = onlyResource(stack("data"), "aws_db_instance");
    expect(db).toMatchObject({
      engine: "postgres",
      engine_version: "16",
      auto_minor_version_upgrade: true,
      instance_class: "db.t3.micro",
      multi_az: true,
      storage_encrypted: true,
      publicly_accessible: false,
      manage_master_user_password: true,
      backup_retention_period: 7,
      deletion_protection: true,
      skip_final_snapshot: false,
      iam_database_authentication_enabled: true,
    });
    expect(db.password).toBeUndefined();
    expect(db.enabled_cloudwatch_logs_exports).toEqual(["postgresql"]);
  });

  it("tunes a parameter group and forces TLS", () => {
    const pg = onlyResource(stack("data"), "aws_db_parameter_group");
    expect(pg.family).toBe("postgres16");
    const params = Object.fromEntries(pg.parameter.map((p: { name: string; value: string }) => [p.name, p.value]));
    expect(params).toMatchObject({ "rds.force_ssl": "1", log_min_duration_statement: "500" });
  });

  it("places the database in the private subnets, by the network's subnet ids", () => {
    const group = onlyResource(stack("data"), "aws_db_subnet_group");
    expect(group.subnet_ids).toHaveLength(2);
    expect(group.subnet_ids.join(" ")).toMatch(/private-1a.*private-1c/);
  });

  it("publishes the contract outputs ops teams need", () => {
    expect(Object.keys(stack("data").output).sort()).toEqual(
      [
        "db_address",
        "db_arn",
        "db_endpoint",
        "db_identifier",
        "db_instance_identifiers",
        "db_name",
        "db_port",
        "db_reader_address",
        "db_resource_id",
        "db_secret_arn",
      ].sort(),
    );
  });
});

describe("monitoring", () => {
  it("alarms on CPU, memory, 5XX, response time, backend error logs and the database, into one encrypted topic", () => {
    const m = stack("monitoring");
    expect(resourcesOf(stack("compute"), "aws_cloudwatch_metric_alarm")).toEqual([]);
    const alarms = resourcesOf(m, "aws_cloudwatch_metric_alarm");
    expect(alarms.map((a) => [a.alarm_name, a.metric_name, a.comparison_operator, a.threshold]).sort()).toEqual(
      [
        ["library-app-prod-backend-cpu-high", "CPUUtilization", "GreaterThanThreshold", 80],
        ["library-app-prod-frontend-cpu-high", "CPUUtilization", "GreaterThanThreshold", 80],
        ["library-app-prod-backend-memory-high", "MemoryUtilization", "GreaterThanThreshold", 80],
        ["library-app-prod-frontend-memory-high", "MemoryUtilization", "GreaterThanThreshold", 80],
        ["library-app-prod-backend-error-logs", "backend-error-logs", "GreaterThanThreshold", 0],
        ["library-app-prod-alb-target-5xx", "HTTPCode_Target_5XX_Count", "GreaterThanThreshold", 10],
        ["library-app-prod-alb-response-time", "TargetResponseTime", "GreaterThanThreshold", 1],
        ["library-app-prod-database-connections", "DatabaseConnections", "GreaterThanThreshold", 60],
        ["library-app-prod-database-free-storage", "FreeStorageSpace", "LessThanThreshold", 1024 ** 3],
      ].sort(),
    );
    const db = alarms.filter((a) => a.namespace === "AWS/RDS");
    for (const a of db) {
      expect(a.dimensions).toEqual({
        DBInstanceIdentifier: "${data.terraform_remote_state.data.outputs.db_identifier}",
      });
    }
    // A key of the stack's own whose policy lets CloudWatch publish: alias/aws/sns would drop every notification.
    expect(onlyResource(m, "aws_sns_topic")).toMatchObject({
      name: "library-app-prod-alarms",
      kms_master_key_id: "${aws_kms_key.alerts.arn}",
    });
    expect(onlyResource(m, "aws_kms_key").enable_key_rotation).toBe(true);
    for (const a of alarms) expect(a.alarm_actions).toEqual(["${aws_sns_topic.alerts_critical.arn}"]);
    expect(resourcesOf(m, "aws_cloudwatch_dashboard")).toEqual([]);
  });

  it("filters only the backend's log group for Monolog's ERROR and worse", () => {
    expect(onlyResource(stack("monitoring"), "aws_cloudwatch_log_metric_filter")).toMatchObject({
      log_group_name: "${data.terraform_remote_state.compute.outputs.log_group_names.backend}",
      pattern: "?ERROR ?CRITICAL ?ALERT ?EMERGENCY",
      metric_transformation: { namespace: "library-app/prod", name: "backend-error-logs" },
    });
  });
});

describe("dns", () => {
  it("creates the public zone and a DNS-validated certificate for the record names, without waiting on DNS", () => {
    const dns = stack("dns");
    expect(onlyResource(dns, "aws_route53_zone").name).toBe("library-app.example.com");
    expect(onlyResource(dns, "aws_acm_certificate")).toMatchObject({
      domain_name: "library-app.example.com",
      validation_method: "DNS",
    });
    // The zone is new: nothing can validate before it is delegated, so the wait is compute's (after delegation).
    expect(resourcesOf(dns, "aws_acm_certificate_validation")).toHaveLength(0);
    expect(Object.keys(dns.output)).toEqual(
      expect.arrayContaining(["zone_id", "zone_name_servers", "certificate_arn"]),
    );
  });
});

describe("compute", () => {
  it("runs a Container Insights cluster on Fargate capacity providers", () => {
    const c = stack("compute");
    expect(onlyResource(c, "aws_ecs_cluster").setting).toEqual([{ name: "containerInsights", value: "enabled" }]);
    expect(onlyResource(c, "aws_ecs_cluster_capacity_providers").capacity_providers).toContain("FARGATE");
  });

  it("has an internet-facing ALB that drops invalid headers, redirects HTTP to HTTPS and serves TLS 1.2+", () => {
    const c = stack("compute");
    expect(onlyResource(c, "aws_lb")).toMatchObject({
      internal: false,
      drop_invalid_header_fields: true,
      enable_deletion_protection: true,
    });
    const listeners = resourcesOf(c, "aws_lb_listener");
    const http = listeners.find((l) => l.port === 80)!;
    const https = listeners.find((l) => l.port === 443)!;
    expect(http.default_action[0]).toMatchObject({
      type: "redirect",
      redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" },
    });
    expect(https).toMatchObject({ protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
    expect(https.certificate_arn).toBe("${aws_acm_certificate_validation.https.certificate_arn}");
    expect(onlyResource(c, "aws_acm_certificate_validation").certificate_arn).toMatch(
      /terraform_remote_state\..*dns.*certificate_arn/,
    );
  });

  it("routes /api/* to the backend before /* to the frontend", () => {
    const c = stack("compute");
    const rules = resourcesOf(c, "aws_lb_listener_rule").map((r) => ({
      priority: r.priority,
      path: r.condition[0].path_pattern.values[0],
      tg: r.action[0].target_group_arn,
    }));
    const api = rules.find((r) => r.path === "/api/*")!;
    const all = rules.find((r) => r.path === "/*")!;
    expect(api.priority).toBeLessThan(all.priority);
    expect(api.tg).toBe("${aws_lb_target_group.backend.arn}");
    expect(all.tg).toBe("${aws_lb_target_group.frontend.arn}");
  });

  it("health-checks each target group on its path", () => {
    const tgs = resourcesOf(stack("compute"), "aws_lb_target_group");
    const byPort = Object.fromEntries(tgs.map((t) => [t.port, t]));
    expect(byPort[8000]).toMatchObject({
      target_type: "ip",
      health_check: { path: "/api/health", healthy_threshold: 2, unhealthy_threshold: 3 },
    });
    expect(byPort[8080].health_check.path).toBe("/health");
  });

  it("defines non-root, read-only, unprivileged tasks logging to retained groups", () => {
    const c = stack("compute");
    const defs = resourcesOf(c, "aws_ecs_task_definition");
    expect(defs.map((d) => [d.cpu, d.memory]).sort()).toEqual([
      ["256", "512"],
      ["512", "1024"],
    ]);
    for (const d of defs) {
      expect(d.requires_compatibilities).toEqual(["FARGATE"]);
      expect(d.execution_role_arn).not.toEqual(d.task_role_arn);
      const [container] = containers(d);
      expect(container.user).toBe("1000:1000");
      expect(container.readonlyRootFilesystem).toBe(true);
      expect(container.privileged).toBe(false);
      expect(container.logConfiguration.logDriver).toBe("awslogs");
      expect(container.mountPoints.map((m: { containerPath: string }) => m.containerPath)).toContain("/tmp");
    }
    for (const g of resourcesOf(c, "aws_cloudwatch_log_group")) expect(g.retention_in_days).toBe(30);
  });

  it("injects database credentials by reference only", () => {
    const backend = resourcesOf(stack("compute"), "aws_ecs_task_definition").find((d) => d.family.endsWith("backend"))!;
    const [container] = containers(backend);
    const secrets = Object.fromEntries(
      container.secrets.map((s: { name: string; valueFrom: string }) => [s.name, s.valueFrom]),
    );
    expect(secrets.DB_PASSWORD).toMatch(/db_secret_arn.*:password::$/);
    expect(secrets.DB_USERNAME).toMatch(/:username::$/);
    const env = Object.fromEntries(
      container.environment.map((e: { name: string; value: string }) => [e.name, e.value]),
    );
    expect(env.DB_HOST).toMatch(/terraform_remote_state.*db_address/);
    expect(JSON.stringify(container.environment)).not.toMatch(/PASSWORD/);
  });

  it("gives each execution role only its own repository, log group and secrets", () => {
    const docs = dataOf(stack("compute"), "aws_iam_policy_document");
    const execution = docs.filter((d) => d.statement?.some((s: { sid?: string }) => s.sid === "EcrPull"));
    expect(execution).toHaveLength(2);
    for (const doc of execution) {
      for (const s of doc.statement) {
        if (s.resources.includes("*")) expect(s.actions).toEqual(["ecr:GetAuthorizationToken"]);
      }
    }
  });

  it("deploys with the circuit breaker and rollback, private IPs only, and scales on CPU", () => {
    const c = stack("compute");
    for (const svc of resourcesOf(c, "aws_ecs_service")) {
      expect(svc.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
      expect(svc.network_configuration.assign_public_ip).toBe(false);
      expect(svc.launch_type).toBeUndefined();
      expect(svc.capacity_provider_strategy).toEqual([{ capacity_provider: "FARGATE", base: 0, weight: 1 }]);
    }
    const targets = resourcesOf(c, "aws_appautoscaling_target").map((t) => [t.min_capacity, t.max_capacity]);
    expect(targets.sort()).toEqual([
      [2, 4],
      [2, 6],
    ]);
    const policies = resourcesOf(c, "aws_appautoscaling_policy");
    expect(policies.map((p) => p.target_tracking_scaling_policy_configuration.target_value)).toEqual([70, 70]);
  });

  it("leaves the apex to CloudFront (edge stack)", () => {
    const c = stack("compute");
    expect(resourcesOf(c, "aws_route53_record")).toEqual([]);
    // No Route 53 health check: its alarm could only live in us-east-1, and nothing here would watch it.
    expect(resourcesOf(c, "aws_route53_health_check")).toEqual([]);
    expect(Object.keys(c.output)).toEqual(
      expect.arrayContaining(["alb_dns_name", "cluster_name", "service_names", "app_url"]),
    );
  });
});
