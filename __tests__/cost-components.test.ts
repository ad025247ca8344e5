import type { TerraformJson } from "../tools/terraform/cdktf-out";
import { componentOf, estimate, fixtureStack, resourceOf, tokyoPrice as p } from "./helpers/cost-fixtures";

/**
 * Every cost model against arithmetic done by hand here, with the unit prices of tools/cost/prices/ap-northeast-1.json
 * (p(key)) and usage values pinned by each test. 730 hours a month throughout.
 */

const H = 730;
const KB_PER_GB = 1024 * 1024;

function fargateService(extra: TerraformJson = {}, taskDefinition: TerraformJson = {}) {
  return {
    aws_ecs_cluster: { cluster: { name: "c", setting: [{ name: "containerInsights", value: "disabled" }] } },
    aws_ecs_task_definition: {
      td: {
        family: "f",
        cpu: "512",
        memory: "1024",
        runtime_platform: { cpu_architecture: "X86_64", operating_system_family: "LINUX" },
        ...taskDefinition,
      },
    },
    aws_ecs_service: {
      svc: {
        name: "svc",
        cluster: "${aws_ecs_cluster.cluster.arn}",
        task_definition: "${aws_ecs_task_definition.td.arn}",
        desired_count: 2,
        launch_type: "FARGATE",
        network_configuration: { assign_public_ip: false, subnets: ["a"] },
        ...extra,
      },
    },
  };
}

