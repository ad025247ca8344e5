import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import { handedOffIn } from "../../app/handovers";
import { applyOrder, hasLocalState } from "../terraform/apply-order";
import { readSynthesizedStacks, selectStacks, type SynthesizedStack } from "../terraform/cdktf-out";
import { planCostSection } from "../cost/plan-section";
import { synthesizeRef } from "./base";
import { stackChanges } from "./changes";
import { COMMENT_LIMIT, renderMarkdown } from "./markdown";
import { planRemovedStack } from "./removed";
import { planStacks } from "./run";
import { PLAN_ROLE_ARNS, PlanRoleCredentials, planRoles, tokenSourceFromEnv } from "./credentials";
import { stackVariables, VARS_DIR } from "./variables";
import { exitCode, summarizeRun, type PlanSummary, type StackSummary } from "./summary";

const USAGE = `usage: npm run plan -- [--offline] [--base REF | --base-out DIR] [--concurrency N] [--out DIR]
                        [--cdktf-out DIR] [--summary-url URL] [stack pattern ...]

Synthesizes (npm script), then plans the selected stacks (terraform init, plan -out, show -json; several at once)
and writes DIR/summary.md (everything), DIR/comment.md (the same within GitHub's comment limit) and
DIR/summary.json. Terraform works in DIR/work/.
  --offline          plan against empty state: local backend, seeded upstream outputs, fake credentials
  --base REF         plan only what changed since the git commit REF: REF is synthesized in a temporary worktree
                     and compared stack by stack; changed, added and removed stacks are planned (a removed one
                     as the destroy of its base version), with the stacks that read an output that may change
  --base-out DIR     the same, with REF's synthesis already in DIR (a cdktf.out)
  --concurrency N    Terraform processes at once (default: the number of cores, ${os.cpus().length} here)
  --out DIR          where the summaries go (default: plan-review)
  --cdktf-out DIR    the synthesized app to read (default: $CDKTF_OUTDIR or cdktf.out)
  --summary-url URL  where readers find the full summary when the comment had to leave things out
  --cost-base DIR    append the monthly cost change against this base synthesis (a cdktf.out dir; docs/cost.md)
  --cost-usage P     usage profile for the cost section: small (default), medium, large or a file
  --vars DIR         the stacks' variable values, vars/<app>-<env>.tfvars.json (default: vars); checked first
Against the backend, PLAN_ROLE_ARNS (a JSON object of <app>-<env> to role ARN) makes each environment's stacks plan
as that environment's plan role, through GitHub's OIDC token; the others use the process's own credentials.
Patterns select stack ids, * is a wildcard: library-app-*  *-network  state-backend
Exit status: 0 no changes, 2 changes, 1 a stack failed (or bad arguments).`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      offline: { type: "boolean", default: false },
      base: { type: "string" },
      "base-out": { type: "string" },
      concurrency: { type: "string" },
      out: { type: "string", default: "plan-review" },
      "cdktf-out": { type: "string" },
      "summary-url": { type: "string" },
      "cost-base": { type: "string" },
      "cost-usage": { type: "string", default: "small" },
      vars: { type: "string", default: VARS_DIR },
      help: { type: "boolean", short: "h", default: false },
    },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.base && values["base-out"]) throw new Error("--base and --base-out exclude each other");
  const concurrency = values.concurrency === undefined ? os.cpus().length : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error(`--concurrency ${values.concurrency}: not 1 or more`);
  const offline = values.offline;
  const outdir = path.resolve(values.out);
  const all = readSynthesizedStacks(path.resolve(values["cdktf-out"] ?? process.env.CDKTF_OUTDIR ?? "cdktf.out"));
  const ordered = applyOrder(selectStacks(all, positionals));
  // Cost section (all of it in tools/cost): priced before planning, so that a bad base or usage file fails fast.
  const cost = values["cost-base"]
    ? planCostSection({
        baseOutdir: path.resolve(values["cost-base"]),
        head: ordered,
        patterns: positionals,
        usage: values["cost-usage"],
      })
    : undefined;
  const skipReason = (s: SynthesizedStack): string | undefined => {
    // Its state belongs to the team that has the handoff bundle; its configuration here refuses to plan.
    const handedOff = handedOffIn(s.json);
    if (handedOff) return `${handedOff}, whose state it is now`;
    // A stack with local state (state-backend) has no shared state here: its plan would show everything as new.
    if (!offline && hasLocalState(s)) return "local state: plan it where its state file is, or with --offline";
    return undefined;
  };
  const skip = (s: SynthesizedStack) => skipReason(s) !== undefined;
  let selected = ordered.filter((s) => !skip(s));
  const skipped = ordered.flatMap((s) => {
    const reason = skipReason(s);
    return reason ? [{ stack: s.id, reason }] : [];
  });
  for (const s of skipped) console.error(`${s.stack}: not planned, ${s.reason}`);
  // Nothing is written here until every input is checked (a plan's working directories, the base's synthesis).
  const workroot = path.join(outdir, "work");
  const roles = planRoles(process.env[PLAN_ROLE_ARNS]);
  const credentials = new PlanRoleCredentials(roles, path.join(workroot, ".oidc-token"), tokenSourceFromEnv());
  const started = Date.now();

  let baseInfo: PlanSummary["base"];
  let removed: SynthesizedStack[] = [];
  let baseStacks: SynthesizedStack[] = [];
  const triggers = new Map<string, Pick<StackSummary, "trigger" | "upstream">>();
  if (values.base || values["base-out"]) {
    const ref = values.base ?? path.resolve(values["base-out"]!);
    baseStacks = readSynthesizedStacks(values["base-out"] ? ref : synthesizeBase(ref, workroot));
    const changes = stackChanges(baseStacks, all);
    for (const id of changes.changed) triggers.set(id, { trigger: "changed" });
    for (const id of changes.added) triggers.set(id, { trigger: "added" });
    for (const [id, upstream] of changes.downstream) triggers.set(id, { trigger: "downstream", upstream });
    const unchanged = selected.filter((s) => !triggers.has(s.id)).map((s) => s.id);
    selected = selected.filter((s) => triggers.has(s.id));
    const removedIds = new Set(changes.removed);
    const chosen = positionals.length > 0 ? selectStacks(baseStacks, positionals, { allowNone: true }) : baseStacks;
    removed = applyOrder(chosen.filter((s) => removedIds.has(s.id) && !skip(s)));
    baseInfo = { ref, unchanged };
    console.error(
      `compared with ${ref}: ${selected.length + removed.length} to plan, ${unchanged.length} unchanged (${elapsed(started)})`,
    );
  }

  const report = (s: StackSummary) => {
    const counts = `+${s.counts.add} ~${s.counts.change} ±${s.counts.replace} -${s.counts.destroy}`;
    console.error(
      `${s.stack}: ${s.status}${s.failedStep ? ` at ${s.failedStep}` : ""} ${counts} (${elapsed(started)})`,
    );
  };
  // Every variable a plan needs, and every value given, is checked before the first plan starts.
  const { values: variables } = stackVariables(path.resolve(values.vars), all, selected, !offline);
  fs.mkdirSync(workroot, { recursive: true });
  const planned = await planStacks(selected, all, workroot, { offline, concurrency, variables, credentials }, report);
  const destroys: StackSummary[] = [];
  for (const stack of removed) {
    const s = await planRemovedStack(stack, baseStacks, workroot, { offline, concurrency, credentials });
    report(s);
    destroys.push(s);
  }
  const stacks = [
    ...planned.map((s) => ({ ...s, ...triggers.get(s.stack) })),
    ...destroys.map((s) => ({ ...s, trigger: "removed" as const })),
  ];
  const summary = summarizeRun(offline ? "offline" : "backend", stacks, skipped, baseInfo);
  const costSection = cost ? `\n${cost.markdown}` : "";
  const full = renderMarkdown(summary) + costSection;
  const fullSummary = values["summary-url"] ?? path.join(values.out, "summary.md");
  // The cost section goes into the comment whole when it leaves the plan most of the room, else it is pointed to.
  const costInComment =
    Buffer.byteLength(costSection) <= COMMENT_LIMIT / 4
      ? costSection
      : costSection && `\nThe cost change is in the full summary: ${fullSummary}.\n`;
  const comment =
    renderMarkdown(summary, { limit: COMMENT_LIMIT - Buffer.byteLength(costInComment), fullSummary }) + costInComment;
  fs.writeFileSync(
    path.join(outdir, "summary.json"),
    JSON.stringify(cost ? { ...summary, cost: cost.json } : summary, null, 2) + "\n",
  );
  fs.writeFileSync(path.join(outdir, "summary.md"), full);
  fs.writeFileSync(path.join(outdir, "comment.md"), comment);
  process.stdout.write(full);
  console.error(
    `wrote ${path.join(values.out, "summary.md")}, comment.md and summary.json in ${elapsed(started)}; status: ${summary.status}`,
  );
  return exitCode(summary);
}

/** Synthesizes the base commit into the work directory, with the environment the working tree's synthesis had. */
function synthesizeBase(ref: string, workroot: string): string {
  const root = execFileSync("git", ["rev-parse", "--show-toplevel"], { encoding: "utf8" }).trim();
  const outdir = path.join(workroot, ".base", "cdktf.out");
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  synthesizeRef(ref, root, outdir);
  return outdir;
}

function elapsed(started: number): string {
  return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`plan: ${error.message}\n\n${USAGE}`);
    process.exit(1);
  },
);
