import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, DataResource, LocalBackend } from "cdktf";
import { Construct } from "constructs";
import { addressName, movedFrom } from "../modules/addresses";
import { ReadableStack } from "../stacks/readable-stack";
import { declaredAddresses } from "../tools/terraform/references";
import { terraform, terraformEnv } from "../tools/terraform/environment";
import { summarizeStack } from "../tools/plan/summary";
import { synthToTemp } from "./helpers/synth";
import type { TerraformJson } from "../tools/terraform/cdktf-out";

/** What an address must look like: an HCL identifier, no hash a person could not have chosen. */
const VALID = /^[a-z_][a-z0-9_-]*$/;
const HASH_LIKE = /(^|[_-])(?=[0-9A-Fa-f]*[0-9])[0-9A-Fa-f]{6,}$/;

describe("addresses of the synthesized stacks", () => {
  const { stacks } = synthToTemp();

  it("are readable: every resource, data source, variable, output and local name is a plain identifier", () => {
    const names = stacks.flatMap((s) => [...declaredAddresses(s.json)].map((a) => ({ stack: s.id, address: a })));
    expect(names.length).toBeGreaterThan(900);
    const bad = names.filter(({ address }) => {
      const name = address.split(".").at(-1)!;
      return !VALID.test(name) || HASH_LIKE.test(name);
    });
    expect(bad).toEqual([]);
  });

  it("name what each resource is: services, tiers and AZs, listeners by role", () => {
    const json = (id: string) => stacks.find((s) => s.id === id)!.json;
    const network = json("library-app-prod-network");
    expect(Object.keys(network.resource.aws_subnet).sort()).toEqual([
      "private_1a",
      "private_1c",
      "public_1a",
      "public_1c",
    ]);
    expect(Object.keys(network.resource.aws_security_group).sort()).toEqual([
      "alb",
      "database",
      "service_backend",
      "service_frontend",
    ]);
    const compute = json("library-app-prod-compute");
    expect(Object.keys(compute.resource.aws_ecs_service).sort()).toEqual(["backend", "frontend"]);
    expect(Object.keys(compute.resource.aws_lb_listener).sort()).toEqual(["alb_http", "alb_https"]);
    expect(Object.keys(compute.resource.aws_iam_role).sort()).toEqual([
      "backend_execution",
      "backend_task",
      "database_password_events",
      "database_password_restarts",
      "frontend_execution",
      "frontend_task",
    ]);
    expect(Object.keys(compute.data.terraform_remote_state).sort()).toEqual(["data", "dns", "network", "registry"]);
    const ci = json("text-messaging-prod-ci");
    expect(Object.keys(ci.resource.aws_iam_role).sort()).toEqual(["github_deploy", "github_plan"]);
  });
});

describe("the address rule", () => {
  it("joins construct ids below the stack in snake case, leaving out `this` and `this-*`", () => {
    expect(addressName(["backend", "this-service"])).toBe("backend");
    expect(addressName(["this-vpc", "private-1a", "this-subnet"])).toBe("private_1a");
    expect(addressName(["backend", "execution", "this-role"])).toBe("backend_execution");
    expect(addressName(["fastapi.backend/api"])).toBe("fastapi_backend_api");
  });

  it("refuses a path that names nothing", () => {
    expect(() => addressName(["this-alb", "this-lb"])).toThrow(/gives no valid Terraform address name/);
    expect(() => addressName(["1a"])).toThrow(/starts with a letter/);
  });

  it("refuses two elements of one stack with the same address, naming both", () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "fbp-addr-")) });
    const stack = new ReadableStack(app, "collide");
    new DataResource(new Construct(stack, "a"), "this-marker", { input: { n: 1 } });
    new DataResource(new Construct(stack, "this-b"), "a", { input: { n: 2 } });
    expect(() => app.synth()).toThrow(/collide\/this-b\/a and collide\/a\/this-marker would both be terraform_data\.a/);
  });
});

describe("renames ship with moved blocks", () => {
  /** A stack whose marker lives under `scope`, optionally declaring that it used to live under `formerly`. */
  function synthesize(outdir: string, scope: string, formerly?: string): TerraformJson {
    const app = new App({ outdir });
    const stack = new ReadableStack(app, "renames");
    new LocalBackend(stack, { path: "terraform.tfstate" });
    const owner = new Construct(stack, scope);
    new DataResource(owner, "this-marker", { input: { kept: true } });
    if (formerly) movedFrom(owner, [formerly]);
    app.synth();
    return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "renames", "cdk.tf.json"), "utf8"));
  }

  it("declares a moved block from the former address to the new one", () => {
    const json = synthesize(fs.mkdtempSync(path.join(os.tmpdir(), "fbp-moved-")), "new-name", "old-name");
    expect(json.moved).toEqual([{ from: "terraform_data.old_name", to: "terraform_data.new_name" }]);
  });

  it("plans a move, not a destroy and create, against a state that holds the old address", async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-moved-"));
    // First the old layout is applied, then the renamed layout is planned against that state.
    synthesize(outdir, "old-name");
    const dir = path.join(outdir, "stacks", "renames");
    const env = terraformEnv();
    for (const args of [
      ["init", "-input=false", "-no-color"],
      ["apply", "-auto-approve", "-input=false", "-no-color"],
    ]) {
      const run = await terraform(args, dir, env);
      expect({ args, code: run.code, out: run.code === 0 ? "" : run.stdout + run.stderr }).toEqual({
        args,
        code: 0,
        out: "",
      });
    }
    synthesize(outdir, "new-name", "old-name");
    const plan = await terraform(["plan", "-input=false", "-no-color", "-out=moved.tfplan"], dir, env);
    expect(plan.code).toBe(0);
    const show = await terraform(["show", "-json", "moved.tfplan"], dir, env);
    const json = JSON.parse(show.stdout);
    expect(json.resource_changes.map((c: TerraformJson) => [c.previous_address, c.address, c.change.actions])).toEqual([
      ["terraform_data.old_name", "terraform_data.new_name", ["no-op"]],
    ]);
    const summary = summarizeStack("renames", json, []);
    expect(summary.moved).toEqual([{ from: "terraform_data.old_name", to: "terraform_data.new_name" }]);
    expect(summary.counts).toEqual({ add: 0, change: 0, replace: 0, destroy: 0 });
  });
});