describe("ECS services on Fargate", () => {
  it("x86 on-demand: tasks × vCPU and GB × 730 h at the X86_64 prices", () => {
    const r = resourceOf(estimate([fixtureStack("s", fargateService())]), "aws_ecs_service.svc");
    // 2 tasks × 0.5 vCPU × 730 h = 730 vCPU-hours; 2 tasks × 1 GB × 730 h = 1,460 GB-hours
    expect(componentOf(r, "Fargate vCPU (Linux/X86_64, on-demand)").monthlyQuantity).toBe(730);
    expect(componentOf(r, "Fargate memory (Linux/X86_64, on-demand)").monthlyQuantity).toBe(1460);
    expect(r.monthlyCost).toBeCloseTo(
      730 * p("fargate.vcpu-hour.linux.x86_64") + 1460 * p("fargate.gb-hour.linux.x86_64"),
      6,
    );
    expect(r.components).toHaveLength(2);
  });

  it("ARM64 is priced at the ARM64 prices, not as x86", () => {
    const stack = fixtureStack(
      "s",
      fargateService({}, { runtime_platform: { cpu_architecture: "ARM64", operating_system_family: "LINUX" } }),
    );
    const r = resourceOf(estimate([stack]), "aws_ecs_service.svc");
    expect(r.components.map((c) => c.priceKey)).toEqual([
      "fargate.vcpu-hour.linux.arm64",
      "fargate.gb-hour.linux.arm64",
    ]);
    expect(r.monthlyCost).toBeCloseTo(
      730 * p("fargate.vcpu-hour.linux.arm64") + 1460 * p("fargate.gb-hour.linux.arm64"),
      6,
    );
    const x86 = 730 * p("fargate.vcpu-hour.linux.x86_64") + 1460 * p("fargate.gb-hour.linux.x86_64");
    expect(r.monthlyCost).toBeLessThan(x86);
  });

  it("a capacity provider strategy splits tasks: the base on FARGATE, the rest by weight, Spot at Spot prices", () => {
    const strategy = [
      { capacity_provider: "FARGATE", base: 1, weight: 1 },
      { capacity_provider: "FARGATE_SPOT", base: 0, weight: 3 },
    ];
    const stack = fixtureStack(
      "s",
      fargateService({ launch_type: undefined, desired_count: 5, capacity_provider_strategy: strategy }),
    );
    const r = resourceOf(estimate([stack]), "aws_ecs_service.svc");
    // 5 tasks: 1 base on FARGATE; 4 left split 1:3 → FARGATE 1 + 1 = 2, FARGATE_SPOT 3
    expect(componentOf(r, "Fargate vCPU (Linux/X86_64, on-demand)").monthlyQuantity).toBe(2 * 0.5 * H);
    expect(componentOf(r, "Fargate vCPU (Linux/X86_64, Spot)").monthlyQuantity).toBe(3 * 0.5 * H);
    expect(componentOf(r, "Fargate memory (Linux/X86_64, Spot)").monthlyQuantity).toBe(3 * 1 * H);
    const expected =
      2 * (0.5 * H * p("fargate.vcpu-hour.linux.x86_64") + 1 * H * p("fargate.gb-hour.linux.x86_64")) +
      3 * (0.5 * H * p("fargate-spot.vcpu-hour.linux.x86_64") + 1 * H * p("fargate-spot.gb-hour.linux.x86_64"));
    expect(r.monthlyCost).toBeCloseTo(expected, 6);
  });

  it("ARM64 on FARGATE_SPOT is priced at the ARM64 Spot prices", () => {
    const stack = fixtureStack(
      "s",
      fargateService(
        { launch_type: undefined, capacity_provider_strategy: [{ capacity_provider: "FARGATE_SPOT", weight: 1 }] },
        { runtime_platform: { cpu_architecture: "ARM64" } },
      ),
    );
    const r = resourceOf(estimate([stack]), "aws_ecs_service.svc");
    expect(r.monthlyCost).toBeCloseTo(
      730 * p("fargate-spot.vcpu-hour.linux.arm64") + 1460 * p("fargate-spot.gb-hour.linux.arm64"),
      6,
    );
  });

  it("without a launch type or strategy the cluster's default capacity provider strategy applies", () => {
    const resources: TerraformJson = fargateService({ launch_type: undefined });
    resources.aws_ecs_cluster_capacity_providers = {
      cp: {
        cluster_name: "${aws_ecs_cluster.cluster.name}",
        capacity_providers: ["FARGATE", "FARGATE_SPOT"],
        default_capacity_provider_strategy: [{ capacity_provider: "FARGATE_SPOT", base: 0, weight: 1 }],
      },
    };
    const r = resourceOf(estimate([fixtureStack("s", resources)]), "aws_ecs_service.svc");
    expect(r.components.map((c) => c.name)).toEqual([
      "Fargate vCPU (Linux/X86_64, Spot)",
      "Fargate memory (Linux/X86_64, Spot)",
    ]);
    expect(r.components[0].detail).toBe("2 tasks × 0.5 vCPU × 730 h");
  });

  it("a log-router sidecar is part of the task's size: the task's cpu/memory are priced, not the containers' sum", () => {
    const sidecar = JSON.stringify([
      { name: "app", essential: true },
      { name: "log-router", cpu: 51, memory: 128, firelensConfiguration: { type: "fluentbit" } },
    ]);
    const r = resourceOf(
      estimate([fixtureStack("s", fargateService({}, { container_definitions: sidecar }))]),
      "aws_ecs_service.svc",
    );
    expect(r.components[0].detail).toBe("2 tasks × 0.5 vCPU × 730 h");
    expect(r.monthlyCost).toBeCloseTo(
      2 * (0.5 * H * p("fargate.vcpu-hour.linux.x86_64") + 1 * H * p("fargate.gb-hour.linux.x86_64")),
      6,
    );
  });

  it("a log router's own awslogs group is not charged the tasks' log volume", () => {
    const resources: TerraformJson = fargateService(
      {},
      {
        container_definitions: JSON.stringify([
          { name: "app", logConfiguration: { logDriver: "awsfirelens" } },
          {
            name: "log-router",
            firelensConfiguration: { type: "fluentbit" },
            logConfiguration: {
              logDriver: "awslogs",
              options: { "awslogs-group": "${aws_cloudwatch_log_group.router.name}" },
            },
          },
        ]),
      },
    );
    resources.aws_cloudwatch_log_group = { router: { name: "/ecs/x/router", retention_in_days: 7 } };
    const group = resourceOf(estimate([fixtureStack("s", resources)]), "aws_cloudwatch_log_group.router");
    expect(group.components.map((c) => c.detail).join(" ")).not.toContain("task");
  });

  it("autoscaling: the report prices desired_count and gives the totals at the target's min and max", () => {
    const resources: TerraformJson = fargateService({ desired_count: 3 });
    resources.aws_appautoscaling_target = {
      t: {
        min_capacity: 2,
        max_capacity: 6,
        resource_id: "service/${aws_ecs_cluster.cluster.name}/${aws_ecs_service.svc.name}",
        scalable_dimension: "ecs:service:DesiredCount",
        service_namespace: "ecs",
      },
    };
    const report = estimate([fixtureStack("s", resources)]);
    const perTask = 0.5 * H * p("fargate.vcpu-hour.linux.x86_64") + 1 * H * p("fargate.gb-hour.linux.x86_64");
    expect(resourceOf(report, "aws_ecs_service.svc").tasks).toEqual({ min: 2, desired: 3, max: 6 });
    expect(report.stacks[0].monthlyCost).toBeCloseTo(3 * perTask, 6);
    expect(report.stacks[0].atMinTasks).toBeCloseTo(2 * perTask, 6);
    expect(report.stacks[0].atMaxTasks).toBeCloseTo(6 * perTask, 6);
    expect(report.total.atMaxTasks).toBeCloseTo(6 * perTask, 6);
  });

  it("a desired_count only known after apply is unpriced with the expression, never $0", () => {
    const report = estimate([fixtureStack("s", fargateService({ desired_count: "${var.tasks}" }))]);
    const r = resourceOf(report, "aws_ecs_service.svc");
    for (const c of r.components) {
      expect(c).toMatchObject({ monthlyQuantity: null, monthlyCost: null });
      expect(c.unpriced).toBe("desired_count is ${var.tasks}, known only after apply");
    }
    expect(r.unpricedComponents).toBe(2);
    expect(report.total.unpricedComponents).toBe(2);
    expect(report.unpriced.map((u) => u.component)).toEqual([
      "Fargate vCPU (Linux/X86_64, on-demand)",
      "Fargate memory (Linux/X86_64, on-demand)",
    ]);
  });

  it("tasks with a public IP pay for one IPv4 address each", () => {
    const stack = fixtureStack("s", fargateService({ network_configuration: { assign_public_ip: true } }));
    const c = componentOf(resourceOf(estimate([stack]), "aws_ecs_service.svc"), "Public IPv4 addresses (one per task)");
    expect(c.monthlyCost).toBeCloseTo(2 * H * p("public-ipv4.hour"), 6); // 2 tasks × 730 h × $/IPv4-hour
  });

  it("Container Insights: 12 + 15 per service + 11 per task family metrics, and performance events per task", () => {
    const resources: TerraformJson = fargateService();
    resources.aws_ecs_cluster.cluster.setting = [{ name: "containerInsights", value: "enabled" }];
    const r = resourceOf(
      estimate([fixtureStack("s", resources)], { "containerInsights.logGBPerTaskMonth": 0.25 }),
      "aws_ecs_cluster.cluster",
    );
    expect(componentOf(r, "Container Insights metrics").monthlyQuantity).toBe(12 + 15 + 11);
    // 2 tasks × 0.25 GB ingested
    expect(componentOf(r, "Container Insights performance events ingested").monthlyCost).toBeCloseTo(
      0.5 * p("logs.ingest.gb"),
      6,
    );
    expect(r.monthlyCost).toBeCloseTo(38 * p("cloudwatch.metric") + 0.5 * p("logs.ingest.gb"), 6);
  });

  it("a target tracking policy pays for the two alarms AWS creates for it", () => {
    const stack = fixtureStack("s", { aws_appautoscaling_policy: { cpu: { policy_type: "TargetTrackingScaling" } } });
    expect(resourceOf(estimate([stack]), "aws_appautoscaling_policy.cpu").monthlyCost).toBeCloseTo(
      2 * p("cloudwatch.alarm.standard"),
      6,
    );
  });
});

