/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS module preloaded with node -r */
/* global require */
// Loads TypeScript sources in a child process the tests start (helpers/cli.ts): each .ts file is compiled by
// esbuild when required, in place (so __dirname and relative paths stay the sources'). ts-node does the same with
// the TypeScript compiler, which costs about 2.5 s of CPU to start in every process; esbuild about 0.1 s.
// Type-checking is tsc's job (npm test runs it first).
const fs = require("fs");
const { transformSync } = require("esbuild");

require.extensions[".ts"] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, "utf8"), {
    loader: "ts",
    format: "cjs",
    target: "node20",
    sourcefile: filename,
    sourcemap: "inline",
  });
  module._compile(code, filename);
};
