import * as fs from "fs";
import * as path from "path";
import type { SynthesizedStack } from "../terraform/cdktf-out";
import { OFFLINE_AWS_ENV, terraform, terraformEnv } from "../terraform/environment";
import { prepareOfflineWorkdir } from "../terraform/offline";
import { diagnosticsFromJsonLines, failedStack, summarizeStack, type StackSummary } from "./summary";

export interface PlanOptions {
  /** Plan against empty state with the offline overrides (local backend, seeded upstream outputs). */
  readonly offline: boolean;
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
  const env = options.offline ? terraformEnv(OFFLINE_AWS_ENV) : backendEnv(workroot);
  // Offline state is a throwaway local file; the real backend is locked like any plan (and waits for a holder).
  const lock = options.offline ? ["-lock=false"] : ["-lock-timeout=120s"];

  const init = await terraform(["init", "-input=false", "-no-color"], workdir, env);
  if (init.code !== 0) return failedStack(stack.id, "init", [], init.stdout + init.stderr);

  const plan = await terraform(
    ["plan", "-input=false", "-no-color", "-json", ...lock, `-out=${PLAN_FILE}`],
    workdir,
    env,
  );
  const diagnostics = diagnosticsFromJsonLines(plan.stdout);
  if (plan.code !== 0) return failedStack(stack.id, "plan", diagnostics, plan.stderr);

  const show = await terraform(["show", "-json", "-no-color", PLAN_FILE], workdir, env);
  if (show.code !== 0) return failedStack(stack.id, "show", diagnostics, show.stderr);
  return summarizeStack(stack.id, JSON.parse(show.stdout), diagnostics);
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
