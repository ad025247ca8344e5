import * as fs from "fs";
import * as path from "path";

/** What the tools know of a synthesized app: read from cdktf.out/, never by synthesizing again. */
export interface SynthesizedStack {
  readonly id: string;
  /** Directory holding the stack's configuration file. */
  readonly dir: string;
  /** The configuration file in `dir`: cdk.tf.json, or cdk.tf when synthesized as HCL. Default cdk.tf.json. */
  readonly file?: string;
  /** The configuration as Terraform JSON (for the HCL form, converted: see readStacks in stack-files.ts). */
  readonly json: TerraformJson;
  /** Stacks this one reads from (cdktf's dependencies). */
  readonly dependencies: readonly string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TerraformJson = Record<string, any>;

export const JSON_FILE = "cdk.tf.json";

/**
 * A stack's aws provider configurations, in the order it declares them: cdktf writes a list, hand-written JSON may
 * hold one object.
 */
export function awsProviderBlocks(json: TerraformJson): TerraformJson[] {
  return ([] as TerraformJson[]).concat(json.provider?.aws ?? []);
}

/** The stack's configuration file name (cdk.tf.json unless it says otherwise). */
export function stackFile(stack: Pick<SynthesizedStack, "file">): string {
  return stack.file ?? JSON_FILE;
}

export interface ManifestStack {
  readonly id: string;
  /** Absolute path of the synthesized configuration file (cdk.tf.json, or cdk.tf for the HCL form). */
  readonly path: string;
  readonly dependencies: readonly string[];
}

/** The stacks cdktf's manifest.json lists, without reading their configuration. */
export function readManifest(outdir: string): ManifestStack[] {
  const manifestFile = path.join(outdir, "manifest.json");
  if (!fs.existsSync(manifestFile)) throw new Error(`${manifestFile} not found. Fix: run npm run synth first`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
  return Object.values(
    manifest.stacks as Record<string, { name: string; synthesizedStackPath: string; dependencies: string[] }>,
  ).map((s) => ({
    id: s.name,
    path: path.join(outdir, s.synthesizedStackPath),
    dependencies: s.dependencies ?? [],
  }));
}

/** The synthesized stacks of a JSON synthesis (for either form, see readStacks in stack-files.ts). */
export function readSynthesizedStacks(outdir: string): SynthesizedStack[] {
  return readManifest(outdir).map((s) => {
    if (path.basename(s.path) !== JSON_FILE) {
      throw new Error(`${s.path} is not ${JSON_FILE} (an HCL synthesis?). Fix: read it with readStacks`);
    }
    return {
      id: s.id,
      dir: path.dirname(s.path),
      json: JSON.parse(fs.readFileSync(s.path, "utf8")),
      dependencies: s.dependencies,
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

/**
 * Glob-like selection by stack id: "library-app-*", "*-network", exact ids. No patterns selects all. Selecting
 * nothing is an error unless `allowNone`.
 */
export function selectStacks<T extends { id: string }>(
  stacks: readonly T[],
  patterns: readonly string[],
  options: { allowNone?: boolean } = {},
): T[] {
  if (patterns.length === 0) return [...stacks];
  const regexes = patterns.map((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`));
  const chosen = stacks.filter((s) => regexes.some((r) => r.test(s.id)));
  if (chosen.length === 0 && !options.allowNone) throw new Error(`no stack matches ${patterns.join(" ")}`);
  return chosen;
}
