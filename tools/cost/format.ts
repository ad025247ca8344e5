import type { CostReport, CostTotal } from "./types";

/** Dollars with cents and thousands separators: $1,234.56. */
export function usd(n: number): string {
  const sign = n < 0 ? "-" : "";
  return `${sign}$${Math.abs(n).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
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
