import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { synthesize, synthOptionsFromEnv } from "../../app/synth";
import { terraform, terraformEnv } from "../terraform/environment";

/** The file a stack's HCL goes to in a bundle (the JSON form keeps cdk.tf.json). */
export const STACK_HCL = "main.tf";

/**
 * The HCL form of stacks, for a bundle in HCL: the app synthesized once more in HCL (the same synthesis path as
 * `cdktf synth --hcl`), with no handover guard (a bundle never carries one), formatted by `terraform fmt` as a
 * Terraform-only team would keep it. Returns each requested stack's text; a stack the HCL synthesis lacks is an error.
 */
export async function hclForms(stackIds: readonly string[]): Promise<Map<string, string>> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-hcl-"));
  try {
    const outdir = path.join(scratch, "cdktf.out");
    synthesize({ ...synthOptionsFromEnv(), outdir, hcl: true, handedOff: [] });
    const stacks = path.join(outdir, "stacks");
    const fmt = await terraform(["fmt", "-recursive", "-no-color", stacks], scratch, terraformEnv());
    if (fmt.code !== 0) throw new Error(`terraform fmt failed on the HCL form:\n${fmt.stdout}${fmt.stderr}`);
    return new Map(
      stackIds.map((id) => {
        const file = path.join(stacks, id, "cdk.tf");
        if (!fs.existsSync(file)) throw new Error(`the HCL synthesis has no stack ${id}: run the JSON synthesis again`);
        return [id, fs.readFileSync(file, "utf8")];
      }),
    );
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
