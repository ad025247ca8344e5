import * as crypto from "crypto";
import { awsProviderBlocks, type SynthesizedStack, type TerraformJson } from "./cdktf-out";
import { stateFile } from "./state-file";

/**
 * Many stacks in one Terraform run: a generated root module calls each stack's directory as a child module, so that
 * one `terraform` process loads the provider schema once and plans every stack, instead of one process (and one
 * schema load, ~4 s of CPU) per stack and command. Each stack keeps its own provider configuration: Terraform starts
 * one provider instance per module, configured exactly as the stack configures it.
 *
 * What a child module does not do that a root module does, and how the batch makes up for it:
 * - A backend block is ignored (with a warning): offline plans replace the backend with a local one anyway; the
 *   warning is dropped from the stack's diagnostics.
 * - Only root outputs are checked for sensitive values left unmarked, and only root outputs appear in the plan's
 *   output_changes: the root re-exports every stack output under `<module>--<output>` with the stack's own
 *   `sensitive` flag, so the same check runs and the same changes are reported, then mapped back.
 * - `terraform validate` treats root variables as unknown (it checks the configuration for any input), a child
 *   module's variables as the values its caller passes: the root declares each stack variable again, as
 *   `<module>--<variable>` with the same type, sensitivity and nullability and the value the stack would get
 *   (its default, or the stand-in the caller gives), and passes it down. Validation then sees unknown inputs as for
 *   the stack alone, and the plan the same values.
 * - Addresses gain a `module.<name>.` prefix: `stackView` strips it, so that each stack's slice of the plan reads
 *   like `terraform show -json` of that stack planned alone.
 * - A state of our making (a plan after the first apply) holds a root module's resources: `batchState` makes the
 *   root's state from each stack's own, its resources placed in the stack's module and bound to its own providers.
 */

