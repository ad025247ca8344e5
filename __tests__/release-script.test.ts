import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { TerraformJson } from "../tools/terraform/cdktf-out";

/**
 * tools/release/release.sh, the release CI runs, against a stand-in aws CLI (__tests__/fixtures/fake-aws/aws) that
 * keeps task definition revisions, parameters, services and deployments in a file: what the script records, what it
 * registers and what it rolls out, for a rolling and a blue/green service, and what it undoes when a rollout fails.
 */
const SCRIPT = path.join(__dirname, "..", "tools", "release", "release.sh");
const FAKE_AWS = path.join(__dirname, "fixtures", "fake-aws");
const FAMILY = "shop-prod-web";
const REPO = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/shop-web";
const PARAMETER = "/shop-prod/release/web";
const arnOf = (revision: number) => `arn:aws:ecs:ap-northeast-1:123456789012:task-definition/${FAMILY}:${revision}`;

/** Revision 7 as Terraform registered it: the whole configuration, the first release's image. */
const revision7: TerraformJson = {
  family: FAMILY,
  taskDefinitionArn: arnOf(7),
  revision: 7,
  status: "ACTIVE",
  requiresAttributes: [{ name: "com.amazonaws.ecs.capability.logging-driver.awslogs" }],
  compatibilities: ["EC2", "FARGATE"],
  registeredAt: "2025-01-01T00:00:00Z",
  registeredBy: "arn:aws:sts::123456789012:assumed-role/terraform",
  requiresCompatibilities: ["FARGATE"],
  networkMode: "awsvpc",
  cpu: "256",
  memory: "512",
  executionRoleArn: "arn:aws:iam::123456789012:role/shop-prod-web-exec",
  taskRoleArn: "arn:aws:iam::123456789012:role/shop-prod-web-task",
  runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "ARM64" },
  containerDefinitions: [
    {
      name: "web",
      image: `${REPO}:1111111`,
      portMappings: [{ containerPort: 8080, protocol: "tcp" }],
      environment: [{ name: "MODE", value: "production" }],
      secrets: [{ name: "API_KEY", valueFrom: "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:k-AbCdEf" }],
    },
  ],
};

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-release-"));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  state: TerraformJson;
}

