import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkout, synthesizeTree } from "../plan/base";
import { measure, median, type Measurement } from "./measure";

/**
 * What the plan-review rows of `npm run bench` run on: a synthesis of the working tree, and a checkout of HEAD with
 * a one-field change in one blueprint (library-app's first service runs one more task) and its synthesis, for
 * `npm run plan -- --base HEAD` run inside that checkout.
 */
export interface PlanBench {
  /** Synthesis of the working tree. */
  readonly outdir: string;
  /** Checkout of HEAD with the one-field change, and its synthesis. */
  readonly changed: { readonly dir: string; readonly outdir: string };
  cleanup(): void;
}

/** The one field the `--base` row changes: a service's desired count. */
export const ONE_FIELD_CHANGE = { file: "blueprints/library-app.ts", from: "desiredCount: 2,", to: "desiredCount: 3," };

export function preparePlanBench(root: string): PlanBench {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-bench-plan-"));
  const outdir = path.join(scratch, "cdktf.out");
  synthesizeTree(root, path.join(scratch, "bundle", "main.js"), outdir);
  const tree = checkout(root, "HEAD", path.join(scratch, "changed"));
  const cleanup = () => {
    tree.remove();
    fs.rmSync(scratch, { recursive: true, force: true });
  };
  try {
    const file = path.join(tree.dir, ONE_FIELD_CHANGE.file);
    const text = fs.readFileSync(file, "utf8");
    if (!text.includes(ONE_FIELD_CHANGE.from)) {
      throw new Error(`${ONE_FIELD_CHANGE.file} at HEAD has no "${ONE_FIELD_CHANGE.from}": update the bench's change`);
    }
    fs.writeFileSync(file, text.replace(ONE_FIELD_CHANGE.from, ONE_FIELD_CHANGE.to));
    const changedOut = path.join(scratch, "changed-cdktf.out");
    synthesizeTree(tree.dir, path.join(scratch, "changed-bundle", "main.js"), changedOut);
    return { outdir, changed: { dir: tree.dir, outdir: changedOut }, cleanup };
  } catch (e) {
    cleanup();
    throw e;
  }
}

export interface PlanRow {
  readonly name: string;
  readonly runs: number;
  readonly wallSeconds: number;
  readonly wallRange: readonly [number, number];
  readonly cpuSeconds: number;
  /** Load average over the last minute when the runs started (the machine is shared). */
  readonly load: readonly number[];
}

/**
 * The full offline plan and the `--base` plan of the one-field change, `runs` times each, alternating (a slow spell
 * hits both alike); medians, with the range. The plan command exits 2 when there are changes: that is success here.
 */
export async function measurePlanReview(root: string, runs: number): Promise<PlanRow[]> {
  const bench = preparePlanBench(root);
  const cli = path.join(root, "dist", "tools", "plan", "cli.js");
  const env = { ...process.env, CHECKPOINT_DISABLE: "1" };
  const series = [
    {
      name: "full offline plan of every stack (npm run plan -- --offline, after synthesis)",
      cwd: root,
      argv: [cli, "--offline", "--cdktf-out", bench.outdir],
    },
    {
      name: `--base HEAD, one field changed (${ONE_FIELD_CHANGE.file}: ${ONE_FIELD_CHANGE.from} → ${ONE_FIELD_CHANGE.to})`,
      cwd: bench.changed.dir,
      argv: [cli, "--offline", "--base", "HEAD", "--cdktf-out", bench.changed.outdir],
    },
  ];
  const samples = series.map(() => [] as Measurement[]);
  const loads = series.map(() => [] as number[]);
  try {
    for (let round = 0; round < runs; round++) {
      for (const [i, s] of series.entries()) {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-bench-review-"));
        loads[i].push(os.loadavg()[0]);
        try {
          samples[i].push(await measure(process.execPath, [...s.argv, "--out", out], env, s.cwd, false, [0, 2]));
        } finally {
          fs.rmSync(out, { recursive: true, force: true });
        }
      }
      console.error(`plan review round ${round + 1}/${runs}`);
    }
  } finally {
    bench.cleanup();
  }
  return series.map((s, i) => row(s.name, samples[i], loads[i]));
}

/** `npm test` once, as a developer runs it (opt-in: it takes minutes). */
export async function measureNpmTest(root: string): Promise<PlanRow> {
  const load = os.loadavg()[0];
  const m = await measure("npm", ["test"], { ...process.env, CHECKPOINT_DISABLE: "1" }, root, false);
  return row("npm test (tsc, eslint, prettier --check, jest)", [m], [load, os.loadavg()[0]]);
}

function row(name: string, samples: readonly Measurement[], load: readonly number[]): PlanRow {
  const walls = samples.map((m) => m.wallSeconds);
  return {
    name,
    runs: samples.length,
    wallSeconds: median(walls),
    wallRange: [Math.min(...walls), Math.max(...walls)],
    cpuSeconds: median(samples.map((m) => m.cpuSeconds)),
    load: load.map((l) => Math.round(l * 10) / 10),
  };
}
