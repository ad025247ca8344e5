import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { synthesize } from "../../app/synth";
import { BLUEPRINTS } from "../../blueprints";
import { readSynthesizedStacks, type SynthesizedStack, type TerraformJson } from "../terraform/cdktf-out";
import { costDataDir } from "./data-files";
import { costDiff } from "./diff";
import { estimateCosts } from "./estimate";
import { taskRange, usd } from "./format";
import { CONTAINER_INSIGHTS_METRICS } from "./pricers/compute";
import { FREE_TYPES, PRICERS } from "./pricers";
import { priceBooks, type PriceBook } from "./prices";
import { renderCostDiff } from "./render-diff";
import type { CostReport, StackCost } from "./types";
import { loadUsage, PRESETS } from "./usage";
import { USAGE_KEY_NAMES, USAGE_KEYS, type UsageKey } from "./usage-keys";

/**
 * The parts of docs/cost.md that mirror code and data, generated: the blueprints' monthly totals, the side-by-side
 * with the design documents' own estimates, the usage assumptions of the presets, and the resource types priced or
 * free. `npm run cost:docs` rewrites them between their markers; a test fails when they are stale.
 */

export const DOCS_FILE = path.join(costDataDir(), "..", "..", "docs", "cost.md");

const row = (cells: readonly (string | number)[]) => `| ${cells.join(" | ")} |`;

/** What one of the design documents says a line of its estimate costs, and which resources it corresponds to. */
interface DocumentLine {
  readonly label: string;
  /** The document's figure, USD a month; undefined where it names no figure. */
  readonly document?: number;
  readonly types: readonly string[];
  /** Why the figures differ; prices and usage values in it come from the price file and the usage profile. */
  readonly why: (p: (key: string) => number, u: (key: UsageKey) => number) => string;
}

interface DocumentEstimate {
  readonly blueprint: string;
  readonly environment: string;
  readonly source: string;
  readonly total: number;
  readonly lines: readonly DocumentLine[];
}

const LOG_TYPES = ["aws_cloudwatch_log_group"];

const DOCUMENTS: readonly DocumentEstimate[] = [
  {
    blueprint: "callback-handler",
    environment: "prod",
    source: "callback-handler.md, コスト想定 (月間コスト、東京リージョン): 合計 約$54/月",
    total: 54,
    lines: [
      {
        label: "ECS Fargate (1 task, 0.25 vCPU / 0.5 GB)",
        document: 18,
        types: ["aws_ecs_service"],
        why: (p) =>
          `(0.25 × $${p("fargate.vcpu-hour.linux.x86_64")} + 0.5 × $${p("fargate.gb-hour.linux.x86_64")}) × 730 h; ` +
          "the document's $18 matches Fargate's Tokyo prices before their 2019 cut ($0.0632/vCPU-h, $0.0158/GB-h: $17.30)",
      },
      {
        label: "Application Load Balancer",
        document: 20,
        types: ["aws_lb"],
        why: (p, u) =>
          `730 h × $${p("alb.hour")} plus LCUs for ${u("traffic.requestsPerSecond")} requests/s; internal: ` +
          "no public IPv4 addresses, no data out; the document's $20 rounds up",
      },
      {
        label: "VPC endpoints",
        document: 10,
        types: ["aws_vpc_endpoint"],
        why: (p) =>
          `4 interface endpoints (ecr.api, ecr.dkr, logs, ssm) × 1 subnet × $${p("vpce.interface.eni-hour")}/h × 730 h ` +
          "(the S3 gateway endpoint is free): the document's $10 pays for about one of them",
      },
      {
        label: "Route 53 private zone",
        document: 1,
        types: ["aws_route53_zone"],
        why: (p) => `$${p("route53.zone-month")} a zone; alias queries to the ALB are free`,
      },
      {
        label: "CloudWatch Logs",
        document: 5,
        types: LOG_TYPES,
        why: (_p, u) =>
          `the task's logs (${u("logs.serviceGBPerTaskMonth")} GB a month, kept 7 days) and the VPC flow logs the ` +
          `blueprint adds (${u("logs.flowLogsGBPerVpcMonth")} GB, 90 days): the document assumes some 6 GB a month`,
      },
      {
        label: "ACM certificate",
        document: 0,
        types: ["aws_acm_certificate"],
        why: () => "imported, free (as in the document)",
      },
    ],
  },
  {
    blueprint: "text-messaging",
    environment: "dev",
    source: "text-messaging.md, 概算コスト (開発環境): 合計 ~$96",
    total: 96,
    lines: [
      {
        label: "ECS Fargate",
        document: 15,
        types: ["aws_ecs_service"],
        why: () =>
          "one 0.25 vCPU / 0.5 GB task at desired_count; up to 4 with autoscaling (the range in the totals above)",
      },
      {
        label: "RDS PostgreSQL (db.t3.micro, Single-AZ, 20 GB gp3)",
        document: 15,
        types: ["aws_db_instance"],
        why: (p) =>
          `730 h × $${p("rds.postgres.instance-hour.db.t3.micro.single-az")} + 20 GB × $${p("rds.storage.gp3.single-az")}, ` +
          "backups beyond the free copy, the master password secret RDS manages and exported logs",
      },
      {
        label: "ALB",
        document: 20,
        types: ["aws_lb"],
        why: (p, u) =>
          `730 h × $${p("alb.hour")} and LCUs, plus two public IPv4 addresses (one per AZ, charged since 2024) and ` +
          `${u("traffic.requestsPerSecond")} requests/s × ${u("traffic.responseKB")} KB sent to the internet ` +
          "(the account's first 100 GB a month are free, which the tool does not subtract)",
      },
      {
        label: "NAT Gateway (1)",
        document: 45,
        types: ["aws_nat_gateway", "aws_eip"],
        why: (p, u) =>
          `730 h × $${p("nat.hour")} as in the document, plus its Elastic IP (public IPv4, $${p("public-ipv4.hour")}/h) ` +
          `and ${u("nat.gbPerGatewayMonth")} GB processed`,
      },
      {
        label: "ECR",
        document: 1,
        types: ["aws_ecr_repository"],
        why: (p, u) => `10 images (the lifecycle rule) × ${u("ecr.imageSizeGB")} GB × $${p("ecr.storage.gb-month")}`,
      },
    ],
  },
];

