#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS script, run before anything is compiled */
/* global require, process */
/**
 * `npm test`'s static checks (tsc --noEmit, eslint, prettier --check) at the same time instead of one after another:
 * each is mostly one thread, and CI has two cores. Each check's output is printed whole when it ends, under its
 * name; the exit status is 1 when any of them failed.
 */
const { spawn } = require("child_process");

const CHECKS = ["typecheck", "lint", "format:check"];
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function run(script) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(npm, ["run", "--silent", script], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(`> ${script}: ${code === 0 ? "ok" : `failed (exit ${code})`} in ${seconds} s\n${output}`);
      resolve(code === 0);
    });
  });
}

Promise.all(CHECKS.map(run)).then((results) => {
  process.exitCode = results.every(Boolean) ? 0 : 1;
});
