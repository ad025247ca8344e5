import type { TerraformJson } from "../terraform/cdktf-out";

/**
 * In-place updates that a plan shows and AWS refuses at apply, found in `terraform show -json` resource changes.
 * Like the preflight (schema/preflight), but for what only a plan can see: a change between two configurations.
 *
 * ECS updates a service whose deployments CodeDeploy controls (deployment_controller CODE_DEPLOY) only in its
 * desired count, deployment configuration, health check grace period, placement, tags and managed tags; its network
 * configuration, platform version, task definition and load balancers change only through a CodeDeploy deployment
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html). Terraform leaves task
 * definition and load balancers to CodeDeploy (ignore_changes); a change of the others reaches UpdateService and
 * fails with InvalidParameterException.
 */
const CODE_DEPLOY_REFUSED = ["network_configuration", "platform_version"];

/** Why AWS would refuse this planned change, or undefined. */
export function refusedUpdate(rc: TerraformJson): string | undefined {
  if (rc.type !== "aws_ecs_service") return undefined;
  const actions: string[] = rc.change?.actions ?? [];
  if (!(actions.length === 1 && actions[0] === "update")) return undefined;
  const before = rc.change.before ?? {};
  const after = rc.change.after ?? {};
  const controller = (v: TerraformJson) => v.deployment_controller?.[0]?.type;
  if (controller(before) !== "CODE_DEPLOY" && controller(after) !== "CODE_DEPLOY") return undefined;
  const changed = CODE_DEPLOY_REFUSED.filter(
    (a) => JSON.stringify(before[a]) !== JSON.stringify(after[a]) || rc.change.after_unknown?.[a] !== undefined,
  );
  if (changed.length === 0) return undefined;
  return `ECS refuses to change ${changed.join(" and ")} of a service CodeDeploy deploys (InvalidParameterException at apply): ship it in a CodeDeploy deployment whose AppSpec carries the new settings, or replace the service (terraform apply -replace=${rc.address})`;
}
