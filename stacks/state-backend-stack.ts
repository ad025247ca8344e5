import { Construct } from "constructs";
import { LocalBackend, TerraformOutput } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { BackendConfig } from "../schema/backend-config";
import { StateBackend } from "../modules/state-backend";
import { ReadableStack } from "./readable-stack";

export const STATE_BACKEND_STACK_ID = "state-backend";

/**
 * Creates the bucket and lock table that backend.tf.json names. Its own state starts local (nothing exists yet to
 * hold it); docs/state-backend.md shows how to migrate it into the bucket afterwards.
 */
export class StateBackendStack extends ReadableStack {
  constructor(scope: Construct, backend: BackendConfig) {
    super(scope, STATE_BACKEND_STACK_ID);
    new LocalBackend(this, { path: "terraform.tfstate" });
    new AwsProvider(this, "aws", {
      region: backend.region,
      defaultTags: [{ tags: { ManagedBy: "terraform", Stack: STATE_BACKEND_STACK_ID, Purpose: "terraform-state" } }],
    });
    const state = new StateBackend(this, "this-state", {
      bucketName: backend.bucket,
      lockTableName: backend.dynamodbTable,
      kmsKeyId: backend.kmsKeyId,
    });
    new TerraformOutput(this, "state_bucket_arn", {
      value: state.bucket.arn,
      description: "State bucket ARN",
    }).overrideLogicalId("state_bucket_arn");
    if (state.lockTable) {
      new TerraformOutput(this, "lock_table_arn", {
        value: state.lockTable.arn,
        description: "Lock table ARN",
      }).overrideLogicalId("lock_table_arn");
    }
  }
}
