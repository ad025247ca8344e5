import type { Rule } from "../types";
import { block } from "../resources";

/** ELB security policies that allow TLS 1.2 and later only. */
const TLS12_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)/;

const isApplication = (lb: Record<string, unknown>) => (lb.load_balancer_type ?? "application") === "application";

export const LOAD_BALANCER_RULES: Rule[] = [
  {
    id: "alb-drop-invalid-headers",
    title: "Application load balancers drop invalid HTTP headers",
    severity: "high",
    resourceType: "aws_lb",
    checkov: ["CKV_AWS_131"],
    fsbp: "ELB.4",
    check: (lb) =>
      isApplication(lb) && lb.drop_invalid_header_fields !== true
        ? "drop_invalid_header_fields is not true"
        : undefined,
  },
  {
    id: "alb-deletion-protection",
    title: "Load balancers in production have deletion protection",
    severity: "high",
    resourceType: "aws_lb",
    checkov: ["CKV_AWS_150"],
    fsbp: "ELB.6",
    check: (lb, ctx) =>
      ctx.production && lb.enable_deletion_protection !== true
        ? "a production load balancer can be deleted"
        : undefined,
  },
  {
    id: "alb-access-logs",
    title: "Load balancers write access logs",
    severity: "medium",
    resourceType: "aws_lb",
    checkov: ["CKV_AWS_91"],
    fsbp: "ELB.5",
    check: (lb) => (block(lb.access_logs)?.enabled === true ? undefined : "access logs are off"),
  },
  {
    id: "alb-https-redirect",
    title: "Plain HTTP listeners redirect to HTTPS",
    severity: "high",
    resourceType: "aws_lb_listener",
    checkov: ["CKV_AWS_2", "CKV2_AWS_20"],
    fsbp: "ELB.1",
    check: (listener) => {
      if (listener.protocol !== "HTTP") return undefined;
      const action = block(listener.default_action);
      const redirect = block(action?.redirect);
      return action?.type === "redirect" && redirect?.protocol === "HTTPS"
        ? undefined
        : `HTTP listener on ${listener.port} serves traffic instead of redirecting to HTTPS`;
    },
  },
  {
    id: "alb-tls-policy",
    title: "HTTPS listeners use a TLS 1.2+ security policy",
    severity: "high",
    resourceType: "aws_lb_listener",
    checkov: ["CKV_AWS_103"],
    check: (listener) =>
      listener.protocol === "HTTPS" && !TLS12_POLICY.test(String(listener.ssl_policy ?? ""))
        ? `ssl_policy ${listener.ssl_policy ?? "(AWS default)"} allows TLS older than 1.2`
        : undefined,
  },
];
