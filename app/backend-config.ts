import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { fromZodIssues, BlueprintError } from "../schema/errors";

/**
 * `backend.tf.json` is the one source of truth for remote state: a plain Terraform JSON S3 backend block, so that it
 * also documents itself to Terraform-only readers. Every stack gets an S3 backend from it with its own key.
 */
const s3BackendSchema = z.strictObject({
  /** State bucket (created by the state-backend stack). */
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
    error: "is not a valid S3 bucket name. Fix: 3-63 lower-case letters, digits, dots and hyphens",
  }),
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { error: "is not an AWS region. Fix: e.g. ap-northeast-1" }),
  /** DynamoDB lock table. At least one of dynamodb_table and use_lockfile must be set. */
  dynamodb_table: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,255}$/, { error: "is not a valid DynamoDB table name. Fix: 3-255 of A-Z a-z 0-9 _ . -" })
    .optional(),
  /** S3 native locking (conditional writes of <key>.tflock). */
  use_lockfile: z.boolean().optional(),
  /** Must be true: state holds resource attributes. */
  encrypt: z.literal(true, { error: "must be true: state files hold resource attributes. Fix: set encrypt: true" }),
  kms_key_id: z.string().optional(),
  /** Ignored: every stack uses `<stack id>/terraform.tfstate`. Kept so the file is a complete backend block. */
  key: z.string().optional(),
});

const backendFileSchema = z.strictObject({
  terraform: z.strictObject({ backend: z.strictObject({ s3: s3BackendSchema }) }),
});

export interface BackendConfig {
  readonly bucket: string;
  readonly region: string;
  readonly dynamodbTable?: string;
  readonly useLockfile?: boolean;
  readonly kmsKeyId?: string;
}

export const BACKEND_FILE = "backend.tf.json";

export function parseBackendConfig(raw: unknown, source = BACKEND_FILE): BackendConfig {
  const parsed = backendFileSchema.safeParse(raw);
  if (!parsed.success) throw new BlueprintError(source, fromZodIssues(raw, parsed.error.issues));
  const s3 = parsed.data.terraform.backend.s3;
  if (!s3.dynamodb_table && !s3.use_lockfile) {
    throw new BlueprintError(source, [
      {
        path: "terraform.backend.s3",
        value: undefined,
        message: "has no locking. Fix: set dynamodb_table, use_lockfile: true, or both",
      },
    ]);
  }
  return {
    bucket: s3.bucket,
    region: s3.region,
    dynamodbTable: s3.dynamodb_table,
    useLockfile: s3.use_lockfile,
    kmsKeyId: s3.kms_key_id,
  };
}

export function loadBackendConfig(file = path.resolve(BACKEND_FILE)): BackendConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new BlueprintError(file, [
      {
        path: "",
        value: undefined,
        message:
          "is missing. Fix: create backend.tf.json with a terraform.backend.s3 block (see docs/state-backend.md)",
      },
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new BlueprintError(file, [
      { path: "", value: undefined, message: `is not valid JSON (${(e as Error).message}). Fix: correct the syntax` },
    ]);
  }
  return parseBackendConfig(raw, file);
}

/** The state object key of a stack. */
export function stateKey(stackId: string): string {
  return `${stackId}/terraform.tfstate`;
}
