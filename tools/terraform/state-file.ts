import type { TerraformJson } from "./cdktf-out";

/**
 * A local state file (format 4) of our making: the outputs-only states that seed remote-state reads, the state a
 * removed stack is planned against, the states of stacks applied on paper. `lineage` names where it comes from.
 */
export function stateFile(content: {
  readonly lineage: string;
  readonly outputs?: TerraformJson;
  readonly resources?: readonly TerraformJson[];
  /** The Terraform version recorded (default: the one on this machine's PATH, 1.11.4). */
  readonly terraformVersion?: string;
}): TerraformJson {
  return {
    version: 4,
    terraform_version: content.terraformVersion ?? "1.11.4",
    serial: 1,
    lineage: content.lineage,
    outputs: content.outputs ?? {},
    resources: content.resources ?? [],
    check_results: null,
  };
}
