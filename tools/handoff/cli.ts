import * as path from "path";
import { parseArgs } from "util";
import { HANDED_OFF_FILE, handedOffIn } from "../../app/handovers";
import { readSynthesizedStacks, selectStacks } from "../terraform/cdktf-out";
import { bundleFormat, writeBundle } from "./bundle";
import { handOver } from "./handover";

const USAGE = `usage: npm run handoff -- --out DIR [--format json|hcl] [--cdktf-out DIR] [stack pattern ...]
       npm run handoff -- --handover --to TEAM --out DIR [--bundle-ref WHERE] stack pattern ...

Synthesizes (npm script), then writes DIR/<stack>/ (cdk.tf.json or main.tf, .terraform.lock.hcl, README.md) for each
selected stack and DIR/README.md with the apply order and commands. DIR is replaced. Stacks already handed off are
left out.
  --out DIR           where the bundle goes (required)
  --format json|hcl   plain Terraform JSON (cdk.tf.json, default) or HCL (main.tf, terraform fmt-formatted)
  --cdktf-out DIR     the synthesized app to read (default: $CDKTF_OUTDIR or cdktf.out)
Handover, one way (docs/handoff.md): the selected stacks' state belongs to TEAM from now on.
  --handover          also record them in ${HANDED_OFF_FILE} and synthesize again, so that cdktf.out refuses to plan,
                      apply or destroy them; commit ${HANDED_OFF_FILE} afterwards
  --to TEAM           who owns their state now (required with --handover)
  --bundle-ref WHERE  where the bundle will live for them, recorded (default: DIR as given)
  --registry FILE     the handover registry (default: ${HANDED_OFF_FILE})
Patterns select stack ids, * is a wildcard: library-app-*  account-baseline-*  state-backend  (default: every stack; none with --handover)`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      out: { type: "string" },
      "cdktf-out": { type: "string" },
      format: { type: "string", default: "json" },
      handover: { type: "boolean", default: false },
      to: { type: "string" },
      "bundle-ref": { type: "string" },
      registry: { type: "string", default: HANDED_OFF_FILE },
      help: { type: "boolean", short: "h", default: false },
    },
    allowPositionals: true,
  });
  if (values.help) return console.log(USAGE);
  if (!values.out) throw new Error("--out DIR is required");
  const format = values.format;
  if (format !== "json" && format !== "hcl") throw new Error(`--format ${format} is not json or hcl`);
  const cdktfOut = path.resolve(values["cdktf-out"] ?? process.env.CDKTF_OUTDIR ?? "cdktf.out");
  if (values.handover) {
    if (!values.to) throw new Error("--handover needs --to TEAM: who owns the stacks' state from now on");
    const result = await handOver({
      cdktfOut,
      out: path.resolve(values.out),
      patterns: positionals,
      to: values.to,
      bundleRef: values["bundle-ref"] ?? values.out,
      registry: path.resolve(values.registry),
      format,
    });
    if (result.warning) console.error(`handoff: warning: ${result.warning}`);
    console.log(
      `handed over ${result.order.length} stacks to ${values.to}; bundle in ${values.out}, in apply order:\n  ` +
        `${result.order.join("\n  ")}\nrecorded in ${values.registry}; cdktf.out now refuses to plan, apply or ` +
        `destroy them. Commit it: git add ${values.registry} && git commit`,
    );
    return;
  }
  if (values.to || values["bundle-ref"]) throw new Error("--to and --bundle-ref go with --handover");
  const all = readSynthesizedStacks(cdktfOut);
  const selected = selectStacks(all, positionals);
  const owned = selected.filter((s) => !handedOffIn(s.json));
  for (const s of selected.filter((s) => handedOffIn(s.json))) {
    console.error(`${s.id}: left out, ${handedOffIn(s.json)}, whose state it is now (docs/handoff.md)`);
  }
  if (owned.length === 0) throw new Error("every selected stack is handed off: nothing to bundle");
  const bundle = await bundleFormat(
    format,
    owned.map((s) => s.id),
  );
  const { order } = await writeBundle(owned, all, path.resolve(values.out), undefined, bundle);
  console.log(`wrote ${order.length} stacks to ${values.out} in apply order:\n  ${order.join("\n  ")}`);
}

main().catch((error: Error) => {
  console.error(`handoff: ${error.message}\n\n${USAGE}`);
  process.exit(1);
});
