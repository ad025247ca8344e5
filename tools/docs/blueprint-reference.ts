import * as path from "path";
import { blueprintEnvelopeSchema, specSchema } from "../../schema/blueprint";
import { code, escapeText, inlineProse } from "./markdown";
import { objectFields, type Field } from "./schema-fields";
import type { SourceComments } from "./source-comments";

/** Where the format is declared: the envelope (name, environments) and the spec every environment resolves. */
export const SCHEMA_FILE = "schema/blueprint.ts";

/** Every field of the blueprint format: the envelope's, then the spec's, in declaration order. */
export function blueprintFields(sources: SourceComments, root: string): Field[] {
  const file = path.join(root, SCHEMA_FILE);
  return [
    ...objectFields(sources, blueprintEnvelopeSchema, sources.exportedConst(file, "blueprintEnvelopeSchema").expr, ""),
    ...objectFields(sources, specSchema, sources.exportedConst(file, "specSchema").expr, ""),
  ];
}

/** docs/blueprint-reference.md: one section per top-level field, nested lists below it. */
export function renderBlueprintReference(fields: readonly Field[]): string {
  const out = [
    "# Blueprint field reference",
    "",
    "Every field a blueprint file may set, read from the zod schemas (types, limits, defaults) and the doc comment",
    `written next to each field in [${SCHEMA_FILE}](../${SCHEMA_FILE}) and the files it imports. Paths are written`,
    "the way error messages print them: `[]` stands for any item of a list, `<name>` for any key of a map. A default",
    "is what validation fills in when the field is left out; where a field has none, its comment says what happens",
    "instead. Cross-field rules (CIDRs inside the VPC, Fargate sizes, ...) are in",
    "[the blueprint format](blueprint-format.md#cross-field-rules).",
    "",
    fields.map((f) => `[${code(f.path)}](#${f.path.toLowerCase()})`).join(" · "),
    "",
  ];
  for (const field of fields) {
    out.push(`## ${code(field.path)}`, "", fieldLine(field), "");
    const below = nested(field, 0);
    if (below.length > 0) out.push(...below, "");
  }
  return out.join("\n");
}

function fieldLine(f: Field): string {
  const presence = f.required
    ? "required"
    : f.default
      ? f.default.eachFieldsDefault
        ? "default: each field's default"
        : `default ${code(JSON.stringify(f.default.value))}`
      : "optional";
  const description = inlineProse(f.docs.join("\n"));
  return `${code(f.path)} (${escapeText(f.type)}, ${presence})${description ? `: ${description}` : ""}`;
}

function nested(f: Field, depth: number): string[] {
  const indent = "  ".repeat(depth);
  const lines: string[] = [];
  for (const child of f.children) {
    lines.push(`${indent}- ${fieldLine(child)}`, ...nested(child, depth + 1));
  }
  for (const variant of f.variants) {
    const description = inlineProse(variant.docs.join("\n"));
    lines.push(`${indent}- form ${code(variant.label)}${description ? `: ${description}` : ""}`);
    for (const child of variant.fields) {
      lines.push(`${indent}  - ${fieldLine(child)}`, ...nested(child, depth + 2));
    }
  }
  return lines;
}