describe("network", () => {
  it("a NAT gateway: hours and GB processed; its Elastic IP: a public IPv4 address", () => {
    const stack = fixtureStack("s", {
      aws_nat_gateway: { nat: { allocation_id: "${aws_eip.eip.id}" } },
      aws_eip: { eip: { domain: "vpc" } },
    });
    const report = estimate([stack], { "nat.gbPerGatewayMonth": 100 });
    expect(resourceOf(report, "aws_nat_gateway.nat").monthlyCost).toBeCloseTo(
      730 * p("nat.hour") + 100 * p("nat.gb"),
      6,
    );
    expect(resourceOf(report, "aws_eip.eip").monthlyCost).toBeCloseTo(730 * p("public-ipv4.hour"), 6);
  });

  it("an interface endpoint pays per subnet (one ENI per AZ); a gateway endpoint is free; an unknown subnet list is unpriced", () => {
    const stack = fixtureStack("s", {
      aws_vpc_endpoint: {
        two: {
          vpc_endpoint_type: "Interface",
          service_name: "com.amazonaws.ap-northeast-1.logs",
          subnet_ids: ["${aws_subnet.a.id}", "${aws_subnet.c.id}"],
        },
        s3: { vpc_endpoint_type: "Gateway", service_name: "com.amazonaws.ap-northeast-1.s3" },
        unknown: { vpc_endpoint_type: "Interface", subnet_ids: "${var.subnets}" },
      },
    });
    const report = estimate([stack], { "vpcEndpoint.gbPerEndpointMonth": 10 });
    // 2 ENIs × 730 h + 10 GB
    expect(resourceOf(report, "aws_vpc_endpoint.two").monthlyCost).toBeCloseTo(
      2 * 730 * p("vpce.interface.eni-hour") + 10 * p("vpce.interface.gb"),
      6,
    );
    expect(resourceOf(report, "aws_vpc_endpoint.s3").free).toMatch(/gateway endpoints/);
    const unknown = componentOf(resourceOf(report, "aws_vpc_endpoint.unknown"), "Interface endpoint hours (per AZ)");
    expect(unknown).toMatchObject({
      monthlyCost: null,
      unpriced: "subnet_ids is ${var.subnets}, a list known only after apply",
    });
  });

  it("an internet-facing ALB: hours, LCUs from the traffic, data out and one public IPv4 per AZ", () => {
    const stack = fixtureStack("s", {
      aws_lb: { alb: { internal: false, load_balancer_type: "application", subnets: ["a", "b"] } },
    });
    const report = estimate([stack], {
      "traffic.requestsPerSecond": 100,
      "traffic.requestsPerConnection": 4,
      "traffic.connectionSeconds": 20,
      "traffic.requestKB": 2,
      "traffic.responseKB": 30,
    });
    const r = resourceOf(report, "aws_lb.alb");
    // new connections 100/4 = 25/s → 1 LCU; active 25 × 20 = 500 → 0.167; GB/h 100 × 3600 × 32 KB / 1024² = 10.986 → 10.986 LCU
    const gbPerHour = (100 * 3600 * 32) / KB_PER_GB;
    expect(componentOf(r, "Load balancer capacity units").monthlyQuantity).toBeCloseTo(gbPerHour * H, 4);
    const egressGB = (100 * 730 * 3600 * 30) / KB_PER_GB;
    const expected =
      H * p("alb.hour") +
      gbPerHour * H * p("alb.lcu-hour") +
      egressGB * p("data-transfer.internet-out.gb") +
      2 * H * p("public-ipv4.hour");
    expect(r.monthlyCost).toBeCloseTo(expected, 4);
  });

  it("an internal ALB has no public addresses and sends nothing to the internet", () => {
    const stack = fixtureStack("s", { aws_lb: { alb: { internal: true, subnets: ["a", "b"] } } });
    const names = resourceOf(estimate([stack]), "aws_lb.alb").components.map((c) => c.name);
    expect(names).toEqual(["Application Load Balancer hours", "Load balancer capacity units"]);
  });

  it("listener rules beyond ten add rule evaluations", () => {
    const rules = Object.fromEntries(
      Array.from({ length: 15 }, (_, i) => [
        `r${i}`,
        { listener_arn: "${aws_lb_listener.https.arn}", priority: i + 1 },
      ]),
    );
    const stack = fixtureStack("s", {
      aws_lb: { alb: { internal: true, subnets: ["a", "b"] } },
      aws_lb_listener: { https: { load_balancer_arn: "${aws_lb.alb.arn}", port: 443 } },
      aws_lb_listener_rule: rules,
    });
    const report = estimate([stack], {
      "traffic.requestsPerSecond": 1000,
      "traffic.requestKB": 0,
      "traffic.responseKB": 0,
      "traffic.requestsPerConnection": 1000,
      "traffic.connectionSeconds": 1,
    });
    // 1000 requests/s × (15 − 10) rules = 5,000 evaluations/s ÷ 1,000 = 5 LCU
    expect(componentOf(resourceOf(report, "aws_lb.alb"), "Load balancer capacity units").monthlyQuantity).toBeCloseTo(
      5 * H,
      6,
    );
  });
});

