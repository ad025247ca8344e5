import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { batchMember, type BatchMember } from "../../tools/terraform/batch-root";
import { awsProviderBlocks, type SynthesizedStack, type TerraformJson } from "../../tools/terraform/cdktf-out";
import { awsProviderVersion, cliConfigFile, offlineTerraformEnv, terraform } from "../../tools/terraform/environment";
import { OFFLINE_OVERRIDE_FILE, offlineInputs, prepareOfflineWorkdir } from "../../tools/terraform/offline";
import { StateBatchRoot } from "../../tools/terraform/plan-from-states";
import { stateFile } from "../../tools/terraform/state-file";

/**
 * Day-2 plans without an AWS account: a synthesized stack as it would stand after its first apply, then changed the
 * way AWS, CI or the blueprint's authors change it, then planned for real (`terraform plan -refresh=false` with the
 * real provider).
 *
 * "As applied" is built from the stack's own plans: the state holds every resource with the values its plan knows
 * and, for what only AWS knows (ids, ARNs, endpoints), stand-ins of the schema's type. Planning again against that
 * state resolves the references between resources; a few rounds reach a state the configuration plans no change
 * against (the test fails loudly when they do not). Events are edits of that state: what AWS or CI would have written
 * by the next refresh.
 *
 * Each prepared stack is a directory of its own (its configuration, the offline override, seeded upstream states)
 * with a state of its own, and many are planned in one Terraform process as child modules of one root
 * (tools/terraform/plan-from-states.ts): the stacks applied together settle in lockstep, and each scenario (a copy of
 * a settled stack, its configuration changed or its state edited) is planned with the round that finds its stack
 * settled, or the next (`applyAndPlan`). Loading the provider takes most of a plan's time: fewer processes is what
 * makes this fast.
 */

export const PROVIDER = "registry.terraform.io/hashicorp/aws";
const ACCOUNT = "123456789012";
const STACKS_DIR = "stacks";

export interface StateInstance {
  index_key?: string | number;
  schema_version: number;
  attributes: TerraformJson;
  sensitive_attributes: unknown[];
}

export interface StateResource {
  mode: "managed";
  type: string;
  name: string;
  provider: string;
  instances: StateInstance[];
}

/** A resource change of `terraform show -json`. */
export interface ResourceChange {
  address: string;
  type: string;
  name: string;
  mode: string;
  index?: string | number;
  change: {
    actions: string[];
    before: TerraformJson | null;
    after: TerraformJson | null;
    after_unknown: TerraformJson;
    after_sensitive?: TerraformJson;
  };
  action_reason?: string;
}

/** A working directory where one synthesized stack plans offline against a state of our making. */
export interface PreparedStackOptions {
  /**
   * Data sources of these types are read (not switched off as offline plans do), from the endpoints in `endpoints`,
   * e.g. aws_ssm_parameter from a FakeSsm. Default: none.
   */
  readonly read?: readonly string[];
  /**
   * Service endpoints of the stack's provider configurations (`{ ssm: fake.url }`), set by the offline override: each
   * prepared stack reads its own, also when many are planned in one process. Default: none (AWS's, never reached).
   */
  readonly endpoints?: Readonly<Record<string, string>>;
  /** The name of the prepared stack: its directory and its module in a batch. Default: the stack id. */
  readonly name?: string;
  /** The configuration it plans (e.g. the blueprint after a change, synthesized). Default: the shipped JSON. */
  readonly configuration?: TerraformJson;
}

export class PreparedStack {
  readonly name: string;
  readonly workdir: string;
  /** The configuration planned (the shipped JSON unless the options say otherwise). */
  readonly configuration: TerraformJson;
  /** This prepared stack as a member of a batch, whose root is a directory beside `stacks/` (`applyAndPlan`). */
  readonly member: BatchMember;
  resources: StateResource[] = [];

