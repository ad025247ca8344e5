import { DataResource, TerraformVariable, type App } from "cdktf";
import type { Construct } from "constructs";
import type { BackendConfig } from "../../app/backend-config";
import { BlueprintStack, type BlueprintStackProps } from "../../stacks/blueprint-stack";
import { StateBackendStack } from "../../stacks/state-backend-stack";

/**
 * A test-only app whose stacks derive from BlueprintStack, so that the S3 backend and the publish/fromStack remote
 * state are exactly the project's; their resources are Terraform's built-in `terraform_data` (no cloud API).
 *
 * They leave out BlueprintStack's AWS provider, which none of their resources uses: with it in the configuration,
 * every Terraform command (about thirty in the backend tests) loads the AWS provider's schema, four to five seconds
 * of CPU each, for nothing the backend does.
 */
export const TEST_BUCKET = "itest-tfstate";
export const TEST_LOCK_TABLE = "itest-tflock";
export const TEST_REGION = "ap-northeast-1";

export const DYNAMODB_BACKEND: BackendConfig = {
  bucket: TEST_BUCKET,
  region: TEST_REGION,
  dynamodbTable: TEST_LOCK_TABLE,
};
/** S3 native locking alone: any refusal must come from the conditional write of `<key>.tflock`. */
export const LOCKFILE_BACKEND: BackendConfig = { bucket: TEST_BUCKET, region: TEST_REGION, useLockfile: true };

export const UPSTREAM = "itest-upstream";
export const DOWNSTREAM = "itest-downstream";
export const DYNAMODB_LOCKED = "itest-dynamodb-lock";
export const LOCKFILE_LOCKED = "itest-lockfile-lock";

function withoutAwsProvider(stack: BlueprintStack): void {
  if (!stack.node.tryRemoveChild("aws")) throw new Error(`${stack.node.id}: BlueprintStack's provider is not "aws"`);
}

function props(backend: BackendConfig, id: string): BlueprintStackProps {
  return {
    backend,
    region: TEST_REGION,
    tags: { Stack: id, ManagedBy: "terraform" },
    policy: { production: false, suppressions: [] },
  };
}

/** Publishes `greeting_name`, the value the downstream stack reads. */
class UpstreamStack extends BlueprintStack {
  constructor(scope: Construct, greeting: string) {
    super(scope, UPSTREAM, props(DYNAMODB_BACKEND, UPSTREAM));
    withoutAwsProvider(this);
    const marker = new DataResource(this, "marker", { input: { greeting } });
    this.publish("marker_id", "string", marker.id, "Id of the upstream terraform_data");
    this.publish("greeting_name", "string", greeting, "The greeting downstream copies");
  }
}

class DownstreamStack extends BlueprintStack {
  constructor(scope: Construct, upstream: UpstreamStack) {
    super(scope, DOWNSTREAM, props(DYNAMODB_BACKEND, DOWNSTREAM));
    withoutAwsProvider(this);
    new DataResource(this, "copy", { input: { greeting: this.fromStack(upstream).string("greeting_name") } });
  }
}

/**
 * Three independent resources for lock drills: `first` and `third` run `sleep <hold_seconds>` when created, so an
 * apply targeting one of them holds the state lock for as long as the test needs; `second` is instant.
 */
class LockDrillStack extends BlueprintStack {
  constructor(scope: Construct, id: string, backend: BackendConfig) {
    super(scope, id, props(backend, id));
    withoutAwsProvider(this);
    const hold = new TerraformVariable(this, "hold_seconds", { type: "number", default: 0 });
    const slow = (name: string) =>
      new DataResource(this, name, {
        input: { name },
        provisioners: [{ type: "local-exec", command: `sleep ${hold.value}` }],
      });
    slow("first");
    new DataResource(this, "second", { input: { name: "second" } });
    slow("third");
  }
}

/** The project's real state-backend stack (bootstrap and migration only: s3rver cannot apply its bucket settings). */
export function addBackendTestStacks(app: App, greeting: string): void {
  new StateBackendStack(app, DYNAMODB_BACKEND);
  const upstream = new UpstreamStack(app, greeting);
  new DownstreamStack(app, upstream);
  new LockDrillStack(app, DYNAMODB_LOCKED, DYNAMODB_BACKEND);
  new LockDrillStack(app, LOCKFILE_LOCKED, LOCKFILE_BACKEND);
}