describe("databases", () => {
  it("RDS Multi-AZ: instance and storage at the Multi-AZ prices, backups, the managed secret and exported logs", () => {
    const stack = fixtureStack("s", {
      aws_db_instance: {
        db: {
          engine: "postgres",
          instance_class: "db.t3.small",
          multi_az: true,
          allocated_storage: 50,
          storage_type: "gp3",
          backup_retention_period: 7,
          manage_master_user_password: true,
          enabled_cloudwatch_logs_exports: ["postgresql"],
        },
      },
    });
    const r = resourceOf(
      estimate([stack], {
        "database.dailyChangeRate": 0.05,
        "database.logGBPerMonth": 2,
        "retention.unboundedMonths": 12,
      }),
      "aws_db_instance.db",
    );
    // backups beyond the free copy: 50 GB × 0.05 a day × 7 days = 17.5 GB; logs never expire: 2 GB × 12 months held
    const expected =
      H * p("rds.postgres.instance-hour.db.t3.small.multi-az") +
      50 * p("rds.storage.gp3.multi-az") +
      17.5 * p("rds.backup.gb-month") +
      p("secretsmanager.secret-month") +
      2 * p("logs.ingest.gb") +
      24 * p("logs.storage.gb-month");
    expect(r.monthlyCost).toBeCloseTo(expected, 6);
    expect(p("rds.postgres.instance-hour.db.t3.small.multi-az")).toBeCloseTo(
      2 * p("rds.postgres.instance-hour.db.t3.small.single-az"),
      9,
    );
  });

  /** An Aurora cluster with a writer and one kept reader, and a reader autoscaling target between min and max. */
  const auroraWithReaderTarget = (min: number, max: number) => {
    const instance = {
      cluster_identifier: "${aws_rds_cluster.c.id}",
      engine: "aurora-postgresql",
      instance_class: "db.r6g.large",
    };
    return fixtureStack("s", {
      aws_rds_cluster: { c: { engine: "aurora-postgresql", backup_retention_period: 7 } },
      aws_rds_cluster_instance: { writer: instance, reader: instance },
      aws_appautoscaling_target: {
        readers: {
          service_namespace: "rds",
          scalable_dimension: "rds:cluster:ReadReplicaCount",
          resource_id: "cluster:${aws_rds_cluster.c.cluster_identifier}",
          min_capacity: min,
          max_capacity: max,
        },
      },
    });
  };

  it("Aurora reader autoscaling: nothing beyond the kept readers at the minimum, max - kept readers at the maximum", () => {
    const report = estimate([auroraWithReaderTarget(1, 3)]);
    const hour = p("aurora.postgresql.instance-hour.db.r6g.large");
    const target = resourceOf(report, "aws_appautoscaling_target.readers");
    expect(target.components).toEqual([]);
    expect(target.free).toMatch(/no charge at the minimum/);
    // At the maximum two more readers (3 - the 1 Terraform keeps) run all month.
    expect(report.stacks[0].atMaxTasks! - report.stacks[0].atMinTasks!).toBeCloseTo(2 * H * hour, 6);
  });

  it("Aurora reader autoscaling with min above the kept readers prices the difference at the minimum", () => {
    const stack = auroraWithReaderTarget(2, 4);
    const c = componentOf(
      resourceOf(estimate([stack]), "aws_appautoscaling_target.readers"),
      "Autoscaled Aurora readers: Aurora postgresql instance (db.r6g.large)",
    );
    expect(c.monthlyCost).toBeCloseTo(1 * H * p("aurora.postgresql.instance-hour.db.r6g.large"), 6);
  });

  it("Aurora: the cluster pays storage, I/O and backups; every instance (writer and readers) its hours", () => {
    const stack = fixtureStack("s", {
      aws_rds_cluster: { c: { engine: "aurora-postgresql", backup_retention_period: 7 } },
      aws_rds_cluster_instance: {
        writer: {
          cluster_identifier: "${aws_rds_cluster.c.id}",
          engine: "aurora-postgresql",
          instance_class: "db.r6g.large",
        },
        reader: {
          cluster_identifier: "${aws_rds_cluster.c.id}",
          engine: "aurora-postgresql",
          instance_class: "db.r6g.large",
        },
      },
    });
    const report = estimate([stack], {
      "database.auroraStorageGB": 100,
      "database.auroraIoMillionsPerMonth": 20,
      "database.dailyChangeRate": 0.01,
    });
    // 100 GB × 0.01 × 7 = 7 GB of backups beyond the free copy
    expect(resourceOf(report, "aws_rds_cluster.c").monthlyCost).toBeCloseTo(
      100 * p("aurora.storage.gb-month.standard") +
        20 * p("aurora.io.million.standard") +
        7 * p("aurora.backup.gb-month"),
      6,
    );
    expect(report.stacks[0].monthlyCost).toBeCloseTo(
      100 * p("aurora.storage.gb-month.standard") +
        20 * p("aurora.io.million.standard") +
        7 * p("aurora.backup.gb-month") +
        2 * H * p("aurora.postgresql.instance-hour.db.r6g.large"),
      6,
    );
  });

  it("a class the price file lacks is unpriced (never $0), naming the key and the file", () => {
    const stack = fixtureStack("s", {
      aws_db_instance: { db: { engine: "postgres", instance_class: "db.m7g.16xlarge", allocated_storage: 20 } },
    });
    const c = componentOf(
      resourceOf(estimate([stack]), "aws_db_instance.db"),
      "RDS postgres instance (db.m7g.16xlarge, Single-AZ)",
    );
    expect(c).toMatchObject({ monthlyQuantity: 730, price: null, monthlyCost: null });
    expect(c.unpriced).toBe(
      'tools/cost/prices/ap-northeast-1.json has no price "rds.postgres.instance-hour.db.m7g.16xlarge.single-az"',
    );
  });
});

