import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stackFile, type SynthesizedStack } from "../terraform/cdktf-out";
import {
  awsProviderVersion,
  inPool,
  offlineTerraformEnv,
  PROVIDER_OVERRIDE_NOTICE,
  terraform,
  terraformEnv,
} from "../terraform/environment";
import { prepareOfflineWorkdir } from "../terraform/offline";
import { planStacksOffline } from "../terraform/plan-offline";
import type { PlanRoleCredentials } from "./credentials";
import {
  diagnosticsFromJsonLines,
  failedStack,
  summarizeStack,
  toDiagnostic,
  type Diagnostic,
  type StackSummary,
} from "./summary";
import { environmentOf, writeVarFile } from "./variables";

export interface PlanOptions {
  /** Plan against empty state with the offline overrides (local backend, seeded upstream outputs). */
  readonly offline: boolean;
  /** Terraform processes at once (default: the number of cores). */
  readonly concurrency?: number;
  /** Each stack's variable values (vars/, checked by variables.ts), passed with -var-file. Default: none. */
  readonly variables?: ReadonlyMap<string, Record<string, unknown>>;
  /** Each environment's plan role (credentials.ts). Default: the process's own credentials for every stack. */
  readonly credentials?: PlanRoleCredentials;
}

export const PLAN_FILE = "plan.tfplan";

/**
 * Plans the selected stacks, at the same time as far as `concurrency` allows; summaries in the order given.
 *
 * No order among the plans needs keeping: a plan never writes state, so no stack's plan can see another's. Offline,
 * every upstream output is seeded from the synthesized contract; against the backend, each plan reads the upstream
 * state as it is now, which is the same whichever plan runs first. (Apply order matters, and the summary keeps it.)
 *
 * Offline, the stacks are planned in batches (tools/terraform/plan-offline.ts): `concurrency` Terraform processes,
 * each planning its share of the stacks as child modules of one root. Against the backend each stack has its own
 * backend, so each is its own Terraform process; the first initializes alone so that the shared plugin cache is
 * filled before the others read it (Terraform does not promise that concurrent installs into one cache are safe).
 */
export async function planStacks(
  stacks: readonly SynthesizedStack[],
  all: readonly SynthesizedStack[],
  workroot: string,
  options: PlanOptions,
  onDone: (summary: StackSummary) => void = () => undefined,
): Promise<StackSummary[]> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? os.cpus().length));
  if (options.offline) {
    const checks = await planStacksOffline(stacks, all, workroot, { validate: false, concurrency });
    return checks.map((c) => {
      const diagnostics = c.diagnostics.map(toDiagnostic);
      const summary = c.plan
        ? summarizeStack(c.stack, c.plan, diagnostics)
        : failedStack(c.stack, c.failedStep ?? "plan", diagnostics, c.output);
      onDone(summary);
      return summary;
    });
  }
  const plan = async (stack: SynthesizedStack) => {
    const summary = await planStack(stack, all, workroot, options);
    onDone(summary);
    return summary;
  };
  if (stacks.length === 0) return [];
  const first = await plan(stacks[0]);
  return [first, ...(await inPool(stacks.slice(1), concurrency, plan))];
}

/**
 * init + plan -out + show -json of one synthesized stack in `<workroot>/<stack id>`, summarized. The working
 * directory gets a copy of the shipped configuration (plus, offline, the override file), so cdktf.out stays clean
 * and a later synthesis cannot pull the ground from under a running plan. With `destroy`, the plan is
 * `terraform plan -destroy`: what removing the stack means for what its state holds.
 *
 * The saved plan stays in the working directory (`terraform show -json plan.tfplan` there shows it again): it holds
 * sensitive values in clear text. Only the summary, which masks them, is meant to leave the machine.
 */
