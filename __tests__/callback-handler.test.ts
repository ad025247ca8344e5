import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { containers, onlyResource, resourcesOf, stackById, synthToTemp } from "./helpers/synth";
import type { SynthesizedStack, TerraformJson } from "../tools/terraform/cdktf-out";
import { errorsAfter } from "./helpers/blueprint-errors";
import { offlinePlansOf } from "./helpers/offline-plans";
import { callbackHandler } from "../blueprints/callback-handler";
import type { BlueprintInput } from "../schema/blueprint";
import { UNSET_PARAMETER_VALUE } from "../modules/secure-parameters";

/** callback-handler, as shared/reference-architectures/callback-handler.md describes it. */
let stacks: SynthesizedStack[];
beforeAll(() => {
  stacks = synthToTemp({ blueprint: "callback-handler" }).stacks;
});
const stack = (layer: string) => stackById(stacks, `callback-handler-prod-${layer}`);

/** The name a `${type.name.attr}` reference points at. */
const refName = (ref: string, type: string) => new RegExp(`${type}\\.([^.}]+)`).exec(ref)?.[1];

/** Ingress and egress rules of one security group (by its resource name). */
function rulesOf(json: TerraformJson, group: string) {
  const mine = (r: TerraformJson) => refName(r.security_group_id, "aws_security_group") === group;
  return {
    ingress: resourcesOf(json, "aws_vpc_security_group_ingress_rule").filter(mine),
    egress: resourcesOf(json, "aws_vpc_security_group_egress_rule").filter(mine),
  };
}

/** Resource name of the security group whose Name tag ends with a suffix. */
function groupNamed(json: TerraformJson, suffix: string): string {
  const entries = Object.entries<TerraformJson>(json.resource.aws_security_group);
  const found = entries.filter(([, g]) => g.name === `callback-handler-prod-${suffix}`);
  expect(found).toHaveLength(1);
  return found[0][0];
}

/** The policy document data source a role policy renders. */
function documentOf(json: TerraformJson, rolePolicy: TerraformJson): TerraformJson {
  const name = refName(rolePolicy.policy, "aws_iam_policy_document")!;
  return json.data.aws_iam_policy_document[name];
}

function rolePolicy(json: TerraformJson, role: "execution" | "task"): TerraformJson {
  const policy = json.resource.aws_iam_role_policy[`callback_handler_${role}`];
  expect(policy.role).toBe(`\${aws_iam_role.callback_handler_${role}.id}`);
  return policy;
}

describe("stacks", () => {
  it("synthesizes network, registry, parameters, dns, compute and monitoring (no database), monitoring last", () => {
    expect(stacks.map((s) => s.id).sort()).toEqual(
      ["compute", "dns", "monitoring", "network", "parameters", "registry"]
        .map((l) => `callback-handler-prod-${l}`)
        .concat("state-backend")
        .sort(),
    );
    const compute = stacks.find((s) => s.id === "callback-handler-prod-compute")!;
    expect([...compute.dependencies].sort()).toEqual(
      ["dns", "network", "parameters", "registry"].map((l) => `callback-handler-prod-${l}`),
    );
    const monitoring = stacks.find((s) => s.id === "callback-handler-prod-monitoring")!;
    expect([...monitoring.dependencies]).toEqual(["callback-handler-prod-compute"]);
    for (const s of stacks.filter((s) => s.id !== "state-backend")) {
      expect(s.json.provider.aws[0].region).toBe("ap-northeast-1");
    }
  });
});

