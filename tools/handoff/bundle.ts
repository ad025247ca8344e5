import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { applyOrder, stateBucketCreator } from "../terraform/apply-order";
import type { SynthesizedStack } from "../terraform/cdktf-out";
import { LOCK_FILE, providerLock, type LockResult } from "./lock";
import { BUNDLE_TITLE, bundleReadme, stackReadme, type HandoverFacts, type StackFacts } from "./readme";
import { absolutePathsIn, terraformOnlyJson, upstreamReads } from "./terraform-json";
import { hclForms, STACK_HCL } from "./hcl";

export const STACK_JSON = "cdk.tf.json";

/** How a bundle writes each stack: Terraform JSON (default), or HCL given per stack id (hcl.ts). */
export type BundleFormat =
  | { readonly kind: "json" }
  | { readonly kind: "hcl"; readonly text: ReadonlyMap<string, string> };

/**
 * Writes the handoff bundle: `<out>/<stack id>/` with the Terraform-only JSON, the provider lock file and a README,
 * for each selected stack in dependency order, and `<out>/README.md` with the apply order and commands (and, for a
 * handover, who owns the stacks now). `out` is replaced as a whole so that stacks dropped from the selection do not
 * linger (only an empty directory or an earlier bundle, never anything else).
 */
export async function writeBundle(
  selected: readonly SynthesizedStack[],
  all: readonly SynthesizedStack[],
  out: string,
  handover?: HandoverFacts,
  format: BundleFormat = { kind: "json" },
): Promise<{ order: string[] }> {
  refuseToReplaceOther(out);
  const ordered = applyOrder(selected);
  const ids = new Set(ordered.map((s) => s.id));
  const locks = new Map<string, LockResult>();
  const facts: StackFacts[] = [];
  for (const [i, stack] of ordered.entries()) {
    const json = terraformOnlyJson(stack.json);
    const hcl = format.kind === "hcl" ? format.text.get(stack.id) : undefined;
    if (format.kind === "hcl" && hcl === undefined) throw new Error(`no HCL form of ${stack.id}`);
    const leaks = absolutePathsIn(hcl?.split("\n") ?? json, buildMachinePaths(stack));
    if (leaks.length > 0) {
      throw new Error(
        `${stack.id} holds paths of this machine, which break elsewhere: ${leaks.slice(0, 3).join(", ")}`,
      );
    }
    facts.push({
      id: stack.id,
      step: i + 1,
      json,
      file: hcl === undefined ? STACK_JSON : STACK_HCL,
      hcl,
      reads: upstreamReads(stack, all),
      stateFrom: stateBucketCreator(stack, selected)?.id,
      readBy: ordered.filter((s) => s.dependencies.includes(stack.id)).map((s) => s.id),
      lock: await providerLock(json, locks),
    });
  }
  const missing = [...new Set(facts.flatMap((f) => f.reads.map((r) => r.stack)))].filter((id) => !ids.has(id));

  fs.rmSync(out, { recursive: true, force: true });
  for (const f of facts) {
    const dir = path.join(out, f.id);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, f.file), f.hcl ?? JSON.stringify(f.json, null, 2) + "\n");
    fs.writeFileSync(path.join(dir, LOCK_FILE), f.lock.text);
    fs.writeFileSync(path.join(dir, "README.md"), stackReadme(f, facts.length));
  }
  // State buckets no stack of the bundle creates: they must exist before the first init.
  const buckets = facts.filter((f) => !f.stateFrom).map((f) => f.json.terraform?.backend?.s3?.bucket);
  const external = [...new Set(buckets.filter((b): b is string => typeof b === "string"))];
  fs.writeFileSync(path.join(out, "README.md"), bundleReadme(facts, missing, external, handover));
  return { order: facts.map((f) => f.id) };
}

function refuseToReplaceOther(out: string): void {
  if (!fs.existsSync(out) || fs.readdirSync(out).length === 0) return;
  const readme = path.join(out, "README.md");
  if (fs.existsSync(readme) && fs.readFileSync(readme, "utf8").startsWith(BUNDLE_TITLE)) return;
  throw new Error(`${out} is neither empty nor a handoff bundle. Fix: choose a new or empty --out directory`);
}

/**
 * Paths that only mean something on the machine that built the bundle: the checkout, the synthesized output, the
 * home directory. (Not /tmp as such: "/tmp" is also a path inside containers.)
 */
function buildMachinePaths(stack: SynthesizedStack): string[] {
  const outdir = path.dirname(path.dirname(stack.dir)); // <outdir>/stacks/<id>
  return [...new Set([process.cwd(), outdir, os.homedir()])].filter((p) => p.split("/").length > 2);
}

/** The bundle format for a `--format` value: JSON as synthesized, or HCL synthesized for these stacks. */
export async function bundleFormat(kind: "json" | "hcl", stackIds: readonly string[]): Promise<BundleFormat> {
  return kind === "hcl" ? { kind, text: await hclForms(stackIds) } : { kind };
}
