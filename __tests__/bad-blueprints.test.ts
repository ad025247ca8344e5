import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { synthesize, synthOptionsFromEnv } from "../app/synth";
import { BlueprintError } from "../schema/errors";
import { inPool } from "../tools/terraform/environment";
import { bundleAppInto } from "./helpers/app-bundle";
import { treeDigest } from "./helpers/tree-digest";

/**
 * The bad-input corpus (fixtures/bad-blueprints/: one defect per file, expectations.json says where): each must exit
 * non-zero with one line that names the field path and the fix, and leave an earlier cdktf.out byte-for-byte as it
 * was. Every file goes through what main.ts does (synthesize with the options BLUEPRINT_FILE gives; a BlueprintError's
 * message is the one line printed, and the exit status 1) in this process; the first files of the corpus, in name
 * order, also go through the real app process exactly as a user runs it (BLUEPRINT_FILE=<file> with the app
 * cdktf.json runs: main.ts bundled as `npm run build` bundles it), which must print exactly that line. A process costs
 * about a second of CPU, and the corpus is over thirty files.
 */
const ROOT = path.join(__dirname, "..");
const CORPUS = path.join(__dirname, "fixtures", "bad-blueprints");
const EXPECTATIONS: Record<string, { path: string; contains: string }> = JSON.parse(
  fs.readFileSync(path.join(CORPUS, "expectations.json"), "utf8"),
);

interface Run {
  readonly code: number;
  readonly stderr: string;
}

let app: string;

function runApp(env: NodeJS.ProcessEnv, cwd = ROOT): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [app],
      {
        cwd,
        env: {
          ...process.env,
          CHECKPOINT_DISABLE: "1",
          BLUEPRINT: "",
          ENVIRONMENT: "",
          ...env,
        },
      },
      (error, _stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stderr }),
    );
  });
}

/** What main.ts does with `env`, in this process: the line it prints on stderr and its exit status. */
function runInProcess(env: NodeJS.ProcessEnv): Run {
  try {
    synthesize(synthOptionsFromEnv({ BLUEPRINT: "", ENVIRONMENT: "", ...env }));
    return { code: 0, stderr: "" };
  } catch (error) {
    if (!(error instanceof BlueprintError)) throw error;
    return { code: 1, stderr: `${error.message}\n` };
  }
}

/** The corpus files that also run as a real app process. */
const AS_PROCESS = 3;

let workroot: string;
let earlier: string;
let earlierDigest: string;
let runs: Map<string, Run>;
let processRuns: Map<string, Run>;

let appDir: string;

beforeAll(async () => {
  appDir = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-bad-app-"));
  app = bundleAppInto(appDir);
  workroot = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-bad-"));
  earlier = path.join(workroot, "cdktf.out");
  // A real earlier synthesis (the corpus's valid base), which no failing run may touch.
  const base = await runApp({ BLUEPRINT_FILE: path.join(CORPUS, "valid.json"), CDKTF_OUTDIR: earlier });
  expect(base).toEqual({ code: 0, stderr: "" });
  earlierDigest = treeDigest(earlier);
  const names = Object.keys(EXPECTATIONS).sort();
  const env = (name: string) => ({ BLUEPRINT_FILE: path.join(CORPUS, `${name}.json`), CDKTF_OUTDIR: earlier });
  const sample = names.slice(0, AS_PROCESS);
  const processes = await inPool(sample, 2, (name) => runApp(env(name)));
  processRuns = new Map(sample.map((n, i) => [n, processes[i]]));
  runs = new Map(names.map((n) => [n, runInProcess(env(n))]));
}, 600_000);

afterAll(() => {
  fs.rmSync(workroot, { recursive: true, force: true });
  fs.rmSync(appDir, { recursive: true, force: true });
});

it("has at least 30 malformed blueprints, each with an expectation", () => {
  const files = fs.readdirSync(CORPUS).filter((f) => f.endsWith(".json") && f !== "expectations.json");
  expect(files.length - 1).toBeGreaterThanOrEqual(30);
  expect(
    files
      .filter((f) => f !== "valid.json")
      .map((f) => f.replace(/\.json$/, ""))
      .sort(),
  ).toEqual(Object.keys(EXPECTATIONS).sort());
});

