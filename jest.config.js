/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    // Type-checking happens once in `tsc --noEmit`; per-file transpilation keeps jest fast.
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
  testTimeout: 600000,
};