  constructor(
    readonly stack: SynthesizedStack,
    all: readonly SynthesizedStack[],
    root: string,
    private readonly options: PreparedStackOptions = {},
  ) {
    this.name = options.name ?? stack.id;
    this.workdir = path.join(root, STACKS_DIR, this.name);
    this.configuration = options.configuration ?? stack.json;
    fs.rmSync(this.workdir, { recursive: true, force: true });
    prepareOfflineWorkdir(stack, all, this.workdir);
    if (options.configuration) {
      fs.writeFileSync(path.join(this.workdir, "cdk.tf.json"), JSON.stringify(options.configuration, null, 2));
    }
    this.adjustOverride();
    const planned = { ...stack, json: this.configuration };
    this.member = batchMember(planned, path.join("..", STACKS_DIR, this.name), offlineInputs(planned.json), this.name);
  }

  private adjustOverride(): void {
    const file = path.join(this.workdir, OFFLINE_OVERRIDE_FILE);
    const override = JSON.parse(fs.readFileSync(file, "utf8"));
    for (const type of this.options.read ?? []) delete override.data?.[type];
    if (this.options.endpoints) {
      for (const p of override.provider.aws) p.endpoints = [{ ...this.options.endpoints }];
    }
    fs.writeFileSync(file, JSON.stringify(override, null, 2));
  }

  /** Takes a copy of another prepared stack's state (the applied state a scenario starts from). */
  startFrom(other: PreparedStack): void {
    this.resources = structuredClone(other.resources);
  }

  /** `terraform init` of the directory, to plan this stack alone (`plan`). */
  async init(): Promise<void> {
    await this.run(["init", "-input=false", "-no-color"]);
  }

  /** A real plan of this stack alone against its state, without asking AWS anything; `show -json` of it. */
  async plan(): Promise<TerraformJson> {
    fs.writeFileSync(
      path.join(this.workdir, "terraform.tfstate"),
      JSON.stringify(stateFile({ lineage: `day2-${this.name}`, resources: this.resources }), null, 1),
    );
    await this.run(["plan", "-input=false", "-no-color", "-lock=false", "-refresh=false", "-out=day2.tfplan"]);
    return JSON.parse((await this.run(["show", "-json", "-no-color", "day2.tfplan"])).stdout);
  }

  /** The one instance of a resource in the state (by type and a predicate on its attributes). */
  instance(type: string, where: (attributes: TerraformJson) => boolean = () => true): StateInstance {
    const found = this.resources
      .filter((r) => r.type === type)
      .flatMap((r) => r.instances)
      .filter((i) => where(i.attributes));
    if (found.length !== 1) throw new Error(`${this.name}: ${found.length} ${type} instances match, expected 1`);
    return found[0];
  }

  /** The attributes of a resource as applied, by its address (`aws_ecs_service.backend`). */
  applied(address: string): TerraformJson {
    const [type, name] = address.split(".");
    const resource = this.resources.find((r) => r.type === type && r.name === name);
    if (!resource) throw new Error(`${this.name}: ${address} is not in the state`);
    return resource.instances[0].attributes;
  }

  private async run(args: string[]) {
    const r = await timed(`${this.name} ${args[0]}`, () => terraform(args, this.workdir, offlineEnv([this])));
    if (r.code !== 0) throw new Error(`${this.name}: terraform ${args[0]} failed:\n${r.stdout}${r.stderr}`);
    return r;
  }
}

/** The offline environment for prepared stacks (the provider started straight from the mirror when they pin one version). */
const offlineEnv = (stacks: readonly PreparedStack[]) =>
  offlineTerraformEnv(stacks.map((s) => awsProviderVersion(s.configuration)));

async function timed<T>(what: string, step: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  const result = await step();
  if (process.env.DAY2_TIMING) console.log(`${what} ${Date.now() - t0} ms`);
  return result;
}

/** A prepared stack planned after an event, against the applied state of another. */
export interface Scenario {
  /** The prepared stack planned (its own directory and configuration). */
  readonly stack: PreparedStack;
  /** The applied prepared stack whose state it starts from. */
  readonly after: PreparedStack;
  /** What AWS or CI changed since the apply, as edits of the state (`stack.resources`). Default: nothing. */
  readonly event?: (stack: PreparedStack) => void;
  /**
   * The same scenario in a directory of its own, planned alone (its own `init`, `plan` and `show`) while the batch
   * runs: what proves that a stack planned in a batch is planned as it would be alone. Default: none.
   */
  readonly alone?: PreparedStack;
}

