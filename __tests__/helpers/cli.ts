import { execFile } from "child_process";
import * as path from "path";

export interface ToolRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a tools/ command-line entry point the way `npm run` does after synthesis, from TypeScript source (no build
 * needed in tests: register-esbuild.cjs compiles each file as it is loaded), and resolves with its exit status and
 * output.
 */
export function runTool(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ToolRun> {
  const root = path.join(__dirname, "..", "..");
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["-r", path.join(__dirname, "register-esbuild.cjs"), script, ...args],
      { cwd: root, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
