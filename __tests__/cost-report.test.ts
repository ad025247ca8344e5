import * as fs from "fs";
import * as path from "path";
import type { SynthesizedStack, TerraformJson } from "../tools/terraform/cdktf-out";
import { costDataDir } from "../tools/cost/data-files";
import { estimateCosts } from "../tools/cost/estimate";
import { FREE_TYPES, PRICERS } from "../tools/cost/pricers";
import { readPriceBook } from "../tools/cost/prices";
import type { CostReport } from "../tools/cost/types";
import { loadUsage } from "../tools/cost/usage";
import { runTool } from "./helpers/cli";
import { synthToTemp } from "./helpers/synth";

/**
 * The cost report over the real synthesis of every blueprint: every resource type has a model or a reason to be
 * free, nothing is left unpriced, the totals add up, and the command prints the same report as table, Markdown
 * and JSON.
 */

let outdir: string;
let stacks: SynthesizedStack[];
let report: CostReport;
beforeAll(() => {
  ({ outdir, stacks } = synthToTemp());
  report = estimateCosts(stacks, { usage: loadUsage("small") });
}, 120_000);
afterAll(() => fs.rmSync(path.dirname(outdir), { recursive: true, force: true }));

const cents = (n: number) => Math.round(n * 100);

describe("every blueprint, priced with the small profile", () => {
  it("every aws_* type the blueprints emit is priced or listed free with a reason", () => {
    const types = new Set(stacks.flatMap((s) => Object.keys(s.json.resource ?? {})));
    const uncovered = [...types].filter((t) => !PRICERS[t] && !FREE_TYPES[t]);
    expect(uncovered).toEqual([]);
    for (const t of types) if (FREE_TYPES[t]) expect(FREE_TYPES[t].length).toBeGreaterThan(10);
  });

  it("prices every component (nothing unpriced, no unknown quantity)", () => {
    expect(report.unpriced).toEqual([]);
    const components = report.stacks.flatMap((s) => s.resources.flatMap((r) => r.components));
    expect(components.length).toBeGreaterThan(200);
    for (const c of components) {
      expect(c.monthlyCost).toBeCloseTo(c.monthlyQuantity! * c.price!, 5);
      expect(c.monthlyCost).toBeGreaterThanOrEqual(0);
    }
  });

  it("totals add up: resources → stacks → environments → blueprints → total", () => {
    for (const s of report.stacks)
      expect(cents(s.monthlyCost)).toBe(cents(s.resources.reduce((n, r) => n + r.monthlyCost, 0)));
    const byEnvironment = (b: string, e?: string) =>
      report.stacks.filter((s) => s.blueprint === b && (e === undefined || s.environment === e));
    for (const e of report.environments)
      expect(cents(e.monthlyCost)).toBe(
        cents(byEnvironment(e.blueprint, e.environment).reduce((n, s) => n + s.monthlyCost, 0)),
      );
    for (const b of report.blueprints)
      expect(cents(b.monthlyCost)).toBe(cents(byEnvironment(b.blueprint).reduce((n, s) => n + s.monthlyCost, 0)));
    expect(cents(report.total.monthlyCost)).toBe(cents(report.blueprints.reduce((n, b) => n + b.monthlyCost, 0)));
    expect(report.blueprints.map((b) => b.blueprint).sort()).toEqual([
      "(shared)",
      "callback-handler",
      "fastapi-aurora",
      "library-app",
      "markmail",
      "text-messaging",
    ]);
  });

  it("autoscaled stacks have a range; the minimum never exceeds desired, nor desired the maximum", () => {
    for (const s of report.stacks) {
      expect(s.atMinTasks).toBeLessThanOrEqual(s.monthlyCost + 1e-9);
      expect(s.monthlyCost).toBeLessThanOrEqual(s.atMaxTasks + 1e-9);
    }
    const markmailProd = report.stacks.find((s) => s.stack === "markmail-prod-compute")!;
    expect(markmailProd.atMaxTasks).toBeGreaterThan(markmailProd.monthlyCost * 2);
    const services = markmailProd.resources.filter((r) => r.type === "aws_ecs_service");
    expect(services.map((s) => s.tasks)).toEqual([
      { min: 2, desired: 2, max: 10 },
      { min: 2, desired: 2, max: 10 },
    ]);
  });

  it("records the assumptions it read, with the file that set them", () => {
    const callback = report.assumptions["callback-handler/prod"];
    expect(callback["traffic.requestsPerSecond"]).toMatchObject({
      value: 0.1,
      from: "tools/cost/usage/blueprints/callback-handler.json",
    });
    expect(callback["nat.gbPerGatewayMonth"]).toBeUndefined(); // no NAT gateway there: never read
    expect(report.assumptions["text-messaging/dev"]["nat.gbPerGatewayMonth"].from).toBe(
      "tools/cost/usage/presets/small.json",
    );
    // us-east-1: library-app's CloudFront certificate, web ACL and log group live there (the edge stack's alias).
    expect(report.prices).toEqual([
      { region: "ap-northeast-1", file: "tools/cost/prices/ap-northeast-1.json", asOf: ["2025-01"] },
      { region: "us-east-1", file: "tools/cost/prices/us-east-1.json", asOf: ["2025-01"] },
    ]);
  });
});

