import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { synthesizeRef } from "../tools/plan/base";
import { stackChanges } from "../tools/plan/changes";
import { planRemovedStack } from "../tools/plan/removed";
import type { PlanSummary } from "../tools/plan/summary";
import { readSynthesizedStacks, type SynthesizedStack, type TerraformJson } from "../tools/terraform/cdktf-out";
import { terraform, terraformEnv } from "../tools/terraform/environment";
import { runTool } from "./helpers/cli";
import { synthToTemp } from "./helpers/synth";

/**
 * Planning at the speed of the change: which stacks a change touches (configuration differs, added, removed, or
 * reading an upstream output that may change), the base commit synthesized in a temporary worktree, and the plan
 * command comparing with a base: only those stacks planned, the rest listed as unchanged, a removed stack planned
 * as the destroy of its base version.
 *
 * The command runs with `--concurrency 1`: the changed stack and its reader are planned in one batch, so one Terraform
 * process per step loads the provider schema for both instead of one per stack (on a one-core machine the default is
 * the same).
 */
let root: string;
let head: SynthesizedStack[];
let headDir: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-changes-"));
  ({ stacks: head, outdir: headDir } = synthToTemp({ blueprint: "library-app" }));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** The head stacks with one stack's JSON edited: the "base" a change is compared with. */
function baseWith(id: string, edit: (json: TerraformJson) => void): SynthesizedStack[] {
  return head.map((s) => {
    if (s.id !== id) return s;
    const json = structuredClone(s.json);
    edit(json);
    return { ...s, json };
  });
}
const only = (json: TerraformJson, type: string) => Object.values<TerraformJson>(json.resource[type])[0];

describe("which stacks a change touches", () => {
  it("finds nothing when nothing changed, cdktf's metadata aside", () => {
    const base = baseWith("library-app-prod-network", (json) => (json["//"] = { metadata: { version: "other" } }));
    const changes = stackChanges(base, head);
    expect(changes).toMatchObject({ changed: [], added: [], removed: [] });
    expect([...changes.downstream]).toEqual([]);
    expect([...changes.unchanged].sort()).toEqual(head.map((s) => s.id).sort());
  });

  it("plans no downstream stack when no output it reads can change (a flow log's retention)", () => {
    const base = baseWith(
      "library-app-prod-network",
      (json) => (only(json, "aws_cloudwatch_log_group").retention_in_days = 7),
    );
    const changes = stackChanges(base, head);
    expect(changes.changed).toEqual(["library-app-prod-network"]);
    expect([...changes.downstream]).toEqual([]);
  });

  it("plans every stack that reads an output that can change, through the resources it depends on", () => {
    const base = baseWith("library-app-prod-network", (json) => (only(json, "aws_vpc").cidr_block = "10.9.0.0/16"));
    const changes = stackChanges(base, head);
    expect(changes.changed).toEqual(["library-app-prod-network"]);
    // Each stack that reads the VPC's or a subnet's id; the DNS stack reads nothing from the network.
    const readsNetwork = (s: SynthesizedStack) =>
      Object.values<TerraformJson>(s.json.data?.terraform_remote_state ?? {}).some(
        (r) => r.config.key === "library-app-prod-network/terraform.tfstate",
      );
    const readers = head
      .filter(readsNetwork)
      .map((s) => s.id)
      .sort();
    expect(readers.length).toBeGreaterThan(1);
    const downstream = [...changes.downstream.keys()].sort();
    expect(downstream).toEqual(expect.arrayContaining(readers));
    for (const id of readers) expect(changes.downstream.get(id)).toContain("library-app-prod-network");
    // Transitively, the stacks reading those readers' outputs: monitoring and edge read compute's.
    const transitive = downstream.filter((id) => !readers.includes(id));
    expect(transitive).toEqual(["library-app-prod-edge", "library-app-prod-monitoring"]);
    for (const id of transitive) expect(changes.downstream.get(id)).toContain("library-app-prod-compute");
    // And transitively: the database moves to new subnets, so its address, which compute reads, may change too.
    expect(changes.downstream.get("library-app-prod-compute")).toEqual([
      "library-app-prod-data",
      "library-app-prod-network",
    ]);
    expect(changes.unchanged).toContain("library-app-prod-dns");
  });

  it("counts added and removed stacks, and a stack-wide change moves every output", () => {
    const extra = { ...head.find((s) => s.id === "library-app-prod-dns")!, id: "library-app-prod-retired" };
    const base = [...baseWith("library-app-prod-dns", (json) => (json.provider.aws[0].region = "us-east-1")), extra];
    const changes = stackChanges(
      base,
      head.filter((s) => s.id !== "library-app-prod-registry"),
    );
    expect([...changes.removed].sort()).toEqual(["library-app-prod-registry", "library-app-prod-retired"]);
    expect(changes.changed).toEqual(["library-app-prod-dns"]);
    expect(changes.downstream.get("library-app-prod-compute")).toEqual(["library-app-prod-dns"]);
    const added = stackChanges(
      head.filter((s) => s.id !== "library-app-prod-dns"),
      head,
    );
    expect(added.added).toEqual(["library-app-prod-dns"]);
    expect(added.downstream.get("library-app-prod-compute")).toEqual(["library-app-prod-dns"]);
  });
});

