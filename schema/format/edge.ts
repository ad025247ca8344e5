import { z } from "zod";
import { logRetentionDays } from "../primitives";
import { webAclSchema } from "./load-balancer";

/* CloudFront in front of the load balancer (the `edge` stack, after compute). */

/** CloudFront path patterns: `/api/*`, `*.js`, `/images/*.png` ... */
const pathPattern = z
  .string()
  .max(255)
  .regex(/^[/*][A-Za-z0-9_\-.*$/~"'@:+?&=]*$/, {
    error: "is not a CloudFront path pattern. Fix: start with / or *, e.g. /api/*",
  });

export const cloudFrontSchema = z.strictObject({
  /**
   * Names of dns.records ("" is the apex) served through CloudFront: their alias records point at the distribution
   * instead of the load balancer, and its certificate (issued in us-east-1) names them. Default: every record.
   */
  records: z.array(z.string()).min(1).optional(),
  /**
   * Path patterns passed to the load balancer uncached, with every header, cookie and query string of the viewer
   * (managed policies CachingDisabled and AllViewer), HTTPS only: the API. Default: [].
   */
  uncachedPaths: z.array(pathPattern).max(25).default([]),
  /**
   * Every other path: cached (managed policy CachingOptimized: cache key is the URL path, compressed responses; the
   * origin gets the Host header only) for a static front end, or passed uncached like uncachedPaths. Default: cached.
   */
  defaultBehavior: z.enum(["cached", "uncached"]).default("cached"),
  /** Edge locations that serve: All, 200 (no South America or Oceania), 100 (North America and Europe). Default: PriceClass_All. */
  priceClass: z.enum(["PriceClass_All", "PriceClass_200", "PriceClass_100"]).default("PriceClass_All"),
  /**
   * Id of the AWS-managed prefix list `com.amazonaws.global.cloudfront.origin-facing` in the environment's region (it
   * differs per region; `aws ec2 describe-managed-prefix-lists --filters
   * Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing`). The load balancer's HTTPS listener
   * admits only it, and the HTTP listener nobody. A value, not a lookup: a data source would need AWS at plan time.
   */
  originFacingPrefixListId: z.string().regex(/^pl-[0-9a-f]{8,17}$/, {
    error: "is not a managed prefix list id. Fix: use the pl-... id of com.amazonaws.global.cloudfront.origin-facing",
  }),
  /** Minimum TLS version viewers may use (SNI only). Default: TLSv1.2_2021. */
  minimumProtocolVersion: z.enum(["TLSv1.2_2021", "TLSv1.2_2019", "TLSv1.2_2018"]).default("TLSv1.2_2021"),
  /** A WAF web ACL on the distribution (scope CLOUDFRONT, created in us-east-1). Default: none. */
  waf: webAclSchema.optional(),
  /**
   * Standard access logs (v2) delivered to a CloudWatch Logs group in us-east-1 (where CloudFront delivers them).
   * Default: enabled, 90 days.
   */
  accessLogs: z
    .strictObject({
      enabled: z.boolean().default(true),
      retentionDays: logRetentionDays.default(90),
    })
    .default({ enabled: true, retentionDays: 90 }),
});
