import * as crypto from "crypto";
import * as fs from "fs";
import Module from "module";
import * as path from "path";
import * as vm from "vm";

/**
 * Runs a CommonJS file (the bundled app) as the main module, with V8's code cache kept beside it.
 *
 * Node compiles every function of a script the first time it runs, and a synthesis runs most of cdktf once. A code
 * cache written after a successful run holds the bytecode of every function that ran, so the next run skips parsing
 * and compiling them (Node 22's `module.enableCompileCache()` does the same for each module; Node 20 has no such
 * switch). The cache is named after the SHA-1 of the script, so a rebuilt bundle never meets an old cache, and V8
 * refuses a cache made by another V8 version or other flags (`cachedDataRejected`), in which case it is rewritten.
 * Writing is best effort: a read-only checkout runs without a cache.
 */
export function runWithCodeCache(file: string): void {
  const source = fs.readFileSync(file);
  const digest = crypto.createHash("sha1").update(source).digest("hex").slice(0, 16);
  const cacheFile = `${file}.${digest}.v8cache`;
  const cachedData = readIfPresent(cacheFile);
  const script = new vm.Script(Module.wrap(source.toString("utf8")), { filename: file, cachedData });
  const accepted = cachedData !== undefined && !script.cachedDataRejected;
  if (process.env.FBP_CODE_CACHE_DEBUG === "1") {
    console.error(`code cache: ${cachedData === undefined ? "none" : accepted ? "accepted" : "rejected"}`);
  }
  if (!accepted) {
    process.once("exit", (code) => {
      if (code === 0) writeCache(file, cacheFile, script.createCachedData());
    });
  }
  const main = new Module(file, undefined);
  main.filename = file;
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(main.exports, main.exports, Module.createRequire(file), main, file, path.dirname(file));
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Replaces the caches of earlier builds with this one, atomically (two runs at once each write a whole file). */
function writeCache(file: string, cacheFile: string, data: Buffer): void {
  try {
    const dir = path.dirname(file);
    const prefix = `${path.basename(file)}.`;
    for (const old of fs.readdirSync(dir)) {
      if (old.startsWith(prefix) && old.endsWith(".v8cache")) fs.rmSync(path.join(dir, old), { force: true });
    }
    const partial = `${cacheFile}.${process.pid}.partial`;
    fs.writeFileSync(partial, data);
    fs.renameSync(partial, cacheFile);
  } catch {
    // Best effort: without a cache the app only runs slower.
  }
}
