import { execFile, execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * Running real Terraform on a machine with no internet: the provider comes from a filesystem mirror, the CLI
 * configuration is written by us (never to the home directory) and passed per command, and update checks are off.
 */

let mirrorCache: string | undefined;

/** Root of the provider mirror: $TF_PROVIDER_MIRROR, else found on disk, else a clear error. */
export function providerMirror(): string {
  if (mirrorCache) return mirrorCache;
  const fromEnv = process.env.TF_PROVIDER_MIRROR;
  if (fromEnv) {
    if (!fs.existsSync(path.join(fromEnv, "registry.terraform.io"))) {
      throw new Error(
        `TF_PROVIDER_MIRROR=${fromEnv} holds no registry.terraform.io/ folder. Fix: point it at the mirror root`,
      );
    }
    return (mirrorCache = fromEnv);
  }
  let found = "";
  try {
    found = execFileSync(
      "find",
      ["/", "-xdev", "-maxdepth", "8", "-name", "terraform-provider-aws_*", "-path", "*registry.terraform.io*"],
      {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        timeout: 60_000,
      },
    );
  } catch (e) {
    found = (e as { stdout?: string }).stdout ?? "";
  }
  const binary = found.split("\n").find((l) => l.includes("/registry.terraform.io/hashicorp/aws/"));
  if (!binary) {
    throw new Error(
      "No hashicorp/aws provider mirror found. Fix: set TF_PROVIDER_MIRROR to the directory that holds registry.terraform.io/hashicorp/aws/<version>/<os_arch>/",
    );
  }
  // <root>/registry.terraform.io/hashicorp/aws/<version>/<os_arch>/<binary>
  return (mirrorCache = binary.split("/registry.terraform.io/")[0]);
}

/** Writes (once) a CLI config that installs providers only from the mirror, and returns its path. */
export function cliConfigFile(): string {
  const mirror = providerMirror();
  return writtenConfig(`fargate-blueprints-terraformrc-${shortHash(mirror)}`, mirrorInstallation(mirror));
}

/**
 * A CLI config for offline plans that starts the mirror's unpacked aws provider straight from the mirror
 * (Terraform's `dev_overrides`), or undefined when the mirror does not hold exactly `version` for this platform.
 *
 * Why: every Terraform command checks each installed provider against the working directory's lock file by
 * hashing the whole package, and the aws provider is a 700 MB binary: about 0.7 s of CPU per command, for a lock
 * file that `terraform init` wrote from this very mirror a moment before (a provider compared with itself). The
 * override names one directory and so one version, which is why it is only used for stacks that pin that version
 * exactly; other stacks, and every command that ships or checks a lock file, keep the plain mirror config.
 */
export function providerOverrideConfigFile(version: string): string | undefined {
  const mirror = providerMirror();
  const dir = path.join(mirror, "registry.terraform.io", "hashicorp", "aws", version, hostPlatform());
  if (!/^\d+\.\d+\.\d+$/.test(version) || !fs.existsSync(dir)) return undefined;
  const override = ["  dev_overrides {", `    "registry.terraform.io/hashicorp/aws" = ${JSON.stringify(dir)}`, "  }"];
  return writtenConfig(`fargate-blueprints-terraformrc-override-${shortHash(dir)}`, [
    ...override,
    ...mirrorInstallation(mirror),
  ]);
}

/** Installation from the mirror only: every registry.terraform.io provider from it, nothing from the network. */
function mirrorInstallation(mirror: string): string[] {
  return [
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(mirror)}`,
    `    include = ["registry.terraform.io/*/*"]`,
    "  }",
    "  direct {",
    `    exclude = ["registry.terraform.io/*/*"]`,
    "  }",
  ];
}

/** A CLI config in the temp dir holding `installation` as its provider_installation block, written when it differs. */
function writtenConfig(name: string, installation: readonly string[]): string {
  const file = path.join(os.tmpdir(), name);
  const text = ["provider_installation {", ...installation, "}", ""].join("\n");
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) fs.writeFileSync(file, text);
  return file;
}

const shortHash = (text: string) => crypto.createHash("sha256").update(text).digest("hex").slice(0, 12);

/**
 * The warning Terraform gives on every command run with providerOverrideConfigFile's config: a fact of how an
 * offline plan starts the provider, not of the stack planned, so it is left out of the stack's diagnostics.
 */
export const PROVIDER_OVERRIDE_NOTICE = "Provider development overrides are in effect";

/** Terraform's name for this machine's platform (`linux_amd64`). */
export function hostPlatform(): string {
  const arch: Record<string, string> = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" };
  const os_ = process.platform === "win32" ? "windows" : process.platform;
  return `${os_}_${arch[process.arch] ?? process.arch}`;
}

/**
 * Environment for offline plans of configurations that all require the aws provider at `versions`: the provider
 * started straight from the mirror when they pin one version the mirror holds (providerOverrideConfigFile), else
 * the plain mirror config; offline credentials either way.
 */
export function offlineTerraformEnv(versions: Iterable<string | undefined>, extra: NodeJS.ProcessEnv = {}) {
  const pinned = [...new Set(versions)];
  const override = pinned.length === 1 && pinned[0] ? providerOverrideConfigFile(pinned[0]) : undefined;
  return terraformEnv({ ...OFFLINE_AWS_ENV, ...(override ? { TF_CLI_CONFIG_FILE: override } : {}), ...extra });
}

/** The aws provider version a stack's configuration requires (its `required_providers` pin). */
export function awsProviderVersion(json: { terraform?: { required_providers?: Record<string, unknown> } }) {
  const aws = json.terraform?.required_providers?.aws as { version?: string } | undefined;
  return aws?.version;
}

/** Environment for one terraform command: mirror config, no update checks, no prompts. */
export function terraformEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfigFile(),
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    ...extra,
  };
}

/** Credentials that let the AWS provider plan offline; never valid anywhere, never written into any file. */
export const OFFLINE_AWS_ENV: NodeJS.ProcessEnv = {
  AWS_ACCESS_KEY_ID: "offline-plan-no-access",
  AWS_SECRET_ACCESS_KEY: "offline-plan-no-access",
  AWS_EC2_METADATA_DISABLED: "true",
};

export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs terraform; resolves with its exit code and output (never rejects on a non-zero exit). */
export function terraform(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = terraformEnv(),
): Promise<TerraformResult> {
  return new Promise((resolve) => {
    execFile("terraform", args, { cwd, env, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs tasks with at most `limit` at once (terraform is mostly provider start-up: 2 per core pair is right). */
export async function inPool<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
