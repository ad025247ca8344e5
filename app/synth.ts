import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { BLUEPRINTS } from "../blueprints";
import { checkAcrossBlueprints, resolveBlueprint, type Deployment } from "../schema/resolve";
import { BlueprintError } from "../schema/errors";
import { BlueprintStack } from "../stacks/blueprint-stack";
import { loadBackendConfig, type BackendConfig } from "./backend-config";
import { addStacks, APP_CONTEXT } from "./build";
import { guardHandedOffStacks } from "./handover-guard";
import { HANDED_OFF_FILE, loadHandovers, type Handover } from "./handovers";
import { carryLocalState } from "./local-state";
import { writePolicyFiles } from "./policy-file";
import { withoutTokenTraces } from "./token-traces";

export interface SynthOptions {
  /** Where cdktf.out goes. Default: $CDKTF_OUTDIR or ./cdktf.out. */
  readonly outdir?: string;
  /** Only this blueprint. Default: all. */
  readonly blueprint?: string;
  /** Only this environment. Default: all. */
  readonly environment?: string;
  /** Validate and synthesize this JSON file instead of the registry (for checking a blueprint by hand). */
  readonly blueprintFile?: string;
  /** backend.tf.json location. Default: ./backend.tf.json. */
  readonly backendFile?: string;
  /** The handover registry (handovers.ts). Default: ./handed-off.json; without the file, nothing is handed off. */
  readonly handedOffFile?: string;
  /** Handovers to guard instead of the file's (the handover command, before it records them). */
  readonly handedOff?: readonly Handover[];
  /** Write each stack as HCL (`cdk.tf`) instead of JSON (`cdk.tf.json`), as `cdktf synth --hcl` does. Default: JSON. */
  readonly hcl?: boolean;
}

/** Every deployment the options select, validated. Throws BlueprintError before anything is written. */
export function selectDeployments(options: SynthOptions): Deployment[] {
  return selectWithOthers(options).selected;
}

/**
 * The selected deployments and, beside them, every other valid deployment of the registered blueprints (none for a
 * blueprint file): environments of other blueprints may share an account, whose baseline is made of all of them.
 */
export function selectWithOthers(options: SynthOptions): { selected: Deployment[]; others: Deployment[] } {
  const sources: { input: unknown; source: string }[] = options.blueprintFile
    ? [{ input: readJson(options.blueprintFile), source: options.blueprintFile }]
    : BLUEPRINTS.map((b) => ({ input: b, source: `blueprint ${b.name}` }));
  const known = sources.map((s) => (s.input as { name?: string }).name);
  if (options.blueprint && !known.includes(options.blueprint)) {
    throw new BlueprintError("BLUEPRINT", [
      {
        path: "BLUEPRINT",
        value: options.blueprint,
        message: `names no blueprint. Fix: use one of ${known.join(", ")}`,
      },
    ]);
  }
  const chosen = sources.filter((s) => !options.blueprint || (s.input as { name?: string }).name === options.blueprint);
  const deployments = chosen.flatMap((s) => resolveBlueprint(s.input, s.source));
  // The repository's blueprints may share accounts and DNS: their names are checked together, whichever is chosen
  // (a blueprint that does not validate on its own is left out here; selecting it reports its own errors). A
  // blueprint file is checked on its own.
  const others = options.blueprintFile
    ? []
    : sources.filter((s) => !chosen.includes(s)).flatMap((s) => resolvedOrNone(s.input, s.source));
  if (!options.blueprintFile) checkAcrossBlueprints([...deployments, ...others]);
  if (options.environment) {
    const matching = deployments.filter((d) => d.environment === options.environment);
    if (matching.length === 0) {
      const envs = [...new Set(deployments.map((d) => d.environment))];
      throw new BlueprintError("ENVIRONMENT", [
        {
          path: "ENVIRONMENT",
          value: options.environment,
          message: `names no environment. Fix: use one of ${envs.join(", ")}`,
        },
      ]);
    }
    return { selected: matching, others: [...deployments.filter((d) => !matching.includes(d)), ...others] };
  }
  return { selected: deployments, others };
}

