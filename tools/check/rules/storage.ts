import type { TerraformJson } from "../../terraform/cdktf-out";
import type { Rule, StackContext } from "../types";
import { attachedTo, block } from "../resources";

const bucketPart = (ctx: StackContext, type: string, name: string) =>
  attachedTo(ctx, type, "bucket", { type: "aws_s3_bucket", name });

/** The policy text of a bucket policy: a literal, or the aws_iam_policy_document it points at. */
function policyText(ctx: StackContext, policy: TerraformJson): string {
  const ref = /data\.aws_iam_policy_document\.([^.]+)\.json/.exec(String(policy.policy ?? ""));
  return ref ? JSON.stringify(ctx.json.data?.aws_iam_policy_document?.[ref[1]] ?? {}) : String(policy.policy ?? "");
}

export const STORAGE_RULES: Rule[] = [
  {
    id: "s3-public-access-block",
    title: "S3 buckets block all public access",
    severity: "high",
    resourceType: "aws_s3_bucket",
    checkov: ["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"],
    fsbp: "S3.1, S3.8",
    check: (_b, ctx, name) => {
      const [pab] = bucketPart(ctx, "aws_s3_bucket_public_access_block", name);
      const flags = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];
      const missing = flags.filter((f) => pab?.[f] !== true);
      return missing.length > 0 ? `public access not blocked: ${missing.join(", ")}` : undefined;
    },
  },
  {
    id: "s3-encryption",
    title: "S3 buckets have default encryption configured",
    severity: "high",
    resourceType: "aws_s3_bucket",
    checkov: ["CKV_AWS_19", "CKV_AWS_145"],
    check: (_b, ctx, name) =>
      bucketPart(ctx, "aws_s3_bucket_server_side_encryption_configuration", name).length > 0
        ? undefined
        : "no server-side encryption configuration",
  },
  {
    id: "s3-versioning",
    title: "S3 buckets are versioned",
    severity: "high",
    resourceType: "aws_s3_bucket",
    checkov: ["CKV_AWS_21"],
    fsbp: "S3.14",
    check: (_b, ctx, name) => {
      const [v] = bucketPart(ctx, "aws_s3_bucket_versioning", name);
      return block(v?.versioning_configuration)?.status === "Enabled" ? undefined : "versioning is not enabled";
    },
  },
  {
    id: "s3-tls-only",
    title: "S3 bucket policies deny requests without TLS",
    severity: "high",
    resourceType: "aws_s3_bucket",
    checkov: ["CKV_AWS_379"],
    fsbp: "S3.5",
    check: (_b, ctx, name) => {
      const policies = bucketPart(ctx, "aws_s3_bucket_policy", name).map((p) => policyText(ctx, p));
      return policies.some((p) => p.includes("aws:SecureTransport") && /deny/i.test(p))
        ? undefined
        : "no bucket policy denies aws:SecureTransport = false";
    },
  },
  {
    id: "dynamodb-pitr",
    title: "DynamoDB tables have point-in-time recovery",
    severity: "high",
    resourceType: "aws_dynamodb_table",
    checkov: ["CKV_AWS_28"],
    fsbp: "DynamoDB.2",
    check: (t) => (block(t.point_in_time_recovery)?.enabled === true ? undefined : "point-in-time recovery is off"),
  },
  {
    id: "dynamodb-encryption",
    title: "DynamoDB tables are encrypted with a KMS key",
    severity: "high",
    resourceType: "aws_dynamodb_table",
    checkov: ["CKV_AWS_119"],
    check: (t) =>
      block(t.server_side_encryption)?.enabled === true ? undefined : "server-side encryption with KMS is off",
  },
  {
    id: "logs-retention",
    title: "Log groups have a retention period",
    severity: "high",
    resourceType: "aws_cloudwatch_log_group",
    checkov: ["CKV_AWS_338"],
    note: "checkov asks for at least 365 days; this rule asks that logs expire at all, at the days the blueprint sets.",
    check: (g) => (Number(g.retention_in_days ?? 0) > 0 ? undefined : "logs are kept forever"),
  },
  {
    id: "ecr-scan-on-push",
    title: "ECR repositories scan images on push",
    severity: "high",
    resourceType: "aws_ecr_repository",
    checkov: ["CKV_AWS_163"],
    fsbp: "ECR.1",
    check: (r) => (block(r.image_scanning_configuration)?.scan_on_push === true ? undefined : "scan on push is off"),
  },
  {
    id: "ecr-immutable-tags",
    title: "ECR image tags are immutable",
    severity: "high",
    resourceType: "aws_ecr_repository",
    checkov: ["CKV_AWS_51"],
    fsbp: "ECR.2",
    check: (r) => (r.image_tag_mutability === "IMMUTABLE" ? undefined : "image tags can be overwritten"),
  },
  {
    id: "ecr-lifecycle",
    title: "ECR repositories have a lifecycle policy",
    severity: "high",
    resourceType: "aws_ecr_repository",
    checkov: [],
    fsbp: "ECR.3",
    check: (_r, ctx, name) =>
      attachedTo(ctx, "aws_ecr_lifecycle_policy", "repository", { type: "aws_ecr_repository", name }).length > 0
        ? undefined
        : "no lifecycle policy",
  },
];
