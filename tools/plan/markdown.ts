import type { Action, Diagnostic, PlanSummary, ResourceChange, StackSummary } from "./summary";
import { ACTIONS } from "./summary";

/** First line of the PR comment: the workflow finds its own comment by it and updates it instead of adding one. */
export const PLAN_COMMENT_MARKER = "<!-- fargate-blueprints:plan-summary -->";

/** GitHub refuses comments over 65,536 characters; stay under it with room for the workflow's footer. */
const COMMENT_LIMIT = 60_000;

interface RenderOptions {
  /** Longest list of addresses shown per action and stack; the rest is counted. */
  readonly maxItems: number;
  /** Show changed attributes under changes and replacements. */
  readonly attributes: boolean;
}

const VERB: Record<Action, string> = {
  add: "to add",
  change: "to change",
  replace: "to replace",
  destroy: "to destroy",
};
const TITLE: Record<Action, string> = { add: "Add", change: "Change", replace: "Replace", destroy: "Destroy" };

/**
 * The summary as a PR comment: alerts for data loss, replacements, deletions and failures first, then a table of
 * counts, then per stack the resources under each action, output changes and diagnostics. Shrinks its lists when
 * the comment would be too long for GitHub (summary.json always has everything).
 */
export function renderMarkdown(summary: PlanSummary): string {
  let text = render(summary, { maxItems: 50, attributes: true });
  if (text.length > COMMENT_LIMIT) text = render(summary, { maxItems: 10, attributes: false });
  if (text.length > COMMENT_LIMIT) text = render(summary, { maxItems: 0, attributes: false });
  return text;
}

function render(summary: PlanSummary, options: RenderOptions): string {
  const lines: string[] = [PLAN_COMMENT_MARKER, `## Terraform plan: ${headline(summary)}`, ""];
  if (summary.mode === "offline") {
    lines.push(
      "_Planned offline against empty state, with upstream outputs seeded from the stacks' contracts: everything shows as new. Run without `--offline` for the real diff._",
      "",
    );
  }
  lines.push(...alerts(summary), ...table(summary));
  for (const s of summary.skipped) lines.push(`Not planned: ${code(s.stack)} (${s.reason}).`, "");
  for (const s of summary.stacks)
    if (s.status !== "no-changes" || s.diagnostics.length > 0) lines.push(...stack(s, options));
  return (
    lines
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trimEnd() + "\n"
  );
}

function headline(summary: PlanSummary): string {
  const n = summary.stacks.length;
  const changed = summary.stacks.filter((s) => s.status === "changes").length;
  const failed = summary.stacks.filter((s) => s.status === "failed").length;
  const parts = [`${n} stack${n === 1 ? "" : "s"}`];
  if (failed > 0) parts.push(`**${failed} failed**`);
  if (changed > 0) parts.push(`changes in ${changed}`);
  else if (failed < n) parts.push(failed > 0 ? "no changes in the others" : "no changes");
  return parts.join(", ");
}

function alerts(summary: PlanSummary): string[] {
  const all = summary.stacks.flatMap((s) => s.resources.map((r) => ({ stack: s.stack, r })));
  const lost = all.filter(({ r }) => r.dataLoss);
  const replaced = all.filter(({ r }) => r.action === "replace");
  const destroyed = all.filter(({ r }) => r.action === "destroy");
  const failed = summary.stacks.filter((s) => s.status === "failed");
  const out: string[] = [];
  if (lost.length > 0) {
    out.push(
      "> [!CAUTION]",
      `> **Data loss: ${lost.length} stateful resource${plural(lost.length)} destroyed or replaced**`,
      ">",
    );
    for (const { stack: id, r } of lost) out.push(`> - ${r.action} ${code(id)} ${code(r.address)}: ${r.dataLoss}`);
    out.push("");
  }
  if (replaced.length + destroyed.length > 0) {
    const counts = [
      replaced.length > 0 ? `${replaced.length} to replace` : "",
      destroyed.length > 0 ? `${destroyed.length} to destroy` : "",
    ].filter(Boolean);
    out.push("> [!WARNING]", `> **${counts.join(", ")}**`, ">");
    for (const { stack: id, r } of [...replaced, ...destroyed]) {
      out.push(`> - ${r.action} ${code(id)} ${code(r.address)}${why(r, false)}`);
    }
    out.push("");
  }
  if (failed.length > 0) {
    out.push(
      "> [!WARNING]",
      `> **Failed: ${failed.map((s) => `${code(s.stack)} at ${s.failedStep ?? "plan"}`).join(", ")}**`,
      "",
    );
  }
  return out;
}