describe("network: private subnets only, no way to the internet", () => {
  it("has VPC 10.0.0.0/16 with subnet A 10.0.1.0/24 in 1a and subnet B 10.0.2.0/24 in 1c, both private", () => {
    const net = stack("network");
    expect(onlyResource(net, "aws_vpc").cidr_block).toBe("10.0.0.0/16");
    const subnets = resourcesOf(net, "aws_subnet").map((s) => [
      s.tags.Name,
      s.tags.Tier,
      s.cidr_block,
      s.availability_zone,
    ]);
    expect(subnets.sort()).toEqual([
      ["callback-handler-prod-private-a", "private", "10.0.1.0/24", "ap-northeast-1a"],
      ["callback-handler-prod-private-b", "private", "10.0.2.0/24", "ap-northeast-1c"],
    ]);
    for (const s of resourcesOf(net, "aws_subnet")) expect(s.map_public_ip_on_launch).toBe(false);
  });

  it("has no internet gateway, no NAT gateway, no elastic IP and no route at all", () => {
    const net = stack("network");
    for (const type of [
      "aws_internet_gateway",
      "aws_nat_gateway",
      "aws_eip",
      "aws_route",
      "aws_egress_only_internet_gateway",
    ]) {
      expect({ type, count: resourcesOf(net, type).length }).toEqual({ type, count: 0 });
    }
    for (const table of resourcesOf(net, "aws_route_table")) expect(table.route).toBeUndefined();
  });

  it("puts ECR API, ECR DKR, CloudWatch Logs and SSM interface endpoints in subnet A with private DNS", () => {
    const net = stack("network");
    const endpoints = resourcesOf(net, "aws_vpc_endpoint").filter((e) => e.vpc_endpoint_type === "Interface");
    expect(endpoints.map((e) => e.service_name).sort()).toEqual(
      ["ecr.api", "ecr.dkr", "logs", "ssm"].map((s) => `com.amazonaws.ap-northeast-1.${s}`),
    );
    const subnetA = Object.entries<TerraformJson>(net.resource.aws_subnet).find(
      ([, s]) => s.cidr_block === "10.0.1.0/24",
    )![0];
    const vpce = groupNamed(net, "vpce");
    for (const e of endpoints) {
      expect(e.private_dns_enabled).toBe(true);
      expect(e.subnet_ids).toEqual([`\${aws_subnet.${subnetA}.id}`]);
      expect(e.security_group_ids).toEqual([`\${aws_security_group.${vpce}.id}`]);
    }
  });

  it("admits only 443 from the VPC to the endpoints' security group", () => {
    const net = stack("network");
    const { ingress, egress } = rulesOf(net, groupNamed(net, "vpce"));
    expect(ingress.map((r) => [r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv4])).toEqual([
      ["tcp", 443, 443, "10.0.0.0/16"],
    ]);
    expect(egress).toEqual([]);
  });

  it("attaches an S3 gateway endpoint to every private route table", () => {
    const net = stack("network");
    const gateways = resourcesOf(net, "aws_vpc_endpoint").filter((e) => e.vpc_endpoint_type === "Gateway");
    expect(gateways.map((g) => g.service_name)).toEqual(["com.amazonaws.ap-northeast-1.s3"]);
    const associated = resourcesOf(net, "aws_route_table_association").map((a) => a.route_table_id);
    expect(associated).toHaveLength(2);
    expect([...gateways[0].route_table_ids].sort()).toEqual([...new Set(associated)].sort());
  });
});

describe("security groups: cosigner → ALB 443 → service 3000", () => {
  it("lets the cosigner group leave only on 443 to the ALB group, and admits nothing into it", () => {
    const net = stack("network");
    const alb = groupNamed(net, "alb");
    const { ingress, egress } = rulesOf(net, groupNamed(net, "client-cosigner"));
    expect(ingress).toEqual([]);
    expect(
      egress.map((r) => [r.ip_protocol, r.from_port, r.to_port, r.referenced_security_group_id, r.cidr_ipv4]),
    ).toEqual([["tcp", 443, 443, `\${aws_security_group.${alb}.id}`, undefined]]);
    expect(net.output.client_security_group_ids.value).toEqual({
      cosigner: expect.stringContaining(`aws_security_group.${groupNamed(net, "client-cosigner")}.id`),
    });
  });

  it("admits 443 from 10.0.0.0/16 to the ALB and lets it leave only on 3000 to the service group", () => {
    const net = stack("network");
    const service = groupNamed(net, "svc-callback-handler");
    const { ingress, egress } = rulesOf(net, groupNamed(net, "alb"));
    expect(ingress.map((r) => [r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv4])).toEqual([
      ["tcp", 443, 443, "10.0.0.0/16"],
    ]);
    expect(egress.map((r) => [r.from_port, r.to_port, r.referenced_security_group_id])).toEqual([
      [3000, 3000, `\${aws_security_group.${service}.id}`],
    ]);
  });

  it("admits 3000 into the service group from the ALB group only", () => {
    const net = stack("network");
    const alb = groupNamed(net, "alb");
    const { ingress, egress } = rulesOf(net, groupNamed(net, "svc-callback-handler"));
    expect(
      ingress.map((r) => [r.ip_protocol, r.from_port, r.to_port, r.referenced_security_group_id, r.cidr_ipv4]),
    ).toEqual([["tcp", 3000, 3000, `\${aws_security_group.${alb}.id}`, undefined]]);
    // Documented narrowing: the document allows all egress; only 443 (endpoints, S3) is of use without NAT.
    expect(egress.map((r) => [r.from_port, r.to_port])).toEqual([[443, 443]]);
  });
});

