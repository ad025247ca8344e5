import { awsProviderBlocks, type TerraformJson } from "../terraform/cdktf-out";
import type { LockResult } from "./lock";
import type { UpstreamRead } from "./terraform-json";

/** What a stack's README says, gathered by bundle.ts. */
export interface StackFacts {
  readonly id: string;
  /** Position in the bundle's apply order, from 1. */
  readonly step: number;
  /** The stack as Terraform JSON (what the README's facts are read from). */
  readonly json: TerraformJson;
  /** The file the configuration ships in: cdk.tf.json (JSON) or main.tf (HCL). */
  readonly file: string;
  /** The HCL text, when the bundle is in HCL. */
  readonly hcl?: string;
  readonly reads: readonly UpstreamRead[];
  /** Stacks in this bundle that read this one (apply them after it). */
  readonly readBy: readonly string[];
  /** The stack in this bundle that creates the bucket this stack's backend uses. */
  readonly stateFrom?: string;
  readonly lock: LockResult;
}

/** A bundle written by a handover: the team that owns the stacks' state from now on. */
export interface HandoverFacts {
  readonly to: string;
  readonly date: string;
  /** The commit of fargate-blueprints the bundle was written from. */
  readonly commit: string;
}

/** First line of the bundle's README; also how the command recognizes an earlier bundle it may replace. */
export const BUNDLE_TITLE = "# Terraform handoff bundle";

const APPLY = ["terraform init", "terraform plan -out=tfplan", "terraform apply tfplan"];

/** One stack's README: what it is, how to run it, its inputs, outputs, upstream stacks and place in the order. */
export function stackReadme(f: StackFacts, total: number): string {
  const backend = backendOf(f.json, f.file);
  const lines = [
    `# ${f.id}`,
    "",
    `Plain Terraform (${f.hcl === undefined ? "JSON" : "HCL"}) configuration in \`${f.file}\`, step ${f.step} of ${total} in this bundle's apply order (see ../README.md).`,
    resourceLine(f.json),
    "",
    "## Run",
    "",
    "```sh",
    ...APPLY,
    "```",
    "",
    "## Order",
    "",
    ...(f.stateFrom ? [`Apply after \`${f.stateFrom}\`: it creates the bucket that holds this stack's state.`] : []),
    f.reads.length > 0
      ? `Apply after ${f.reads.map((r) => `\`${r.stack}\``).join(", ")}: this stack reads their outputs from remote state, which must exist.`
      : "Reads no other stack's outputs.",
    f.readBy.length > 0
      ? `Apply before ${f.readBy.map((s) => `\`${s}\``).join(", ")}, which depend on it.`
      : "No stack in this bundle reads it.",
    "",
    "## State",
    "",
    ...backend,
    "",
    "## Inputs (variables)",
    "",
    ...inputs(f.json),
    "",
    "## Reads from (terraform_remote_state)",
    "",
    ...(f.reads.length === 0
      ? ["None."]
      : [
          "| stack | state key | outputs read |",
          "| --- | --- | --- |",
          ...f.reads.map((r) => `| \`${r.stack}\` | \`${r.key}\` | ${r.outputs.map((o) => `\`${o}\``).join(", ")} |`),
        ]),
    "",
    "## Outputs",
    "",
    ...outputs(f.json),
    "",
    "## Provider",
    "",
    ...providerLines(f.json, f.lock),
    "",
  ];
  return lines.join("\n");
}

function resourceLine(json: TerraformJson): string {
  const types = Object.entries<TerraformJson>(json.resource ?? {}).map(([t, r]) => [t, Object.keys(r).length] as const);
  const total = types.reduce((n, [, c]) => n + c, 0);
  return `It manages ${total} resource${total === 1 ? "" : "s"}: ${types.map(([t, c]) => `${t} × ${c}`).join(", ")}.`;
}

function backendOf(json: TerraformJson, file: string): string[] {
  const backend = json.terraform?.backend ?? {};
  const [kind, config] = Object.entries<TerraformJson>(backend)[0] ?? ["local", {}];
  if (kind === "local") {
    return [
      "Local state (`terraform.tfstate` in this directory): this stack creates the remote-state bucket the others",
      "use, so it cannot keep its own state there before it exists. Keep the state file safe (or migrate it into",
      "the bucket afterwards with `terraform init -migrate-state` and an `s3` backend).",
    ];
  }
  return [
    `Backend \`${kind}\`, as synthesized (in \`${file}\`, the \`terraform\` block's backend):`,
    "",
    ...Object.entries(config).map(([k, v]) => `- \`${k}\` = \`${JSON.stringify(v)}\``),
    "",
    "To use another bucket or lock table without editing the JSON: `terraform init -backend-config=bucket=NAME`",
    "(keep the `key`: downstream stacks read this stack's state under it).",
  ];
}

function inputs(json: TerraformJson): string[] {
  const vars = Object.entries<TerraformJson>(json.variable ?? {});
  if (vars.length === 0) return ["None: everything it needs is in the JSON or read from upstream stacks."];
  return [
    "Pass with `-var name=value`, a `*.tfvars` file or `TF_VAR_name`.",
    "",
    "| name | type | required | default | description |",
    "| --- | --- | --- | --- | --- |",
    ...vars.map(
      ([name, v]) =>
        `| \`${name}\` | ${v.type ?? "any"} | ${v.default === undefined ? "yes" : "no"} | ${
          v.default === undefined ? "" : `\`${JSON.stringify(v.default)}\``
        } | ${v.description ?? ""}${v.sensitive ? " (sensitive)" : ""} |`,
    ),
  ];
}

function outputs(json: TerraformJson): string[] {
  const outs = Object.entries<TerraformJson>(json.output ?? {});
  if (outs.length === 0) return ["None."];
  return [
    "Read them with `terraform output`; downstream stacks read them from this stack's state.",
    "",
    "| name | description |",
    "| --- | --- |",
    ...outs.map(([name, o]) => `| \`${name}\` | ${o.description ?? ""}${o.sensitive ? " (sensitive)" : ""} |`),
  ];
}