export interface DayTwoPlans {
  /** The first plan of each stack applied on paper, and the plan of each stack planned once, against no state. */
  readonly first: ReadonlyMap<PreparedStack, TerraformJson>;
  /** The plan of each scenario's stack (and of its `alone` twin). */
  readonly plans: ReadonlyMap<PreparedStack, TerraformJson>;
}

/**
 * Applies `apply` on paper together, plans `planOnce` once against no state, and plans each scenario against the
 * settled state of the stack it starts from. Each round is one Terraform process (on a shared 2-core machine, one
 * process per round took less time than two at once, each planning half: each process loads the provider's schema
 * twice, for the plan and for `show`). In each round:
 * - every stack not settled yet is planned: one that plans no change has settled, one that plans changes takes the
 *   state built from that plan for the next round;
 * - `planOnce` is planned in the first round;
 * - a scenario is planned as soon as its stack has settled, or in the round that checks its stack when the stack's
 *   last plan knew every value it changes (its state is then most likely the settled one); such a plan counts only
 *   when the check finds no change, else the scenario is planned again in a later round.
 */
export async function applyAndPlan(
  root: string,
  work: { apply: readonly PreparedStack[]; planOnce?: readonly PreparedStack[]; scenarios?: readonly Scenario[] },
  maxRounds = 4,
): Promise<DayTwoPlans> {
  let scenarios = [...(work.scenarios ?? [])];
  for (const s of scenarios) {
    if (!work.apply.includes(s.after)) throw new Error(`${s.stack.name} starts from ${s.after.name}, not applied here`);
  }
  const everyone = [...work.apply, ...(work.planOnce ?? []), ...scenarios.map((s) => s.stack)];
  const env = offlineEnv(everyone);
  const batch = new StateBatchRoot(path.join(root, "batch"), env);
  const twins = scenarios.flatMap((s) => (s.alone ? [s.alone] : []));
  const twinsReady = Promise.all(twins.map((t) => t.init()));
  twinsReady.catch(() => undefined); // awaited at the end; a failure is reported there
  await timed("batch init", () => batch.init(everyone.map((s) => s.member)));
  const schemas = await providerSchemas(batch.dir, env);

  const first = new Map<PreparedStack, TerraformJson>();
  const plans = new Map<PreparedStack, TerraformJson>();
  const twinPlans: Promise<void>[] = [];
  const settled = new Set<PreparedStack>();
  const likelySettled = new Set<PreparedStack>();
  let settling = [...work.apply];
  let once = [...(work.planOnce ?? [])];
  for (let round = 1; settling.length + once.length + scenarios.length > 0; round++) {
    const ready = scenarios.filter((s) => settled.has(s.after) || likelySettled.has(s.after));
    if (settling.length + once.length + ready.length === 0) throw new Error("scenarios left with nothing to plan");
    for (const s of ready) {
      s.stack.startFrom(s.after);
      s.event?.(s.stack);
    }
    const members = [...settling, ...once, ...ready.map((s) => s.stack)];
    const views = await timed(`round ${round}: ${members.map((m) => m.name).join(", ")}`, () =>
      batch.plan(members.map((m) => ({ member: m.member, resources: m.resources }))),
    );
    const planOf = new Map(members.map((m, i) => [m, views[i]]));
    for (const s of once) first.set(s, planOf.get(s)!);
    for (const s of settling) {
      const plan = planOf.get(s)!;
      if (!first.has(s)) first.set(s, plan);
      const changes = pending(plan);
      if (changes.length === 0) {
        settled.add(s);
        continue;
      }
      if (round > maxRounds) {
        const left = changes.map((c) => `${c.address} ${c.change.actions.join("+")}`);
        throw new Error(`${s.name} did not settle after ${maxRounds} rounds: ${left.join(", ")}`);
      }
      s.resources = stateFromPlan(plan, schemas, s.configuration);
      if (changes.every((c) => !holdsTrue(c.change.after_unknown))) likelySettled.add(s);
      else likelySettled.delete(s);
    }
    for (const s of ready.filter((r) => settled.has(r.after))) {
      plans.set(s.stack, planOf.get(s.stack)!);
      if (s.alone) {
        const twin = s.alone;
        twin.startFrom(s.stack);
        twinPlans.push(twinsReady.then(async () => void plans.set(twin, await twin.plan())));
      }
    }
    settling = settling.filter((s) => !settled.has(s));
    once = [];
    scenarios = scenarios.filter((s) => !plans.has(s.stack));
  }
  await Promise.all([twinsReady, ...twinPlans]);
  return { first, plans };
}

