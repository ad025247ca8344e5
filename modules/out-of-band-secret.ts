import { Construct } from "constructs";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";

export interface OutOfBandSecretProps {
  /** Secret name, e.g. text-messaging-dev/database-url. */
  readonly name: string;
  readonly description: string;
  /**
   * Days a deleted secret can still be restored (7-30), during which its name stays taken; 0 deletes it at once, so
   * that an environment destroyed and created again can take the same name. Default: 30.
   */
  readonly recoveryWindowInDays?: number;
  /** Customer managed KMS key. Default: the account's aws/secretsmanager key. */
  readonly kmsKeyId?: string;
}

/**
 * A Secrets Manager secret that Terraform creates without a value: the value is written out of band (console, CLI,
 * a rotation function), so it never enters the Terraform state, the plan or the synthesized JSON. Terraform owns the
 * secret's name, encryption, tags and lifecycle, which gives task roles an exact ARN to be granted.
 */
export class OutOfBandSecret extends Construct {
  readonly secret: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, props: OutOfBandSecretProps) {
    super(scope, id);
    this.secret = new SecretsmanagerSecret(this, "this-secret", {
      name: props.name,
      description: `${props.description} (value written out of band, never by Terraform)`,
      recoveryWindowInDays: props.recoveryWindowInDays ?? 30,
      kmsKeyId: props.kmsKeyId,
    });
  }
}
