import * as fs from "fs";
import * as path from "path";
import { JSON_FILE, readManifest, type SynthesizedStack, type TerraformJson } from "./cdktf-out";

/**
 * Reading a synthesized app in either of cdktf's forms: Terraform JSON (cdk.tf.json, the default) or HCL (cdk.tf,
 * written when SYNTH_HCL_OUTPUT=true). The tools need a few facts of each stack (providers, outputs, variables,
 * remote state, backend) as JSON; for the HCL form they come from cdktf's own HCL-to-JSON converter
 * (@cdktf/hcl2json), reshaped to the JSON syntax's layout. The file Terraform runs is always the synthesized one.
 */

/** A stack whose configuration file could not be read: what went wrong, for the stack's own report. */
export interface UnreadableStack {
  readonly id: string;
  readonly error: string;
}

export interface ReadStacks {
  readonly stacks: SynthesizedStack[];
  /** HCL files the converter refused (Terraform will say the same, with a line number, when it loads them). */
  readonly unreadable: UnreadableStack[];
}

/** Every stack of a cdktf.out directory, JSON or HCL form. A stack that cannot be read gets empty facts. */
export async function readStacks(outdir: string): Promise<ReadStacks> {
  const stacks: SynthesizedStack[] = [];
  const unreadable: UnreadableStack[] = [];
  for (const s of readManifest(outdir)) {
    const file = path.basename(s.path);
    const text = fs.readFileSync(s.path, "utf8");
    let json: TerraformJson = {};
    try {
      json = file === JSON_FILE ? JSON.parse(text) : hclAsTerraformJson(await hclToJson(s.path, text));
    } catch (e) {
      unreadable.push({ id: s.id, error: (e as Error).message });
    }
    stacks.push({ id: s.id, dir: path.dirname(s.path), file, json, dependencies: s.dependencies });
  }
  return { stacks, unreadable };
}

type Hcl2Json = { parse(filename: string, contents: string): Promise<TerraformJson> };
let converter: Hcl2Json | undefined;

/** cdktf's converter (a WebAssembly build of HashiCorp's HCL parser), loaded only when an HCL file is read. */
export function hclToJson(file: string, text: string): Promise<TerraformJson> {
  // Its type declarations pull in the DOM library; the one function used here is typed above.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  converter ??= require("@cdktf/hcl2json") as Hcl2Json;
  return converter.parse(file, text);
}

/**
 * The converter writes every block as a list (`output.name` is `[{...}]`, `terraform` is `[{...}]`); the JSON
 * syntax cdktf writes has one object per label. Labelled blocks and the single `terraform`/`locals` blocks are
 * unwrapped; `provider` stays a list, as cdktf writes it; nested blocks inside bodies stay lists, as cdktf writes them.
 */
export function hclAsTerraformJson(hcl: TerraformJson): TerraformJson {
  const merged = (blocks: unknown): TerraformJson =>
    Object.assign({}, ...([] as TerraformJson[]).concat((blocks as TerraformJson[]) ?? []));
  const byLabel = (labelled: TerraformJson | undefined): TerraformJson =>
    Object.fromEntries(Object.entries(labelled ?? {}).map(([name, blocks]) => [name, merged(blocks)]));
  const out: TerraformJson = { ...hcl };
  for (const key of ["output", "variable", "module"]) if (hcl[key]) out[key] = byLabel(hcl[key]);
  for (const key of ["resource", "data"]) {
    if (hcl[key]) {
      out[key] = Object.fromEntries(Object.entries<TerraformJson>(hcl[key]).map(([type, b]) => [type, byLabel(b)]));
    }
  }
  if (hcl.locals) out.locals = merged(hcl.locals);
  if (hcl.terraform) {
    const terraform = merged(hcl.terraform);
    if (terraform.backend) terraform.backend = byLabel(terraform.backend);
    if (terraform.required_providers) terraform.required_providers = merged(terraform.required_providers);
    out.terraform = terraform;
  }
  return out;
}
