import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { SynthesizedStack, TerraformJson } from "../../tools/terraform/cdktf-out";
import { estimateCosts } from "../../tools/cost/estimate";
import { readPriceBook } from "../../tools/cost/prices";
import type { CostComponent, CostReport, ResourceCost } from "../../tools/cost/types";
import { loadUsage } from "../../tools/cost/usage";

/**
 * Hand-built stacks for the cost models: only the attributes the models read, in the shapes cdktf writes them, with
 * the provider block (region, default tags) synthesis gives every stack.
 */
export function fixtureStack(
  id: string,
  resource: Record<string, Record<string, TerraformJson>>,
  options: { region?: string; application?: string; environment?: string } = {},
): SynthesizedStack {
  const tags = { Application: options.application ?? "app", Environment: options.environment ?? "dev" };
  return {
    id,
    dir: "",
    dependencies: [],
    json: {
      provider: { aws: [{ region: options.region ?? "ap-northeast-1", default_tags: [{ tags }] }] },
      resource,
    },
  };
}

/** Unit prices from the real price file, so that tests spell out the arithmetic with the file's numbers. */
export function tokyoPrice(key: string): number {
  const price = readPriceBook("ap-northeast-1").lookup(key);
  if (!price) throw new Error(`tools/cost/prices/ap-northeast-1.json has no ${key}`);
  return price.usd;
}

/** A usage file extending the small preset with the given values, written to a temp dir. */
export function usageFile(assumptions: Record<string, number>, extra: TerraformJson = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-cost-usage-"));
  const file = path.join(dir, "usage.json");
  const entries = Object.fromEntries(Object.entries(assumptions).map(([k, value]) => [k, { value, why: "test" }]));
  fs.writeFileSync(file, JSON.stringify({ extends: "small", assumptions: entries, ...extra }));
  return file;
}

export function estimate(stacks: SynthesizedStack[], assumptions: Record<string, number> = {}): CostReport {
  return estimateCosts(stacks, { usage: loadUsage(usageFile(assumptions)) });
}

export function resourceOf(report: CostReport, address: string): ResourceCost {
  const found = report.stacks.flatMap((s) => s.resources).find((r) => r.address === address);
  if (!found) throw new Error(`no resource ${address} in the report`);
  return found;
}

export function componentOf(resource: ResourceCost, name: string): CostComponent {
  const found = resource.components.find((c) => c.name === name);
  if (!found)
    throw new Error(`${resource.address} has no component "${name}": ${resource.components.map((c) => c.name)}`);
  return found;
}
