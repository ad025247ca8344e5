import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stateKey } from "../app/backend-config";
import { synthesizeApp } from "../app/synth";
import { readSynthesizedStacks, type TerraformJson } from "../tools/terraform/cdktf-out";
import { writeEndpointOverride } from "../tools/terraform/endpoint-override";
import { seededState } from "../tools/terraform/offline";
import { PRE_MIGRATION_SUFFIX, STATE_MIGRATION_OVERRIDE_FILE, writeStateMigrationOverride } from "../app/local-state";
import { STATE_BACKEND_STACK_ID } from "../stacks/state-backend-stack";
import { inPool, terraform, terraformEnv } from "../tools/terraform/environment";
import {
  createLockTable,
  dynamoCall,
  s3Request,
  scanLockTable,
  startConditionalPutProxy,
  startDynalite,
  startS3rver,
  S3RVER_TEST_ENV,
  type LockItem,
  type RunningServer,
} from "./helpers/backend-servers";
import {
  addBackendTestStacks,
  DOWNSTREAM,
  DYNAMODB_BACKEND,
  DYNAMODB_LOCKED,
  LOCKFILE_LOCKED,
  TEST_BUCKET,
  TEST_LOCK_TABLE,
  UPSTREAM,
} from "./helpers/backend-test-app";
import { startTerraform, waitFor } from "./helpers/terraform-process";

/**
 * The remote state backend against real servers on 127.0.0.1: s3rver holds the state objects, dynalite the lock
 * table, and real Terraform runs the stacks that the project's own BlueprintStack synthesizes (S3 backend,
 * publish/fromStack remote state), pointed at the servers by the endpoint override file, never by editing the JSON.
 */
const env = terraformEnv(S3RVER_TEST_ENV);
const FLAGS = ["-input=false", "-no-color"];
const APPLY = ["apply", "-auto-approve", ...FLAGS];
const LOCK_ERROR = "Error acquiring the state lock";
const PROVISIONING = "Provisioning with 'local-exec'";
/** Seconds a lock-holding apply sleeps in its provisioner: long enough for a contender to start and be refused. */
const HOLD = "5";
/**
 * How long a waiting run retries the lock. Generous on purpose: on a loaded CI machine the holder's init, refresh and
 * state write can take far longer than its sleep, and a wait that gives up early reads as a lost run.
 */
const WAIT_FOR_LOCK = "300s";
/** Each drill's jest timeout: the longest lock wait plus the runs around it. */
const DRILL_TIMEOUT_MS = 420_000;

let root: string;
let firstOutdir: string;
let s3: RunningServer;
let dynamo: RunningServer;
let proxy: RunningServer & { refused: () => number };
const dirs = new Map<string, string>();

const tf = (dir: string, ...args: string[]) => terraform(args, dir, env);
const dirOf = (id: string) => dirs.get(id)!;

/** A second operator's checkout of a stack: same config and initialized backend, separate working directory. */
function operator(id: string, name: string): string {
  const copy = path.join(root, "operators", `${id}-${name}`);
  fs.cpSync(dirOf(id), copy, { recursive: true, verbatimSymlinks: true });
  return copy;
}

async function stateOf(id: string): Promise<TerraformJson> {
  const object = await s3Request(s3.url, "GET", `${TEST_BUCKET}/${stateKey(id)}`);
  expect(object.status).toBe(200);
  return JSON.parse(object.body);
}

const resourceNames = (state: TerraformJson): string[] =>
  state.resources.map((r: TerraformJson) => `${r.type}.${r.name}`).sort();

/** The DynamoDB lock item of a stack's state (not its `-md5` digest item), if held. */
async function dynamoLock(id: string): Promise<LockItem | undefined> {
  const items = await scanLockTable(dynamo.url, TEST_LOCK_TABLE);
  return items.find((i) => i.lockId === `${TEST_BUCKET}/${stateKey(id)}` && i.info);
}

