import { Construct } from "constructs";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { Statement } from "./iam-documents";
import { Role } from "./iam-role";
import { githubActionsTrust } from "./github-deploy-role";

const READ_ONLY_ACCESS = "arn:aws:iam::aws:policy/ReadOnlyAccess";

export interface GithubPlanRoleProps {
  readonly roleName: string;
  /** Repository whose pull-request workflows may assume the role. */
  readonly github: { readonly owner: string; readonly repository: string };
  /** The token subject the role trusts: the repository's pull requests (schema/ci-trust.ts). */
  readonly subject: { readonly test: "StringEquals" | "StringLike"; readonly value: string };
  /** The account's GitHub OIDC identity provider (the deploy role's). */
  readonly providerArn: string;
  /** The state backend of backend.tf.json. */
  readonly state: {
    readonly bucket: string;
    readonly region: string;
    readonly dynamodbTable?: string;
    /** A customer-managed key ARN the bucket encrypts with. Default: none (aws/s3 needs no IAM grant). */
    readonly kmsKeyArn?: string;
  };
  /**
   * The state objects the role may read: its own deployment's stacks (each stack reads only upstream stacks of its
   * own deployment, so these are the upstream keys too).
   */
  readonly stateKeys: readonly string[];
  /** The account of the lock table (pinned in its ARN). */
  readonly accountId: string;
  /**
   * SSM parameters a plan must read, by ARN pattern: the release records (image tags, not secrets), which the compute
   * stack reads at plan time. Every other parameter's value stays denied. Default: none.
   */
  readonly readableParameterArns?: readonly string[];
}

/**
 * The role `.github/workflows/plan.yml` assumes for one environment: trusted only by pull-request workflows of one
 * repository, through OIDC. A pull request's code runs with it, so it may read what a plan reads and nothing a
 * pull request could misuse. Terraform's refresh reads every attribute of every resource type the stacks hold, which
 * is what AWS's ReadOnlyAccess covers; an inline policy then denies the data a plan never reads:
 *
 * - state objects other than its own environment's stacks (another environment's state holds its resources'
 *   attributes);
 * - lock table items other than the table (and it writes none: review plans take no lock, `-lock=false`, so pull
 *   request code can neither take nor delete a lock, nor overwrite the `-md5` digests);
 * - secret values, SSM parameter values other than the release records the compute stack reads (SecureStrings
 *   under aws/ssm decrypt with no KMS grant at all) and log events;
 * - KMS decryption, except on behalf of S3 (reading the state object).
 */
export class GithubPlanRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: GithubPlanRoleProps) {
    super(scope, id);
    const { owner, repository } = props.github;
    this.role = new Role(this, "this-role", {
      name: props.roleName,
      description: `Terraform plan review for pull requests of ${owner}/${repository} (read-only)`,
      maxSessionDuration: 3600,
      trust: githubActionsTrust(props.providerArn, props.subject),
      statements: planStatements(props),
      policyName: "plan",
      managedPolicies: { "read-only": READ_ONLY_ACCESS },
    }).role;
  }
}

function planStatements(props: GithubPlanRoleProps): Statement[] {
  const { bucket, region, dynamodbTable, kmsKeyArn } = props.state;
  const tableArn = dynamodbTable && `arn:aws:dynamodb:${region}:${props.accountId}:table/${dynamodbTable}`;
  const statements: Statement[] = [
    {
      sid: "NoStateButItsOwn",
      effect: "Deny",
      actions: ["s3:GetObject", "s3:GetObjectVersion"],
      notResources: props.stateKeys.map((key) => `arn:aws:s3:::${bucket}/${key}`),
    },
    {
      sid: "NoItemsButLocks",
      effect: "Deny",
      actions: ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"],
      ...(tableArn ? { notResources: [tableArn] } : { resources: ["*"] }),
    },
    {
      sid: "NoSecretsOrLogEvents",
      effect: "Deny",
      actions: [
        "secretsmanager:GetSecretValue",
        "secretsmanager:BatchGetSecretValue",
        "logs:GetLogEvents",
        "logs:FilterLogEvents",
        "logs:StartQuery",
      ],
      resources: ["*"],
    },
    {
      sid: "NoParametersButReleases",
      effect: "Deny",
      actions: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory"],
      ...(props.readableParameterArns?.length
        ? { notResources: [...props.readableParameterArns] }
        : { resources: ["*"] }),
    },
    {
      // S3 decrypts the state object on the role's behalf (kms:ViaService); nothing else may be decrypted.
      sid: "NoDecryptButState",
      effect: "Deny",
      actions: ["kms:Decrypt", "kms:ReEncryptFrom"],
      resources: ["*"],
      conditions: [{ test: "StringNotEquals", variable: "kms:ViaService", values: [`s3.${region}.amazonaws.com`] }],
    },
  ];
  if (tableArn) {
    // The S3 backend compares the state with its digest item (<key>-md5) when it reads; it writes nothing here.
    statements.push({
      sid: "StateDigests",
      actions: ["dynamodb:DescribeTable", "dynamodb:GetItem"],
      resources: [tableArn],
    });
  }
  if (kmsKeyArn) {
    statements.push({ sid: "StateKey", actions: ["kms:Decrypt"], resources: [kmsKeyArn] });
  }
  return statements;
}
