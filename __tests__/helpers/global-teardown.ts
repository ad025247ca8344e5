import * as fs from "fs";

/** Removes the run's shared directory (see global-setup.ts). */
export default function globalTeardown(): void {
  const dir = process.env.FBP_TEST_RUN_DIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
