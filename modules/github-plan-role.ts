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
  /** The account's GitHub OIDC identity provider (the deploy role's). */
  readonly providerArn: string;
  /** The state backend of backend.tf.json: read every state, take and release locks. */
  readonly state: {
    readonly bucket: string;
    readonly region: string;
    readonly dynamodbTable?: string;
    readonly useLockfile?: boolean;
    /** A customer-managed key ARN the bucket encrypts with. Default: none (aws/s3 needs no IAM grant). */
    readonly kmsKeyArn?: string;
  };
  /** Account of the lock table, for its ARN. Default: any (the role exists in one account only). */
  readonly accountId?: string;
}

/**
 * The role `.github/workflows/plan.yml` assumes (its PLAN_ROLE_ARN): trusted only by pull-request workflows of one
 * repository, through OIDC. Terraform's refresh reads every attribute of every resource type the stacks hold, which
 * is what AWS's ReadOnlyAccess covers; an inline policy then denies the data that a plan never reads (objects outside
 * the state bucket, table items other than locks, secret values, log events), and allows exactly the state locking
 * that a plan takes.
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
      trust: githubActionsTrust(props.providerArn, {
        test: "StringEquals",
        value: `repo:${owner}/${repository}:pull_request`,
      }),
      statements: planStatements(props),
      policyName: "plan",
      managedPolicies: { "read-only": READ_ONLY_ACCESS },
    }).role;
  }
}

function planStatements(props: GithubPlanRoleProps): Statement[] {
  const { bucket, region, dynamodbTable, useLockfile, kmsKeyArn } = props.state;
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const tableArn = dynamodbTable && `arn:aws:dynamodb:${region}:${props.accountId ?? "*"}:table/${dynamodbTable}`;
  const statements: Statement[] = [
    {
      sid: "NoObjectsButState",
      effect: "Deny",
      actions: ["s3:GetObject", "s3:GetObjectVersion"],
      notResources: [`${bucketArn}/*`],
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
      actions: ["secretsmanager:GetSecretValue", "logs:GetLogEvents", "logs:FilterLogEvents", "logs:StartQuery"],
      resources: ["*"],
    },
  ];
  if (tableArn) {
    statements.push({
      sid: "StateLockTable",
      actions: ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
      resources: [tableArn],
    });
  }
  if (useLockfile) {
    statements.push({
      sid: "StateLockFiles",
      actions: ["s3:PutObject", "s3:DeleteObject"],
      resources: [`${bucketArn}/*.tflock`],
    });
  }
  if (kmsKeyArn) {
    statements.push({
      sid: "StateKey",
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      resources: [kmsKeyArn],
    });
  }
  return statements;
}
