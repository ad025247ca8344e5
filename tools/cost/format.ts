import { SHARED } from "./stack-model";
import type { CostReport, CostTotal } from "./types";

/** "markmail prod"; stacks outside any blueprint (the state backend) are "(shared)". */
export function environmentLabel(blueprint: string, environment: string | undefined): string {
  return blueprint === SHARED ? SHARED : `${blueprint} ${environment ?? ""}`.trim();
}

/**
 * A number with at most `decimals` decimals (trailing zeros dropped unless `fixed`) and thousands separators:
 * 1,460 or 0.1511. Plain string work: Intl's first use loads ICU data, which costs more than pricing every stack.
 */
export function formatNumber(n: number, decimals: number, fixed = false): string {
  const [whole, fraction = ""] = Math.abs(n).toFixed(decimals).split(".");
  const kept = fixed ? fraction : fraction.replace(/0+$/, "");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const text = kept ? `${grouped}.${kept}` : grouped;
  return n < 0 && /[1-9]/.test(text) ? `-${text}` : text;
}

/** Dollars with cents and thousands separators: $1,234.56. */
export function usd(n: number): string {
  const text = formatNumber(n, 2, true);
  return text.startsWith("-") ? `-$${text.slice(1)}` : `$${text}`;
}

/** A change in dollars with its sign: +$45.26, -$3.10, $0.00. */
export function signedUsd(n: number): string {
  if (Math.abs(n) < 0.005) return "$0.00";
  return `${n > 0 ? "+" : "-"}${usd(Math.abs(n))}`;
}

/** A change as a percentage of the base, or "new" when there was nothing before. */
export function percent(delta: number, before: number): string {
  if (before === 0) return delta === 0 ? "0%" : "new";
  const p = (delta / before) * 100;
  return `${p > 0 ? "+" : ""}${p.toFixed(1)}%`;
}

/** "$12.00 – $40.00" when autoscaling moves the cost, else empty. */
export function taskRange(t: CostTotal): string {
  if (Math.abs(t.atMinTasks - t.monthlyCost) < 0.005 && Math.abs(t.atMaxTasks - t.monthlyCost) < 0.005) return "";
  return `${usd(t.atMinTasks)} – ${usd(t.atMaxTasks)}`;
}

/** One line saying which usage profile and which price files the figures come from. */
export function basis(report: Pick<CostReport, "usage" | "prices" | "hoursPerMonth">): string {
  const prices = report.prices.map((p) => `${p.region} as of ${p.asOf.join(", ")}`).join("; ");
  return (
    `usage profile ${report.usage.name} (${report.usage.files.join(" + ")}); ` +
    `prices ${prices || "none needed"} (transcribed by hand, not fetched); ${report.hoursPerMonth} h/month`
  );
}