function sumTypes(stacks: readonly StackCost[], types: readonly string[]): number {
  return stacks.flatMap((s) => s.resources).reduce((n, r) => n + (types.includes(r.type) ? r.monthlyCost : 0), 0);
}

/** The rest of an environment's cost, by resource type, largest first. */
function notInDocument(stacks: readonly StackCost[], covered: ReadonlySet<string>): string {
  const byType = new Map<string, number>();
  for (const r of stacks.flatMap((s) => s.resources))
    if (!covered.has(r.type) && r.monthlyCost > 0) byType.set(r.type, (byType.get(r.type) ?? 0) + r.monthlyCost);
  return [...byType.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([type, cost]) => `\`${type}\` ${usd(cost)}`)
    .join(", ");
}

function documentTable(report: CostReport, doc: DocumentEstimate, p: (key: string) => number): string {
  const usage = loadUsage("small").forEnvironment(doc.blueprint, doc.environment);
  const u = (key: UsageKey) => usage.get(key);
  const stacks = report.stacks.filter((s) => s.blueprint === doc.blueprint && s.environment === doc.environment);
  const covered = new Set(doc.lines.flatMap((l) => l.types));
  const total = stacks.reduce((n, s) => n + s.monthlyCost, 0);
  const rest = total - sumTypes(stacks, [...covered]);
  const lines = [
    `**${doc.blueprint} ${doc.environment}** (${doc.source})`,
    "",
    row(["line", "document", "this tool", "why they differ"]),
    row(["---", "---:", "---:", "---"]),
    ...doc.lines.map((l) =>
      row([l.label, l.document === undefined ? "—" : usd(l.document), usd(sumTypes(stacks, l.types)), l.why(p, u)]),
    ),
    row(["not in the document's estimate", "—", usd(rest), notInDocument(stacks, covered)]),
    row(["**total**", `**~${usd(doc.total)}**`, `**${usd(total)}**`, ""]),
  ];
  return lines.join("\n");
}

