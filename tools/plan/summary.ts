import type { TerraformJson } from "../terraform/cdktf-out";
import { refusedUpdate } from "./refused-updates";
import { statefulLoss } from "./stateful";
import { changedAttributes, display, redactor, sensitiveValues, UNKNOWN, type AttributeChange } from "./values";

/**
 * A reviewer's view of `terraform show -json` output: per stack what is added, changed, replaced and destroyed,
 * output changes and diagnostics, with deletions of stateful resources singled out. Built from the plan's JSON
 * only; every value shown goes through the sensitivity masks (values.ts).
 */

export const ACTIONS = ["add", "change", "replace", "destroy"] as const;
export type Action = (typeof ACTIONS)[number];
export type Counts = Record<Action, number>;

export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly action: Action;
  /** Terraform's action_reason in words, when it gave one (why a replace or delete happens). */
  readonly reason?: string;
  /** For replacements: the attribute paths that force it. */
  readonly forcedBy?: readonly string[];
  /** For a destroy or replace of a stateful type: what is lost. */
  readonly dataLoss?: string;
  /** For changes and replacements: the attributes that differ, sensitive values masked. */
  readonly attributes?: readonly AttributeChange[];
}

export interface OutputChange {
  readonly name: string;
  readonly action: "add" | "change" | "destroy";
  readonly sensitive: boolean;
  readonly before: string;
  readonly after: string;
}

export interface Diagnostic {
  readonly severity: "warning" | "error";
  readonly summary: string;
  readonly detail?: string;
  /** The resource or check the diagnostic is about, when terraform says. */
  readonly address?: string;
}

export type StackStatus = "no-changes" | "changes" | "failed";

/**
 * Why a stack was planned when planning against a base (`--base`): its configuration changed, it is new, it is gone
 * (its plan is the destroy of the base's version), or it reads an upstream output that may change.
 */
export type Trigger = "changed" | "added" | "removed" | "downstream";

export interface StackSummary {
  readonly stack: string;
  readonly status: StackStatus;
  /** Why it was planned, when compared with a base. */
  readonly trigger?: Trigger;
  /** For a downstream stack: the upstream stacks whose outputs it reads and which may change. */
  readonly upstream?: readonly string[];
  /** The terraform step that failed. */
  readonly failedStep?: string;
  readonly counts: Counts;
  readonly resources: readonly ResourceChange[];
  readonly outputs: readonly OutputChange[];
  /** Resources that change address (moved blocks), whatever else happens to them. */
  readonly moved: readonly { readonly from: string; readonly to: string }[];
  readonly diagnostics: readonly Diagnostic[];
  /** Last lines of terraform's output when it failed without a structured error. */
  readonly errorOutput?: string;
}

export interface PlanSummary {
  readonly format: 1;
  /** "backend": planned against the real remote state; "offline": against empty state with seeded upstream outputs. */
  readonly mode: "backend" | "offline";
  readonly status: StackStatus;
  readonly counts: Counts;
  readonly stacks: readonly StackSummary[];
  /** Selected stacks that were not planned, and why. */
  readonly skipped: readonly { readonly stack: string; readonly reason: string }[];
  /** With `--base`: what the plan was compared with, and the selected stacks left out as unchanged. */
  readonly base?: { readonly ref: string; readonly unchanged: readonly string[] };
}

const REASONS: Record<string, string> = {
  replace_because_tainted: "tainted",
  replace_because_cannot_update: "an argument that cannot be updated in place changed",
  replace_by_request: "replacement requested (-replace)",
  replace_by_triggers: "replace_triggered_by",
  delete_because_no_resource_config: "removed from the configuration",
  delete_because_wrong_repetition: "count/for_each changed shape",
  delete_because_count_index: "count decreased",
  delete_because_each_key: "for_each key removed",
  delete_because_no_module: "module removed",
  delete_because_no_move_target: "moved target missing",
};

function actionOf(actions: readonly string[]): Action | undefined {
  const has = (a: string) => actions.includes(a);
  if (has("delete") && has("create")) return "replace";
  if (has("create")) return "add";
  if (has("update")) return "change";
  if (has("delete")) return "destroy";
  return undefined; // no-op, read
}

type Redact = (text: string) => string;

function resourceChange(rc: TerraformJson, redact: Redact): ResourceChange | undefined {
  if (rc.mode !== "managed") return undefined;
  const action = actionOf(rc.change?.actions ?? []);
  if (!action) return undefined;
  const lost = action === "destroy" || action === "replace" ? statefulLoss(rc.type) : undefined;
  const forcedBy: string[] = (rc.change.replace_paths ?? []).map((p: (string | number)[]) => p.join("."));
  const attributes = (action === "change" || action === "replace" ? changedAttributes(rc.change) : [])
    // A replacement recomputes every computed attribute; listing them all as "known after apply" hides the cause.
    .filter((a) => action !== "replace" || a.after !== UNKNOWN || forcedBy.includes(a.name))
    .map((a) => ({ name: a.name, before: redact(a.before), after: redact(a.after) }));
  return {
    address: rc.address,
    type: rc.type,
    action,
    ...(rc.action_reason ? { reason: REASONS[rc.action_reason] ?? rc.action_reason } : {}),
    ...(forcedBy.length > 0 ? { forcedBy } : {}),
    ...(lost ? { dataLoss: lost } : {}),
    ...(attributes.length > 0 ? { attributes } : {}),
  };
}