describe("dashboards, log metrics, the bastion and CloudFront", () => {
  it("a dashboard is $3 a month, a metric filter's metric $0.30: flat, upper bounds", () => {
    const report = estimate([
      fixtureStack("s", {
        aws_cloudwatch_dashboard: { d: { dashboard_name: "x" } },
        aws_cloudwatch_log_metric_filter: { f: { name: "x" } },
      }),
    ]);
    expect(resourceOf(report, "aws_cloudwatch_dashboard.d").monthlyCost).toBeCloseTo(
      p("cloudwatch.dashboard-month"),
      6,
    );
    expect(p("cloudwatch.dashboard-month")).toBe(3);
    expect(resourceOf(report, "aws_cloudwatch_log_metric_filter.f").monthlyCost).toBeCloseTo(p("cloudwatch.metric"), 6);
  });

  it("an instance runs 730 h at its type's price, plus its gp3 root volume; an unknown type is unpriced", () => {
    const report = estimate([
      fixtureStack("s", {
        aws_instance: {
          bastion: { instance_type: "t3.micro", root_block_device: { volume_size: 8, volume_type: "gp3" } },
          odd: { instance_type: "x9.huge" },
        },
        aws_launch_template: { t: {} },
      }),
    ]);
    expect(resourceOf(report, "aws_instance.bastion").monthlyCost).toBeCloseTo(
      H * p("ec2.t3.micro.hour") + 8 * p("ebs.gp3.gb-month"),
      6,
    );
    expect(
      componentOf(resourceOf(report, "aws_instance.odd"), "EC2 instance (x9.huge, Linux, on-demand)").unpriced,
    ).toMatch(/has no price "ec2\.x9\.huge\.hour"/);
    expect(resourceOf(report, "aws_launch_template.t").free).toMatch(/launch templates/);
  });

  it("CloudFront: HTTPS requests per 10k and data out per GB from the traffic profile, at the edge's prices", () => {
    const report = estimate([fixtureStack("s", { aws_cloudfront_distribution: { cdn: {} } })], {
      "traffic.requestsPerSecond": 10,
      "traffic.responseKB": 64,
    });
    const requests = 10 * H * 3600;
    const r = resourceOf(report, "aws_cloudfront_distribution.cdn");
    expect(componentOf(r, "HTTPS requests").monthlyQuantity).toBeCloseTo(requests / 1e4, 3);
    expect(r.monthlyCost).toBeCloseTo(
      (requests / 1e4) * p("cloudfront.https-requests.10k") +
        ((requests * 64) / KB_PER_GB) * p("cloudfront.data-out.gb"),
      4,
    );
    expect(r.components.every((c) => c.usageBased)).toBe(true);
  });
});

