import * as fs from "fs";
import * as path from "path";
import type { PolicyFacts } from "../stacks/blueprint-stack";

/**
 * What the policy checks (`npm run check`) know about a stack besides its Terraform JSON: whether it is production and
 * which findings its blueprint accepts. Synthesis writes them to `policy.json` beside the stack's `cdk.tf.json`, not
 * into it: they mean nothing to Terraform, and plan review, offline plans and the handoff bundle copy only
 * `cdk.tf.json`, so they never ship.
 */
export const POLICY_FILE = "policy.json";

/** Writes each stack's facts into its directory of a synthesized (or staged) cdktf.out, found by its manifest. */
export function writePolicyFiles(outdir: string, facts: ReadonlyMap<string, PolicyFacts>): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  for (const [id, policy] of facts) {
    const stack = manifest.stacks[id] as { synthesizedStackPath: string } | undefined;
    if (!stack) throw new Error(`stack ${id} is not in ${outdir}/manifest.json`);
    const file = path.join(outdir, path.dirname(stack.synthesizedStackPath), POLICY_FILE);
    fs.writeFileSync(file, JSON.stringify(policy, null, 2) + "\n");
  }
}
