import { spawn } from "child_process";
import * as fs from "fs";

export interface Measurement {
  readonly wallSeconds: number;
  /**
   * CPU time (user + system) of the process and every descendant it waited for: on a machine shared with other
   * work, a steadier measure of the work done than wall time.
   */
  readonly cpuSeconds: number;
  /** Peak of the summed resident memory of the process and its descendants, sampled every 10 ms; 0 when not sampled. */
  readonly peakRssMb: number;
}

/**
 * Runs a command to completion, measuring wall time and, with `sampleRss`, the peak RSS of its whole process tree.
 * Sampling reads all of /proc every 10 ms, which costs CPU on a 2-core machine: wall times come from runs without it.
 */
export function measure(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  sampleRss: boolean,
  okCodes: readonly number[] = [0],
): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const cpuBefore = childrenCpuSeconds();
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { env, cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    let peakKb = 0;
    const timer = sampleRss ? setInterval(() => (peakKb = Math.max(peakKb, treeRssKb(child.pid!))), 10) : undefined;
    child.on("error", reject);
    child.on("exit", (code) => {
      clearInterval(timer);
      const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
      // Node reaps the child before "exit": its CPU (and its waited-for descendants') is in our cutime now.
      const cpuSeconds = childrenCpuSeconds() - cpuBefore;
      if (!okCodes.includes(code ?? -1)) {
        reject(new Error(`${command} ${args.join(" ")} exited ${code}: ${stderr.slice(-2000)}`));
      } else resolve({ wallSeconds, cpuSeconds, peakRssMb: peakKb / 1024 });
    });
  });
}

/** CPU seconds of this process's reaped descendants: cutime + cstime of /proc/self/stat, in USER_HZ (100). */
function childrenCpuSeconds(): number {
  const stat = fs.readFileSync("/proc/self/stat", "utf8");
  // Counted from 0 after the command name's ")": 0 state, 11 utime, 12 stime, 13 cutime, 14 cstime.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function treeRssKb(root: number): number {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended between readdir and read.
    }
  }
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    try {
      const match = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
      if (match) total += Number(match[1]);
    } catch {
      // Gone already.
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