/** Whether a plan's unknown-value map marks anything unknown. */
function holdsTrue(marks: unknown): boolean {
  if (marks === true) return true;
  return !!marks && typeof marks === "object" && Object.values(marks).some(holdsTrue);
}

/** Managed resources the plan would create, change or replace. */
export function pending(plan: TerraformJson): ResourceChange[] {
  return ((plan.resource_changes ?? []) as ResourceChange[]).filter(
    (c) => c.mode === "managed" && !c.change.actions.every((a) => a === "no-op"),
  );
}

/** The changes of one resource type, e.g. every aws_ecs_service. */
export function changesOf(plan: TerraformJson, type: string): ResourceChange[] {
  return ((plan.resource_changes ?? []) as ResourceChange[]).filter((c) => c.mode === "managed" && c.type === type);
}

// ------------------------------------------------------------------------------------------ state from a plan

type CtyType = string | [string, unknown];
interface Block {
  attributes?: Record<string, { type?: CtyType; optional?: boolean; computed?: boolean }>;
  block_types?: Record<string, { nesting_mode: string; block: Block }>;
}
interface ResourceSchema {
  version: number;
  block: Block;
}

function stateFromPlan(
  plan: TerraformJson,
  schemas: Record<string, ResourceSchema>,
  json: TerraformJson,
): StateResource[] {
  const region: string = awsProviderBlocks(json)[0]?.region ?? "ap-northeast-1";
  const providerKeys = new Map<string, string>(
    (plan.configuration?.root_module?.resources ?? []).map((r: TerraformJson) => [r.address, r.provider_config_key]),
  );
  const byResource = new Map<string, StateResource>();
  for (const c of (plan.resource_changes ?? []) as ResourceChange[]) {
    if (c.mode !== "managed" || (c.change.actions.includes("delete") && !c.change.actions.includes("create"))) continue;
    const schema = schemas[c.type];
    if (!schema) throw new Error(`no provider schema for ${c.type}`);
    const base = `${c.type}.${c.name}`;
    const alias = (providerKeys.get(base) ?? "aws").split(".")[1];
    const resource = byResource.get(base) ?? {
      mode: "managed" as const,
      type: c.type,
      name: c.name,
      provider: `provider["${PROVIDER}"]${alias ? `.${alias}` : ""}`,
      instances: [],
    };
    byResource.set(base, resource);
    const stand = standIns(c.type, `${c.name}${c.index === undefined ? "" : `-${c.index}`}`, region);
    resource.instances.push({
      ...(c.index === undefined ? {} : { index_key: c.index }),
      schema_version: schema.version,
      attributes: fillBlock(c.change.after ?? {}, c.change.after_unknown ?? {}, schema.block, stand, ""),
      // Marks the plan puts on sensitive values: a state without them would be planned as an update.
      sensitive_attributes: sensitivePaths(c.change.after_sensitive ?? {}),
    });
  }
  const resources = [...byResource.values()];
  resolveReferences(resources, json);
  return resources;
}

