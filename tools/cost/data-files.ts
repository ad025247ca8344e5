import * as fs from "fs";
import * as path from "path";
import { z } from "zod";

// Each data file is parsed once: compiling zod's fast paths would cost more than it saves (as in schema/).
z.config({ jitless: true });

/**
 * The cost tool's data (price files, usage profiles) lives as JSON under tools/cost/ in the repository, read at run
 * time so that refreshing a price or adding a region is an edit of a data file, not of code. The same directory is
 * found from the TypeScript sources (tests) and from dist/ (npm run cost).
 */
export function costDataDir(...parts: string[]): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the project root above ${__dirname}`);
    dir = parent;
  }
  return path.join(dir, "tools", "cost", ...parts);
}

/** Path relative to the working directory, for messages. */
export function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") ? file : relative;
}

/** Reads and validates a JSON data file; every problem becomes one line naming the file, the field and the fix. */
export function readDataFile<T>(file: string, schema: z.ZodType<T>, fix: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${shown(file)}: ${(error as Error).message}. Fix: ${fix}`);
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const at = issue.path.length > 0 ? issue.path.map(String).join(".") : "(file)";
    return `${shown(file)}: ${at}: ${issue.message}`;
  });
  throw new Error(`${lines.join("\n")}\nFix: ${fix}`);
}
