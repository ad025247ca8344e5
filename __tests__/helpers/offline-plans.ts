import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readSynthesizedStacks, type SynthesizedStack } from "../../tools/terraform/cdktf-out";
import { planStacksOffline, type OfflineCheck } from "../../tools/terraform/plan-offline";
import { synthToTemp } from "./synth";

/**
 * The offline plan of every stack of every blueprint, made once per jest run and shared by the suites that read it
 * (offline-plan.test.ts plans them; a blueprint's suite that needs one of its stacks' plans takes it from there).
 * The run directory comes from jest's global setup (FBP_TEST_RUN_DIR, removed by the global teardown); the first
 * suite to ask plans, under a lock directory, and the others wait for its results file. Without a run directory
 * (a test file run by hand) the plans are made for this process alone.
 */
export interface OfflinePlans {
  readonly stacks: readonly SynthesizedStack[];
  readonly results: ReadonlyMap<string, OfflineCheck>;
  /** Where the stacks were planned (each result's workdir is under it). */
  readonly workroot: string;
}

const RESULTS = "results.json";
let mine: Promise<OfflinePlans> | undefined;

/** Every stack (or OFFLINE_PLAN_BLUEPRINT's), planned offline with the real provider; computed once per run. */
export function offlinePlansOfAllStacks(): Promise<OfflinePlans> {
  mine ??= shared();
  return mine;
}

/**
 * Some stacks' offline plans: from the run's shared plans when they exist or are being made and hold these very
 * configurations, else planned here, together (a suite run by itself, or before the shared plans were started).
 * Results in the order of `stacks`.
 */
export async function offlinePlansOf(
  stacks: readonly SynthesizedStack[],
  all: readonly SynthesizedStack[],
  workroot: string,
): Promise<OfflineCheck[]> {
  const dir = sharedDir();
  const found = new Map<string, OfflineCheck>();
  if (mine || (dir && fs.existsSync(dir))) {
    const plans = await offlinePlansOfAllStacks();
    for (const stack of stacks) {
      const planned = plans.stacks.find((s) => s.id === stack.id);
      if (planned && JSON.stringify(planned.json) === JSON.stringify(stack.json)) {
        found.set(stack.id, plans.results.get(stack.id)!);
      }
    }
  }
  const missing = stacks.filter((s) => !found.has(s.id));
  for (const check of await planStacksOffline(missing, all, workroot)) found.set(check.stack, check);
  return stacks.map((s) => found.get(s.id)!);
}

function sharedDir(): string | undefined {
  const run = process.env.FBP_TEST_RUN_DIR;
  return run ? path.join(run, `offline-plans-${process.env.OFFLINE_PLAN_BLUEPRINT || "all"}`) : undefined;
}

async function shared(): Promise<OfflinePlans> {
  const dir = sharedDir();
  if (!dir) return plan(fs.mkdtempSync(path.join(os.tmpdir(), "fbp-offline-")));
  try {
    fs.mkdirSync(dir); // the lock: only one suite of the run plans
  } catch {
    return waitFor(dir);
  }
  const plans = await plan(dir);
  const serialized = { outdir: plans.outdir, workroot: plans.workroot, results: [...plans.results.values()] };
  fs.writeFileSync(path.join(dir, `${RESULTS}.tmp`), JSON.stringify(serialized));
  fs.renameSync(path.join(dir, `${RESULTS}.tmp`), path.join(dir, RESULTS));
  return plans;
}

async function plan(workroot: string): Promise<OfflinePlans & { outdir: string }> {
  const { outdir, stacks } = synthToTemp({ blueprint: process.env.OFFLINE_PLAN_BLUEPRINT || undefined });
  // `terraform plan` validates the configuration first (the same walk as `terraform validate`).
  const checks = await planStacksOffline(stacks, stacks, workroot, { validate: false });
  return { outdir, stacks, workroot, results: new Map(checks.map((c) => [c.stack, c])) };
}

async function waitFor(dir: string): Promise<OfflinePlans> {
  const file = path.join(dir, RESULTS);
  const deadline = Date.now() + 30 * 60_000;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`no ${file} after 30 minutes: did the suite planning the stacks die?`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const saved = JSON.parse(fs.readFileSync(file, "utf8"));
  const checks: OfflineCheck[] = saved.results;
  return {
    stacks: readSynthesizedStacks(saved.outdir),
    workroot: saved.workroot,
    results: new Map(checks.map((c) => [c.stack, c])),
  };
}
