import { Construct } from "constructs";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";

export interface SecureParametersProps {
  /** Path prefix without trailing slash, e.g. /callback-handler-prod. */
  readonly pathPrefix: string;
  /** Parameters by last path segment, with their descriptions. */
  readonly parameters: readonly { readonly name: string; readonly description: string }[];
  /** KMS key for SecureString values. Default: the account's aws/ssm key (readers need only ssm:GetParameter). */
  readonly kmsKeyId?: string;
}

/**
 * The stand-in written once, through the write-only `value_wo` argument (Terraform ≥ 1.11): it is sent to SSM on
 * create and kept in neither the plan nor the state. It is no secret, and an application that reads it should fail
 * loudly.
 */
export const UNSET_PARAMETER_VALUE = "UNSET: write the real value out of band (see README)";

/**
 * SSM SecureString parameters that Terraform creates but whose values it never holds: the real values are written
 * out of band (`aws ssm put-parameter --overwrite`). Why `value_wo` and not `value` + `ignore_changes = [value]`:
 * with `value` the provider reads the decrypted value back into the state on every refresh, so the private key
 * would sit in the state file; with `value_wo` the provider's read drops the value (state keeps `has_value_wo`),
 * and there is no attribute to drift, so an out-of-band write is never undone. `value_wo_version` stays 1:
 * bumping it would overwrite the real value with the stand-in.
 *
 * Limitation (provider 5.100): changing a parameter's description later re-puts the value from state, which is
 * empty, and SSM rejects it; replace the parameter instead (taint), then write its value again.
 */
export class SecureParameters extends Construct {
  readonly parameters: Record<string, SsmParameter> = {};

  constructor(scope: Construct, id: string, props: SecureParametersProps) {
    super(scope, id);
    for (const p of props.parameters) {
      this.parameters[p.name] = new SsmParameter(this, p.name, {
        name: `${props.pathPrefix}/${p.name}`,
        description: p.description,
        type: "SecureString",
        tier: "Standard",
        keyId: props.kmsKeyId,
        valueWo: UNSET_PARAMETER_VALUE,
        valueWoVersion: 1,
      });
    }
  }
}