const PLAIN_REFERENCE = /^\$\{(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/;

/**
 * Stand-ins taken over by what refers to them: an argument that is exactly another resource's attribute
 * (`${aws_security_group.alb.id}`) gets that resource's stand-in, as an apply would have given it. Without this,
 * an argument planned unknown would get a stand-in of its own and the next plan would replace the resource.
 */
function resolveReferences(resources: StateResource[], json: TerraformJson): void {
  const single = new Map(resources.filter((r) => r.instances.length === 1).map((r) => [`${r.type}.${r.name}`, r]));
  const lookup = (value: unknown): unknown => {
    const match = typeof value === "string" ? PLAIN_REFERENCE.exec(value) : null;
    const target = match && single.get(`${match[1]}.${match[2]}`);
    return target ? target.instances[0].attributes[match![3]] : undefined;
  };
  // Config and state side by side; a nested block is an object in the JSON and a one-element list in the state.
  const walk = (config: TerraformJson, state: TerraformJson) => {
    for (const [argument, value] of Object.entries<unknown>(config)) {
      if (argument === "//" || argument === "lifecycle" || argument === "depends_on") continue;
      const resolved = lookup(value);
      if (resolved !== undefined) {
        state[argument] = resolved;
        continue;
      }
      const here = state[argument];
      const configs = Array.isArray(value) ? value : value && typeof value === "object" ? [value] : [];
      const states = Array.isArray(here) ? here : here && typeof here === "object" ? [here] : [];
      configs.forEach((c, i) => {
        if (c && typeof c === "object" && states[i] && typeof states[i] === "object") walk(c, states[i]);
      });
    }
  };
  for (let pass = 0; pass < 2; pass++) {
    for (const r of resources) {
      const config = json.resource?.[r.type]?.[r.name];
      if (config) for (const instance of r.instances) walk(config, instance.attributes);
    }
  }
}

/** The paths of the `true` leaves of a plan's sensitivity map, as the state records them. */
function sensitivePaths(marks: unknown, at: unknown[] = []): unknown[] {
  if (marks === true) return [at];
  if (Array.isArray(marks)) {
    return marks.flatMap((m, i) => sensitivePaths(m, [...at, { type: "index", value: { value: i, type: "number" } }]));
  }
  if (marks && typeof marks === "object") {
    return Object.entries(marks).flatMap(([k, m]) => sensitivePaths(m, [...at, { type: "get_attr", value: k }]));
  }
  return [];
}

/** Values AWS would have given: stable per resource and attribute, shaped like what the attribute holds. */
function standIns(type: string, name: string, region: string) {
  const service = type.split("_")[1];
  const tag = crypto.createHash("sha256").update(`${type}.${name}`).digest("hex").slice(0, 8);
  return (attributePath: string): string => {
    const leaf = attributePath.split(".").pop()!;
    if (leaf === "arn" || leaf.endsWith("_arn") || leaf.endsWith("_arns")) {
      return `arn:aws:${service}:${region}:${ACCOUNT}:${type.replace(/^aws_/, "")}/${name}`;
    }
    if (leaf === "id") return `${name}-${tag}`;
    return `${leaf}-${tag}`;
  };
}

function fillBlock(
  value: TerraformJson,
  unknown: TerraformJson,
  block: Block,
  stand: (p: string) => string,
  at: string,
): TerraformJson {
  const out: TerraformJson = { ...value };
  for (const [name, attr] of Object.entries(block.attributes ?? {})) {
    // What only AWS knows gets a stand-in. An optional value AWS would default stays unset when it is a scalar (a
    // stand-in could fail the provider's own checks) and empty when it is a collection, as a first read leaves them.
    if (attr.optional && name !== "id" && unknown[name] === true) {
      const t = attr.type ?? "string";
      out[name] = Array.isArray(t) ? (t[0] === "map" || t[0] === "object" ? {} : []) : null;
      continue;
    }
    out[name] = fillValue(value[name] ?? null, unknown[name], attr.type ?? "string", stand, `${at}${name}`);
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const v = value[name];
    const u = unknown[name];
    if (Array.isArray(v)) {
      out[name] = v.map((item, i) =>
        fillBlock(item ?? {}, (Array.isArray(u) ? u[i] : undefined) ?? {}, nested.block, stand, `${at}${name}.`),
      );
    } else if (v && typeof v === "object") {
      out[name] = fillBlock(v, (u as TerraformJson) ?? {}, nested.block, stand, `${at}${name}.`);
    } else {
      out[name] = v ?? (["list", "set"].includes(nested.nesting_mode) ? [] : null);
    }
  }
  return out;
}

function fillValue(value: unknown, unknown: unknown, type: CtyType, stand: (p: string) => string, at: string): unknown {
  if (unknown === true) return standIn(type, stand, at);
  if (unknown && typeof unknown === "object" && value && typeof value === "object" && Array.isArray(type)) {
    const [kind, inner] = type;
    if ((kind === "list" || kind === "set") && Array.isArray(value)) {
      return value.map((v, i) => fillValue(v, (unknown as unknown[])[i], inner as CtyType, stand, at));
    }
    if (kind === "object") {
      const fields = inner as Record<string, CtyType>;
      return Object.fromEntries(
        Object.entries(fields).map(([k, t]) => [
          k,
          fillValue((value as TerraformJson)[k] ?? null, (unknown as TerraformJson)[k], t, stand, `${at}.${k}`),
        ]),
      );
    }
    if (kind === "map") {
      return Object.fromEntries(
        Object.entries(value as TerraformJson).map(([k, v]) => [
          k,
          fillValue(v, (unknown as TerraformJson)[k], inner as CtyType, stand, `${at}.${k}`),
        ]),
      );
    }
  }
  return value;
}

function standIn(type: CtyType, stand: (p: string) => string, at: string): unknown {
  if (type === "string") return stand(at);
  if (type === "number") return 1;
  if (type === "bool") return false;
  if (Array.isArray(type)) {
    const [kind, inner] = type;
    if (kind === "list" || kind === "set") {
      // A computed list of objects (a database's master_user_secret) is read by index: give it one element.
      return Array.isArray(inner) && inner[0] === "object" ? [standIn(inner as CtyType, stand, at)] : [];
    }
    if (kind === "map") return {};
    if (kind === "object") {
      return Object.fromEntries(
        Object.entries(inner as Record<string, CtyType>).map(([k, t]) => [k, standIn(t, stand, `${at}.${k}`)]),
      );
    }
  }
  return null;
}

// ------------------------------------------------------------------------------------------ provider schemas

let schemaCache: Record<string, ResourceSchema> | undefined;

/**
 * The provider's resource schemas (attribute types, schema versions), read once per machine and provider mirror
 * with `terraform providers schema -json` and kept in the temp dir: the provider is the same for every stack.
 */
async function providerSchemas(workdir: string, env: NodeJS.ProcessEnv): Promise<Record<string, ResourceSchema>> {
  if (schemaCache) return schemaCache;
  const file = path.join(os.tmpdir(), `${path.basename(cliConfigFile())}-aws-schemas.json`);
  if (fs.existsSync(file)) return (schemaCache = JSON.parse(fs.readFileSync(file, "utf8")));
  const r = await terraform(["providers", "schema", "-json"], workdir, env);
  if (r.code !== 0) throw new Error(`terraform providers schema failed:\n${r.stderr}`);
  const all = JSON.parse(r.stdout).provider_schemas[PROVIDER].resource_schemas as Record<string, ResourceSchema>;
  const slim = Object.fromEntries(
    Object.entries(all).map(([type, s]) => [type, { version: s.version, block: slimBlock(s.block) }]),
  );
  fs.writeFileSync(`${file}.${process.pid}`, JSON.stringify(slim));
  fs.renameSync(`${file}.${process.pid}`, file);
  return (schemaCache = slim);
}

/** Only what stand-ins need: attribute types and flags, nested blocks. */
function slimBlock(block: TerraformJson): Block {
  return {
    attributes: Object.fromEntries(
      Object.entries<TerraformJson>(block.attributes ?? {}).map(([k, a]) => [
        k,
        { type: a.type, optional: a.optional, computed: a.computed },
      ]),
    ),
    block_types: Object.fromEntries(
      Object.entries<TerraformJson>(block.block_types ?? {}).map(([k, b]) => [
        k,
        { nesting_mode: b.nesting_mode, block: slimBlock(b.block) },
      ]),
    ),
  };
}
