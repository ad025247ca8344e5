import { awsProviderBlocks, type SynthesizedStack, type TerraformJson } from "../terraform/cdktf-out";
import type { Quantity } from "./types";

/**
 * What the cost models see of a synthesized stack: its resources by type, the region each one lives in, and the
 * application and environment from the provider's default tags. Values that Terraform learns only at apply time
 * (`${...}` expressions) are reported as unknown quantities with the expression, never guessed.
 */

export interface ResourceRef {
  readonly type: string;
  readonly name: string;
  /** Terraform address as synthesized, e.g. aws_nat_gateway.vpc_nat-1a. */
  readonly address: string;
  readonly body: TerraformJson;
  /** How many instances `count`/`for_each` make (1 without them). */
  readonly instances: Quantity;
  readonly region: string | undefined;
}

export interface StackModel {
  readonly id: string;
  readonly blueprint: string;
  readonly environment: string;
  /** The default AWS provider's region, when the stack has one. */
  readonly region: string | undefined;
  readonly resources: readonly ResourceRef[];
  byType(type: string): readonly ResourceRef[];
  /** The resource of a type that an expression such as `${aws_ecs_cluster.cluster.arn}` refers to. */
  referenced(type: string, expression: unknown): ResourceRef | undefined;
}

export const SHARED = "(shared)";

export function isExpression(value: unknown): value is string {
  return typeof value === "string" && value.includes("${");
}

/** A number from a literal (numbers and numeric strings such as cpu "256"); unknown for an expression. */
export function literalNumber(value: unknown, what: string): Quantity | undefined {
  if (typeof value === "number") return value;
  if (isExpression(value)) return { unknown: `${what} is ${value}, known only after apply` };
  if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
  if (value === undefined || value === null) return undefined;
  return { unknown: `${what} is ${JSON.stringify(value)}, not a number` };
}

/** Length of a literal list (elements may be expressions); unknown when the whole list is one expression. */
export function listLength(value: unknown, what: string): Quantity {
  if (Array.isArray(value)) return value.length;
  if (isExpression(value)) return { unknown: `${what} is ${value}, a list known only after apply` };
  return value === undefined || value === null ? 0 : { unknown: `${what} is not a list` };
}

/** cdktf writes some nested blocks as one-element lists and others as objects: read either. */
export function block(value: unknown): TerraformJson | undefined {
  if (Array.isArray(value)) return value[0];
  return value && typeof value === "object" ? (value as TerraformJson) : undefined;
}

/** Every element of a repeated nested block, whichever way cdktf wrote it. */
export function blocks(value: unknown): TerraformJson[] {
  if (Array.isArray(value)) return value as TerraformJson[];
  return value && typeof value === "object" ? [value as TerraformJson] : [];
}

function instancesOf(body: TerraformJson): Quantity {
  if (body.count !== undefined) return literalNumber(body.count, "count") ?? 1;
  const forEach = body.for_each;
  if (forEach === undefined) return 1;
  if (Array.isArray(forEach)) return forEach.length;
  if (isExpression(forEach)) return { unknown: `for_each is ${forEach}, known only after apply` };
  return forEach && typeof forEach === "object" ? Object.keys(forEach).length : 1;
}

function providerRegions(json: TerraformJson): { main?: string; byAlias: Map<string, string | undefined> } {
  const configs = awsProviderBlocks(json);
  const literal = (r: unknown) => (typeof r === "string" && !isExpression(r) ? r : undefined);
  const byAlias = new Map<string, string | undefined>();
  let main: string | undefined;
  for (const c of configs) {
    if (c.alias) byAlias.set(`aws.${c.alias}`, literal(c.region));
    else main = literal(c.region);
  }
  return { main, byAlias };
}

const patterns = new Map<string, RegExp>();

/** `type.NAME` inside an expression (not as part of a longer name or attribute path). */
function referencePattern(type: string): RegExp {
  let pattern = patterns.get(type);
  if (!pattern) {
    pattern = new RegExp(`(?<![\\w.])${type}\\.([\\w-]+)`);
    patterns.set(type, pattern);
  }
  return pattern;
}

export function stackModel(stack: SynthesizedStack): StackModel {
  const json = stack.json;
  const { main, byAlias } = providerRegions(json);
  const tags = block(block(awsProviderBlocks(json)[0]?.default_tags)?.tags) ?? {};
  const resources: ResourceRef[] = [];
  const index = new Map<string, ResourceRef>();
  const byType = new Map<string, ResourceRef[]>();
  for (const [type, bodies] of Object.entries<TerraformJson>(json.resource ?? {})) {
    for (const [name, body] of Object.entries<TerraformJson>(bodies)) {
      const region = typeof body.provider === "string" ? byAlias.get(body.provider) : main;
      const ref = { type, name, address: `${type}.${name}`, body, instances: instancesOf(body), region };
      resources.push(ref);
      index.set(ref.address, ref);
      byType.set(type, [...(byType.get(type) ?? []), ref]);
    }
  }
  return {
    id: stack.id,
    blueprint: typeof tags.Application === "string" ? tags.Application : SHARED,
    environment: typeof tags.Environment === "string" ? tags.Environment : SHARED,
    region: main,
    resources,
    byType: (type) => byType.get(type) ?? [],
    referenced(type, expression) {
      if (!isExpression(expression)) return undefined;
      const name = referencePattern(type).exec(expression)?.[1];
      return name ? index.get(`${type}.${name}`) : undefined;
    },
  };
}
