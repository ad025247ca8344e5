import type { BlueprintIssue } from "../errors";
import type { Deployment } from "../resolve";
import { ACCOUNT_MODEL_RULE } from "./account-model";
import { ARN_RULES, SECRET_REFERENCE_RULE } from "./arns";
import { BLUE_GREEN_RULES } from "./blue-green";
import { EGRESS_RULES } from "./egress";
import { GLOBAL_NAME_RULES } from "./global-names";
import { LIMIT_RULES } from "./limits";
import { ACCOUNT_NAME_RULES, NAME_RULES, UNIQUE_NAME_RULES } from "./name-rules";
import { ONE_ACCOUNT_BASELINE_RULE } from "./account-baseline";
import { OFFER_RULES } from "./offers";
import { QUOTA_RULES } from "./quotas";
import { tagged, type CrossRule, type DeploymentRule, type PreflightRule } from "./types";

export type { PreflightRule, Concern, Source } from "./types";

/**
 * The preflight: what AWS would refuse at apply (or quietly get wrong) although `terraform validate` and `plan`
 * pass, checked on the resolved blueprint before anything is written. Rules are data: id, what AWS refuses, where
 * AWS documents it, and the check. docs/preflight.md lists them (generated from this list).
 */
export const PREFLIGHT_RULES: readonly PreflightRule[] = [
  ...NAME_RULES,
  ...ARN_RULES,
  SECRET_REFERENCE_RULE,
  ACCOUNT_MODEL_RULE,
  ...UNIQUE_NAME_RULES,
  ONE_ACCOUNT_BASELINE_RULE,
  ...ACCOUNT_NAME_RULES,
  ...GLOBAL_NAME_RULES,
  ...BLUE_GREEN_RULES,
  ...EGRESS_RULES,
  ...QUOTA_RULES,
  ...LIMIT_RULES,
  ...OFFER_RULES,
];

const isCross = (rule: PreflightRule): rule is CrossRule => "across" in rule;

/** Findings of the rules that look at one deployment. */
export function preflightIssues(d: Deployment): BlueprintIssue[] {
  const issues: BlueprintIssue[] = [];
  for (const rule of PREFLIGHT_RULES.filter((r): r is DeploymentRule => !isCross(r))) {
    rule.each(d, (path, value, message) =>
      issues.push({ path, value, message: tagged(message, rule.id), rule: rule.id }),
    );
  }
  return issues;
}

/** A finding of a cross-deployment rule, on the deployment it is about. */
export interface CrossIssue {
  readonly deployment: Deployment;
  readonly issue: BlueprintIssue;
}

/**
 * Findings of the rules that look at several deployments together: the account model, names unique per account
 * and region, and names that are global (public DNS). Give it every deployment that may share an account or a DNS
 * name: a blueprint's environments, or every blueprint of the repository.
 */
export function crossDeploymentIssues(deployments: readonly Deployment[]): CrossIssue[] {
  const run = (rules: readonly CrossRule[]) => {
    const found: CrossIssue[] = [];
    for (const rule of rules) {
      rule.across(deployments, (deployment, path, value, message) =>
        found.push({ deployment, issue: { path, value, message: tagged(message, rule.id), rule: rule.id } }),
      );
    }
    return found;
  };
  // The other rules read the account model: while it contradicts itself, what they would say is noise.
  const model = run([ACCOUNT_MODEL_RULE]);
  return model.length > 0 ? model : run(PREFLIGHT_RULES.filter(isCross).filter((r) => r !== ACCOUNT_MODEL_RULE));
}
