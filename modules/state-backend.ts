import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

export interface StateBackendProps {
  readonly bucketName: string;
  /** DynamoDB lock table. Default: none (S3 native locking only). */
  readonly lockTableName?: string;
  /** Days noncurrent state versions are kept. Default: 90. */
  readonly noncurrentVersionDays?: number;
  /** KMS key for the bucket's default encryption (backend.tf.json's kms_key_id). Default: the AWS-managed aws/s3 key. */
  readonly kmsKeyId?: string;
}

/**
 * Where every other stack keeps its state: a versioned, encrypted, private, TLS-only bucket that Terraform refuses
 * to destroy, and a DynamoDB lock table with point-in-time recovery and deletion protection.
 */
export class StateBackend extends Construct {
  readonly bucket: S3Bucket;
  readonly lockTable?: DynamodbTable;

  constructor(scope: Construct, id: string, props: StateBackendProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    const versioning = new S3BucketVersioningA(this, "versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyId },
          bucketKeyEnabled: true,
        },
      ],
    });
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", {
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    const tlsOnly = new DataAwsIamPolicyDocument(this, "tls-only", {
      statement: [
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          actions: ["s3:*"],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          principals: [{ type: "*", identifiers: ["*"] }],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    // S3 rejects concurrent changes to a bucket's public-access block and policy (OperationAborted): one at a time.
    new S3BucketPolicy(this, "policy", {
      bucket: this.bucket.id,
      policy: tlsOnly.json,
      dependsOn: [publicAccessBlock],
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: [
        {
          id: "expire-old-state-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 90 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
      // Noncurrent-version rules mean nothing until versioning is on (the provider's documented ordering).
      dependsOn: [versioning],
    });
    if (props.lockTableName) {
      this.lockTable = new DynamodbTable(this, "lock-table", {
        name: props.lockTableName,
        billingMode: "PAY_PER_REQUEST",
        hashKey: "LockID",
        attribute: [{ name: "LockID", type: "S" }],
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true },
        deletionProtectionEnabled: true,
        lifecycle: { preventDestroy: true },
      });
    }
  }
}
