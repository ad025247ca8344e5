import { TerraformVariable } from "cdktf";
import { IssuedCertificate } from "../../modules/issued-certificate";
import type { Certificate } from "../../schema/blueprint";
import type { BlueprintStack, UpstreamOutputs } from "../blueprint-stack";

/** The HTTPS listener's certificate ARN: literal, requested by the dns stack (once issued), or the `certificate_arn` variable. */
export function certificateArn(stack: BlueprintStack, cert: Certificate, dns: UpstreamOutputs | undefined): string {
  switch (cert.source) {
    case "arn":
      return cert.arn;
    case "dns":
      // The dns stack requested it; it is issued once the zone is delegated (docs/day-two.md): wait for that here.
      return new IssuedCertificate(stack, "https", { certificateArn: dns!.string("certificate_arn") }).certificateArn;
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
