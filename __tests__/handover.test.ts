import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { synthesize } from "../app/synth";
import { handedOffIn, HANDOVER_GUARD, loadHandovers, parseHandovers } from "../app/handovers";
import { BlueprintError } from "../schema/errors";
import { STACK_JSON } from "../tools/handoff/bundle";
import { terraformOnlyJson } from "../tools/handoff/terraform-json";
import { readSynthesizedStacks, type SynthesizedStack } from "../tools/terraform/cdktf-out";
import {
  awsProviderVersion,
  offlineTerraformEnv,
  terraform,
  type TerraformResult,
} from "../tools/terraform/environment";
import { seededState } from "../tools/terraform/offline";
import { checkStackOffline, type OfflineCheck } from "../tools/terraform/plan-offline";
import { runTool, type ToolRun } from "./helpers/cli";
import { offlinePlansOf } from "./helpers/offline-plans";
import { synthToTemp } from "./helpers/synth";
import { withoutComments } from "./helpers/terraform-comments";
import { treeDigest } from "./helpers/tree-digest";

/**
 * The one-way handover of library-app's prod registry stack to another team, through the real command: the registry
 * records it, cdktf.out refuses every plan, apply and destroy of it (real terraform, offline), the bundle holds the
 * same configuration without the guard and plans, plan review and later bundles leave it out, and a second handover
 * of it is refused.
 *
 * The bundle's copy is not planned a second time: it is, byte for byte, the synthesized stack's file before the
 * handover without cdktf's "//" comment properties (which Terraform skips), and that file's plan is the run's shared
 * offline plan of library-app (helpers/offline-plans.ts; planned here when this file runs alone).
 */
const HANDED = "library-app-prod-registry";
const TEAM = "payments-ops";
const WHERE = "git@example.com:payments/ops-infra.git//library-app";
/** Terraform wraps its diagnostics: compare with whitespace collapsed. */
const flat = (text: string) => text.replace(/\s+/g, " ");

