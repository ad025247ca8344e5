import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { selectDeployments } from "../app/synth";
import { textMessaging } from "../blueprints/text-messaging";
import { resolveBlueprint } from "../schema/resolve";
import type { BlueprintInput } from "../schema/blueprint";
import type { TerraformJson } from "../tools/terraform/cdktf-out";
import { offlinePlansOf } from "./helpers/offline-plans";
import { PINNED_CI, synthesizeVariant } from "./helpers/planned-variants";
import { resourcesOf, stackById, synthToTemp } from "./helpers/synth";

/**
 * The CI roles of every environment with `ci`: whom they trust, what the plan role (which runs pull requests' code)
 * may not read, and which state each environment's roles can read. From the synthesized JSON of every blueprint,
 * and once through an offline plan with the real provider, which renders the policies: the run's shared plan of a
 * variant with pinned accounts (helpers/planned-variants.ts, synthesized here by the same function; offlinePlansOf
 * takes it only for byte-identical JSON seeded alike, else plans here).
 */
const { stacks } = synthToTemp();
const withCi = selectDeployments({}).filter((d) => d.spec.ci);
const ciStack = (prefix: string) => stackById(stacks, `${prefix}-ci`);
const documentOf = (ci: TerraformJson, role: TerraformJson, attribute: "assume_role_policy" | "policy") => {
  const source = attribute === "policy" ? policyOf(ci, role.name) : role.assume_role_policy;
  const id = /aws_iam_policy_document\.([^.]+)\.json/.exec(source)![1];
  return ci.data.aws_iam_policy_document[id];
};
const policyOf = (ci: TerraformJson, roleName: string): string =>
  resourcesOf(ci, "aws_iam_role_policy").find((p) => p.role.includes(roleAddress(ci, roleName)))!.policy;
const roleAddress = (ci: TerraformJson, roleName: string) =>
  `aws_iam_role.${Object.entries<TerraformJson>(ci.resource.aws_iam_role).find(([, r]) => r.name === roleName)![0]}.`;
const role = (ci: TerraformJson, suffix: string) =>
  resourcesOf(ci, "aws_iam_role").find((r) => r.name.endsWith(suffix))!;
const subjectOf = (trust: TerraformJson) =>
  trust.statement[0].condition.find((c: TerraformJson) => c.variable.endsWith(":sub"));
const bySid = (doc: TerraformJson): Record<string, TerraformJson> =>
  Object.fromEntries(doc.statement.map((s: TerraformJson) => [s.sid, s]));

it("covers the blueprints with CI: text-messaging, fastapi-aurora and markmail, every environment", () => {
  expect(withCi.map((d) => d.prefix)).toEqual([
    "text-messaging-dev",
    "text-messaging-prod",
    "fastapi-aurora-dev",
    "fastapi-aurora-prod",
    "markmail-dev",
    "markmail-staging",
    "markmail-prod",
  ]);
});