describe("ECS", () => {
  it("runs cluster fireblocks-callback-cluster on the FARGATE capacity provider only", () => {
    const c = stack("compute");
    expect(onlyResource(c, "aws_ecs_cluster").name).toBe("fireblocks-callback-cluster");
    const providers = onlyResource(c, "aws_ecs_cluster_capacity_providers");
    expect(providers.capacity_providers).toEqual(["FARGATE"]);
    expect(providers.default_capacity_provider_strategy).toEqual([
      { base: 0, capacity_provider: "FARGATE", weight: 1 },
    ]);
  });

  it("defines task family callback-handler: 256 CPU, 512 MiB, awsvpc, Fargate, both roles", () => {
    const td = onlyResource(stack("compute"), "aws_ecs_task_definition");
    expect(td).toMatchObject({
      family: "callback-handler",
      cpu: "256",
      memory: "512",
      network_mode: "awsvpc",
      requires_compatibilities: ["FARGATE"],
    });
    expect(td.execution_role_arn).toBe("${aws_iam_role.callback_handler_execution.arn}");
    expect(td.task_role_arn).toBe("${aws_iam_role.callback_handler_task.arn}");
  });

  it("runs container callback-handler on 3000 with NODE_ENV and PORT, logging to /ecs/callback-handler", () => {
    const c = stack("compute");
    const [container] = containers(onlyResource(c, "aws_ecs_task_definition"));
    expect(container.name).toBe("callback-handler");
    expect(container.essential).toBe(true);
    // The tag is the release record's (CI writes it), "latest" (the blueprint's first tag) until a release.
    expect(container.image).toMatch(
      /repository_urls.*fireblocks-callback.*:\$\{coalesce\(one\(data\.aws_ssm_parameter\.callback_handler_release\[\*\]\.insecure_value\), "latest"\)\}$/,
    );
    expect(container.portMappings).toEqual([{ containerPort: 3000, protocol: "tcp" }]);
    expect(container.environment).toEqual([
      { name: "NODE_ENV", value: "production" },
      { name: "PORT", value: "3000" },
    ]);
    expect(container.secrets).toEqual([]);
    expect(container.logConfiguration.logDriver).toBe("awslogs");
    expect(container.logConfiguration.options).toMatchObject({
      "awslogs-region": "ap-northeast-1",
      "awslogs-stream-prefix": "callback-handler",
    });
    const group = onlyResource(c, "aws_cloudwatch_log_group");
    expect(group).toMatchObject({ name: "/ecs/callback-handler", retention_in_days: 7 });
    expect(container.logConfiguration.options["awslogs-group"]).toMatch(/aws_cloudwatch_log_group\..*\.name/);
  });

  it("runs service callback-handler-service: one task in subnet A only, no public IP, behind the target group", () => {
    const svc = onlyResource(stack("compute"), "aws_ecs_service");
    expect(svc).toMatchObject({ name: "callback-handler-service", desired_count: 1 });
    // FARGATE only, as the document (and the cluster: no FARGATE_SPOT) says.
    expect(svc.capacity_provider_strategy).toEqual([{ capacity_provider: "FARGATE", base: 0, weight: 1 }]);
    expect(svc.launch_type).toBeUndefined();
    expect(svc.network_configuration.assign_public_ip).toBe(false);
    expect(svc.network_configuration.subnets).toHaveLength(1);
    expect(svc.network_configuration.subnets[0]).toMatch(/subnet_ids.*"private-a"/);
    expect(svc.network_configuration.security_groups[0]).toMatch(/service_security_group_ids.*"callback-handler"/);
    expect(svc.load_balancer).toEqual([
      {
        container_name: "callback-handler",
        container_port: 3000,
        target_group_arn: expect.stringMatching(/aws_lb_target_group/),
      },
    ]);
  });

  it("creates ECR repository fireblocks-callback, scanned on push", () => {
    const repo = onlyResource(stack("registry"), "aws_ecr_repository");
    expect(repo.name).toBe("fireblocks-callback");
    expect(repo.image_scanning_configuration).toEqual({ scan_on_push: true });
  });
});

