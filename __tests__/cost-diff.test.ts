import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BLUEPRINTS } from "../blueprints";
import type { SynthesizedStack } from "../tools/terraform/cdktf-out";
import { compareReports, costDiff } from "../tools/cost/diff";
import { estimateCosts } from "../tools/cost/estimate";
import { signedUsd } from "../tools/cost/format";
import { planCostSection } from "../tools/cost/plan-section";
import { COST_SECTION_MARKER, renderCostDiff } from "../tools/cost/render-diff";
import { loadUsage } from "../tools/cost/usage";
import { estimate, fixtureStack, tokyoPrice as p } from "./helpers/cost-fixtures";
import { runTool } from "./helpers/cli";
import { synthToTemp } from "./helpers/synth";

/**
 * The cost change a plan review shows: a real second NAT gateway (text-messaging's dev environment switched from one
 * NAT gateway to one per AZ) priced against the synthesis without it, address renames that change nothing, stacks
 * that appear or go, and the section's size whatever the diff.
 */

let root: string;
let base: { outdir: string; stacks: SynthesizedStack[] };
let head: { outdir: string; stacks: SynthesizedStack[] };
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-cost-diff-"));
  base = synthToTemp({ blueprint: "text-messaging" });
  const variant = JSON.parse(JSON.stringify(BLUEPRINTS.find((b) => b.name === "text-messaging")));
  variant.network.natGateways = "per-az"; // dev had one NAT gateway; prod already has one per AZ
  const file = path.join(root, "text-messaging.json");
  fs.writeFileSync(file, JSON.stringify(variant));
  head = synthToTemp({ blueprintFile: file });
}, 120_000);
afterAll(() => {
  for (const dir of [root, path.dirname(base.outdir), path.dirname(head.outdir)])
    fs.rmSync(dir, { recursive: true, force: true });
});

const usage = () => loadUsage("small");

describe("a second NAT gateway", () => {
  it("costs its hours, its data and its public IPv4 address, all in the dev network stack", () => {
    const diff = costDiff(base.stacks, head.stacks, { usage: usage(), before: "main" });
    // 730 h × NAT hourly + 5 GB (small profile) × NAT per GB + 730 h × public IPv4 hourly
    const expected = 730 * p("nat.hour") + 5 * p("nat.gb") + 730 * p("public-ipv4.hour");
    expect(diff.total.delta).toBeCloseTo(expected, 6);
    expect(diff.total.percent).toBeCloseTo((expected / diff.total.before!) * 100, 6);
    const changed = diff.stacks.filter((s) => s.delta !== 0);
    expect(changed.map((s) => s.stack)).toEqual(["text-messaging-dev-network"]);
    expect(diff.changes[0]).toEqual({
      stack: "text-messaging-dev-network",
      type: "aws_nat_gateway",
      component: "NAT gateway hours",
      unit: "hours",
      resourcesBefore: 1,
      resourcesAfter: 2,
      quantityBefore: 730,
      quantityAfter: 1460,
      delta: expect.closeTo(730 * p("nat.hour"), 6),
    });
    expect(diff.changes.map((c) => `${c.type}: ${c.component}`)).toEqual([
      "aws_nat_gateway: NAT gateway hours",
      "aws_eip: Public IPv4 address",
      "aws_nat_gateway: NAT gateway data processed",
    ]);
    expect(diff.environments.find((e) => e.environment === "prod")!.delta).toBe(0);
  });

  it("the plan's cost section names it, with dollars and percent per environment and in total", () => {
    const section = planCostSection({ baseOutdir: base.outdir, head: head.stacks, patterns: [] });
    const nat = signedUsd(730 * p("nat.hour"));
    expect(section.markdown.split("\n")[0]).toBe(COST_SECTION_MARKER);
    expect(section.markdown).toMatch(
      new RegExp(
        `^### Monthly cost: \\$[\\d,.]+ → \\$[\\d,.]+, \\*\\*\\+\\$[\\d.]+ \\(\\+\\d+\\.\\d%\\)\\*\\*, mostly \`aws_nat_gateway\` in \`text-messaging-dev-network\`$`,
        "m",
      ),
    );
    expect(section.markdown).toContain(
      `- **${nat}** \`text-messaging-dev-network\`: \`aws_nat_gateway\` 1 → 2, NAT gateway hours 730 → 1,460 hours`,
    );
    expect(section.markdown).toContain(`_Before: the base synthesis in ${base.outdir}. After: this synthesis.`);
    expect(section.markdown).toMatch(/\| text-messaging dev \| \$[\d,.]+ \| \$[\d,.]+ \| \+\$[\d.]+ \(\+\d+\.\d%\) \|/);
    expect(section.markdown).toMatch(/\| text-messaging prod \| (\$[\d,.]+) \| \1 \| \$0\.00 \(0\.0%\) \|/);
    expect(section.markdown).toContain(`<details><summary>Per stack (1 of ${head.stacks.length} changed)</summary>`);
    expect(section.json.total.delta).toBeCloseTo(
      730 * p("nat.hour") + 5 * p("nat.gb") + 730 * p("public-ipv4.hour"),
      6,
    );
  });

  it("the plan's patterns select the same stacks on both sides; a base without them has them as new", () => {
    const dev = planCostSection({
      baseOutdir: base.outdir,
      head: head.stacks.filter((s) => s.id.includes("-dev-")),
      patterns: ["text-messaging-dev-*"],
    });
    expect(dev.json.stacks).toHaveLength(head.stacks.filter((s) => s.id.includes("-dev-")).length);
    const other = synthToTemp({ blueprint: "callback-handler" });
    const fresh = planCostSection({ baseOutdir: other.outdir, head: head.stacks, patterns: ["text-messaging-*"] });
    expect(fresh.json.stacks.every((s) => s.before === null)).toBe(true);
    expect(fresh.json.total.before).toBe(0);
    expect(fresh.markdown).toMatch(/\| `text-messaging-dev-network` \| — \| \$[\d,.]+ \| \+\$[\d,.]+ \(new\) \|/);
    fs.rmSync(path.dirname(other.outdir), { recursive: true, force: true });
  });
});

