import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { synthesize } from "../../app/synth";
import { estimateCosts } from "../cost/estimate";
import { loadUsage } from "../cost/usage";
import { readSynthesizedStacks } from "../terraform/cdktf-out";
import { measure, median } from "./measure";

/**
 * How long pricing takes (it only reads JSON), measured, never asserted in a test. Synthesizes every blueprint once
 * into a temp dir, then medians of RUNS runs of:
 *  (a) estimateCosts over all stacks in this process (warm: the modules and price files are loaded), wall and CPU;
 *  (b) the command as a whole, `node dist/tools/cost/cli.js --json`, start-up included: wall, peak RSS, and CPU
 *      (user + system, from /usr/bin/time), which a busy shared machine inflates far less than wall time.
 * Usage: npm run bench:cost [-- --runs N]
 */
const root = path.resolve(__dirname, "..", "..", "..");
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1] || 10) || 10;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-bench-cost-"));
  try {
    const outdir = path.join(dir, "cdktf.out");
    synthesize({ outdir });
    const stacks = readSynthesizedStacks(outdir);
    estimateCosts(stacks, { usage: loadUsage("small") }); // warm-up: loads price files and compiles the code paths
    const walls: number[] = [];
    const cpus: number[] = [];
    for (let i = 0; i < runs; i++) {
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      estimateCosts(stacks, { usage: loadUsage("small") });
      walls.push(Number(process.hrtime.bigint() - start) / 1e6);
      const used = process.cpuUsage(cpu);
      cpus.push((used.user + used.system) / 1000);
    }
    const cli = [];
    for (let i = 0; i < runs; i++)
      cli.push(
        await measure(
          process.execPath,
          ["dist/tools/cost/cli.js", "--json", "--cdktf-out", outdir],
          process.env,
          root,
          i % 2 === 1,
        ),
      );
    const rss = cli.filter((_, i) => i % 2 === 1).map((m) => m.peakRssMb);
    const cliCpu: number[] = [];
    for (let i = 0; i < runs; i++) {
      const run = spawnSync(
        "/usr/bin/time",
        ["-f", "%U %S", process.execPath, "dist/tools/cost/cli.js", "--json", "--cdktf-out", outdir],
        { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
      );
      const [user, system] = run.stderr.trim().split("\n").pop()!.split(" ").map(Number);
      cliCpu.push((user + system) * 1000);
    }
    console.log(`${stacks.length} stacks, ${runs} runs, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}`);
    console.log("| run | median wall | median CPU | median peak RSS |");
    console.log("|---|---:|---:|---:|");
    console.log(`| (a) estimateCosts, in process | ${median(walls).toFixed(0)} ms | ${median(cpus).toFixed(0)} ms | |`);
    console.log(
      `| (b) node dist/tools/cost/cli.js --json | ${(median(cli.map((m) => m.wallSeconds)) * 1000).toFixed(0)} ms | ` +
        `${median(cliCpu).toFixed(0)} ms | ${median(rss).toFixed(0)} MB |`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
