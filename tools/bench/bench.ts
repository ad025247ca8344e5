import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { measure, median, type Measurement } from "./measure";

/**
 * Synthesis speed and memory, measured (never asserted in a timed test). Medians of RUNS runs each:
 *  (a) the compiled app run directly: node dist/main.js
 *  (b) the same through the CLI: cdktf synth (app command from cdktf.json)
 *  (c) the floor: node -e "require('cdktf')"
 *  (d) the cdktf template's way: type-checking ts-node on main.ts with the provider package loaded from its root
 *      (node -r @cdktf/provider-aws preloads the package root, as the template's root imports do).
 * Usage: npm run bench [-- --runs N --out bench-results.json]
 */
const root = path.resolve(__dirname, "..", "..", "..");
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1] || 5) || 5;
const outFile = path.resolve(
  args.includes("--out") ? args[args.indexOf("--out") + 1] : path.join(root, "bench-results.json"),
);

async function series(name: string, command: string, argv: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const samples: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-bench-"));
    const env = { ...process.env, CHECKPOINT_DISABLE: "1", CDKTF_OUTDIR: path.join(outdir, "cdktf.out"), ...extraEnv };
    samples.push(await measure(command, argv, env, root));
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  const result = {
    name,
    wallSeconds: median(samples.map((s) => s.wallSeconds)),
    peakRssMb: median(samples.map((s) => s.peakRssMb)),
  };
  console.error(`${name}: ${result.wallSeconds.toFixed(2)} s, ${result.peakRssMb.toFixed(0)} MB`);
  return result;
}

async function main() {
  const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
  const a = await series("(a) node dist/main.js", process.execPath, ["dist/main.js"]);
  const b = await series("(b) cdktf synth", bin("cdktf"), [
    "synth",
    "--output",
    path.join(os.tmpdir(), "fbp-bench-cli.out"),
  ]);
  const c = await series("(c) floor: require('cdktf')", process.execPath, ["-e", "require('cdktf')"]);
  const d = await series(
    "(d) template: ts-node + root import",
    process.execPath,
    ["-r", "ts-node/register", "-r", "@cdktf/provider-aws", "main.ts"],
    {
      TS_NODE_TRANSPILE_ONLY: "false",
    },
  );
  const stacks = fs.readdirSync(path.join(root, "cdktf.out", "stacks")).length;
  const report = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version },
    runs,
    stacks,
    results: [a, b, c, d],
    ratios: { aOverFloor: a.wallSeconds / c.wallSeconds, templateOverA: d.wallSeconds / a.wallSeconds },
    targets: {
      aAtMost3xFloor: a.wallSeconds <= 3 * c.wallSeconds,
      aUnder250MB: a.peakRssMb < 250,
      templateAtLeast8xA: d.wallSeconds / a.wallSeconds >= 8,
      cliUnder2_5s: b.wallSeconds < 2.5,
    },
  };
  console.log("| run | median wall (s) | median peak RSS (MB) |");
  console.log("|---|---:|---:|");
  for (const r of report.results)
    console.log(`| ${r.name} | ${r.wallSeconds.toFixed(2)} | ${r.peakRssMb.toFixed(0)} |`);
  console.log(
    `\n(a)/(c) = ${report.ratios.aOverFloor.toFixed(2)}   (d)/(a) = ${report.ratios.templateOverA.toFixed(1)}`,
  );
  console.log(`targets: ${JSON.stringify(report.targets)}`);
  fs.writeFileSync(outFile, JSON.stringify(report, null, 2));
  console.log(`written ${outFile}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
