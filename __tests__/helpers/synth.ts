import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { synthesize, type SynthOptions } from "../../app/synth";
import { parseStructuredValue } from "../../tools/terraform/jsonencode";
import { readSynthesizedStacks, type SynthesizedStack, type TerraformJson } from "../../tools/terraform/cdktf-out";

/** Synthesizes into a fresh temp dir (the real code path, atomic swap included) and reads the result back. */
export function synthToTemp(options: Omit<SynthOptions, "outdir"> = {}): {
  outdir: string;
  stacks: SynthesizedStack[];
} {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fbp-synth-")), "cdktf.out");
  synthesize({ ...options, outdir });
  return { outdir, stacks: readSynthesizedStacks(outdir) };
}

export function stackById(stacks: readonly SynthesizedStack[], id: string): TerraformJson {
  const stack = stacks.find((s) => s.id === id);
  if (!stack) throw new Error(`no stack ${id}; have ${stacks.map((s) => s.id).join(", ")}`);
  return stack.json;
}

/** Bodies of every resource of a type in a stack. */
export function resourcesOf(json: TerraformJson, type: string): TerraformJson[] {
  return Object.values(json.resource?.[type] ?? {});
}

export function dataOf(json: TerraformJson, type: string): TerraformJson[] {
  return Object.values(json.data?.[type] ?? {});
}

/** The single resource of a type, failing the test when there are none or several. */
export function onlyResource(json: TerraformJson, type: string): TerraformJson {
  const all = resourcesOf(json, type);
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

/** Container definitions of a task definition, parsed from the JSON string ECS takes. */
export function containers(taskDefinition: TerraformJson): TerraformJson[] {
  return parseStructuredValue(taskDefinition.container_definitions) as TerraformJson[];
}