it("the base they are made from is valid (so each failure is the fixture's own defect)", () => {
  expect(fs.existsSync(path.join(earlier, "manifest.json"))).toBe(true);
});

it.each(Object.entries(EXPECTATIONS))("%s: exits 1 with one line naming %s and the fix", (name, expected) => {
  const run = runs.get(name)!;
  expect(run.code).toBe(1);
  const lines = run.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`: ${expected.path} = `);
  expect(lines[0]).toContain(expected.contains);
  expect(lines[0]).toMatch(/Fix: \S/);
  expect(lines[0]).not.toMatch(/^\s+at /);
});

it(`prints exactly that line as a real app process, for the first ${AS_PROCESS} files`, () => {
  expect(processRuns.size).toBe(AS_PROCESS);
  for (const [name, run] of processRuns) {
    expect({ name, ...run }).toEqual({ name, ...runs.get(name)! });
  }
});

it("leaves the earlier cdktf.out byte-identical after every failed run, with no staging left behind", () => {
  expect(treeDigest(earlier)).toBe(earlierDigest);
  expect(fs.readdirSync(workroot)).toEqual(["cdktf.out"]);
});

describe("a malformed backend.tf.json", () => {
  const cases: [string, string, RegExp][] = [
    [
      "not JSON",
      "{ terraform: ",
      /backend\.tf\.json: \(root\) = \(missing\) is not valid JSON .*Fix: correct the syntax/,
    ],
    [
      "no bucket",
      JSON.stringify({ terraform: { backend: { s3: { region: "ap-northeast-1", key: "x" } } } }),
      /backend\.tf\.json: terraform\.backend\.s3\.bucket .*Fix:/,
    ],
  ];
  it.each(cases)("%s: exits 1 naming the field and the fix, writing nothing", async (_label, text, message) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-backend-"));
    fs.writeFileSync(path.join(dir, "backend.tf.json"), text);
    const run = await runApp({ CDKTF_OUTDIR: path.join(dir, "cdktf.out") }, dir);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split("\n")[0]).toMatch(message);
    expect(fs.readdirSync(dir)).toEqual(["backend.tf.json"]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("a bad handed-off.json (the handover registry)", () => {
  const entry = {
    stack: "library-app-prod-compute",
    to: "payments-ops",
    date: "2026-01-15",
    bundle: "git@example.com:payments/ops-infra.git",
    commit: "0123456789abcdef0123456789abcdef01234567",
  };
  const cases: [string, string, RegExp[]][] = [
    [
      "a stack id that names no stack",
      JSON.stringify({ handedOff: [{ ...entry, stack: "library-app-prod-compte" }] }),
      [/handed-off\.json: handedOff\[0\]\.stack = "library-app-prod-compte" names no stack .*Fix: correct the id/],
    ],
    [
      "two malformed fields",
      JSON.stringify({ handedOff: [{ ...entry, date: "15.01.2026", owner: "x" }] }),
      [/handedOff\[0\]\.owner = "x" is not a known field\. Fix:/, /handedOff\[0\]\.date = "15\.01\.2026" .*Fix:/],
    ],
    ["not JSON", '{ "handedOff": [', [/handed-off\.json: \(root\) = \(missing\) is not valid JSON .*Fix:/]],
  ];
  it.each(cases)(
    "%s: exits 1, one line per problem naming the entry and the fix, writing nothing",
    async (_l, text, expected) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-registry-"));
      fs.copyFileSync(path.join(ROOT, "backend.tf.json"), path.join(dir, "backend.tf.json"));
      fs.writeFileSync(path.join(dir, "handed-off.json"), text);
      const run = await runApp({ BLUEPRINT_FILE: path.join(CORPUS, "valid.json"), CDKTF_OUTDIR: earlier }, dir);
      expect(run.code).toBe(1);
      const lines = run.stderr.trimEnd().split("\n");
      expect(lines).toHaveLength(expected.length);
      expected.forEach((pattern) => expect(lines.some((l) => pattern.test(l))).toBe(true));
      expect(treeDigest(earlier)).toBe(earlierDigest);
      expect(fs.readdirSync(dir).sort()).toEqual(["backend.tf.json", "handed-off.json"]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  );
});
