/**
 * Synthesized JSON strings such as ECS container definitions embed Terraform interpolations (`${...}`), which may
 * contain double quotes (`lookup(x, "key")`), so the string is valid for Terraform but not for JSON.parse. This
 * parses such a string, keeping each interpolation verbatim as a string value.
 */
export function parseJsonWithInterpolations(text: string): unknown {
  const expressions: string[] = [];
  let masked = "";
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "$" && text[i + 1] === "{") {
      const end = interpolationEnd(text, i + 2);
      expressions.push(text.slice(i, end + 1));
      masked += `\uE000${expressions.length - 1}\uE000`;
      i = end;
    } else {
      masked += text[i];
    }
  }
  const restore = (value: unknown): unknown => {
    if (typeof value === "string") return value.replace(/\uE000(\d+)\uE000/g, (_, n) => expressions[Number(n)]);
    if (Array.isArray(value)) return value.map(restore);
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restore(v)]));
    }
    return value;
  };
  return restore(JSON.parse(masked.replace(/\uE000(\d+)\uE000/g, "\\uE000$1\\uE000")));
}

/** Index of the `}` closing an interpolation whose body starts at `start`, skipping nested braces and quoted strings. */
function interpolationEnd(text: string, start: number): number {
  let depth = 1;
  let quoted = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  throw new Error(`unterminated interpolation at ${start - 2}`);
}
