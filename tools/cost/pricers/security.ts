import { blocks, listLength } from "../stack-model";
import { num, type ComponentSpec, type Pricer } from "./types";

/**
 * Keys, secrets, parameters, WAF and DNS: flat monthly charges (a KMS key, a secret, an advanced parameter, a web ACL
 * and its rules, a hosted zone, a health check and its optional features) plus requests from the usage profile.
 */

const kmsKey: Pricer = (_resource, ctx) => {
  const requests = ctx.usage.get("kms.requestsPerKeyMonth");
  return {
    components: [
      {
        name: "KMS customer-managed key",
        unit: "keys",
        quantity: 1,
        priceKey: "kms.key-month",
        usageBased: false,
        detail: "with rotation on, each of the first two yearly rotations adds $1/month",
      },
      {
        name: "KMS requests",
        unit: "10k requests",
        quantity: requests / 1e4,
        priceKey: "kms.requests.10k",
        usageBased: true,
        detail: `${num(requests)} requests`,
      },
    ],
  };
};

const secret: Pricer = (_resource, ctx) => {
  const calls = ctx.usage.get("secrets.apiCallsPerSecretMonth");
  return {
    components: [
      { name: "Secret", unit: "secrets", quantity: 1, priceKey: "secretsmanager.secret-month", usageBased: false },
      {
        name: "Secrets Manager API calls",
        unit: "10k API calls",
        quantity: calls / 1e4,
        priceKey: "secretsmanager.api.10k",
        usageBased: true,
        detail: `${num(calls)} calls`,
      },
    ],
  };
};

const ssmParameter: Pricer = (resource) => {
  if (resource.body.tier !== "Advanced")
    return { free: "standard parameters and standard throughput cost nothing (SecureString with the aws/ssm key)" };
  return {
    components: [
      {
        name: "Advanced parameter",
        unit: "parameters",
        quantity: 1,
        priceKey: "ssm.parameter.advanced-month",
        usageBased: false,
      },
    ],
  };
};

/** Managed rule groups with a subscription fee on top of the rule charge. */
const PAID_RULE_GROUPS = /BotControl|ATP|ACFP|AntiDDoS/;

const webAcl: Pricer = (resource, ctx) => {
  const rules = listLength(resource.body.rule, "rule");
  const requests = ctx.usage.get("traffic.requestsPerSecond") * 730 * 3600;
  const components: ComponentSpec[] = [
    { name: "Web ACL", unit: "web ACLs", quantity: 1, priceKey: "waf.web-acl-month", usageBased: false },
    { name: "Rules and rule groups", unit: "rules", quantity: rules, priceKey: "waf.rule-month", usageBased: false },
    {
      name: "Requests inspected",
      unit: "million requests",
      quantity: requests / 1e6,
      priceKey: "waf.requests.million",
      usageBased: true,
      detail: "every request to the associated load balancer",
    },
  ];
  for (const rule of blocks(resource.body.rule)) {
    const group = rule.statement?.managed_rule_group_statement?.name;
    if (typeof group === "string" && PAID_RULE_GROUPS.test(group))
      components.push({
        name: `Managed rule group subscription (${group})`,
        unit: "subscriptions",
        quantity: 1,
        priceKey: `waf.managed-rule-group.${group}`,
        usageBased: false,
      });
  }
  return { components };
};

const hostedZone: Pricer = () => ({
  components: [
    {
      name: "Hosted zone",
      unit: "hosted zones",
      quantity: 1,
      priceKey: "route53.zone-month",
      usageBased: false,
      detail: "queries: alias queries to the load balancer are free; others are not modeled",
    },
  ],
});

/**
 * A health check of an endpoint on AWS (the blueprints check their own load balancer) costs a base fee plus a fee
 * per optional feature: HTTPS, string matching, the 10-second interval, latency measurement.
 */
const healthCheck: Pricer = (resource) => {
  const b = resource.body;
  const type = String(b.type ?? "");
  const features = [
    type.startsWith("HTTPS") ? "HTTPS" : "",
    type.endsWith("STR_MATCH") ? "string matching" : "",
    b.request_interval === 10 ? "fast interval" : "",
    b.measure_latency === true ? "latency measurement" : "",
  ].filter(Boolean);
  return {
    components: [
      {
        name: "Health check (AWS endpoint)",
        unit: "health checks",
        quantity: 1,
        priceKey: "route53.health-check.aws-endpoint-month",
        usageBased: false,
        detail: "its target is the blueprint's own load balancer, an AWS endpoint",
      },
      ...(features.length > 0
        ? [
            {
              name: "Health check optional features",
              unit: "optional features",
              quantity: features.length,
              priceKey: "route53.health-check.aws-endpoint-feature-month",
              usageBased: false,
              detail: features.join(", "),
            },
          ]
        : []),
    ],
  };
};

const certificate: Pricer = (resource) =>
  resource.body.certificate_authority_arn
    ? {
        components: [
          {
            name: "Private certificate",
            unit: "certificates",
            quantity: 1,
            priceKey: "acm.private-certificate",
            usageBased: false,
          },
        ],
      }
    : { free: "public ACM certificates cost nothing" };

export const SECURITY_PRICERS: Record<string, Pricer> = {
  aws_kms_key: kmsKey,
  aws_secretsmanager_secret: secret,
  aws_ssm_parameter: ssmParameter,
  aws_wafv2_web_acl: webAcl,
  aws_route53_zone: hostedZone,
  aws_route53_health_check: healthCheck,
  aws_acm_certificate: certificate,
};
