import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { DataAwsElbServiceAccount } from "@cdktf/provider-aws/lib/data-aws-elb-service-account";
import { policyDocument } from "./iam-documents";

export interface LoadBalancerLogBucketProps {
  /** Bucket name prefix; Terraform appends a unique suffix (bucket names are global). */
  readonly bucketPrefix: string;
  /** Key prefix the load balancer writes under (no leading or trailing slash). */
  readonly logPrefix: string;
  /** Days after which log objects move to Glacier Flexible Retrieval. Default: 90. */
  readonly glacierAfterDays?: number;
  /** Days after which log objects (and noncurrent versions) are deleted. Default: 365. */
  readonly expireAfterDays?: number;
}

/**
 * A private, versioned bucket for ALB access logs. Encryption is SSE-S3 because ALB log delivery cannot write to
 * SSE-KMS buckets; only the region's ELB log-delivery account may write, only under the log prefix, and every
 * request must use TLS. Logs move to Glacier and then expire, so the bucket does not grow without bound.
 */
export class LoadBalancerLogBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: LoadBalancerLogBucketProps) {
    super(scope, id);
    const glacierAfter = props.glacierAfterDays ?? 90;
    const expireAfter = props.expireAfterDays ?? 365;
    this.bucket = new S3Bucket(this, "bucket", { bucketPrefix: props.bucketPrefix, forceDestroy: false });
    const bucket = this.bucket.id;
    new S3BucketVersioningA(this, "versioning", { bucket, versioningConfiguration: { status: "Enabled" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    // Regions older than August 2022 (Tokyo among them) deliver ALB logs from a per-region ELB account.
    const elb = new DataAwsElbServiceAccount(this, "elb-account", {});
    new S3BucketPolicy(this, "policy", {
      bucket,
      policy: policyDocument(this, "policy-document", [
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          actions: ["s3:*"],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          principals: [{ type: "*", identifiers: ["*"] }],
          conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
        {
          sid: "AlbLogDelivery",
          actions: ["s3:PutObject"],
          resources: [`${this.bucket.arn}/${props.logPrefix}/AWSLogs/*`],
          principals: [{ type: "AWS", identifiers: [elb.arn] }],
        },
      ]),
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [
        {
          id: "archive-then-expire",
          status: "Enabled",
          filter: [{ prefix: "" }],
          transition: [{ days: glacierAfter, storageClass: "GLACIER" }],
          expiration: [{ days: expireAfter }],
          noncurrentVersionExpiration: [{ noncurrentDays: 30 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
  }
}
