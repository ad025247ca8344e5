/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    // Type-checking happens once in `tsc --noEmit`; esbuild only strips the types of each file.
    "^.+\\.ts$": "<rootDir>/__tests__/helpers/esbuild-transform.cjs",
  },
  // A directory per run, shared by the test files (the offline plans of every stack are made once per run).
  globalSetup: "<rootDir>/__tests__/helpers/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/helpers/global-teardown.ts",
  // The suite that makes every stack's offline plan starts first; the suites that read those plans start last.
  testSequencer: "<rootDir>/__tests__/helpers/sequencer.cjs",
  // One worker per core, and two on a two-core machine (jest's default is one fewer than the cores): the suites are
  // independent and CPU-bound (Terraform with the aws provider), so a runner with more cores runs more of them at once.
  maxWorkers: Math.max(2, require("os").cpus().length),
  testTimeout: 600000,
};
