import { basis, environmentLabel, formatNumber, taskRange, usd } from "./format";
import type { CostReport, CostTotal, ResourceCost } from "./types";

/**
 * The terminal view: per stack, per environment and per blueprint monthly totals, with the range autoscaling allows
 * (all services at their minimum / maximum tasks) and the count of components left unpriced. With `breakdown`,
 * every resource's components under its stack.
 */
export function renderText(report: CostReport, options: { breakdown?: boolean } = {}): string {
  const lines = [`Monthly cost estimate, USD: ${basis(report)}`, ""];
  const table = (title: string, rows: { label: string; total: CostTotal }[], withTotal: boolean) => {
    const all = withTotal ? [...rows, { label: "total", total: report.total }] : rows;
    const width = Math.max(title.length, ...all.map((r) => r.label.length));
    const cells = (a: string, b: string, c: string, d: string) =>
      `${a.padEnd(width)}  ${b.padStart(12)}  ${c.padEnd(25)}  ${d}`.trimEnd();
    lines.push(cells(title, "monthly", "min – max tasks", "unpriced"), "-".repeat(width + 52));
    for (const r of all)
      lines.push(
        cells(
          r.label,
          usd(r.total.monthlyCost),
          taskRange(r.total),
          r.total.unpricedComponents > 0 ? String(r.total.unpricedComponents) : "",
        ),
      );
    lines.push("");
  };
  table(
    "stack",
    report.stacks.map((s) => ({ label: s.stack, total: s })),
    false,
  );
  if (options.breakdown) for (const s of report.stacks) lines.push(...breakdown(s.stack, s.resources));
  table(
    "environment",
    report.environments.map((e) => ({ label: environmentLabel(e.blueprint, e.environment), total: e })),
    false,
  );
  table(
    "blueprint",
    report.blueprints.map((b) => ({ label: b.blueprint, total: b })),
    true,
  );
  if (report.unpriced.length > 0) {
    lines.push(`Not priced (${report.unpriced.length}, not in the totals):`);
    for (const u of report.unpriced) lines.push(`  ${u.stack} ${u.address}: ${u.component}: ${u.reason}`);
    lines.push("");
  }
  return lines.join("\n");
}

function breakdown(stack: string, resources: readonly ResourceCost[]): string[] {
  const out = [`${stack}`];
  for (const r of resources.filter((r) => r.components.length > 0)) {
    out.push(`  ${r.address}  ${usd(r.monthlyCost)}`);
    for (const c of r.components) {
      const cost = c.monthlyCost === null ? `unpriced: ${c.unpriced}` : usd(c.monthlyCost);
      const qty = c.monthlyQuantity === null ? "?" : formatNumber(c.monthlyQuantity, 6);
      const price = c.price === null ? "?" : `$${c.price}`;
      out.push(`    ${c.name}: ${qty} ${c.unit} × ${price} = ${cost}${c.detail ? `  (${c.detail})` : ""}`);
    }
  }
  out.push("");
  return out;
}
