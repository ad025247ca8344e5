import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { SynthesizedStack, TerraformJson } from "../tools/terraform/cdktf-out";
import { OFFLINE_AWS_ENV, terraform, terraformEnv } from "../tools/terraform/environment";
import { offlineOverride } from "../tools/terraform/offline";
import { PLAN_COMMENT_MARKER, renderMarkdown } from "../tools/plan/markdown";
import { planStack } from "../tools/plan/run";
import { exitCode, summarizeRun, summarizeStack, type PlanSummary, type StackSummary } from "../tools/plan/summary";
import { SENSITIVE } from "../tools/plan/values";
import { runTool, type ToolRun } from "./helpers/cli";
import { synthToTemp } from "./helpers/synth";

/**
 * Summaries of real plans: two blueprint stacks planned offline (all creates), a terraform_data fixture applied to a
 * local state and planned again with changed inputs (update, replace, destroy, create, outputs, a failing check,
 * a sensitive value), the same fixture unchanged and broken, and a hand-written state of stateful AWS resources
 * planned for deletion. terraform_data needs no provider and no AWS.
 *
 * The command plans its two blueprint stacks with `--concurrency 1`: one batch, so one Terraform process per step
 * loads the provider schema for both instead of one per stack (on a one-core machine the default is the same).
 */
let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-plan-summary-"));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const addresses = (s: StackSummary, action: string) =>
  s.resources
    .filter((r) => r.action === action)
    .map((r) => r.address)
    .sort();

