import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { measure, median, type Measurement } from "./measure";
import { measureNpmTest, measurePlanReview, type PlanRow } from "./plan";

/**
 * Synthesis speed and memory, measured (never asserted in a timed test). Medians of RUNS runs each:
 *  (a) the compiled app run directly: cdktf.json's app command (the bundle with V8's code cache, app/run-bundle.ts)
 *  (a0) for comparison, tsc's output without the bundle: node dist/main.js
 *  (b) the same through the CLI: cdktf synth (app command from cdktf.json)
 *  (c) the floor: node -e "require('cdktf')"
 *  (d) the cdktf template's way: type-checking ts-node on main.ts with the provider package loaded from its root
 *      (node -r @cdktf/provider-aws preloads the package root, as the template's root imports do).
 * Then plan review (plan.ts): the offline plan of every stack, and `--base` with a one-field change, PLAN_RUNS times
 * each (0 leaves them out); with --npm-test, `npm test` once.
 * Usage: npm run bench [-- --runs N --plan-runs N --npm-test --out bench-results.json]
 */
const root = path.resolve(__dirname, "..", "..", "..");
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1] || 5) || 5;
const planRuns = args.includes("--plan-runs") ? Number(args[args.indexOf("--plan-runs") + 1]) : 3;
const outFile = path.resolve(
  args.includes("--out") ? args[args.indexOf("--out") + 1] : path.join(root, "bench-results.json"),
);

interface Series {
  readonly name: string;
  readonly command: string;
  readonly argv: string[];
  readonly extraEnv?: NodeJS.ProcessEnv;
}

async function once(s: Series, sampleRss: boolean): Promise<Measurement> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-bench-"));
  const env = { ...process.env, CHECKPOINT_DISABLE: "1", CDKTF_OUTDIR: path.join(outdir, "cdktf.out"), ...s.extraEnv };
  try {
    return await measure(s.command, s.argv, env, root, sampleRss);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Round-robin over the series, so that a slow spell of a shared machine hits all of them alike and the ratios hold:
 * each round times every series once without memory sampling, then samples its memory in a second run. Each round
 * starts one series later than the one before, so that no series always runs right after the same other one.
 */
async function measureAll(all: readonly Series[]) {
  const walls = all.map(() => [] as number[]);
  const rss = all.map(() => [] as number[]);
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < all.length; k++) {
      const i = (round + k) % all.length;
      walls[i].push((await once(all[i], false)).wallSeconds);
      rss[i].push((await once(all[i], true)).peakRssMb);
    }
    console.error(`round ${round + 1}/${runs}`);
  }
  return all.map((s, i) => ({ name: s.name, wallSeconds: median(walls[i]), peakRssMb: median(rss[i]) }));
}

/** The app command cdktf.json gives the CLI, split into argv (it is a plain `node <file>` line). */
function appCommand(): string[] {
  const app: string = JSON.parse(fs.readFileSync(path.join(root, "cdktf.json"), "utf8")).app;
  const [command, ...argv] = app.split(/\s+/);
  if (command !== "node") throw new Error(`cdktf.json app "${app}" does not start with node: bench cannot run it`);
  return argv;
}

/**
 * Stacks one synthesis writes, from a run of its own (cdktf.out in the project may be stale). Being the first run of
 * the app, it also leaves the code cache every later run of a fresh build uses.
 */
function countStacks(): number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-bench-count-"));
  try {
    execFileSync(process.execPath, appCommand(), { cwd: root, env: { ...process.env, CDKTF_OUTDIR: outdir } });
    return fs.readdirSync(path.join(outdir, "stacks")).length;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

async function main() {
  const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
  const stacks = countStacks();
  const [a, a0, b, c, d] = await measureAll([
    {
      name: `(a) ${["node", ...appCommand()].join(" ")} (bundle, code cache)`,
      command: process.execPath,
      argv: appCommand(),
    },
    { name: "(a0) node dist/main.js (tsc output, unbundled)", command: process.execPath, argv: ["dist/main.js"] },
    {
      name: "(b) cdktf synth",
      command: bin("cdktf"),
      argv: ["synth", "--output", path.join(os.tmpdir(), "fbp-bench-cli.out")],
    },
    { name: "(c) floor: require('cdktf')", command: process.execPath, argv: ["-e", "require('cdktf')"] },
    {
      name: "(d) template: ts-node + root import",
      command: process.execPath,
      argv: ["-r", "ts-node/register", "-r", "@cdktf/provider-aws", "main.ts"],
      extraEnv: { TS_NODE_TRANSPILE_ONLY: "false" },
    },
  ]);
  const planReview: PlanRow[] = planRuns > 0 ? await measurePlanReview(root, planRuns) : [];
  if (args.includes("--npm-test")) planReview.push(await measureNpmTest(root));
  const [full, base] = planReview;
  const report = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version },
    runs,
    stacks,
    results: [a, a0, b, c, d],
    planReview,
    ratios: {
      aOverFloor: a.wallSeconds / c.wallSeconds,
      templateOverA: d.wallSeconds / a.wallSeconds,
      unbundledOverA: a0.wallSeconds / a.wallSeconds,
    },
    targets: {
      aAtMost3xFloor: a.wallSeconds <= 3 * c.wallSeconds,
      aUnder250MB: a.peakRssMb < 250,
      templateAtLeast8xA: d.wallSeconds / a.wallSeconds >= 8,
      cliUnder2_5s: b.wallSeconds < 2.5,
      ...(base ? { baseAtMost15PercentOfFull: base.wallSeconds <= 0.15 * full.wallSeconds } : {}),
    },
  };
  console.log("| run | median wall (s) | median peak RSS (MB) |");
  console.log("|---|---:|---:|");
  for (const r of report.results)
    console.log(`| ${r.name} | ${r.wallSeconds.toFixed(2)} | ${r.peakRssMb.toFixed(0)} |`);
  console.log(
    `\n(a)/(c) = ${report.ratios.aOverFloor.toFixed(2)}   (d)/(a) = ${report.ratios.templateOverA.toFixed(1)}`,
  );
  if (planReview.length > 0) {
    console.log("\n| plan review | runs | median wall (s) | range (s) | median CPU (s) | load (1 min) |");
    console.log("|---|---:|---:|---:|---:|---|");
    for (const r of planReview) {
      const range = `${r.wallRange[0].toFixed(1)}–${r.wallRange[1].toFixed(1)}`;
      const row = [r.name, r.runs, r.wallSeconds.toFixed(1), range, r.cpuSeconds.toFixed(1), r.load.join(", ")];
      console.log(`| ${row.join(" | ")} |`);
    }
    if (base) console.log(`\n--base / full = ${(base.wallSeconds / full.wallSeconds).toFixed(2)} (wall)`);
  }
  console.log(`targets: ${JSON.stringify(report.targets)}`);
  fs.writeFileSync(outFile, JSON.stringify(report, null, 2));
  console.log(`written ${outFile}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
