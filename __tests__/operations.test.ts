import { errorsAfter } from "./helpers/blueprint-errors";
import { onlyResource, resourcesOf, stackById, synthToTemp } from "./helpers/synth";
import type { SynthesizedStack, TerraformJson } from "../tools/terraform/cdktf-out";
import { fastapiAurora } from "../blueprints/fastapi-aurora";
import { markmail } from "../blueprints/markmail";
import { libraryApp } from "../blueprints/library-app";
import type { BlueprintInput } from "../schema/blueprint";
import { stackReadme } from "../tools/handoff/readme";

/** The operations fields' cross-field rules and the bastion stack, on the blueprints that use them. */

function expectError(bp: BlueprintInput, change: (bp: BlueprintInput) => void, path: string, ...fragments: string[]) {
  const line = errorsAfter<BlueprintInput>(bp, change).find((l) => l.includes(`${path} =`));
  expect({ path, line }).toEqual({ path, line: expect.stringContaining("Fix:") });
  for (const f of fragments) expect(line).toContain(f);
}

describe("monitoring: each mistake names the field and the fix", () => {
  it("an alarm of tier warning without a warning topic", () =>
    expectError(
      libraryApp,
      (bp) => (bp.monitoring!.cpuUtilization!.tier = "warning"),
      "monitoring.cpuUtilization.tier",
      "add monitoring.warning",
    ));
  it("a database alarm without a database", () =>
    expectError(
      libraryApp,
      (bp) => {
        delete bp.database;
        bp.services.forEach((s) => {
          s.databaseAccess = false;
          s.environment = {};
          s.secrets = { APP_KEY: { secretsManager: "library-app/prod/app-key" } };
        });
      },
      "monitoring.databaseConnections",
      "lacks",
    ));
  it("the Aurora volume alarm on an RDS instance", () =>
    expectError(
      libraryApp,
      (bp) => (bp.monitoring!.auroraVolumeUsed = { thresholdGiB: 10 }),
      "monitoring.auroraVolumeUsed",
      "databaseFreeStorage",
    ));
  it("an error-log filter for a service that does not exist", () =>
    expectError(
      libraryApp,
      (bp) => (bp.monitoring!.errorLogs!.services = ["api"]),
      "monitoring.errorLogs.services[0]",
      "backend, frontend",
    ));
  it("a dashboard name CloudWatch refuses", () =>
    expectError(
      markmail,
      (bp) => (bp.monitoring!.dashboard!.name = "MarkMail dev"),
      "monitoring.dashboard.name",
      "letters, digits, - and _",
    ));
  it("accepts both topics, tiers and the >= comparison", () => {
    expect(errorsAfter<BlueprintInput>(fastapiAurora, () => undefined)).toEqual([]);
  });
});

describe("bastion: refused where it could not work", () => {
  it("without NAT or the Session Manager endpoints, naming the missing ones", () =>
    expectError(
      fastapiAurora,
      (bp) => (bp.bastion = { enabled: true }),
      "bastion",
      "ssm, ssmmessages, ec2messages",
      "network.vpcEndpoints.interface",
      "network.natGateways",
    ));
  it("accepts the endpoints instead of NAT", () => {
    const errors = errorsAfter<BlueprintInput>(fastapiAurora, (bp) => {
      bp.bastion = { enabled: true };
      bp.network.vpcEndpoints!.interface!.push("ssm", "ssmmessages", "ec2messages");
    });
    expect(errors).toEqual([]);
  });
  it("in an isolated subnet even with NAT (isolated subnets have no route to it)", () =>
    expectError(
      markmail,
      (bp) => (bp.bastion = { enabled: true, subnets: { tier: "isolated" } }),
      "bastion",
      "from isolated subnets",
    ));
  it("in a public subnet", () =>
    expectError(
      markmail,
      (bp) => (bp.bastion = { enabled: true, subnets: { tier: "public" } }),
      "bastion.subnets.tier",
      "private or isolated",
    ));
  it("an arm64 type with the x86_64 image", () =>
    expectError(
      markmail,
      (bp) => (bp.bastion = { enabled: true, instanceType: "t4g.micro" }),
      "bastion.instanceType",
      "al2023-ami-kernel-default-arm64",
    ));
  it("without a database", () =>
    expectError(
      libraryApp,
      (bp) => {
        delete bp.database;
        delete bp.monitoring;
        bp.bastion = { enabled: true };
        bp.services.forEach((s) => {
          s.databaseAccess = false;
          s.environment = {};
          s.secrets = {};
        });
      },
      "bastion",
      "no database",
    ));
});

