import type { PreflightRule } from "../../schema/preflight";
import { code, escapeText, table } from "./markdown";

/** The preflight rule table, one row per rule in `PREFLIGHT_RULES` order (grouped by concern there). */
export function renderPreflightRules(rules: readonly PreflightRule[]): string {
  const rows = rules.map((r) => [
    code(r.id),
    r.concern,
    "across" in r ? "environments together" : "each environment",
    escapeText(r.refuses),
    `[AWS docs](${r.source.url}) (${r.source.read})`,
  ]);
  return [
    table(["id", "concern", "looks at", "what AWS refuses", "source (read)"], rows),
    "",
    `${rules.length} rules.`,
  ].join("\n");
}
