import { execFileSync } from "child_process";
import { synthesize, synthOptionsFromEnv } from "../../app/synth";
import { handedOffIn, loadHandovers, parseHandovers, writeHandovers, type Handover } from "../../app/handovers";
import { readSynthesizedStacks, selectStacks } from "../terraform/cdktf-out";
import { bundleFormat, writeBundle } from "./bundle";

export interface HandoverRequest {
  /** The synthesized app (cdktf.out); synthesized again with the guards. */
  readonly cdktfOut: string;
  /** Where the bundle goes. */
  readonly out: string;
  /** Stack patterns: what is handed over (required: never "every stack" by default). */
  readonly patterns: readonly string[];
  /** The team that owns the stacks' state from now on. */
  readonly to: string;
  /** Where the bundle will live for them (recorded). */
  readonly bundleRef: string;
  /** The registry file (handed-off.json). */
  readonly registry: string;
  /** The bundle's form. Default: json. */
  readonly format?: "json" | "hcl";
}

export interface HandoverResult {
  readonly order: string[];
  readonly recorded: Handover[];
  /** Set when the working tree had uncommitted changes: the recorded commit is not exactly what was bundled. */
  readonly warning?: string;
}

/**
 * The one-way handover: the selected stacks are recorded as owned by another team, cdktf.out is synthesized again so
 * that it refuses every plan, apply and destroy of them, and their bundle is written from that synthesis (without the
 * guard). In that order, so that a failure leaves the safe side: nothing recorded, or a cdktf.out that refuses more
 * than the registry says (the next synthesis undoes it). Stacks already handed off are refused, never handed twice.
 */
export async function handOver(request: HandoverRequest): Promise<HandoverResult> {
  if (request.patterns.length === 0) {
    throw new Error("--handover needs stack patterns (what is handed over), e.g. 'library-app-prod-*'");
  }
  const before = readSynthesizedStacks(request.cdktfOut);
  const chosen = selectStacks(before, request.patterns);
  const existing = loadHandovers(request.registry);
  const again = chosen.flatMap((s) => {
    const earlier = existing.find((e) => e.stack === s.id);
    const note = earlier ? `handed off to ${earlier.to} on ${earlier.date}` : handedOffIn(s.json);
    return note ? [`${s.id} (${note})`] : [];
  });
  if (again.length > 0) {
    throw new Error(
      `already handed off: ${again.join(", ")}. A stack is handed over once. Fix: leave it out of the patterns`,
    );
  }
  const { commit, dirty } = sourceCommit();
  const date = new Date().toISOString().slice(0, 10);
  const recorded = chosen.map((s) => ({ stack: s.id, to: request.to, date, bundle: request.bundleRef, commit }));
  const next = parseHandovers({ handedOff: [...existing, ...recorded] }, request.registry);

  synthesize({ ...synthOptionsFromEnv(), outdir: request.cdktfOut, handedOffFile: request.registry, handedOff: next });
  try {
    const after = readSynthesizedStacks(request.cdktfOut);
    const ids = new Set(recorded.map((r) => r.stack));
    const format = await bundleFormat(request.format ?? "json", [...ids]);
    const { order } = await writeBundle(
      after.filter((s) => ids.has(s.id)),
      after,
      request.out,
      { to: request.to, date, commit },
      format,
    );
    writeHandovers(request.registry, next);
    const warning = dirty
      ? `the working tree has uncommitted changes: the bundle may differ from commit ${commit.slice(0, 12)}`
      : undefined;
    return { order, recorded, warning };
  } catch (error) {
    throw new Error(
      `${(error as Error).message}\nNothing was recorded in ${request.registry}, but ${request.cdktfOut} already ` +
        "refuses these stacks. Fix the cause and run the handover again, or `npm run synth` to undo",
    );
  }
}

/** The commit the bundle is written from, and whether tracked files have uncommitted changes. */
function sourceCommit(): { commit: string; dirty: boolean } {
  const git = (args: string[]) => execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  let commit: string;
  try {
    commit = git(["rev-parse", "HEAD"]).trim();
  } catch {
    throw new Error("a handover records the commit it is written from. Fix: run it in the project's git checkout");
  }
  return { commit, dirty: git(["status", "--porcelain", "--untracked-files=no"]).trim() !== "" };
}