export interface SynthResult {
  readonly outdir: string;
  readonly stacks: string[];
}

/**
 * Validates, then synthesizes into a fresh directory and swaps it in: a failure at any point leaves the previous
 * cdktf.out exactly as it was.
 */
export function synthesize(options: SynthOptions = {}): SynthResult {
  const backend = loadBackendConfig(options.backendFile);
  const { selected: deployments, others } = selectWithOthers(options);
  const registry = path.resolve(options.handedOffFile ?? HANDED_OFF_FILE);
  const handedOff = options.handedOff ?? loadHandovers(registry);
  return synthesizeApp(
    options.outdir,
    (app) => {
      addStacks(app, deployments, backend, others);
      guardHandedOffStacks(app, handedOff, () => registeredStackIds(backend), registry);
    },
    { hcl: options.hcl },
  );
}

/** The options main.ts takes from the environment (BLUEPRINT, ENVIRONMENT, BLUEPRINT_FILE). */
export function synthOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SynthOptions {
  return {
    blueprint: env.BLUEPRINT || undefined,
    environment: env.ENVIRONMENT || undefined,
    blueprintFile: env.BLUEPRINT_FILE || undefined,
  };
}

/** Every stack id of every registered blueprint: their stacks built, not synthesized. */
function registeredStackIds(backend: BackendConfig): Set<string> {
  const app = new App({ context: APP_CONTEXT });
  addStacks(app, selectDeployments({}), backend);
  return new Set(app.node.children.map((c) => c.node.id));
}

/**
 * The one synthesis path: an App with the project's context, filled by `build`, written to a staging directory with
 * each blueprint stack's policy facts beside its JSON (policy-file.ts) and swapped in atomically, carrying over local
 * state (see local-state.ts). Exported for test apps that must synthesize exactly like the real one.
 */
export function synthesizeApp(
  outdirOption: string | undefined,
  build: (app: App) => void,
  options: { readonly hcl?: boolean } = {},
): SynthResult {
  const outdir = path.resolve(outdirOption ?? process.env.CDKTF_OUTDIR ?? "cdktf.out");
  const staging = `${outdir}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  try {
    withoutTokenTraces(() => {
      const hcl = options.hcl ?? ["true", "1"].includes(process.env.SYNTH_HCL_OUTPUT ?? "");
      const app = new App({ outdir: staging, context: APP_CONTEXT, skipBackendValidation: false, hclOutput: hcl });
      // cdktf's stacks read the form from SYNTH_HCL_OUTPUT when they are built (the App's option names the files).
      withEnvironment({ SYNTH_HCL_OUTPUT: String(hcl) }, () => build(app));
      app.synth();
      const stacks = app.node.children.filter((c): c is BlueprintStack => c instanceof BlueprintStack);
      writePolicyFiles(staging, new Map(stacks.map((s) => [s.node.id, s.policyFacts])));
    });
    if (fs.existsSync(outdir)) carryLocalState(outdir, staging);
    const previous = `${outdir}.previous-${process.pid}`;
    if (fs.existsSync(outdir)) fs.renameSync(outdir, previous);
    fs.renameSync(staging, outdir);
    fs.rmSync(previous, { recursive: true, force: true });
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    return { outdir, stacks: Object.keys(manifest.stacks) };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function resolvedOrNone(input: unknown, source: string): Deployment[] {
  try {
    return resolveBlueprint(input, source);
  } catch (e) {
    if (e instanceof BlueprintError) return [];
    throw e;
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new BlueprintError(file, [
      {
        path: "",
        value: undefined,
        message: `cannot be read as JSON (${(e as Error).message}). Fix: correct the file`,
      },
    ]);
  }
}

/** Runs `task` with some environment variables set, restoring them afterwards. */
function withEnvironment(values: Record<string, string>, task: () => void): void {
  const before = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  Object.assign(process.env, values);
  try {
    task();
  } finally {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
