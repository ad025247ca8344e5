import { spawn, type ChildProcess } from "child_process";
import type { TerraformResult } from "../../tools/terraform/environment";

export interface FinishedRun extends TerraformResult {
  /** Signal that ended the process, when it was killed. */
  readonly signal: NodeJS.Signals | null;
  /** Date.now() at exit. */
  readonly endedAt: number;
}

export interface RunningTerraform {
  readonly child: ChildProcess;
  readonly result: Promise<FinishedRun>;
  running(): boolean;
  /** stdout so far. */
  output(): string;
  /** SIGKILL to terraform and everything it started (a crash: no cleanup, no unlock). */
  crash(): void;
}

/**
 * Starts terraform without waiting, for the tests that need a run in flight (holding a lock) or killed. It gets its
 * own process group so that a crash takes its provisioners' children with it.
 */
export function startTerraform(args: string[], cwd: string, env: NodeJS.ProcessEnv): RunningTerraform {
  const child = spawn("terraform", args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let exited = false;
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const result = new Promise<FinishedRun>((resolve) =>
    child.on("close", (code, signal) => {
      exited = true;
      resolve({ code: code ?? -1, signal, stdout, stderr, endedAt: Date.now() });
    }),
  );
  return {
    child,
    result,
    running: () => !exited,
    output: () => stdout,
    crash: () => process.kill(-child.pid!, "SIGKILL"),
  };
}

/** Polls `probe` until it returns a value, failing with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