describe.each(withCi.map((d) => [d.prefix, d] as const))("%s", (prefix, d) => {
  const ci = ciStack(prefix);
  const { owner, repository } = d.spec.ci!.github;

  it(`deploy role: trusts exactly ${d.production ? "the production GitHub environment" : "the main branch"}, no wildcard`, () => {
    const sub = subjectOf(documentOf(ci, role(ci, "-github-deploy"), "assume_role_policy"));
    const context = d.production ? "environment:production" : "ref:refs/heads/main";
    expect(sub).toEqual({
      test: "StringEquals",
      variable: "token.actions.githubusercontent.com:sub",
      values: [`repo:${owner}/${repository}:${context}`],
    });
  });

  it("deploy role: reads no state and touches no lock", () => {
    const actions = documentOf(ci, role(ci, "-github-deploy"), "policy").statement.flatMap(
      (s: TerraformJson) => s.actions,
    );
    expect(actions.filter((a: string) => /^(s3|dynamodb|kms):/.test(a))).toEqual([]);
  });

  it("plan role: trusts exactly the repository's pull requests", () => {
    expect(subjectOf(documentOf(ci, role(ci, "-github-plan"), "assume_role_policy"))).toEqual({
      test: "StringEquals",
      variable: "token.actions.githubusercontent.com:sub",
      values: [`repo:${owner}/${repository}:pull_request`],
    });
  });

  it("plan role: denies secret values, SSM parameter values but the release records, log events and KMS decryption except for S3", () => {
    const s = bySid(documentOf(ci, role(ci, "-github-plan"), "policy"));
    expect(s.NoSecretsOrLogEvents).toMatchObject({ effect: "Deny", resources: ["*"] });
    expect(s.NoSecretsOrLogEvents.actions).toEqual(
      expect.arrayContaining([
        "secretsmanager:GetSecretValue",
        "secretsmanager:BatchGetSecretValue",
        "logs:GetLogEvents",
      ]),
    );
    // The compute stack reads the release records (image tags) when it plans; every other parameter stays denied.
    expect(s.NoParametersButReleases).toMatchObject({
      effect: "Deny",
      actions: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory"],
      not_resources: [
        expect.stringMatching(/^arn:aws:ssm:ap-northeast-1:.*:parameter\/[a-z-]+-(dev|staging|prod)\/release\/\*$/),
      ],
    });
    expect(s.NoDecryptButState).toEqual(
      expect.objectContaining({
        effect: "Deny",
        actions: ["kms:Decrypt", "kms:ReEncryptFrom"],
        resources: ["*"],
        condition: [
          { test: "StringNotEquals", variable: "kms:ViaService", values: ["s3.ap-northeast-1.amazonaws.com"] },
        ],
      }),
    );
  });

  it("plan role: writes no lock item; reads the lock table of its own account only", () => {
    const statements: TerraformJson[] = documentOf(ci, role(ci, "-github-plan"), "policy").statement;
    const allowed = statements.filter((s) => s.effect === "Allow").flatMap((s) => s.actions as string[]);
    expect(allowed.filter((a) => /Put|Delete|Update|Write/.test(a))).toEqual([]);
    const tableArns = statements
      .flatMap((s) => [...(s.resources ?? []), ...(s.not_resources ?? [])])
      .filter((r) => r.startsWith("arn:aws:dynamodb:"));
    expect(tableArns.length).toBeGreaterThan(0);
    const account = d.accountId ?? '${element(split(":", aws_iam_role.github_deploy.arn), 4)}';
    for (const arn of tableArns) {
      expect(arn).toBe(`arn:aws:dynamodb:ap-northeast-1:${account}:table/fargate-blueprints-tflock`);
    }
  });

  it("plan role: reads exactly its own environment's state objects, which are all the state its stacks read", () => {
    const own = stacks.filter((s) => s.id.startsWith(`${prefix}-`)).map((s) => s.id);
    const s = bySid(documentOf(ci, role(ci, "-github-plan"), "policy"));
    expect(s.NoStateButItsOwn).toMatchObject({ effect: "Deny", actions: ["s3:GetObject", "s3:GetObjectVersion"] });
    const readable = s.NoStateButItsOwn.not_resources.map((arn: string) =>
      arn.replace("arn:aws:s3:::fargate-blueprints-tfstate-apne1/", ""),
    );
    expect(readable.sort()).toEqual(own.map((id) => `${id}/terraform.tfstate`).sort());
    // Every remote state any of its stacks reads is among them.
    const upstream = own.flatMap((id) =>
      Object.values<TerraformJson>(stackById(stacks, id).data?.terraform_remote_state ?? {}).map((r) => r.config.key),
    );
    expect(upstream.filter((key) => !readable.includes(key))).toEqual([]);
  });
});

