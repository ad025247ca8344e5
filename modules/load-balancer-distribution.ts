import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import {
  CloudfrontDistribution,
  type CloudfrontDistributionOrderedCacheBehavior,
} from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudfrontOriginRequestPolicy } from "@cdktf/provider-aws/lib/cloudfront-origin-request-policy";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogDeliverySource } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery-source";
import { CloudwatchLogDeliveryDestination } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination";
import { CloudwatchLogDelivery } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery";

/** AWS-managed CloudFront policies, by their fixed ids (the same in every account; no lookup needed). */
export const MANAGED_POLICY = {
  /** Cache key: the URL path and the normalized Accept-Encoding; long TTLs. */
  cachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
  /** Nothing is cached. */
  cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
  /** Every header (Host included), cookie and query string of the viewer goes to the origin. */
  allViewer: "216adef6-5c7f-47e4-b989-5492eafa07d3",
} as const;

const ALL_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];
const READ_METHODS = ["GET", "HEAD", "OPTIONS"];
const CACHED_METHODS = ["GET", "HEAD"];
const ORIGIN_ID = "load-balancer";

export interface LoadBalancerDistributionProps {
  /** Prefix of the names this construct gives (origin request policy, log group, log delivery). */
  readonly name: string;
  /** Names viewers use; the certificate covers them. */
  readonly aliases: readonly string[];
  /** ACM certificate in us-east-1 for the aliases. */
  readonly certificateArn: string;
  /** e.g. TLSv1.2_2021. */
  readonly minimumProtocolVersion: string;
  /** The load balancer: its DNS name and HTTPS port. Its certificate must cover the aliases (the Host is forwarded). */
  readonly origin: { readonly domainName: string; readonly httpsPort: number };
  /** Path patterns passed through uncached with everything the viewer sent. */
  readonly uncachedPaths: readonly string[];
  /** The default behaviour: cached (a static front end) or uncached. */
  readonly defaultBehavior: "cached" | "uncached";
  readonly priceClass: string;
  /** ARN of a CLOUDFRONT-scope WAF web ACL. Default: none. */
  readonly webAclArn?: string;
  /**
   * Standard access logs (v2) into a CloudWatch Logs group made with this provider (us-east-1, where CloudFront's log
   * delivery lives), kept this many days. Default: none.
   */
  readonly accessLogs?: { readonly retentionDays: number; readonly provider: TerraformProvider };
}

/**
 * A CloudFront distribution in front of a load balancer. Viewers use HTTPS (plain HTTP is redirected; uncached paths
 * refuse it) with TLS 1.2 or later and SNI; CloudFront reaches the load balancer over HTTPS (TLS 1.2) forwarding the
 * viewer's Host, so the load balancer's certificate for the same names validates: every behaviour sends Host (the
 * cached one through a Host-only origin request policy of its own, the uncached ones through AllViewer). IPv6 and
 * HTTP/3 are on. The distribution takes the construct's name (`aws_cloudfront_distribution.<id>`).
 */
export class LoadBalancerDistribution extends Construct {
  readonly distribution: CloudfrontDistribution;

  constructor(scope: Construct, id: string, props: LoadBalancerDistributionProps) {
    super(scope, id);
    const hostOnly = new CloudfrontOriginRequestPolicy(this, "host-only", {
      name: `${props.name}-host-only`,
      comment: "Forward the viewer's Host (the origin's certificate names it), nothing else",
      headersConfig: { headerBehavior: "whitelist", headers: { items: ["Host"] } },
      cookiesConfig: { cookieBehavior: "none" },
      queryStringsConfig: { queryStringBehavior: "none" },
    });
    const uncached = {
      targetOriginId: ORIGIN_ID,
      viewerProtocolPolicy: "https-only",
      allowedMethods: ALL_METHODS,
      cachedMethods: CACHED_METHODS,
      cachePolicyId: MANAGED_POLICY.cachingDisabled,
      originRequestPolicyId: MANAGED_POLICY.allViewer,
      compress: true,
    };
    const cached = {
      targetOriginId: ORIGIN_ID,
      viewerProtocolPolicy: "redirect-to-https",
      allowedMethods: READ_METHODS,
      cachedMethods: CACHED_METHODS,
      cachePolicyId: MANAGED_POLICY.cachingOptimized,
      originRequestPolicyId: hostOnly.id,
      compress: true,
    };
    const ordered: CloudfrontDistributionOrderedCacheBehavior[] = props.uncachedPaths.map((pathPattern) => ({
      pathPattern,
      ...uncached,
    }));
    this.distribution = new CloudfrontDistribution(this, "this-distribution", {
      enabled: true,
      comment: `${props.name}: ${props.aliases.join(", ")}`,
      aliases: [...props.aliases],
      httpVersion: "http2and3",
      isIpv6Enabled: true,
      priceClass: props.priceClass,
      webAclId: props.webAclArn,
      origin: [
        {
          originId: ORIGIN_ID,
          domainName: props.origin.domainName,
          customOriginConfig: {
            httpPort: 80,
            httpsPort: props.origin.httpsPort,
            originProtocolPolicy: "https-only",
            originSslProtocols: ["TLSv1.2"],
          },
        },
      ],
      defaultCacheBehavior: props.defaultBehavior === "cached" ? cached : uncached,
      orderedCacheBehavior: ordered.length > 0 ? ordered : undefined,
      viewerCertificate: {
        acmCertificateArn: props.certificateArn,
        sslSupportMethod: "sni-only",
        minimumProtocolVersion: props.minimumProtocolVersion,
      },
      restrictions: { geoRestriction: { restrictionType: "none" } },
    });
    if (props.accessLogs) this.accessLogs(props.name, props.accessLogs);
  }

  /** Standard logging v2: the distribution as a delivery source, a log group as the destination, and the delivery. */
  private accessLogs(name: string, logs: { retentionDays: number; provider: TerraformProvider }) {
    const scope = new Construct(this, "access-logs");
    const provider = logs.provider;
    const group = new CloudwatchLogGroup(scope, "this-log-group", {
      name: `/aws/cloudfront/${name}`,
      retentionInDays: logs.retentionDays,
      provider,
    });
    const source = new CloudwatchLogDeliverySource(scope, "this-source", {
      name: `${name}-cloudfront`,
      logType: "ACCESS_LOGS",
      resourceArn: this.distribution.arn,
      provider,
    });
    const destination = new CloudwatchLogDeliveryDestination(scope, "this-destination", {
      name: `${name}-cloudfront-logs`,
      outputFormat: "json",
      deliveryDestinationConfiguration: [{ destinationResourceArn: group.arn }],
      provider,
    });
    new CloudwatchLogDelivery(scope, "this-delivery", {
      deliverySourceName: source.name,
      deliveryDestinationArn: destination.arn,
      provider,
    });
  }
}
