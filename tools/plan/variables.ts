import * as fs from "fs";
import * as path from "path";
import { BLUEPRINTS } from "../../blueprints";
import { parseArn } from "../../schema/preflight/arns";
import type { SynthesizedStack, TerraformJson } from "../terraform/cdktf-out";

/**
 * Values of the Terraform variables a stack declares (today: the HTTPS listener's `certificate_arn` when a blueprint
 * takes its certificate from a variable) live in ONE place in the repository: `vars/<app>-<env>.tfvars.json`, one
 * file per environment, holding every variable of that environment's stacks. The plan command checks the files
 * against the synthesized stacks before any plan starts (a variable no stack declares, a required one missing, an
 * ARN of another region) and gives each stack exactly its own variables.
 *
 * A file is a plain JSON object of variable names to values; a "//" key is a comment and is never passed on.
 */
export const VARS_DIR = "vars";
const COMMENT = "//";

/** Every environment of the repository's blueprints, `<app>-<env>`. */
const REGISTERED = BLUEPRINTS.flatMap((b) => b.environments.map((e) => `${b.name}-${e.name}`));

/** The environment (`<app>-<env>`) a stack belongs to, from the tags every blueprint stack carries. */
export function environmentOf(stack: SynthesizedStack): string | undefined {
  const tags = stack.json.provider?.aws?.[0]?.default_tags?.[0]?.tags;
  return tags?.Application && tags?.Environment ? `${tags.Application}-${tags.Environment}` : undefined;
}

/** The variables a stack declares, each with whether it needs a value (no default). */
function declared(stack: SynthesizedStack): { name: string; required: boolean; type?: string }[] {
  return Object.entries<TerraformJson>(stack.json.variable ?? {}).map(([name, v]) => ({
    name,
    required: v.default === undefined,
    type: v.type,
  }));
}

/** The file of an environment's variables. */
export function varsFile(dir: string, environment: string): string {
  return path.join(dir, `${environment}.tfvars.json`);
}

/** Every environment's variable values found in `dir`; files that are not JSON objects are problems. */
function readVarFiles(dir: string, problems: string[]): Map<string, Record<string, unknown>> {
  const files = new Map<string, Record<string, unknown>>();
  if (!fs.existsSync(dir)) return files;
  for (const name of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".tfvars.json"))
    .sort()) {
    const file = path.join(dir, name);
    try {
      const value = JSON.parse(fs.readFileSync(file, "utf8"));
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not a JSON object");
      files.set(name.replace(/\.tfvars\.json$/, ""), value);
    } catch (e) {
      problems.push(`${file}: cannot be read as a JSON object of variables (${(e as Error).message}). Fix: correct it`);
    }
  }
  return files;
}

export interface StackVariables {
  /** The values to pass to each stack that declares variables, by stack id. */
  readonly values: ReadonlyMap<string, Record<string, unknown>>;
}

/**
 * Checks the variable files in `dir` against the synthesized stacks and returns each stack's values. Throws one
 * error listing every problem, before any plan starts: a file for no environment, a variable no stack of its
 * environment declares, a value of the wrong type or an ARN of another region, and (when `requireAll`, as for plans
 * against the real backend) a required variable of a selected stack that has no value.
 */
export function stackVariables(
  dir: string,
  all: readonly SynthesizedStack[],
  selected: readonly SynthesizedStack[],
  requireAll: boolean,
): StackVariables {
  const problems: string[] = [];
  const files = readVarFiles(dir, problems);
  const byEnvironment = new Map<string, SynthesizedStack[]>();
  for (const s of all) {
    const env = environmentOf(s);
    if (env) byEnvironment.set(env, [...(byEnvironment.get(env) ?? []), s]);
  }
  for (const [env, values] of files) {
    const file = varsFile(dir, env);
    const stacks = byEnvironment.get(env);
    if (!stacks) {
      // An environment of the repository that this synthesis left out (BLUEPRINT=...) is checked when it is in.
      if (REGISTERED.includes(env)) continue;
      problems.push(
        `${file}: names no environment. Fix: rename it to <app>-<env>.tfvars.json of one of ${[...new Set([...byEnvironment.keys(), ...REGISTERED])].join(", ")}`,
      );
      continue;
    }
    for (const [name, value] of Object.entries(values)) {
      if (name === COMMENT) continue;
      const declaring = stacks.filter((s) => declared(s).some((v) => v.name === name));
      if (declaring.length === 0) {
        problems.push(
          `${file}: ${name} is declared by no stack of ${env}. Fix: remove it or correct its spelling (declared: ${
            [...new Set(stacks.flatMap((s) => declared(s).map((v) => v.name)))].join(", ") || "none"
          })`,
        );
        continue;
      }
      for (const stack of declaring) {
        const problem = valueProblem(stack, declared(stack).find((v) => v.name === name)!.type, value);
        if (problem) problems.push(`${file}: ${name} = ${JSON.stringify(value)} ${problem} (stack ${stack.id})`);
      }
    }
  }
  const values = new Map<string, Record<string, unknown>>();
  for (const stack of selected) {
    const env = environmentOf(stack);
    const own = declared(stack);
    if (!env || own.length === 0) continue;
    const given = files.get(env) ?? {};
    const mine = Object.fromEntries(own.filter((v) => v.name in given).map((v) => [v.name, given[v.name]]));
    const missing = own.filter((v) => v.required && !(v.name in given));
    if (requireAll && missing.length > 0) {
      problems.push(
        `${stack.id} needs ${missing.map((v) => v.name).join(", ")}, which ${varsFile(dir, env)} does not give. Fix: add ${missing
          .map((v) => `"${v.name}": ...`)
          .join(", ")} to it (docs/plan-review.md#stack-variables)`,
      );
    }
    values.set(stack.id, mine);
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return { values };
}

/** What is wrong with a value for a stack's variable, or undefined. */
function valueProblem(stack: SynthesizedStack, type: string | undefined, value: unknown): string | undefined {
  if (type === "string" && typeof value !== "string") return "is not a string. Fix: write it in quotes";
  if (typeof value !== "string") return undefined;
  const arn = parseArn(value);
  const region = stack.json.provider?.aws?.[0]?.region;
  // Like the preflight's ARN rules: what a stack is given must live in the stack's region.
  if (arn && arn.region && region && arn.region !== region) {
    return `is an ARN in ${arn.region}, but the stack deploys to ${region}. Fix: use the ${arn.service} resource of ${region}`;
  }
  return undefined;
}

/** Writes a stack's values into its working directory for `-var-file`, or returns undefined when it has none. */
export function writeVarFile(workdir: string, values: Record<string, unknown> | undefined): string | undefined {
  if (!values || Object.keys(values).length === 0) return undefined;
  const file = path.join(workdir, "stack.tfvars.json");
  fs.writeFileSync(file, JSON.stringify(values, null, 2) + "\n");
  return file;
}