let root: string;
let registry: string;
let cdktfOut: string;
let bundle: string;
let unguarded: SynthesizedStack[];
let handover: ToolRun;
let guarded: SynthesizedStack[];
let fromOut: OfflineCheck;
let fromBundle: OfflineCheck;
const refusals = new Map<string, TerraformResult>();
let stateBefore: string;
let stateAfter: string;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-handover-"));
  registry = path.join(root, "handed-off.json");
  bundle = path.join(root, "bundle");
  const synth = synthToTemp({ blueprint: "library-app", handedOffFile: registry });
  cdktfOut = synth.outdir;
  unguarded = synth.stacks;
  // The stack's offline plan before the handover rewrites cdktf.out (the run's shared plan, or planned here).
  [fromBundle] = await offlinePlansOf(
    unguarded.filter((s) => s.id === HANDED),
    unguarded,
    path.join(root, "bundle-work"),
  );
  handover = await runTool(
    "tools/handoff/cli.ts",
    [
      "--handover",
      "--to",
      TEAM,
      "--bundle-ref",
      WHERE,
      "--registry",
      registry,
      "--cdktf-out",
      cdktfOut,
      "--out",
      bundle,
      HANDED,
    ],
    { BLUEPRINT: "library-app", ENVIRONMENT: "" },
  );
  if (handover.code !== 0) throw new Error(`handover failed (${handover.code}): ${handover.stderr}`);
  guarded = readSynthesizedStacks(cdktfOut);

  const work = path.join(root, "work");
  const stack = guarded.find((s) => s.id === HANDED)!;
  fromOut = await checkStackOffline(stack, guarded, work);
  // The same directory, now with a state: apply, destroy and a -var that tries to lift the guard must all stop.
  const statefile = path.join(fromOut.workdir, "terraform.tfstate");
  fs.writeFileSync(statefile, JSON.stringify(seededState(stack), null, 2));
  stateBefore = fs.readFileSync(statefile, "utf8");
  // The environment the stack was planned in (checkStackOffline's): the same provider installation.
  const env = offlineTerraformEnv([awsProviderVersion(stack.json)]);
  const common = ["-input=false", "-no-color", "-lock=false"];
  for (const [label, args] of [
    ["apply", ["apply", "-auto-approve", ...common]],
    ["destroy", ["destroy", "-auto-approve", ...common]],
    [`plan -var ${HANDOVER_GUARD}=null`, ["plan", ...common, "-var", `${HANDOVER_GUARD}=null`]],
  ] as const) {
    refusals.set(label, await terraform([...args], fromOut.workdir, env));
  }
  stateAfter = fs.readFileSync(statefile, "utf8");
}, 900_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("the handover command", () => {
  it("records the stack, the team, the day, where the bundle lives and the commit it was written from", () => {
    const head = execFileSync("git", ["rev-parse", "HEAD"], { encoding: "utf8" }).trim();
    expect(loadHandovers(registry)).toEqual([
      { stack: HANDED, to: TEAM, date: new Date().toISOString().slice(0, 10), bundle: WHERE, commit: head },
    ]);
    expect(handover.stdout).toContain(`handed over 1 stacks to ${TEAM}`);
  });

  it("hands over only what it is told: no patterns, no handover", async () => {
    const elsewhere = path.join(root, "elsewhere");
    const run = await runTool("tools/handoff/cli.ts", [
      "--handover",
      "--to",
      TEAM,
      "--registry",
      path.join(root, "unused.json"),
      "--cdktf-out",
      cdktfOut,
      "--out",
      elsewhere,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("--handover needs stack patterns");
    expect(fs.existsSync(elsewhere) || fs.existsSync(path.join(root, "unused.json"))).toBe(false);
  });

  it("writes a bundle of that stack alone, saying who owns it now", () => {
    expect(fs.readdirSync(bundle).sort()).toEqual(["README.md", HANDED]);
    expect(fs.readFileSync(path.join(bundle, "README.md"), "utf8")).toMatch(
      new RegExp(`## Ownership\\s+Handed over to ${TEAM} on \\d{4}-\\d{2}-\\d{2}`),
    );
  });

  it("guards the stack in cdktf.out and nothing else", () => {
    const guardedIds = guarded.filter((s) => handedOffIn(s.json)).map((s) => s.id);
    expect(guardedIds).toEqual([HANDED]);
    expect(handedOffIn(guarded.find((s) => s.id === HANDED)!.json)).toMatch(new RegExp(`^handed off to ${TEAM} on `));
  });

  it("ships exactly the configuration cdktf had before the handover: the guard is the only difference", () => {
    const before = unguarded.find((s) => s.id === HANDED)!.json;
    const after = guarded.find((s) => s.id === HANDED)!.json;
    const shipped = JSON.parse(fs.readFileSync(path.join(bundle, HANDED, STACK_JSON), "utf8"));
    expect(after.variable?.[HANDOVER_GUARD]).toBeDefined();
    expect(shipped).toEqual(terraformOnlyJson(before));
    expect(terraformOnlyJson(after)).toEqual(shipped);
    for (const file of ["README.md", path.join(HANDED, "README.md"), path.join(HANDED, STACK_JSON)]) {
      expect({ file, guard: fs.readFileSync(path.join(bundle, file), "utf8").includes(HANDOVER_GUARD) }).toEqual({
        file,
        guard: false,
      });
    }
  });

  it("refuses to hand the same stack over again, and changes nothing", async () => {
    const registryBefore = fs.readFileSync(registry, "utf8");
    const again = path.join(root, "again");
    const run = await runTool(
      "tools/handoff/cli.ts",
      ["--handover", "--to", "other-team", "--registry", registry, "--cdktf-out", cdktfOut, "--out", again, HANDED],
      { BLUEPRINT: "library-app", ENVIRONMENT: "" },
    );
    expect(run.code).toBe(1);
    expect(flat(run.stderr)).toContain(`already handed off: ${HANDED} (handed off to ${TEAM} on`);
    expect(fs.readFileSync(registry, "utf8")).toBe(registryBefore);
    expect(fs.existsSync(again)).toBe(false);
  });
});

describe("terraform of the handed-off stack from cdktf.out", () => {
  const message = (output: string) => {
    expect(flat(output)).toContain(`Stack ${HANDED} was handed off to ${TEAM} on`);
    expect(flat(output)).toContain(`changes only through the handoff bundle (${WHERE}`);
    expect(flat(output)).toContain("remove its entry from handed-off.json in a reviewed commit");
  };

  it("validates, but its plan fails with the handover message", () => {
    expect(fromOut.failedStep).toBe("plan");
    expect(fromOut.output).toContain("$ terraform validate");
    message(fromOut.output);
  });

  it.each(["apply", "destroy", `plan -var ${HANDOVER_GUARD}=null`])("refuses %s with the same message", (label) => {
    const run = refusals.get(label)!;
    expect(run.code).not.toBe(0);
    message(run.stdout + run.stderr);
  });

  it("leaves the state as it was", () => {
    expect(stateAfter).toBe(stateBefore);
  });
});

it("the bundle's copy of the same stack is the configuration planned offline: everything it declares, to create", () => {
  expect(fs.readFileSync(path.join(bundle, HANDED, STACK_JSON), "utf8")).toBe(
    withoutComments(fs.readFileSync(path.join(fromBundle.workdir, STACK_JSON), "utf8")),
  );
  expect({
    failed: fromBundle.failedStep,
    output: fromBundle.failedStep ? fromBundle.output.slice(-3000) : "",
  }).toEqual({
    failed: undefined,
    output: "",
  });
  const changes: { change: { actions: string[] } }[] = fromBundle.plan?.resource_changes ?? [];
  const resources: { mode: string }[] = fromBundle.plan?.configuration?.root_module?.resources ?? [];
  const declared = resources.filter((r) => r.mode === "managed").length;
  expect(changes.length).toBeGreaterThan(0);
  expect(changes.length).toBe(declared);
  expect(changes.every((c) => c.change.actions.join() === "create")).toBe(true);
});

describe("after the handover", () => {
  it("plan review leaves the stack out with a one-line note", async () => {
    const review = path.join(root, "review");
    const run = await runTool("tools/plan/cli.ts", ["--offline", "--out", review, "--cdktf-out", cdktfOut, HANDED]);
    expect(run.code).toBe(0);
    const note = `Not planned: \`${HANDED}\` (handed off to ${TEAM} on`;
    expect(run.stdout.split("\n").filter((l) => l.startsWith(note))).toHaveLength(1);
    expect(run.stderr).toContain(`${HANDED}: not planned, handed off to ${TEAM}`);
    const summary = JSON.parse(fs.readFileSync(path.join(review, "summary.json"), "utf8"));
    expect(summary.stacks).toEqual([]);
    expect(summary.skipped).toEqual([{ stack: HANDED, reason: expect.stringMatching(/^handed off to /) }]);
    expect(fs.existsSync(path.join(review, "work", HANDED))).toBe(false);
  });

  it("a plain bundle leaves the stack out and names it among those it reads but does not hold", async () => {
    const plain = path.join(root, "plain");
    const run = await runTool("tools/handoff/cli.ts", ["--out", plain, "--cdktf-out", cdktfOut, "library-app-*"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`${HANDED}: left out, handed off to ${TEAM}`);
    expect(fs.readdirSync(plain)).not.toContain(HANDED);
    expect(fs.readdirSync(plain)).toContain("library-app-prod-compute");
    expect(fs.readFileSync(path.join(plain, "README.md"), "utf8")).toMatch(
      new RegExp(`Not in this bundle but read by it \\(must already be applied\\): \`${HANDED}\``),
    );
  });

  it("every later synthesis guards it from the committed registry, and a selection without it is not guarded", () => {
    const later = synthToTemp({ blueprint: "library-app", handedOffFile: registry }).stacks;
    expect(later.filter((s) => handedOffIn(s.json)).map((s) => s.id)).toEqual([HANDED]);
    const other = synthToTemp({ blueprint: "callback-handler", handedOffFile: registry }).stacks;
    expect(other.filter((s) => handedOffIn(s.json))).toEqual([]);
  });
});

describe("the registry", () => {
  const entry = {
    stack: "library-app-prod-compute",
    to: TEAM,
    date: "2026-01-15",
    bundle: WHERE,
    commit: "0123456789abcdef0123456789abcdef01234567",
  };
  const errors = (raw: unknown): string[] => {
    try {
      parseHandovers(raw, "handed-off.json");
    } catch (e) {
      if (e instanceof BlueprintError) return e.message.split("\n");
      throw e;
    }
    return [];
  };

  it("accepts a well-formed entry", () => {
    expect(errors({ handedOff: [entry] })).toEqual([]);
  });

  it.each([
    ["a missing field", { ...entry, to: undefined }, "handedOff[0].to = (missing) is required"],
    ["an unknown field", { ...entry, team: "x" }, 'handedOff[0].team = "x" is not a known field'],
    [
      "a date that is not a day",
      { ...entry, date: "2026-02-30" },
      'handedOff[0].date = "2026-02-30" is not a calendar',
    ],
    ["a commit that is not one", { ...entry, commit: "HEAD" }, 'handedOff[0].commit = "HEAD" is not a git commit'],
    ["a Terraform template", { ...entry, to: "ops ${var.x}" }, 'handedOff[0].to = "ops ${var.x}" holds a line'],
    [
      "the state-backend stack",
      { ...entry, stack: "state-backend" },
      'handedOff[0].stack = "state-backend" cannot be handed off',
    ],
  ])("refuses %s, naming the entry and the fix", (_label, bad, expected) => {
    const lines = errors({ handedOff: [bad] });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`handed-off.json: ${expected}`);
    expect(lines[0]).toMatch(/Fix: \S/);
  });

  it("refuses a stack handed off twice, naming both entries", () => {
    expect(errors({ handedOff: [entry, { ...entry, to: "other" }] })).toEqual([
      expect.stringMatching(
        /handedOff\[1\]\.stack = "library-app-prod-compute" is handed off twice \(also handedOff\[0\]\)\. Fix:/,
      ),
    ]);
  });

  it("refuses an entry that names no stack, suggesting the stacks it may mean, before anything is written", () => {
    const file = path.join(root, "typo.json");
    fs.writeFileSync(file, JSON.stringify({ handedOff: [{ ...entry, stack: "library-app-prod-compte" }] }));
    const earlier = treeDigest(cdktfOut);
    for (const blueprint of ["library-app", "callback-handler"]) {
      expect(() => synthesize({ outdir: cdktfOut, blueprint, handedOffFile: file })).toThrow(
        /typo\.json: handedOff\[0\]\.stack = "library-app-prod-compte" names no stack of the registered blueprints.*Fix: correct the id \(one of .*library-app-prod-compute/,
      );
    }
    expect(treeDigest(cdktfOut)).toBe(earlier);
  });
});