/** fastapi-aurora's choice: the shipped network (interface endpoints, no NAT) against NAT gateways per AZ. */
function natVersusEndpoints(shipped: readonly SynthesizedStack[], withNat: readonly SynthesizedStack[]): string {
  const network = (stacks: readonly SynthesizedStack[], region: string) =>
    stacks
      .filter((s) => s.id === "fastapi-aurora-dev-network")
      .map((s) => ({ ...s, json: { ...s.json, provider: { aws: [{ ...s.json.provider.aws[0], region }] } } }));
  const resources = (stacks: readonly SynthesizedStack[], region: string, type: string) =>
    estimateCosts(network(stacks, region), { usage: loadUsage("small") })
      .stacks.flatMap((s) => s.resources)
      .filter((r) => r.type === type && r.components.length > 0);
  const cost = (list: ReturnType<typeof resources>, usageBased: boolean) =>
    list.flatMap((r) => r.components).reduce((n, c) => n + (c.usageBased === usageBased ? (c.monthlyCost ?? 0) : 0), 0);
  const columns = ["ap-northeast-1", "us-east-1"].map((region) => {
    const nat = resources(withNat, region, "aws_nat_gateway");
    const ips = resources(withNat, region, "aws_eip");
    const endpoints = resources(shipped, region, "aws_vpc_endpoint");
    const enis = endpoints.flatMap((r) => r.components).filter((c) => !c.usageBased);
    return {
      nats: nat.length,
      endpoints: endpoints.length,
      azs: (enis[0]?.monthlyQuantity ?? 0) / 730,
      natFixed: cost(nat, false),
      natIps: cost(ips, false),
      natData: cost(nat, true),
      endpointFixed: cost(endpoints, false),
      endpointData: cost(endpoints, true),
    };
  });
  const [tokyo, virginia] = columns;
  const saving = (c: (typeof columns)[number]) => c.natFixed + c.natIps + c.natData - c.endpointFixed - c.endpointData;
  const usage = loadUsage("small").forEnvironment("fastapi-aurora", "dev");
  const both = (pick: (c: (typeof columns)[number]) => number) => [usd(pick(tokyo)), usd(pick(virginia))];
  return [
    row(["fastapi-aurora dev network", "document", "this tool, ap-northeast-1", "this tool, us-east-1 prices"]),
    row(["---", "---:", "---:", "---:"]),
    row([`NAT gateways, ${tokyo.nats} (one per AZ): hours`, "$64.00 (2 × $32)", ...both((c) => c.natFixed)]),
    row(["their Elastic IPs (public IPv4)", "—", ...both((c) => c.natIps)]),
    row([
      `NAT data processed (${usage.get("nat.gbPerGatewayMonth")} GB each)`,
      "“+ data transfer”",
      ...both((c) => c.natData),
    ]),
    row([
      `interface endpoints, ${tokyo.endpoints} × ${tokyo.azs} AZs: hours`,
      "$28.80 (4 × 1 AZ × $7.20)",
      ...both((c) => c.endpointFixed),
    ]),
    row([
      `endpoint data processed (${usage.get("vpcEndpoint.gbPerEndpointMonth")} GB each)`,
      "—",
      ...both((c) => c.endpointData),
    ]),
    row(["**saving with endpoints**", "**~$35**", `**${usd(saving(tokyo))}**`, `**${usd(saving(virginia))}**`]),
  ].join("\n");
}

function totalsTable(report: CostReport): string {
  const lines = [
    row(["blueprint", "environment", "monthly (desired tasks)", "autoscaling min – max", "stacks"]),
    row(["---", "---", "---:", "---:", "---:"]),
  ];
  for (const b of report.blueprints.filter((b) => b.blueprint !== "(shared)")) {
    for (const e of report.environments.filter((e) => e.blueprint === b.blueprint))
      lines.push(row([b.blueprint, e.environment ?? "", usd(e.monthlyCost), taskRange(e) || "—", e.stacks.length]));
    lines.push(row([`**${b.blueprint}**`, "", `**${usd(b.monthlyCost)}**`, taskRange(b) || "—", b.stacks.length]));
  }
  const shared = report.blueprints.find((b) => b.blueprint === "(shared)");
  if (shared)
    lines.push(
      row(["shared: state-backend, account baselines", "", usd(shared.monthlyCost), "—", shared.stacks.length]),
    );
  lines.push(
    row(["**all**", "", `**${usd(report.total.monthlyCost)}**`, taskRange(report.total), report.stacks.length]),
  );
  return lines.join("\n");
}

function usageTable(): string {
  const presets = PRESETS.map((p) => JSON.parse(fs.readFileSync(costDataDir("usage", "presets", `${p}.json`), "utf8")));
  const lines = [
    row(["assumption", "meaning", ...PRESETS, "why (small)"]),
    row(["---", "---", ...PRESETS.map(() => "---:"), "---"]),
  ];
  for (const key of USAGE_KEY_NAMES)
    lines.push(
      row([
        `\`${key}\``,
        USAGE_KEYS[key],
        ...presets.map((p) => p.assumptions[key].value),
        presets[0].assumptions[key].why,
      ]),
    );
  return lines.join("\n");
}

function typesTable(): string {
  const priced = Object.keys(PRICERS).sort();
  const free = Object.entries(FREE_TYPES).sort(([a], [b]) => a.localeCompare(b));
  const m = CONTAINER_INSIGHTS_METRICS;
  return [
    `Priced (${priced.length}): ${priced.map((t) => `\`${t}\``).join(", ")}. Container Insights metrics: ` +
      `${m.cluster} per cluster + ${m.service} per service + ${m.taskFamily} per task definition family.`,
    "",
    row(["free type", "why"]),
    row(["---", "---"]),
    ...free.map(([t, why]) => row([`\`${t}\``, why])),
  ].join("\n");
}

