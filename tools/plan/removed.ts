import * as fs from "fs";
import * as path from "path";
import type { SynthesizedStack, TerraformJson } from "../terraform/cdktf-out";
import { prepareOfflineWorkdir } from "../terraform/offline";
import { planStacksOffline } from "../terraform/plan-offline";
import { stateFile } from "../terraform/state-file";
import { planIn, planStack, type PlanOptions } from "./run";
import { failedStack, toDiagnostic, type StackSummary } from "./summary";

/**
 * A stack the change removes: nothing runs Terraform for it any more, and everything its state holds would be left
 * running, unmanaged, or has to be destroyed. Its plan is the destroy of the base's version:
 * - against the backend, `terraform plan -destroy` of the base configuration against the stack's real state;
 * - offline, where there is no state, against a state made of what the base configuration creates: the base's
 *   offline plan's planned values become the resources of a local state, which `plan -destroy -refresh=false` then
 *   destroys (with the real provider, which decodes every resource by its schema version).
 * Either way every resource shows as a destroy, and stateful ones as data loss.
 */
export async function planRemovedStack(
  stack: SynthesizedStack,
  baseStacks: readonly SynthesizedStack[],
  workroot: string,
  options: PlanOptions,
): Promise<StackSummary> {
  if (!options.offline) return planStack(stack, baseStacks, workroot, { ...options, destroy: true });
  const scratch = path.join(workroot, ".removed", stack.id);
  const [created] = await planStacksOffline([stack], baseStacks, scratch, { validate: false, concurrency: 1 });
  if (!created.plan) {
    return failedStack(stack.id, created.failedStep ?? "plan", created.diagnostics.map(toDiagnostic), created.output);
  }
  const workdir = path.join(workroot, stack.id);
  fs.rmSync(workdir, { recursive: true, force: true });
  prepareOfflineWorkdir(stack, baseStacks, workdir);
  // The offline override's local backend keeps state in terraform.tfstate.
  fs.writeFileSync(path.join(workdir, "terraform.tfstate"), JSON.stringify(stateOf(created.plan, stack.id), null, 2));
  return planIn(stack, workdir, { ...options, destroy: true, refresh: false });
}

/** A state (format 4) holding the managed resources a plan's planned values describe. */
export function stateOf(plan: TerraformJson, lineage: string): TerraformJson {
  const providerKeys = new Map<string, string>();
  const configured = (module: TerraformJson, prefix: string) => {
    for (const r of module?.resources ?? []) providerKeys.set(`${prefix}${r.address}`, r.provider_config_key);
    for (const [name, call] of Object.entries<TerraformJson>(module?.module_calls ?? {}))
      configured(call.module, `${prefix}module.${name}.`);
  };
  configured(plan.configuration?.root_module, "");
  const resources = new Map<string, TerraformJson>();
  const collect = (module: TerraformJson) => {
    for (const r of module?.resources ?? []) {
      if (r.mode !== "managed") continue;
      const moduleAddress = module.address as string | undefined;
      const base = `${moduleAddress ? `${moduleAddress}.` : ""}${r.type}.${r.name}`;
      const alias = /^[^:]*:?[\w-]+\.([\w-]+)$/.exec(providerKeys.get(base) ?? "")?.[1];
      const entry = resources.get(base) ?? {
        ...(moduleAddress ? { module: moduleAddress } : {}),
        mode: "managed",
        type: r.type,
        name: r.name,
        provider: `provider["${r.provider_name}"]${alias ? `.${alias}` : ""}`,
        instances: [],
      };
      entry.instances.push({
        ...(r.index !== undefined ? { index_key: r.index } : {}),
        schema_version: r.schema_version ?? 0,
        attributes: r.values ?? {},
        sensitive_attributes: [],
      });
      resources.set(base, entry);
    }
    for (const child of module?.child_modules ?? []) collect(child);
  };
  collect(plan.planned_values?.root_module);
  return stateFile({
    lineage: `offline-removed-${lineage}`,
    resources: [...resources.values()],
    terraformVersion: plan.terraform_version,
  });
}