function providerLines(json: TerraformJson, lock: LockResult): string[] {
  const pins = Object.entries<TerraformJson>(json.terraform?.required_providers ?? {}).map(
    // cdktf writes the short source "aws", which Terraform reads as hashicorp/aws.
    ([name, p]) =>
      `\`${name}\` = ${String(p.source ?? name).includes("/") ? p.source : `hashicorp/${p.source ?? name}`} ${p.version ?? "(any version)"}`,
  );
  return [
    ...awsProviderLines(json),
    `Pinned: ${pins.join(", ") || "none"}. \`.terraform.lock.hcl\` holds Terraform's checksums for ${lock.platforms.join(", ")}`,
    `(made with \`terraform providers lock\` from the ${lock.source === "mirror" ? "provider mirror of the build machine" : "registry"}).`,
    "On another platform, add its checksums once, with registry access:",
    "`terraform providers lock -platform=linux_amd64 -platform=darwin_arm64` (list every platform you use).",
  ];
}

/** A stack with more than one AWS provider (CloudFront's us-east-1 alias) says which region each one works in. */
function awsProviderLines(json: TerraformJson): string[] {
  const configs = awsProviderBlocks(json);
  if (configs.length < 2) return [];
  return [
    "AWS provider configurations (a resource with `provider = aws.<alias>` is made in that one's region):",
    "",
    ...configs.map((c) => `- ${c.alias ? `\`aws.${c.alias}\`` : "default"}: region \`${c.region}\``),
    "",
  ];
}

/** The bundle's README: the stacks in apply order with the exact commands, and the reverse order for destroy. */
export function bundleReadme(
  stacks: readonly StackFacts[],
  missing: readonly string[],
  externalStateBuckets: readonly string[] = [],
  handover?: HandoverFacts,
): string {
  const hasLocal = stacks.find((s) => !s.json.terraform?.backend || s.json.terraform.backend.local);
  const lines = [
    BUNDLE_TITLE,
    "",
    `One directory per stack, each a complete Terraform configuration: ${formatOf(stacks[0]?.file)}, its`,
    "backend settings inside it, a `.terraform.lock.hcl` and a README naming its inputs, outputs and upstream stacks.",
    "No Node.js needed: Terraform >= 1.11 and AWS credentials for the target account.",
    "",
    ...(handover ? ownership(handover) : []),
    "## Apply order",
    "",
    "A stack reads the outputs of the stacks it follows from their remote state (and keeps its own state in the",
    "bucket that `state-backend` creates), so apply in this order:",
    "",
    ...stacks.map((s) => {
      const after = [...(s.stateFrom ? [s.stateFrom] : []), ...s.reads.map((r) => r.stack)];
      return `${s.step}. \`${s.id}\`${after.length > 0 ? ` (after ${after.map((id) => `\`${id}\``).join(", ")})` : ""}`;
    }),
    "",
    ...(missing.length > 0
      ? [
          `Not in this bundle but read by it (must already be applied): ${missing.map((m) => `\`${m}\``).join(", ")}.`,
          "",
        ]
      : []),
    ...(externalStateBuckets.length > 0
      ? [
          `State lives in the S3 bucket ${externalStateBuckets.map((b) => `\`${b}\``).join(", ")}, which no stack of this`,
          "bundle creates: it (and its lock table) must exist before the first `terraform init` (the project's",
          "`state-backend` stack creates them).",
          "",
        ]
      : []),
    ...(hasLocal
      ? [`\`${hasLocal.id}\` keeps local state: it creates the state bucket and lock table, once per account.`, ""]
      : []),
    "## Commands",
    "",
    "From this directory:",
    "",
    "```sh",
    ...stacks.map((s) => `(cd ${s.id} && ${APPLY.join(" && ")})`),
    "```",
    "",
    "Review each plan before applying it: `terraform apply tfplan` applies exactly the saved plan.",
    "",
    "## Destroy",
    "",
    "Reverse order. Stateful resources (databases, buckets, registries, zones) may have deletion protection on.",
    "",
    "```sh",
    ...[...stacks].reverse().map((s) => `(cd ${s.id} && terraform init && terraform destroy)`),
    "```",
    "",
  ];
  return lines.join("\n");
}

function ownership(h: HandoverFacts): string[] {
  return [
    "## Ownership",
    "",
    `Handed over to ${h.to} on ${h.date}, written from fargate-blueprints commit \`${h.commit.slice(0, 12)}\`. Their`,
    "state is yours alone from now on: that project records the handover and refuses to plan, apply or destroy these",
    "stacks. Change them here. Should they ever go back, that is a reviewed change in fargate-blueprints, agreed with you",
    "first (its docs/handoff.md).",
    "",
  ];
}

/** What the configuration file of a bundle's stacks is. */
function formatOf(file: string | undefined): string {
  return file === "main.tf"
    ? "`main.tf` (plain Terraform HCL, `terraform fmt`-formatted)"
    : "`cdk.tf.json` (plain Terraform JSON)";
}