describe("load balancer", () => {
  it("is internal, over subnets A and B, named fireblocks-callback-alb", () => {
    const lb = onlyResource(stack("compute"), "aws_lb");
    expect(lb).toMatchObject({ internal: true, load_balancer_type: "application", name: "fireblocks-callback-alb" });
    expect(lb.subnets).toHaveLength(2);
    expect(lb.subnets[0]).toMatch(/subnet_ids.*"private-a"/);
    expect(lb.subnets[1]).toMatch(/subnet_ids.*"private-b"/);
    expect(lb.security_groups[0]).toMatch(/alb_security_group_id/);
  });

  it("has one listener, HTTPS 443, forwarding to the target group with the certificate ARN variable", () => {
    const c = stack("compute");
    const listener = onlyResource(c, "aws_lb_listener");
    expect(listener).toMatchObject({ port: 443, protocol: "HTTPS", certificate_arn: "${var.certificate_arn}" });
    expect(listener.ssl_policy).toMatch(/^ELBSecurityPolicy-TLS13/);
    expect(listener.default_action).toEqual([
      { type: "forward", target_group_arn: expect.stringMatching(/aws_lb_target_group/) },
    ]);
    const variable = c.variable.certificate_arn;
    expect(variable.default).toBeUndefined();
    expect(variable.type).toBe("string");
    expect(variable.validation[0].condition).toContain(":acm:");
  });

  it("forwards to an ip target group on HTTP 3000, health-checked on /health every 30 s, 2 healthy / 3 unhealthy", () => {
    const tg = onlyResource(stack("compute"), "aws_lb_target_group");
    expect(tg).toMatchObject({ target_type: "ip", protocol: "HTTP", port: 3000 });
    expect(tg.vpc_id).toMatch(/vpc_id/);
    expect(tg.health_check).toMatchObject({
      protocol: "HTTP",
      path: "/health",
      interval: 30,
      healthy_threshold: 2,
      unhealthy_threshold: 3,
    });
  });

  it("carries no key material: no IAM server certificate, no PEM anywhere in the shipped JSON", () => {
    for (const s of stacks) {
      expect(resourcesOf(s.json, "aws_iam_server_certificate")).toEqual([]);
      expect(resourcesOf(s.json, "aws_acm_certificate")).toEqual([]);
      const text = JSON.stringify(s.json);
      expect(text).not.toMatch(/-----BEGIN|PRIVATE KEY-----|"private_key":/);
    }
  });
});

describe("IAM", () => {
  // AmazonECSTaskExecutionRolePolicy's actions, which the document attaches on "*".
  const MANAGED_EXECUTION_ACTIONS = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:GetAuthorizationToken",
    "ecr:GetDownloadUrlForLayer",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
  ];

  it("gives the execution role the managed policy's actions and ECR pull, scoped to its repository and log group", () => {
    const c = stack("compute");
    const doc = documentOf(c, rolePolicy(c, "execution"));
    const actions = doc.statement.flatMap((s: TerraformJson) => s.actions).sort();
    expect(actions).toEqual(MANAGED_EXECUTION_ACTIONS);
    for (const s of doc.statement) {
      if (s.resources.includes("*")) expect(s.actions).toEqual(["ecr:GetAuthorizationToken"]);
    }
    const pull = doc.statement.find((s: TerraformJson) => s.actions.includes("ecr:BatchGetImage"));
    expect(pull.resources).toEqual([expect.stringMatching(/repository_arns.*"fireblocks-callback"/)]);
    const logs = doc.statement.find((s: TerraformJson) => s.actions.includes("logs:PutLogEvents"));
    expect(logs.resources).toEqual([expect.stringMatching(/aws_cloudwatch_log_group\..*\.arn}:\*$/)]);
  });

  it("lets the task role write its own log group and read only its two SSM parameters", () => {
    const c = stack("compute");
    const doc = documentOf(c, rolePolicy(c, "task"));
    expect(doc.statement).toHaveLength(2);
    const logs = doc.statement.find((s: TerraformJson) => s.sid === "Logs");
    expect(logs.actions.sort()).toEqual(["logs:CreateLogStream", "logs:PutLogEvents"]);
    expect(logs.resources).toEqual([expect.stringMatching(/aws_cloudwatch_log_group\..*\.arn}:\*$/)]);
    const ssm = doc.statement.find((s: TerraformJson) => s.sid === "ReadParameters");
    expect(ssm.actions.sort()).toEqual(["ssm:GetParameter", "ssm:GetParameters"]);
    expect(ssm.resources).toHaveLength(2);
    expect(ssm.resources[0]).toMatch(/parameters.*parameter_arns.*"callback-private-key"/);
    expect(ssm.resources[1]).toMatch(/parameters.*parameter_arns.*"cosigner-public-key"/);
    expect(JSON.stringify(doc)).not.toContain('"*"');
  });
});

