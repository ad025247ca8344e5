import { z } from "zod";
import { cidrBlock, kebabName, port, subnetSelector } from "../primitives";

/* The application load balancer: listeners and certificates, access logs, WAF. */

export const certificateSchema = z.discriminatedUnion(
  "source",
  [
    /** Issued by ACM in the dns stack, validated through the blueprint's public zone. */
    z.strictObject({ source: z.literal("dns") }),
    /** An ACM certificate imported out of band; its ARN is the Terraform variable `certificate_arn` at apply time. */
    z.strictObject({ source: z.literal("variable") }),
    /** An existing ACM certificate ARN. */
    z.strictObject({
      source: z.literal("arn"),
      arn: z.string().regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/, {
        error: "is not an ACM certificate ARN. Fix: use arn:aws:acm:<region>:<account>:certificate/<id>",
      }),
    }),
  ],
  {
    error: "is not a certificate source. Fix: use { source: 'dns' }, { source: 'variable' } or { source: 'arn', arn }",
  },
);

/** A WAF web ACL that allows by default and blocks what AWS managed rule groups (and a per-IP rate limit) match. */
export const webAclSchema = z.strictObject({
  /** AWS managed rule groups, in evaluation order. Default: Common, KnownBadInputs, AmazonIpReputationList. */
  managedRuleGroups: z
    .array(
      z.string().regex(/^AWSManagedRules[A-Za-z0-9]+$/, {
        error: "is not an AWS managed rule group. Fix: use a name such as AWSManagedRulesCommonRuleSet",
      }),
    )
    .min(1)
    .default([
      "AWSManagedRulesCommonRuleSet",
      "AWSManagedRulesKnownBadInputsRuleSet",
      "AWSManagedRulesAmazonIpReputationList",
    ]),
  /** Requests per 5 minutes from one IP above which it is blocked (100-2000000000). Default: none. */
  rateLimit: z.number().int().min(100).max(2000000000).optional(),
});

export const loadBalancerSchema = z.strictObject({
  /** internet-facing or internal. Default: internet-facing. */
  scheme: z.enum(["internet-facing", "internal"]).default("internet-facing"),
  /** ALB name (at most 32 characters). Default: `<app>-<env>`. */
  name: kebabName("load balancer name", 32).optional(),
  /** Subnets. Default: public tier when internet-facing, private tier when internal. */
  subnets: subnetSelector.optional(),
  /** CIDRs admitted to the listeners. Default: 0.0.0.0/0 when internet-facing, the VPC CIDR when internal. */
  ingressCidrs: z.array(cidrBlock).min(1).optional(),
  /** Plain HTTP listener. Default: port 80, redirecting to HTTPS when an HTTPS listener exists. */
  http: z
    .strictObject({
      port: port.default(80),
      /** Default: true when `https` is set. */
      redirectToHttps: z.boolean().optional(),
    })
    .optional(),
  /** HTTPS listener. Default: none. */
  https: z
    .strictObject({
      port: port.default(443),
      certificate: certificateSchema,
      /** Default: ELBSecurityPolicy-TLS13-1-2-2021-06 (TLS 1.2 and 1.3 only). */
      sslPolicy: z.string().default("ELBSecurityPolicy-TLS13-1-2-2021-06"),
    })
    .optional(),
  /**
   * Listener on which CodeDeploy offers the new (green) tasks before switching traffic; blue/green services need it.
   * Default: none.
   */
  testListener: z
    .strictObject({
      /** Default: 8080. */
      port: port.default(8080),
      /** Who may reach the test listener. Default: the VPC CIDR only (test traffic never comes from the internet). */
      ingressCidrs: z.array(cidrBlock).min(1).optional(),
    })
    .optional(),
  /** Seconds. Default: 60. */
  idleTimeout: z.number().int().min(1).max(4000).default(60),
  /** Default: true in production environments. */
  deletionProtection: z.boolean().optional(),
  /**
   * Access logs to a private, versioned SSE-S3 bucket of the `logs` stack (created before compute). Default: none.
   */
  accessLogs: z
    .strictObject({
      /** Key prefix of the log objects. Default: alb. */
      prefix: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: "is not a key prefix. Fix: use lowercase letters, digits, -" })
        .default("alb"),
      /** Days before logs move to Glacier Flexible Retrieval. Default: 90. */
      glacierAfterDays: z.number().int().min(1).default(90),
      /** Days before logs are deleted; after glacierAfterDays. Default: 365. */
      expireAfterDays: z.number().int().min(2).default(365),
    })
    .refine((a) => a.expireAfterDays > a.glacierAfterDays, {
      error: "deletes logs before they reach Glacier. Fix: make expireAfterDays greater than glacierAfterDays",
    })
    .optional(),
  /** A regional WAF web ACL on the load balancer, in the `security` stack (after compute). Default: none. */
  waf: webAclSchema.optional(),
});
