import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { batchMember, batchState } from "../tools/terraform/batch-root";
import type { SynthesizedStack, TerraformJson } from "../tools/terraform/cdktf-out";
import { terraformEnv } from "../tools/terraform/environment";
import { StateBatchRoot } from "../tools/terraform/plan-from-states";
import {
  checkStackOffline,
  planSetsOffline,
  planStacksOffline,
  type OfflineCheck,
} from "../tools/terraform/plan-offline";
import { readStacks } from "../tools/terraform/stack-files";
import { planSubstance } from "./helpers/plan-substance";

/**
 * The batched offline plan (many stacks as child modules of one generated root) must say what planning each stack
 * alone says: the same resource changes, planned values and outputs under the same addresses, the same failures,
 * each pinned on its own stack. Fixtures: terraform_data stacks in JSON and HCL (no provider, no AWS) and broken
 * ones of each kind. (offline-plan.test.ts compares a blueprint stack with the real AWS provider the same way.)
 */
let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-batch-"));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("terraform_data stacks in both forms, some broken", () => {
  let outdir: string;
  let checks: Map<string, OfflineCheck>;
  let stacks: SynthesizedStack[];
  /** Another synthesis holding stacks of the same ids (a variant), planned in the same batch. */
  let variant: OfflineCheck[];
  const upstream = (name: string, greeting = "hello") => ({
    terraform: { backend: { s3: { bucket: "b", key: `${name}/terraform.tfstate`, region: "ap-northeast-1" } } },
    resource: { terraform_data: { marker: { input: "upstream" } } },
    output: {
      marker_id: { value: "${terraform_data.marker.id}" },
      greeting_name: { value: greeting },
      token: { value: "fixture-batch-secret", sensitive: true },
    },
  });
  const remote = (name: string) => ({
    backend: "s3",
    config: { bucket: "b", key: `${name}/terraform.tfstate`, region: "ap-northeast-1" },
  });
  const files: Record<string, [string, string]> = {
    "up-json": ["cdk.tf.json", JSON.stringify(upstream("up-json"))],
    "down-json": [
      "cdk.tf.json",
      JSON.stringify({
        data: { terraform_remote_state: { up: remote("up-json") } },
        resource: { terraform_data: { copy: { input: "${data.terraform_remote_state.up.outputs.greeting_name}" } } },
        output: { copied: { value: "${terraform_data.copy.output}" } },
      }),
    ],
    "down-hcl": [
      "cdk.tf",
      [
        'data "terraform_remote_state" "up" {',
        'backend = "s3"',
        'config = { bucket = "b", key = "up-json/terraform.tfstate", region = "ap-northeast-1" }',
        "}",
        'resource "terraform_data" "copy" {',
        "input = data.terraform_remote_state.up.outputs.greeting_name",
        "count = 2",
        "}",
        'output "copied" {',
        "value = terraform_data.copy[*].output",
        "}",
        "",
      ].join("\n"),
    ],
    "needs-input": [
      "cdk.tf.json",
      JSON.stringify({
        variable: { certificate_arn: { type: "string" }, size: { type: "number", default: 2 } },
        resource: { terraform_data: { cert: { input: "${var.certificate_arn}", triggers_replace: ["${var.size}"] } } },
      }),
    ],
    // A variable whose validation fails on the value it gets (how a handed-off stack refuses to plan):
    // `terraform validate` of the stack alone passes, since it takes root variables as unknown; the plan fails.
    guarded: [
      "cdk.tf.json",
      JSON.stringify({
        variable: {
          guard: {
            type: "string",
            nullable: false,
            default: "handed off",
            validation: [{ condition: "${var.guard == null}", error_message: "This stack is guarded." }],
          },
        },
        resource: { terraform_data: { x: { input: "x" } } },
      }),
    ],
    "bad-reference": [
      "cdk.tf.json",
      JSON.stringify({ resource: { terraform_data: { x: { input: "${var.undeclared}" } } } }),
    ],
    "bad-syntax-hcl": ["cdk.tf", 'resource "terraform_data" "x" {\ninput = "unterminated\n}\n'],
    "leaks-sensitive": [
      "cdk.tf.json",
      JSON.stringify({
        variable: { token: { type: "string", default: "fixture-batch-secret", sensitive: true } },
        output: { leaked: { value: "${var.token}" } },
      }),
    ],
  };

  const writeOutdir = (dir: string, stackFiles: Record<string, [string, string]>) => {
    const manifest: TerraformJson = { stacks: {} };
    for (const [id, [file, text]] of Object.entries(stackFiles)) {
      fs.mkdirSync(path.join(dir, "stacks", id), { recursive: true });
      fs.writeFileSync(path.join(dir, "stacks", id, file), text);
      manifest.stacks[id] = { name: id, synthesizedStackPath: `stacks/${id}/${file}`, dependencies: [] };
    }
    fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
  };

  beforeAll(async () => {
    outdir = path.join(root, "cdktf.out");
    writeOutdir(outdir, files);
    stacks = (await readStacks(outdir)).stacks;
    const variantOut = path.join(root, "variant", "cdktf.out");
    writeOutdir(variantOut, {
      "up-json": ["cdk.tf.json", JSON.stringify(upstream("up-json", "bonjour"))],
      "down-json": files["down-json"],
    });
    const variantStacks = (await readStacks(variantOut)).stacks;
    const [results, again] = await planSetsOffline(
      [
        { stacks, all: stacks },
        { name: "variant", stacks: variantStacks, all: variantStacks },
      ],
      path.join(root, "work"),
      { concurrency: 1 },
    );
    checks = new Map(results.map((r) => [r.stack, r]));
    variant = again;
  }, 300_000);

  it("reads the HCL form's facts (outputs, remote state) like the JSON form's", async () => {
    const { unreadable } = await readStacks(outdir);
    expect(unreadable.map((u) => u.id)).toEqual(["bad-syntax-hcl"]);
    const hcl = stacks.find((s) => s.id === "down-hcl")!;
    expect(hcl.file).toBe("cdk.tf");
    expect(hcl.json.data.terraform_remote_state.up.config.key).toBe("up-json/terraform.tfstate");
    expect(Object.keys(hcl.json.output)).toEqual(["copied"]);
  });

  it("plans the good stacks of both forms, with the upstream's seeded outputs", () => {
    for (const id of ["up-json", "down-json", "down-hcl", "needs-input"]) {
      expect({ id, failed: checks.get(id)!.failedStep }).toEqual({ id, failed: undefined });
    }
    const copies = (id: string) =>
      checks
        .get(id)!
        .plan!.resource_changes.map((c: TerraformJson) => [c.address, c.change.actions, c.change.after.input]);
    expect(copies("down-json")).toEqual([["terraform_data.copy", ["create"], "hello"]]);
    expect(copies("down-hcl")).toEqual([
      ["terraform_data.copy[0]", ["create"], "hello"],
      ["terraform_data.copy[1]", ["create"], "hello"],
    ]);
    expect(Object.keys(checks.get("up-json")!.plan!.output_changes).sort()).toEqual([
      "greeting_name",
      "marker_id",
      "token",
    ]);
    expect(checks.get("up-json")!.plan!.output_changes.token.after_sensitive).toBe(true);
  });

  it("plans another set's stacks of the same ids beside them, each with its own set's upstream", () => {
    expect(variant.map((c) => [c.stack, c.failedStep]).sort()).toEqual([
      ["down-json", undefined],
      ["up-json", undefined],
    ]);
    const of = (id: string) => variant.find((c) => c.stack === id)!;
    const input = (check: OfflineCheck) => check.plan!.resource_changes[0].change.after.input;
    expect(input(of("down-json"))).toBe("bonjour");
    expect(input(checks.get("down-json")!)).toBe("hello");
    expect(of("up-json").plan!.output_changes.greeting_name.after).toBe("bonjour");
    expect(new Set([...variant, ...checks.values()].map((c) => c.workdir)).size).toBe(variant.length + checks.size);
  });

  it("pins each failure on its own stack, at the step that failed, naming its file", () => {
    const failed = [...checks.values()].filter((c) => c.failedStep).map((c) => [c.stack, c.failedStep]);
    expect(failed.sort()).toEqual([
      ["bad-reference", "validate"],
      ["bad-syntax-hcl", "init"],
      ["guarded", "plan"],
      ["leaks-sensitive", "plan"],
    ]);
    expect(checks.get("guarded")!.validation).toEqual({ valid: true, diagnostics: [] });
    expect(checks.get("guarded")!.output).toContain("This stack is guarded.");
    expect(checks.get("bad-reference")!.output).toContain("Reference to undeclared input variable");
    expect(checks.get("bad-reference")!.output).toMatch(/bad-reference\/cdk\.tf\.json line 1/);
    expect(checks.get("bad-syntax-hcl")!.output).toMatch(/bad-syntax-hcl\/cdk\.tf line \d/);
    // Only root outputs are checked for unmarked sensitive values: the batch root's re-export keeps that check.
    expect(checks.get("leaks-sensitive")!.output).toContain("Output refers to sensitive values");
  });

  it("validates within the plan: without a separate validate, the same error fails the plan", async () => {
    const bad = stacks.find((s) => s.id === "bad-reference")!;
    const [check] = await planStacksOffline([bad], stacks, path.join(root, "no-validate"), { validate: false });
    expect(check.failedStep).toBe("plan");
    expect(check.validation).toBeUndefined();
    expect(check.output).toContain("Reference to undeclared input variable");
  });

  it("says what planning each good stack alone says", async () => {
    for (const id of ["up-json", "down-json", "down-hcl", "needs-input"]) {
      const stack = stacks.find((s) => s.id === id)!;
      const alone = await checkStackOffline(stack, stacks, path.join(root, "alone"), { validate: false });
      expect({ id, failed: alone.failedStep }).toEqual({ id, failed: undefined });
      const batched = checks.get(id)!;
      expect({ id, ...planSubstance(batched.plan!, batched.workdir) }).toEqual({
        id,
        ...planSubstance(alone.plan!, alone.workdir),
      });
    }
  });
});

