import * as fs from "fs";
import * as path from "path";

/** What the tools know of a synthesized app: read from cdktf.out/, never by synthesizing again. */
export interface SynthesizedStack {
  readonly id: string;
  /** Directory holding cdk.tf.json. */
  readonly dir: string;
  /** Parsed cdk.tf.json. */
  readonly json: TerraformJson;
  /** Stacks this one reads from (cdktf's dependencies). */
  readonly dependencies: readonly string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TerraformJson = Record<string, any>;

export function readSynthesizedStacks(outdir: string): SynthesizedStack[] {
  const manifestFile = path.join(outdir, "manifest.json");
  if (!fs.existsSync(manifestFile)) throw new Error(`${manifestFile} not found. Fix: run npm run synth first`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
  return Object.values(
    manifest.stacks as Record<string, { name: string; synthesizedStackPath: string; dependencies: string[] }>,
  ).map((s) => {
    const file = path.join(outdir, s.synthesizedStackPath);
    return {
      id: s.name,
      dir: path.dirname(file),
      json: JSON.parse(fs.readFileSync(file, "utf8")),
      dependencies: s.dependencies ?? [],
    };
  });
}

/** Stacks ordered so that every stack follows the stacks it depends on (ties keep manifest order). */
export function dependencyOrder<T extends { id: string; dependencies: readonly string[] }>(stacks: readonly T[]): T[] {
  const byId = new Map(stacks.map((s) => [s.id, s]));
  const done = new Set<string>();
  const out: T[] = [];
  const visit = (s: T, trail: string[]) => {
    if (done.has(s.id)) return;
    if (trail.includes(s.id)) throw new Error(`stack dependency cycle: ${[...trail, s.id].join(" -> ")}`);
    for (const dep of s.dependencies) {
      const d = byId.get(dep);
      if (d) visit(d, [...trail, s.id]);
    }
    done.add(s.id);
    out.push(s);
  };
  stacks.forEach((s) => visit(s, []));
  return out;
}

/** Glob-like selection by stack id: "library-app-*", "*-network", exact ids. No patterns selects all. */
export function selectStacks<T extends { id: string }>(stacks: readonly T[], patterns: readonly string[]): T[] {
  if (patterns.length === 0) return [...stacks];
  const regexes = patterns.map((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`));
  const chosen = stacks.filter((s) => regexes.some((r) => r.test(s.id)));
  if (chosen.length === 0) throw new Error(`no stack matches ${patterns.join(" ")}`);
  return chosen;
}
