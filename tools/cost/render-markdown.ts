import { basis, taskRange, usd } from "./format";
import { SHARED } from "./stack-model";
import type { CostReport, CostTotal } from "./types";

/** Markdown table helpers shared by the report and the plan's cost section. */
export const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
export const code = (text: string) => `\`${text}\``;

function unpricedCell(t: CostTotal): string {
  return t.unpricedComponents > 0 ? String(t.unpricedComponents) : "";
}

/** The report as Markdown: per environment, per blueprint, per stack (folded), then what is not priced. */
export function renderReportMarkdown(report: CostReport, options: { maxUnpriced?: number } = {}): string {
  const max = options.maxUnpriced ?? 50;
  const lines = [
    `## Monthly cost estimate: ${usd(report.total.monthlyCost)}`,
    "",
    `_${basis(report)}. Ranges: every service at its autoscaling minimum – maximum._`,
    "",
    row(["blueprint", "environment", "monthly", "min – max tasks", "unpriced"]),
    row(["---", "---", "---:", "---:", "---:"]),
    ...report.environments.map((e) =>
      row([
        e.blueprint,
        e.blueprint === SHARED ? "" : (e.environment ?? ""),
        usd(e.monthlyCost),
        taskRange(e),
        unpricedCell(e),
      ]),
    ),
    row(["**total**", "", `**${usd(report.total.monthlyCost)}**`, taskRange(report.total), unpricedCell(report.total)]),
    "",
    row(["blueprint", "monthly", "min – max tasks", "unpriced"]),
    row(["---", "---:", "---:", "---:"]),
    ...report.blueprints.map((b) => row([b.blueprint, usd(b.monthlyCost), taskRange(b), unpricedCell(b)])),
    "",
    `<details><summary>Per stack (${report.stacks.length})</summary>`,
    "",
    row(["stack", "monthly", "min – max tasks", "unpriced"]),
    row(["---", "---:", "---:", "---:"]),
    ...report.stacks.map((s) => row([code(s.stack), usd(s.monthlyCost), taskRange(s), unpricedCell(s)])),
    "",
    "</details>",
    "",
  ];
  if (report.unpriced.length > 0) {
    lines.push(`**Not priced** (${report.unpriced.length}, left out of the totals):`, "");
    for (const u of report.unpriced.slice(0, max))
      lines.push(`- ${code(u.stack)} ${code(u.address)}: ${u.component}: ${u.reason}`);
    if (report.unpriced.length > max) lines.push(`- … and ${report.unpriced.length - max} more (see --json)`);
    lines.push("");
  }
  return lines.join("\n");
}