describe("price files", () => {
  const regions = fs.readdirSync(costDataDir("prices")).map((f) => f.replace(/\.json$/, ""));

  it("cover ap-northeast-1, us-east-1 and us-west-2, each price with its source page and date", () => {
    expect(regions).toEqual(expect.arrayContaining(["ap-northeast-1", "us-east-1", "us-west-2"]));
    for (const region of regions) {
      const file = JSON.parse(fs.readFileSync(costDataDir("prices", `${region}.json`), "utf8"));
      expect(file.transcribed).toMatch(/NOT fetched/);
      for (const group of file.groups) {
        expect(group.source).toMatch(/^https:\/\/aws\.amazon\.com\/.+\/$/);
        expect(group.asOf).toMatch(/^\d{4}-\d{2}/);
      }
      expect(readPriceBook(region).lookup("nat.hour")).toMatchObject({
        unit: "hours",
        source: "https://aws.amazon.com/vpc/pricing/",
      });
    }
  });

  it("price the same blueprints in every region (only the region's numbers differ)", () => {
    // The default provider moves; an aliased one (CloudFront's us-east-1) stays where it is.
    const moved = stacks.map((s) => ({
      ...s,
      json: {
        ...s.json,
        provider: {
          aws: [].concat(s.json.provider.aws).map((p: TerraformJson) => (p.alias ? p : { ...p, region: "us-east-1" })),
        },
      },
    }));
    const us = estimateCosts(moved, { usage: loadUsage("small") });
    expect(us.unpriced).toEqual([]);
    expect(us.total.monthlyCost).toBeLessThan(report.total.monthlyCost); // Tokyo is dearer than N. Virginia
  });
});

describe("npm run cost (the command)", () => {
  it("prints the table: per stack, per environment, per blueprint, with the basis of the figures", async () => {
    const run = await runTool("tools/cost/cli.ts", ["--cdktf-out", outdir, "callback-handler-*"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Monthly cost estimate, USD: usage profile small \(tools\/cost\/usage\/presets\/small\.json \+ tools\/cost\/usage\/blueprints\/callback-handler\.json\); prices ap-northeast-1 as of 2025-01 \(transcribed by hand, not fetched\); 730 h\/month/,
    );
    const total = report.environments.find((e) => e.blueprint === "callback-handler")!.monthlyCost;
    expect(run.stdout).toMatch(new RegExp(`callback-handler prod +\\$${total.toFixed(2)}`));
    expect(run.stdout).toMatch(/callback-handler-prod-network +\$\d+\.\d\d/);
    expect(run.stderr).toMatch(/^priced 6 stacks in \d+ ms/);
  });

  it("--json prints the report (resources → cost components with unit, quantity, price, cost, usage flag)", async () => {
    const run = await runTool("tools/cost/cli.ts", ["--cdktf-out", outdir, "--json", "text-messaging-dev-*"]);
    const json = JSON.parse(run.stdout) as CostReport;
    expect(json.stacks.map((s) => s.stack)).toEqual(
      stacks.filter((s) => s.id.startsWith("text-messaging-dev-")).map((s) => s.id),
    );
    const nat = json.stacks.flatMap((s) => s.resources).find((r) => r.type === "aws_nat_gateway")!;
    expect(nat.components[0]).toEqual({
      name: "NAT gateway hours",
      unit: "hours",
      monthlyQuantity: 730,
      price: readPriceBook("ap-northeast-1").lookup("nat.hour")!.usd,
      monthlyCost: expect.closeTo(730 * readPriceBook("ap-northeast-1").lookup("nat.hour")!.usd, 6),
      usageBased: false,
      priceKey: "nat.hour",
      detail: "its public IPv4 address is priced on its aws_eip",
    });
  });

  it("--markdown prints per environment and per blueprint tables", async () => {
    const run = await runTool("tools/cost/cli.ts", ["--cdktf-out", outdir, "--markdown", "markmail-*"]);
    expect(run.stdout).toMatch(/^## Monthly cost estimate: \$[\d,]+\.\d\d\n/);
    expect(run.stdout).toContain("| markmail | prod |");
    expect(run.stdout).toContain("<details><summary>Per stack (25)</summary>");
  });

  it("fails with the region and the fix when a price file is missing, and on a bad usage argument", async () => {
    const empty = fs.mkdtempSync(path.join(path.dirname(outdir), "prices-"));
    fs.copyFileSync(costDataDir("prices", "us-east-1.json"), path.join(empty, "us-east-1.json"));
    const noRegion = await runTool("tools/cost/cli.ts", ["--cdktf-out", outdir, "--prices", empty]);
    expect(noRegion.code).toBe(1);
    expect(noRegion.stderr).toMatch(
      /^cost: no price file for region ap-northeast-1 \(.*ap-northeast-1\.json\)\. Priced regions: us-east-1\. Fix: /,
    );
    const badUsage = await runTool("tools/cost/cli.ts", ["--cdktf-out", outdir, "--usage", "enormous"]);
    expect(badUsage.code).toBe(1);
    expect(badUsage.stderr).toContain("--usage enormous: neither a preset");
  });
});
