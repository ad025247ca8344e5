import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildSync } from "esbuild";
import { bundleApp } from "../tools/build/bundle-app";
import { synthToTemp } from "./helpers/synth";
import { treeDigest } from "./helpers/tree-digest";
import { handedOffIn } from "../app/handovers";
import { readSynthesizedStacks } from "../tools/terraform/cdktf-out";

/**
 * The app cdktf.json runs is main.ts bundled by esbuild and started with V8's code cache (app/code-cache.ts). It must
 * write exactly what the TypeScript sources write, and the cache must never be used for a script it was not made
 * from.
 */
const ROOT = path.join(__dirname, "..");

interface Run {
  readonly code: number;
  readonly stderr: string;
  readonly outdir: string;
}

/**
 * app/code-cache.ts compiled to JavaScript (esbuild, as for the app), so that each run below is a plain `node` process
 * like dist/app/run-bundle.js, without ts-node compiling in every one.
 */
function compileCodeCache(dir: string): string {
  const outfile = path.join(dir, "code-cache.js");
  buildSync({
    entryPoints: [path.join(ROOT, "app", "code-cache.ts")],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    logLevel: "warning",
  });
  return outfile;
}

let codeCache: string;

/** Runs the bundle through runWithCodeCache in a process of its own, the way dist/app/run-bundle.js does. */
function runBundle(bundle: string, env: NodeJS.ProcessEnv = {}, cwd = ROOT): Promise<Run> {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fbp-bundle-run-")), "cdktf.out");
  const launcher = `require(${JSON.stringify(codeCache)}).runWithCodeCache(process.argv[1])`;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["-e", launcher, bundle],
      {
        cwd,
        env: {
          ...process.env,
          CDKTF_OUTDIR: outdir,
          FBP_CODE_CACHE_DEBUG: "1",
          BLUEPRINT: "",
          ENVIRONMENT: "",
          ...env,
        },
      },
      (error, _stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stderr, outdir }),
    );
  });
}

const caches = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith(".v8cache"));

describe("the bundled app", () => {
  let dir: string;
  let bundle: string;
  let expected: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-bundle-"));
    bundle = bundleApp(ROOT, path.join(dir, "main.js"));
    codeCache = compileCodeCache(dir);
    expected = treeDigest(synthToTemp().outdir);
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes byte-for-byte what the sources write, first without a cache, then with the one it left", async () => {
    const first = await runBundle(bundle);
    expect(first).toMatchObject({ code: 0, stderr: "code cache: none\n" });
    expect(treeDigest(first.outdir)).toBe(expected);
    expect(caches(dir)).toEqual([expect.stringMatching(/^main\.js\.[0-9a-f]{16}\.v8cache$/)]);

    const second = await runBundle(bundle);
    expect(second).toMatchObject({ code: 0, stderr: "code cache: accepted\n" });
    expect(treeDigest(second.outdir)).toBe(expected);
  });

  it("keeps provider classes deep-imported: the bundle holds only the resources the stacks use", () => {
    const source = fs.readFileSync(bundle, "utf8");
    expect(source).toContain('fqn:"@cdktf/provider-aws.ecsService.EcsService"');
    expect(source).not.toContain("@cdktf/provider-aws.sagemakerDomain.SagemakerDomain");
  });

  it("never uses a cache made for another script: a rebuilt bundle starts afresh and replaces it", async () => {
    const rebuilt = path.join(dir, "main.js");
    const before = caches(dir);
    fs.appendFileSync(rebuilt, "\n// rebuilt\n");
    const run = await runBundle(rebuilt);
    expect(run).toMatchObject({ code: 0, stderr: "code cache: none\n" });
    expect(treeDigest(run.outdir)).toBe(expected);
    const after = caches(dir);
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
  });

  it("runs without a cache V8 refuses (another Node, a damaged file), and rewrites it", async () => {
    const [cache] = caches(dir);
    fs.writeFileSync(path.join(dir, cache), Buffer.alloc(4096, 7));
    const run = await runBundle(bundle);
    expect(run).toMatchObject({ code: 0, stderr: "code cache: rejected\n" });
    expect(treeDigest(run.outdir)).toBe(expected);
    expect((await runBundle(bundle)).stderr).toBe("code cache: accepted\n");
  });

  it("guards the stacks of handed-off.json (read from its working directory) like the sources do", async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-bundle-project-"));
    fs.copyFileSync(path.join(ROOT, "backend.tf.json"), path.join(project, "backend.tf.json"));
    const registry = path.join(project, "handed-off.json");
    const entry = { to: "payments-ops", date: "2026-01-15", bundle: "ops-infra", commit: "0123456789abc" };
    fs.writeFileSync(registry, JSON.stringify({ handedOff: [{ stack: "markmail-dev-compute", ...entry }] }));
    const run = await runBundle(bundle, { BLUEPRINT: "markmail" }, project);
    expect(run.code).toBe(0);
    const guarded = readSynthesizedStacks(run.outdir).filter((s) => handedOffIn(s.json));
    expect(guarded.map((s) => s.id)).toEqual(["markmail-dev-compute"]);
    expect(treeDigest(run.outdir)).toBe(
      treeDigest(synthToTemp({ blueprint: "markmail", handedOffFile: registry }).outdir),
    );
    fs.rmSync(project, { recursive: true, force: true });
  });

  it("reports a blueprint mistake like the sources do, and writes no cache from the failed run", async () => {
    for (const cache of caches(dir)) fs.rmSync(path.join(dir, cache));
    const run = await runBundle(bundle, { BLUEPRINT: "no-such-app" });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/BLUEPRINT.*no-such-app.*Fix: use one of library-app/s);
    expect(fs.existsSync(run.outdir)).toBe(false);
    expect(caches(dir)).toEqual([]);
  });
});
