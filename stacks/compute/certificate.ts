import { TerraformVariable } from "cdktf";
import type { Certificate } from "../../schema/blueprint";
import type { BlueprintStack, UpstreamOutputs } from "../blueprint-stack";

/** The HTTPS listener's certificate ARN: literal, issued by the dns stack, or the `certificate_arn` variable. */
export function certificateArn(stack: BlueprintStack, cert: Certificate, dns: UpstreamOutputs | undefined): string {
  switch (cert.source) {
    case "arn":
      return cert.arn;
    case "dns":
      return dns!.string("certificate_arn");
    case "variable":
      return certificateVariable(stack);
  }
}

function certificateVariable(stack: BlueprintStack): string {
  // Imported into ACM out of band; no key material ever passes through Terraform.
  const variable = new TerraformVariable(stack, "certificate_arn", {
    type: "string",
    description: "ARN of the ACM certificate for the HTTPS listener (imported into ACM out of band)",
    nullable: false,
    validation: [
      {
        // Terraform JSON reads strings as templates: an expression needs ${...} or it is a constant (init fails).
        condition: '${can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/", var.certificate_arn))}',
        errorMessage: "certificate_arn must be an ACM certificate ARN.",
      },
    ],
  });
  variable.overrideLogicalId("certificate_arn");
  return variable.stringValue;
}
