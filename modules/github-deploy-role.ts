import { Construct } from "constructs";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { webIdentityTrust, type Statement } from "./iam-documents";
import { Role } from "./iam-role";

const GITHUB_ISSUER = "token.actions.githubusercontent.com";

/**
 * Trust statement for GitHub Actions tokens of the account's OIDC provider: audience sts.amazonaws.com, and a subject
 * (`repo:<owner>/<repo>:...`) matched exactly (StringEquals) or as a pattern (StringLike).
 */
export function githubActionsTrust(
  providerArn: string,
  subject: { readonly test: "StringEquals" | "StringLike"; readonly value: string },
): Statement {
  return webIdentityTrust(providerArn, [
    { test: "StringEquals", variable: `${GITHUB_ISSUER}:aud`, values: ["sts.amazonaws.com"] },
    { test: subject.test, variable: `${GITHUB_ISSUER}:sub`, values: [subject.value] },
  ]);
}

export interface GithubDeployRoleProps {
  readonly roleName: string;
  /** Repository whose workflows may assume the role. */
  readonly github: { readonly owner: string; readonly repository: string };
  /** The token subject the role trusts, e.g. repo:<owner>/<repo>:environment:production (schema/ci-trust.ts). */
  readonly subject: { readonly test: "StringEquals" | "StringLike"; readonly value: string };
  /**
   * Create the account's GitHub OIDC provider, or trust the one that exists (its ARN is derived from accountId).
   * Default: create.
   */
  readonly oidcProvider: { readonly create: true } | { readonly create: false; readonly accountId: string };
  /** ECR repositories the workflow pushes to. */
  readonly repositoryArns: string[];
  /** Task and execution roles the workflow passes to ECS when it registers task definitions. */
  readonly passRoleArns: string[];
  /** Task definition families' revisions (`arn:...:task-definition/<family>:*`): a release tags what it registers. */
  readonly taskDefinitionArns: string[];
  /** SSM parameters recording each service's release: the workflow writes the tag it releases (and reads them). */
  readonly releaseParameterArns: string[];
  /** Services the workflow rolls out with UpdateService (ECS rolling deployments). Default: none. */
  readonly rollingServiceArns?: string[];
  /** Blue/green services the workflow deploys through CodeDeploy. Default: none. */
  readonly codeDeploy?: {
    readonly serviceArns: string[];
    readonly applicationArns: string[];
    readonly deploymentGroupArns: string[];
    readonly deploymentConfigArns: string[];
  };
}

/**
 * An IAM role for GitHub Actions, assumed through OIDC (no long-lived keys) only by workflows of one repository, with
 * exactly what a deploy workflow does: push images to the blueprint's repositories, record each release's tag,
 * register task definitions that pass the services' own roles (to ECS only), and roll the services out
 * (docs/day-two.md). Addresses: `aws_iam_role.github_deploy`
 * and `aws_iam_openid_connect_provider.github` (a stack holding it instantiates this as `this-github`).
 */
export class GithubDeployRole extends Construct {
  readonly role: IamRole;
  readonly providerArn: string;

  constructor(scope: Construct, id: string, props: GithubDeployRoleProps) {
    super(scope, id);
    this.providerArn = props.oidcProvider.create
      ? new IamOpenidConnectProvider(this, "github", {
          url: `https://${GITHUB_ISSUER}`,
          clientIdList: ["sts.amazonaws.com"],
          // IAM no longer checks GitHub's thumbprint (it trusts its own CA list); the API still wants one.
          thumbprintList: ["6938fd4d98bab03faadb97b34396831e3780aea1"],
        }).arn
      : `arn:aws:iam::${props.oidcProvider.accountId}:oidc-provider/${GITHUB_ISSUER}`;

    const { owner, repository } = props.github;
    this.role = new Role(this, "github-deploy", {
      name: props.roleName,
      description: `GitHub Actions deploys from ${owner}/${repository}`,
      maxSessionDuration: 3600,
      trust: githubActionsTrust(this.providerArn, props.subject),
      statements: deployStatements(props),
      policyName: "deploy",
    }).role;
  }
}

function deployStatements(props: GithubDeployRoleProps): Statement[] {
  const statements: Statement[] = [
    // GetAuthorizationToken has no resource-level permissions: AWS requires "*".
    { sid: "EcrLogin", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
    {
      sid: "EcrPush",
      actions: [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:CompleteLayerUpload",
        "ecr:InitiateLayerUpload",
        "ecr:PutImage",
        "ecr:UploadLayerPart",
      ],
      resources: props.repositoryArns,
    },
    // Task definitions have no resource-level permissions for these actions: AWS requires "*". A release registers
    // a revision (copying the latest one's tags, hence TagResource on the families, only on creation) and
    // deregisters it when its rollout fails, so the latest revision is again the one that runs.
    {
      sid: "TaskDefinitions",
      actions: ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition", "ecs:DeregisterTaskDefinition"],
      resources: ["*"],
    },
    {
      sid: "TagNewTaskDefinitions",
      actions: ["ecs:TagResource"],
      resources: props.taskDefinitionArns,
      conditions: [{ test: "StringEquals", variable: "ecs:CreateAction", values: ["RegisterTaskDefinition"] }],
    },
    { sid: "RecordReleases", actions: ["ssm:GetParameter", "ssm:PutParameter"], resources: props.releaseParameterArns },
    {
      sid: "PassTaskRoles",
      actions: ["iam:PassRole"],
      resources: props.passRoleArns,
      conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] }],
    },
  ];
  const rolling = props.rollingServiceArns ?? [];
  if (rolling.length > 0) {
    statements.push({ sid: "RollOut", actions: ["ecs:DescribeServices", "ecs:UpdateService"], resources: rolling });
  }
  const cd = props.codeDeploy;
  if (cd && cd.serviceArns.length > 0) {
    statements.push(
      { sid: "DescribeBlueGreenServices", actions: ["ecs:DescribeServices"], resources: cd.serviceArns },
      {
        sid: "CodeDeployRevisions",
        actions: ["codedeploy:GetApplicationRevision", "codedeploy:RegisterApplicationRevision"],
        resources: cd.applicationArns,
      },
      {
        sid: "CodeDeployDeployments",
        actions: ["codedeploy:CreateDeployment", "codedeploy:GetDeployment", "codedeploy:GetDeploymentGroup"],
        resources: cd.deploymentGroupArns,
      },
      { sid: "CodeDeployConfig", actions: ["codedeploy:GetDeploymentConfig"], resources: cd.deploymentConfigArns },
    );
  }
  return statements;
}