describe("SSM parameters", () => {
  it("creates the two SecureStrings under /callback-handler-prod/ with their documented descriptions", () => {
    const params = resourcesOf(stack("parameters"), "aws_ssm_parameter");
    expect(params.map((p) => [p.name, p.type, p.description]).sort()).toEqual([
      ["/callback-handler-prod/callback-private-key", "SecureString", "Callback Handler Private Key for JWT signing"],
      ["/callback-handler-prod/cosigner-public-key", "SecureString", "Cosigner Public Key for JWT verification"],
    ]);
  });

  it("writes only a write-only stand-in once, so values written out of band stay out of state and are not undone", () => {
    for (const p of resourcesOf(stack("parameters"), "aws_ssm_parameter")) {
      expect(p.value).toBeUndefined();
      expect(p.insecure_value).toBeUndefined();
      expect(p.value_wo).toBe(UNSET_PARAMETER_VALUE);
      expect(p.value_wo_version).toBe(1);
    }
  });

  it("publishes the parameters' ARNs and names for the compute stack and operators", () => {
    const out = stack("parameters").output;
    expect(Object.keys(out.parameter_arns.value).sort()).toEqual(["callback-private-key", "cosigner-public-key"]);
    expect(Object.keys(out.parameter_names.value).sort()).toEqual(["callback-private-key", "cosigner-public-key"]);
  });
});

describe("private DNS", () => {
  it("creates private zone internal.mtools.web3sst.com attached to the network stack's VPC", () => {
    const zone = onlyResource(stack("dns"), "aws_route53_zone");
    expect(zone.name).toBe("internal.mtools.web3sst.com");
    expect(zone.vpc).toEqual([{ vpc_id: expect.stringMatching(/terraform_remote_state\.network\.outputs\.vpc_id/) }]);
    expect(stack("dns").output.zone_name_servers).toBeUndefined();
  });

  it("points callback.internal.mtools.web3sst.com at the ALB with an alias A record", () => {
    const record = onlyResource(stack("compute"), "aws_route53_record");
    expect(record).toMatchObject({ name: "callback.internal.mtools.web3sst.com", type: "A" });
    expect(record.zone_id).toMatch(/terraform_remote_state\.dns\.outputs\.zone_id/);
    expect(record.alias.name).toMatch(/aws_lb\..*\.dns_name/);
    expect(record.alias.zone_id).toMatch(/aws_lb\..*\.zone_id/);
    expect(resourcesOf(stack("compute"), "aws_route53_health_check")).toEqual([]);
  });
});

describe("alarms", () => {
  it("alarms on ECS CPUUtilization and MemoryUtilization: Average, 300 s, 2 periods, > 80, per cluster and service", () => {
    expect(resourcesOf(stack("compute"), "aws_cloudwatch_metric_alarm")).toEqual([]);
    const alarms = resourcesOf(stack("monitoring"), "aws_cloudwatch_metric_alarm");
    expect(alarms.map((a) => a.metric_name).sort()).toEqual(["CPUUtilization", "MemoryUtilization"]);
    for (const a of alarms) {
      expect(a).toMatchObject({
        namespace: "AWS/ECS",
        statistic: "Average",
        period: 300,
        evaluation_periods: 2,
        threshold: 80,
        comparison_operator: "GreaterThanThreshold",
      });
      // The compute stack's published names: service_names maps the blueprint's service to its ECS name.
      expect(a.dimensions.ServiceName).toBe(
        '${data.terraform_remote_state.compute.outputs.service_names["callback-handler"]}',
      );
      expect(a.dimensions.ClusterName).toBe("${data.terraform_remote_state.compute.outputs.cluster_name}");
      expect(a.alarm_actions).toEqual([expect.stringMatching(/aws_sns_topic\..*\.arn/)]);
    }
  });

  it("notifies a topic encrypted with a rotated customer-managed key that CloudWatch may use", () => {
    const c = stack("monitoring");
    const topic = onlyResource(c, "aws_sns_topic");
    const key = onlyResource(c, "aws_kms_key");
    expect(topic.kms_master_key_id).toMatch(/aws_kms_key\..*\.arn/);
    expect(key.enable_key_rotation).toBe(true);
    const policy = c.data.aws_iam_policy_document[refName(key.policy, "aws_iam_policy_document")!];
    const cloudwatch = policy.statement.find((s: TerraformJson) =>
      s.principals?.some((p: TerraformJson) => p.identifiers.includes("cloudwatch.amazonaws.com")),
    );
    expect(cloudwatch.actions.sort()).toEqual(["kms:Decrypt", "kms:GenerateDataKey*"]);
    expect(cloudwatch.condition[0]).toMatchObject({ test: "StringEquals", variable: "aws:SourceAccount" });
    const admin = policy.statement.find((s: TerraformJson) =>
      s.principals?.some((p: TerraformJson) => p.type === "AWS"),
    );
    // No account id is configured: it comes from the cluster ARN (aws_caller_identity needs AWS at plan time).
    expect(admin.principals[0].identifiers[0]).toBe(
      'arn:aws:iam::${element(split(":", data.terraform_remote_state.compute.outputs.cluster_arn), 4)}:root',
    );
  });
});

