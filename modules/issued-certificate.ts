import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";

export interface IssuedCertificateProps {
  /** A DNS-validated certificate whose validation records exist (DnsValidatedCertificate). */
  readonly certificateArn: string;
  /** How long to wait for ACM to issue it. Default: 30m. */
  readonly timeout?: string;
  /** Provider of the certificate's region (us-east-1 for CloudFront). Default: the stack's. */
  readonly provider?: TerraformProvider;
}

/**
 * Waits until ACM has issued a certificate and gives its ARN, so that nothing attaches it before (a listener refuses
 * a certificate pending validation). Nothing is created in AWS. The wait ends as soon as the validation records
 * resolve publicly: right away for a delegated zone, never for a zone nobody has delegated yet (the apply stops
 * after `timeout`; delegate, then apply again). Address: `aws_acm_certificate_validation.<name>`.
 */
export class IssuedCertificate extends Construct {
  readonly certificateArn: string;

  constructor(scope: Construct, id: string, props: IssuedCertificateProps) {
    super(scope, id);
    const validation = new AcmCertificateValidation(this, "this-validation", {
      certificateArn: props.certificateArn,
      timeouts: { create: props.timeout ?? "30m" },
      provider: props.provider,
    });
    this.certificateArn = validation.certificateArn;
  }
}