async function initAll(outdir: string, ids: readonly string[]): Promise<void> {
  const stacks = readSynthesizedStacks(outdir).filter((s) => ids.includes(s.id));
  for (const s of stacks) {
    // The lockfile stack talks to S3 through the proxy that enforces conditional writes.
    writeEndpointOverride(s.dir, { s3: s.id === LOCKFILE_LOCKED ? proxy.url : s3.url, dynamodb: dynamo.url });
  }
  const inits = await inPool(stacks, 2, (s) => tf(s.dir, "init", ...FLAGS));
  inits.forEach((r, i) => expect({ stack: stacks[i].id, code: r.code, err: r.stderr }).toMatchObject({ code: 0 }));
  stacks.forEach((s) => dirs.set(s.id, s.dir));
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-backend-"));
  s3 = await startS3rver(path.join(root, "s3"));
  dynamo = await startDynalite(path.join(root, "dynamodb"));
  proxy = await startConditionalPutProxy(s3.url);
  expect((await s3Request(s3.url, "PUT", TEST_BUCKET)).status).toBe(200);
  await createLockTable(dynamo.url, TEST_LOCK_TABLE);
  await waitFor("the lock table to be ACTIVE", async () => {
    const d = await dynamoCall<{ Table: { TableStatus: string } }>(dynamo.url, "DescribeTable", {
      TableName: TEST_LOCK_TABLE,
    });
    return d.Table.TableStatus === "ACTIVE" ? true : undefined;
  });
  firstOutdir = synthesizeApp(path.join(root, "first", "cdktf.out"), (app) =>
    addBackendTestStacks(app, "hello"),
  ).outdir;
  await initAll(firstOutdir, [UPSTREAM, DOWNSTREAM, DYNAMODB_LOCKED, LOCKFILE_LOCKED]);
}, DRILL_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all([s3, dynamo, proxy].filter(Boolean).map((s) => s.close()));
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe("state in S3", () => {
  it(
    "applies, re-applies with no changes, and stores valid state JSON whose serial moves only on change",
    async () => {
      const first = await tf(dirOf(UPSTREAM), ...APPLY);
      expect(first.code).toBe(0);
      const state = await stateOf(UPSTREAM);
      expect(state).toMatchObject({ version: 4, lineage: expect.any(String), serial: expect.any(Number) });
      expect(resourceNames(state)).toEqual(["terraform_data.marker"]);
      expect(state.outputs.greeting_name.value).toBe("hello");
      expect(state.outputs.marker_id.value).toBe(state.resources[0].instances[0].attributes.id);
      expect(state.serial).toBeGreaterThanOrEqual(1);
      // The backend records the state's checksum beside the lock (the item that catches a stale read from S3).
      const items = await scanLockTable(dynamo.url, TEST_LOCK_TABLE);
      expect(items.map((i) => i.lockId)).toContain(`${TEST_BUCKET}/${stateKey(UPSTREAM)}-md5`);

      const second = await tf(dirOf(UPSTREAM), ...APPLY);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain("No changes.");
      const again = await stateOf(UPSTREAM);
      expect({ serial: again.serial, lineage: again.lineage }).toEqual({
        serial: state.serial,
        lineage: state.lineage,
      });
      expect((await tf(dirOf(UPSTREAM), "plan", "-detailed-exitcode", ...FLAGS)).code).toBe(0);
    },
    DRILL_TIMEOUT_MS,
  );

  it(
    "feeds upstream outputs to the downstream stack through terraform_remote_state; an upstream change reaches the downstream plan",
    async () => {
      expect((await tf(dirOf(DOWNSTREAM), ...APPLY)).code).toBe(0);
      const copied = (await stateOf(DOWNSTREAM)).resources.find((r: TerraformJson) => r.name === "copy");
      expect(copied.instances[0].attributes.input.value).toEqual({ greeting: "hello" });

      // The upstream blueprint changes: synthesize again (same path as the app), apply the new upstream stack.
      const before = await stateOf(UPSTREAM);
      const { outdir } = synthesizeApp(path.join(root, "second", "cdktf.out"), (app) =>
        addBackendTestStacks(app, "bonjour"),
      );
      await initAll(outdir, [UPSTREAM]);
      expect((await tf(dirOf(UPSTREAM), ...APPLY)).code).toBe(0);
      const after = await stateOf(UPSTREAM);
      expect(after.outputs.greeting_name.value).toBe("bonjour");
      expect({ serial: after.serial, lineage: after.lineage }).toEqual({
        serial: before.serial + 1,
        lineage: before.lineage,
      });

      // The downstream stack's configuration did not change; its plan now sees the new value.
      const plan = await tf(dirOf(DOWNSTREAM), "plan", "-detailed-exitcode", "-out=downstream.tfplan", ...FLAGS);
      expect(plan.code).toBe(2);
      const shown = JSON.parse((await tf(dirOf(DOWNSTREAM), "show", "-json", "downstream.tfplan")).stdout);
      const change = shown.resource_changes.find((c: TerraformJson) => c.address === "terraform_data.copy").change;
      expect(change.actions).not.toEqual(["no-op"]);
      expect({ before: change.before.input, after: change.after.input }).toEqual({
        before: { greeting: "hello" },
        after: { greeting: "bonjour" },
      });
    },
    DRILL_TIMEOUT_MS,
  );
});

