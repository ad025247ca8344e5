import type { TerraformJson } from "../terraform/cdktf-out";
import { parseStructuredValue } from "../terraform/jsonencode";
import type { StackContext } from "./types";

/** Whether a value is (or contains) a reference to the named resource, e.g. `${aws_s3_bucket.state.id}`. */
export function refersTo(value: unknown, type: string, name: string): boolean {
  return typeof value === "string" && value.includes(`${type}.${name}.`);
}

/** Resources of a type in the stack that point at the named resource through one of their fields. */
export function attachedTo(
  ctx: StackContext,
  type: string,
  field: string,
  target: { type: string; name: string },
): TerraformJson[] {
  return Object.values<TerraformJson>(ctx.json.resource?.[type] ?? {}).filter((r) =>
    refersTo(r[field], target.type, target.name),
  );
}

/** cdktf writes some nested blocks as a one-element list and others as an object: read either. */
export function block(value: unknown): TerraformJson | undefined {
  if (Array.isArray(value)) return value[0];
  return value && typeof value === "object" ? (value as TerraformJson) : undefined;
}

/** Container definitions of a task definition (`${jsonencode(...)}` or a JSON string with interpolations). */
export function containerDefinitions(taskDefinition: TerraformJson): TerraformJson[] {
  const raw = taskDefinition.container_definitions;
  if (typeof raw !== "string") return [];
  const parsed = parseStructuredValue(raw);
  return Array.isArray(parsed) ? (parsed as TerraformJson[]) : [];
}

export interface PolicyStatement {
  readonly effect: string;
  readonly actions: string[];
  readonly resources: string[];
}

/** Statements of an aws_iam_policy_document data source (the project writes every policy this way). */
export function documentStatements(doc: TerraformJson): PolicyStatement[] {
  return ([] as TerraformJson[]).concat(doc.statement ?? []).map((s) => ({
    effect: s.effect ?? "Allow",
    actions: [].concat(s.actions ?? []),
    resources: [].concat(s.resources ?? []),
  }));
}

/** Statements of a literal JSON policy string; an interpolated policy is checked through its document instead. */
export function jsonPolicyStatements(policy: unknown): PolicyStatement[] {
  if (typeof policy !== "string" || policy.includes("${")) return [];
  try {
    const parsed = JSON.parse(policy);
    return ([] as TerraformJson[]).concat(parsed.Statement ?? []).map((s) => ({
      effect: s.Effect ?? "Allow",
      actions: [].concat(s.Action ?? []),
      resources: [].concat(s.Resource ?? []),
    }));
  } catch {
    return [];
  }
}