export async function planStack(
  stack: SynthesizedStack,
  all: readonly SynthesizedStack[],
  workroot: string,
  options: PlanOptions & { readonly destroy?: boolean; readonly refresh?: boolean },
): Promise<StackSummary> {
  const workdir = path.join(workroot, stack.id);
  fs.rmSync(workdir, { recursive: true, force: true });
  if (options.offline) {
    prepareOfflineWorkdir(stack, all, workdir);
  } else {
    fs.mkdirSync(workdir, { recursive: true });
    fs.copyFileSync(path.join(stack.dir, stackFile(stack)), path.join(workdir, stackFile(stack)));
  }
  return planIn(stack, workdir, options);
}

/** init + plan + show of a stack in a prepared working directory. */
export async function planIn(
  stack: SynthesizedStack,
  workdir: string,
  options: PlanOptions & { readonly destroy?: boolean; readonly refresh?: boolean },
): Promise<StackSummary> {
  const id = stack.id;
  const base = options.offline
    ? offlineTerraformEnv([awsProviderVersion(stack.json)])
    : backendEnv(path.dirname(workdir));
  // Against the backend, as the stack's environment's plan role when there is one (a fresh token per command).
  const env = async () =>
    options.offline || !options.credentials
      ? base
      : { ...base, ...(await options.credentials.envFor(environmentOf(stack), `plan-${id}`)) };
  // A review plan takes no lock: it writes no state (offline state is a throwaway local file), and the plan role may
  // not write lock items (a pull request's code could otherwise delete a lock an apply holds).
  const lock = ["-lock=false"];
  const varFile = options.offline ? undefined : writeVarFile(workdir, options.variables?.get(id));
  // The plan role may not read parameter values, which the provider's refresh of aws_ssm_parameter decrypts.
  const noRefresh = !options.offline && holdsParameters(stack);
  const extra = [
    ...(options.destroy ? ["-destroy"] : []),
    ...(options.refresh === false || noRefresh ? ["-refresh=false"] : []),
    ...(varFile ? [`-var-file=${path.basename(varFile)}`] : []),
  ];

  const init = await terraform(["init", "-input=false", "-no-color"], workdir, await env());
  if (init.code !== 0) return failedStack(id, "init", [], init.stdout + init.stderr);

  const plan = await terraform(
    ["plan", "-input=false", "-no-color", "-json", ...lock, ...extra, `-out=${PLAN_FILE}`],
    workdir,
    await env(),
  );
  const diagnostics = [
    ...(noRefresh ? [NOT_REFRESHED] : []),
    ...diagnosticsFromJsonLines(plan.stdout).filter((d) => d.summary !== PROVIDER_OVERRIDE_NOTICE),
  ];
  if (plan.code !== 0) return failedStack(id, "plan", diagnostics, plan.stderr);

  const show = await terraform(["show", "-json", "-no-color", PLAN_FILE], workdir, await env());
  if (show.code !== 0) return failedStack(id, "show", diagnostics, show.stderr);
  return summarizeStack(id, JSON.parse(show.stdout), diagnostics);
}

const NOT_REFRESHED: Diagnostic = {
  severity: "warning",
  summary: "Planned without refresh (-refresh=false)",
  detail:
    "The stack holds SSM parameters, whose refresh decrypts their values, which the plan role may not read: the plan compares the configuration with the last applied state, so changes made outside Terraform do not show.",
};

/** Whether a stack holds SSM parameters, whose refresh reads their (out-of-band) values. */
function holdsParameters(stack: SynthesizedStack): boolean {
  return Object.keys(stack.json.resource?.aws_ssm_parameter ?? {}).length > 0;
}

/**
 * Against the real backend Terraform installs providers its usual way (registry, or the user's CLI config), unless
 * TF_PROVIDER_MIRROR names a filesystem mirror. No mirror search here: a CI runner has the registry, and a search of
 * its disk would only cost time.
 */
function backendEnv(workroot: string): NodeJS.ProcessEnv {
  if (process.env.TF_PROVIDER_MIRROR) return terraformEnv();
  // Every stack pins the same provider: download it once per run, not once per stack.
  const cache = process.env.TF_PLUGIN_CACHE_DIR || path.join(workroot, ".plugin-cache");
  fs.mkdirSync(cache, { recursive: true });
  return { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0", TF_PLUGIN_CACHE_DIR: cache };
}