describe("logs, alarms, keys, secrets, DNS, WAF, storage", () => {
  it("a service's log group: tasks × GB ingested, and retention days of it stored", () => {
    const resources: TerraformJson = fargateService(
      {},
      {
        container_definitions: JSON.stringify([
          {
            name: "app",
            logConfiguration: {
              logDriver: "awslogs",
              options: { "awslogs-group": "${aws_cloudwatch_log_group.logs.name}" },
            },
          },
        ]),
      },
    );
    resources.aws_cloudwatch_log_group = { logs: { name: "/ecs/x", retention_in_days: 73 } };
    const r = resourceOf(
      estimate([fixtureStack("s", resources)], { "logs.serviceGBPerTaskMonth": 3 }),
      "aws_cloudwatch_log_group.logs",
    );
    // 2 tasks × 3 GB = 6 GB/month; 73 days = 2.4 months held → 14.4 GB-months
    expect(r.monthlyCost).toBeCloseTo(6 * p("logs.ingest.gb") + 14.4 * p("logs.storage.gb-month"), 6);
  });

  it("flow logs are ingested at the vended rate; a log group without retention holds the usage horizon", () => {
    const stack = fixtureStack("s", {
      aws_cloudwatch_log_group: { flow: { name: "/vpc/flow" } },
      aws_flow_log: {
        f: { log_destination: "${aws_cloudwatch_log_group.flow.arn}", log_destination_type: "cloud-watch-logs" },
      },
    });
    const r = resourceOf(
      estimate([stack], { "logs.flowLogsGBPerVpcMonth": 10, "retention.unboundedMonths": 6 }),
      "aws_cloudwatch_log_group.flow",
    );
    expect(componentOf(r, "Log ingestion: VPC flow logs (vended logs)").priceKey).toBe("logs.vended-ingest.gb");
    expect(r.monthlyCost).toBeCloseTo(10 * p("logs.vended-ingest.gb") + 60 * p("logs.storage.gb-month"), 6);
  });

  it("flat monthly charges: alarm, KMS key, secret, hosted zone, health check with HTTPS, web ACL with its rules", () => {
    const stack = fixtureStack("s", {
      aws_cloudwatch_metric_alarm: { a: { period: 300 }, fast: { period: 10 } },
      aws_kms_key: { k: {} },
      aws_secretsmanager_secret: { s: {} },
      aws_route53_zone: { z: { name: "example.com" } },
      aws_route53_health_check: { h: { type: "HTTPS", request_interval: 30 } },
      aws_wafv2_web_acl: { acl: { rule: [{ name: "a" }, { name: "b" }, { name: "c" }] } },
      aws_ssm_parameter: { std: { tier: "Standard" }, adv: { tier: "Advanced" } },
    });
    const report = estimate([stack], {
      "kms.requestsPerKeyMonth": 20000,
      "secrets.apiCallsPerSecretMonth": 30000,
      "traffic.requestsPerSecond": 10,
    });
    const cost = (a: string) => resourceOf(report, a).monthlyCost;
    expect(cost("aws_cloudwatch_metric_alarm.a")).toBeCloseTo(p("cloudwatch.alarm.standard"), 6);
    expect(cost("aws_cloudwatch_metric_alarm.fast")).toBeCloseTo(p("cloudwatch.alarm.high-resolution"), 6);
    expect(cost("aws_kms_key.k")).toBeCloseTo(p("kms.key-month") + 2 * p("kms.requests.10k"), 6);
    expect(cost("aws_secretsmanager_secret.s")).toBeCloseTo(
      p("secretsmanager.secret-month") + 3 * p("secretsmanager.api.10k"),
      6,
    );
    expect(cost("aws_route53_zone.z")).toBeCloseTo(p("route53.zone-month"), 6);
    expect(cost("aws_route53_health_check.h")).toBeCloseTo(
      p("route53.health-check.aws-endpoint-month") + p("route53.health-check.aws-endpoint-feature-month"),
      6,
    );
    // 10 requests/s × 730 × 3600 s = 26.28 million requests
    expect(cost("aws_wafv2_web_acl.acl")).toBeCloseTo(
      p("waf.web-acl-month") + 3 * p("waf.rule-month") + 26.28 * p("waf.requests.million"),
      6,
    );
    expect(resourceOf(report, "aws_ssm_parameter.std").free).toMatch(/standard parameters/);
    expect(cost("aws_ssm_parameter.adv")).toBeCloseTo(p("ssm.parameter.advanced-month"), 6);
  });

  it("ECR keeps the images its lifecycle policy's count rule says; S3 holds data per its lifecycle rules", () => {
    const policy = JSON.stringify({
      rules: [{ selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 25 } }],
    });
    const stack = fixtureStack("s", {
      aws_ecr_repository: { repo: { name: "r" } },
      aws_ecr_lifecycle_policy: { keep: { repository: "${aws_ecr_repository.repo.name}", policy } },
      aws_s3_bucket: { logs: {} },
      aws_s3_bucket_lifecycle_configuration: {
        lc: {
          bucket: "${aws_s3_bucket.logs.id}",
          rule: [
            { status: "Enabled", expiration: [{ days: 365 }], transition: [{ days: 90, storage_class: "GLACIER" }] },
          ],
        },
      },
    });
    const report = estimate([stack], {
      "ecr.imageSizeGB": 0.4,
      "s3.gbWrittenPerBucketMonth": 10,
      "s3.putRequestsPerBucketMonth": 5000,
    });
    expect(resourceOf(report, "aws_ecr_repository.repo").monthlyCost).toBeCloseTo(
      25 * 0.4 * p("ecr.storage.gb-month"),
      6,
    );
    // 10 GB/month: 90 days in Standard (90 / 30.4167 months), 275 days in Glacier Flexible Retrieval
    const month = 730 / 24;
    expect(resourceOf(report, "aws_s3_bucket.logs").monthlyCost).toBeCloseTo(
      ((10 * 90) / month) * p("s3.standard.gb-month") +
        ((10 * 275) / month) * p("s3.glacier-flexible.gb-month") +
        5 * p("s3.put.1k"),
      6,
    );
  });

  it("an on-demand DynamoDB table with point-in-time recovery", () => {
    const stack = fixtureStack("s", {
      aws_dynamodb_table: { t: { billing_mode: "PAY_PER_REQUEST", point_in_time_recovery: { enabled: true } } },
    });
    const r = resourceOf(
      estimate([stack], {
        "dynamodb.writeRequestsPerTableMonth": 2e6,
        "dynamodb.readRequestsPerTableMonth": 4e6,
        "dynamodb.storageGBPerTable": 3,
      }),
      "aws_dynamodb_table.t",
    );
    expect(r.monthlyCost).toBeCloseTo(
      2 * p("dynamodb.write.million") +
        4 * p("dynamodb.read.million") +
        3 * p("dynamodb.storage.gb-month") +
        3 * p("dynamodb.pitr.gb-month"),
      6,
    );
  });
});