describe("DynamoDB locking", () => {
  it(
    "refuses a second concurrent apply while the lock item is held; with -lock-timeout it waits, and no run is lost",
    async () => {
      const holder = startTerraform(
        [...APPLY, "-target=terraform_data.first", `-var=hold_seconds=${HOLD}`],
        operator(DYNAMODB_LOCKED, "a"),
        env,
      );
      const lock = await waitFor("the lock item in DynamoDB", () => dynamoLock(DYNAMODB_LOCKED));
      expect(lock.info).toMatchObject({
        Operation: "OperationTypeApply",
        Path: `${TEST_BUCKET}/${stateKey(DYNAMODB_LOCKED)}`,
      });

      const waiter = startTerraform(
        [...APPLY, "-target=terraform_data.second", `-lock-timeout=${WAIT_FOR_LOCK}`],
        operator(DYNAMODB_LOCKED, "c"),
        env,
      );
      const refused = await tf(operator(DYNAMODB_LOCKED, "b"), ...APPLY, "-target=terraform_data.second");
      expect(holder.running()).toBe(true);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(LOCK_ERROR);
      expect(refused.stderr).toContain(lock.info!.ID);

      const [held, waited] = await Promise.all([holder.result, waiter.result]);
      expect({ code: held.code, err: held.stderr }).toMatchObject({ code: 0 });
      expect({ code: waited.code, err: waited.stderr }).toMatchObject({ code: 0 });
      expect(waited.endedAt).toBeGreaterThanOrEqual(held.endedAt);
      expect(resourceNames(await stateOf(DYNAMODB_LOCKED))).toEqual(["terraform_data.first", "terraform_data.second"]);
      expect(await dynamoLock(DYNAMODB_LOCKED)).toBeUndefined();
    },
    DRILL_TIMEOUT_MS,
  );

  it(
    "keeps the lock of a killed run until force-unlock releases it, with the state intact",
    async () => {
      const before = await stateOf(DYNAMODB_LOCKED);
      const victim = startTerraform(
        [...APPLY, "-target=terraform_data.third", "-var=hold_seconds=60"],
        dirOf(DYNAMODB_LOCKED),
        env,
      );
      // Killed while idle in its provisioner, holding the lock (not mid-request: that case is the servers' concern).
      await waitFor("the provisioner to start", async () =>
        victim.output().includes(PROVISIONING) ? true : undefined,
      );
      const lock = await waitFor("the lock item in DynamoDB", () => dynamoLock(DYNAMODB_LOCKED));
      victim.crash();
      expect((await victim.result).signal).toBe("SIGKILL");

      // Nobody unlocked: the item is still there, and every other run is refused with its id.
      expect((await dynamoLock(DYNAMODB_LOCKED))?.info?.ID).toBe(lock.info!.ID);
      const blocked = await tf(dirOf(DYNAMODB_LOCKED), "plan", ...FLAGS);
      expect(blocked.code).not.toBe(0);
      expect(blocked.stderr).toContain(LOCK_ERROR);
      expect(blocked.stderr).toContain(lock.info!.ID);

      // The documented recovery.
      const unlock = await tf(dirOf(DYNAMODB_LOCKED), "force-unlock", "-force", lock.info!.ID);
      expect({ code: unlock.code, err: unlock.stderr }).toMatchObject({ code: 0 });
      expect(await dynamoLock(DYNAMODB_LOCKED)).toBeUndefined();
      const after = await stateOf(DYNAMODB_LOCKED);
      expect(after).toEqual(before);

      const resumed = await tf(dirOf(DYNAMODB_LOCKED), ...APPLY);
      expect({ code: resumed.code, err: resumed.stderr }).toMatchObject({ code: 0 });
      const final = await stateOf(DYNAMODB_LOCKED);
      expect(resourceNames(final)).toEqual(["terraform_data.first", "terraform_data.second", "terraform_data.third"]);
      expect({ serial: final.serial, lineage: final.lineage }).toEqual({
        serial: before.serial + 1,
        lineage: before.lineage,
      });
    },
    DRILL_TIMEOUT_MS,
  );
});

