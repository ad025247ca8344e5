import type { z } from "zod";

/** One thing wrong with a blueprint: where, what was there, and how to fix it. */
export interface BlueprintIssue {
  /** Field path, e.g. services[0].cpu. */
  readonly path: string;
  /** The offending value, as written (undefined when missing). */
  readonly value: unknown;
  /** What is wrong and the fix, e.g. "is not a Fargate size. Fix: use ..." */
  readonly message: string;
  /** The preflight rule that found it (schema/preflight), when one did. */
  readonly rule?: string;
}

export class BlueprintError extends Error {
  constructor(
    readonly source: string,
    readonly issues: readonly BlueprintIssue[],
    /** Issues of other sources (other blueprints) reported with these, each line naming its own source. */
    readonly others: readonly { readonly source: string; readonly issues: readonly BlueprintIssue[] }[] = [],
  ) {
    super(
      [{ source, issues }, ...others]
        .flatMap((group) => group.issues.map((issue) => formatIssue(group.source, issue)))
        .join("\n"),
    );
    this.name = "BlueprintError";
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === "number" ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
    .join("");
}

export function describeValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** "blueprint library-app: services[0].cpu = 300 is not ... Fix: ..." on one line. */
export function formatIssue(source: string, issue: BlueprintIssue): string {
  const where = issue.path === "" ? "(root)" : issue.path;
  return `${source}: ${where} = ${describeValue(issue.value)} ${issue.message}`.replace(/\s*\n\s*/g, " ");
}

export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Turns zod issues into ours; zod's default texts get a generic fix so that every line says what to do. */
export function fromZodIssues(input: unknown, issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[] = []) {
  return issues.flatMap((issue): BlueprintIssue[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        path: formatPath([...path, key]),
        value: valueAt(input, [...issue.path, key]),
        message: "is not a known field. Fix: remove it or correct its spelling (see docs/blueprint-reference.md)",
      }));
    }
    if (issue.code === "invalid_union" && issue.errors.length > 0 && !issue.message.includes("Fix:")) {
      // Report the branch that got furthest rather than "invalid input".
      const best = [...issue.errors].sort((a, b) => a.length - b.length)[0];
      return fromZodIssues(input, best, prefix);
    }
    const value = valueAt(input, issue.path);
    let message = issue.message;
    if (!message.includes("Fix:")) {
      if (value === undefined && issue.code === "invalid_type") {
        message = `is required (${issue.expected}). Fix: add it`;
      } else if (issue.code === "invalid_type") {
        message = `has the wrong type: expected ${issue.expected}. Fix: write a ${issue.expected}`;
      } else {
        message = `is invalid: ${message}. Fix: correct the value`;
      }
    }
    return [{ path: formatPath(path), value, message }];
  });
}
