import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TerraformStack, type App } from "cdktf";
import { loadBackendConfig } from "../../app/backend-config";
import { addStacks } from "../../app/build";
import { selectDeployments, synthesizeApp } from "../../app/synth";
import type { Deployment } from "../../schema/resolve";
import { BlueprintStack, type OutputKind } from "../../stacks/blueprint-stack";
import { ACCOUNT_BASELINE_LAYER, AccountBaselineStack } from "../../stacks/account-baseline-stack";
import { dependencyOrder, readSynthesizedStacks } from "../terraform/cdktf-out";

/** One output block of a synthesized stack. */
export interface StackOutput {
  readonly name: string;
  readonly description: string;
  readonly kind: OutputKind;
  readonly sensitive: boolean;
}

/** One synthesized stack: where it belongs and what it publishes. */
export interface StackFacts {
  readonly id: string;
  /** network, compute, ... or state-backend. */
  readonly layer: string;
  /** The deployment (`<app>-<env>`) the stack belongs to; none for state-backend and account baselines. */
  readonly deployment?: Deployment;
  /** An account baseline's account: the deployments in it. */
  readonly accountDeployments?: readonly Deployment[];
  /** Name of the stack's class, whose doc comment says what the layer is for. */
  readonly className: string;
  readonly outputs: readonly StackOutput[];
}

/** What the docs need from one synthesis of every blueprint. */
export interface SynthesizedFacts {
  readonly deployments: readonly Deployment[];
  /** Every stack in apply order (dependencies first; otherwise in the order the app creates them). */
  readonly stacks: readonly StackFacts[];
  /** Layers in the order the app builds them (a layer some deployments lack keeps its place). */
  readonly layers: readonly string[];
}

/**
 * Synthesizes every blueprint once, through the real code path (validation, `addStacks`, the atomic write into a
 * temporary cdktf.out), and reads back each stack's `output` blocks. Kinds come from the stacks' own record of what
 * they published (`BlueprintStack.published`); a stack outside that contract (state-backend) gets the kind its value
 * has in the JSON.
 */
export function synthesizeFacts(root: string): SynthesizedFacts {
  const backend = loadBackendConfig(path.join(root, "backend.tf.json"));
  const deployments = selectDeployments({});
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-docs-"));
  try {
    let built: App | undefined;
    const { outdir } = synthesizeApp(path.join(tmp, "cdktf.out"), (app) => {
      addStacks(app, deployments, backend);
      built = app;
    });
    const created = (built?.node.children ?? []).filter((c): c is TerraformStack => c instanceof TerraformStack);
    const synthesized = new Map(readSynthesizedStacks(outdir).map((s) => [s.id, s]));
    const facts = created.map((stack) => {
      const id = stack.node.id;
      const json = synthesized.get(id)?.json ?? {};
      const deployment = deployments.find((d) => id.startsWith(`${d.prefix}-`));
      const published = stack instanceof BlueprintStack ? stack.published : undefined;
      const outputs = Object.entries((json.output ?? {}) as Record<string, OutputBlock>).map(([name, block]) => ({
        name,
        description: block.description ?? "",
        kind: published?.get(name) ?? kindOfValue(block.value),
        sensitive: block.sensitive === true,
      }));
      const baseline = stack instanceof AccountBaselineStack ? stack.baseline : undefined;
      return {
        id,
        layer: deployment ? id.slice(deployment.prefix.length + 1) : baseline ? ACCOUNT_BASELINE_LAYER : id,
        deployment,
        accountDeployments: baseline?.account.deployments,
        className: stack.constructor.name,
        outputs: outputs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
        dependencies: synthesized.get(id)?.dependencies ?? [],
      };
    });
    return { deployments, stacks: dependencyOrder(facts), layers: layerOrder(facts) };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

interface OutputBlock {
  readonly value?: unknown;
  readonly description?: string;
  readonly sensitive?: boolean;
}

function kindOfValue(value: unknown): OutputKind {
  if (Array.isArray(value)) return "list";
  if (value !== null && typeof value === "object") return "map";
  return "string";
}

/**
 * Layers ordered so that a layer comes after every layer created before it in some deployment (the app creates each
 * deployment's stacks in apply order, after state-backend).
 */
function layerOrder(stacks: readonly { layer: string; deployment?: Deployment }[]): string[] {
  const before = new Map<string, Set<string>>();
  const sequences = new Map<string, string[]>();
  const shared = stacks.filter((s) => !s.deployment).map((s) => s.layer);
  for (const s of stacks) {
    before.set(s.layer, before.get(s.layer) ?? new Set());
    if (!s.deployment) continue;
    const seq = sequences.get(s.deployment.prefix) ?? [...shared];
    seq.forEach((earlier) => before.get(s.layer)?.add(earlier));
    seq.push(s.layer);
    sequences.set(s.deployment.prefix, seq);
  }
  const out: string[] = [];
  const visiting = new Set<string>();
  const visit = (layer: string) => {
    if (out.includes(layer)) return;
    if (visiting.has(layer)) throw new Error(`layers are created in contradicting orders around ${layer}`);
    visiting.add(layer);
    [...(before.get(layer) ?? [])].filter((l) => l !== layer).forEach(visit);
    out.push(layer);
  };
  [...before.keys()].forEach(visit);
  return out;
}