describe("the markmail bastion (bastion stack)", () => {
  let stacks: SynthesizedStack[];
  beforeAll(() => {
    stacks = synthToTemp({ blueprint: "markmail" }).stacks;
  });
  const bastion = () => stackById(stacks, "markmail-dev-bastion");

  it("exists in dev only, after network and data", () => {
    expect(stacks.filter((s) => s.id.endsWith("-bastion")).map((s) => s.id)).toEqual(["markmail-dev-bastion"]);
    const deps = stacks.find((s) => s.id === "markmail-dev-bastion")!.dependencies;
    expect([...deps].sort()).toEqual(["markmail-dev-data", "markmail-dev-network"]);
  });

  it("runs in a private subnet with no public IP, no key pair, IMDSv2 only and an encrypted root volume", () => {
    const instance = onlyResource(bastion(), "aws_instance");
    expect(instance.subnet_id).toBe('${data.terraform_remote_state.network.outputs.subnet_ids["private-1a"]}');
    expect(instance).toMatchObject({
      associate_public_ip_address: false,
      instance_type: "t3.micro",
      credit_specification: { cpu_credits: "standard" },
      metadata_options: { http_tokens: "required", http_endpoint: "enabled", http_put_response_hop_limit: 1 },
      root_block_device: { encrypted: true, volume_type: "gp3", volume_size: 8 },
      tags: { Name: "markmail-dev-bastion" },
    });
    expect(instance.key_name).toBeUndefined();
    expect(instance.user_data).toBeUndefined();
  });

  it("takes its image from the public AL2023 parameter at launch, through a launch template (no ami to drift)", () => {
    const instance = onlyResource(bastion(), "aws_instance");
    expect(instance.ami).toBeUndefined();
    const template = onlyResource(bastion(), "aws_launch_template");
    expect(template.image_id).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
    expect(instance.launch_template).toEqual({
      id: "${aws_launch_template.bastion.id}",
      version: "${aws_launch_template.bastion.latest_version}",
    });
  });

  it("admits nothing inbound and may leave only on 443 and to the database, which admits it on 5432", () => {
    const b = bastion();
    const group = onlyResource(b, "aws_security_group");
    expect(group.ingress).toBeUndefined();
    const egress = resourcesOf(b, "aws_vpc_security_group_egress_rule").map((r) => [
      r.from_port,
      r.cidr_ipv4 ?? r.referenced_security_group_id,
    ]);
    expect(egress.sort()).toEqual(
      [
        [443, "0.0.0.0/0"],
        [5432, "${data.terraform_remote_state.network.outputs.db_security_group_id}"],
      ].sort(),
    );
    const ingress = resourcesOf(b, "aws_vpc_security_group_ingress_rule");
    expect(ingress).toEqual([
      expect.objectContaining({
        security_group_id: "${data.terraform_remote_state.network.outputs.db_security_group_id}",
        referenced_security_group_id: "${aws_security_group.bastion.id}",
        from_port: 5432,
        to_port: 5432,
        ip_protocol: "tcp",
      }),
    ]);
  });

  it("has a role EC2 assumes with AmazonSSMManagedInstanceCore only, through an instance profile", () => {
    const b = bastion();
    expect(resourcesOf(b, "aws_iam_role_policy_attachment").map((a) => a.policy_arn)).toEqual([
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ]);
    expect(resourcesOf(b, "aws_iam_role_policy")).toEqual([]);
    const trust = Object.values<TerraformJson>(b.data.aws_iam_policy_document)[0];
    expect(trust.statement[0].principals[0].identifiers).toEqual(["ec2.amazonaws.com"]);
    expect(onlyResource(b, "aws_instance").iam_instance_profile).toBe("${aws_iam_instance_profile.bastion.name}");
    expect(Object.keys(b.output).sort()).toEqual([
      "bastion_database_address",
      "bastion_instance_id",
      "bastion_security_group_id",
    ]);
  });
});

