import { Construct } from "constructs";
import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { DataAwsElbServiceAccount } from "@cdktf/provider-aws/lib/data-aws-elb-service-account";
import { PrivateBucket } from "./private-bucket";

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
    // Regions older than August 2022 (Tokyo among them) deliver ALB logs from a per-region ELB account.
    const elb = new DataAwsElbServiceAccount(this, "this-elb-account", {});
    this.bucket = new PrivateBucket(this, "this-bucket", {
      bucketPrefix: props.bucketPrefix,
      encryption: { kind: "s3" },
      allow: (bucketArn) => [
        {
          sid: "AlbLogDelivery",
          actions: ["s3:PutObject"],
          resources: [`${bucketArn}/${props.logPrefix}/AWSLogs/*`],
          principals: [{ type: "AWS", identifiers: [elb.arn] }],
        },
      ],
      lifecycleRules: [
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
    }).bucket;
  }
}
