import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { batchMember, batchRoot, moduleName, stackView, type BatchMember } from "./batch-root";
import type { SynthesizedStack, TerraformJson } from "./cdktf-out";
import { diagnosticText, jsonDiagnostics, memberOf, type TerraformDiagnostic } from "./diagnostics";
import { awsProviderVersion, inPool, offlineTerraformEnv, terraform, type TerraformResult } from "./environment";
import { OFFLINE_PROVIDER_SETTINGS, offlineInputs, prepareOfflineWorkdir } from "./offline";

/**
 * Offline validate + plan + show of many stacks with few Terraform processes (see batch-root.ts): the stacks are
 * shared out among `concurrency` batches; each batch is one generated root that calls its stacks as child modules
 * and runs `init`, `validate`, `plan -out` and `show -json` once for all of them. Each stack's directory is a copy
 * of its shipped file plus the offline override file and seeded upstream states, exactly as when it is planned alone.
 *
 * A stack that fails does not take its batch down with it: its errors (which name its module, its file or its
 * outputs) single it out, the batch runs again without it, and a failure that names no stack is narrowed down by
 * halving the batch until each stack has run alone.
 */

export type OfflineStep = "prepare" | "init" | "validate" | "plan" | "show";

export interface OfflineCheck {
  readonly stack: string;
  /** The stack's working directory: its shipped file, the offline override file and the seeded upstream states. */
  readonly workdir: string;
  /** The step that failed, or undefined when every step passed. */
  readonly failedStep?: OfflineStep;
  /** What Terraform said about this stack, as text (its errors when it failed). */
  readonly output: string;
  /** `terraform validate -json` diagnostics about this stack (absent when validation was not asked for). */
  readonly validation?: { readonly valid: boolean; readonly diagnostics: readonly TerraformDiagnostic[] };
  /** Diagnostics of the plan about this stack (warnings, or the errors that failed it); batched plans only. */
  readonly diagnostics: readonly TerraformDiagnostic[];
  /** `terraform show -json` of the saved plan: this stack's part, addresses as if it had been planned alone. */
  readonly plan?: TerraformJson;
}

export interface OfflinePlanOptions {
  /** Run `terraform validate` before the plan (default true). */
  readonly validate?: boolean;
  /** Terraform processes at once, each planning a share of the stacks (default: the number of cores). */
  readonly concurrency?: number;
  /** Plan after validating (default true); false stops after `terraform validate` (no plan in the results). */
  readonly plan?: boolean;
  /**
   * Validate with the batch root's provider configurations passed to every stack, each stack's own provider blocks
   * left out of its copy (offline.ts `sharedProviders`): a few provider instances per batch instead of one per
   * stack. Only with `plan: false`; the caller proves the provider blocks another way. Default false.
   */
  readonly sharedProviders?: boolean;
}

const PLAN_FILE = "offline.tfplan";
const STACKS_DIR = "stacks";
const SETS_DIR = "sets";

/** Validates and plans `stacks` offline (`all` supplies the upstream stacks' contracts); results in input order. */
export async function planStacksOffline(
  stacks: readonly SynthesizedStack[],
  all: readonly SynthesizedStack[],
  workroot: string,
  options: OfflinePlanOptions = {},
): Promise<OfflineCheck[]> {
  const [checks] = await planSetsOffline([{ stacks, all }], workroot, options);
  return checks;
}

/**
 * Stacks of one synthesis, planned beside those of others in the same batches: a set of a name of its own may hold
 * stacks whose ids another set holds too (a variant of a registered blueprint), each with its own upstream stacks.
 */
export interface OfflineSet {
  /** Names the set's working directories and module names; without one, they are the stacks' ids alone. */
  readonly name?: string;
  /** The stacks to plan. */
  readonly stacks: readonly SynthesizedStack[];
  /** Every stack of the set's synthesis: the contracts its stacks' remote states are seeded from. */
  readonly all: readonly SynthesizedStack[];
}

/** Validates and plans every set's stacks offline, in shared batches; each set's results in its input order. */
export async function planSetsOffline(
  sets: readonly OfflineSet[],
  workroot: string,
  options: OfflinePlanOptions = {},
): Promise<OfflineCheck[][]> {
  if (options.sharedProviders && options.plan !== false) {
    throw new Error("sharedProviders validates only: a plan needs each stack's own provider configuration");
  }
  const results = new Map<string, OfflineCheck>();
  const members: BatchMember[] = [];
  const dirOf = (set: OfflineSet, stack: SynthesizedStack) =>
    set.name === undefined ? path.join(STACKS_DIR, stack.id) : path.join(SETS_DIR, set.name, stack.id);
  for (const set of sets) {
    for (const stack of set.stacks) {
      const dir = path.resolve(workroot, dirOf(set, stack));
      fs.rmSync(dir, { recursive: true, force: true });
      try {
        prepareOfflineWorkdir(stack, set.all, dir, { sharedProviders: options.sharedProviders });
        const module = moduleName(set.name === undefined ? stack.id : `${set.name}__${stack.id}`);
        members.push(batchMember(stack, path.join("..", dirOf(set, stack)), offlineInputs(stack.json), module));
      } catch (e) {
        const output = `preparing ${dir}: ${(e as Error).message}\n`;
        results.set(dir, { stack: stack.id, workdir: dir, failedStep: "prepare", output, diagnostics: [] });
      }
    }
  }
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? os.cpus().length));
  const groups = shares(members, concurrency);
  const run: BatchRun = {
    workroot,
    validate: options.validate !== false || options.plan === false,
    plan: options.plan !== false,
    env: offlineTerraformEnv(members.map((m) => awsProviderVersion(m.stack.json))),
    sharedProviders: options.sharedProviders === true,
    next: 0,
  };
  const planned = await inPool(groups, concurrency, (group) => planBatch(group, run));
  // A stack's working directory is its own in the batch, whatever other set holds its id.
  for (const check of planned.flat()) results.set(path.resolve(check.workdir), check);
  return sets.map((set) => set.stacks.map((s) => results.get(path.resolve(workroot, dirOf(set, s)))!));
}

