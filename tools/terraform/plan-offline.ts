import * as fs from "fs";
import * as path from "path";
import type { SynthesizedStack, TerraformJson } from "./cdktf-out";
import { OFFLINE_AWS_ENV, terraform, terraformEnv, type TerraformResult } from "./environment";
import { prepareOfflineWorkdir } from "./offline";

export interface OfflineCheck {
  readonly stack: string;
  readonly workdir: string;
  /** The step that failed, or undefined when init, validate and plan all passed. */
  readonly failedStep?: "init" | "validate" | "plan" | "show";
  readonly output: string;
  /** `terraform show -json` of the saved plan. */
  readonly plan?: TerraformJson;
}

/** init + validate + plan + show -json of one stack, offline, in its own working directory. */
export async function checkStackOffline(
  stack: SynthesizedStack,
  all: readonly SynthesizedStack[],
  workroot: string,
  options: { validate?: boolean } = {},
): Promise<OfflineCheck> {
  const workdir = path.join(workroot, stack.id);
  fs.rmSync(workdir, { recursive: true, force: true });
  prepareOfflineWorkdir(stack, all, workdir);
  const env = terraformEnv(OFFLINE_AWS_ENV);
  const steps: [OfflineCheck["failedStep"], string[]][] = [
    ["init", ["init", "-input=false", "-no-color"]],
    ...(options.validate === false
      ? []
      : [["validate", ["validate", "-no-color"]] as [OfflineCheck["failedStep"], string[]]]),
    ["plan", ["plan", "-input=false", "-no-color", "-lock=false", "-out=offline.tfplan"]],
    ["show", ["show", "-json", "-no-color", "offline.tfplan"]],
  ];
  let last: TerraformResult | undefined;
  let output = "";
  for (const [step, args] of steps) {
    last = await terraform(args, workdir, env);
    output += `$ terraform ${args.join(" ")}\n${last.stdout}${last.stderr}\n`;
    if (last.code !== 0) return { stack: stack.id, workdir, failedStep: step, output };
  }
  return { stack: stack.id, workdir, output, plan: JSON.parse(last!.stdout) };
}