describe("members planned against states of their own (plan-from-states.ts)", () => {
  /** A terraform_data resource as a state holds it (input and output are dynamic values: value and type). */
  const data = (name: string, input: string) => ({
    mode: "managed",
    type: "terraform_data",
    name,
    provider: 'provider["terraform.io/builtin/terraform"]',
    instances: [
      {
        schema_version: 0,
        attributes: {
          id: `${name}-${input}`,
          input: { value: input, type: "string" },
          output: { value: input, type: "string" },
          triggers_replace: null,
        },
        sensitive_attributes: [],
      },
    ],
  });

  it("plans each member against its own state: the same stack unchanged, changed and emptied, one process", async () => {
    const json = { resource: { terraform_data: { x: { input: "a" } } } };
    const stack = (name: string, config: TerraformJson): SynthesizedStack => {
      const dir = path.join(root, "states", "stacks", name);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(config));
      return { id: "one-stack", dir, json: config, dependencies: [] };
    };
    const member = (name: string, config: TerraformJson = json) =>
      batchMember(stack(name, config), `../stacks/${name}`, {}, name);
    const [same, changed, emptied] = [member("same"), member("changed"), member("emptied", {})];
    const batch = new StateBatchRoot(path.join(root, "states", "root"), terraformEnv());
    await batch.init([same, changed, emptied]);
    const views = await batch.plan([
      { member: same, resources: [data("x", "a")] },
      { member: changed, resources: [data("x", "old")] },
      { member: emptied, resources: [data("x", "a")] },
    ]);
    const changes = views.map((v) =>
      v.resource_changes.map((c: TerraformJson) => [c.address, c.change.actions, c.change.before?.input]),
    );
    expect(changes).toEqual([
      [["terraform_data.x", ["no-op"], "a"]],
      [["terraform_data.x", ["update"], "old"]],
      [["terraform_data.x", ["delete"], "a"]],
    ]);
  });

  it("binds a member's resources to the module's own provider configurations, aliased ones too", () => {
    const stack: SynthesizedStack = {
      id: "edge",
      dir: "/nowhere",
      json: { provider: { aws: [{ region: "ap-northeast-1" }, { alias: "us_east_1", region: "us-east-1" }] } },
      dependencies: [],
    };
    const aws = 'provider["registry.terraform.io/hashicorp/aws"]';
    const builtin = 'provider["terraform.io/builtin/terraform"]';
    const state = batchState(
      [
        {
          member: batchMember(stack, "../stacks/edge"),
          resources: [aws, `${aws}.us_east_1`, builtin].map((provider, i) => ({ ...data(`r${i}`, "a"), provider })),
        },
      ],
      "test",
    );
    expect(state.resources.map((r: TerraformJson) => [r.module, r.provider])).toEqual([
      ["module.edge", `module.edge.${aws}`],
      ["module.edge", `module.edge.${aws}.us_east_1`],
      // Not configured by the stack: inherited from the root, where Terraform keeps it.
      ["module.edge", builtin],
    ]);
  });
});