/**
 * init + validate + plan + show -json of one stack alone, offline, as its own root module in `<workroot>/<stack id>`
 * (a working directory a test can go on using: initialized, with the override and seeds). Terraform's text output
 * of each step, after a `$ terraform ...` line, is in `output`.
 */
export async function checkStackOffline(
  stack: SynthesizedStack,
  all: readonly SynthesizedStack[],
  workroot: string,
  options: { validate?: boolean } = {},
): Promise<OfflineCheck> {
  const workdir = path.join(workroot, stack.id);
  fs.rmSync(workdir, { recursive: true, force: true });
  prepareOfflineWorkdir(stack, all, workdir);
  const env = offlineTerraformEnv([awsProviderVersion(stack.json)]);
  const steps: [OfflineStep, string[]][] = [
    ["init", ["init", "-input=false", "-no-color"]],
    ...(options.validate === false ? [] : [["validate", ["validate", "-no-color"]] as [OfflineStep, string[]]]),
    ["plan", ["plan", "-input=false", "-no-color", "-lock=false", `-out=${PLAN_FILE}`]],
    ["show", ["show", "-json", "-no-color", PLAN_FILE]],
  ];
  let last: TerraformResult | undefined;
  let output = "";
  for (const [step, args] of steps) {
    last = await terraform(args, workdir, env);
    output += `$ terraform ${args.join(" ")}\n${last.stdout}${last.stderr}\n`;
    if (last.code !== 0) return { stack: stack.id, workdir, failedStep: step, output, diagnostics: [] };
  }
  return { stack: stack.id, workdir, output, diagnostics: [], plan: JSON.parse(last!.stdout) };
}

interface BatchRun {
  readonly workroot: string;
  readonly validate: boolean;
  /** Whether to plan (and show) after validating. */
  readonly plan: boolean;
  readonly env: NodeJS.ProcessEnv;
  /** The root's provider configurations are passed to the stacks (OfflinePlanOptions.sharedProviders). */
  readonly sharedProviders: boolean;
  /** Counter for batch root directories (a retried batch gets a fresh one). */
  next: number;
}

/**
 * `count` groups of about equal size (by resources, which is what a plan spends its time on), each in the input
 * order, so that every Terraform process has about as much to do.
 */
export function shares<T extends { stack: SynthesizedStack }>(members: readonly T[], count: number): T[][] {
  const size = (m: T) =>
    1 + Object.values<TerraformJson>(m.stack.json.resource ?? {}).reduce((n, r) => n + Object.keys(r).length, 0);
  const groups = Array.from({ length: Math.min(count, members.length) }, () => ({ load: 0, items: [] as number[] }));
  const bySize = members.map((_, i) => i).sort((a, b) => size(members[b]) - size(members[a]) || a - b);
  for (const i of bySize) {
    const lightest = groups.reduce((a, b) => (b.load < a.load ? b : a));
    lightest.load += size(members[i]);
    lightest.items.push(i);
  }
  return groups.map((g) => g.items.sort((a, b) => a - b).map((i) => members[i]));
}

