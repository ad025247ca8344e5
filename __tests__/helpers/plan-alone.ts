import type { SynthesizedStack, TerraformJson } from "../../tools/terraform/cdktf-out";
import { OFFLINE_AWS_ENV, terraform, terraformEnv } from "../../tools/terraform/environment";
import { prepareOfflineWorkdir } from "../../tools/terraform/offline";

/** Plans one prepared stack directory alone, the way a user would: init, plan -out, show -json. */
export async function planAlone(stack: SynthesizedStack, all: readonly SynthesizedStack[], dir: string) {
  prepareOfflineWorkdir(stack, all, dir);
  const env = terraformEnv(OFFLINE_AWS_ENV);
  for (const args of [
    ["init", "-input=false", "-no-color"],
    ["plan", "-input=false", "-no-color", "-lock=false", "-out=alone.tfplan"],
  ]) {
    const r = await terraform(args, dir, env);
    if (r.code !== 0) throw new Error(`${stack.id} ${args[0]}: ${r.stdout}${r.stderr}`);
  }
  return JSON.parse((await terraform(["show", "-json", "alone.tfplan"], dir, env)).stdout) as TerraformJson;
}

/**
 * The parts of a plan that say what would happen, for comparing a batch plan with a plan of the stack alone (the
 * seeded upstream states' paths, which name the working directory, made alike).
 */
export const planSubstance = (plan: TerraformJson, workdir: string) =>
  JSON.parse(
    JSON.stringify({
      resource_changes: plan.resource_changes,
      output_changes: plan.output_changes,
      planned_values: plan.planned_values,
      resources: plan.configuration.root_module.resources,
      providers: plan.configuration.provider_config,
    }).replaceAll(workdir, "<workdir>"),
  );
