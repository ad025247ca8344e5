import { parseJsonWithInterpolations } from "./interpolation";

/**
 * Structured values in the synthesized stacks (container definitions, lifecycle and key policies) are written as
 * `${jsonencode(<value>)}`, where cdktf renders <value> as an HCL literal: `{"name" = "app", "port" = 80, "env" =
 * [{...}], "image" = "${var.x}:1"}`. This reads such a literal back into plain data, keeping every interpolation
 * (`${...}`) verbatim in its string, so that checks and tests can look inside without Terraform. Plain JSON strings
 * (older stacks, hand-written fixtures) are read as JSON.
 */
export function parseStructuredValue(text: string): unknown {
  const match = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(text.trim());
  if (!match) return parseJsonWithInterpolations(text);
  const reader = new LiteralReader(match[1]);
  const value = reader.value();
  reader.end();
  return value;
}

class LiteralReader {
  private i = 0;
  constructor(private readonly text: string) {}

  value(): unknown {
    this.space();
    const c = this.text[this.i];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return this.string();
    const bare = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.i));
    if (!bare) return this.expression();
    this.i += bare[0].length;
    return JSON.parse(bare[0]);
  }

  end(): void {
    this.space();
    if (this.i !== this.text.length) this.fail("unexpected text after the value");
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++;
    for (;;) {
      this.space();
      if (this.text[this.i] === "}") return (this.i++, out);
      const key = this.text[this.i] === '"' ? this.string() : this.identifier();
      this.space();
      if (this.text[this.i] !== "=" && this.text[this.i] !== ":") this.fail("expected = after an object key");
      this.i++;
      out[key] = this.value();
      this.separator("}");
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.i++;
    for (;;) {
      this.space();
      if (this.text[this.i] === "]") return (this.i++, out);
      out.push(this.value());
      this.separator("]");
    }
  }

  /** A quoted string; `${...}` inside it is copied verbatim, quotes and braces of the expression included. */
  private string(): string {
    let out = "";
    this.i++;
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (c === '"') return (this.i++, out);
      if (c === "\\") {
        const next = this.text[this.i + 1];
        out += next === "n" ? "\n" : next === "t" ? "\t" : next === "r" ? "\r" : next;
        this.i += 2;
      } else if (c === "$" && this.text[this.i + 1] === "{") {
        const end = expressionEnd(this.text, this.i + 2);
        out += this.text.slice(this.i, end + 1);
        this.i = end + 1;
      } else {
        out += c;
        this.i++;
      }
    }
    return this.fail("unterminated string");
  }

  /** An unquoted expression (a reference or function call): kept as `${...}`. */
  private expression(): string {
    const start = this.i;
    let depth = 0;
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (c === '"') {
        this.string();
        continue;
      }
      if ("([{".includes(c)) depth++;
      else if (")]}".includes(c)) {
        if (depth === 0) break;
        depth--;
      } else if (c === "," && depth === 0) break;
      this.i++;
    }
    const expression = this.text.slice(start, this.i).trim();
    if (expression === "") this.fail("expected a value");
    return `\${${expression}}`;
  }

  private identifier(): string {
    const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.text.slice(this.i));
    if (!match) return this.fail("expected an object key");
    this.i += match[0].length;
    return match[0];
  }

  private separator(close: string): void {
    this.space();
    if (this.text[this.i] === ",") this.i++;
    else if (this.text[this.i] !== close) this.fail(`expected , or ${close}`);
  }

  private space(): void {
    while (/\s/.test(this.text[this.i] ?? "")) this.i++;
  }

  private fail(message: string): never {
    throw new Error(`jsonencode literal: ${message} at ${this.i}: ${this.text.slice(this.i, this.i + 40)}`);
  }
}

/** Index of the `}` that closes an interpolation whose body starts at `start`, skipping quoted strings inside it. */
function expressionEnd(text: string, start: number): number {
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  throw new Error(`jsonencode literal: unterminated interpolation at ${start - 2}`);
}
