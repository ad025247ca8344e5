import { Construct } from "constructs";
import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { PrivateBucket } from "./private-bucket";

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
 * to destroy (`aws_s3_bucket.state`), and a DynamoDB lock table with point-in-time recovery and deletion protection
 * (`aws_dynamodb_table.lock`).
 */
export class StateBackend extends Construct {
  readonly bucket: S3Bucket;
  readonly lockTable?: DynamodbTable;

  constructor(scope: Construct, id: string, props: StateBackendProps) {
    super(scope, id);
    this.bucket = new PrivateBucket(this, "state", {
      bucketName: props.bucketName,
      preventDestroy: true,
      encryption: { kind: "kms", keyId: props.kmsKeyId },
      lifecycleRules: [
        {
          id: "expire-old-state-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 90 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    }).bucket;
    if (props.lockTableName) {
      this.lockTable = new DynamodbTable(this, "lock", {
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
