import { blueprintEnvelopeSchema, specSchema, type Spec } from "./blueprint";
import { BlueprintError, fromZodIssues, type BlueprintIssue } from "./errors";
import { semanticIssues } from "./semantics";
import { crossDeploymentIssues, preflightIssues, type CrossIssue } from "./preflight";

/** One environment of one blueprint, validated, defaults filled in: what stacks are built from. */
export interface Deployment {
  readonly app: string;
  readonly description?: string;
  readonly environment: string;
  readonly region: string;
  readonly availabilityZones: readonly string[];
  readonly accountId?: string;
  /** The account's name (environments[].account): environments naming the same account share it (accounts.ts). */
  readonly accountName?: string;
  /** Position of the environment in the blueprint's environments, for field paths. */
  readonly environmentIndex: number;
  readonly production: boolean;
  readonly spec: Spec;
  /** `<app>-<env>`: the prefix of stack ids and resource names. */
  readonly prefix: string;
}

const ENVELOPE_KEYS = new Set(["name", "description", "environments"]);

/**
 * Validates a blueprint and resolves each environment (spec deep-merged with the environment's overrides): the
 * schema, the cross-field rules (semantics.ts), then the preflight (preflight/) of each environment and of the
 * environments together. Throws one BlueprintError listing every issue, so nothing is synthesized from a broken
 * blueprint.
 */
export function resolveBlueprint(input: unknown, source = "blueprint"): Deployment[] {
  const envelope = blueprintEnvelopeSchema.safeParse(input);
  if (!envelope.success) throw new BlueprintError(source, fromZodIssues(input, envelope.error.issues));
  const bp = envelope.data;
  const label = `blueprint ${bp.name}`;
  const specInput = Object.fromEntries(Object.entries(input as object).filter(([k]) => !ENVELOPE_KEYS.has(k)));

  const issues: BlueprintIssue[] = [];
  const envNames = bp.environments.map((e) => e.name);
  envNames.forEach((n, i) => {
    if (envNames.indexOf(n) !== i) {
      issues.push({
        path: `environments[${i}].name`,
        value: n,
        message: "duplicates another environment. Fix: rename it",
      });
    }
  });

  const deployments: Deployment[] = [];
  bp.environments.forEach((env, i) => {
    const merged = deepMerge(specInput, env.overrides ?? {});
    const parsed = specSchema.safeParse(merged);
    const where = `environments[${i}](${env.name})`;
    if (!parsed.success) {
      // Paths are the same whether the value came from the spec or the overrides; say which environment failed.
      issues.push(
        ...fromZodIssues(merged, parsed.error.issues).map((x) => ({ ...x, message: `${x.message} [${where}]` })),
      );
      return;
    }
    const facts = {
      name: env.name,
      region: env.region,
      availabilityZones: env.availabilityZones,
      accountId: env.accountId,
    };
    const semantic = semanticIssues(parsed.data, facts);
    issues.push(...semantic.map((x) => ({ ...x, message: `${x.message} [${where}]` })));
    const deployment: Deployment = {
      app: bp.name,
      description: bp.description,
      environment: env.name,
      region: env.region,
      availabilityZones: env.availabilityZones,
      accountId: env.accountId,
      accountName: env.account,
      environmentIndex: i,
      production: env.production ?? ["prod", "production"].includes(env.name),
      spec: parsed.data,
      prefix: `${bp.name}-${env.name}`,
    };
    issues.push(...preflightIssues(deployment).map((x) => ({ ...x, message: `${x.message} [${where}]` })));
    deployments.push(deployment);
  });
  if (issues.length === 0) issues.push(...crossDeploymentIssues(deployments).map(withEnvironment));
  if (issues.length > 0) throw new BlueprintError(source === "blueprint" ? label : source, dedupe(issues));
  return deployments;
}

/** The environment a deployment comes from, as messages name it: environments[1](prod). */
export function environmentLabel(d: Deployment): string {
  return `environments[${d.environmentIndex}](${d.environment})`;
}

/** A cross-deployment finding as an issue of its deployment's blueprint, naming the environment. */
export function withEnvironment({ deployment, issue }: CrossIssue): BlueprintIssue {
  return { ...issue, message: `${issue.message} [${environmentLabel(deployment)}]` };
}

function dedupe(issues: BlueprintIssue[]): BlueprintIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}|${i.message.replace(/ \[environments.*\]$/, "")}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Deep merge for environment overrides: objects merge key by key; arrays of objects that all have a `name` merge
 * item by item on that name (so an override can change one service); other arrays and scalars replace.
 */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (isPlainObject(base) && isPlainObject(override)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(override)) out[k] = deepMerge(base[k], v);
    return out;
  }
  if (Array.isArray(base) && Array.isArray(override) && isNamedList(base) && isNamedList(override)) {
    const out = base.map((item) => {
      const match = override.find((o) => o.name === item.name);
      return match ? deepMerge(item, match) : item;
    });
    for (const o of override) if (!base.some((b) => b.name === o.name)) out.push(o);
    return out;
  }
  return override;
}

function isNamedList(list: unknown[]): list is { name: unknown }[] {
  return list.length > 0 && list.every((x) => isPlainObject(x) && typeof x.name === "string");
}

/**
 * The preflight across blueprints: names unique per account (and region) and public DNS names must not collide
 * between any two of the given deployments (each blueprint already passed `resolveBlueprint` on its own). Throws
 * one BlueprintError, each line under its own blueprint.
 */
export function checkAcrossBlueprints(deployments: readonly Deployment[]): void {
  const found = crossDeploymentIssues(deployments);
  if (found.length === 0) return;
  const byApp = new Map<string, BlueprintIssue[]>();
  for (const x of found) byApp.set(x.deployment.app, [...(byApp.get(x.deployment.app) ?? []), withEnvironment(x)]);
  const [first, ...rest] = [...byApp].map(([app, issues]) => ({ source: `blueprint ${app}`, issues: dedupe(issues) }));
  throw new BlueprintError(first.source, first.issues, rest);
}
