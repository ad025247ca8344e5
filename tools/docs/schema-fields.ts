import ts from "typescript";
import type { z } from "zod";
import type { SourceComments } from "./source-comments";
import { docComment } from "./source-comments";
import { code } from "./markdown";

/**
 * The blueprint format as a tree of documented fields, read from two sources that cannot drift apart: the zod schemas
 * themselves (structure, types, constraints, defaults: what a blueprint is actually checked against) and the doc
 * comments written next to each field in the schema's source (found by following the same structure through the
 * TypeScript syntax tree: object literals, method chains, identifiers across imports).
 */

/** One field of the format. */
export interface Field {
  /** Path as error messages print it, with `[]` for any array item and `<name>` for any map key. */
  readonly path: string;
  /** Readable type, as Markdown: "string", "integer 1–65535", a code span `"none" | "single"`, "list of objects" ... */
  readonly type: string;
  readonly required: boolean;
  /** The default zod fills in, when there is one. */
  readonly default?: { readonly value: unknown; readonly eachFieldsDefault: boolean };
  /** Doc comments: the field's own, then those of the named schemas it refers to. */
  readonly docs: readonly string[];
  /** Fields of an object (or of each item / map value that is an object). */
  readonly children: readonly Field[];
  /** Alternative object forms of a union (or of each item / map value that is one). */
  readonly variants: readonly Variant[];
}

export interface Variant {
  /** Shape summary, e.g. `{ source: "arn", arn }`. */
  readonly label: string;
  readonly docs: readonly string[];
  readonly fields: readonly Field[];
}

/** What the zod internals expose; read-only access to `_zod.def` and `_zod.bag` (zod 4). */
interface ZodLike {
  readonly _zod: { readonly def: ZodDef; readonly bag?: Record<string, unknown> };
  safeParse?: (value: unknown) => { success: boolean; data?: unknown };
}
interface ZodDef {
  readonly type: string;
  readonly [key: string]: unknown;
}

const WRAPPERS = new Set(["optional", "default", "prefault", "nullable", "readonly", "catch", "nonoptional"]);

/** A schema with its wrappers (optional, default ...) peeled off, and what they said. */
interface Unwrapped {
  readonly schema: ZodLike;
  readonly optional: boolean;
  readonly default?: { value: unknown };
}

function unwrap(schema: ZodLike): Unwrapped {
  let s = schema;
  let optional = false;
  let dflt: { value: unknown } | undefined;
  for (;;) {
    const def = s._zod.def;
    if (def.type === "optional") optional = true;
    if ((def.type === "default" || def.type === "prefault") && !dflt) dflt = { value: def.defaultValue };
    if (WRAPPERS.has(def.type)) s = def.innerType as ZodLike;
    else if (def.type === "pipe") s = def.in as ZodLike;
    else if (def.type === "lazy") s = (def.getter as () => ZodLike)();
    else return { schema: s, optional, default: dflt };
  }
}

/** The syntax a schema was written with, normalized to what the walk needs. */
interface Syntax {
  readonly docs: string[];
  readonly props?: ReadonlyMap<string, { expr: ts.Expression; doc?: string }>;
  readonly element?: ts.Expression;
  readonly value?: ts.Expression;
  readonly members?: readonly { expr: ts.Expression; doc?: string }[];
}

const OBJECT_FACTORIES = new Set(["object", "strictObject", "looseObject"]);
const EXTENDERS = new Set(["extend", "safeExtend"]);

/** The properties of a shape literal, after those of `base`; `...other.shape` spreads take other's properties. */
function propsOf(
  sources: SourceComments,
  literal: ts.ObjectLiteralExpression,
  base?: ReadonlyMap<string, { expr: ts.Expression; doc?: string }>,
): Map<string, { expr: ts.Expression; doc?: string }> {
  const props = new Map(base ?? []);
  for (const p of literal.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) {
      props.set(p.name.text, { expr: p.initializer, doc: docComment(p) });
    } else if (ts.isShorthandPropertyAssignment(p)) {
      props.set(p.name.text, { expr: p.name, doc: docComment(p) });
    } else if (
      ts.isSpreadAssignment(p) &&
      ts.isPropertyAccessExpression(p.expression) &&
      p.expression.name.text === "shape"
    ) {
      syntaxOf(sources, p.expression.expression).props?.forEach((v, k) => props.set(k, v));
    }
  }
  return props;
}

/**
 * Follows a schema expression to the zod factory call that shapes it: through identifiers (to their const, across
 * imports; the const's doc comment is collected), method chains (`.default(...)`, `.optional()`, `.refine(...)`)
 * and parentheses. A call of a local helper (`kebabName(...)`) or anything unrecognized is a leaf without syntax.
 */