export interface DocsSyntheses {
  /** Every blueprint as it ships. */
  readonly all: SynthesizedStack[];
  /** fastapi-aurora with NAT gateways per AZ instead of interface endpoints. */
  readonly fastapiWithNat: SynthesizedStack[];
  /** text-messaging with a NAT gateway per AZ in dev too (the plan review example). */
  readonly textMessagingPerAz: SynthesizedStack[];
}

/** Synthesizes every blueprint and two variants, through the real app, into temp dirs. */
export function synthesizeForDocs(): DocsSyntheses & { cleanup: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "fbp-cost-docs-"));
  const variant = (name: string, change: (blueprint: TerraformJson) => void) => {
    const blueprint = JSON.parse(JSON.stringify(BLUEPRINTS.find((b) => b.name === name)));
    change(blueprint);
    const file = path.join(root, `${name}-variant.json`);
    fs.writeFileSync(file, JSON.stringify(blueprint));
    synthesize({ outdir: path.join(root, name), blueprintFile: file });
    return readSynthesizedStacks(path.join(root, name));
  };
  synthesize({ outdir: path.join(root, "all") });
  return {
    all: readSynthesizedStacks(path.join(root, "all")),
    fastapiWithNat: variant("fastapi-aurora", (b) => {
      b.network.natGateways = "per-az";
      b.network.vpcEndpoints = { interface: [], gateway: ["s3"] };
    }),
    textMessagingPerAz: variant("text-messaging", (b) => {
      b.network.natGateways = "per-az";
    }),
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** The plan review's cost section for text-messaging's dev environment getting a NAT gateway per AZ. */
function planExample(all: readonly SynthesizedStack[], perAz: readonly SynthesizedStack[]): string {
  const textMessaging = (stacks: readonly SynthesizedStack[]) =>
    stacks.filter((s) => s.id.startsWith("text-messaging-"));
  const diff = costDiff(textMessaging(all), textMessaging(perAz), {
    usage: loadUsage("small"),
    before: "the base synthesis in base/cdktf.out",
  });
  return ["```markdown", renderCostDiff(diff).trimEnd(), "```"].join("\n");
}

/** Every generated section of docs/cost.md, by marker name. */
export function generatedSections({ all, fastapiWithNat, textMessagingPerAz }: DocsSyntheses) {
  const report = estimateCosts(all, { usage: loadUsage("small") });
  const book: PriceBook = priceBooks()("ap-northeast-1");
  const p = (key: string) => book.lookup(key)?.usd ?? NaN;
  return {
    totals: totalsTable(report),
    documents: DOCUMENTS.map((d) => documentTable(report, d, p)).join("\n\n"),
    "nat-versus-endpoints": natVersusEndpoints(all, fastapiWithNat),
    "plan-example": planExample(all, textMessagingPerAz),
    usage: usageTable(),
    types: typesTable(),
  };
}

/**
 * The file with each `<!-- cost-docs:NAME -->` … `<!-- /cost-docs:NAME -->` block replaced, formatted by prettier
 * as `npm run format` would (it aligns Markdown tables).
 */
export function withSections(text: string, sections: Record<string, string>): string {
  let out = text;
  for (const [name, body] of Object.entries(sections)) {
    const pattern = new RegExp(`(<!-- cost-docs:${name} -->)[\\s\\S]*?(<!-- /cost-docs:${name} -->)`);
    if (!pattern.test(out)) throw new Error(`docs/cost.md has no <!-- cost-docs:${name} --> block`);
    out = out.replace(pattern, (_m, start: string, end: string) => `${start}\n${body}\n${end}`);
  }
  // The prettier CLI, not its API: the API loads itself with a dynamic import that jest refuses.
  const cli = require.resolve("prettier/bin/prettier.cjs");
  return execFileSync(process.execPath, [cli, "--stdin-filepath", DOCS_FILE], { input: out, encoding: "utf8" });
}

function main() {
  const { cleanup, ...syntheses } = synthesizeForDocs();
  try {
    const text = fs.readFileSync(DOCS_FILE, "utf8");
    fs.writeFileSync(DOCS_FILE, withSections(text, generatedSections(syntheses)));
    console.error(`wrote ${path.relative(process.cwd(), DOCS_FILE)}`);
  } finally {
    cleanup();
  }
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(`cost:docs: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