describe("validation of the new fields", () => {
  const errorsOf = (change: (bp: BlueprintInput) => void) => errorsAfter<BlueprintInput>(callbackHandler, change);
  const lineFor = (lines: string[], p: string) => lines.find((l) => l.includes(`${p} =`));

  it("accepts the blueprint as written", () => expect(errorsOf(() => undefined)).toEqual([]));

  it("rejects a client group port that is not a listener port", () => {
    const line = lineFor(
      errorsOf((bp) => (bp.network.clientSecurityGroups![0].loadBalancerPorts = [80])),
      "network.clientSecurityGroups[0].loadBalancerPorts[0]",
    );
    expect(line).toContain("80 is not a listener port of the load balancer (443). Fix:");
  });

  it("rejects a client group without a load balancer", () => {
    const lines = errorsOf((bp) => {
      delete bp.loadBalancer;
      bp.dns!.records = [];
    });
    expect(lineFor(lines, "network.clientSecurityGroups[0]")).toContain("has no load balancer to reach. Fix:");
  });

  it("rejects a parameter reader that names no service", () => {
    const line = lineFor(
      errorsOf((bp) => (bp.ssmParameters![1].readers = ["callback"])),
      "ssmParameters[1].readers[0]",
    );
    expect(line).toContain('"callback" names no service. Fix: use one of callback-handler');
  });

  it("rejects duplicate parameter names and a parameter name with a slash", () => {
    const dup = errorsOf((bp) => (bp.ssmParameters![1].name = "callback-private-key"));
    expect(lineFor(dup, "ssmParameters[1].name")).toContain("duplicates another parameter. Fix:");
    const slash = errorsOf((bp) => (bp.ssmParameters![0].name = "keys/private"));
    expect(lineFor(slash, "ssmParameters[0].name")).toContain("no slash");
  });

  it("rejects capacity providers without FARGATE", () => {
    const line = lineFor(
      errorsOf((bp) => (bp.cluster!.capacityProviders = ["FARGATE_SPOT"])),
      "cluster.capacityProviders",
    );
    expect(line).toContain("lacks FARGATE");
  });
});

describe("offline plan of the parameters stack", () => {
  let workroot: string;
  afterAll(() => workroot && fs.rmSync(workroot, { recursive: true, force: true }));

  it("plans two parameters whose stand-in value is in neither the planned values nor the changes", async () => {
    workroot = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-cb-params-"));
    const params = stacks.find((s) => s.id === "callback-handler-prod-parameters")!;
    const [result] = await offlinePlansOf([params], stacks, workroot);
    expect(result.failedStep).toBeUndefined();
    const changes = result.plan!.resource_changes.filter((c: TerraformJson) => c.type === "aws_ssm_parameter");
    expect(changes.map((c: TerraformJson) => c.change.actions)).toEqual([["create"], ["create"]]);
    for (const c of changes) {
      expect(c.change.after.value_wo).toBeNull();
      expect(c.change.after.name).toMatch(/^\/callback-handler-prod\//);
    }
    // Only `configuration` (the shipped JSON, echoed) names it; planned values and changes carry null.
    const { planned_values, resource_changes } = result.plan!;
    expect(JSON.stringify({ planned_values, resource_changes })).not.toContain(UNSET_PARAMETER_VALUE);
  }, 120_000);
});
