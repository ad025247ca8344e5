import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  ENDPOINT_OVERRIDE_FILE,
  endpointOverride,
  parseCliArgs,
  removeEndpointOverride,
  writeEndpointOverride,
} from "../tools/terraform/endpoint-override";
import { stackById, synthToTemp } from "./helpers/synth";

/** The override re-points a shipped stack at other endpoints without losing any shipped backend setting. */
const { outdir, stacks } = synthToTemp({ blueprint: "library-app" });
const compute = stackById(stacks, "library-app-prod-compute");
const options = { s3: "http://127.0.0.1:4568", dynamodb: "http://127.0.0.1:4567" };

it("repeats the shipped s3 backend (overrides replace the block whole) and adds endpoints, path style and skips", () => {
  const backend = endpointOverride(compute, options)!.terraform.backend.s3;
  expect(backend).toMatchObject(compute.terraform.backend.s3);
  expect(backend).toMatchObject({
    endpoints: { s3: options.s3, dynamodb: options.dynamodb },
    use_path_style: true,
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    skip_s3_checksum: true,
  });
});

it("re-points every terraform_remote_state the stack reads, keeping bucket, key and region", () => {
  const shipped = compute.data.terraform_remote_state;
  const overridden = endpointOverride(compute, options)!.data.terraform_remote_state;
  expect(Object.keys(overridden).sort()).toEqual(Object.keys(shipped).sort());
  expect(Object.keys(shipped).length).toBeGreaterThanOrEqual(2);
  for (const [name, block] of Object.entries<{ config: object }>(shipped)) {
    expect(overridden[name]).toMatchObject({ backend: "s3", config: { ...block.config, use_path_style: true } });
    expect(overridden[name].config.endpoints).toEqual({ s3: options.s3, dynamodb: options.dynamodb });
  }
});

it("writes the file beside cdk.tf.json, never touching cdk.tf.json, and removes it again", () => {
  const dir = path.join(outdir, "stacks", "library-app-prod-network");
  const before = fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8");
  expect(writeEndpointOverride(dir, { s3: options.s3 })).toBe(path.join(dir, ENDPOINT_OVERRIDE_FILE));
  expect(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8")).toBe(before);
  const written = JSON.parse(fs.readFileSync(path.join(dir, ENDPOINT_OVERRIDE_FILE), "utf8"));
  expect(written.terraform.backend.s3.endpoints).toEqual({ s3: options.s3 });
  expect(removeEndpointOverride(dir)).toBe(true);
  expect(fs.existsSync(path.join(dir, ENDPOINT_OVERRIDE_FILE))).toBe(false);
});

it("leaves a stack with a local backend and no remote state alone", () => {
  expect(endpointOverride(stackById(stacks, "state-backend"), options)).toBeUndefined();
});

it("CLI: defaults to every stack of cdktf.out, rejects a missing --s3 and a non-URL", () => {
  const args = parseCliArgs(["--s3", "http://127.0.0.1:9000/", "--outdir", outdir]);
  expect(args.options).toEqual({ s3: "http://127.0.0.1:9000", dynamodb: undefined, pathStyle: true });
  expect(args.dirs).toHaveLength(stacks.length);
  expect(() => parseCliArgs(["--dynamodb", "http://x:1", os.tmpdir()])).toThrow(/--s3 is required/);
  expect(() => parseCliArgs(["--s3", "localhost:9000", os.tmpdir()])).toThrow(/is not an http\(s\) URL\. Fix:/);
});
