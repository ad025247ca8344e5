import { Construct } from "constructs";
import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { DataAwsElbServiceAccount } from "@cdktf/provider-aws/lib/data-aws-elb-service-account";
import { PrivateBucket } from "./private-bucket";

export interface LoadBalancerLogBucketProps {
  /** Bucket name prefix; Terraform appends a unique suffix (bucket names are global). */
  readonly bucketPrefix: string;
  /** Key prefix the load balancer writes under (no leading or trailing slash). Default: none (no ALB delivery). */
  readonly logPrefix?: string;
  /** Key prefixes of application logs (FireLens routers write there with their task roles). Default: none. */
  readonly appLogPrefixes?: readonly string[];
  /** Days after which log objects move to Glacier Flexible Retrieval. Default: 90. */
  readonly glacierAfterDays?: number;
  /** Days after which log objects (and noncurrent versions) are deleted. Default: 365. */
  readonly expireAfterDays?: number;
}

/**
 * A private, versioned bucket for ALB access logs and application logs. Encryption is SSE-S3 because ALB log delivery
 * cannot write to SSE-KMS buckets; only the region's ELB log-delivery account may write through the bucket policy,
 * only under the ALB prefix, and every request must use TLS (task roles of this account write application logs
 * through their own policies). Logs under each log prefix move to Glacier and then expire, so the bucket does not
 * grow without bound; other keys (the log routers' configuration) stay readable.
 */
export class LoadBalancerLogBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: LoadBalancerLogBucketProps) {
    super(scope, id);
    const glacierAfter = props.glacierAfterDays ?? 90;
    const expireAfter = props.expireAfterDays ?? 365;
    const albPrefix = props.logPrefix;
    // Regions older than August 2022 (Tokyo among them) deliver ALB logs from a per-region ELB account.
    const elb = albPrefix !== undefined ? new DataAwsElbServiceAccount(this, "this-elb-account", {}) : undefined;
    const logPrefixes = [...(albPrefix !== undefined ? [albPrefix] : []), ...(props.appLogPrefixes ?? [])];
    this.bucket = new PrivateBucket(this, "this-bucket", {
      bucketPrefix: props.bucketPrefix,
      encryption: { kind: "s3" },
      allow: (bucketArn) =>
        elb
          ? [
              {
                sid: "AlbLogDelivery",
                actions: ["s3:PutObject"],
                resources: [`${bucketArn}/${albPrefix}/AWSLogs/*`],
                principals: [{ type: "AWS", identifiers: [elb.arn] }],
              },
            ]
          : [],
      // One rule per log prefix: an object elsewhere (a router's configuration) must never go to Glacier, where
      // GetObject fails and the router with it.
      lifecycleRules: logPrefixes.map((prefix) => ({
        id: `${prefix.replace(/[^A-Za-z0-9-]/g, "-")}-archive-then-expire`,
        status: "Enabled",
        filter: [{ prefix: `${prefix}/` }],
        transition: [{ days: glacierAfter, storageClass: "GLACIER" }],
        expiration: [{ days: expireAfter }],
        noncurrentVersionExpiration: [{ noncurrentDays: 30 }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
      })),
    }).bucket;
  }
}