describe("validation with the batch root's provider configurations (sharedProviders)", () => {
  const provider = (alias?: string) => [
    'provider "aws" {',
    ...(alias ? [`alias = "${alias}"`, 'region = "us-east-1"'] : ['region = "ap-northeast-1"']),
    "default_tags {",
    'tags = { Stack = "fixture" }',
    "}",
    "}",
  ];
  const required = [
    "terraform {",
    "required_providers {",
    'aws = { source = "hashicorp/aws", version = "5.100.0" }',
    "}",
    "}",
  ];
  const files: Record<string, string[]> = {
    edge: [
      ...required,
      ...provider(),
      ...provider("us_east_1"),
      'resource "aws_sns_topic" "here" {',
      'name = "fixture-here"',
      "}",
      'resource "aws_sns_topic" "there" {',
      'name = "fixture-there"',
      'provider = "aws.us_east_1"',
      "}",
    ],
    broken: [...required, ...provider(), 'resource "aws_sns_topic" "bad" {', 'no_such_argument = "x"', "}"],
  };
  let stacks: SynthesizedStack[];
  let checks: OfflineCheck[];
  beforeAll(async () => {
    const outdir = path.join(root, "shared-out");
    const manifest: Record<string, TerraformJson> = {};
    for (const [id, lines] of Object.entries(files)) {
      fs.mkdirSync(path.join(outdir, "stacks", id), { recursive: true });
      fs.writeFileSync(path.join(outdir, "stacks", id, "cdk.tf"), `${lines.join("\n")}\n`);
      manifest[id] = { name: id, synthesizedStackPath: `stacks/${id}/cdk.tf`, dependencies: [] };
    }
    fs.writeFileSync(path.join(outdir, "manifest.json"), JSON.stringify({ stacks: manifest }));
    stacks = (await readStacks(outdir)).stacks;
    checks = await planStacksOffline(stacks, stacks, path.join(root, "shared"), { plan: false, sharedProviders: true });
  }, 300_000);

  it("validates each stack without its provider blocks, aliased resources bound to the root's configuration", () => {
    const [edge, broken] = checks;
    expect({ stack: edge.stack, valid: edge.validation?.valid, failed: edge.failedStep }).toEqual({
      stack: "edge",
      valid: true,
      failed: undefined,
    });
    expect(fs.readFileSync(path.join(edge.workdir, "cdk.tf"), "utf8")).not.toMatch(/provider "aws"/);
    expect(broken.failedStep).toBe("validate");
    expect(broken.output).toMatch(/no_such_argument/);
  });

  it("refuses to plan that way: a plan needs each stack's own provider configuration", async () => {
    await expect(
      planStacksOffline(stacks, stacks, path.join(root, "shared-plan"), { sharedProviders: true }),
    ).rejects.toThrow(/validates only/);
  });
});
