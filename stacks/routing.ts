import type { Service } from "../schema/blueprint";

/**
 * Listener rule priorities: explicit ones are kept; the others are numbered 10, 20, ... from the most specific path
 * to the least (a literal path before a wildcard, a longer prefix before a shorter), so "/api/*" wins over "/*"
 * without the blueprint having to say so.
 */
export function rulePriorities(services: readonly Service[]): Map<string, number> {
  const routed = services.filter((s) => s.routing);
  const taken = new Set(routed.map((s) => s.routing!.priority).filter((p): p is number => p !== undefined));
  const result = new Map<string, number>();
  for (const s of routed) if (s.routing!.priority !== undefined) result.set(s.name, s.routing!.priority);
  const auto = routed.filter((s) => s.routing!.priority === undefined).sort((a, b) => specificity(b) - specificity(a));
  let next = 10;
  for (const s of auto) {
    while (taken.has(next)) next += 10;
    result.set(s.name, next);
    taken.add(next);
    next += 10;
  }
  return result;
}

function specificity(s: Service): number {
  const patterns = s.routing?.pathPatterns ?? [];
  const hostBonus = s.routing?.hostHeaders ? 10000 : 0;
  const best = Math.max(0, ...patterns.map((p) => p.replace(/[*?].*$/, "").length * 2 + (/[*?]/.test(p) ? 0 : 1)));
  return hostBonus + best;
}