describe("cloudFront: each mistake names the field and the fix", () => {
  it("without an HTTPS listener whose certificate comes from dns", () =>
    expectError(
      libraryApp,
      (bp) => (bp.loadBalancer!.https!.certificate = { source: "variable" }),
      "cloudFront",
      "certificate.source to dns",
    ));
  it("with ingressCidrs that would bypass it", () =>
    expectError(
      libraryApp,
      (bp) => (bp.loadBalancer!.ingressCidrs = ["203.0.113.0/24"]),
      "loadBalancer.ingressCidrs",
      "remove ingressCidrs",
    ));
  it("serving a name that is not a record", () =>
    expectError(libraryApp, (bp) => (bp.cloudFront!.records = ["www"]), "cloudFront.records[0]", '""'));
  it("a prefix list id that is not one", () =>
    expectError(
      libraryApp,
      (bp) => (bp.cloudFront!.originFacingPrefixListId = "com.amazonaws.global.cloudfront.origin-facing"),
      "cloudFront.originFacingPrefixListId",
      "pl-",
    ));
});

describe("the library-app edge (CloudFront in front of the ALB)", () => {
  let stacks: SynthesizedStack[];
  beforeAll(() => {
    stacks = synthToTemp({ blueprint: "library-app" }).stacks;
  });
  const edge = () => stackById(stacks, "library-app-prod-edge");
  const distribution = () => onlyResource(edge(), "aws_cloudfront_distribution");

  it("has a second AWS provider in us-east-1 for the certificate, the web ACL and the log delivery", () => {
    const providers = edge().provider.aws as TerraformJson[];
    expect(providers.map((p) => [p.alias, p.region])).toEqual([
      [undefined, "ap-northeast-1"],
      ["us_east_1", "us-east-1"],
    ]);
    expect(providers[1].default_tags).toEqual(providers[0].default_tags);
    const east = (type: string) => resourcesOf(edge(), type).map((r) => r.provider);
    for (const type of [
      "aws_acm_certificate",
      "aws_acm_certificate_validation",
      "aws_wafv2_web_acl",
      "aws_cloudwatch_log_group",
      "aws_cloudwatch_log_delivery_source",
      "aws_cloudwatch_log_delivery_destination",
      "aws_cloudwatch_log_delivery",
    ]) {
      expect({ type, providers: east(type) }).toEqual({ type, providers: ["aws.us_east_1"] });
    }
    expect(distribution().provider).toBeUndefined();
  });

  it("caches the front end, passes /api/* uncached with everything the viewer sent, HTTPS only", () => {
    const d = distribution();
    expect(d.default_cache_behavior).toMatchObject({
      cache_policy_id: "658327ea-f89d-4fab-a63d-7e88639e58f6",
      origin_request_policy_id: "${aws_cloudfront_origin_request_policy.cdn_host_only.id}",
      viewer_protocol_policy: "redirect-to-https",
      allowed_methods: ["GET", "HEAD", "OPTIONS"],
    });
    expect(d.ordered_cache_behavior).toEqual([
      expect.objectContaining({
        path_pattern: "/api/*",
        cache_policy_id: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
        origin_request_policy_id: "216adef6-5c7f-47e4-b989-5492eafa07d3",
        viewer_protocol_policy: "https-only",
        allowed_methods: ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"],
      }),
    ]);
    // The cached behaviour still sends Host, so the ALB's certificate for library-app.example.com validates.
    expect(onlyResource(edge(), "aws_cloudfront_origin_request_policy").headers_config).toEqual({
      header_behavior: "whitelist",
      headers: { items: ["Host"] },
    });
  });

  it("reaches the ALB over HTTPS (TLS 1.2) and serves viewers the us-east-1 certificate with TLS 1.2+ and SNI", () => {
    const d = distribution();
    expect(d.origin).toEqual([
      expect.objectContaining({
        domain_name: "${data.terraform_remote_state.compute.outputs.alb_dns_name}",
        custom_origin_config: expect.objectContaining({
          origin_protocol_policy: "https-only",
          origin_ssl_protocols: ["TLSv1.2"],
          https_port: 443,
        }),
      }),
    ]);
    expect(d.aliases).toEqual(["library-app.example.com"]);
    expect(d.viewer_certificate).toEqual({
      acm_certificate_arn: "${aws_acm_certificate_validation.cdn_certificate_issued.certificate_arn}",
      ssl_support_method: "sni-only",
      minimum_protocol_version: "TLSv1.2_2021",
    });
    expect(d.price_class).toBe("PriceClass_200");
    // Validated by the dns stack's records for the same name: no validation record here (one owner per record).
    expect(onlyResource(edge(), "aws_acm_certificate").domain_name).toBe("library-app.example.com");
    expect(onlyResource(edge(), "aws_acm_certificate_validation").validation_record_fqdns).toBeUndefined();
    expect(resourcesOf(edge(), "aws_route53_record").map((r) => r.type)).toEqual(["A", "AAAA"]);
  });

  it("puts a CLOUDFRONT-scope web ACL on the distribution, with no regional association", () => {
    const acl = onlyResource(edge(), "aws_wafv2_web_acl");
    expect(acl).toMatchObject({ scope: "CLOUDFRONT", name: "library-app-prod-cdn", default_action: { allow: {} } });
    expect(resourcesOf(edge(), "aws_wafv2_web_acl_association")).toEqual([]);
    expect(distribution().web_acl_id).toBe("${aws_wafv2_web_acl.cdn_waf.arn}");
  });

  it("delivers access logs (v2) to a us-east-1 log group kept 90 days", () => {
    const e = edge();
    expect(onlyResource(e, "aws_cloudwatch_log_group")).toMatchObject({
      name: "/aws/cloudfront/library-app-prod",
      retention_in_days: 90,
    });
    expect(onlyResource(e, "aws_cloudwatch_log_delivery_source")).toMatchObject({
      log_type: "ACCESS_LOGS",
      resource_arn: "${aws_cloudfront_distribution.cdn.arn}",
    });
    expect(onlyResource(e, "aws_cloudwatch_log_delivery")).toMatchObject({
      delivery_source_name: "${aws_cloudwatch_log_delivery_source.cdn_access_logs.name}",
      delivery_destination_arn: "${aws_cloudwatch_log_delivery_destination.cdn_access_logs.arn}",
    });
  });

  it("tells the handoff README's reader which region each AWS provider works in", () => {
    const readme = stackReadme(
      {
        id: "library-app-prod-edge",
        step: 1,
        json: edge(),
        file: "cdk.tf.json",
        reads: [],
        readBy: [],
        lock: { text: "", platforms: ["linux_amd64"], source: "mirror" },
      },
      1,
    );
    expect(readme).toContain("- default: region `ap-northeast-1`\n- `aws.us_east_1`: region `us-east-1`");
  });

  it("points the apex (A and AAAA) at the distribution, and the ALB admits only CloudFront on 443", () => {
    for (const r of resourcesOf(edge(), "aws_route53_record")) {
      expect(r).toMatchObject({
        name: "library-app.example.com",
        zone_id: "${data.terraform_remote_state.dns.outputs.zone_id}",
        alias: {
          name: "${aws_cloudfront_distribution.cdn.domain_name}",
          zone_id: "${aws_cloudfront_distribution.cdn.hosted_zone_id}",
        },
      });
    }
    const albIngress = resourcesOf(
      stackById(stacks, "library-app-prod-network"),
      "aws_vpc_security_group_ingress_rule",
    ).filter((r) => r.security_group_id === "${aws_security_group.alb.id}");
    expect(albIngress.map((r) => [r.from_port, r.prefix_list_id ?? r.cidr_ipv4])).toEqual([[443, "pl-58a04531"]]);
  });
});