export interface BatchMember {
  readonly stack: SynthesizedStack;
  /** The module name in the generated root. */
  readonly module: string;
  /** The module's directory, relative to the root ("./<dir>"). */
  readonly source: string;
  /** Root output name → the stack's output name. */
  readonly outputs: ReadonlyMap<string, string>;
  /** Root variable name → the stack's variable name. */
  readonly variables: ReadonlyMap<string, string>;
  /** The value each of the stack's variables gets (by the stack's variable name). */
  readonly inputs: Readonly<Record<string, unknown>>;
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** The module name for a stack: its id when Terraform accepts it as an identifier, else a readable stand-in. */
export function moduleName(id: string): string {
  if (IDENTIFIER.test(id)) return id;
  const hash = crypto.createHash("sha256").update(id).digest("hex").slice(0, 8);
  return `stack_${id.replace(/[^A-Za-z0-9_-]/g, "_")}_${hash}`;
}

/**
 * A stack as a member of a batch, in directory `dir` (relative to the root). `inputs` are the values its variables
 * get when it is planned (default: their defaults). `module` names it in the root, unique in the batch (default:
 * from the stack id; a batch holding one stack several times, in different states or from different syntheses,
 * names each member).
 */
export function batchMember(
  stack: SynthesizedStack,
  dir: string,
  inputs: Readonly<Record<string, unknown>> = {},
  module: string = moduleName(stack.id),
): BatchMember {
  if (!IDENTIFIER.test(module)) throw new Error(`batch member name ${module} is not a Terraform identifier`);
  const outputs = new Map<string, string>();
  for (const [name, o] of Object.entries<TerraformJson>(stack.json.output ?? {})) {
    // Ephemeral outputs cannot leave a module for a root output; Terraform checks them where they are used.
    if (o?.ephemeral !== true) outputs.set(`${module}--${name}`, name);
  }
  const variables = new Map<string, string>();
  const values: Record<string, unknown> = {};
  for (const [name, v] of Object.entries<TerraformJson>(stack.json.variable ?? {})) {
    if (v?.ephemeral === true) continue;
    const value = name in inputs ? inputs[name] : v?.default;
    // A variable with neither has no value to pass: the module's own error says so, as for the stack alone.
    if (value === undefined) continue;
    variables.set(`${module}--${name}`, name);
    values[name] = value;
  }
  return { stack, module, source: `./${dir}`, outputs, variables, inputs: values };
}

/**
 * The generated root module: one module call per stack and its outputs re-exported. With `sharedProviders` (the
 * members' copies prepared without their provider blocks, for validation: offline.ts), the root holds one aws
 * configuration per alias any member uses, those settings in each, and passes them to the members that use them.
 */
export function batchRoot(
  members: readonly BatchMember[],
  sharedProviders?: { readonly settings: TerraformJson },
): TerraformJson {
  const module: TerraformJson = {};
  const output: TerraformJson = {};
  const variable: TerraformJson = {};
  const providers = new Map<string, TerraformJson>();
  for (const m of members) {
    module[m.module] = { source: m.source };
    if (sharedProviders) {
      const passed: Record<string, string> = {};
      for (const p of awsProviderBlocks(m.stack.json)) {
        const name = p.alias ? `aws.${p.alias}` : "aws";
        if (!providers.has(name)) {
          providers.set(name, {
            ...(p.alias ? { alias: p.alias } : {}),
            region: p.region,
            ...sharedProviders.settings,
          });
        }
        passed[name] = name;
      }
      if (Object.keys(passed).length > 0) module[m.module].providers = passed;
    }
    for (const [rootName, name] of m.variables) {
      const v: TerraformJson = m.stack.json.variable[name];
      variable[rootName] = {
        ...(typeof v.type === "string" ? { type: v.type.replace(/^\$\{(.*)\}$/s, "$1") } : {}),
        ...(v.sensitive === true ? { sensitive: true } : {}),
        ...(v.nullable === false ? { nullable: false } : {}),
        default: m.inputs[name],
      };
      module[m.module][name] = `\${var.${rootName}}`;
    }
    for (const [rootName, name] of m.outputs) {
      const sensitive = m.stack.json.output[name]?.sensitive;
      output[rootName] = {
        value: `\${module.${m.module}.${name}}`,
        ...(sensitive === true || sensitive === "true" ? { sensitive: true } : {}),
      };
    }
  }
  return {
    ...(providers.size > 0 ? { provider: { aws: [...providers.values()] } } : {}),
    ...(Object.keys(variable).length > 0 ? { variable } : {}),
    module,
    ...(Object.keys(output).length > 0 ? { output } : {}),
  };
}

/**
 * The root's state (format 4) made of each member's own state: `resources` as the stack planned alone holds them
 * (no `module`, providers as `provider["<source>"]` with `.<alias>` when aliased). In the root they belong to the
 * member's module, and a resource whose provider configuration the stack declares itself is bound to the module's
 * instance of it, written as Terraform writes it: `module.<name>.provider["<source>"]` (`.<alias>`). A provider the
 * stack does not configure is inherited from the root and keeps its address.
 */
export function batchState(
  parts: readonly { readonly member: BatchMember; readonly resources: readonly TerraformJson[] }[],
  lineage: string,
): TerraformJson {
  const resources = parts.flatMap(({ member, resources }) =>
    resources.map((r) => {
      if (r.module) throw new Error(`${member.module}: ${r.type}.${r.name} is in ${r.module}, not in the stack's root`);
      return { module: `module.${member.module}`, ...r, provider: memberProvider(r.provider, member) };
    }),
  );
  return stateFile({ lineage, resources });
}

const PROVIDER_ADDRESS = /^provider\["([^"]+)"\](?:\.([A-Za-z][A-Za-z0-9_-]*))?$/;

function memberProvider(address: string, member: BatchMember): string {
  const match = PROVIDER_ADDRESS.exec(address);
  if (!match) throw new Error(`${member.module}: ${address} is not a root module's provider address`);
  const [, source, alias] = match;
  // The local name is the source's type in every stack we write (hashicorp/aws as aws).
  const blocks: TerraformJson[] = [].concat(member.stack.json.provider?.[source.split("/").pop()!] ?? []);
  const declared = blocks.some((b) => (b?.alias ?? undefined) === alias);
  return declared ? `module.${member.module}.${address}` : address;
}

/**
 * One stack's part of `terraform show -json` of the batch plan, shaped like the show output of that stack planned
 * alone: variables, resources, changes, checks, configuration and outputs of the module, addresses without the
 * module prefix.
 */
