import type { Action, Diagnostic, PlanSummary, ResourceChange, StackSummary } from "./summary";
import { ACTIONS } from "./summary";

/** First line of the PR comment: the workflow finds its own comment by it and updates it instead of adding one. */
export const PLAN_COMMENT_MARKER = "<!-- fargate-blueprints:plan-summary -->";

/**
 * GitHub refuses a comment body over 65,536 characters. The comment stays under 60,000 bytes (bytes count at least
 * as many as characters), which leaves room for the workflow's footer.
 */
export const COMMENT_LIMIT = 60_000;

export interface RenderOptions {
  /** Longest the text may be, in UTF-8 bytes (default: no limit: the full summary). */
  readonly limit?: number;
  /** Where the full summary is, for a comment that had to leave things out. */
  readonly fullSummary?: string;
}

interface Detail {
  /** Longest list of addresses shown per action and stack; the rest is counted. */
  readonly maxItems: number;
  /** Show changed attributes under changes and replacements. */
  readonly attributes: boolean;
}

const DETAIL_LEVELS: readonly Detail[] = [
  { maxItems: 50, attributes: true },
  { maxItems: 10, attributes: false },
  { maxItems: 0, attributes: false },
];

/** Most items of one alert list before the rest is counted: the alerts stay short whatever the plan. */
const MAX_ALERT_ITEMS = 25;

const VERB: Record<Action, string> = {
  add: "to add",
  change: "to change",
  replace: "to replace",
  destroy: "to destroy",
};
const TITLE: Record<Action, string> = { add: "Add", change: "Change", replace: "Replace", destroy: "Destroy" };

/**
 * The summary as Markdown: headline, alerts for data loss, removed stacks, replacements, deletions and failures, a
 * table of counts per stack, the stacks left out as unchanged on one line, then each stack's details folded
 * (unfolded when it replaces, destroys or failed).
 *
 * With a `limit` (the PR comment), the text shrinks to fit: first the lists and attributes of the details, then,
 * when even that is too long, the details of the last stacks and the last rows of the table are left out, and a
 * note at the top says so and where the full summary is (summary.json always has everything).
 */
export function renderMarkdown(summary: PlanSummary, options: RenderOptions = {}): string {
  const limit = options.limit ?? Infinity;
  for (const detail of DETAIL_LEVELS) {
    const text = assemble(summary, detail, summary.stacks.length, summary.stacks.length, options);
    if (bytes(text) <= limit) return text;
  }
  // Too long even with bare details: keep as many rows and stacks' details as fit (both in the summary's order).
  const least = DETAIL_LEVELS[DETAIL_LEVELS.length - 1];
  const n = summary.stacks.length;
  const fits = (rows: number, details: number) => bytes(assemble(summary, least, rows, details, options)) <= limit;
  const rows = largest(n, (r) => fits(r, 0));
  const details = largest(n, (d) => fits(rows, d));
  return assemble(summary, least, rows, details, options);
}