function syntaxOf(sources: SourceComments, start: ts.Expression | undefined): Syntax {
  const docs: string[] = [];
  let expr = start;
  for (let guard = 0; expr && guard < 100; guard++) {
    if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr)) {
      expr = expr.expression;
    } else if (ts.isIdentifier(expr)) {
      const resolved = sources.resolveConst(expr);
      if (!resolved) break;
      if (resolved.doc) docs.push(resolved.doc);
      expr = resolved.expr;
    } else if (ts.isCallExpression(expr) && ts.isPropertyAccessExpression(expr.expression)) {
      const callee = expr.expression;
      const [first, second] = expr.arguments;
      if (!(ts.isIdentifier(callee.expression) && callee.expression.text === "z")) {
        if (EXTENDERS.has(callee.name.text) && first && ts.isObjectLiteralExpression(first)) {
          // base.extend({ ... }): the base's fields, then these
          const base = syntaxOf(sources, callee.expression);
          return { docs: [...docs, ...base.docs], props: propsOf(sources, first, base.props) };
        }
        expr = callee.expression; // another method of a schema: look at the schema
        continue;
      }
      const factory = callee.name.text;
      if (OBJECT_FACTORIES.has(factory) && first && ts.isObjectLiteralExpression(first)) {
        return { docs, props: propsOf(sources, first) };
      }
      if (factory === "array") return { docs, element: first };
      if (factory === "record") return { docs, value: second };
      const list = factory === "union" ? first : factory === "discriminatedUnion" ? second : undefined;
      if (list && ts.isArrayLiteralExpression(list)) {
        return { docs, members: list.elements.map((e) => ({ expr: e, doc: docComment(e) })) };
      }
      break;
    } else {
      break;
    }
  }
  return { docs };
}

/** Reads the fields of an object schema, with the syntax it was declared with. */
export function objectFields(
  sources: SourceComments,
  schema: z.ZodType,
  expr: ts.Expression | undefined,
  prefix: string,
): Field[] {
  return new FieldWalk(sources).object(unwrap(schema as unknown as ZodLike).schema, syntaxOf(sources, expr), prefix);
}

class FieldWalk {
  constructor(private readonly sources: SourceComments) {}

  field(schema: ZodLike, expr: ts.Expression | undefined, path: string, ownDoc: string | undefined): Field {
    const u = unwrap(schema);
    const syntax = syntaxOf(this.sources, expr);
    const docs = [ownDoc, ...syntax.docs].filter((d): d is string => !!d);
    const body = this.body(u.schema, syntax, path);
    return {
      path,
      type: body.type,
      required: !u.optional && !u.default,
      default: u.default && {
        value: u.default.value,
        eachFieldsDefault: isEachFieldsDefault(u.schema, u.default.value),
      },
      docs: [...docs, ...body.docs],
      children: body.children,
      variants: body.variants,
    };
  }

  /** Type, children and variants of an unwrapped schema; items and map values that are objects are opened up. */
  private body(
    s: ZodLike,
    syntax: Syntax,
    path: string,
  ): { type: string; docs: string[]; children: Field[]; variants: Variant[] } {
    const def = s._zod.def;
    const none = { docs: [] as string[], children: [] as Field[], variants: [] as Variant[] };
    if (def.type === "object") {
      return { ...none, type: "object", children: this.object(s, syntax, path) };
    }
    if (def.type === "union" && (def.options as ZodLike[]).some((o) => unwrap(o).schema._zod.def.type === "object")) {
      return this.union(s, syntax, path);
    }
    if (def.type === "array" || def.type === "record") {
      const inner = (def.type === "array" ? def.element : def.valueType) as ZodLike;
      const innerExpr = def.type === "array" ? syntax.element : syntax.value;
      const innerPath = def.type === "array" ? `${path}[]` : `${path}.<name>`;
      const innerSyntax = syntaxOf(this.sources, innerExpr);
      const opened = this.body(unwrap(inner).schema, innerSyntax, innerPath);
      const items = def.type === "array" ? `list of ${plural(opened.type)}` : `map of ${plural(opened.type)}`;
      return { ...opened, type: items + countRange(s), docs: [...innerSyntax.docs, ...opened.docs] };
    }
    return { ...none, type: typeName(s) };
  }