export function stackView(show: TerraformJson, member: BatchMember): TerraformJson {
  const prefix = `module.${member.module}`;
  const own = (address: unknown) =>
    typeof address === "string" && (address === prefix || address.startsWith(`${prefix}.`));
  const strip = (address: string) => (address === prefix ? "" : address.slice(prefix.length + 1));
  const renamed = (names: ReadonlyMap<string, string>) => (values: TerraformJson | undefined) => {
    const found = [...names].filter(([rootName]) => values?.[rootName]).map(([rootName, n]) => [n, values![rootName]]);
    // Terraform leaves the key out when a stack has none.
    return found.length > 0 ? Object.fromEntries(found) : undefined;
  };
  const outputs = renamed(member.outputs);
  const moduleValues = (root: TerraformJson | undefined): TerraformJson | undefined => {
    const child = (root?.child_modules ?? []).find((c: TerraformJson) => c.address === prefix);
    return child ? valuesModule(child, strip) : undefined;
  };
  const values = (v: TerraformJson | undefined) =>
    v && { ...v, root_module: moduleValues(v.root_module) ?? {}, outputs: outputs(v.outputs) };
  const change = (rc: TerraformJson) => {
    const out: TerraformJson = { ...rc, address: strip(rc.address) };
    if (rc.previous_address) out.previous_address = own(rc.previous_address) ? strip(rc.previous_address) : undefined;
    if (rc.module_address === prefix) delete out.module_address;
    else out.module_address = strip(rc.module_address);
    return out;
  };
  const view: TerraformJson = {
    format_version: show.format_version,
    terraform_version: show.terraform_version,
    variables: renamed(member.variables)(show.variables),
    planned_values: values(show.planned_values),
    resource_changes: (show.resource_changes ?? []).filter((rc: TerraformJson) => own(rc.address)).map(change),
    ...(show.resource_drift
      ? { resource_drift: show.resource_drift.filter((rc: TerraformJson) => own(rc.address)).map(change) }
      : {}),
    ...(outputs(show.output_changes) ? { output_changes: outputs(show.output_changes) } : {}),
    ...(show.prior_state
      ? { prior_state: { ...show.prior_state, values: values(show.prior_state.values) ?? {} } }
      : {}),
    configuration: configurationView(show.configuration ?? {}, member, prefix),
    relevant_attributes: (show.relevant_attributes ?? [])
      .filter((a: TerraformJson) => own(a.resource))
      .map((a: TerraformJson) => ({ ...a, resource: strip(a.resource) })),
    checks: (show.checks ?? []).filter((c: TerraformJson) => own(c.address?.module)).map(checkView(strip)),
    timestamp: show.timestamp,
    applyable: show.applyable,
    complete: show.complete,
    errored: show.errored,
  };
  return JSON.parse(JSON.stringify(view));
}

function valuesModule(module: TerraformJson, strip: (a: string) => string): TerraformJson {
  const out: TerraformJson = {};
  if (module.resources)
    out.resources = module.resources.map((r: TerraformJson) => ({ ...r, address: strip(r.address) }));
  if (module.child_modules) {
    out.child_modules = module.child_modules.map((c: TerraformJson) => ({
      ...valuesModule(c, strip),
      address: strip(c.address),
    }));
  }
  return out;
}

function configurationView(configuration: TerraformJson, member: BatchMember, prefix: string): TerraformJson {
  const keyPrefix = `${prefix}:`;
  const provider_config = Object.fromEntries(
    Object.entries<TerraformJson>(configuration.provider_config ?? {})
      .filter(([key]) => key.startsWith(keyPrefix))
      .map(([key, p]) => {
        const rest = { ...p };
        delete rest.module_address;
        return [key.slice(keyPrefix.length), rest];
      }),
  );
  const module: TerraformJson = configuration.root_module?.module_calls?.[member.module]?.module ?? {};
  return { provider_config, root_module: withProviderKeys(module, keyPrefix) };
}

/** Resources name their provider by `<module address>:<provider>`; a root module's by `<provider>` alone. */
function withProviderKeys(module: TerraformJson, keyPrefix: string): TerraformJson {
  const fix = (r: TerraformJson) =>
    typeof r.provider_config_key === "string" && r.provider_config_key.startsWith(keyPrefix)
      ? { ...r, provider_config_key: r.provider_config_key.slice(keyPrefix.length) }
      : r;
  return {
    ...module,
    ...(module.resources ? { resources: module.resources.map(fix) } : {}),
  };
}

function checkView(strip: (a: string) => string) {
  const address = (a: TerraformJson) => {
    const out: TerraformJson = { ...a, to_display: strip(a.to_display) };
    if (a.module) {
      const module = strip(a.module);
      if (module) out.module = module;
      else delete out.module;
    }
    return out;
  };
  return (c: TerraformJson) => ({
    ...c,
    address: address(c.address),
    ...(c.instances
      ? { instances: c.instances.map((i: TerraformJson) => ({ ...i, address: address(i.address) })) }
      : {}),
  });
}
