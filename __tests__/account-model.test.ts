import * as fs from "fs";
import * as path from "path";
import { BLUEPRINTS } from "../blueprints";
import { accountsOf } from "../schema/accounts";
import type { BlueprintInput } from "../schema/blueprint";
import { refusalOf } from "./helpers/blueprint-errors";
import { checkAcrossBlueprints, resolveBlueprint } from "../schema/resolve";
import { selectDeployments } from "../app/synth";

/**
 * The account model (schema/accounts.ts, docs/preflight.md#the-account-model): environments without accountId or
 * account are each their own account; the same accountId or account name makes one account, whose per-account
 * names the preflight keeps apart, within a blueprint and across blueprints.
 */
const base = (): BlueprintInput =>
  JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "preflight", "valid.json"), "utf8"));

describe("which environments share an account", () => {
  it("by default none: each environment without accountId or account is an account of its own", () => {
    const accounts = accountsOf(resolveBlueprint(base()));
    expect(accounts.map((a) => [a.key, a.implicit, a.deployments.map((d) => d.environment)])).toEqual([
      ["shop-dev", true, ["dev"]],
      ["shop-prod", true, ["prod"]],
    ]);
  });

  it("the same accountId: one account, known by its id", () => {
    const bp = base();
    bp.environments.forEach((e) => (e.accountId = "111111111111"));
    bp.environments[0].overrides = {
      ...bp.environments[0].overrides,
      services: [
        { name: "web", image: { repository: "shop-web-dev" } },
        { name: "api", image: { repository: "shop-api-dev" } },
      ],
      ci: { createOidcProvider: false },
    };
    const accounts = accountsOf(resolveBlueprint(bp));
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({ key: "111111111111", id: "111111111111", implicit: false });
    expect(accounts[0].deployments.map((d) => d.environment)).toEqual(["dev", "prod"]);
  });

  it("the same account name, across blueprints: one account with every environment that names it", () => {
    const shop = base();
    delete shop.ci;
    shop.environments[0].account = "workloads-dev";
    const other: BlueprintInput = { ...base(), name: "blog" };
    delete other.ci;
    other.environments[0].account = "workloads-dev";
    other.environments[0].overrides = { dns: { zoneName: "dev.blog.example.com" } };
    other.dns = { zoneName: "blog.example.com", records: [{ name: "" }] };
    other.services = other.services.map((s) => ({ ...s, image: { repository: `blog-${s.name}` } }));
    const accounts = accountsOf([...resolveBlueprint(shop), ...resolveBlueprint(other)]);
    expect(accounts.map((a) => [a.key, a.deployments.map((d) => d.prefix)])).toEqual([
      ["workloads-dev", ["shop-dev", "blog-dev"]],
      ["shop-prod", ["shop-prod"]],
      ["blog-prod", ["blog-prod"]],
    ]);
    checkAcrossBlueprints([...resolveBlueprint(shop), ...resolveBlueprint(other)]);
  });
});

describe("names unique per account", () => {
  it("separate accounts may reuse a repository name; one account may not, and the error names both and the fix", () => {
    const bp = base();
    delete bp.ci;
    expect(resolveBlueprint(bp)).toHaveLength(2);
    bp.environments.forEach((e) => (e.account = "workloads"));
    const lines = refusalOf(() => resolveBlueprint(bp)).message.split("\n");
    expect(lines).toEqual([
      expect.stringMatching(
        /^blueprint shop: services\[0\]\.image\.repository = "shop-web" is the same ECR repository name as environment dev's, in one account \(account workloads, ap-northeast-1\).*RepositoryAlreadyExistsException.*Fix: give one of them another name .*different accounts .*\[unique-ecr-repository\] \[environments\[1\]\(prod\)\]$/,
      ),
      expect.stringMatching(/services\[1\]\.image\.repository = "shop-api" .*\[unique-ecr-repository\]/),
    ]);
  });

  it("in different regions of one account, regional names may repeat; IAM names may not", () => {
    const bp = base();
    bp.environments.forEach((e) => (e.accountId = "111111111111"));
    bp.environments[1] = {
      ...bp.environments[1],
      region: "eu-west-1",
      availabilityZones: ["eu-west-1a", "eu-west-1c"],
      overrides: {
        network: {
          subnets: base().network.subnets.map((s) => ({ ...s, az: s.az.replace("ap-northeast-1", "eu-west-1") })),
        },
      },
    };
    bp.environments[0].overrides = { ...bp.environments[0].overrides, ci: { createOidcProvider: false } };
    bp.ci!.roleName = "shop-deploy";
    const error = refusalOf(() => resolveBlueprint(bp));
    expect(error.issues.map((i) => [i.rule, i.path])).toEqual([["unique-iam-role", "ci.roleName"]]);
  });

  it("across blueprints: two blueprints in one named account creating one repository", () => {
    const shop = base();
    delete shop.ci;
    shop.environments[0].account = "workloads-dev";
    const blog: BlueprintInput = {
      ...base(),
      name: "blog",
      environments: [{ ...base().environments[0], account: "workloads-dev" }],
    };
    delete blog.ci;
    blog.environments[0].overrides = { dns: { zoneName: "dev.blog.example.com" } };
    const error = refusalOf(() => checkAcrossBlueprints([...resolveBlueprint(shop), ...resolveBlueprint(blog)]));
    expect(error.message.split("\n")).toEqual([
      expect.stringMatching(
        /^blueprint blog: services\[0\]\.image\.repository = "shop-web" is the same ECR repository name as blueprint shop, environment dev's.*\[environments\[0\]\(dev\)\]$/,
      ),
      expect.stringMatching(/^blueprint blog: services\[1\]\.image\.repository = "shop-api" /),
    ]);
  });

  it("across blueprints, DNS is global: two blueprints publishing one hostname are refused whatever their accounts", () => {
    const shop = base();
    const copy: BlueprintInput = { ...base(), name: "shop-copy" };
    copy.services = copy.services.map((s) => ({ ...s, image: { repository: `copy-${s.name}` } }));
    const error = refusalOf(() => checkAcrossBlueprints([...resolveBlueprint(shop), ...resolveBlueprint(copy)]));
    expect(error.issues.map((i) => i.rule).sort()).toEqual([
      "public-record-unique",
      "public-record-unique",
      "public-zone-unique",
      "public-zone-unique",
    ]);
    expect(error.source).toBe("blueprint shop-copy");
  });

  it("the repository's five blueprints pass together (selectDeployments checks them as one set)", () => {
    expect(() => checkAcrossBlueprints(BLUEPRINTS.flatMap((b) => resolveBlueprint(b)))).not.toThrow();
    expect(selectDeployments({ blueprint: "library-app" }).map((d) => d.prefix)).toEqual(["library-app-prod"]);
  });
});
