import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { policyDocument, type Statement } from "./iam-documents";

export interface PrivateBucketProps {
  /** Exact bucket name (global across AWS). Give this or bucketPrefix. */
  readonly bucketName?: string;
  /** Name prefix; Terraform appends a unique suffix (bucket names are global). */
  readonly bucketPrefix?: string;
  /** Terraform refuses to destroy the bucket (prevent_destroy). Default: false. */
  readonly preventDestroy?: boolean;
  /**
   * Default encryption: SSE-S3 (`{ kind: "s3" }`, what ALB log delivery requires) or SSE-KMS with an optional key
   * (default: the AWS-managed aws/s3 key) and an S3 bucket key.
   */
  readonly encryption: { readonly kind: "s3" } | { readonly kind: "kms"; readonly keyId?: string };
  /** Statements added to the bucket policy after the TLS-only deny. Default: none. */
  readonly allow?: (bucketArn: string) => Statement[];
  /** Lifecycle rules. Default: none (no lifecycle configuration). */
  readonly lifecycleRules?: S3BucketLifecycleConfigurationRule[];
}

/**
 * A private bucket: versioning, default encryption, all four public-access blocks, bucket-owner-enforced ownership
 * (no ACLs), a policy that denies any request without TLS, and never force-destroyed. Every resource takes the
 * construct's name (`aws_s3_bucket.<name>`, `aws_s3_bucket_versioning.<name>` ...). Orders what S3 needs ordered: the
 * policy after the public-access block (S3 aborts concurrent changes to both), lifecycle rules after versioning
 * (noncurrent-version rules mean nothing before it).
 */
export class PrivateBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: PrivateBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, "this-bucket", {
      bucket: props.bucketName,
      bucketPrefix: props.bucketPrefix,
      forceDestroy: false,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    const bucket = this.bucket;
    const versioning = new S3BucketVersioningA(this, "this-versioning", {
      bucket: bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "this-encryption", {
      bucket: bucket.id,
      rule: [
        props.encryption.kind === "s3"
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
          : {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.encryption.keyId },
              bucketKeyEnabled: true,
            },
      ],
    });
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "this-public-access-block", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "this-ownership", {
      bucket: bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    this.policy = new S3BucketPolicy(this, "this-policy", {
      bucket: bucket.id,
      policy: policyDocument(this, "this-policy-document", [
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          actions: ["s3:*"],
          resources: [bucket.arn, `${bucket.arn}/*`],
          principals: [{ type: "*", identifiers: ["*"] }],
          conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
        ...(props.allow?.(bucket.arn) ?? []),
      ]),
      dependsOn: [publicAccessBlock],
    });
    if (props.lifecycleRules?.length) {
      new S3BucketLifecycleConfiguration(this, "this-lifecycle", {
        bucket: bucket.id,
        rule: props.lifecycleRules,
        dependsOn: [versioning],
      });
    }
  }
}
