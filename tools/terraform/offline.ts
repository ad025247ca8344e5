import * as fs from "fs";
import * as path from "path";
import { stackFile, type SynthesizedStack, type TerraformJson } from "./cdktf-out";
import { sampleOutput, sampleString } from "./samples";
import { stateFile } from "./state-file";

export const OFFLINE_OVERRIDE_FILE = "offline_override.tf.json";

/**
 * Prepares a working directory where the shipped configuration (cdk.tf.json, or cdk.tf in the HCL form) plans with no
 * AWS account: Terraform's own override file (never an edit of the shipped file) swaps the S3 backend for a local one,
 * adds the provider's skip flags, points each terraform_remote_state at an outputs-only state file seeded from the
 * upstream stack's contract, switches off the data sources that would read AWS, and gives required variables a
 * stand-in default.
 */
export function prepareOfflineWorkdir(
  stack: SynthesizedStack,
  all: readonly SynthesizedStack[],
  workdir: string,
): void {
  fs.mkdirSync(workdir, { recursive: true });
  // Preparing a stack's own directory in place (the handoff bundle's test) adds only the override and seeds.
  if (path.resolve(workdir) !== path.resolve(stack.dir)) {
    fs.copyFileSync(path.join(stack.dir, stackFile(stack)), path.join(workdir, stackFile(stack)));
  }
  const remoteStates: Record<string, TerraformJson> = {};
  for (const [name, block] of Object.entries<TerraformJson>(stack.json.data?.terraform_remote_state ?? {})) {
    const upstream = upstreamOf(block, all);
    const seed = path.join(workdir, `seed-${upstream.id}.tfstate`);
    fs.writeFileSync(seed, JSON.stringify(seededState(upstream), null, 2));
    remoteStates[name] = { backend: "local", config: { path: seed } };
  }
  fs.writeFileSync(
    path.join(workdir, OFFLINE_OVERRIDE_FILE),
    JSON.stringify(offlineOverride(stack.json, remoteStates), null, 2),
  );
}

/**
 * Data sources the provider answers without calling AWS (policy documents are rendered locally, the rest are
 * static tables). Any other data source reads AWS at plan time; offline, its count is set to 0, and the stacks read
 * such sources only as `one(<source>[*].<attribute>)` with a stand-in (the release record in compute).
 */
export const OFFLINE_DATA_SOURCES: ReadonlySet<string> = new Set([
  "terraform_remote_state",
  "aws_iam_policy_document",
  "aws_region",
  "aws_partition",
  "aws_elb_service_account",
]);

export function offlineOverride(json: TerraformJson, remoteStates: Record<string, TerraformJson> = {}): TerraformJson {
  const providers = ([] as TerraformJson[]).concat(json.provider?.aws ?? []);
  const override: TerraformJson = {
    terraform: { backend: { local: { path: "terraform.tfstate" } } },
    provider: {
      aws: providers.map((p) => ({
        ...(p.alias ? { alias: p.alias } : {}),
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        // Offline there is no account to compare with, so an environment's accountId guard is lifted (null unsets).
        allowed_account_ids: null,
        skip_metadata_api_check: "true",
        skip_region_validation: true,
        max_retries: 1,
      })),
    },
  };
  const data: TerraformJson = Object.keys(remoteStates).length > 0 ? { terraform_remote_state: remoteStates } : {};
  for (const [type, blocks] of Object.entries<TerraformJson>(json.data ?? {})) {
    if (OFFLINE_DATA_SOURCES.has(type)) continue;
    data[type] = Object.fromEntries(Object.keys(blocks).map((name) => [name, { count: 0 }]));
  }
  if (Object.keys(data).length > 0) override.data = data;
  const required = Object.entries<TerraformJson>(json.variable ?? {}).filter(([, v]) => v.default === undefined);
  if (required.length > 0) {
    const inputs = offlineInputs(json);
    override.variable = Object.fromEntries(required.map(([name]) => [name, { default: inputs[name] }]));
  }
  return override;
}

/** The value each variable of the stack has when planned offline: its default, or the stand-in the override gives. */
export function offlineInputs(json: TerraformJson): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries<TerraformJson>(json.variable ?? {}).map(([name, v]) => [name, v?.default ?? sampleString(name)]),
  );
}

function upstreamOf(block: TerraformJson, all: readonly SynthesizedStack[]): SynthesizedStack {
  const key: string | undefined = block.config?.key;
  const upstream = all.find((s) => key === `${s.id}/terraform.tfstate`);
  if (!upstream) throw new Error(`remote state key ${key} matches no synthesized stack`);
  return upstream;
}

/** An outputs-only state (format 4) holding stand-ins for every output the upstream stack publishes. */
export function seededState(upstream: SynthesizedStack): TerraformJson {
  const outputs = Object.fromEntries(
    Object.entries<TerraformJson>(upstream.json.output ?? {}).map(([name, o]) => {
      const sample = sampleOutput(name, o.value);
      return [name, { ...sample, ...(o.sensitive ? { sensitive: true } : {}) }];
    }),
  );
  return stateFile({ lineage: `offline-seed-${upstream.id}`, outputs });
}