describe("what is not a cost change", () => {
  it("renamed addresses (hash suffixes dropped) change nothing: components are matched by type, not address", () => {
    const renamed = base.stacks.map((s) => ({
      ...s,
      json: JSON.parse(JSON.stringify(s.json).replace(/_[0-9A-F]{8}\b/g, "")),
    }));
    const count = (list: SynthesizedStack[]) =>
      list.map((s) =>
        Object.values(s.json.resource ?? {}).reduce((n: number, r) => n + Object.keys(r as object).length, 0),
      );
    expect(count(renamed)).toEqual(count(base.stacks));
    expect(JSON.stringify(renamed)).not.toMatch(/_[0-9A-F]{8}\b/);
    const diff = costDiff(base.stacks, renamed, { usage: usage(), before: "main" });
    expect(diff.total.delta).toBe(0);
    expect(diff.changes).toEqual([]);
    expect(renderCostDiff(diff)).toMatch(/^### Monthly cost: no change \(\$[\d,.]+\)$/m);
  });

  it("a removed stack is a saving; a stack only before shows as removed", () => {
    const one = fixtureStack("app-dev-network", { aws_eip: { e: {} } }, { application: "app", environment: "dev" });
    const before = estimate([one]);
    const after = estimate([]);
    const diff = compareReports(before, after, "main");
    expect(diff.stacks[0]).toMatchObject({
      stack: "app-dev-network",
      after: null,
      delta: expect.closeTo(-730 * p("public-ipv4.hour"), 6),
    });
    expect(diff.total.percent).toBeCloseTo(-100, 6);
    expect(renderCostDiff(diff)).toContain("(removed)");
  });
});

describe("the section's size", () => {
  it("stays bounded with hundreds of changed stacks: the five largest changes, thirty stacks", () => {
    const many = (n: number) =>
      Array.from({ length: 300 }, (_, i) =>
        fixtureStack(
          `app${i}-dev-network`,
          { aws_eip: Object.fromEntries(Array.from({ length: n }, (_, k) => [`e${k}`, {}])) },
          { application: `app${i}` },
        ),
      );
    const diff = compareReports(
      estimateCosts(many(1), { usage: usage() }),
      estimateCosts(many(2), { usage: usage() }),
      "main",
    );
    expect(diff.changes).toHaveLength(300);
    const markdown = renderCostDiff(diff);
    expect(markdown).toContain("- … and 295 smaller");
    expect(markdown).toContain("… and 270 more in summary.json");
    expect(markdown.length).toBeLessThan(30_000);
  });
});

describe("the plan command's hook", () => {
  it("prices the cost section before planning: a bad --cost-base fails at once", async () => {
    const run = await runTool("tools/plan/cli.ts", [
      "--offline",
      "--cdktf-out",
      head.outdir,
      "--out",
      path.join(root, "review"),
      "--cost-base",
      path.join(root, "missing"),
      "text-messaging-dev-network",
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`plan: ${path.join(root, "missing", "manifest.json")} not found`);
    expect(fs.existsSync(path.join(root, "review", "work"))).toBe(false); // nothing was planned
  });
});
