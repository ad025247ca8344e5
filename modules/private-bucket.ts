import type { Construct } from "constructs";
import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
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

export interface PrivateBucketControlsProps {
  /** Default encryption: SSE-S3 (`{ kind: "s3" }`, what ALB log delivery requires) or SSE-KMS with an optional key
   *  (default: the AWS-managed aws/s3 key) and an S3 bucket key. */
  readonly encryption: { readonly kind: "s3" } | { readonly kind: "kms"; readonly keyId?: string };
  /** Statements added to the bucket policy after the TLS-only deny. Default: none. */
  readonly allow?: Statement[];
  /** Lifecycle rules. Default: none (no lifecycle configuration). */
  readonly lifecycleRules?: S3BucketLifecycleConfigurationRule[];
}

/**
 * What makes a bucket private, on a bucket its module creates: versioning, default encryption, all four
 * public-access blocks, bucket-owner-enforced ownership (no ACLs), and a policy that denies any request without TLS.
 * Resources are added to `scope` under fixed ids (versioning, encryption, public-access-block, ownership, tls-only,
 * policy, lifecycle), so a module's resource addresses do not depend on this helper. Orders what S3 needs ordered:
 * the policy after the public-access block (S3 aborts concurrent changes to both), lifecycle rules after versioning
 * (noncurrent-version rules mean nothing before it).
 */
export function privateBucketControls(scope: Construct, bucket: S3Bucket, props: PrivateBucketControlsProps) {
  const versioning = new S3BucketVersioningA(scope, "versioning", {
    bucket: bucket.id,
    versioningConfiguration: { status: "Enabled" },
  });
  new S3BucketServerSideEncryptionConfigurationA(scope, "encryption", {
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
  const publicAccessBlock = new S3BucketPublicAccessBlock(scope, "public-access-block", {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(scope, "ownership", {
    bucket: bucket.id,
    rule: { objectOwnership: "BucketOwnerEnforced" },
  });
  const policy = new S3BucketPolicy(scope, "policy", {
    bucket: bucket.id,
    policy: policyDocument(scope, "tls-only", [
      {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        actions: ["s3:*"],
        resources: [bucket.arn, `${bucket.arn}/*`],
        principals: [{ type: "*", identifiers: ["*"] }],
        conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
      ...(props.allow ?? []),
    ]),
    dependsOn: [publicAccessBlock],
  });
  if (props.lifecycleRules?.length) {
    new S3BucketLifecycleConfiguration(scope, "lifecycle", {
      bucket: bucket.id,
      rule: props.lifecycleRules,
      dependsOn: [versioning],
    });
  }
  return { versioning, publicAccessBlock, policy };
}