async function planBatch(members: readonly BatchMember[], run: BatchRun): Promise<OfflineCheck[]> {
  if (members.length === 0) return [];
  const rootDir = path.join(run.workroot, `batch-${run.next++}`);
  fs.rmSync(rootDir, { recursive: true, force: true });
  fs.mkdirSync(rootDir, { recursive: true });
  fs.writeFileSync(
    path.join(rootDir, "main.tf.json"),
    JSON.stringify(
      batchRoot(members, run.sharedProviders ? { settings: OFFLINE_PROVIDER_SETTINGS } : undefined),
      null,
      2,
    ),
  );
  const memberDir = (m: BatchMember) => path.resolve(rootDir, m.source);
  const steps: [OfflineStep, string[]][] = [
    ["init", ["init", "-input=false", "-no-color", "-json"]],
    ...(run.validate ? [["validate", ["validate", "-no-color", "-json"]] as [OfflineStep, string[]]] : []),
    ...(run.plan
      ? [
          ["plan", ["plan", "-input=false", "-no-color", "-json", "-lock=false", `-out=${PLAN_FILE}`]] as [
            OfflineStep,
            string[],
          ],
        ]
      : []),
  ];
  const said = new Map<BatchMember, Partial<Record<OfflineStep, TerraformDiagnostic[]>>>(members.map((m) => [m, {}]));
  let log = "";
  const commands: string[] = [];
  for (const [step, args] of steps) {
    const result = await terraform(args, rootDir, run.env);
    commands.push(`$ terraform ${args.join(" ")} (${members.length} stacks in ${rootDir}): exit ${result.code}`);
    log = `${commands[commands.length - 1]}\n${result.stdout}${result.stderr}`;
    const unattributed: TerraformDiagnostic[] = [];
    for (const d of jsonDiagnostics(result.stdout)) {
      const m = memberOf(d, members, rootDir, memberDir);
      if (!m) unattributed.push(d);
      else if (!isBatchArtifact(d, memberDir(m), rootDir)) (said.get(m)![step] ??= []).push(d);
    }
    if (result.code === 0) continue;
    const culprits = members.filter((m) => said.get(m)![step]?.some((d) => d.severity === "error"));
    if (culprits.length > 0) {
      const failed = culprits.map((m) => failure(m, memberDir(m), step, said.get(m)!, "", commands, run.validate));
      return [...failed, ...(await planBatch(without(members, culprits), run))];
    }
    if (members.length === 1) {
      const only = members[0];
      return [failure(only, memberDir(only), step, said.get(only)!, tail(log, unattributed), commands, run.validate)];
    }
    const half = Math.ceil(members.length / 2);
    return [...(await planBatch(members.slice(0, half), run)), ...(await planBatch(members.slice(half), run))];
  }
  if (!run.plan) {
    return members.map((m) => ({
      stack: m.stack.id,
      workdir: memberDir(m),
      output: `${commands.join("\n")}\n${describe(said.get(m)!)}`,
      validation: { valid: true, diagnostics: said.get(m)!.validate ?? [] },
      diagnostics: [],
    }));
  }
  const show = await terraform(["show", "-json", "-no-color", PLAN_FILE], rootDir, run.env);
  if (show.code !== 0) {
    if (members.length === 1) {
      const only = members[0];
      return [failure(only, memberDir(only), "show", said.get(only)!, show.stderr, commands, run.validate)];
    }
    const half = Math.ceil(members.length / 2);
    return [...(await planBatch(members.slice(0, half), run)), ...(await planBatch(members.slice(half), run))];
  }
  const plan = JSON.parse(show.stdout);
  return members.map((m) => {
    const diagnostics = said.get(m)!;
    return {
      stack: m.stack.id,
      workdir: memberDir(m),
      output: `${commands.join("\n")}\n${describe(diagnostics)}`,
      ...(run.validate ? { validation: { valid: true, diagnostics: diagnostics.validate ?? [] } } : {}),
      diagnostics: diagnostics.plan ?? [],
      plan: stackView(plan, m),
    };
  });
}

function failure(
  m: BatchMember,
  workdir: string,
  step: OfflineStep,
  said: Partial<Record<OfflineStep, TerraformDiagnostic[]>>,
  extra: string,
  commands: readonly string[] = [],
  validated = false,
): OfflineCheck {
  return {
    stack: m.stack.id,
    workdir,
    failedStep: step,
    output: `${commands.join("\n")}\n${m.stack.id}: terraform ${step} failed\n${describe(said)}${extra}`,
    // Validation ran when it failed, or when it passed and a later step failed.
    ...(step === "validate" || (validated && step !== "init")
      ? { validation: { valid: step !== "validate", diagnostics: said.validate ?? [] } }
      : {}),
    diagnostics: said[step] ?? [],
  };
}

function describe(said: Partial<Record<OfflineStep, TerraformDiagnostic[]>>): string {
  return Object.entries(said)
    .map(([step, list]) => (list.length > 0 ? `[${step}]\n${list.map(diagnosticText).join("\n")}` : ""))
    .filter(Boolean)
    .join("\n");
}

/** A failure that names no stack: the unattributed diagnostics and the end of Terraform's output. */
function tail(log: string, unattributed: readonly TerraformDiagnostic[]): string {
  return `${unattributed.map(diagnosticText).join("\n")}\n${log.slice(-4000)}`;
}

/**
 * Warnings Terraform gives child modules only, which the same stack planned as a root module never gets: a backend
 * block is ignored in a child module, and a child module's provider block is checked for being an empty "proxy"
 * (a check that takes a provider block merged with an override file for an empty one). Facts of batching, not of
 * the stack: left out of its diagnostics.
 */
const CHILD_MODULE_ONLY = new Set(["Backend configuration ignored", "Redundant empty provider block"]);

function isBatchArtifact(d: TerraformDiagnostic, dir: string, rootDir: string): boolean {
  return (
    d.severity === "warning" &&
    CHILD_MODULE_ONLY.has(d.summary) &&
    path.resolve(rootDir, d.range?.filename ?? "").startsWith(dir + path.sep)
  );
}

function without<T>(items: readonly T[], removed: readonly T[]): T[] {
  return items.filter((i) => !removed.includes(i));
}
