import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadBackendConfig, parseBackendConfig } from "../app/backend-config";
import { synthesize } from "../app/synth";
import { BlueprintError } from "../schema/errors";

const valid = () => JSON.parse(fs.readFileSync(path.join(__dirname, "..", "backend.tf.json"), "utf8"));

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof BlueprintError) return e.message;
    throw e;
  }
  throw new Error("expected a BlueprintError");
}

it("reads the shipped backend.tf.json", () => {
  expect(loadBackendConfig(path.join(__dirname, "..", "backend.tf.json"))).toEqual({
    bucket: "fargate-blueprints-tfstate-apne1",
    region: "ap-northeast-1",
    dynamodbTable: "fargate-blueprints-tflock",
    useLockfile: undefined,
    kmsKeyId: undefined,
  });
});

it("names a missing file and how to fix it", () => {
  expect(messageOf(() => loadBackendConfig("/nonexistent/backend.tf.json"))).toMatch(
    /is missing\. Fix: create backend\.tf\.json/,
  );
});

it("names malformed JSON", () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fbp-backend-")), "backend.tf.json");
  fs.writeFileSync(file, "{ terraform: ");
  expect(messageOf(() => loadBackendConfig(file))).toMatch(/not valid JSON .*Fix: correct the syntax/);
});

it.each([
  [
    "bucket",
    (c: { terraform: { backend: { s3: Record<string, unknown> } } }) => (c.terraform.backend.s3.bucket = "Bad_Bucket"),
    "terraform.backend.s3.bucket",
  ],
  [
    "encryption off",
    (c: { terraform: { backend: { s3: Record<string, unknown> } } }) => (c.terraform.backend.s3.encrypt = false),
    "terraform.backend.s3.encrypt",
  ],
  [
    "no locking",
    (c: { terraform: { backend: { s3: Record<string, unknown> } } }) => delete c.terraform.backend.s3.dynamodb_table,
    "terraform.backend.s3",
  ],
  [
    "unknown field",
    (c: { terraform: { backend: { s3: Record<string, unknown> } } }) => (c.terraform.backend.s3.buckett = "x"),
    "terraform.backend.s3.buckett",
  ],
  [
    "another backend type",
    (c: { terraform: { backend: Record<string, unknown> } }) => (c.terraform.backend = { gcs: {} }),
    "terraform.backend",
  ],
])("rejects %s with the field path and a fix", (_name, change, field) => {
  const config = valid();
  change(config);
  const message = messageOf(() => parseBackendConfig(config));
  expect(message).toContain(`${field}`);
  expect(message).toContain("Fix:");
});

it("turns on S3 native locking in every stack's backend when backend.tf.json asks", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-backend-"));
  const config = valid();
  config.terraform.backend.s3.use_lockfile = true;
  fs.writeFileSync(path.join(dir, "backend.tf.json"), JSON.stringify(config));
  const outdir = path.join(dir, "cdktf.out");
  synthesize({ outdir, backendFile: path.join(dir, "backend.tf.json"), blueprint: "library-app" });
  const network = JSON.parse(
    fs.readFileSync(path.join(outdir, "stacks", "library-app-prod-network", "cdk.tf.json"), "utf8"),
  );
  expect(network.terraform.backend.s3).toMatchObject({
    use_lockfile: true,
    dynamodb_table: "fargate-blueprints-tflock",
  });
});

it("leaves an existing cdktf.out untouched when validation fails", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-atomic-"));
  const outdir = path.join(dir, "cdktf.out");
  synthesize({ outdir, blueprint: "library-app" });
  const before = fs.readFileSync(path.join(outdir, "manifest.json"), "utf8");
  const bad = path.join(dir, "bad.json");
  fs.writeFileSync(bad, JSON.stringify({ name: "bad", environments: [] }));
  expect(() => synthesize({ outdir, blueprintFile: bad })).toThrow(BlueprintError);
  expect(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")).toBe(before);
  expect(fs.readdirSync(dir).sort()).toEqual(["bad.json", "cdktf.out"]);
});

it("rejects an unknown BLUEPRINT or ENVIRONMENT with the choices", () => {
  expect(messageOf(() => synthesize({ outdir: os.tmpdir() + "/never", blueprint: "nope" }))).toMatch(
    /names no blueprint\. Fix: use one of .*library-app/,
  );
  expect(
    messageOf(() => synthesize({ outdir: os.tmpdir() + "/never", blueprint: "library-app", environment: "qa" })),
  ).toMatch(/names no environment\. Fix: use one of prod/);
});
