import * as fs from "fs";
import * as path from "path";
import { readSynthesizedStacks, type TerraformJson } from "./cdktf-out";

/**
 * Runs the synthesized stacks against S3 and DynamoDB endpoints other than AWS's (a test server on loopback,
 * LocalStack, MinIO, ...) without editing the JSON that ships: Terraform merges `*_override.tf.json` files into the
 * configuration, so one such file beside `cdk.tf.json` re-points the stack's `s3` backend and every
 * `terraform_remote_state` it reads.
 *
 * Override files replace a backend block and a `config` argument as a whole (they are not merged key by key), so the
 * override repeats the shipped settings (bucket, key, region, lock table, use_lockfile, ...) and adds the endpoint
 * settings. Credentials never go into it: they come from the environment (AWS_ACCESS_KEY_ID, ...).
 *
 * The alternative with no file at all is AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_DYNAMODB in the environment: the
 * backend honours them too, but path-style addressing and the skip flags that a non-AWS server needs can only be
 * set in configuration, which is what this file is for.
 */
export const ENDPOINT_OVERRIDE_FILE = "endpoints_override.tf.json";

export interface EndpointOptions {
  /** S3 endpoint URL, e.g. http://127.0.0.1:4568. */
  readonly s3: string;
  /** DynamoDB endpoint URL (lock table). Default: none (AWS's, or AWS_ENDPOINT_URL_DYNAMODB). */
  readonly dynamodb?: string;
  /** Address buckets as `<endpoint>/<bucket>` instead of `<bucket>.<host>`. Default: true (test servers need it). */
  readonly pathStyle?: boolean;
}

/**
 * Settings added to an `s3` backend block or an s3 `terraform_remote_state` config: the endpoints, path-style
 * addressing, and the skips of every call a non-AWS server cannot answer (STS/IAM account lookups, EC2 metadata,
 * region list, the flexible checksums that s3rver and older MinIO reject).
 */
export function endpointSettings(options: EndpointOptions): TerraformJson {
  return {
    endpoints: { s3: options.s3, ...(options.dynamodb ? { dynamodb: options.dynamodb } : {}) },
    use_path_style: options.pathStyle ?? true,
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    skip_s3_checksum: true,
  };
}

/** The override for one stack's configuration, or undefined when it uses no S3 backend and reads no S3 state. */
export function endpointOverride(json: TerraformJson, options: EndpointOptions): TerraformJson | undefined {
  const override: TerraformJson = {};
  const backend = json.terraform?.backend?.s3;
  if (backend) override.terraform = { backend: { s3: { ...backend, ...endpointSettings(options) } } };
  const remoteStates = Object.entries<TerraformJson>(json.data?.terraform_remote_state ?? {}).filter(
    ([, block]) => block.backend === "s3",
  );
  if (remoteStates.length > 0) {
    override.data = {
      terraform_remote_state: Object.fromEntries(
        remoteStates.map(([name, block]) => [
          name,
          { backend: "s3", config: { ...block.config, ...endpointSettings(options) } },
        ]),
      ),
    };
  }
  return Object.keys(override).length > 0 ? override : undefined;
}

/**
 * Writes the override beside `cdk.tf.json` in a stack directory (replacing an earlier one) and returns its path, or
 * undefined when the stack needs none. Run `terraform init -reconfigure` afterwards: the backend settings changed.
 */
export function writeEndpointOverride(stackDir: string, options: EndpointOptions): string | undefined {
  const json = effectiveConfig(stackDir);
  const file = path.join(stackDir, ENDPOINT_OVERRIDE_FILE);
  const override = endpointOverride(json, options);
  if (!override) return undefined;
  fs.writeFileSync(file, JSON.stringify(override, null, 2) + "\n");
  return file;
}

/**
 * cdk.tf.json with the backend of any other override file already in the directory (e.g. the state-backend stack's
 * backend_override.tf.json after migration), which Terraform would apply before ours: ours must repeat that one.
 */
function effectiveConfig(stackDir: string): TerraformJson {
  const json: TerraformJson = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
  const others = fs
    .readdirSync(stackDir)
    .filter((f) => f.endsWith("_override.tf.json") && f !== ENDPOINT_OVERRIDE_FILE)
    .sort();
  for (const file of others) {
    const backend = JSON.parse(fs.readFileSync(path.join(stackDir, file), "utf8")).terraform?.backend;
    if (backend) json.terraform = { ...json.terraform, backend };
  }
  return json;
}

/** Deletes the override of a stack directory, if any: the stack talks to AWS again. */
export function removeEndpointOverride(stackDir: string): boolean {
  const file = path.join(stackDir, ENDPOINT_OVERRIDE_FILE);
  if (!fs.existsSync(file)) return false;
  fs.rmSync(file);
  return true;
}

const USAGE = `usage: npm run endpoints -- --s3 URL [--dynamodb URL] [--virtual-hosted] [--outdir DIR] [stack dir...]
       npm run endpoints -- --remove [--outdir DIR] [stack dir...]
Writes ${ENDPOINT_OVERRIDE_FILE} beside cdk.tf.json in each stack dir (default: every stack in cdktf.out).`;

interface CliArgs {
  readonly options?: EndpointOptions;
  readonly remove: boolean;
  readonly dirs: string[];
}

export function parseCliArgs(argv: readonly string[]): CliArgs {
  let s3: string | undefined;
  let dynamodb: string | undefined;
  let pathStyle = true;
  let remove = false;
  let outdir = "cdktf.out";
  const dirs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (!v || v.startsWith("--")) throw new Error(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    if (arg === "--s3") s3 = url(arg, value());
    else if (arg === "--dynamodb") dynamodb = url(arg, value());
    else if (arg === "--virtual-hosted") pathStyle = false;
    else if (arg === "--remove") remove = true;
    else if (arg === "--outdir") outdir = value();
    else if (arg.startsWith("--")) throw new Error(`unknown option ${arg}\n${USAGE}`);
    else dirs.push(arg);
  }
  if (!remove && !s3) throw new Error(`--s3 is required\n${USAGE}`);
  if (dirs.length === 0) dirs.push(...readSynthesizedStacks(outdir).map((s) => s.dir));
  return { options: s3 ? { s3, dynamodb, pathStyle } : undefined, remove, dirs };
}

function url(option: string, value: string): string {
  if (!/^https?:\/\/[^/]+/.test(value))
    throw new Error(`${option} ${value} is not an http(s) URL. Fix: e.g. http://127.0.0.1:4568`);
  return value.replace(/\/+$/, "");
}

function main(argv: readonly string[]): void {
  const args = parseCliArgs(argv);
  for (const dir of args.dirs) {
    if (args.remove) {
      if (removeEndpointOverride(dir)) console.log(`removed ${path.join(dir, ENDPOINT_OVERRIDE_FILE)}`);
    } else {
      const file = writeEndpointOverride(dir, args.options!);
      console.log(file ? `wrote ${file}` : `${dir}: no s3 backend or s3 remote state, nothing to override`);
    }
  }
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
