import * as path from "path";
import { parseArgs } from "util";
import { readSynthesizedStacks, selectStacks } from "../terraform/cdktf-out";
import { writeBundle } from "./bundle";

const USAGE = `usage: npm run handoff -- --out DIR [--cdktf-out DIR] [stack pattern ...]

Synthesizes (npm script), then writes DIR/<stack>/ (cdk.tf.json, .terraform.lock.hcl, README.md) for each selected
stack and DIR/README.md with the apply order and commands. DIR is replaced.
  --out DIR        where the bundle goes (required)
  --cdktf-out DIR  the synthesized app to read (default: $CDKTF_OUTDIR or cdktf.out)
Patterns select stack ids, * is a wildcard: library-app-*  state-backend  (default: every stack)`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      out: { type: "string" },
      "cdktf-out": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    allowPositionals: true,
  });
  if (values.help) return console.log(USAGE);
  if (!values.out) throw new Error("--out DIR is required");
  const all = readSynthesizedStacks(path.resolve(values["cdktf-out"] ?? process.env.CDKTF_OUTDIR ?? "cdktf.out"));
  const { order } = await writeBundle(selectStacks(all, positionals), all, path.resolve(values.out));
  console.log(`wrote ${order.length} stacks to ${values.out} in apply order:\n  ${order.join("\n  ")}`);
}

main().catch((error: Error) => {
  console.error(`handoff: ${error.message}\n\n${USAGE}`);
  process.exit(1);
});
