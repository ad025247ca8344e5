import { readSynthesizedStacks, selectStacks, type SynthesizedStack } from "../terraform/cdktf-out";
import { costDiff, type CostDiff } from "./diff";
import { renderCostDiff } from "./render-diff";
import { loadUsage } from "./usage";

/**
 * The cost section a plan review appends to its summary: the selected stacks of a base synthesis (a cdktf.out
 * directory, e.g. the base branch synthesized into a temp dir) priced against the same stacks of this synthesis.
 */
export interface PlanCostSection {
  readonly markdown: string;
  readonly json: CostDiff;
}

export interface PlanCostOptions {
  /** cdktf.out of the base synthesis. */
  readonly baseOutdir: string;
  /** The stacks under review (this synthesis, already selected by the patterns). */
  readonly head: readonly SynthesizedStack[];
  /** The plan's stack patterns, applied to the base too (a base without a match has no such stacks yet). */
  readonly patterns: readonly string[];
  /** Usage preset or file (default small). */
  readonly usage?: string;
}

export function planCostSection(options: PlanCostOptions): PlanCostSection {
  const base = selectIfAny(readSynthesizedStacks(options.baseOutdir), options.patterns);
  const json = costDiff(base, options.head, {
    usage: loadUsage(options.usage ?? "small"),
    before: `the base synthesis in ${options.baseOutdir}`,
  });
  return { markdown: renderCostDiff(json), json };
}

function selectIfAny(stacks: readonly SynthesizedStack[], patterns: readonly string[]): SynthesizedStack[] {
  try {
    return selectStacks(stacks, patterns);
  } catch (error) {
    // No base stack matches: every stack under review is new.
    if ((error as Error).message.startsWith("no stack matches")) return [];
    throw error;
  }
}
