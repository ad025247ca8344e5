import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { policyDocument, type Statement } from "./iam-documents";

export interface RoleProps {
  /** Role name (at most 64 characters). Give this or namePrefix. */
  readonly name?: string;
  /** Name prefix; IAM appends a unique suffix (for roles that several stacks of one account create). */
  readonly namePrefix?: string;
  /** Default: none. */
  readonly description?: string;
  /** Seconds. Default: IAM's default of one hour. */
  readonly maxSessionDuration?: number;
  /** Who may assume the role: one statement with principals (and conditions), rendered as the trust policy. */
  readonly trust: Statement;
  /** The inline policy. Default: none. */
  readonly statements?: readonly Statement[];
  /** Name of the inline policy. Default: the role's purpose is its construct id. */
  readonly policyName?: string;
  /** AWS managed policies to attach, by a short label that names the attachment's address. Default: none. */
  readonly managedPolicies?: Readonly<Record<string, string>>;
}

/**
 * An IAM role with its trust policy, an optional inline policy and managed policy attachments, each an
 * `aws_iam_policy_document` (structured, so the policy checks read every statement). Addresses follow the role:
 * `aws_iam_role.<name>`, `aws_iam_role_policy.<name>`, `data.aws_iam_policy_document.<name>` and `<name>_trust`.
 */
export class Role extends Construct {
  readonly role: IamRole;
  readonly policy?: IamRolePolicy;

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "this-role", {
      name: props.name,
      namePrefix: props.namePrefix,
      description: props.description,
      maxSessionDuration: props.maxSessionDuration,
      assumeRolePolicy: policyDocument(this, "trust", [props.trust]),
    });
    if (props.statements && props.statements.length > 0) {
      this.policy = new IamRolePolicy(this, "this-policy", {
        role: this.role.id,
        name: props.policyName ?? id.replace(/^this-/, ""),
        policy: policyDocument(this, "this-document", [...props.statements]),
      });
    }
    for (const [label, policyArn] of Object.entries(props.managedPolicies ?? {})) {
      new IamRolePolicyAttachment(this, label, { role: this.role.name, policyArn });
    }
  }
}
