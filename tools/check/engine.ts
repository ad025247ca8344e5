import * as fs from "fs";
import * as path from "path";
import { POLICY_FILE } from "../../app/policy-file";
import type { SynthesizedStack, TerraformJson } from "../terraform/cdktf-out";
import { RULES } from "./rules";
import type { Finding, Rule, StackContext, Suppression } from "./types";

export interface PolicyContext {
  readonly production?: boolean;
  readonly suppressions?: readonly Suppression[];
}

/**
 * The deployment facts synthesis wrote beside a stack's JSON (`policy.json`, see app/policy-file.ts); a stack without
 * them is judged as production, with nothing accepted.
 */
export function policyContext(stackDir: string): PolicyContext {
  const file = path.join(stackDir, POLICY_FILE);
  if (!fs.existsSync(file)) return {};
  const policy = JSON.parse(fs.readFileSync(file, "utf8"));
  if (typeof policy?.production !== "boolean" || !Array.isArray(policy.suppressions)) {
    throw new Error(`${file} is not a policy file (production, suppressions). Fix: synthesize again`);
  }
  return policy as PolicyContext;
}

function resourcesOfType(json: TerraformJson, resourceType: string): [string, TerraformJson][] {
  const [section, type] = resourceType.startsWith("data.")
    ? ["data", resourceType.slice(5)]
    : ["resource", resourceType];
  return Object.entries<TerraformJson>(json[section]?.[type] ?? {});
}

/** Evaluates rules over one stack's JSON; findings matched by a suppression carry its reason. */
export function checkStack(
  stackId: string,
  json: TerraformJson,
  rules: readonly Rule[] = RULES,
  policy: PolicyContext = {},
): Finding[] {
  const ctx: StackContext = { stackId, json, production: policy.production ?? true };
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const [name, resource] of resourcesOfType(json, rule.resourceType)) {
      const message = rule.check(resource, ctx, name);
      if (message === undefined) continue;
      const address = `${rule.resourceType}.${name}`;
      const suppression = (policy.suppressions ?? []).find(
        (s) => s.rule === rule.id && (!s.resources || s.resources.some((prefix) => address.startsWith(prefix))),
      );
      findings.push({ rule, stackId, address, message, suppressedBecause: suppression?.reason });
    }
  }
  return findings;
}

export function checkStacks(stacks: readonly SynthesizedStack[], rules: readonly Rule[] = RULES): Finding[] {
  return stacks.flatMap((s) => checkStack(s.id, s.json, rules, policyContext(s.dir)));
}

/** Findings that fail a build: high severity and not accepted by the blueprint. */
export function blocking(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.rule.severity === "high" && !f.suppressedBecause);
}
