import type { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

/**
 * IAM documents as `aws_iam_policy_document` data sources: structured in the synthesized JSON (so the policy checks
 * can read every statement), rendered offline by the provider, and free of hand-written JSON strings.
 */
export interface Statement {
  readonly sid?: string;
  readonly effect?: "Allow" | "Deny";
  readonly actions: string[];
  /** What the statement covers. Give either resources or notResources (or neither, for trust policies). */
  readonly resources?: string[];
  /** Everything except these (for Deny statements that carve out an exception). Default: none. */
  readonly notResources?: string[];
  readonly conditions?: { test: string; variable: string; values: string[] }[];
  /** For resource and trust policies (e.g. KMS key policies). Default: none (identity policy). */
  readonly principals?: { type: string; identifiers: string[] }[];
}

export function policyDocument(scope: Construct, id: string, statements: Statement[]): string {
  return new DataAwsIamPolicyDocument(scope, id, {
    statement: statements.map((s) => ({
      sid: s.sid,
      effect: s.effect ?? "Allow",
      actions: s.actions,
      resources: s.resources,
      notResources: s.notResources,
      condition: s.conditions,
      principals: s.principals,
    })),
  }).json;
}

/** Trust statement letting one AWS service assume a role. */
export function serviceTrust(service: string): Statement {
  return { actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: [service] }] };
}

/** Trust statement for web identity federation (OIDC): who may assume the role is narrowed by token claims. */
export function webIdentityTrust(
  providerArn: string,
  conditions: { test: string; variable: string; values: string[] }[],
): Statement {
  return {
    actions: ["sts:AssumeRoleWithWebIdentity"],
    principals: [{ type: "Federated", identifiers: [providerArn] }],
    conditions,
  };
}
