import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { PlanRoleCredentials, planRoles, tokenSourceFromEnv } from "../tools/plan/credentials";
import { planStack } from "../tools/plan/run";
import { refusedUpdate } from "../tools/plan/refused-updates";
import { statefulLoss } from "../tools/plan/stateful";
import { summarizeStack } from "../tools/plan/summary";
import { environmentOf, stackVariables, VARS_DIR, varsFile, writeVarFile } from "../tools/plan/variables";
import type { SynthesizedStack, TerraformJson } from "../tools/terraform/cdktf-out";
import { terraform, terraformEnv } from "../tools/terraform/environment";
import { runTool } from "./helpers/cli";
import { synthToTemp } from "./helpers/synth";
import { startTerraform, waitFor } from "./helpers/terraform-process";

/**
 * What a plan against the real backend is given: each stack's variables from vars/ (checked before any plan), and
 * for each environment its own plan role, assumed through a GitHub OIDC token. And what plan review flags that AWS
 * would refuse at apply, or that loses data out of Terraform's reach.
 */
const ROOT = path.join(__dirname, "..");
const { stacks } = synthToTemp();
let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-plan-inputs-"))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const dirWith = (files: Record<string, unknown>): string => {
  const dir = fs.mkdtempSync(path.join(tmp, "vars-"));
  for (const [name, value] of Object.entries(files))
    fs.writeFileSync(path.join(dir, name), typeof value === "string" ? value : JSON.stringify(value));
  return dir;
};
const compute = () => stacks.find((s) => s.id === "callback-handler-prod-compute")!;
const CERT = "arn:aws:acm:ap-northeast-1:123456789012:certificate/00000000-0000-4000-8000-000000000000";
const problemsOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (e) {
    return (e as Error).message.split("\n");
  }
  return [];
};

describe("stack variables (vars/<app>-<env>.tfvars.json)", () => {
  it("the repository's vars/ gives every required variable of every stack: the real plan of every stack has them", () => {
    const needing = stacks.filter((s) =>
      Object.values<{ default?: unknown }>(s.json.variable ?? {}).some((v) => v.default === undefined),
    );
    expect(needing.map((s) => s.id)).toEqual(["callback-handler-prod-compute"]);
    const { values } = stackVariables(path.join(ROOT, VARS_DIR), stacks, stacks, true);
    expect(values.get("callback-handler-prod-compute")).toEqual({
      certificate_arn: expect.stringMatching(/^arn:aws:acm:ap-northeast-1:/),
    });
    expect([...values.keys()]).toEqual(["callback-handler-prod-compute"]);
  });

  it("a missing required variable is an error before any plan, naming the stack, the variable and the file", () => {
    const dir = dirWith({});
    expect(problemsOf(() => stackVariables(dir, stacks, [compute()], true))).toEqual([
      `callback-handler-prod-compute needs certificate_arn, which ${varsFile(dir, "callback-handler-prod")} does not give. Fix: add "certificate_arn": ... to it (docs/plan-review.md#stack-variables)`,
    ]);
    // Offline plans give required variables a stand-in: nothing is missing there.
    expect(stackVariables(dir, stacks, [compute()], false).values.get(compute().id)).toEqual({});
  });

  it("refuses unknown variables, files for no environment, wrong types and ARNs of another region, all at once", () => {
    const dir = dirWith({
      "callback-handler-prod.tfvars.json": {
        "//": "comments are allowed",
        certificate_arn: CERT.replace("ap-northeast-1", "us-east-1"),
        certifcate_arn: CERT,
      },
      "library-app-prod.tfvars.json": { certificate_arn: 5 },
      "callback-handler-dev.tfvars.json": {},
      "broken.tfvars.json": "{",
    });
    const problems = problemsOf(() => stackVariables(dir, stacks, stacks, true));
    expect(problems).toEqual([
      expect.stringMatching(/broken\.tfvars\.json: cannot be read as a JSON object .*Fix: correct it/),
      expect.stringMatching(/callback-handler-dev\.tfvars\.json: names no environment\. Fix: rename it/),
      expect.stringMatching(
        /callback-handler-prod\.tfvars\.json: certificate_arn = ".*us-east-1.*" is an ARN in us-east-1, but the stack deploys to ap-northeast-1\. Fix: .*\(stack callback-handler-prod-compute\)/,
      ),
      expect.stringMatching(
        /callback-handler-prod\.tfvars\.json: certifcate_arn is declared by no stack of callback-handler-prod\. Fix: remove it or correct its spelling \(declared: certificate_arn\)/,
      ),
      expect.stringMatching(
        /library-app-prod\.tfvars\.json: certificate_arn is declared by no stack of library-app-prod/,
      ),
    ]);
  });

  it("gives each stack only its own variables, never the comment, in a file for -var-file", () => {
    const dir = dirWith({ "callback-handler-prod.tfvars.json": { "//": "note", certificate_arn: CERT } });
    const { values } = stackVariables(dir, stacks, stacks, true);
    const file = writeVarFile(tmp, values.get(compute().id));
    expect(JSON.parse(fs.readFileSync(file!, "utf8"))).toEqual({ certificate_arn: CERT });
    expect(writeVarFile(tmp, values.get("callback-handler-prod-network"))).toBeUndefined();
  });

  it("knows each blueprint stack's environment from its tags", () => {
    expect(environmentOf(compute())).toBe("callback-handler-prod");
    expect(environmentOf(stacks.find((s) => s.id === "state-backend") as SynthesizedStack)).toBeUndefined();
  });
});

