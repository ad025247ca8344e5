import * as fs from "fs";
import * as path from "path";
import type { SynthesizedStack } from "../terraform/cdktf-out";
import { OFFLINE_AWS_ENV, terraform, terraformEnv } from "../terraform/environment";
import { prepareOfflineWorkdir } from "../terraform/offline";
import type { PlanRoleCredentials } from "./credentials";
import { diagnosticsFromJsonLines, failedStack, summarizeStack, type Diagnostic, type StackSummary } from "./summary";
import { environmentOf, writeVarFile } from "./variables";

export interface PlanOptions {
  /** Plan against empty state with the offline overrides (local backend, seeded upstream outputs). */
  readonly offline: boolean;
  /** Each stack's variable values (vars/, checked by variables.ts), passed with -var-file. Default: none. */
  readonly variables?: ReadonlyMap<string, Record<string, unknown>>;
  /** Each environment's plan role (credentials.ts). Default: the process's own credentials for every stack. */
  readonly credentials?: PlanRoleCredentials;
}

export const PLAN_FILE = "plan.tfplan";

/**
 * init + plan -out + show -json of one synthesized stack in `<workroot>/<stack id>`, summarized. The working
 * directory gets a copy of the shipped cdk.tf.json (plus, offline, the override file), so cdktf.out stays clean
 * and a later synthesis cannot pull the ground from under a running plan.
 *
 * The saved plan stays in the working directory (`terraform show -json plan.tfplan` there shows it again): it holds
 * sensitive values in clear text. Only the summary, which masks them, is meant to leave the machine.
 */
export async function planStack(
  stack: SynthesizedStack,
  all: readonly SynthesizedStack[],
  workroot: string,
  options: PlanOptions,
): Promise<StackSummary> {
  const workdir = path.join(workroot, stack.id);
  fs.rmSync(workdir, { recursive: true, force: true });
  if (options.offline) {
    prepareOfflineWorkdir(stack, all, workdir);
  } else {
    fs.mkdirSync(workdir, { recursive: true });
    fs.copyFileSync(path.join(stack.dir, "cdk.tf.json"), path.join(workdir, "cdk.tf.json"));
  }
  const base = options.offline ? terraformEnv(OFFLINE_AWS_ENV) : backendEnv(workroot);
  // Against the backend, as the stack's environment's plan role when there is one (a fresh token per command).
  const env = async () =>
    options.offline || !options.credentials
      ? base
      : { ...base, ...(await options.credentials.envFor(environmentOf(stack), `plan-${stack.id}`)) };
  // A review plan takes no lock: it writes no state, and the plan role may not write lock items (a pull request's
  // code could otherwise delete a lock an apply holds).
  const lock = ["-lock=false"];
  const varFile = options.offline ? undefined : writeVarFile(workdir, options.variables?.get(stack.id));
  // The plan role may not read parameter values, which the provider's refresh of aws_ssm_parameter decrypts.
  const noRefresh = !options.offline && holdsParameters(stack);
  const inputs = [
    ...(varFile ? [`-var-file=${path.basename(varFile)}`] : []),
    ...(noRefresh ? ["-refresh=false"] : []),
  ];

  const init = await terraform(["init", "-input=false", "-no-color"], workdir, await env());
  if (init.code !== 0) return failedStack(stack.id, "init", [], init.stdout + init.stderr);

  const plan = await terraform(
    ["plan", "-input=false", "-no-color", "-json", ...lock, ...inputs, `-out=${PLAN_FILE}`],
    workdir,
    await env(),
  );
  const diagnostics = [...(noRefresh ? [NOT_REFRESHED] : []), ...diagnosticsFromJsonLines(plan.stdout)];
  if (plan.code !== 0) return failedStack(stack.id, "plan", diagnostics, plan.stderr);

  const show = await terraform(["show", "-json", "-no-color", PLAN_FILE], workdir, await env());
  if (show.code !== 0) return failedStack(stack.id, "show", diagnostics, show.stderr);
  return summarizeStack(stack.id, JSON.parse(show.stdout), diagnostics);
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
