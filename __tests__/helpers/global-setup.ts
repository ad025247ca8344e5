import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * A directory for this jest run, shared by its test files (helpers/offline-plans.ts keeps the run's offline plans
 * there). Workers inherit the variable; the global teardown removes the directory.
 */
export default function globalSetup(): void {
  process.env.FBP_TEST_RUN_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-test-run-"));
}