describe("what cannot be priced", () => {
  it("count multiplies every component; a count only known after apply makes them unpriced", () => {
    const stack = fixtureStack("s", { aws_eip: { three: { count: 3 }, some: { count: "${length(var.azs)}" } } });
    const report = estimate([stack]);
    expect(resourceOf(report, "aws_eip.three").monthlyCost).toBeCloseTo(3 * H * p("public-ipv4.hour"), 6);
    expect(resourceOf(report, "aws_eip.some").components[0].unpriced).toBe(
      "count is ${length(var.azs)}, known only after apply",
    );
  });

  it("a type without a cost model is reported as not modeled; other providers' resources are free", () => {
    const report = estimate([fixtureStack("s", { aws_lambda_function: { fn: {} }, terraform_data: { x: {} } })]);
    expect(resourceOf(report, "aws_lambda_function.fn").components[0].unpriced).toMatch(
      /^no cost model for aws_lambda_function\. Fix: /,
    );
    expect(resourceOf(report, "terraform_data.x").free).toBe("not an AWS resource");
    expect(report.total).toMatchObject({ monthlyCost: 0, unpricedComponents: 1 });
  });

  it("a region without a price file is an error naming the region and the fix", () => {
    expect(() => estimate([fixtureStack("s", { aws_eip: { e: {} } }, { region: "eu-west-3" })])).toThrow(
      /no price file for region eu-west-3 \(tools\/cost\/prices\/eu-west-3\.json\)\. Priced regions: ap-northeast-1, us-east-1, us-west-2\. Fix: copy one of them to eu-west-3\.json/,
    );
  });

  it("a stack whose AWS provider has no literal region leaves its costs unpriced", () => {
    const stack = fixtureStack("s", { aws_eip: { e: {} } }, { region: "${var.region}" });
    expect(resourceOf(estimate([stack]), "aws_eip.e").components[0].unpriced).toMatch(/no literal region/);
  });
});

