import { Construct } from "constructs";
import { TerraformIterator, type TerraformProvider } from "cdktf";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
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
 * An ACM certificate requested with DNS validation, and its validation records in a public zone (written here, or
 * already there). Applying this never waits: ACM issues the certificate once the records resolve, which for a zone
 * created in the same apply means once the parent domain delegates to it (an explicit step: the zone's name servers
 * are printed, someone enters them at the registrar or parent zone). Whoever attaches the certificate waits for the
 * issue first (`IssuedCertificate`), after the delegation.
 */
export class DnsValidatedCertificate extends Construct {
  /** ARN of the certificate, pending validation until the records resolve. */
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
    this.certificateArn = certificate.arn;
    if (!props.zoneId) return;
    const options = TerraformIterator.fromComplexList(certificate.domainValidationOptions, "domain_name");
    new Route53Record(this, "validation", {
      forEach: options,
      zoneId: props.zoneId,
      name: options.getString("resource_record_name"),
      type: options.getString("resource_record_type"),
      records: [options.getString("resource_record_value")],
      ttl: 60,
      allowOverwrite: true,
    });
  }
}
