/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS module preloaded with node -r */
/* global require, process, __dirname */
// Loads TypeScript sources in a child process the tests start (helpers/cli.ts): each .ts file is compiled by
// esbuild when required, in place (so __dirname and relative paths stay the sources'). ts-node does the same with
// the TypeScript compiler, which costs about 2.5 s of CPU to start in every process; esbuild about 0.1 s.
// Type-checking is tsc's job (npm test runs it first).
//
// A command loads some 150 files, and the tests start it again and again with the same sources: each compiled file
// is kept in node_modules/.cache, named by a hash of what esbuild was given (its version, the options, the path and
// the source), so a later process reads it instead of asking esbuild again (which then never starts).
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const CACHE = path.join(__dirname, "..", "..", "node_modules", ".cache", "fbp-register-esbuild");
const ESBUILD_VERSION = require("esbuild/package.json").version;
let esbuild;

require.extensions[".ts"] = (module, filename) => {
  const source = fs.readFileSync(filename, "utf8");
  const options = { loader: "ts", format: "cjs", target: "node20", sourcefile: filename, sourcemap: "inline" };
  const key = crypto
    .createHash("sha256")
    .update(JSON.stringify([ESBUILD_VERSION, options, source]))
    .digest("hex");
  const cached = path.join(CACHE, `${key}.js`);
  let code;
  try {
    code = fs.readFileSync(cached, "utf8");
  } catch {
    esbuild ??= require("esbuild");
    code = esbuild.transformSync(source, options).code;
    // Written whole under a name of its own, then renamed: a process reading the entry never sees half of it.
    const partial = `${cached}.${process.pid}.tmp`;
    fs.mkdirSync(CACHE, { recursive: true });
    fs.writeFileSync(partial, code);
    fs.renameSync(partial, cached);
  }
  module._compile(code, filename);
};
