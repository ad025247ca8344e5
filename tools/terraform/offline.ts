import * as fs from "fs";
import * as path from "path";
import { awsProviderBlocks, JSON_FILE, stackFile, type SynthesizedStack, type TerraformJson } from "./cdktf-out";
import { withoutBlocks } from "./hcl-blocks";
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
  options: OfflineWorkdirOptions = {},
): void {
  fs.mkdirSync(workdir, { recursive: true });
  const inPlace = path.resolve(workdir) === path.resolve(stack.dir);
  if (options.sharedProviders && inPlace) {
    throw new Error(`${stack.id}: a stack's provider blocks are taken out of a copy, never out of ${stack.dir}`);
  }
  // Preparing a stack's own directory in place (the handoff bundle's test) adds only the override and seeds.
  if (!inPlace) {
    const text = fs.readFileSync(path.join(stack.dir, stackFile(stack)), "utf8");
    fs.writeFileSync(
      path.join(workdir, stackFile(stack)),
      options.sharedProviders ? withoutProviders(stack, text) : text,
    );
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
    JSON.stringify(offlineOverride(stack.json, remoteStates, options), null, 2),
  );
}

export interface OfflineWorkdirOptions {
  /**
   * Validation of many stacks in one process with one provider instance per configuration of the batch root, not
   * one per stack (a provider instance costs about 1 s of CPU per walk): the copy of the stack leaves out its
   * provider blocks, and the override declares the aliased configurations it is passed instead. The provider blocks
   * themselves are then not what Terraform validates, so a caller proves them another way. Default false.
   */
  readonly sharedProviders?: boolean;
}

/** The stack's configuration text without its provider blocks (JSON or HCL, as the stack file is written). */
function withoutProviders(stack: SynthesizedStack, text: string): string {
  if (stackFile(stack) !== JSON_FILE) return withoutBlocks(text, "provider");
  const json = JSON.parse(text);
  delete json.provider;
  return JSON.stringify(json, null, 2);
}

/** What every offline provider configuration sets: no credential, account or region lookups, one retry. */
export const OFFLINE_PROVIDER_SETTINGS: TerraformJson = {
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: "true",
  skip_region_validation: true,
  max_retries: 1,
};

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

export function offlineOverride(
  json: TerraformJson,
  remoteStates: Record<string, TerraformJson> = {},
  options: OfflineWorkdirOptions = {},
): TerraformJson {
  const providers = awsProviderBlocks(json);
  const override: TerraformJson = {
    terraform: { backend: { local: { path: "terraform.tfstate" } } },
  };
  if (!options.sharedProviders) {
    override.provider = {
      aws: providers.map((p) => ({
        ...(p.alias ? { alias: p.alias } : {}),
        ...OFFLINE_PROVIDER_SETTINGS,
        // Offline there is no account to compare with, so an environment's accountId guard is lifted (null unsets).
        allowed_account_ids: null,
      })),
    };
  } else if (providers.some((p) => p.alias)) {
    // A module without its provider blocks is passed its aliased configurations, which it must declare.
    const aliases = providers.filter((p) => p.alias).map((p) => `aws.${p.alias}`);
    override.terraform.required_providers = {
      aws: { ...json.terraform?.required_providers?.aws, configuration_aliases: aliases },
    };
  }
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
