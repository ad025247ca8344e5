import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { TerraformJson } from "../terraform/cdktf-out";
import { providerMirror, terraform, terraformEnv } from "../terraform/environment";

export const LOCK_FILE = ".terraform.lock.hcl";

/** Platforms whose checksums a lock file made from the registry carries (a mirror has only its own). */
const REGISTRY_PLATFORMS = ["linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64"];

export interface LockResult {
  readonly text: string;
  /** Where the checksums came from: the filesystem mirror (its platforms only) or the registry. */
  readonly source: "mirror" | "registry";
  readonly platforms: readonly string[];
}

/**
 * A dependency lock file for a stack's required providers, made by `terraform providers lock` (Terraform's own
 * checksums, not ours) in a scratch directory that holds only the `required_providers` block. From the provider
 * mirror when there is one (this machine: no registry), else from the registry for the common platforms. Stacks
 * pinning the same providers share one result.
 */
export async function providerLock(json: TerraformJson, cache: Map<string, LockResult>): Promise<LockResult> {
  const required = json.terraform?.required_providers ?? {};
  const cacheKey = JSON.stringify(required);
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-lock-"));
  try {
    fs.writeFileSync(
      path.join(scratch, "providers.tf.json"),
      JSON.stringify({ terraform: { required_providers: required } }),
    );
    const mirror = findMirror();
    const platforms = mirror ? mirrorPlatforms(mirror) : REGISTRY_PLATFORMS;
    const args = ["providers", "lock", "-no-color", ...(mirror ? [`-fs-mirror=${mirror}`] : [])];
    args.push(...platforms.map((p) => `-platform=${p}`));
    const env = mirror ? terraformEnv() : { ...process.env, CHECKPOINT_DISABLE: "1" };
    const result = await terraform(args, scratch, env);
    if (result.code !== 0) {
      throw new Error(`terraform providers lock failed:\n${result.stdout}${result.stderr}`);
    }
    const lock: LockResult = {
      text: fs.readFileSync(path.join(scratch, LOCK_FILE), "utf8"),
      source: mirror ? "mirror" : "registry",
      platforms,
    };
    cache.set(cacheKey, lock);
    return lock;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function findMirror(): string | undefined {
  try {
    return providerMirror();
  } catch {
    return undefined;
  }
}

/** Platforms the mirror holds packages for (`<mirror>/<host>/<ns>/<name>/<version>/<os_arch>`). */
function mirrorPlatforms(mirror: string): string[] {
  const platforms = new Set<string>();
  const walk = (dir: string, depth: number) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      if (depth === 4) platforms.add(entry.name);
      else walk(path.join(dir, entry.name), depth + 1);
    }
  };
  walk(mirror, 0);
  return [...platforms].filter((p) => /^[a-z0-9]+_[a-z0-9]+$/.test(p)).sort();
}
