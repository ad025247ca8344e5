import type { TerraformJson } from "../../tools/terraform/cdktf-out";

/**
 * The parts of a plan that say what would happen, for comparing a batched plan of a stack with a plan of the stack
 * alone (checkStackOffline); the seeded upstream states' paths, which name the working directory, made alike.
 */
export const planSubstance = (plan: TerraformJson, workdir: string) =>
  JSON.parse(
    JSON.stringify({
      resource_changes: plan.resource_changes,
      output_changes: plan.output_changes,
      planned_values: plan.planned_values,
      variables: plan.variables,
      resources: plan.configuration.root_module.resources,
      providers: plan.configuration.provider_config,
    }).replaceAll(workdir, "<workdir>"),
  );
