import type { SynthesizedStack, TerraformJson } from "../terraform/cdktf-out";
import { RULES } from "./rules";
import type { Finding, Rule, StackContext, Suppression } from "./types";

/** Name of the local each blueprint stack carries for the checks: production flag and accepted findings. */
export const POLICY_CONTEXT_LOCAL = "policy_context";

interface PolicyContext {
  readonly production?: boolean;
  readonly suppressions?: Suppression[];
}

/** The deployment facts synthesis wrote into the stack; a stack without them is judged as production. */
export function policyContext(json: TerraformJson): PolicyContext {
  return (json.locals?.[POLICY_CONTEXT_LOCAL] as PolicyContext | undefined) ?? {};
}

function resourcesOfType(json: TerraformJson, resourceType: string): [string, TerraformJson][] {
  const [section, type] = resourceType.startsWith("data.")
    ? ["data", resourceType.slice(5)]
    : ["resource", resourceType];
  return Object.entries<TerraformJson>(json[section]?.[type] ?? {});
}

/** Evaluates rules over one stack's JSON; findings matched by a suppression carry its reason. */
export function checkStack(stackId: string, json: TerraformJson, rules: readonly Rule[] = RULES): Finding[] {
  const policy = policyContext(json);
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
  return stacks.flatMap((s) => checkStack(s.id, s.json, rules));
}

/** Findings that fail a build: high severity and not accepted by the blueprint. */
export function blocking(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.rule.severity === "high" && !f.suppressedBecause);
}
