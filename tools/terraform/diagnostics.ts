import * as path from "path";
import type { BatchMember } from "./batch-root";
import type { TerraformJson } from "./cdktf-out";

/** A diagnostic as Terraform's `-json` output gives it (severity, summary, detail, address, range, snippet). */
export type TerraformDiagnostic = TerraformJson;

/** Diagnostics of a `-json` stream (init, plan: one message a line) or of `validate -json` (one object). */
export function jsonDiagnostics(output: string): TerraformDiagnostic[] {
  const text = output.trim();
  if (text.startsWith("{") && !text.includes("\n{")) {
    try {
      const whole = JSON.parse(text);
      if (Array.isArray(whole.diagnostics)) return whole.diagnostics;
    } catch {
      // Not one object: a stream.
    }
  }
  const out: TerraformDiagnostic[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const message = JSON.parse(line);
      if (message.type === "diagnostic" && message.diagnostic) out.push(message.diagnostic);
    } catch {
      // A line that is not JSON (a provider's stray output): not a diagnostic.
    }
  }
  return out;
}

/**
 * The batch member a diagnostic is about: by the resource address (`module.<name>...`), by the file it points
 * into (the stack's directory), or, for the root's re-exported outputs, by the output's name. Undefined when the
 * diagnostic names none of them (a provider crash, a problem of the generated root itself).
 */
export function memberOf(
  diagnostic: TerraformDiagnostic,
  members: readonly BatchMember[],
  rootDir: string,
  memberDir: (m: BatchMember) => string,
): BatchMember | undefined {
  const address: string = diagnostic.address ?? "";
  const byAddress = members.find((m) => new RegExp(`^module\\.${escape(m.module)}(\\.|\\[|$)`).test(address));
  if (byAddress) return byAddress;
  const filename: string | undefined = diagnostic.range?.filename;
  if (filename) {
    const file = path.resolve(rootDir, filename);
    const byFile = members.find((m) => file.startsWith(path.resolve(memberDir(m)) + path.sep));
    if (byFile) return byFile;
  }
  const text = `${diagnostic.snippet?.context ?? ""} ${address} ${diagnostic.detail ?? ""}`;
  return members.find((m) => [...m.outputs.keys()].some((rootName) => text.includes(`"${rootName}"`)));
}

/** A diagnostic as Terraform prints it for people: severity, summary, where, detail. */
export function diagnosticText(d: TerraformDiagnostic): string {
  const where = d.range?.filename ? `\n  on ${d.range.filename} line ${d.range.start?.line ?? "?"}` : "";
  const context = d.snippet?.context ? `, in ${d.snippet.context}` : "";
  const address = d.address ? `\n  (${d.address})` : "";
  const code = d.snippet?.code ? `\n  ${String(d.snippet.code).trim().slice(0, 300)}` : "";
  const detail = d.detail ? `\n\n${d.detail}` : "";
  return `${d.severity === "error" ? "Error" : "Warning"}: ${d.summary}${where}${where ? context : ""}:${address}${code}${detail}\n`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
