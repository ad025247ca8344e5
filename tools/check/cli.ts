import * as path from "path";
import { readSynthesizedStacks } from "../terraform/cdktf-out";
import { blocking, checkStacks } from "./engine";
import { renderReport } from "./report";
import { scanDirectory } from "./secrets";

/**
 * npm run check [-- --cdktf-out DIR]: the policy rules over every synthesized stack and the secrets scan over the
 * whole output. Exit 0 when nothing high is open and no secret is found, 1 otherwise.
 */
function main(): number {
  const args = process.argv.slice(2);
  const i = args.indexOf("--cdktf-out");
  const outdir = path.resolve(i >= 0 ? args[i + 1] : (process.env.CDKTF_OUTDIR ?? "cdktf.out"));
  const stacks = readSynthesizedStacks(outdir);
  const findings = checkStacks(stacks);
  const secrets = scanDirectory(outdir);
  console.log(
    renderReport(
      stacks.map((s) => s.id),
      findings,
      secrets,
    ),
  );
  return blocking(findings).length === 0 && secrets.length === 0 ? 0 : 1;
}

process.exitCode = main();
