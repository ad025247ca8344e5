import { cdnWebAclName } from "../schema/names";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import type { Deployment } from "../schema/resolve";
import { DnsValidatedCertificate } from "../modules/dns-validated-certificate";
import { IssuedCertificate } from "../modules/issued-certificate";
import { WebAcl } from "../modules/web-acl";
import { LoadBalancerDistribution } from "../modules/load-balancer-distribution";
import { BlueprintStack, type BlueprintStackProps } from "./blueprint-stack";
import type { ComputeStack } from "./compute-stack";
import type { DnsStack } from "./dns-stack";
import { cloudFrontRecords } from "../schema/dns-names";

/** CloudFront's certificates and CLOUDFRONT-scope web ACLs live in us-east-1, whatever the application's region. */
const EDGE_REGION = "us-east-1";

/**
 * CloudFront in front of the load balancer (`cloudFront`): the distribution, its certificate and web ACL in us-east-1
 * (a second AWS provider, alias `us_east_1`), its access logs, and the alias records of the names it serves. After
 * compute, whose load balancer is its origin; the network stack already lets only CloudFront's origin-facing servers
 * reach the load balancer.
 */
export class EdgeStack extends BlueprintStack {
  constructor(
    scope: Construct,
    id: string,
    d: Deployment,
    base: BlueprintStackProps,
    up: { compute: ComputeStack; dns: DnsStack },
  ) {
    super(scope, id, base);
    const cf = d.spec.cloudFront!;
    const compute = this.fromStack(up.compute);
    const zoneId = this.fromStack(up.dns).string("zone_id");
    const edge = new AwsProvider(this, "edge-provider", {
      alias: "us_east_1",
      region: EDGE_REGION,
      allowedAccountIds: base.accountId ? [base.accountId] : undefined,
      defaultTags: [{ tags: base.tags }],
    });
    const records = cloudFrontRecords(d.spec);
    // The load balancer's certificate (dns stack) has the same names, so its validation records validate this one.
    const requested = new DnsValidatedCertificate(this, "cdn-certificate", {
      domainNames: records.map((r) => r.fqdn),
      provider: edge,
    });
    // Applied after compute, whose listener waited for the same names' validation: issued at once.
    const certificate = new IssuedCertificate(this, "cdn-certificate-issued", {
      certificateArn: requested.certificateArn,
      provider: edge,
    });
    const acl =
      cf.waf &&
      new WebAcl(this, "cdn-waf", {
        name: cdnWebAclName(d),
        scope: "CLOUDFRONT",
        managedRuleGroups: cf.waf.managedRuleGroups,
        rateLimit: cf.waf.rateLimit,
        provider: edge,
      });
    const cdn = new LoadBalancerDistribution(this, "cdn", {
      name: d.prefix,
      aliases: records.map((r) => r.fqdn),
      certificateArn: certificate.certificateArn,
      minimumProtocolVersion: cf.minimumProtocolVersion,
      origin: { domainName: compute.string("alb_dns_name"), httpsPort: d.spec.loadBalancer!.https!.port },
      uncachedPaths: cf.uncachedPaths,
      defaultBehavior: cf.defaultBehavior,
      priceClass: cf.priceClass,
      webAclArn: acl ? acl.acl.arn : undefined,
      accessLogs: cf.accessLogs.enabled ? { retentionDays: cf.accessLogs.retentionDays, provider: edge } : undefined,
    });
    const names = new Construct(this, "this-dns");
    for (const record of records) {
      const label = record.label === "" ? "apex" : record.label.replace(/^\*/, "wildcard");
      for (const type of ["A", "AAAA"]) {
        new Route53Record(names, `${label}-${type.toLowerCase()}`, {
          zoneId,
          name: record.fqdn,
          type,
          alias: {
            name: cdn.distribution.domainName,
            zoneId: cdn.distribution.hostedZoneId,
            evaluateTargetHealth: false,
          },
        });
      }
    }
    this.publish("cloudfront_distribution_id", "string", cdn.distribution.id, "CloudFront distribution id");
    this.publish("cloudfront_distribution_arn", "string", cdn.distribution.arn, "CloudFront distribution ARN");
    this.publish(
      "cloudfront_domain_name",
      "string",
      cdn.distribution.domainName,
      "CloudFront domain name (the alias records' target)",
    );
    this.publish(
      "cloudfront_certificate_arn",
      "string",
      certificate.certificateArn,
      "ACM certificate of the distribution (us-east-1)",
    );
    if (acl) this.publish("cloudfront_web_acl_arn", "string", acl.acl.arn, "WAF web ACL on the distribution");
  }
}
