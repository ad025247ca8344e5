import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readSynthesizedStacks, type SynthesizedStack, type TerraformJson } from "../../tools/terraform/cdktf-out";
import { planSetsOffline, planStacksOffline, type OfflineCheck } from "../../tools/terraform/plan-offline";
import { PLANNED_VARIANTS, synthesizeVariant } from "./planned-variants";
import { synthToTemp } from "./synth";

/**
 * The offline plan of every stack of every blueprint, and of the test variants the suites declare
 * (helpers/planned-variants.ts), made once per jest run and shared by the suites that read it (offline-plan.test.ts
 * plans them; a suite that needs a stack's plan takes it from there). The run directory comes from jest's global
 * setup (FBP_TEST_RUN_DIR, removed by the global teardown); the first suite to ask plans, under a lock directory,
 * and the others wait for its results file. Without a run directory (a test file run by hand) the plans are made
 * for this process alone.
 */
export interface PlannedSet {
  /** The variant's name (helpers/planned-variants.ts); undefined for the registered blueprints. */
  readonly variant?: string;
  /** Every stack of the set's synthesis (the planned ones' upstream stacks among them). */
  readonly stacks: readonly SynthesizedStack[];
  /** The planned stacks' results, by id. */
  readonly results: ReadonlyMap<string, OfflineCheck>;
}

export interface OfflinePlans {
  /** Every registered stack (or OFFLINE_PLAN_BLUEPRINT's), each planned. */
  readonly stacks: readonly SynthesizedStack[];
  readonly results: ReadonlyMap<string, OfflineCheck>;
  /** The test variants, planned in the same batches; none when OFFLINE_PLAN_BLUEPRINT narrows the run. */
  readonly variants: readonly PlannedSet[];
  /** Where the stacks were planned (each result's workdir is under it). */
  readonly workroot: string;
}

const RESULTS = "results.json";
let mine: Promise<OfflinePlans> | undefined;

/** Every stack (or OFFLINE_PLAN_BLUEPRINT's) and every planned variant, offline with the real provider; once per run. */
export function offlinePlansOfAllStacks(): Promise<OfflinePlans> {
  mine ??= shared();
  return mine;
}

/**
 * Some stacks' offline plans: from the run's shared plans when they exist or are being made and hold these very
 * configurations seeded alike (the same JSON, the same outputs of the upstream stacks its remote states read),
 * else planned here, together (a suite run by itself, before the shared plans were started, or with a stack the
 * shared plans do not hold). Results in the order of `stacks`.
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
    const sets: PlannedSet[] = [{ stacks: plans.stacks, results: plans.results }, ...plans.variants];
    for (const stack of stacks) {
      const set = sets.find((candidate) => {
        const planned = candidate.stacks.find((s) => s.id === stack.id);
        return (
          planned &&
          candidate.results.has(stack.id) &&
          sameJson(planned, stack) &&
          seededAlike(stack, all, candidate.stacks)
        );
      });
      if (set) found.set(stack.id, set.results.get(stack.id)!);
    }
  }
  const missing = stacks.filter((s) => !found.has(s.id));
  for (const check of await planStacksOffline(missing, all, workroot, { validate: false }))
    found.set(check.stack, check);
  return stacks.map((s) => found.get(s.id)!);
}

const sameJson = (a: SynthesizedStack, b: SynthesizedStack) => JSON.stringify(a.json) === JSON.stringify(b.json);

/** The upstream stacks `stack`'s remote states read publish the same outputs in both syntheses (its seeds are alike). */
function seededAlike(
  stack: SynthesizedStack,
  ours: readonly SynthesizedStack[],
  theirs: readonly SynthesizedStack[],
): boolean {
  const outputsOf = (stacks: readonly SynthesizedStack[], key: string) =>
    JSON.stringify(stacks.find((s) => key === `${s.id}/terraform.tfstate`)?.json.output ?? null);
  return Object.values<TerraformJson>(stack.json.data?.terraform_remote_state ?? {}).every(
    (block) => outputsOf(ours, block.config?.key) === outputsOf(theirs, block.config?.key),
  );
}

function sharedDir(): string | undefined {
  const run = process.env.FBP_TEST_RUN_DIR;
  return run ? path.join(run, `offline-plans-${process.env.OFFLINE_PLAN_BLUEPRINT || "all"}`) : undefined;
}

interface SavedSet {
  readonly variant?: string;
  readonly outdir: string;
  readonly results: OfflineCheck[];
}

async function shared(): Promise<OfflinePlans> {
  const dir = sharedDir();
  if (!dir) return (await plan(fs.mkdtempSync(path.join(os.tmpdir(), "fbp-offline-")))).plans;
  try {
    fs.mkdirSync(dir); // the lock: only one suite of the run plans
  } catch {
    return waitFor(dir);
  }
  const { plans, saved } = await plan(dir);
  fs.writeFileSync(path.join(dir, `${RESULTS}.tmp`), JSON.stringify({ workroot: plans.workroot, sets: saved }));
  fs.renameSync(path.join(dir, `${RESULTS}.tmp`), path.join(dir, RESULTS));
  return plans;
}

async function plan(workroot: string): Promise<{ plans: OfflinePlans; saved: SavedSet[] }> {
  const blueprint = process.env.OFFLINE_PLAN_BLUEPRINT || undefined;
  const registered = synthToTemp({ blueprint });
  const variants = blueprint ? [] : PLANNED_VARIANTS.map((v) => ({ variant: v, ...synthesizeVariant(v) }));
  const sets = [
    { stacks: registered.stacks, all: registered.stacks },
    ...variants.map((v) => ({
      name: v.variant.name,
      stacks: v.stacks.filter((s) => v.variant.planned.includes(s.id)),
      all: v.stacks,
    })),
  ];
  // `terraform plan` validates the configuration first (the same walk as `terraform validate`).
  const checks = await planSetsOffline(sets, workroot, { validate: false });
  const saved: SavedSet[] = [
    { outdir: registered.outdir, results: checks[0] },
    ...variants.map((v, i) => ({ variant: v.variant.name, outdir: v.outdir, results: checks[i + 1] })),
  ];
  return { plans: plansOf(workroot, saved, [registered.stacks, ...variants.map((v) => v.stacks)]), saved };
}

function plansOf(workroot: string, saved: readonly SavedSet[], stacks: readonly SynthesizedStack[][]): OfflinePlans {
  const [registered, ...variants] = saved.map((s, i) => ({
    ...(s.variant === undefined ? {} : { variant: s.variant }),
    stacks: stacks[i],
    results: new Map(s.results.map((c) => [c.stack, c])),
  }));
  return { stacks: registered.stacks, results: registered.results, variants, workroot };
}

async function waitFor(dir: string): Promise<OfflinePlans> {
  const file = path.join(dir, RESULTS);
  const deadline = Date.now() + 30 * 60_000;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`no ${file} after 30 minutes: did the suite planning the stacks die?`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const { workroot, sets }: { workroot: string; sets: SavedSet[] } = JSON.parse(fs.readFileSync(file, "utf8"));
  return plansOf(
    workroot,
    sets,
    sets.map((s) => readSynthesizedStacks(s.outdir)),
  );
}
