import type { Rule } from "../types";
import { attachedTo, block } from "../resources";
import type { TerraformJson } from "../../terraform/cdktf-out";

/** Viewer protocol policies that never serve content over plain HTTP. */
const HTTPS_ONLY = new Set(["redirect-to-https", "https-only"]);
/** TLS 1.2 or later for viewers (CloudFront's security policies). */
const TLS12 = /^TLSv1\.2_20(1[89]|2\d)$|^TLSv1\.3/;

function behaviors(distribution: TerraformJson): TerraformJson[] {
  return [
    ...([] as TerraformJson[]).concat(distribution.default_cache_behavior ?? []),
    ...([] as TerraformJson[]).concat(distribution.ordered_cache_behavior ?? []),
  ];
}

export const CLOUDFRONT_RULES: Rule[] = [
  {
    id: "cloudfront-viewer-https",
    title: "CloudFront serves viewers over HTTPS only",
    severity: "high",
    resourceType: "aws_cloudfront_distribution",
    checkov: ["CKV_AWS_34"],
    fsbp: "CloudFront.3",
    check: (d) => {
      const plain = behaviors(d).filter((b) => !HTTPS_ONLY.has(String(b.viewer_protocol_policy)));
      return plain.length === 0
        ? undefined
        : `${plain.map((b) => b.path_pattern ?? "the default behaviour").join(", ")} allow(s) plain HTTP`;
    },
  },
  {
    id: "cloudfront-tls-policy",
    title: "CloudFront uses its own certificate with SNI and TLS 1.2 or later",
    severity: "high",
    resourceType: "aws_cloudfront_distribution",
    checkov: ["CKV_AWS_174"],
    fsbp: "CloudFront.7, CloudFront.8",
    check: (d) => {
      const cert = block(d.viewer_certificate);
      if (!cert || cert.cloudfront_default_certificate === true || !cert.acm_certificate_arn)
        return "viewers get the default *.cloudfront.net certificate, which allows TLS 1.0";
      if (cert.ssl_support_method !== "sni-only")
        return `ssl_support_method ${cert.ssl_support_method} is not sni-only`;
      return TLS12.test(String(cert.minimum_protocol_version ?? ""))
        ? undefined
        : `minimum_protocol_version ${cert.minimum_protocol_version ?? "(CloudFront's default)"} allows TLS older than 1.2`;
    },
  },
  {
    id: "cloudfront-origin-https",
    title: "CloudFront reaches custom origins over HTTPS with TLS 1.2",
    severity: "high",
    resourceType: "aws_cloudfront_distribution",
    checkov: [],
    fsbp: "CloudFront.9, CloudFront.10",
    check: (d) => {
      const weak = ([] as TerraformJson[])
        .concat(d.origin ?? [])
        .map((o) => ({ id: o.origin_id, custom: block(o.custom_origin_config) }))
        .filter(
          ({ custom }) =>
            custom &&
            (custom.origin_protocol_policy !== "https-only" ||
              ([] as string[]).concat(custom.origin_ssl_protocols ?? []).some((p) => p !== "TLSv1.2")),
        );
      return weak.length === 0
        ? undefined
        : `origin(s) ${weak.map((w) => w.id).join(", ")} may be reached over plain HTTP or TLS older than 1.2`;
    },
  },
  {
    id: "cloudfront-waf",
    title: "CloudFront distributions have a WAF web ACL",
    severity: "medium",
    resourceType: "aws_cloudfront_distribution",
    checkov: ["CKV_AWS_68"],
    fsbp: "CloudFront.6",
    check: (d) => (d.web_acl_id ? undefined : "no web ACL inspects the requests"),
  },
  {
    id: "cloudfront-access-logs",
    title: "CloudFront distributions write access logs",
    severity: "medium",
    resourceType: "aws_cloudfront_distribution",
    checkov: ["CKV_AWS_86"],
    fsbp: "CloudFront.5",
    note: "Standard logging v2 (a CloudWatch log delivery source of the distribution) counts as well as logging_config.",
    check: (d, ctx, name) =>
      block(d.logging_config)?.bucket ||
      attachedTo(ctx, "aws_cloudwatch_log_delivery_source", "resource_arn", {
        type: "aws_cloudfront_distribution",
        name,
      }).length > 0
        ? undefined
        : "access logs are off",
  },
];
