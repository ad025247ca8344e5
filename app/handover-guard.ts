import { TerraformVariable, type App } from "cdktf";
import { BlueprintStack } from "../stacks/blueprint-stack";
import { stateKey } from "./backend-config";
import {
  checkHandedOffStacks,
  HANDED_OFF_FILE,
  handoverMessage,
  handoverSummary,
  HANDOVER_GUARD,
  type Handover,
} from "./handovers";

/**
 * Gives every handed-off stack of the app its guard: a variable whose validation can never pass (it is not nullable,
 * so no -var, TF_VAR_ or tfvars value makes the condition true), with the handover as its message. Terraform
 * validates root variables in every plan, apply, destroy, refresh and import, so `cdktf deploy`/`diff`/`destroy` and
 * a plain `terraform apply` of cdktf.out all stop before touching the state the other team owns, while
 * `terraform validate` still passes. (A resource precondition would not do: `terraform destroy` skips it.)
 *
 * `knownStackIds` gives every stack id of the registered blueprints; it is asked only when an entry names a stack this
 * synthesis does not build (a BLUEPRINT/ENVIRONMENT selection), so that a typo is an error, never an unguarded stack.
 */
export function guardHandedOffStacks(
  app: App,
  entries: readonly Handover[],
  knownStackIds: () => ReadonlySet<string>,
  source: string,
): void {
  const built = new Map(
    app.node.children.filter((c): c is BlueprintStack => c instanceof BlueprintStack).map((s) => [s.node.id, s]),
  );
  if (entries.some((e) => !built.has(e.stack))) {
    checkHandedOffStacks(entries, new Set([...built.keys(), ...knownStackIds()]), source);
  }
  for (const entry of entries) {
    const stack = built.get(entry.stack);
    if (!stack) continue;
    const state = `s3://${stack.backendConfig.bucket}/${stateKey(entry.stack)}`;
    const guard = new TerraformVariable(stack, HANDOVER_GUARD, {
      type: "string",
      nullable: false,
      default: handoverSummary(entry),
      description: `This stack was ${handoverSummary(entry)} (${HANDED_OFF_FILE}): nothing here plans, applies or destroys it.`,
      validation: [{ condition: `\${var.${HANDOVER_GUARD} == null}`, errorMessage: handoverMessage(entry, state) }],
    });
    guard.overrideLogicalId(HANDOVER_GUARD);
  }
}
