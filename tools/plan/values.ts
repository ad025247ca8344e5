/**
 * Showing planned values without ever showing a sensitive one. `terraform show -json` carries sensitive values in
 * clear text next to a mask (`before_sensitive` / `after_sensitive`: `true`, or an object/array of masks mirroring
 * the value); anything whose mask holds a `true` anywhere is replaced by a placeholder before it is rendered.
 */
export const SENSITIVE = "(sensitive value)";
export const UNKNOWN = "(known after apply)";
export const ABSENT = "(none)";

/** True when a mask (of sensitivity or unknown-ness) marks the value, or any part of it. */
export function anyTrue(mask: unknown): boolean {
  if (mask === true) return true;
  if (Array.isArray(mask)) return mask.some(anyTrue);
  if (mask && typeof mask === "object") return Object.values(mask).some(anyTrue);
  return false;
}

/** One value as a short string for a summary line; sensitive or unknown values as placeholders. */
export function display(value: unknown, sensitiveMask: unknown, unknownMask: unknown = false, max = 80): string {
  if (anyTrue(sensitiveMask)) return SENSITIVE;
  if (anyTrue(unknownMask)) return UNKNOWN;
  if (value === undefined || value === null) return ABSENT;
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface AttributeChange {
  readonly name: string;
  readonly before: string;
  readonly after: string;
}

type Json = Record<string, unknown>;

/** Top-level attributes of a resource change whose value differs (or becomes unknown), values masked. */
export function changedAttributes(change: {
  before?: unknown;
  after?: unknown;
  after_unknown?: unknown;
  before_sensitive?: unknown;
  after_sensitive?: unknown;
}): AttributeChange[] {
  const before = asObject(change.before);
  const after = asObject(change.after);
  const unknown = asObject(change.after_unknown);
  const beforeMask = asObject(change.before_sensitive);
  const afterMask = asObject(change.after_sensitive);
  const names = [...new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)])].sort();
  return (
    names
      .filter((n) => anyTrue(unknown[n]) || JSON.stringify(before[n] ?? null) !== JSON.stringify(after[n] ?? null))
      // A computed attribute that did not exist and will be known after apply says nothing to a reviewer.
      .filter((n) => !(anyTrue(unknown[n]) && (before[n] === undefined || before[n] === null)))
      .map((n) => ({
        name: n,
        before: display(before[n], beforeMask[n]),
        after: display(after[n], afterMask[n], unknown[n]),
      }))
  );
}

function asObject(value: unknown): Json {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
}

/**
 * Every value the plan marks sensitive anywhere (resource attributes before and after, outputs, sensitive
 * variables), as strings. Terraform's masks are not complete: a value derived from a sensitive one can come back
 * unmarked (terraform_data's `output` echoes a sensitive `input` with an empty mask), so whatever the summary shows
 * is also checked against these. Values shorter than 4 characters are left out: masking every "1" or "true" would
 * hide more than it protects.
 */
export function sensitiveValues(show: Record<string, unknown>): Set<string> {
  const found = new Set<string>();
  const leaves = (value: unknown) => {
    if (typeof value === "string" || typeof value === "number") found.add(String(value));
    else if (Array.isArray(value)) value.forEach(leaves);
    else if (value && typeof value === "object") Object.values(value).forEach(leaves);
  };
  const walk = (value: unknown, mask: unknown) => {
    if (mask === true) leaves(value);
    else if (mask && typeof mask === "object" && value && typeof value === "object") {
      for (const [k, m] of Object.entries(mask)) walk((value as Json)[k], m);
    }
  };
  for (const rc of (show.resource_changes ?? []) as { change?: Json }[]) {
    walk(rc.change?.before, rc.change?.before_sensitive);
    walk(rc.change?.after, rc.change?.after_sensitive);
  }
  for (const oc of Object.values((show.output_changes ?? {}) as Record<string, Json>)) {
    walk(oc.before, oc.before_sensitive);
    walk(oc.after, oc.after_sensitive);
  }
  const declared = asObject(asObject(asObject(show.configuration).root_module).variables);
  for (const [name, v] of Object.entries(asObject(show.variables))) {
    if (asObject(declared[name]).sensitive === true) leaves(asObject(v).value);
  }
  return new Set([...found].filter((s) => s.length >= 4));
}

/** A rendered string, or the placeholder when it contains a sensitive value (raw or JSON-escaped). */
export function redactor(secrets: ReadonlySet<string>): (text: string) => string {
  const needles = [...secrets].flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]);
  return (text) => (needles.some((n) => text.includes(n)) ? SENSITIVE : text);
}
