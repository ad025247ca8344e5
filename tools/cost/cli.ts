import * as path from "path";
import { parseArgs } from "util";
import { readSynthesizedStacks, selectStacks } from "../terraform/cdktf-out";
import { estimateCosts } from "./estimate";
import { priceBooks } from "./prices";
import { renderReportMarkdown } from "./render-markdown";
import { renderText } from "./render-text";
import { stackModel } from "./stack-model";
import { loadUsage } from "./usage";

const USAGE = `usage: npm run cost -- [stack pattern ...] [--usage small|medium|large|FILE] [--json] [--markdown]
                        [--breakdown] [--cdktf-out DIR] [--prices DIR]

Prices the synthesized stacks in cdktf.out (run after synthesis; the npm script synthesizes first): a monthly
estimate per stack, per environment and per blueprint, at desired_count and across each service's autoscaling
range. Prices come from tools/cost/prices/<region>.json, usage assumptions from tools/cost/usage (docs/cost.md).
  --usage P      a preset (small, the default; medium; large) or a usage file (docs/cost.md, Usage profiles)
  --json         the full report as JSON (resources, cost components, assumptions) on stdout
  --markdown     the report as Markdown on stdout
  --breakdown    in the table view, every resource's cost components
  --cdktf-out    the synthesized app to read (default: $CDKTF_OUTDIR or cdktf.out)
  --prices DIR   price files from DIR instead of tools/cost/prices
Patterns select stack ids, * is a wildcard: library-app-*  *-network  state-backend`;

function main(): number {
  const { values, positionals } = parseArgs({
    options: {
      usage: { type: "string", default: "small" },
      json: { type: "boolean", default: false },
      markdown: { type: "boolean", default: false },
      breakdown: { type: "boolean", default: false },
      "cdktf-out": { type: "string" },
      prices: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const started = process.hrtime.bigint();
  const outdir = path.resolve(values["cdktf-out"] ?? process.env.CDKTF_OUTDIR ?? "cdktf.out");
  const all = readSynthesizedStacks(outdir);
  const stacks = selectStacks(all, positionals);
  const usage = loadUsage(values.usage);
  const report = estimateCosts(stacks, {
    usage,
    prices: priceBooks(values.prices ? path.resolve(values.prices) : undefined),
  });
  const present = new Set(all.map(stackModel).map((m) => `${m.blueprint}/${m.environment}`));
  for (const warning of usage.unmatched(present)) console.error(`warning: ${warning}: its assumptions are not used`);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + "\n");
  else if (values.markdown) process.stdout.write(renderReportMarkdown(report));
  else process.stdout.write(renderText(report, { breakdown: values.breakdown }));
  console.error(`priced ${stacks.length} stacks in ${ms.toFixed(0)} ms`);
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`cost: ${(error as Error).message}`);
  process.exitCode = 1;
}
