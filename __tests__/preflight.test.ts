import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BlueprintError } from "../schema/errors";
import { PREFLIGHT_RULES } from "../schema/preflight";
import { resolveBlueprint, type Deployment } from "../schema/resolve";
import { bundleApp } from "../tools/build/bundle-app";
import { inPool } from "../tools/terraform/environment";
import { GUARDED_RULES } from "./helpers/preflight-guards";

/**
 * The preflight corpus (fixtures/preflight/: one broken AWS constraint per file; expectations.json names the rule,
 * the field path and why). Every fixture is refused at its path by its rule and by no other; the two bases it is made
 * from are valid. A sample runs through the real app process as a user would.
 */
const ROOT = path.join(__dirname, "..");
const CORPUS = path.join(__dirname, "fixtures", "preflight");
interface Expectation {
  readonly rule: string;
  readonly path: string;
  readonly why: string;
}
const EXPECTATIONS: Record<string, Expectation> = JSON.parse(
  fs.readFileSync(path.join(CORPUS, "expectations.json"), "utf8"),
);
const BASES = ["valid", "valid-shared-account"];
const read = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(CORPUS, `${name}.json`), "utf8"));

function refusal(name: string): BlueprintError {
  try {
    resolveBlueprint(read(name), `${name}.json`);
  } catch (e) {
    if (e instanceof BlueprintError) return e;
    throw e;
  }
  throw new Error(`${name}.json was accepted`);
}

it("has at least 25 blueprints, each with an expectation, and nothing else", () => {
  const files = fs
    .readdirSync(CORPUS)
    .filter((f) => f.endsWith(".json") && f !== "expectations.json")
    .map((f) => f.replace(/\.json$/, ""));
  expect(files.filter((f) => !BASES.includes(f)).sort()).toEqual(Object.keys(EXPECTATIONS).sort());
  expect(Object.keys(EXPECTATIONS).length).toBeGreaterThanOrEqual(25);
});

it.each(BASES)("the base %s is valid, so each refusal is its fixture's own", (base) => {
  expect(resolveBlueprint(read(base)).map((d) => d.environment)).toEqual(["dev", "prod"]);
});

const CASES = Object.entries(EXPECTATIONS).map(([name, e]) => [name, e.rule, e.path, e] as const);

it.each(CASES)("%s: refused by %s at %s, with the fix", (name, _rule, _path, expected) => {
  const error = refusal(name);
  expect(error.issues.map((i) => i.rule)).toEqual(error.issues.map(() => expected.rule));
  expect(error.issues.map((i) => i.path)).toContain(expected.path);
  for (const line of error.message.split("\n")) {
    expect(line).toMatch(/ Fix: \S/);
    expect(line).toContain(`[${expected.rule}]`);
    expect(line).toMatch(/\[environments\[\d\]\((dev|prod)\)\]$/);
  }
});

it("every rule is proven: by a corpus blueprint, or (where the schema leaves it unreachable) by a guard test", () => {
  const proven = new Set([...Object.values(EXPECTATIONS).map((e) => e.rule), ...Object.keys(GUARDED_RULES)]);
  expect(PREFLIGHT_RULES.map((r) => r.id).filter((id) => !proven.has(id))).toEqual([]);
  expect([...proven].filter((id) => !PREFLIGHT_RULES.some((r) => r.id === id))).toEqual([]);
});

it("every rule says what AWS refuses and where AWS documents it, with the date it was read", () => {
  for (const rule of PREFLIGHT_RULES) {
    expect(rule.refuses.length).toBeGreaterThan(20);
    expect(rule.source.url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(rule.source.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  }
  const ids = PREFLIGHT_RULES.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
});

describe("guards of rules the schema keeps out of reach today (a deployment changed after validation)", () => {
  const base = (): Deployment[] => resolveBlueprint(read("valid"));
  it.each(Object.entries(GUARDED_RULES))("%s", (id, guard) => {
    const deployments = base();
    guard.breakIt(deployments);
    expect(guard.findings(deployments).map((i) => i.rule)).toContain(id);
  });
  it("and find nothing in the valid base", () => {
    for (const guard of Object.values(GUARDED_RULES)) expect(guard.findings(base())).toEqual([]);
  });
});

describe("through the real app process (a sample, one per concern)", () => {
  const SAMPLE = [
    "alb-name-internal-prefix",
    "shared-account-same-ecr-repository",
    "certificate-other-region",
    "same-public-record",
    "blue-green-two-production-routes",
    "no-nat-no-ecr-endpoints",
    "too-many-condition-values",
    "aurora-on-t3-micro",
  ];
  let dir: string;
  let app: string;
  const runs = new Map<string, { code: number; stderr: string }>();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-preflight-"));
    app = bundleApp(ROOT, path.join(dir, "main.js"));
    const results = await inPool(SAMPLE, 2, (name) => runApp(name));
    SAMPLE.forEach((name, i) => runs.set(name, results[i]));
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function runApp(name: string): Promise<{ code: number; stderr: string }> {
    return new Promise((resolve) =>
      execFile(
        process.execPath,
        [app],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            CHECKPOINT_DISABLE: "1",
            BLUEPRINT: "",
            ENVIRONMENT: "",
            BLUEPRINT_FILE: path.join(CORPUS, `${name}.json`),
            CDKTF_OUTDIR: path.join(dir, "cdktf.out"),
          },
        },
        (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
      ),
    );
  }

  it.each(SAMPLE)("%s: exits 1 naming the field path, the rule and the fix, writing nothing", (name) => {
    const run = runs.get(name)!;
    const expected = EXPECTATIONS[name];
    expect(run.code).toBe(1);
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines.some((l) => l.includes(`: ${expected.path} = `))).toBe(true);
    for (const line of lines) expect(line).toMatch(new RegExp(`Fix: .*\\[${expected.rule}\\]`));
    expect(fs.existsSync(path.join(dir, "cdktf.out"))).toBe(false);
  });
});