describe("plan roles per environment (PLAN_ROLE_ARNS)", () => {
  const ARN = "arn:aws:iam::111111111111:role/text-messaging-dev-github-plan";

  it("reads the map and refuses what is not one, with the fix", () => {
    expect(planRoles(undefined).size).toBe(0);
    expect(planRoles(JSON.stringify({ "text-messaging-dev": ARN })).get("text-messaging-dev")).toBe(ARN);
    expect(() => planRoles("{")).toThrow(/PLAN_ROLE_ARNS is not JSON .*Fix:/);
    expect(() => planRoles(JSON.stringify({ "text-messaging-dev": "role" }))).toThrow(
      /text-messaging-dev = "role" is not an IAM role ARN\. Fix: use the ci stack's plan_role_arn/,
    );
  });

  describe("against a stand-in for GitHub's token endpoint", () => {
    let server: http.Server;
    const requests: { url: string; auth: string }[] = [];
    beforeAll(async () => {
      server = http.createServer((req, res) => {
        requests.push({ url: req.url ?? "", auth: String(req.headers.authorization) });
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ value: `token-${requests.length}` }));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    });
    // fetch keeps its connection alive: close it too, or the server (and the jest worker) stays up.
    afterAll(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

    it("makes the environment's Terraform assume its role with a fresh token, without the job's own keys", async () => {
      const { port } = server.address() as AddressInfo;
      const source = tokenSourceFromEnv({
        ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/token?api-version=2.0`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: "bearer-1",
      });
      const tokenFile = path.join(tmp, "oidc", "token");
      const credentials = new PlanRoleCredentials(new Map([["text-messaging-dev", ARN]]), tokenFile, source);
      const env = await credentials.envFor("text-messaging-dev", "plan-text-messaging-dev-network");
      expect(env).toEqual({
        AWS_ROLE_ARN: ARN,
        AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
        AWS_ROLE_SESSION_NAME: "plan-text-messaging-dev-network",
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_SESSION_TOKEN: undefined,
        AWS_PROFILE: undefined,
      });
      expect(fs.readFileSync(tokenFile, "utf8")).toBe("token-1");
      expect(requests).toEqual([{ url: "/token?api-version=2.0&audience=sts.amazonaws.com", auth: "Bearer bearer-1" }]);
      // Within a minute the token is reused; an environment without a role keeps the job's credentials.
      await credentials.envFor("text-messaging-dev", "plan-text-messaging-dev-compute");
      expect(requests).toHaveLength(1);
      expect(await credentials.envFor("library-app-prod", "plan-library-app-prod-network")).toEqual({});
    });

    it("says what is missing when there is no token to assume a role with", async () => {
      const credentials = new PlanRoleCredentials(new Map([["a-b", ARN]]), path.join(tmp, "none"), undefined);
      await expect(credentials.envFor("a-b", "s")).rejects.toThrow(
        /Fix: run in a GitHub Actions job with permissions id-token: write/,
      );
    });
  });
});

describe("what plan review flags", () => {
  const service = (before: object, after: object, controller = "CODE_DEPLOY") => ({
    address: "aws_ecs_service.app",
    type: "aws_ecs_service",
    change: {
      actions: ["update"],
      before: { deployment_controller: [{ type: controller }], platform_version: "LATEST", ...before },
      after: { deployment_controller: [{ type: controller }], platform_version: "LATEST", ...after },
      after_unknown: {},
    },
  });
  const network = (subnets: string[]) => ({
    network_configuration: [{ subnets, security_groups: ["sg-1"], assign_public_ip: false }],
  });

  it("a network change of a service CodeDeploy deploys, which ECS refuses through UpdateService", () => {
    expect(refusedUpdate(service(network(["subnet-a"]), network(["subnet-b"])))).toMatch(
      /^ECS refuses to change network_configuration of a service CodeDeploy deploys \(InvalidParameterException at apply\): .*-replace=aws_ecs_service\.app/,
    );
    expect(refusedUpdate(service({ platform_version: "1.3.0" }, {}))).toMatch(/change platform_version/);
  });

  it("fails the stack's review with the reason, at the service's address", () => {
    const show = { resource_changes: [{ ...service(network(["subnet-a"]), network(["subnet-b"])), mode: "managed" }] };
    const summary = summarizeStack("text-messaging-dev-compute", show);
    expect(summary.status).toBe("failed");
    expect(summary.diagnostics).toEqual([
      {
        severity: "error",
        summary: "AWS refuses this change at apply",
        detail: expect.stringContaining("network_configuration"),
        address: "aws_ecs_service.app",
      },
    ]);
  });

  it("but not the same change of a rolling service, nor a desired count change", () => {
    expect(refusedUpdate(service(network(["subnet-a"]), network(["subnet-b"]), "ECS"))).toBeUndefined();
    expect(refusedUpdate(service({ desired_count: 1 }, { desired_count: 2 }))).toBeUndefined();
  });

  it("deleting or replacing an SSM parameter as loudly as a database: its value was written out of band", () => {
    expect(statefulLoss("aws_ssm_parameter")).toMatch(/written out of band/);
    expect(statefulLoss("aws_db_instance")).toBeDefined();
  });
});

describe("a review plan against a backend, with real Terraform (terraform_data, local state)", () => {
  /** A stack with a required variable, tagged like a blueprint stack of environment shop-dev. */
  const fixture = (stateFile: string): { stack: SynthesizedStack; json: TerraformJson } => {
    const json: TerraformJson = {
      terraform: { backend: { local: { path: stateFile } } },
      provider: {
        aws: [{ region: "ap-northeast-1", default_tags: [{ tags: { Application: "shop", Environment: "dev" } }] }],
      },
      variable: {
        greeting: { type: "string", nullable: false },
        hold_seconds: { type: "string", default: "0" },
      },
      resource: {
        terraform_data: {
          greeting: { input: "${var.greeting}" },
          hold: {
            triggers_replace: ["${var.hold_seconds}"],
            provisioner: [{ "local-exec": { command: "sleep ${var.hold_seconds}" } }],
          },
        },
      },
    };
    const dir = path.join(tmp, "stack");
    fs.mkdirSync(dir, { recursive: true });
    // The aws provider is configured but never used: leave it out of what Terraform runs, keep it for the tags.
    const runnable = Object.fromEntries(Object.entries(json).filter(([key]) => key !== "provider"));
    fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(runnable, null, 2));
    return { stack: { id: "shop-dev-compute", dir, json, dependencies: [] }, json: runnable };
  };

  it("plans while an apply holds the state lock (it takes none), with the stack's variables from vars/", async () => {
    const stateFile = path.join(tmp, "stack.tfstate");
    const { stack } = fixture(stateFile);
    const env = terraformEnv();
    for (const args of [
      ["init", "-input=false"],
      ["apply", "-auto-approve", "-input=false", "-var=greeting=hello"],
    ]) {
      const r = await terraform(args, stack.dir, env);
      expect({ args, code: r.code, err: r.stderr }).toMatchObject({ code: 0 });
    }
    const holder = startTerraform(
      ["apply", "-auto-approve", "-input=false", "-no-color", "-var=greeting=hello", "-var=hold_seconds=6"],
      stack.dir,
      env,
    );
    await waitFor("the apply to hold the lock", async () =>
      holder.output().includes("Provisioning with 'local-exec'") ? true : undefined,
    );
    const locked = await terraform(["plan", "-input=false", "-no-color", "-var=greeting=hi"], stack.dir, env);
    const dir = dirWith({ "shop-dev.tfvars.json": { greeting: "bonjour" } });
    const { values } = stackVariables(dir, [stack], [stack], true);
    const summary = await planStack(stack, [stack], path.join(tmp, "work"), { offline: false, variables: values });
    expect(holder.running()).toBe(true);
    expect(locked.stderr).toContain("Error acquiring the state lock");
    expect(summary.status).toBe("changes");
    expect(summary.resources.find((r) => r.address === "terraform_data.greeting")!.attributes).toContainEqual({
      name: "input",
      before: '"hello"',
      after: '"bonjour"',
    });
    expect((await holder.result).code).toBe(0);
  }, 120_000);

  it("the command stops before any plan when vars/ lacks a required variable, naming it and the file", async () => {
    const out = path.join(tmp, "review");
    const run = await runTool("tools/plan/cli.ts", [
      "--cdktf-out",
      path.join(synthToTemp({ blueprint: "callback-handler" }).outdir),
      "--vars",
      dirWith({}),
      "--out",
      out,
      "callback-handler-prod-compute",
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /callback-handler-prod-compute needs certificate_arn, which .* does not give\. Fix: add "certificate_arn"/,
    );
    expect(fs.existsSync(path.join(out, "work"))).toBe(false);
  }, 120_000);
});
