import * as fs from "fs";
import * as path from "path";

/**
 * Patterns of secret material that must never reach synthesized JSON, plan output or fixtures. Each pattern is
 * narrow enough that the project's own output (ARNs, references, placeholders) does not match it.
 */
export const SECRET_PATTERNS: readonly { id: string; pattern: RegExp }[] = [
  { id: "private-key", pattern: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/ },
  { id: "aws-access-key-id", pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/ },
  {
    id: "aws-secret-access-key",
    pattern: /aws_?secret_?access_?key["'\s:=]+[A-Za-z0-9/+]{40}\b/i,
  },
  { id: "github-token", pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { id: "slack-token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  { id: "jwt", pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  {
    // "password": "<literal>" and the like (references and empty strings pass).
    id: "password-value",
    pattern: /"(?:password|master_password|passwd|secret_string|secret)"\s*:\s*"(?!\$\{)[^"\s]{4,}"/i,
  },
  { id: "url-credentials", pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@"]+:[^\s/@"$]{3,}@/i },
];

export interface SecretHit {
  readonly file: string;
  readonly line: number;
  readonly id: string;
}

/** Scans text; returns the hits with line numbers (never the matched text, which is the secret). */
export function scanText(text: string, file = "(text)"): SecretHit[] {
  const hits: SecretHit[] = [];
  text.split("\n").forEach((line, i) => {
    for (const { id, pattern } of SECRET_PATTERNS) if (pattern.test(line)) hits.push({ file, line: i + 1, id });
  });
  return hits;
}

/** Scans every JSON, HCL and text file under a directory (cdktf.out, a plan directory, fixtures). */
export function scanDirectory(dir: string): SecretHit[] {
  const hits: SecretHit[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== ".terraform") walk(full);
      } else if (/\.(json|tf|hcl|md|txt|tfstate)$/.test(entry.name)) {
        hits.push(...scanText(fs.readFileSync(full, "utf8"), full));
      }
    }
  };
  walk(dir);
  return hits;
}
