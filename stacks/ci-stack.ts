import { accountInArn } from "../modules/arn";
import { Construct } from "constructs";
import { Fn } from "cdktf";
import type { Deployment } from "../schema/resolve";
import { GithubDeployRole } from "../modules/github-deploy-role";
import { GithubPlanRole } from "../modules/github-plan-role";
import { BlueprintStack, type BlueprintStackProps } from "./blueprint-stack";
import type { RegistryStack } from "./registry-stack";
import type { ComputeStack } from "./compute-stack";
import { deployRoleName, planRoleName, releaseParameterPrefix } from "../schema/names";
import { deploySubject, planSubject } from "../schema/ci-trust";
import { deploymentStackIds } from "../schema/layers";
import { stateKey } from "../schema/backend-config";

/**
 * The CI roles (GitHub Actions through OIDC): the deploy role, scoped to the exact repositories, roles, services and
 * CodeDeploy groups the registry and compute stacks publish (hence last in the order), and the read-only plan role
 * of the plan-review workflow.
 */
export class CiStack extends BlueprintStack {
  readonly deployRole: GithubDeployRole;
  readonly planRole?: GithubPlanRole;

  constructor(
    scope: Construct,
    id: string,
    d: Deployment,
    base: BlueprintStackProps,
    up: { registry: RegistryStack; compute: ComputeStack },
  ) {
    super(scope, id, base);
    const ci = d.spec.ci!;
    const registry = this.fromStack(up.registry);
    const compute = this.fromStack(up.compute);
    const services = d.spec.services;
    const blueGreen = services.filter((s) => s.blueGreen).map((s) => s.name);
    const rolling = services.filter((s) => !s.blueGreen).map((s) => s.name);
    const each = (output: string, names: string[]) => names.map((n) => compute.entry(output, n));

    this.deployRole = new GithubDeployRole(this, "this-github", {
      roleName: deployRoleName(d),
      github: ci.github,
      subject: deploySubject(d),
      oidcProvider: ci.createOidcProvider ? { create: true } : { create: false, accountId: d.accountId! },
      repositoryArns: [...new Set(services.map((s) => s.image.repository))].map((r) =>
        registry.entry("repository_arns", r),
      ),
      passRoleArns: [
        ...each(
          "task_role_arns",
          services.map((s) => s.name),
        ),
        ...each(
          "execution_role_arns",
          services.map((s) => s.name),
        ),
      ],
      // Every revision of each family: the latest revision's ARN with its number replaced by a wildcard.
      taskDefinitionArns: each(
        "task_definition_arns",
        services.map((s) => s.name),
      ).map((arn) => Fn.replace(arn, "/:[0-9]+$/", ":*")),
      releaseParameterArns: services.map((s) => registry.entry("release_parameter_arns", s.name)),
      rollingServiceArns: each("service_arns", rolling),
      codeDeploy:
        blueGreen.length > 0
          ? {
              serviceArns: each("service_arns", blueGreen),
              applicationArns: [...new Set(each("codedeploy_app_arns", blueGreen))],
              deploymentGroupArns: each("deployment_group_arns", blueGreen),
              deploymentConfigArns: each("deployment_config_arns", blueGreen),
            }
          : undefined,
    });
    this.publish("deploy_role_arn", "string", this.deployRole.role.arn, "Role GitHub Actions assumes (AWS_ROLE_ARN)");
    this.publish("oidc_provider_arn", "string", this.deployRole.providerArn, "GitHub OIDC identity provider");
    if (ci.planRole) {
      const backend = this.backendConfig;
      // The state lives in the account the plan role does (the bucket grants no other account): without a pinned
      // accountId, take it from the deploy role's ARN, which this stack creates (no AWS call at plan time).
      const accountId = d.accountId ?? accountInArn(this.deployRole.role.arn);
      this.planRole = new GithubPlanRole(this, "github-plan", {
        roleName: planRoleName(d),
        github: ci.github,
        subject: planSubject(d),
        providerArn: this.deployRole.providerArn,
        // An alias or key id cannot be granted in IAM without the account's key ARN: the key policy must admit the role.
        state: { ...backend, kmsKeyArn: backend.kmsKeyId?.startsWith("arn:aws:kms:") ? backend.kmsKeyId : undefined },
        stateKeys: deploymentStackIds(d).map(stateKey),
        // The compute stack reads each service's release record when it plans.
        readableParameterArns: [`arn:aws:ssm:${d.region}:${accountId}:parameter${releaseParameterPrefix(d)}*`],
        accountId,
      });
      this.publish(
        "plan_role_arn",
        "string",
        this.planRole.role.arn,
        "Role the plan-review workflow assumes on pull requests (PLAN_ROLE_ARN)",
      );
    }
  }
}