describe("offline plans of blueprint stacks (everything new), through the command", () => {
  let stacks: SynthesizedStack[];
  let summaries: readonly StackSummary[];
  let cli: ToolRun;
  let out: string;
  beforeAll(async () => {
    const synth = synthToTemp({ blueprint: "library-app" });
    stacks = synth.stacks;
    out = path.join(root, "review");
    const args = ["--offline", "--concurrency", "1", "--cdktf-out", synth.outdir, "--out", out];
    cli = await runTool("tools/plan/cli.ts", [...args, "library-app-prod-registry", "library-app-prod-data"]);
    summaries = (JSON.parse(fs.readFileSync(path.join(out, "summary.json"), "utf8")) as PlanSummary).stacks;
  }, 300_000);

  it("exits 2 (changes), prints the summary it writes, and writes the comment and the JSON summary", () => {
    expect({ code: cli.code, stderr: cli.stderr.slice(-2000) }).toEqual({ code: 2, stderr: expect.anything() });
    expect(cli.stdout).toBe(fs.readFileSync(path.join(out, "summary.md"), "utf8"));
    // Well within GitHub's limit, the comment is the whole summary.
    expect(fs.readFileSync(path.join(out, "comment.md"), "utf8")).toBe(cli.stdout);
    expect(summaries.map((s) => s.stack).sort()).toEqual(["library-app-prod-data", "library-app-prod-registry"]);
  });

  it("exits 1 when a pattern selects nothing", async () => {
    const bad = await runTool("tools/plan/cli.ts", ["--offline", "--cdktf-out", path.join(root, "none"), "x-*"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("not found. Fix: run npm run synth first");
  });

  it("counts and lists exactly the resources of the synthesized JSON as additions", () => {
    for (const summary of summaries) {
      const json = stacks.find((s) => s.id === summary.stack)!.json;
      const expected = Object.entries<TerraformJson>(json.resource)
        .flatMap(([type, rs]) => Object.keys(rs).map((name) => `${type}.${name}`))
        .sort();
      expect({ stack: summary.stack, status: summary.status }).toEqual({ stack: summary.stack, status: "changes" });
      expect(summary.counts).toEqual({ add: expected.length, change: 0, replace: 0, destroy: 0 });
      expect(addresses(summary, "add")).toEqual(expected);
      expect(summary.outputs.map((o) => o.name).sort()).toEqual(Object.keys(json.output).sort());
      expect(summary.outputs.every((o) => o.action === "add")).toBe(true);
    }
  });

  it("does not flag creating a database as data loss, and renders an offline comment", () => {
    const data = summaries.find((s) => s.stack === "library-app-prod-data")!;
    expect(data.resources.some((r) => r.type === "aws_db_instance")).toBe(true);
    expect(data.resources.filter((r) => r.dataLoss)).toEqual([]);
    const run = summarizeRun("offline", summaries);
    expect(exitCode(run)).toBe(2);
    const md = renderMarkdown(run);
    expect(md.startsWith(PLAN_COMMENT_MARKER)).toBe(true);
    expect(md).toContain("Planned offline against empty state");
    expect(md).not.toContain("[!CAUTION]");
    expect(md).toContain(`<code>library-app-prod-data</code></b>: ${data.counts.add} to add</summary>`);
    // The output whose value is a literal shows it; computed ones say so.
    expect(md).toMatch(/`db_port` \| add \| `\(none\)` \| `"5432"`/);
    expect(md).toMatch(/`db_arn` \| add \| `\(none\)` \| `\(known after apply\)`/);
  });
});

describe("plans that update, replace and destroy (terraform_data against a local state)", () => {
  const TOKEN_BEFORE = "fixture-marker-token-before";
  const TOKEN_AFTER = "fixture-marker-token-after";
  interface Inputs {
    size: string;
    generation: string;
    keepOld: boolean;
    addNew: boolean;
    token: string;
  }
  const v1: Inputs = { size: "small", generation: "1", keepOld: true, addNew: false, token: TOKEN_BEFORE };
  const v2: Inputs = { size: "large", generation: "2", keepOld: false, addNew: true, token: TOKEN_AFTER };
  let stateFile: string;

  /** The fixture configuration; inputs are variable defaults so that every plan sees the same JSON file shape. */
  const config = (v: Inputs, extra: TerraformJson = {}): TerraformJson => ({
    terraform: { backend: { local: { path: stateFile } } },
    variable: {
      size: { type: "string", default: v.size },
      generation: { type: "string", default: v.generation },
      keep_old: { type: "bool", default: v.keepOld },
      add_new: { type: "bool", default: v.addNew },
      token: { type: "string", default: v.token, sensitive: true },
    },
    resource: {
      terraform_data: {
        app: { input: { size: "${var.size}", token: "${var.token}" } },
        db: { triggers_replace: ["${var.generation}"], input: "stable" },
        old: { count: "${var.keep_old ? 1 : 0}", input: "old" },
        new: { count: "${var.add_new ? 1 : 0}", input: "new" },
        [v.addNew ? "renamed" : "original"]: { input: "same" },
        ...extra,
      },
    },
    output: {
      size: { value: "${var.size}" },
      token: { value: "${var.token}", sensitive: true },
      ...(v.keepOld ? { old_input: { value: "${terraform_data.old[0].output}" } } : {}),
    },
    ...(v.addNew ? { moved: [{ from: "terraform_data.original", to: "terraform_data.renamed" }] } : {}),
    check: {
      size_is_small: { assert: [{ condition: '${var.size == "small"}', error_message: "size is not small" }] },
    },
  });

  const fixture = (name: string, json: TerraformJson): SynthesizedStack => {
    const dir = path.join(root, "fixtures", name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(json, null, 2));
    return { id: name, dir, json, dependencies: [] };
  };
  const plan = (s: SynthesizedStack) => planStack(s, [s], path.join(root, "work"), { offline: false });

  let changed: StackSummary;
  let unchanged: StackSummary;
  let broken: StackSummary;
  let rawShow: string;
  beforeAll(async () => {
    stateFile = path.join(root, "fixture.tfstate");
    const applied = fixture("fixture-applied", config(v1));
    for (const args of [
      ["init", "-input=false"],
      ["apply", "-auto-approve", "-input=false"],
    ]) {
      const r = await terraform(args, applied.dir, terraformEnv());
      if (r.code !== 0) throw new Error(`${args[0]}: ${r.stdout}${r.stderr}`);
    }
    changed = await plan(fixture("fixture-changed", config(v2)));
    rawShow = (await terraform(["show", "-json", "plan.tfplan"], path.join(root, "work", "fixture-changed"))).stdout;
    unchanged = await plan(fixture("fixture-unchanged", config(v1)));
    broken = await plan(fixture("fixture-broken", config(v1, { bad: { input: "${var.undeclared}" } })));
  }, 300_000);

  it("counts and lists each kind of change", () => {
    expect(changed.status).toBe("changes");
    expect(changed.counts).toEqual({ add: 1, change: 1, replace: 1, destroy: 1 });
    expect(addresses(changed, "add")).toEqual(["terraform_data.new[0]"]);
    expect(addresses(changed, "change")).toEqual(["terraform_data.app"]);
    expect(addresses(changed, "replace")).toEqual(["terraform_data.db"]);
    expect(addresses(changed, "destroy")).toEqual(["terraform_data.old[0]"]);
    const replaced = changed.resources.find((r) => r.action === "replace")!;
    expect(replaced.forcedBy).toEqual(["triggers_replace"]);
    expect(replaced.attributes).toContainEqual({ name: "triggers_replace", before: '["1"]', after: '["2"]' });
    expect(changed.resources.find((r) => r.action === "destroy")!.reason).toBe("count decreased");
    expect(changed.resources.filter((r) => r.dataLoss)).toEqual([]);
    // A pure move is neither a change nor hidden.
    expect(changed.moved).toEqual([{ from: "terraform_data.original", to: "terraform_data.renamed" }]);
    expect(changed.resources.map((r) => r.address)).not.toContain("terraform_data.renamed");
  });

  it("reports output changes, masking the sensitive one", () => {
    const outputs = Object.fromEntries(changed.outputs.map((o) => [o.name, o]));
    expect(outputs.size).toMatchObject({ action: "change", before: '"small"', after: '"large"', sensitive: false });
    expect(outputs.token).toMatchObject({ action: "change", before: SENSITIVE, after: SENSITIVE, sensitive: true });
    expect(outputs.old_input).toMatchObject({ action: "destroy", before: '"old"' });
  });

  it("carries terraform's warnings", () => {
    expect(changed.diagnostics).toContainEqual({
      severity: "warning",
      summary: "Check block assertion failed",
      detail: "size is not small",
      address: "check.size_is_small.assert[0]",
    });
    expect(unchanged.diagnostics).toEqual([]);
  });

  it("never shows a sensitive value, although the plan holds it in clear text", () => {
    expect(rawShow).toContain(TOKEN_BEFORE);
    expect(rawShow).toContain(TOKEN_AFTER);
    const app = changed.resources.find((r) => r.address === "terraform_data.app")!;
    expect(app.attributes).toContainEqual({ name: "input", before: SENSITIVE, after: SENSITIVE });
    // terraform_data's output echoes the sensitive input with an empty mask: caught by value, not by mask.
    expect(app.attributes).toContainEqual({ name: "output", before: SENSITIVE, after: "(known after apply)" });
    const run = summarizeRun("backend", [changed, unchanged, broken]);
    for (const text of [JSON.stringify(run), renderMarkdown(run)]) {
      expect(text).not.toContain(TOKEN_BEFORE);
      expect(text).not.toContain(TOKEN_AFTER);
      expect(text).not.toContain("fixture-marker");
    }
  });

  it("says no changes when there are none, and fails loudly on a broken configuration", () => {
    expect(unchanged.status).toBe("no-changes");
    expect(unchanged.counts).toEqual({ add: 0, change: 0, replace: 0, destroy: 0 });
    expect(exitCode(summarizeRun("backend", [unchanged]))).toBe(0);
    expect(broken).toMatchObject({ status: "failed", failedStep: "plan" });
    expect(broken.diagnostics.map((d) => [d.severity, d.summary])).toContainEqual([
      "error",
      "Reference to undeclared input variable",
    ]);
    expect(exitCode(summarizeRun("backend", [changed, unchanged]))).toBe(2);
    expect(exitCode(summarizeRun("backend", [changed, unchanged, broken]))).toBe(1);
  });

  it("renders replacements and deletions at the top, then a line per stack", () => {
    const md = renderMarkdown(summarizeRun("backend", [changed, unchanged, broken]));
    const top = md.slice(0, md.indexOf("| stack |"));
    expect(top).toContain("**1 to replace, 1 to destroy**");
    expect(top).toContain("> - replace `fixture-changed` `terraform_data.db`: forced by `triggers_replace`");
    expect(top).toContain("> - destroy `fixture-changed` `terraform_data.old[0]`: count decreased");
    expect(top).toContain("**Failed: `fixture-broken` at plan**");
    expect(top).not.toContain("[!CAUTION]");
    expect(md).toContain("| `fixture-changed` | 1 | 1 | 1 | 1 | changes, 1 warning |");
    expect(md).toContain("| `fixture-unchanged` | 0 | 0 | 0 | 0 | no changes |");
    const skipped = renderMarkdown(
      summarizeRun("backend", [unchanged], [{ stack: "state-backend", reason: "local state" }]),
    );
    expect(skipped).toContain("## Terraform plan: 1 stack, no changes");
    expect(skipped).toContain("Not planned: `state-backend` (local state).");
    expect(md).toContain(
      "Warning: **Check block assertion failed** (`check.size_is_small.assert[0]`): size is not small",
    );
    expect(md).toContain("Error: **Reference to undeclared input variable**");
    // Riskier actions come first within a stack, and a stack that replaces or destroys is not folded away.
    expect(md).toContain("<details open><summary><b><code>fixture-changed</code></b>: 1 to add");
    expect(md).toContain("<details open><summary><b><code>fixture-broken</code></b>: failed at plan");
    const section = md.slice(md.indexOf("<code>fixture-changed</code>"));
    expect(section.indexOf("**Replace**")).toBeLessThan(section.indexOf("**Destroy**"));
    expect(section.indexOf("**Destroy**")).toBeLessThan(section.indexOf("**Change**"));
    expect(section).toContain("- `terraform_data.original` → `terraform_data.renamed`");
  });
});

describe("deleting stateful AWS resources", () => {
  let summary: StackSummary;
  beforeAll(async () => {
    // A state that holds a bucket, a database and an SNS topic (not stateful), and a configuration that no longer
    // declares them: planned with the real provider, offline, without refresh (nothing to ask AWS).
    const dir = path.join(root, "stateful");
    fs.mkdirSync(dir, { recursive: true });
    const provider = { region: "ap-northeast-1" };
    const json: TerraformJson = {
      terraform: { required_providers: { aws: { source: "aws", version: "5.100.0" } } },
      provider: { aws: [provider] },
    };
    const override = offlineOverride(json);
    override.terraform = { backend: { local: { path: "terraform.tfstate" } } };
    fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(json));
    fs.writeFileSync(path.join(dir, "offline_override.tf.json"), JSON.stringify(override));
    const instance = (type: string, name: string, schema: number, attributes: TerraformJson) => ({
      mode: "managed",
      type,
      name,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ schema_version: schema, attributes }],
    });
    const state = {
      version: 4,
      terraform_version: "1.11.4",
      serial: 1,
      lineage: "fixture-stateful",
      outputs: {},
      resources: [
        instance("aws_s3_bucket", "assets", 0, { id: "fixture-assets", bucket: "fixture-assets" }),
        instance("aws_db_instance", "main", 2, { id: "db-FIXTURE", identifier: "fixture-db" }),
        instance("aws_sns_topic", "alarms", 0, { id: "arn:aws:sns:ap-northeast-1:123456789012:fixture" }),
      ],
      check_results: null,
    };
    fs.writeFileSync(path.join(dir, "terraform.tfstate"), JSON.stringify(state));
    const env = terraformEnv(OFFLINE_AWS_ENV);
    for (const args of [
      ["init", "-input=false"],
      ["plan", "-refresh=false", "-lock=false", "-out=p"],
    ]) {
      const r = await terraform(args, dir, env);
      if (r.code !== 0) throw new Error(`${args[0]}: ${r.stdout}${r.stderr}`);
    }
    summary = summarizeStack(
      "fixture-stateful",
      JSON.parse((await terraform(["show", "-json", "p"], dir, env)).stdout),
    );
  }, 300_000);

  it("flags the bucket and the database as data loss, not the topic", () => {
    expect(summary.counts).toEqual({ add: 0, change: 0, replace: 0, destroy: 3 });
    const lost = summary.resources.filter((r) => r.dataLoss).map((r) => r.address);
    expect(lost.sort()).toEqual(["aws_db_instance.main", "aws_s3_bucket.assets"]);
    expect(summary.resources.find((r) => r.address === "aws_sns_topic.alarms")!.reason).toBe(
      "removed from the configuration",
    );
  });

  it("puts the data loss first and loudest in the comment", () => {
    const md = renderMarkdown(summarizeRun("backend", [summary]));
    const caution = md.indexOf("> [!CAUTION]");
    expect(caution).toBeGreaterThan(0);
    expect(caution).toBeLessThan(md.indexOf("> [!WARNING]"));
    expect(md).toContain("**Data loss: 2 stateful resources destroyed or replaced**");
    expect(md).toContain("> - destroy `fixture-stateful` `aws_db_instance.main`: a database and its data");
    expect(md).toContain("**3 to destroy**");
  });
});