describe("S3 native locking (use_lockfile)", () => {
  const lockfile = `${TEST_BUCKET}/${stateKey(LOCKFILE_LOCKED)}.tflock`;

  it(
    "refuses a second concurrent apply while <key>.tflock exists; with -lock-timeout it waits, and no run is lost",
    async () => {
      const holder = startTerraform(
        [...APPLY, "-target=terraform_data.first", `-var=hold_seconds=${HOLD}`],
        operator(LOCKFILE_LOCKED, "a"),
        env,
      );
      const lockBody = await waitFor("the .tflock object", async () => {
        const r = await s3Request(s3.url, "GET", lockfile);
        return r.status === 200 ? (JSON.parse(r.body) as { ID: string }) : undefined;
      });

      const waiter = startTerraform(
        [...APPLY, "-target=terraform_data.second", `-lock-timeout=${WAIT_FOR_LOCK}`],
        operator(LOCKFILE_LOCKED, "c"),
        env,
      );
      const refusedBefore = proxy.refused();
      const refused = await tf(operator(LOCKFILE_LOCKED, "b"), ...APPLY, "-target=terraform_data.second");
      expect(holder.running()).toBe(true);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(LOCK_ERROR);
      expect(refused.stderr).toContain(lockBody.ID);
      expect(proxy.refused()).toBeGreaterThan(refusedBefore);

      const [held, waited] = await Promise.all([holder.result, waiter.result]);
      expect({ code: held.code, err: held.stderr }).toMatchObject({ code: 0 });
      expect({ code: waited.code, err: waited.stderr }).toMatchObject({ code: 0 });
      expect(waited.endedAt).toBeGreaterThanOrEqual(held.endedAt);
      expect(resourceNames(await stateOf(LOCKFILE_LOCKED))).toEqual(["terraform_data.first", "terraform_data.second"]);
      expect((await s3Request(s3.url, "HEAD", lockfile)).status).toBe(404);
      // The refusal was the lockfile's: this backend has no lock table, and nothing of this stack went to DynamoDB.
      const items = await scanLockTable(dynamo.url, TEST_LOCK_TABLE);
      expect(items.filter((i) => i.lockId.includes(LOCKFILE_LOCKED))).toEqual([]);
    },
    DRILL_TIMEOUT_MS,
  );

  it(
    "control: without the 412 for an existing key (plain s3rver) the same contention is not refused",
    async () => {
      const direct = operator(LOCKFILE_LOCKED, "direct");
      writeEndpointOverride(direct, { s3: s3.url });
      expect((await tf(direct, "init", "-reconfigure", ...FLAGS)).code).toBe(0);
      const holder = startTerraform(
        [...APPLY, "-target=terraform_data.third", `-var=hold_seconds=${HOLD}`],
        dirOf(LOCKFILE_LOCKED),
        env,
      );
      await waitFor("the .tflock object", async () =>
        (await s3Request(s3.url, "HEAD", lockfile)).status === 200 ? true : undefined,
      );
      const contender = await tf(direct, ...APPLY, "-replace=terraform_data.second", "-target=terraform_data.second");
      expect(holder.running()).toBe(true);
      expect({ code: contender.code, err: contender.stderr }).toMatchObject({ code: 0 });
      // The contender overwrote the holder's .tflock and deleted it on unlock: the holder cannot even release its lock.
      const held = await holder.result;
      expect(held.code).not.toBe(0);
      expect(held.stderr).toContain("Error releasing the state lock");
    },
    DRILL_TIMEOUT_MS,
  );
});

