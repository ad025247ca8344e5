import type { Rule } from "../check/types";
import { code, escapeText, table } from "./markdown";

/** The policy rule table, one row per rule in `RULES` order, and the rules' notes below it. */
export function renderRules(rules: readonly Rule[]): string {
  const rows = rules.map((r) => [
    code(r.id),
    r.severity,
    code(r.resourceType),
    escapeText(r.title) + (r.note ? " (see note)" : ""),
    r.checkov.length > 0 ? r.checkov.join(", ") : "-",
    r.fsbp ?? "-",
  ]);
  const notes = rules.filter((r) => r.note).map((r) => `- ${code(r.id)}: ${escapeText(r.note ?? "")}`);
  return [
    table(["id", "severity", "resource", "checks", "checkov", "FSBP"], rows),
    "",
    `${rules.length} rules. Notes:`,
    "",
    ...notes,
  ].join("\n");
}