function outputChange(name: string, oc: TerraformJson, redact: Redact): OutputChange | undefined {
  const action = actionOf(oc.actions ?? []);
  if (!action) return undefined;
  return {
    name,
    action: action === "replace" ? "change" : action,
    sensitive: oc.before_sensitive === true || oc.after_sensitive === true,
    before: redact(display(oc.before, oc.before_sensitive)),
    after: redact(display(oc.after, oc.after_sensitive, oc.after_unknown)),
  };
}

export function emptyCounts(): Counts {
  return { add: 0, change: 0, replace: 0, destroy: 0 };
}

/** Summary of one stack's plan (`show` = `terraform show -json` of the saved plan). */
export function summarizeStack(
  stack: string,
  show: TerraformJson,
  planDiagnostics: readonly Diagnostic[] = [],
): StackSummary {
  const redact = redactor(sensitiveValues(show));
  const resources = ((show.resource_changes ?? []) as TerraformJson[])
    .map((rc) => resourceChange(rc, redact))
    .filter((r): r is ResourceChange => r !== undefined);
  const outputs = Object.entries<TerraformJson>(show.output_changes ?? {})
    .map(([name, oc]) => outputChange(name, oc, redact))
    .filter((o): o is OutputChange => o !== undefined);
  const diagnostics = [
    ...planDiagnostics.map((d) => (d.detail ? { ...d, detail: redact(d.detail) } : d)),
    ...refusedUpdates(show),
  ];
  const moved = ((show.resource_changes ?? []) as TerraformJson[])
    .filter((rc) => rc.previous_address && rc.previous_address !== rc.address)
    .map((rc) => ({ from: String(rc.previous_address), to: String(rc.address) }));
  const counts = emptyCounts();
  for (const r of resources) counts[r.action]++;
  const errored = show.errored === true || diagnostics.some((d) => d.severity === "error");
  const changed = resources.length > 0 || outputs.length > 0 || moved.length > 0;
  return {
    stack,
    status: errored ? "failed" : changed ? "changes" : "no-changes",
    ...(errored ? { failedStep: "plan" } : {}),
    counts,
    resources,
    outputs,
    moved,
    diagnostics,
  };
}

/**
 * Changes the plan shows and AWS refuses at apply (refused-updates.ts), as errors: the plan cannot be applied as it
 * is, so the stack fails review.
 */
function refusedUpdates(show: TerraformJson): Diagnostic[] {
  return ((show.resource_changes ?? []) as TerraformJson[]).flatMap((rc) => {
    const why = refusedUpdate(rc);
    return why
      ? [{ severity: "error" as const, summary: "AWS refuses this change at apply", detail: why, address: rc.address }]
      : [];
  });
}

/** Summary of a stack whose terraform run failed before there was a plan to show. */
export function failedStack(
  stack: string,
  failedStep: string,
  diagnostics: readonly Diagnostic[],
  output: string,
): StackSummary {
  const tail = output.trimEnd().split("\n").slice(-30).join("\n");
  return {
    stack,
    status: "failed",
    failedStep,
    counts: emptyCounts(),
    resources: [],
    outputs: [],
    moved: [],
    diagnostics,
    ...(diagnostics.some((d) => d.severity === "error") ? {} : { errorOutput: tail }),
  };
}

export function summarizeRun(
  mode: PlanSummary["mode"],
  stacks: readonly StackSummary[],
  skipped: PlanSummary["skipped"] = [],
  base?: PlanSummary["base"],
): PlanSummary {
  const counts = emptyCounts();
  for (const s of stacks) for (const a of ACTIONS) counts[a] += s.counts[a];
  const status: StackStatus = stacks.some((s) => s.status === "failed")
    ? "failed"
    : stacks.some((s) => s.status === "changes")
      ? "changes"
      : "no-changes";
  return { format: 1, mode, status, counts, stacks, skipped, ...(base ? { base } : {}) };
}

/** The command's exit status: 0 no changes, 2 changes (like `terraform plan -detailed-exitcode`), 1 failed. */
export function exitCode(summary: PlanSummary): 0 | 1 | 2 {
  return summary.status === "failed" ? 1 : summary.status === "changes" ? 2 : 0;
}

/** Diagnostics out of `terraform plan -json` / `validate -json` streams (one JSON object per line). */
export function diagnosticsFromJsonLines(stream: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const line of stream.split("\n")) {
    if (!line.startsWith("{")) continue;
    let message: TerraformJson;
    try {
      message = JSON.parse(line);
    } catch {
      continue;
    }
    if (message.type === "diagnostic" && message.diagnostic) out.push(toDiagnostic(message.diagnostic));
  }
  return out;
}

/** One of Terraform's JSON diagnostics for the summary. */
export function toDiagnostic(d: TerraformJson): Diagnostic {
  // The snippet's "values" can quote variable values: only the summary, detail and address are kept.
  return {
    severity: d.severity === "error" ? "error" : "warning",
    summary: String(d.summary ?? ""),
    ...(d.detail ? { detail: String(d.detail) } : {}),
    ...(d.address || d.snippet?.context ? { address: String(d.address ?? d.snippet.context) } : {}),
  };
}
