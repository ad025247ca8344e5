import { Construct } from "constructs";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";

export interface ReleaseRecordProps {
  /** Parameter name, e.g. /shop-prod/release/web. */
  readonly name: string;
  /** The service whose release it records (for the description). */
  readonly service: string;
  /** Tag of the first release, what the parameter holds until CI writes one. */
  readonly firstTag: string;
}

/**
 * The record of what a service runs: an SSM String parameter holding the image tag of its current release. CI
 * writes it with every release (`aws ssm put-parameter --overwrite`); the compute stack reads it, so Terraform and CI
 * agree on the image by construction. Terraform sets it once, at creation, and never again (`ignore_changes`):
 * after that the releases own it, and its version history is the release history. Address:
 * `aws_ssm_parameter.<name>`.
 */
export class ReleaseRecord extends Construct {
  readonly parameter: SsmParameter;

  constructor(scope: Construct, id: string, props: ReleaseRecordProps) {
    super(scope, id);
    this.parameter = new SsmParameter(this, "this-parameter", {
      name: props.name,
      description: `Image tag ${props.service} runs: written by each release, read by the compute stack`,
      type: "String",
      insecureValue: props.firstTag,
      lifecycle: { ignoreChanges: ["insecure_value", "value"] },
    });
  }
}