/** The largest k in [0, n] for which ok(k) holds (ok is monotonic: true up to some k, false after). */
function largest(n: number, ok: (k: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

function assemble(summary: PlanSummary, detail: Detail, rows: number, details: number, options: RenderOptions) {
  const n = summary.stacks.length;
  const shownDetails = summary.stacks.filter(hasDetails);
  const detailed = summary.stacks.slice(0, details).filter(hasDetails);
  const truncated = rows < n || detailed.length < shownDetails.length;
  const lines: string[] = [PLAN_COMMENT_MARKER, `## Terraform plan: ${headline(summary)}`, ""];
  if (truncated) {
    const where = options.fullSummary ?? "summary.md and summary.json beside this comment's source";
    lines.push(
      "> [!NOTE]",
      `> **Truncated to fit a comment**: the table shows ${rows} of ${n} stacks and the details ${detailed.length} of ${shownDetails.length}. The full summary: ${where}.`,
      "",
    );
  }
  if (summary.mode === "offline") {
    lines.push(
      "_Planned offline against empty state, with upstream outputs seeded from the stacks' contracts: everything shows as new. Run without `--offline` for the real diff._",
      "",
    );
  }
  if (summary.base) lines.push(baseLine(summary), "");
  lines.push(...alerts(summary), ...table(summary, rows));
  if (summary.base && summary.base.unchanged.length > 0) {
    const u = summary.base.unchanged;
    const names = rows < n ? cappedInline(u, code) : u.map(code).join(", ");
    lines.push(`Unchanged, not planned (${u.length}): ${names}.`, "");
  }
  for (const s of summary.skipped) lines.push(`Not planned: ${code(s.stack)} (${s.reason}).`, "");
  for (const s of detailed) lines.push(...stack(s, detail));
  return (
    lines
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trimEnd() + "\n"
  );
}

function hasDetails(s: StackSummary): boolean {
  return s.status !== "no-changes" || s.diagnostics.length > 0;
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

function baseLine(summary: PlanSummary): string {
  const count = (t: string) => summary.stacks.filter((s) => s.trigger === t).length;
  const parts = [
    `${count("changed")} changed`,
    `${count("added")} added`,
    `${count("removed")} removed`,
    `${count("downstream")} downstream of a change`,
  ];
  return `Compared with ${code(summary.base!.ref)}: planned the stacks whose configuration differs (${parts.join(", ")}); ${summary.base!.unchanged.length} unchanged stacks were not planned.`;
}

function capped<T>(items: readonly T[], line: (item: T) => string): string[] {
  const out = items.slice(0, MAX_ALERT_ITEMS).map(line);
  if (items.length > MAX_ALERT_ITEMS) out.push(`> - … and ${items.length - MAX_ALERT_ITEMS} more`);
  return out;
}

/** An inline list of at most MAX_ALERT_ITEMS, the rest counted. */
function cappedInline<T>(items: readonly T[], item: (i: T) => string): string {
  const shown = items.slice(0, MAX_ALERT_ITEMS).map(item).join(", ");
  return items.length > MAX_ALERT_ITEMS ? `${shown} and ${items.length - MAX_ALERT_ITEMS} more` : shown;
}

function alerts(summary: PlanSummary): string[] {
  const all = summary.stacks.flatMap((s) => s.resources.map((r) => ({ stack: s.stack, r })));
  const lost = all.filter(({ r }) => r.dataLoss);
  const replaced = all.filter(({ r }) => r.action === "replace");
  const destroyed = all.filter(({ r }) => r.action === "destroy");
  const removed = summary.stacks.filter((s) => s.trigger === "removed");
  const failed = summary.stacks.filter((s) => s.status === "failed");
  const out: string[] = [];
  if (lost.length > 0) {
    out.push(
      "> [!CAUTION]",
      `> **Data loss: ${lost.length} stateful resource${plural(lost.length)} destroyed or replaced**`,
      ">",
      ...capped(lost, ({ stack: id, r }) => `> - ${r.action} ${code(id)} ${code(r.address)}: ${r.dataLoss}`),
      "",
    );
  }
  if (removed.length > 0) {
    out.push(
      "> [!CAUTION]",
      `> **Stack${plural(removed.length)} removed: ${cappedInline(removed, (s) => code(s.stack))}**: the change stops managing ${removed.length === 1 ? "it" : "them"}; everything ${removed.length === 1 ? "its" : "their"} state holds must be destroyed (shown below as destroys) or is left running unmanaged.`,
      "",
    );
  }
  if (replaced.length + destroyed.length > 0) {
    const counts = [
      replaced.length > 0 ? `${replaced.length} to replace` : "",
      destroyed.length > 0 ? `${destroyed.length} to destroy` : "",
    ].filter(Boolean);
    out.push(
      "> [!WARNING]",
      `> **${counts.join(", ")}**`,
      ">",
      ...capped(
        [...replaced, ...destroyed],
        ({ stack: id, r }) => `> - ${r.action} ${code(id)} ${code(r.address)}${why(r, false)}`,
      ),
      "",
    );
  }
  if (failed.length > 0) {
    out.push(
      "> [!WARNING]",
      `> **Failed: ${cappedInline(failed, (s) => `${code(s.stack)} at ${s.failedStep ?? "plan"}`)}**`,
      "",
    );
  }
  return out;
}

function table(summary: PlanSummary, rows: number): string[] {
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
  const trigger = (s: StackSummary) =>
    s.trigger === "downstream"
      ? ` · downstream of ${(s.upstream ?? []).map(code).join(", ")}`
      : s.trigger === "removed"
        ? " · **stack removed**"
        : s.trigger === "added"
          ? " · new stack"
          : "";
  const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const rest = summary.stacks.length - rows;
  return [
    row(["stack", ...ACTIONS.map((a) => a), "result"]),
    row(["---", ...ACTIONS.map(() => "---:"), "---"]),
    ...summary.stacks
      .slice(0, rows)
      .map((s) =>
        row([code(s.stack), ...ACTIONS.map((a) => String(s.counts[a])), result(s) + warnings(s) + trigger(s)]),
      ),
    ...(rest > 0 ? [row([`… ${rest} more`, ...ACTIONS.map(() => ""), "see the full summary"])] : []),
    ...(summary.stacks.length > 1 ? [row(["**total**", ...ACTIONS.map((a) => `**${summary.counts[a]}**`), ""])] : []),
    "",
  ];
}

function stack(s: StackSummary, detail: Detail): string[] {
  const counts = ACTIONS.filter((a) => s.counts[a] > 0).map((a) => `${s.counts[a]} ${VERB[a]}`);
  if (s.moved.length > 0) counts.push(`${s.moved.length} to move`);
  const status = s.status === "failed" ? `failed at ${s.failedStep ?? "plan"}` : counts.join(", ") || "no changes";
  // Risk stays unfolded: a replacement, a deletion or a failure must not hide behind a click.
  const open = s.status === "failed" || s.counts.replace + s.counts.destroy > 0 ? " open" : "";
  const out = [`<details${open}><summary><b><code>${html(s.stack)}</code></b>: ${html(status)}</summary>`, ""];
  for (const action of ["replace", "destroy", "change", "add"] as const) {
    const items = s.resources.filter((r) => r.action === action);
    if (items.length === 0) continue;
    out.push(`**${TITLE[action]}** (${items.length})`, "", ...listed(items, detail, action !== "add"), "");
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
  out.push("</details>", "");
  return out;
}

function listed(items: readonly ResourceChange[], detail: Detail, detailed: boolean): string[] {
  const shown = items.slice(0, detail.maxItems);
  const out: string[] = [];
  for (const r of shown) {
    out.push(`- ${code(r.address)}${detailed ? why(r) : ""}`);
    if (detailed && detail.attributes) {
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

function html(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function plural(n: number): string {
  return n === 1 ? "" : "s";
}