  object(s: ZodLike, syntax: Syntax, path: string): Field[] {
    const shape = s._zod.def.shape as Record<string, ZodLike>;
    return Object.entries(shape).map(([key, child]) => {
      const prop = syntax.props?.get(key);
      return this.field(child, prop?.expr, path ? `${path}.${key}` : key, prop?.doc);
    });
  }

  private union(s: ZodLike, syntax: Syntax, path: string) {
    const options = s._zod.def.options as ZodLike[];
    const plain: string[] = [];
    const variants: Variant[] = [];
    options.forEach((option, i) => {
      const member = syntax.members?.[i];
      const u = unwrap(option).schema;
      if (u._zod.def.type !== "object") {
        plain.push(typeName(u));
        return;
      }
      const memberSyntax = syntaxOf(this.sources, member?.expr);
      variants.push({
        label: variantLabel(u),
        docs: [member?.doc, ...memberSyntax.docs].filter((d): d is string => !!d),
        fields: this.object(u, memberSyntax, path),
      });
    });
    const forms = variants.length === 1 ? "an object" : `one of ${variants.length} object forms`;
    return { type: [...plain, forms].join(" or "), docs: [], children: [], variants };
  }
}

/** `{ source: "arn", arn }`: literal keys with their value, optional keys with `?`. */
function variantLabel(s: ZodLike): string {
  const shape = s._zod.def.shape as Record<string, ZodLike>;
  const parts = Object.entries(shape).map(([key, child]) => {
    const u = unwrap(child);
    const def = u.schema._zod.def;
    if (def.type === "literal") return `${key}: ${(def.values as unknown[]).map((v) => JSON.stringify(v)).join(" | ")}`;
    return u.optional || u.default ? `${key}?` : key;
  });
  return `{ ${parts.join(", ")} }`;
}

function typeName(s: ZodLike): string {
  const def = s._zod.def;
  const bag = s._zod.bag ?? {};
  switch (def.type) {
    case "string":
      if (bag.format === "email") return "string (e-mail address)";
      if (bag.minimum === 1 && bag.maximum === undefined) return "non-empty string";
      return "string" + range(bag.minimum, bag.maximum, " characters");
    case "number": {
      const integer = bag.format === "safeint" || bag.format === "int32" || bag.format === "uint32";
      return (integer ? "integer" : "number") + range(bag.minimum, bag.maximum, "");
    }
    case "boolean":
      return "boolean";
    case "enum":
      return code(
        Object.values(def.entries as Record<string, unknown>)
          .map((v) => JSON.stringify(v))
          .join(" | "),
      );
    case "literal":
      return code((def.values as unknown[]).map((v) => JSON.stringify(v)).join(" | "));
    case "union":
      return (def.options as ZodLike[]).map((o) => typeName(unwrap(o).schema)).join(" or ");
    case "unknown":
    case "any":
      return "any value";
    default:
      return def.type;
  }
}

/** " 1–65535", " ≥ 0", " ≤ 24 characters"; nothing for the bounds every integer has. */
function range(min: unknown, max: unknown, unit: string): string {
  const lo = typeof min === "number" && min > -Number.MAX_SAFE_INTEGER ? min : undefined;
  const hi = typeof max === "number" && max < Number.MAX_SAFE_INTEGER ? max : undefined;
  if (lo !== undefined && hi !== undefined) return ` ${lo}–${hi}${unit}`;
  if (lo !== undefined) return lo === 0 && unit ? "" : ` ≥ ${lo}${unit}`;
  if (hi !== undefined) return ` ≤ ${hi}${unit}`;
  return "";
}

function countRange(s: ZodLike): string {
  const { minimum, maximum } = s._zod.bag ?? {};
  const lo = typeof minimum === "number" && minimum > 0 ? minimum : undefined;
  const hi = typeof maximum === "number" ? maximum : undefined;
  if (lo !== undefined && hi !== undefined) return ` (${lo}–${hi} items)`;
  if (lo !== undefined) return ` (at least ${lo})`;
  if (hi !== undefined) return ` (at most ${hi})`;
  return "";
}

function plural(type: string): string {
  if (type.includes(" or ")) return `(${type})`;
  if (type === "object") return "objects";
  if (type.startsWith("one of ")) return `objects (${type})`;
  if (/^(string|integer|number|boolean)\b/.test(type)) return type.replace(/^(\w+)/, "$1s");
  return type;
}

/** True when the default is what parsing an empty object gives: "each field's default" says it better. */
function isEachFieldsDefault(s: ZodLike, value: unknown): boolean {
  if (s._zod.def.type !== "object" || !s.safeParse) return false;
  const empty = s.safeParse({});
  return empty.success && JSON.stringify(empty.data) === JSON.stringify(value);
}
