import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { costDataDir } from "../tools/cost/data-files";
import { loadUsage, PRESETS } from "../tools/cost/usage";
import { USAGE_KEY_NAMES } from "../tools/cost/usage-keys";
import { usageFile } from "./helpers/cost-fixtures";

/**
 * Usage profiles: the presets set every assumption with a why; blueprint files and --usage files override them in a
 * fixed order; every malformed file is refused with the file, the field and the fix.
 */

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-cost-usage-dir-"));
  fs.mkdirSync(path.join(dir, "presets"));
  fs.mkdirSync(path.join(dir, "blueprints"));
  fs.copyFileSync(costDataDir("usage", "presets", "small.json"), path.join(dir, "presets", "small.json"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (file: string, content: unknown) => {
  fs.writeFileSync(path.join(dir, file), JSON.stringify(content));
  return path.join(dir, file);
};

describe("the presets", () => {
  it.each(PRESETS)("%s sets every assumption, each with a one-line why", (preset) => {
    const file = JSON.parse(fs.readFileSync(costDataDir("usage", "presets", `${preset}.json`), "utf8"));
    expect(Object.keys(file.assumptions).sort()).toEqual([...USAGE_KEY_NAMES].sort());
    for (const a of Object.values<{ value: number; why: string }>(file.assumptions)) {
      expect(a.value).toBeGreaterThanOrEqual(0);
      expect(a.why).toMatch(/^\S.{10,}$/);
      expect(a.why).not.toContain("\n");
    }
    expect(() => loadUsage(preset).forEnvironment("x", "dev").get("traffic.requestsPerSecond")).not.toThrow();
  });

  it("grow from small to large in traffic and data", () => {
    const value = (preset: string, key: (typeof USAGE_KEY_NAMES)[number]) =>
      loadUsage(preset).forEnvironment("x", "dev").get(key);
    for (const key of ["traffic.requestsPerSecond", "nat.gbPerGatewayMonth", "database.auroraStorageGB"] as const) {
      expect(value("small", key)).toBeLessThan(value("medium", key));
      expect(value("medium", key)).toBeLessThan(value("large", key));
    }
  });
});

describe("layers: preset < blueprint file < its environment < --usage file < its blueprint < its environment", () => {
  it("each layer overrides the one before, and the report says which file set a value", () => {
    write("blueprints/app.json", {
      blueprint: "app",
      assumptions: { "nat.gbPerGatewayMonth": { value: 10, why: "blueprint" } },
      environments: {
        prod: { assumptions: { "vpcEndpoint.gbPerEndpointMonth": { value: 20, why: "blueprint prod" } } },
      },
    });
    const file = write("mine.json", {
      assumptions: { "ecr.imageSizeGB": { value: 1.5, why: "file" } },
      blueprints: {
        app: {
          assumptions: { "kms.requestsPerKeyMonth": { value: 7, why: "file app" } },
          environments: { prod: { assumptions: { "nat.gbPerGatewayMonth": { value: 99, why: "file app prod" } } } },
        },
      },
    });
    const profiles = loadUsage(file, { dir });
    const dev = profiles.forEnvironment("app", "dev");
    const prod = profiles.forEnvironment("app", "prod");
    expect(dev.get("traffic.requestsPerSecond")).toBe(2); // preset
    expect(dev.get("nat.gbPerGatewayMonth")).toBe(10); // blueprint file
    expect(prod.get("nat.gbPerGatewayMonth")).toBe(99); // --usage file, blueprint, environment
    expect(prod.get("vpcEndpoint.gbPerEndpointMonth")).toBe(20); // blueprint file, environment
    expect(dev.get("vpcEndpoint.gbPerEndpointMonth")).toBe(2);
    expect(prod.get("ecr.imageSizeGB")).toBe(1.5);
    expect(prod.get("kms.requestsPerKeyMonth")).toBe(7);
    const other = profiles.forEnvironment("other", "prod");
    expect(other.get("nat.gbPerGatewayMonth")).toBe(5); // no blueprint file: the preset
    expect(prod.used()["nat.gbPerGatewayMonth"]).toEqual({ value: 99, why: "file app prod", from: `${file} (prod)` });
    expect(dev.used()["traffic.requestsPerSecond"].from).toMatch(/presets\/small\.json$/);
    expect(Object.keys(dev.used()).sort()).toEqual([
      "nat.gbPerGatewayMonth",
      "traffic.requestsPerSecond",
      "vpcEndpoint.gbPerEndpointMonth",
    ]); // only what was read for this environment
    expect(profiles.files().map((f) => path.basename(f))).toEqual(["small.json", "app.json", "mine.json"]);
  });

  it("names a usage file gives to blueprints or environments the synthesis does not have (typos)", () => {
    write("blueprints/app.json", {
      blueprint: "app",
      environments: { prdo: { assumptions: { "nat.gbPerGatewayMonth": { value: 1, why: "x" } } } },
    });
    const file = write("mine.json", {
      blueprints: { ap: { assumptions: {} }, app: { environments: { dev: { assumptions: {} } } } },
    });
    const present = new Set(["app/dev", "app/prod", "(shared)/(shared)"]);
    expect(loadUsage(file, { dir }).unmatched(present)).toEqual([
      `${path.join(dir, "blueprints", "app.json")} names environment prdo of app, which this synthesis does not have`,
      `${file} names blueprint ap, which this synthesis does not have`,
    ]);
    expect(loadUsage("small", { dir }).unmatched(new Set(["other/dev"]))).toEqual([]);
  });

  it("the repository's blueprint usage files name their blueprint and only known assumptions", () => {
    for (const f of fs.readdirSync(costDataDir("usage", "blueprints"))) {
      const name = f.replace(/\.json$/, "");
      const usage = loadUsage("small").forEnvironment(name, "prod");
      expect(() => usage.get("traffic.requestsPerSecond")).not.toThrow();
    }
  });
});

describe("malformed files are refused with the file, the field and the fix", () => {
  it.each([
    [
      "an unknown assumption",
      { assumptions: { "traffic.rps": { value: 1, why: "x" } } },
      /mine\.json: assumptions\.traffic\.rps: unknown assumption "traffic\.rps" \(known: traffic\.requestsPerSecond/,
    ],
    [
      "a negative value",
      { assumptions: { "nat.gbPerGatewayMonth": { value: -1, why: "x" } } },
      /assumptions\.nat\.gbPerGatewayMonth\.value: Too small/,
    ],
    [
      "no why",
      { assumptions: { "nat.gbPerGatewayMonth": { value: 1, why: " " } } },
      /nat\.gbPerGatewayMonth\.why: say why \(one line\)/,
    ],
    [
      "an unknown preset",
      { extends: "tiny" },
      /mine\.json: extends: Invalid option: expected one of "small"\|"medium"\|"large"/,
    ],
    ["an unknown field", { assumption: {} }, /mine\.json: \(file\): Unrecognized key: "assumption"/],
  ])("%s", (_what, content, message) => {
    const file = write("mine.json", content);
    expect(() => loadUsage(file, { dir })).toThrow(message);
    expect(() => loadUsage(file, { dir })).toThrow(/Fix: see docs\/cost\.md, Usage profiles/);
  });

  it("a file that is not JSON", () => {
    fs.writeFileSync(path.join(dir, "bad.json"), "{ nope");
    expect(() => loadUsage(path.join(dir, "bad.json"), { dir })).toThrow(/bad\.json: .*JSON.*Fix: see docs\/cost\.md/);
  });

  it("neither a preset nor a file", () => {
    expect(() => loadUsage("huge", { dir })).toThrow(
      "--usage huge: neither a preset (small, medium, large) nor an existing file. Fix: see docs/cost.md, Usage profiles",
    );
  });

  it("a preset missing an assumption", () => {
    const preset = JSON.parse(fs.readFileSync(path.join(dir, "presets", "small.json"), "utf8"));
    delete preset.assumptions["ecr.imageSizeGB"];
    write("presets/small.json", preset);
    expect(() => loadUsage("small", { dir })).toThrow(
      /small\.json: assumptions\.ecr\.imageSizeGB: missing: a preset sets every assumption/,
    );
  });

  it("a blueprint file whose blueprint is not its name", () => {
    write("blueprints/app.json", { blueprint: "other", assumptions: {} });
    expect(() => loadUsage("small", { dir }).forEnvironment("app", "dev")).toThrow(
      /app\.json: blueprint is "other", expected "app" \(the file's name\)/,
    );
  });

  it("the fixture helper's files are valid usage files", () => {
    expect(() => loadUsage(usageFile({ "nat.gbPerGatewayMonth": 3 }))).not.toThrow();
  });
});
