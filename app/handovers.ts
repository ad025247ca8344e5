import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { BlueprintError, fromZodIssues, type BlueprintIssue } from "../schema/errors";

/**
 * The handover registry, `handed-off.json` at the repository root: the stacks this project no longer plans or applies
 * because their state now belongs to a Terraform-only team, who received them as a handoff bundle. Written by
 * `npm run handoff -- --handover`, committed and reviewed like code. Synthesis reads it and gives each handed-off stack
 * a guard that makes every plan, apply and destroy of it fail (handover-guard.ts), so one state keeps one owner.
 * Taking a stack back is a reviewed commit that removes its entry (docs/handoff.md).
 */
export const HANDED_OFF_FILE = "handed-off.json";

export interface Handover {
  /** The stack id, e.g. library-app-prod-compute. */
  readonly stack: string;
  /** Who owns its state now (a team). */
  readonly to: string;
  /** When (YYYY-MM-DD, UTC). */
  readonly date: string;
  /** Where the bundle they apply lives (a repository, a path). */
  readonly bundle: string;
  /** The commit of this project the bundle was written from. */
  readonly commit: string;
}

/** Stacks that cannot be handed off, and why. */
const NEVER_HANDED_OFF: Record<string, string> = {
  "state-backend":
    "cannot be handed off: every other stack keeps its state in the bucket it creates. Fix: remove the entry",
};

const DOCS = "docs/handoff.md";

/** Free text that goes into Terraform strings: one line, no template sequences Terraform would evaluate. */
const text = (what: string) =>
  z
    .string({ error: `is required (${what}). Fix: add it` })
    .min(1, { error: `is empty. Fix: name ${what}` })
    .max(200, { error: `is longer than 200 characters. Fix: shorten it` })
    .refine((s) => !/\p{Cc}|\$\{|%\{/u.test(s), {
      error: "holds a line break, a control character, ${ or %{. Fix: write plain one-line text",
    });

const handoverSchema = z.strictObject({
  stack: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: "is not a stack id. Fix: e.g. library-app-prod-compute" }),
  to: text("the team that owns the state now"),
  date: z.string().refine(isCalendarDate, { error: "is not a calendar date. Fix: write YYYY-MM-DD, e.g. 2026-01-15" }),
  bundle: text("where the bundle lives"),
  commit: z.string().regex(/^[0-9a-f]{7,40}$/, { error: "is not a git commit. Fix: 7 to 40 lower-case hex digits" }),
});

/** YYYY-MM-DD of a real day: 2026-02-30 parses (as March 2), a real date prints back as itself. */
function isCalendarDate(date: string): boolean {
  const time = Date.parse(`${date}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(time) && new Date(time).toISOString().startsWith(date);
}

const registrySchema = z.strictObject({ handedOff: z.array(handoverSchema) });

/** Validates the registry's content: shape, stacks that stay, and one entry per stack. */
export function parseHandovers(raw: unknown, source = HANDED_OFF_FILE): Handover[] {
  const parsed = registrySchema.safeParse(raw);
  if (!parsed.success) {
    const issues = fromZodIssues(raw, parsed.error.issues).map((issue) => ({
      ...issue,
      message: issue.message.replace("(see README, Blueprint format)", `(see ${DOCS})`),
    }));
    throw new BlueprintError(source, issues);
  }
  const entries = parsed.data.handedOff;
  const issues: BlueprintIssue[] = entries.flatMap((entry, i): BlueprintIssue[] => {
    const where = `handedOff[${i}].stack`;
    const never = NEVER_HANDED_OFF[entry.stack];
    if (never) return [{ path: where, value: entry.stack, message: never }];
    const first = entries.findIndex((e) => e.stack === entry.stack);
    if (first < i) {
      return [
        {
          path: where,
          value: entry.stack,
          message: `is handed off twice (also handedOff[${first}]). Fix: keep the entry of the handover that happened`,
        },
      ];
    }
    return [];
  });
  if (issues.length > 0) throw new BlueprintError(source, issues);
  return entries;
}

/** The registry file's entries; no file, no handovers. */
export function loadHandovers(file = path.resolve(HANDED_OFF_FILE)): Handover[] {
  if (!fs.existsSync(file)) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new BlueprintError(file, [
      { path: "", value: undefined, message: `is not valid JSON (${(e as Error).message}). Fix: correct the syntax` },
    ]);
  }
  return parseHandovers(raw, file);
}

/**
 * Entries must name stacks the project synthesizes: a typo would leave the real stack unguarded. `known` holds every
 * stack id of the registered blueprints.
 */
export function checkHandedOffStacks(entries: readonly Handover[], known: ReadonlySet<string>, source: string): void {
  const issues = entries.flatMap((entry, i): BlueprintIssue[] => {
    if (known.has(entry.stack)) return [];
    // The stacks of the same deployment (library-app-prod-compte: library-app-prod-*) are the likely meaning.
    const deployment = entry.stack.split("-").slice(0, -1).join("-");
    const near = [...known].filter((id) => deployment && id.startsWith(`${deployment}-`)).sort();
    return [
      {
        path: `handedOff[${i}].stack`,
        value: entry.stack,
        message:
          "names no stack of the registered blueprints, so no stack would be guarded. Fix: correct the id" +
          (near.length > 0 ? ` (one of ${near.join(", ")})` : "") +
          ", or remove the entry in a reviewed commit if the stack is gone",
      },
    ];
  });
  if (issues.length > 0) throw new BlueprintError(source, issues);
}

/** Writes the registry, validated, atomically (a reader never sees half a file). */
export function writeHandovers(file: string, entries: readonly Handover[]): void {
  const content = { handedOff: parseHandovers({ handedOff: entries }, file) };
  const temporary = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(temporary, JSON.stringify(content, null, 2) + "\n");
  fs.renameSync(temporary, file);
}

/** Name of the guard variable synthesis adds to a handed-off stack (never shipped: terraformOnlyJson drops it). */
export const HANDOVER_GUARD = "handed_off";

/** "handed off to payments-ops on 2026-01-15": the guard's value, and how the tools name a handover. */
export function handoverSummary(entry: Handover): string {
  return `handed off to ${entry.to} on ${entry.date}`;
}

/** What every plan, apply and destroy of a handed-off stack from this project's output says. */
export function handoverMessage(entry: Handover, state: string): string {
  return (
    `Stack ${entry.stack} was ${handoverSummary(entry)}: its state (${state}) belongs to them now and changes only ` +
    `through the handoff bundle (${entry.bundle}, from commit ${entry.commit.slice(0, 12)}). This configuration ` +
    `refuses every plan, apply and destroy so that the state keeps one owner. Change the stack in the bundle; to ` +
    `take it back, remove its entry from ${HANDED_OFF_FILE} in a reviewed commit (${DOCS}).`
  );
}

/** The handover a synthesized stack's JSON is guarded for ("handed off to ... on ..."), if any. */
export function handedOffIn(json: { variable?: Record<string, { default?: unknown }> }): string | undefined {
  const value = json.variable?.[HANDOVER_GUARD]?.default;
  return typeof value === "string" ? value : undefined;
}