describe("bootstrap of the state-backend stack", () => {
  /** A resource instance in the bootstrap state, so that the migration is shown to carry resources, not only outputs. */
  const bootstrapMarker = {
    mode: "managed",
    type: "terraform_data",
    name: "bootstrap_marker",
    provider: 'provider["terraform.io/builtin/terraform"]',
    instances: [
      {
        schema_version: 0,
        attributes: { id: "bootstrap-marker", input: null, output: null, triggers_replace: null },
        sensitive_attributes: [],
      },
    ],
  };

  it(
    "migrates its local state into the bucket with the backend override, and keeps using it after a new synthesis",
    async () => {
      const stack = readSynthesizedStacks(firstOutdir).find((st) => st.id === STATE_BACKEND_STACK_ID)!;
      expect(Object.keys(stack.json.terraform.backend)).toEqual(["local"]);
      // What the bootstrap apply leaves (s3rver cannot apply the bucket's settings, so the state is written directly).
      const local: TerraformJson = {
        ...seededState(stack),
        lineage: crypto.randomUUID(),
        resources: [bootstrapMarker],
      };
      fs.writeFileSync(path.join(stack.dir, "terraform.tfstate"), JSON.stringify(local));
      expect((await tf(stack.dir, "init", ...FLAGS)).code).toBe(0);

      writeStateMigrationOverride(stack.dir, DYNAMODB_BACKEND);
      writeEndpointOverride(stack.dir, { s3: s3.url, dynamodb: dynamo.url });
      const migrate = await tf(stack.dir, "init", "-migrate-state", "-force-copy", ...FLAGS);
      expect({ code: migrate.code, err: migrate.stderr }).toMatchObject({ code: 0 });
      const migrated = await stateOf(STATE_BACKEND_STACK_ID);
      // Terraform gives the copy a new lineage; what it holds must be the same.
      expect({ outputs: migrated.outputs, resources: migrated.resources }).toEqual({
        outputs: local.outputs,
        resources: local.resources,
      });

      // Terraform leaves the local file behind: on a fresh init it would offer to copy it over the state in S3.
      expect(JSON.parse(fs.readFileSync(path.join(stack.dir, "terraform.tfstate"), "utf8")).resources).toHaveLength(1);

      // A new synthesis replaces cdktf.out: the override comes along, the stale local state only under a name Terraform
      // ignores, the endpoint override not at all.
      synthesizeApp(firstOutdir, (app) => addBackendTestStacks(app, "hello"));
      expect(fs.existsSync(path.join(stack.dir, STATE_MIGRATION_OVERRIDE_FILE))).toBe(true);
      expect(fs.existsSync(path.join(stack.dir, "terraform.tfstate"))).toBe(false);
      expect(fs.existsSync(path.join(stack.dir, "terraform.tfstate" + PRE_MIGRATION_SUFFIX))).toBe(true);
      expect(fs.existsSync(path.join(stack.dir, ".terraform"))).toBe(false);
      writeEndpointOverride(stack.dir, { s3: s3.url, dynamodb: dynamo.url });
      const reinit = await tf(stack.dir, "init", ...FLAGS);
      expect({ code: reinit.code, err: reinit.stderr }).toMatchObject({ code: 0 });

      const pulled = JSON.parse((await tf(stack.dir, "state", "pull")).stdout);
      expect({ lineage: pulled.lineage, serial: pulled.serial }).toEqual({
        lineage: migrated.lineage,
        serial: migrated.serial,
      });
      expect(await stateOf(STATE_BACKEND_STACK_ID)).toEqual(migrated);
    },
    DRILL_TIMEOUT_MS,
  );
});