describe("the base commit's synthesis", () => {
  it("synthesizes HEAD in a temporary worktree with this checkout's node_modules, and leaves no worktree", () => {
    const repo = path.join(__dirname, "..");
    const worktrees = () => execFileSync("git", ["worktree", "list"], { cwd: repo, encoding: "utf8" });
    const before = worktrees();
    const outdir = path.join(root, "base-head", "cdktf.out");
    synthesizeRef("HEAD", repo, outdir, { BLUEPRINT: "library-app" });
    const stacks = readSynthesizedStacks(outdir);
    expect(stacks.map((s) => s.id).sort()).toEqual(head.map((s) => s.id).sort());
    expect(worktrees()).toBe(before);
    expect(() => synthesizeRef("no-such-ref-anywhere", repo, outdir)).toThrow(/names no commit here\. Fix:/);
  }, 120_000);
});

describe("the plan command with a base (offline)", () => {
  let summary: PlanSummary;
  let code: number;
  let comment: string;
  beforeAll(async () => {
    // The base: the registry kept mutable tags (the change makes them immutable), and one more stack, retired since.
    const base = path.join(root, "base", "cdktf.out");
    fs.cpSync(headDir, base, { recursive: true });
    const registry = path.join(base, "stacks", "library-app-prod-registry", "cdk.tf.json");
    const json = JSON.parse(fs.readFileSync(registry, "utf8"));
    for (const repo of Object.values<TerraformJson>(json.resource.aws_ecr_repository))
      repo.image_tag_mutability = "MUTABLE";
    fs.writeFileSync(registry, JSON.stringify(json, null, 2));
    fs.cpSync(
      path.join(base, "stacks", "library-app-prod-registry"),
      path.join(base, "stacks", "library-app-prod-retired"),
      {
        recursive: true,
      },
    );
    const manifest = JSON.parse(fs.readFileSync(path.join(base, "manifest.json"), "utf8"));
    manifest.stacks["library-app-prod-retired"] = {
      ...manifest.stacks["library-app-prod-registry"],
      name: "library-app-prod-retired",
      synthesizedStackPath: "stacks/library-app-prod-retired/cdk.tf.json",
    };
    fs.writeFileSync(path.join(base, "manifest.json"), JSON.stringify(manifest));
    const out = path.join(root, "review");
    const run = await runTool("tools/plan/cli.ts", [
      "--offline",
      "--concurrency",
      "1",
      "--base-out",
      base,
      "--cdktf-out",
      headDir,
      "--out",
      out,
      "--summary-url",
      "https://ci.invalid/run/1",
    ]);
    code = run.code;
    if (code !== 2) throw new Error(`plan exited ${code}: ${run.stderr}`);
    summary = JSON.parse(fs.readFileSync(path.join(out, "summary.json"), "utf8"));
    comment = fs.readFileSync(path.join(out, "comment.md"), "utf8");
  }, 600_000);

  it("plans the changed stack, its readers and the removed stack; lists the rest as unchanged on one line", () => {
    expect(summary.stacks.map((s) => [s.stack, s.trigger])).toEqual([
      ["library-app-prod-registry", "changed"],
      ["library-app-prod-compute", "downstream"],
      ["library-app-prod-retired", "removed"],
    ]);
    expect(summary.stacks[1].upstream).toEqual(["library-app-prod-registry"]);
    expect([...summary.base!.unchanged].sort()).toEqual([
      "account-baseline-library-app-prod",
      "library-app-prod-data",
      "library-app-prod-dns",
      "library-app-prod-edge",
      "library-app-prod-monitoring",
      "library-app-prod-network",
      "state-backend",
    ]);
    expect(comment).toMatch(/^Unchanged, not planned \(7\): `state-backend`, .*\.$/m);
    expect(summary.stacks.every((s) => s.status === "changes")).toBe(true);
  });

  it("shows the removed stack's resources as destroys, its repositories as data loss, loudly", () => {
    const retired = summary.stacks.find((s) => s.stack === "library-app-prod-retired")!;
    const resources = Object.values<TerraformJson>(
      JSON.parse(fs.readFileSync(path.join(headDir, "stacks", "library-app-prod-registry", "cdk.tf.json"), "utf8"))
        .resource,
    ).reduce((n, r) => n + Object.keys(r).length, 0);
    expect(retired.counts).toEqual({ add: 0, change: 0, replace: 0, destroy: resources });
    expect(retired.resources.filter((r) => r.type === "aws_ecr_repository").every((r) => r.dataLoss)).toBe(true);
    expect(comment).toContain("**Stack removed: `library-app-prod-retired`**");
    expect(comment.indexOf("[!CAUTION]")).toBeLessThan(comment.indexOf("| stack |"));
    expect(comment).toContain(
      `| \`library-app-prod-retired\` | 0 | 0 | 0 | ${resources} | changes · **stack removed** |`,
    );
  });
});

describe("a removed stack against its real state", () => {
  it("is planned as the destroy of its base version against the state it left", async () => {
    // A stack that keeps its state in a local file (a backend of its own, like the S3 one), applied once.
    const dir = path.join(root, "removed-backend");
    const json: TerraformJson = {
      terraform: { backend: { local: { path: path.join(root, "removed.tfstate") } } },
      resource: { terraform_data: { a: { input: "a" }, b: { input: "b", count: 2 } } },
    };
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(json));
    for (const args of [
      ["init", "-input=false"],
      ["apply", "-auto-approve", "-input=false"],
    ]) {
      const r = await terraform(args, dir, terraformEnv());
      if (r.code !== 0) throw new Error(`${args[0]}: ${r.stdout}${r.stderr}`);
    }
    const stack = { id: "retired", dir, json, dependencies: [] };
    const summary = await planRemovedStack(stack, [stack], path.join(root, "removed-work"), { offline: false });
    expect(summary.counts).toEqual({ add: 0, change: 0, replace: 0, destroy: 3 });
    expect(summary.resources.map((r) => r.address).sort()).toEqual([
      "terraform_data.a",
      "terraform_data.b[0]",
      "terraform_data.b[1]",
    ]);
  }, 120_000);
});