async function release(args: string[], rollout: "succeeds" | "fails" = "succeeds"): Promise<Run> {
  const stateFile = path.join(root, `state-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(
    stateFile,
    JSON.stringify({
      calls: [],
      taskDefinitions: [structuredClone(revision7)],
      tags: [{ key: "blueprint", value: "shop" }],
      registered: [],
      parameters: { [PARAMETER]: "1111111" },
      services: { "shop-prod-web": { running: arnOf(7), previous: arnOf(7) } },
      deployments: [],
    }),
  );
  const base = ["--cluster", "shop-prod", "--service", "shop-prod-web", "--family", FAMILY];
  const env = {
    ...process.env,
    PATH: `${FAKE_AWS}:${process.env.PATH}`,
    FAKE_AWS_STATE: stateFile,
    FAKE_AWS_ROLLOUT: rollout === "fails" ? "fail" : "",
  };
  const full = [...base, "--container", "web", "--parameter", PARAMETER, ...args];
  return new Promise((resolve) =>
    execFile("bash", [SCRIPT, ...full], { env }, (error, stdout, stderr) =>
      resolve({
        code: error ? (typeof error.code === "number" ? error.code : 1) : 0,
        stdout,
        stderr,
        state: JSON.parse(fs.readFileSync(stateFile, "utf8")),
      }),
    ),
  );
}

describe("a rolling service", () => {
  let run: Run;
  beforeAll(async () => {
    run = await release(["--tag", "2222222"]);
  });

  it("records the tag, registers the latest revision with only the image changed, and rolls it out", () => {
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
    expect(run.state.parameters[PARAMETER]).toBe("2222222");
    expect(run.state.registered).toHaveLength(1);
    const [registered] = run.state.registered;
    // What ECS adds on registration is not input: everything else is copied, the image alone changes.
    const added = ["taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities", "registeredAt"];
    const config = Object.fromEntries(
      Object.entries(revision7).filter(([key]) => ![...added, "registeredBy"].includes(key)),
    );
    const expected = structuredClone(config);
    expected.containerDefinitions[0].image = `${REPO}:2222222`;
    expect(registered).toEqual({ ...expected, tags: [{ key: "blueprint", value: "shop" }] });
    expect(run.state.services["shop-prod-web"].running).toBe(arnOf(8));
    expect(run.stdout).toContain(`shop-prod-web runs ${arnOf(8)}`);
  });

  it("records before it rolls out, and checks the rollout ended on the new revision", () => {
    expect(run.state.calls).toEqual([
      "ecs describe-task-definition",
      "ssm get-parameter",
      "ssm put-parameter",
      "ecs register-task-definition",
      "ecs update-service",
      "ecs wait",
      "ecs describe-services",
    ]);
  });

  it("undoes the record and the revision when the circuit breaker rolled the release back", async () => {
    const failed = await release(["--tag", "3333333"], "fails");
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`the rollout of ${arnOf(8)} failed`);
    expect(failed.state.parameters[PARAMETER]).toBe("1111111");
    expect(failed.state.services["shop-prod-web"].running).toBe(arnOf(7));
    // The latest ACTIVE revision (what Terraform tracks) is again the one that runs.
    const active = failed.state.taskDefinitions.filter((t: TerraformJson) => t.status === "ACTIVE");
    expect(active.map((t: TerraformJson) => t.revision)).toEqual([7]);
  });

  it("registers nothing when the tag already runs (a repeated release only rolls out)", async () => {
    const again = await release(["--tag", "1111111"]);
    expect(again.code).toBe(0);
    expect(again.state.registered).toEqual([]);
    expect(again.state.services["shop-prod-web"].running).toBe(arnOf(7));
  });
});

describe("a blue/green service", () => {
  const codeDeploy = ["--codedeploy-app", "shop-prod", "--deployment-group", "shop-prod-web-dg"];

  it("deploys the new revision through CodeDeploy with an appspec naming it, its container and port", async () => {
    const run = await release(["--tag", "2222222", ...codeDeploy]);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
    expect(run.state.calls).not.toContain("ecs update-service");
    expect(run.state.deployments).toHaveLength(1);
    const [deployment] = run.state.deployments;
    expect(deployment).toMatchObject({ app: "shop-prod", group: "shop-prod-web-dg" });
    expect(deployment.revision.revisionType).toBe("AppSpecContent");
    expect(JSON.parse(deployment.revision.appSpecContent.content)).toEqual({
      version: 1,
      Resources: [
        {
          TargetService: {
            Type: "AWS::ECS::Service",
            Properties: { TaskDefinition: arnOf(8), LoadBalancerInfo: { ContainerName: "web", ContainerPort: 8080 } },
          },
        },
      ],
    });
  });

  it("rolls out the latest revision as it is after a configuration change (--rollout)", async () => {
    const run = await release(["--rollout", ...codeDeploy]);
    expect(run.code).toBe(0);
    expect(run.state.registered).toEqual([]);
    expect(run.state.parameters[PARAMETER]).toBe("1111111");
    expect(JSON.parse(run.state.deployments[0].revision.appSpecContent.content).Resources[0]).toMatchObject({
      TargetService: { Properties: { TaskDefinition: arnOf(7) } },
    });
  });

  it("undoes the record and deregisters the revision when CodeDeploy fails", async () => {
    const failed = await release(["--tag", "2222222", ...codeDeploy], "fails");
    expect(failed.code).toBe(1);
    expect(failed.state.parameters[PARAMETER]).toBe("1111111");
    expect(failed.state.taskDefinitions.find((t: TerraformJson) => t.revision === 8).status).toBe("INACTIVE");
  });

  it("refuses a tag together with --rollout, and a CodeDeploy application without its group", async () => {
    expect((await release(["--tag", "2222222", "--rollout"])).code).toBe(2);
    expect((await release(["--tag", "2222222", "--codedeploy-app", "shop-prod"])).code).toBe(2);
  });
});
