/* eslint-disable @typescript-eslint/no-require-imports -- jest loads its transformers as CommonJS modules */
/* global require, module */
// Jest's TypeScript transform: esbuild strips the types of each file (isolatedModules, as tsconfig.json requires),
// in about a hundredth of the time the TypeScript compiler takes. Type-checking is tsc's job (npm test runs
// `tsc --noEmit` first). No test relies on hoisted jest.mock calls, which only babel/ts-jest would provide.
const crypto = require("crypto");
const { transformSync, version } = require("esbuild");

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: "ts",
      format: "cjs",
      target: "node20",
      sourcefile: filename,
      sourcemap: "external",
      sourcesContent: false,
    });
    return { code, map };
  },
  getCacheKey(source, filename) {
    return crypto.createHash("sha256").update(`esbuild ${version}\0${filename}\0${source}`).digest("hex");
  },
};