describe("the deploy role's subject in the blueprint", () => {
  const withSubject = (github: Record<string, unknown>): BlueprintInput => {
    const bp = structuredClone(textMessaging);
    bp.ci = { ...bp.ci!, github: { ...bp.ci!.github, ...github } };
    return bp;
  };

  it("a branch or a GitHub environment of one's choosing", () => {
    const [dev, prod] = resolveBlueprint(withSubject({ branch: "release", environment: undefined }));
    expect(dev.spec.ci!.github.branch).toBe("release");
    expect(prod.production).toBe(true);
    const [, prodInStaging] = resolveBlueprint(withSubject({ environment: "prod-approval" }));
    expect(prodInStaging.spec.ci!.github.environment).toBe("prod-approval");
  });

  it("refuses a wildcard without a reason, naming the field and the fix", () => {
    expect(() => resolveBlueprint(withSubject({ subject: "*" }))).toThrow(
      /ci\.github\.subject = "\*" has a wildcard: .* Fix: name the branch .*subjectReason/,
    );
  });

  it("takes a wildcard with a stated reason, as StringLike", () => {
    const bp = withSubject({ subject: "ref:refs/tags/v*", subjectReason: "releases are cut from signed tags only" });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fbp-subject-")), "bp.json");
    fs.writeFileSync(file, JSON.stringify(bp));
    const ci = stackById(synthToTemp({ blueprintFile: file, environment: "dev" }).stacks, "text-messaging-dev-ci");
    expect(subjectOf(documentOf(ci, role(ci, "-github-deploy"), "assume_role_policy"))).toMatchObject({
      test: "StringLike",
      values: ["repo:example-org/text-messaging:ref:refs/tags/v*"],
    });
  });
});

describe("an offline plan of a ci stack with the real provider", () => {
  let plan: TerraformJson | undefined;
  let output = "";
  let workroot: string;
  beforeAll(async () => {
    // With the account pinned and the account's provider trusted by ARN, every input of the policies is known at
    // plan time, so the provider renders them in the plan (otherwise they wait for the role ARNs of the apply).
    workroot = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-ci-plan-"));
    const pinned = synthesizeVariant(PINNED_CI).stacks;
    expect(PINNED_CI.planned).toEqual(["text-messaging-prod-ci"]);
    const [check] = await offlinePlansOf([pinned.find((s) => s.id === "text-messaging-prod-ci")!], pinned, workroot);
    plan = check.plan;
    output = check.output;
  }, 300_000);
  afterAll(() => fs.rmSync(workroot, { recursive: true, force: true }));

  it("plans, and the provider renders the plan role's denies and the deploy role's exact subject", () => {
    expect({ planned: plan !== undefined, output: plan ? "" : output.slice(-3000) }).toEqual({
      planned: true,
      output: "",
    });
    const documents: TerraformJson[] = (plan!.prior_state?.values?.root_module?.resources ?? []).filter(
      (r: TerraformJson) => r.type === "aws_iam_policy_document",
    );
    const rendered = (name: string) => JSON.parse(documents.find((r) => r.name === name)!.values.json);
    const planPolicy = rendered("github_plan");
    const deny = planPolicy.Statement.find((s: TerraformJson) => s.Sid === "NoDecryptButState");
    expect(deny).toMatchObject({
      Effect: "Deny",
      Condition: { StringNotEquals: { "kms:ViaService": "s3.ap-northeast-1.amazonaws.com" } },
    });
    const digests = planPolicy.Statement.find((s: TerraformJson) => s.Sid === "StateDigests");
    expect(digests).toMatchObject({
      Effect: "Allow",
      Action: expect.arrayContaining(["dynamodb:GetItem", "dynamodb:DescribeTable"]),
      Resource: "arn:aws:dynamodb:ap-northeast-1:111111111111:table/fargate-blueprints-tflock",
    });
    expect(digests.Action).toHaveLength(2);
    const own = planPolicy.Statement.find((s: TerraformJson) => s.Sid === "NoStateButItsOwn");
    expect(own.NotResource).toContain(
      "arn:aws:s3:::fargate-blueprints-tfstate-apne1/text-messaging-prod-network/terraform.tfstate",
    );
    const trust = rendered("github_deploy_trust");
    expect(trust.Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toBe(
      "repo:example-org/text-messaging:environment:production",
    );
  });
});
