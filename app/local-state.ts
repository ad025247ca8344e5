import * as fs from "fs";
import * as path from "path";
import { stateKey, type BackendConfig } from "./backend-config";

/**
 * The state-backend stack keeps its state in a local file inside its synthesized directory until that state is
 * migrated into the bucket the stack made. A new synthesis replaces cdktf.out as a whole, so the files that are not
 * synthesis output but operator data are carried from the old directory into the new one: local state (the only
 * record of the bucket and table before migration) and the backend override that, after migration, points the
 * stack at its own bucket.
 */
export const STATE_MIGRATION_OVERRIDE_FILE = "backend_override.tf.json";

const LOCAL_STATE_FILES = ["terraform.tfstate", "terraform.tfstate.backup"];
/** Suffix of local state kept after migration: a record Terraform does not read. */
export const PRE_MIGRATION_SUFFIX = ".pre-migration";

/**
 * Copies the operator files of every stack from the previous cdktf.out into the staged one. Once a stack has the
 * migration override, its local state is stale (Terraform leaves it behind, and a fresh `terraform init` would offer
 * to copy it over the real state in S3): it is kept under a `.pre-migration` name that Terraform ignores. Throws,
 * before anything is replaced, when a stack that holds such files is no longer synthesized.
 */
export function carryLocalState(previousOutdir: string, stagedOutdir: string): string[] {
  const previousStacks = path.join(previousOutdir, "stacks");
  if (!fs.existsSync(previousStacks)) return [];
  const carried: string[] = [];
  for (const id of fs.readdirSync(previousStacks)) {
    const from = path.join(previousStacks, id);
    const migrated = fs.existsSync(path.join(from, STATE_MIGRATION_OVERRIDE_FILE));
    const moves = fs.readdirSync(from).flatMap((f): [string, string][] => {
      if (f === STATE_MIGRATION_OVERRIDE_FILE || f.endsWith(PRE_MIGRATION_SUFFIX)) return [[f, f]];
      if (LOCAL_STATE_FILES.includes(f)) return [[f, migrated ? f + PRE_MIGRATION_SUFFIX : f]];
      return [];
    });
    if (moves.length === 0) continue;
    const target = path.join(stagedOutdir, "stacks", id);
    if (!fs.existsSync(target)) {
      throw new Error(
        `stack ${id} is no longer synthesized but ${from} holds ${moves.map(([f]) => f).join(", ")}. ` +
          "Fix: migrate or move that state out of cdktf.out first (see docs/state-backend.md)",
      );
    }
    for (const [f, to] of moves) {
      fs.copyFileSync(path.join(from, f), path.join(target, to));
      carried.push(path.join("stacks", id, to));
    }
  }
  return carried;
}

/**
 * The backend override that moves the state-backend stack's own state into the bucket it created (key
 * `state-backend/terraform.tfstate`), locked like every other stack. Written beside its cdk.tf.json; then
 * `terraform init -migrate-state` copies the local state over.
 */
export function stateMigrationOverride(backend: BackendConfig, stackId: string): Record<string, unknown> {
  return {
    terraform: {
      backend: {
        s3: {
          bucket: backend.bucket,
          key: stateKey(stackId),
          region: backend.region,
          encrypt: true,
          ...(backend.kmsKeyId ? { kms_key_id: backend.kmsKeyId } : {}),
          ...(backend.dynamodbTable ? { dynamodb_table: backend.dynamodbTable } : {}),
          ...(backend.useLockfile ? { use_lockfile: true } : {}),
        },
      },
    },
  };
}

export function writeStateMigrationOverride(stackDir: string, backend: BackendConfig): string {
  const file = path.join(stackDir, STATE_MIGRATION_OVERRIDE_FILE);
  const stackId = path.basename(stackDir);
  fs.writeFileSync(file, JSON.stringify(stateMigrationOverride(backend, stackId), null, 2) + "\n");
  return file;
}
