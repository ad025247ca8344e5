import type { Amount, ComponentChange, CostDiff } from "./diff";
import { basis, environmentLabel, formatNumber, percent, signedUsd, usd } from "./format";
import { code, row } from "./render-markdown";
import { HOURS_PER_MONTH } from "./types";

/** First line of the cost section, so that tools (and the plan comment's size limit) can find it. */
export const COST_SECTION_MARKER = "<!-- fargate-blueprints:cost-diff -->";

function money(a: number | null): string {
  return a === null ? "—" : usd(a);
}

function change(a: Amount): string {
  if (a.before === null) return `${signedUsd(a.delta)} (new)`;
  if (a.after === null) return `${signedUsd(a.delta)} (removed)`;
  return `${signedUsd(a.delta)} (${percent(a.delta, a.before)})`;
}

function quantity(q: number | null): string {
  return q === null ? "?" : formatNumber(q, 2);
}

/** "+$45.26 `x-network`: `aws_nat_gateway` 1 → 2, NAT gateway hours 730 → 1,460 hours" */
export function describeChange(c: ComponentChange): string {
  const count = c.resourcesBefore !== c.resourcesAfter ? ` ${c.resourcesBefore} → ${c.resourcesAfter},` : "";
  return (
    `**${signedUsd(c.delta)}** ${code(c.stack)}: ${code(c.type)}${count} ${c.component} ` +
    `${quantity(c.quantityBefore)} → ${quantity(c.quantityAfter)} ${c.unit}`
  );
}

export interface DiffRenderOptions {
  /** Most component changes listed (default 5). */
  readonly maxChanges?: number;
  /** Most stack rows (default 30). */
  readonly maxStacks?: number;
}

/**
 * The cost section of a plan review: total before → after with the change, the components that moved most (named by
 * resource type and cost component), per environment and per changed stack. Bounded in size whatever the diff.
 */
export function renderCostDiff(diff: CostDiff, options: DiffRenderOptions = {}): string {
  const maxChanges = options.maxChanges ?? 5;
  const maxStacks = options.maxStacks ?? 30;
  const t = diff.total;
  const top = diff.changes[0];
  const headline =
    Math.abs(t.delta) < 0.005
      ? `no change (${money(t.after)})`
      : `${money(t.before)} → ${money(t.after)}, **${change(t)}**${top ? `, mostly ${code(top.type)} in ${code(top.stack)}` : ""}`;
  const lines = [
    COST_SECTION_MARKER,
    `### Monthly cost: ${headline}`,
    "",
    `_Before: ${diff.before}. After: this synthesis. Both at desired_count with the ${basis({ ...diff, hoursPerMonth: HOURS_PER_MONTH })}. See docs/cost.md._`,
    "",
  ];
  if (diff.changes.length > 0) {
    lines.push("**Largest changes**", "");
    for (const c of diff.changes.slice(0, maxChanges)) lines.push(`- ${describeChange(c)}`);
    if (diff.changes.length > maxChanges) lines.push(`- … and ${diff.changes.length - maxChanges} smaller`);
    lines.push("");
  }
  const changedEnvironments = diff.environments.filter((e) => Math.abs(e.delta) >= 0.005);
  lines.push(
    row(["environment", "before", "after", "change"]),
    row(["---", "---:", "---:", "---:"]),
    ...diff.environments.map((e) =>
      row([environmentLabel(e.blueprint, e.environment), money(e.before), money(e.after), change(e)]),
    ),
    row(["**total**", `**${money(t.before)}**`, `**${money(t.after)}**`, `**${change(t)}**`]),
    "",
  );
  const changed = diff.stacks.filter(
    (s) => Math.abs(s.delta) >= 0.005 || s.before === null || s.after === null || s.unpricedAfter !== s.unpricedBefore,
  );
  if (changed.length > 0) {
    lines.push(
      `<details><summary>Per stack (${changed.length} of ${diff.stacks.length} changed)</summary>`,
      "",
      row(["stack", "before", "after", "change", "unpriced"]),
      row(["---", "---:", "---:", "---:", "---:"]),
      ...changed
        .slice(0, maxStacks)
        .map((s) =>
          row([
            code(s.stack),
            money(s.before),
            money(s.after),
            change(s),
            s.unpricedAfter === s.unpricedBefore
              ? String(s.unpricedAfter || "")
              : `${s.unpricedBefore} → ${s.unpricedAfter}`,
          ]),
        ),
      ...(changed.length > maxStacks ? [`\n… and ${changed.length - maxStacks} more in summary.json`] : []),
      "",
      "</details>",
      "",
    );
  }
  if (changedEnvironments.length === 0 && changed.length === 0) lines.push("_No stack's estimate changed._", "");
  return lines.join("\n");
}
