import type { Finding } from "./types";
import type { SecretHit } from "./secrets";
import { blocking } from "./engine";

function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

/** A Markdown table of findings per stack, then one summary line. */
export function renderReport(stackIds: readonly string[], findings: readonly Finding[], secrets: readonly SecretHit[]) {
  const lines: string[] = [];
  for (const stackId of stackIds) {
    const own = findings.filter((f) => f.stackId === stackId);
    const open = own.filter((f) => !f.suppressedBecause);
    lines.push(`## ${stackId}: ${open.length === 0 ? "no open findings" : `${open.length} open finding(s)`}`);
    if (own.length > 0) {
      lines.push("", "| rule | severity | resource | finding | status |", "|---|---|---|---|---|");
      for (const f of own) {
        const status = f.suppressedBecause ? `suppressed: ${f.suppressedBecause}` : "open";
        lines.push(`| ${f.rule.id} | ${f.rule.severity} | \`${f.address}\` | ${cell(f.message)} | ${cell(status)} |`);
      }
    }
    lines.push("");
  }
  for (const hit of secrets) lines.push(`SECRET ${hit.id} in ${hit.file}:${hit.line}`);
  const count = (severity: string, suppressed: boolean) =>
    findings.filter((f) => f.rule.severity === severity && Boolean(f.suppressedBecause) === suppressed).length;
  const failing = blocking(findings).length;
  lines.push(
    `${stackIds.length} stacks: ${count("high", false)} high, ${count("medium", false)} medium, ` +
      `${count("low", false)} low open; ${findings.filter((f) => f.suppressedBecause).length} suppressed; ` +
      `secrets scan: ${secrets.length === 0 ? "clean" : `${secrets.length} hit(s)`}; ` +
      (failing === 0 && secrets.length === 0 ? "PASS" : "FAIL"),
  );
  return lines.join("\n");
}
