import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { synthesize } from "../app/synth";
import { readSynthesizedStacks } from "../tools/terraform/cdktf-out";
import { dataOf, onlyResource, resourcesOf, stackById, synthToTemp } from "./helpers/synth";

/** The state-backend stack builds every safeguard of the bucket and lock table backend.tf.json names. */
const json = stackById(synthToTemp({ blueprint: "library-app" }).stacks, "state-backend");

it("keeps its own state local: nothing exists yet to hold it", () => {
  expect(Object.keys(json.terraform.backend)).toEqual(["local"]);
});

it("creates the named bucket, which Terraform refuses to destroy", () => {
  expect(onlyResource(json, "aws_s3_bucket")).toMatchObject({
    bucket: "fargate-blueprints-tfstate-apne1",
    force_destroy: false,
    lifecycle: { prevent_destroy: true },
  });
});

it("versions, encrypts, blocks public access and enforces bucket-owner object ownership", () => {
  expect(onlyResource(json, "aws_s3_bucket_versioning").versioning_configuration.status).toBe("Enabled");
  expect(onlyResource(json, "aws_s3_bucket_server_side_encryption_configuration").rule[0]).toMatchObject({
    apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" },
  });
  expect(onlyResource(json, "aws_s3_bucket_public_access_block")).toMatchObject({
    block_public_acls: true,
    block_public_policy: true,
    ignore_public_acls: true,
    restrict_public_buckets: true,
  });
  expect(onlyResource(json, "aws_s3_bucket_ownership_controls").rule.object_ownership).toBe("BucketOwnerEnforced");
});

it("denies every request that does not use TLS, on the bucket and its objects", () => {
  const policy = onlyResource(json, "aws_s3_bucket_policy");
  const [document] = dataOf(json, "aws_iam_policy_document");
  expect(policy.policy).toMatch(/^\$\{data\.aws_iam_policy_document\.[^.]+\.json\}$/);
  expect(document.statement).toEqual([
    expect.objectContaining({
      effect: "Deny",
      actions: ["s3:*"],
      principals: [{ type: "*", identifiers: ["*"] }],
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    }),
  ]);
  expect(document.statement[0].resources).toHaveLength(2);
  expect(document.statement[0].resources[1]).toMatch(/\.arn\}\/\*$/);
});

it("expires old state versions, once versioning is on", () => {
  const lifecycle = onlyResource(json, "aws_s3_bucket_lifecycle_configuration");
  expect(lifecycle.rule[0]).toMatchObject({
    status: "Enabled",
    noncurrent_version_expiration: [{ noncurrent_days: 90 }],
  });
  expect(lifecycle.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_versioning\./)]);
});

it("creates the lock table Terraform expects, on demand, recoverable, encrypted and protected", () => {
  expect(onlyResource(json, "aws_dynamodb_table")).toMatchObject({
    name: "fargate-blueprints-tflock",
    hash_key: "LockID",
    attribute: [{ name: "LockID", type: "S" }],
    billing_mode: "PAY_PER_REQUEST",
    point_in_time_recovery: { enabled: true },
    server_side_encryption: { enabled: true },
    deletion_protection_enabled: true,
    lifecycle: { prevent_destroy: true },
  });
});

it("follows backend.tf.json: a lockfile-only backend gets no table; kms_key_id becomes the bucket's default key", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-state-backend-"));
  const backendFile = path.join(dir, "backend.tf.json");
  const s3 = {
    bucket: "other-tfstate",
    region: "eu-west-1",
    use_lockfile: true,
    encrypt: true,
    kms_key_id: "alias/tf",
  };
  fs.writeFileSync(backendFile, JSON.stringify({ terraform: { backend: { s3 } } }));
  synthesize({ outdir: path.join(dir, "cdktf.out"), backendFile, blueprint: "library-app" });
  const stacks = readSynthesizedStacks(path.join(dir, "cdktf.out"));
  const other = stackById(stacks, "state-backend");
  expect(resourcesOf(other, "aws_dynamodb_table")).toEqual([]);
  expect(onlyResource(other, "aws_s3_bucket").bucket).toBe("other-tfstate");
  expect(
    onlyResource(other, "aws_s3_bucket_server_side_encryption_configuration").rule[0]
      .apply_server_side_encryption_by_default.kms_master_key_id,
  ).toBe("alias/tf");
  const network = stackById(stacks, "library-app-prod-network");
  expect(network.terraform.backend.s3).toMatchObject({ bucket: "other-tfstate", use_lockfile: true });
  expect(network.terraform.backend.s3.dynamodb_table).toBeUndefined();
});

it("keeps the bootstrap's local state across a new synthesis (cdktf.out is replaced as a whole)", () => {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fbp-local-state-")), "cdktf.out");
  synthesize({ outdir, blueprint: "library-app" });
  const stateFile = path.join(outdir, "stacks", "state-backend", "terraform.tfstate");
  fs.writeFileSync(stateFile, '{"version":4,"serial":7}');
  synthesize({ outdir, blueprint: "library-app" });
  expect(fs.readFileSync(stateFile, "utf8")).toBe('{"version":4,"serial":7}');
  // A stack holding local state that is no longer synthesized stops the synthesis, leaving cdktf.out as it was.
  fs.mkdirSync(path.join(outdir, "stacks", "retired"));
  fs.writeFileSync(path.join(outdir, "stacks", "retired", "terraform.tfstate"), "{}");
  expect(() => synthesize({ outdir, blueprint: "library-app" })).toThrow(/stack retired is no longer synthesized/);
  expect(fs.readFileSync(stateFile, "utf8")).toBe('{"version":4,"serial":7}');
});
