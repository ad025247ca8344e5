import { dependencyOrder, type SynthesizedStack, type TerraformJson } from "../terraform/cdktf-out";
import { referencedAddresses } from "../terraform/references";

/**
 * Which stacks a change touches, from two syntheses (the base's and the working tree's), stack by stack:
 * - changed: the synthesized configuration differs (cdktf's `//` metadata aside: it records construct paths, which
 *   Terraform never sees);
 * - added / removed: a stack only the working tree / only the base synthesizes;
 * - downstream: the configuration is the same, but it reads an upstream output whose value may change: an output
 *   whose expression changed, or that depends (through resources, data sources and locals of its stack) on
 *   something that changed, or on an upstream output that may change in turn;
 * - unchanged: all the others, which a plan would only confirm.
 */
export interface StackChanges {
  readonly changed: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Stack id → the upstream stacks whose outputs it reads and which may change. */
  readonly downstream: ReadonlyMap<string, readonly string[]>;
  readonly unchanged: readonly string[];
}

export function stackChanges(base: readonly SynthesizedStack[], head: readonly SynthesizedStack[]): StackChanges {
  const before = new Map(base.map((s) => [s.id, s]));
  const after = new Set(head.map((s) => s.id));
  const changed: string[] = [];
  const added: string[] = [];
  /** Per stack, the outputs whose value may change (all of them for a new stack). */
  const moving = new Map<string, Set<string>>();
  const downstream = new Map<string, string[]>();
  const unchanged: string[] = [];
  for (const stack of dependencyOrder(head)) {
    const old = before.get(stack.id);
    const outputs = Object.keys(stack.json.output ?? {});
    if (!old) {
      added.push(stack.id);
      moving.set(stack.id, new Set(outputs));
      continue;
    }
    const seeds = changedNodes(old.json, stack.json);
    const upstreams: string[] = [];
    for (const [node, reads] of remoteReads(stack, head)) {
      const hit = reads.filter((r) => {
        const outputs = moving.get(r.stack);
        return r.output === undefined ? (outputs?.size ?? 0) > 0 : outputs?.has(r.output);
      });
      if (hit.length > 0) {
        seeds.add(node);
        upstreams.push(...hit.map((r) => r.stack));
      }
    }
    if (seeds.size > 0) moving.set(stack.id, outputsReached(stack.json, seeds));
    if (!sameConfiguration(old.json, stack.json)) changed.push(stack.id);
    else if (upstreams.length > 0) downstream.set(stack.id, [...new Set(upstreams)].sort());
    else unchanged.push(stack.id);
  }
  const removed = base.filter((s) => !after.has(s.id)).map((s) => s.id);
  return { changed, added, removed, downstream, unchanged };
}

/** Equal configurations, Terraform's view: cdktf's `//` metadata left out, key order ignored. */
export function sameConfiguration(a: TerraformJson, b: TerraformJson): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([k]) => k !== "//")
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** A stand-in node meaning "the whole stack" (a provider, backend or other stack-wide setting changed). */
const EVERYTHING = "*";

/** The stack's nodes, by the address expressions use: resources, data sources, locals, variables, outputs. */
function nodes(json: TerraformJson): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [type, blocks] of Object.entries<TerraformJson>(json.resource ?? {}))
    for (const [name, body] of Object.entries(blocks)) out.set(`${type}.${name}`, body);
  for (const [type, blocks] of Object.entries<TerraformJson>(json.data ?? {}))
    for (const [name, body] of Object.entries(blocks)) out.set(`data.${type}.${name}`, body);
  for (const [name, body] of Object.entries(json.locals ?? {})) out.set(`local.${name}`, body);
  for (const [name, body] of Object.entries(json.variable ?? {})) out.set(`var.${name}`, body);
  for (const [name, body] of Object.entries(json.output ?? {})) out.set(`output.${name}`, body);
  return out;
}

const PER_NODE = new Set(["resource", "data", "locals", "variable", "output", "//"]);

/** Nodes whose body differs between the two configurations; EVERYTHING when a stack-wide section differs. */
function changedNodes(before: TerraformJson, after: TerraformJson): Set<string> {
  const seeds = new Set<string>();
  const sections = new Set([...Object.keys(before), ...Object.keys(after)].filter((k) => !PER_NODE.has(k)));
  for (const section of sections)
    if (canonical(before[section] ?? null) !== canonical(after[section] ?? null)) seeds.add(EVERYTHING);
  const a = nodes(before);
  const b = nodes(after);
  for (const address of new Set([...a.keys(), ...b.keys()]))
    if (canonical(a.get(address) ?? null) !== canonical(b.get(address) ?? null)) seeds.add(address);
  return seeds;
}

/** The outputs whose value depends, directly or through other nodes, on one of the seeds. */
function outputsReached(json: TerraformJson, seeds: ReadonlySet<string>): Set<string> {
  const all = nodes(json);
  const outputs = [...all.keys()].filter((a) => a.startsWith("output.")).map((a) => a.slice("output.".length));
  if (seeds.has(EVERYTHING)) return new Set(outputs);
  const refs = new Map([...all].map(([address, body]) => [address, referencesOf(body)]));
  const reached = new Set(seeds);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [address, uses] of refs) {
      if (!reached.has(address) && uses.some((u) => reached.has(u))) {
        reached.add(address);
        grew = true;
      }
    }
  }
  return new Set(outputs.filter((o) => reached.has(`output.${o}`)));
}

function referencesOf(body: unknown): string[] {
  return referencedAddresses({ output: { x: body } }).map((r) => r.address);
}

interface RemoteRead {
  readonly stack: string;
  /** The output read, or undefined when the expression takes the whole `outputs` object. */
  readonly output?: string;
}

/** For each node of the stack, the upstream outputs it reads through terraform_remote_state. */
function remoteReads(stack: SynthesizedStack, all: readonly SynthesizedStack[]): Map<string, RemoteRead[]> {
  const sources = new Map<string, string>();
  for (const [name, block] of Object.entries<TerraformJson>(stack.json.data?.terraform_remote_state ?? {})) {
    const upstream = all.find((s) => block.config?.key === `${s.id}/terraform.tfstate`);
    if (upstream) sources.set(name, upstream.id);
  }
  const reads = new Map<string, RemoteRead[]>();
  if (sources.size === 0) return reads;
  const pattern = /data\.terraform_remote_state\.([\w-]+)\.outputs(?:\.([\w-]+)|\[\s*"([^"]+)"\s*\])?/g;
  for (const [address, body] of nodes(stack.json)) {
    const found: RemoteRead[] = [];
    for (const text of strings(body))
      for (const m of text.matchAll(pattern)) {
        const upstream = sources.get(m[1]);
        if (upstream) found.push({ stack: upstream, output: m[2] ?? m[3] });
      }
    if (found.length > 0) reads.set(address, found);
  }
  return reads;
}

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}