describe("the account baseline: GuardDuty and AWS Config", () => {
  const stack = fixtureStack("account-baseline-x", {
    aws_guardduty_detector: { g: { enable: true } },
    aws_guardduty_detector_feature: {
      s3: { detector_id: "${aws_guardduty_detector.g.id}", name: "S3_DATA_EVENTS", status: "ENABLED" },
      runtime: { detector_id: "${aws_guardduty_detector.g.id}", name: "RUNTIME_MONITORING", status: "ENABLED" },
      off: { detector_id: "${aws_guardduty_detector.g.id}", name: "RUNTIME_MONITORING", status: "DISABLED" },
    },
    aws_config_configuration_recorder: {
      continuous: { recording_mode: { recording_frequency: "CONTINUOUS" } },
      daily: { recording_mode: { recording_frequency: "DAILY" } },
      unset: {},
    },
    aws_config_delivery_channel: { c: {} },
    aws_config_configuration_recorder_status: { s: {} },
    aws_budgets_budget: { b: {} },
  });
  const report = estimate([stack], {
    "guardDuty.cloudTrailEventsMillionsPerMonth": 2,
    "guardDuty.flowAndDnsLogGBPerMonth": 10,
    "guardDuty.s3DataEventsMillionsPerMonth": 3,
    "guardDuty.monitoredFargateVcpus": 4,
    "config.continuousItemsPerMonth": 5000,
    "config.dailyItemsPerMonth": 600,
  });
  const cost = (a: string) => resourceOf(report, a).monthlyCost;

  it("GuardDuty: management events and flow/DNS logs on the detector, each protection plan on its feature", () => {
    expect(cost("aws_guardduty_detector.g")).toBeCloseTo(
      2 * p("guardduty.cloudtrail-events.million") + 10 * p("guardduty.flow-dns-logs.gb"),
      6,
    );
    expect(cost("aws_guardduty_detector_feature.s3")).toBeCloseTo(3 * p("guardduty.s3-data-events.million"), 6);
    expect(cost("aws_guardduty_detector_feature.runtime")).toBeCloseTo(
      4 * p("guardduty.runtime-monitoring.vcpu-month"),
      6,
    );
    expect(cost("aws_guardduty_detector_feature.off")).toBe(0);
  });

  it("Config: items at the continuous price (also when unset, AWS's default) or at the periodic one", () => {
    expect(cost("aws_config_configuration_recorder.continuous")).toBeCloseTo(5000 * p("config.item.continuous"), 6);
    expect(cost("aws_config_configuration_recorder.unset")).toBeCloseTo(5000 * p("config.item.continuous"), 6);
    expect(cost("aws_config_configuration_recorder.daily")).toBeCloseTo(600 * p("config.item.periodic"), 6);
  });

  it("the delivery channel, the recorder status and one budget cost nothing by themselves", () => {
    for (const a of [
      "aws_config_delivery_channel.c",
      "aws_config_configuration_recorder_status.s",
      "aws_budgets_budget.b",
    ]) {
      expect(cost(a)).toBe(0);
    }
  });
});
