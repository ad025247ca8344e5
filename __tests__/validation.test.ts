import { resolveBlueprint } from "../schema/resolve";
import { libraryApp } from "../blueprints/library-app";
import { BLUEPRINTS } from "../blueprints";
import type { BlueprintInput } from "../schema/blueprint";
import { errorsAfter } from "./helpers/blueprint-errors";

/** Applies a change to a copy of library-app and returns the validation error lines. */
function errorsOf(change: (bp: BlueprintInput) => void): string[] {
  return errorsAfter<BlueprintInput>(libraryApp, change);
}

function expectError(change: (bp: BlueprintInput) => void, path: string, ...fragments: string[]) {
  const lines = errorsOf(change);
  const line = lines.find((l) => l.includes(`${path} =`));
  expect({ path, line }).toEqual({ path, line: expect.stringContaining("Fix:") });
  for (const f of fragments) expect(line).toContain(f);
}

it("accepts every registered blueprint", () => {
  for (const bp of BLUEPRINTS) expect(resolveBlueprint(bp).length).toBeGreaterThan(0);
});

describe("each error names the field, the value and the fix", () => {
  it("Fargate Spot for an ARM64 service", () =>
    expectError(
      (bp) => {
        bp.services[0].cpuArchitecture = "ARM64";
        bp.services[0].spot = { onDemandBase: 1 };
      },
      "services[0].spot",
      "X86_64 tasks only",
    ));
  it("Fargate Spot for a blue/green service", () =>
    expectError(
      (bp) => {
        bp.loadBalancer!.testListener = { port: 9000 };
        bp.services[0].blueGreen = {};
        bp.services[0].spot = { onDemandBase: 1 };
      },
      "services[0].spot",
      "no capacity provider strategy",
    ));
  it("CIDR outside the VPC", () =>
    expectError(
      (bp) => (bp.network.subnets[2].cidr = "10.1.0.0/24"),
      "network.subnets[2].cidr",
      '"10.1.0.0/24"',
      "outside the VPC",
    ));
  it("overlapping subnets", () =>
    expectError(
      (bp) => (bp.network.subnets[3].cidr = "10.0.10.128/25"),
      "network.subnets[3].cidr",
      "overlaps network.subnets[2]",
    ));
  it("CIDR with host bits", () => expectError((bp) => (bp.network.cidr = "10.0.0.1/16"), "network.cidr", "host bits"));
  it("AZ not in the region", () =>
    expectError(
      (bp) => {
        bp.environments[0].availabilityZones = ["us-east-1a", "ap-northeast-1c"];
        bp.network.subnets[0].az = "us-east-1a";
      },
      "environments.prod.availabilityZones[0]",
      "not an availability zone of ap-northeast-1",
    ));
  it("subnet AZ not among the environment's", () =>
    expectError((bp) => (bp.network.subnets[0].az = "ap-northeast-1d"), "network.subnets[0].az", "availabilityZones"));
  it("Fargate CPU value that does not exist", () =>
    expectError((bp) => (bp.services[0].cpu = 300), "services[0].cpu", "300", "256, 512, 1024"));
  it("cpu/memory pair Fargate does not offer", () =>
    expectError((bp) => (bp.services[1].memory = 4096), "services[1].memory", "4096", "512, 1024, 2048"));
  it("duplicate service names", () =>
    expectError((bp) => (bp.services[1].name = "backend"), "services[1].name", "duplicates services[0]"));
  it("conflicting path patterns", () =>
    expectError(
      (bp) => (bp.services[1].routing = { pathPatterns: ["/api/*"] }),
      "services[1].routing.pathPatterns",
      "conflicts with services[0]",
    ));
  it("two services without routing", () =>
    expectError(
      (bp) => {
        delete bp.services[0].routing;
        delete bp.services[1].routing;
      },
      "services[1].routing",
      "default action",
    ));
  it("port out of range", () =>
    expectError((bp) => (bp.services[0].containerPort = 70000), "services[0].containerPort", "70000", "1 and 65535"));
  it("names AWS would reject: ECR repository", () =>
    expectError(
      (bp) => (bp.services[0].image.repository = "Library_App"),
      "services[0].image.repository",
      "ECR repository name",
    ));
  it("names AWS would reject: log group", () =>
    expectError((bp) => (bp.services[0].logGroupName = "/ecs/bad name"), "services[0].logGroupName", "log group name"));
  it("names AWS would reject: blueprint name", () =>
    expectError((bp) => (bp.name = "Library App"), "name", "blueprint name"));
  it("log retention CloudWatch does not offer", () =>
    expectError((bp) => (bp.services[0].logRetentionDays = 10), "services[0].logRetentionDays", "retention period"));
  it("unknown field", () =>
    expectError((bp) => Object.assign(bp.services[0], { cpus: 512 }), "services[0].cpus", "not a known field"));
  it("wrong type", () =>
    expectError(
      (bp) => Object.assign(bp.services[0], { desiredCount: "2" }),
      "services[0].desiredCount",
      "expected number",
    ));
  it("missing field", () =>
    expectError(
      (bp) => delete (bp.services[0] as Partial<(typeof bp.services)[0]>).image,
      "services[0].image",
      "is required",
    ));
  it("database in public subnets", () =>
    expectError((bp) => (bp.database!.subnets = { tier: "public" }), "database.subnets.tier", "public subnets"));
  it("internal load balancer published in a public zone", () =>
    expectError(
      (bp) => {
        bp.loadBalancer!.scheme = "internal";
        bp.loadBalancer!.subnets = { tier: "private" };
      },
      "dns.private",
      "internal load balancer",
    ));
  it("secret-looking plain environment value", () =>
    expectError(
      (bp) => (bp.services[0].environment!.API_TOKEN = "abc"),
      "services[0].environment.API_TOKEN",
      "move it to secrets",
    ));
  it("root user", () => expectError((bp) => (bp.services[0].user = "0:0"), "services[0].user", "root"));
  it("read-only root filesystem turned off without a reason", () =>
    expectError(
      (bp) => (bp.services[0].readOnlyRootFilesystem = false),
      "services[0].readOnlyRootFilesystem",
      "reason",
    ));
  it("per-AZ NAT without a public subnet in each AZ", () =>
    expectError(
      (bp) => (bp.network.subnets = bp.network.subnets.filter((s) => s.cidr !== "10.0.1.0/24")),
      "network.natGateways",
      "ap-northeast-1c",
    ));
  it("load balancer subnets in a single AZ", () =>
    expectError(
      (bp) => (bp.loadBalancer!.subnets = { tier: "public", azs: ["ap-northeast-1a"] }),
      "loadBalancer.subnets",
      "needs 2",
    ));
  it("autoscaling range that excludes the desired count", () =>
    expectError((bp) => (bp.services[0].desiredCount = 9), "services[0].desiredCount", "outside autoscaling 2-6"));
  it("secret reference to an undeclared appSecret", () =>
    expectError(
      (bp) => (bp.services[0].secrets = { API_KEY: { appSecret: "partner-api" } }),
      "services[0].secrets.API_KEY.appSecret",
      '"partner-api"',
      "declare it in appSecrets",
    ));
  it("duplicate appSecrets", () =>
    expectError(
      (bp) =>
        (bp.appSecrets = [
          { name: "partner-api", description: "Partner API key" },
          { name: "partner-api", description: "again" },
        ]),
      "appSecrets[1].name",
      "unique name",
    ));
  it("errors in an environment's overrides name the environment", () => {
    const lines = errorsOf((bp) => {
      bp.environments.push({
        name: "dev",
        region: "ap-northeast-1",
        availabilityZones: ["ap-northeast-1a", "ap-northeast-1c"],
        overrides: { database: { instanceClass: "t3.micro" } },
      });
    });
    expect(lines).toEqual([
      expect.stringMatching(/database\.instanceClass = "t3\.micro" .*Fix: .*\[environments\[1\]\(dev\)\]/),
    ]);
  });
  it("reports every issue at once, one line each", () => {
    const lines = errorsOf((bp) => {
      bp.services[0].cpu = 300;
      bp.network.subnets[2].cidr = "10.1.0.0/24";
    });
    expect(lines).toHaveLength(2);
  });
});

describe("environment overrides", () => {
  it("deep-merge objects and merge named lists by name", () => {
    const bp: BlueprintInput = structuredClone(libraryApp);
    bp.environments.push({
      name: "dev",
      region: "ap-northeast-1",
      availabilityZones: ["ap-northeast-1a", "ap-northeast-1c"],
      overrides: {
        network: { natGateways: "single" },
        services: [{ name: "backend", desiredCount: 3 }],
        database: { multiAz: false },
        dns: { zoneName: "dev.library-app.example.com" },
      },
    });
    const [prod, dev] = resolveBlueprint(bp);
    expect(prod.production).toBe(true);
    expect(dev.production).toBe(false);
    expect(dev.spec.network.natGateways).toBe("single");
    expect(dev.spec.network.cidr).toBe("10.0.0.0/16");
    expect(dev.spec.services.map((s) => [s.name, s.desiredCount])).toEqual([
      ["backend", 3],
      ["frontend", 2],
    ]);
    expect(dev.spec.services[0].cpu).toBe(512);
    expect(dev.spec.database!.multiAz).toBe(false);
    expect(prod.spec.database!.multiAz).toBe(true);
  });
});
