/**
 * The top-level blocks of a Terraform HCL file, found by a scanner that knows just enough of HCL's native syntax to
 * skip over everything else: quoted templates (with `${ }` / `%{ }` interpolations, which may hold strings of their
 * own, and `$${` escapes), heredocs, comments and bracket nesting. It does not parse expressions; callers that cut
 * blocks out check the result with HashiCorp's own parser (stack-files.ts readStacks).
 */

export interface TopLevelBlock {
  /** The block type (`provider`, `resource`, ...). */
  readonly type: string;
  /** Its labels, unquoted (`["aws"]`). */
  readonly labels: readonly string[];
  /** Offset of the block's first character (its type) and one past its closing brace. */
  readonly start: number;
  readonly end: number;
}

/** Every top-level block of `text`, in order; top-level attributes are skipped. */
export function topLevelBlocks(text: string): TopLevelBlock[] {
  const blocks: TopLevelBlock[] = [];
  let i = 0;
  while (i < text.length) {
    i = skipSpaceAndComments(text, i, true);
    if (i >= text.length) break;
    const start = i;
    const type = identifierAt(text, i);
    if (!type) throw new Error(`unexpected ${JSON.stringify(text[i])} at offset ${i}: not a block or attribute`);
    i += type.length;
    const labels: string[] = [];
    for (;;) {
      i = skipSpaceAndComments(text, i, false);
      if (text[i] === '"') {
        const end = skipQuoted(text, i);
        labels.push(JSON.parse(text.slice(i, end)));
        i = end;
      } else if (identifierAt(text, i)) {
        const label = identifierAt(text, i)!;
        labels.push(label);
        i += label.length;
      } else break;
    }
    if (text[i] === "{") {
      i = skipBracketed(text, i);
      blocks.push({ type, labels, start, end: i });
    } else if (text[i] === "=" && labels.length === 0) {
      i = skipExpression(text, i + 1);
    } else {
      throw new Error(`unexpected ${JSON.stringify(text[i])} at offset ${i} after ${type}`);
    }
  }
  return blocks;
}

/** `text` without its top-level blocks of `type` (each with the line break that ends it). */
export function withoutBlocks(text: string, type: string): string {
  let out = "";
  let from = 0;
  for (const b of topLevelBlocks(text).filter((block) => block.type === type)) {
    out += text.slice(from, b.start);
    from = text[b.end] === "\n" ? b.end + 1 : b.end;
  }
  return out + text.slice(from);
}

const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;

function identifierAt(text: string, i: number): string | undefined {
  IDENT.lastIndex = i;
  return IDENT.exec(text)?.[0];
}

/** Past whitespace and comments; newlines too only when `newlines` (inside a block header they end nothing). */
function skipSpaceAndComments(text: string, i: number, newlines: boolean): number {
  for (;;) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\r" || (newlines && c === "\n")) i++;
    else if (c === "#" || (c === "/" && text[i + 1] === "/")) i = lineEnd(text, i);
    else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
    } else return i;
  }
}

function lineEnd(text: string, i: number): number {
  const end = text.indexOf("\n", i);
  return end < 0 ? text.length : end;
}

/** Past an attribute's expression: to the end of its line, once every bracket it opened is closed. */
function skipExpression(text: string, i: number): number {
  while (i < text.length && text[i] !== "\n") i = skipToken(text, i);
  return i;
}

/** Past one token of an expression, a bracketed group as one token. */
function skipToken(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return skipQuoted(text, i);
  if (c === "{" || c === "[" || c === "(") return skipBracketed(text, i);
  if (c === "<" && text[i + 1] === "<" && /^<<-?[A-Za-z_]/.test(text.slice(i, i + 4))) return skipHeredoc(text, i);
  if (c === "#" || (c === "/" && (text[i + 1] === "/" || text[i + 1] === "*"))) {
    return skipSpaceAndComments(text, i, false);
  }
  if (c === "}" || c === "]" || c === ")") throw new Error(`unbalanced ${JSON.stringify(c)} at offset ${i}`);
  return i + 1;
}

const CLOSING: Record<string, string> = { "{": "}", "[": "]", "(": ")" };

/** Past a bracketed group that opens at `i`, newlines, strings, heredocs and comments inside it included. */
function skipBracketed(text: string, i: number): number {
  const close = CLOSING[text[i]];
  i++;
  while (i < text.length) {
    if (text[i] === close) return i + 1;
    if (text[i] === "\n") i++;
    else i = skipToken(text, i);
  }
  throw new Error(`no closing ${JSON.stringify(close)} before the end of the file`);
}

/** Past a quoted template that opens at `i`. */
function skipQuoted(text: string, i: number): number {
  i++;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\") i += 2;
    else if (c === '"') return i + 1;
    else if ((c === "$" || c === "%") && text[i + 1] === c && text[i + 2] === "{") i += 3;
    else if ((c === "$" || c === "%") && text[i + 1] === "{") i = skipBracketed(text, i + 1);
    else if (c === "\n") throw new Error(`quoted string at offset ${i} runs past the end of its line`);
    else i++;
  }
  throw new Error("quoted string runs past the end of the file");
}

/** Past a heredoc that opens at `i`: to the end of the line that holds only its delimiter. */
function skipHeredoc(text: string, i: number): number {
  const header = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)[^\n]*\n/.exec(text.slice(i));
  if (!header) throw new Error(`heredoc at offset ${i} has no delimiter line`);
  let at = i + header[0].length;
  while (at < text.length) {
    const end = lineEnd(text, at);
    if (text.slice(at, end).trim() === header[1]) return end;
    at = end + 1;
  }
  throw new Error(`heredoc ${header[1]} at offset ${i} never ends`);
}
