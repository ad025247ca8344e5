import { Construct } from "constructs";
import { TerraformIterator, type TerraformProvider } from "cdktf";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";

export interface DnsValidatedCertificateProps {
  /** Names on the certificate; the first is the subject. */
  readonly domainNames: string[];
  /**
   * Public zone to write the validation records to. Default: none, for names whose records exist already: ACM's
   * validation record for a name is the same in every region and for every certificate of the account.
   */
  readonly zoneId?: string;
  /** Provider to request the certificate with (us-east-1 for CloudFront). Default: the stack's. */
  readonly provider?: TerraformProvider;
}

/**
 * An ACM certificate validated through DNS records in a public zone (written here, or already there). Consumers take
 * `certificateArn`, which is the validation resource's output, so nothing uses the certificate before ACM has issued
 * it.
 */
export class DnsValidatedCertificate extends Construct {
  readonly certificateArn: string;

  constructor(scope: Construct, id: string, props: DnsValidatedCertificateProps) {
    super(scope, id);
    const [subject, ...alternatives] = props.domainNames;
    const certificate = new AcmCertificate(this, "this-certificate", {
      domainName: subject,
      subjectAlternativeNames: alternatives.length > 0 ? alternatives : undefined,
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      lifecycle: { createBeforeDestroy: true },
      provider: props.provider,
    });
    if (!props.zoneId) {
      this.certificateArn = new AcmCertificateValidation(this, "this-validation", {
        certificateArn: certificate.arn,
        provider: props.provider,
      }).certificateArn;
      return;
    }
    const options = TerraformIterator.fromComplexList(certificate.domainValidationOptions, "domain_name");
    const records = new Route53Record(this, "validation", {
      forEach: options,
      zoneId: props.zoneId,
      name: options.getString("resource_record_name"),
      type: options.getString("resource_record_type"),
      records: [options.getString("resource_record_value")],
      ttl: 60,
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(this, "this-validation", {
      certificateArn: certificate.arn,
      validationRecordFqdns: TerraformIterator.fromResources(records).pluckProperty("fqdn") as unknown as string[],
    });
    this.certificateArn = validation.certificateArn;
  }
}