function table(summary: PlanSummary): string[] {
  const result = (s: StackSummary) =>
    s.status === "failed"
      ? `**failed** (${s.failedStep ?? "plan"})`
      : s.status === "changes"
        ? "changes"
        : "no changes";
  const warnings = (s: StackSummary) => {
    const n = s.diagnostics.filter((d) => d.severity === "warning").length;
    return n > 0 ? `, ${n} warning${plural(n)}` : "";
  };
  const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [
    row(["stack", ...ACTIONS.map((a) => a), "result"]),
    row(["---", ...ACTIONS.map(() => "---:"), "---"]),
    ...summary.stacks.map((s) =>
      row([code(s.stack), ...ACTIONS.map((a) => String(s.counts[a])), result(s) + warnings(s)]),
    ),
    ...(summary.stacks.length > 1 ? [row(["**total**", ...ACTIONS.map((a) => `**${summary.counts[a]}**`), ""])] : []),
    "",
  ];
}

function stack(s: StackSummary, options: RenderOptions): string[] {
  const counts = ACTIONS.filter((a) => s.counts[a] > 0).map((a) => `${s.counts[a]} ${VERB[a]}`);
  if (s.moved.length > 0) counts.push(`${s.moved.length} to move`);
  const status = s.status === "failed" ? `failed at ${s.failedStep ?? "plan"}` : counts.join(", ") || "no changes";
  const out = [`### ${code(s.stack)}: ${status}`, ""];
  for (const action of ["replace", "destroy", "change", "add"] as const) {
    const items = s.resources.filter((r) => r.action === action);
    if (items.length === 0) continue;
    const list = listed(items, options, action !== "add");
    // Additions are the bulk of a new stack and the least risky: folded.
    if (action === "add")
      out.push(`<details><summary>${TITLE[action]} (${items.length})</summary>`, "", ...list, "", "</details>", "");
    else out.push(`**${TITLE[action]}** (${items.length})`, "", ...list, "");
  }
  if (s.moved.length > 0) {
    out.push(`**Move** (${s.moved.length})`, "", ...s.moved.map((m) => `- ${code(m.from)} → ${code(m.to)}`), "");
  }
  if (s.outputs.length > 0) {
    out.push("**Outputs**", "", "| output | change | before | after |", "| --- | --- | --- | --- |");
    for (const o of s.outputs) out.push(`| ${code(o.name)} | ${o.action} | ${cell(o.before)} | ${cell(o.after)} |`);
    out.push("");
  }
  out.push(...diagnostics(s.diagnostics));
  if (s.errorOutput) out.push("```", s.errorOutput.replace(/```/g, "'''"), "```", "");
  return out;
}

function listed(items: readonly ResourceChange[], options: RenderOptions, detailed: boolean): string[] {
  const shown = items.slice(0, options.maxItems);
  const out: string[] = [];
  for (const r of shown) {
    out.push(`- ${code(r.address)}${detailed ? why(r) : ""}`);
    if (detailed && options.attributes) {
      for (const a of (r.attributes ?? []).slice(0, 12))
        out.push(`  - ${code(a.name)}: ${code(a.before)} → ${code(a.after)}`);
    }
  }
  const rest = items.length - shown.length;
  if (rest > 0) out.push(`- … and ${rest} more (see summary.json)`);
  return out;
}

function why(r: ResourceChange, loss = true): string {
  const parts = [
    r.forcedBy && r.forcedBy.length > 0 ? `forced by ${r.forcedBy.map(code).join(", ")}` : "",
    r.reason && !(r.forcedBy && r.reason.startsWith("an argument")) ? r.reason : "",
    loss && r.dataLoss ? `**loses ${r.dataLoss}**` : "",
  ].filter(Boolean);
  return parts.length > 0 ? `: ${parts.join("; ")}` : "";
}

function diagnostics(list: readonly Diagnostic[]): string[] {
  if (list.length === 0) return [];
  const out = ["**Diagnostics**", ""];
  for (const d of list) {
    const at = d.address ? ` (${code(d.address)})` : "";
    const detail = d.detail ? `: ${d.detail.replace(/\s*\n\s*/g, " ")}` : "";
    out.push(`- ${d.severity === "error" ? "Error" : "Warning"}: **${d.summary}**${at}${detail}`);
  }
  out.push("");
  return out;
}

function code(text: string): string {
  return text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function cell(text: string): string {
  return code(text).replace(/\|/g, "\\|");
}

function plural(n: number): string {
  return n === 1 ? "" : "s";
}
