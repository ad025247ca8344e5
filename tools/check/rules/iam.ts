import type { Rule } from "../types";
import type { TerraformJson } from "../../terraform/cdktf-out";
import { documentStatements, jsonPolicyStatements, type PolicyStatement } from "../resources";

/**
 * Actions that have no resource-level permissions, so AWS requires Resource "*" for them. Each is listed with the
 * reason; anything else on "*" is a finding.
 */
export const STAR_RESOURCE_ACTIONS: Record<string, string> = {
  "ecr:GetAuthorizationToken": "registry login token; account-wide by design",
  "ecs:RegisterTaskDefinition": "task definitions have no ARN before they exist",
  "ecs:DescribeTaskDefinition": "no resource-level permissions",
  "ecs:DeregisterTaskDefinition":
    "no resource-level permissions (a release undoes its revision when the rollout fails)",
  "logs:CreateLogDelivery": "vended log delivery (flow logs); no resource-level permissions",
  "logs:DescribeLogGroups": "list call; no resource-level permissions",
  "logs:DescribeLogStreams": "flow log delivery describes its streams",
  "ssmmessages:CreateControlChannel": "ECS Exec channels; no resource-level permissions",
  "ssmmessages:CreateDataChannel": "ECS Exec channels; no resource-level permissions",
  "ssmmessages:OpenControlChannel": "ECS Exec channels; no resource-level permissions",
  "ssmmessages:OpenDataChannel": "ECS Exec channels; no resource-level permissions",
};

/** KMS key policies name the key itself as "*" (the policy is attached to that one key). */
const KEY_POLICY_ACTION = /^kms:/;

function wildcardProblems(statements: PolicyStatement[], keyPolicy: boolean): string[] {
  const problems: string[] = [];
  for (const s of statements.filter((st) => st.effect === "Allow")) {
    // A key policy's administrator statement (kms:* for the account root) is AWS's own default key policy.
    const wildActions = s.actions.filter((a) => a === "*" || (a.endsWith(":*") && !(keyPolicy && a === "kms:*")));
    if (wildActions.length > 0) problems.push(`wildcard actions ${wildActions.join(", ")}`);
    if (s.resources.includes("*") && !keyPolicy) {
      const unjustified = s.actions.filter((a) => !(a in STAR_RESOURCE_ACTIONS));
      if (unjustified.length > 0) problems.push(`${unjustified.join(", ")} on every resource`);
    }
    if (s.resources.includes("*") && keyPolicy) {
      const notKms = s.actions.filter((a) => !KEY_POLICY_ACTION.test(a));
      if (notKms.length > 0) problems.push(`${notKms.join(", ")} on every resource`);
    }
  }
  return problems;
}

/** Conditions of a policy document statement, as cdktf writes them (a list of { test, variable, values }). */
function conditionVariables(statement: TerraformJson): string[] {
  return ([] as TerraformJson[]).concat(statement.condition ?? []).map((c) => String(c.variable));
}

function passesRoles(action: string): boolean {
  return action === "iam:PassRole" || action === "iam:*" || action === "*";
}

export const IAM_RULES: Rule[] = [
  {
    id: "iam-no-wildcards",
    title: "IAM policies grant no * action and no * resource except where AWS requires it",
    severity: "high",
    resourceType: "data.aws_iam_policy_document",
    checkov: ["CKV_AWS_1", "CKV_AWS_289", "CKV_AWS_290", "CKV_AWS_355"],
    fsbp: "IAM.1, IAM.21",
    note: `"*" resources are allowed for: ${Object.keys(STAR_RESOURCE_ACTIONS).join(", ")}; and kms actions (kms:* included, as in AWS's default key policy) in a key policy, whose "*" is the key itself.`,
    check: (doc, ctx, name) => {
      // A document is a key policy when a KMS key uses it; there "*" means this key.
      const keyPolicy = Object.values<Record<string, unknown>>(ctx.json.resource?.aws_kms_key ?? {}).some((k) =>
        String(k.policy ?? "").includes(`data.aws_iam_policy_document.${name}.`),
      );
      const problems = wildcardProblems(documentStatements(doc), keyPolicy);
      return problems.length > 0 ? problems.join("; ") : undefined;
    },
  },
  {
    id: "iam-no-wildcards-inline",
    title: "Literal JSON IAM policies grant no * action and no * resource",
    severity: "high",
    resourceType: "aws_iam_role_policy",
    checkov: ["CKV_AWS_290", "CKV_AWS_355"],
    fsbp: "IAM.21",
    check: (policy) => {
      const problems = wildcardProblems(jsonPolicyStatements(policy.policy), false);
      return problems.length > 0 ? problems.join("; ") : undefined;
    },
  },
  {
    id: "iam-passrole-scoped",
    title: "iam:PassRole names its roles and the service they are passed to",
    severity: "high",
    resourceType: "data.aws_iam_policy_document",
    checkov: ["CKV_AWS_286"],
    note: "Stricter than CKV_AWS_286 (privilege escalation through iam:PassRole on *): every Allow of iam:PassRole needs named role ARNs (no *) and an iam:PassedToService condition.",
    check: (doc) => {
      const problems = ([] as TerraformJson[])
        .concat(doc.statement ?? [])
        .filter((s) => (s.effect ?? "Allow") === "Allow" && [].concat(s.actions ?? []).some(passesRoles))
        .flatMap((s) => [
          ...([].concat(s.resources ?? []) as string[]).filter((r) => r === "*" || r.endsWith(":role/*")),
          ...(conditionVariables(s).includes("iam:PassedToService") ? [] : ["no iam:PassedToService condition"]),
        ]);
      return problems.length > 0 ? `iam:PassRole: ${problems.join(", ")}` : undefined;
    },
  },
];
