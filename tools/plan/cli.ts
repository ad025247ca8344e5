import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { handedOffIn } from "../../app/handovers";
import { applyOrder, hasLocalState } from "../terraform/apply-order";
import { readSynthesizedStacks, selectStacks, type SynthesizedStack } from "../terraform/cdktf-out";
import { planCostSection } from "../cost/plan-section";
import { renderMarkdown } from "./markdown";
import { PLAN_ROLE_ARNS, PlanRoleCredentials, planRoles, tokenSourceFromEnv } from "./credentials";
import { planStack } from "./run";
import { stackVariables, VARS_DIR } from "./variables";
import { exitCode, summarizeRun, type StackSummary } from "./summary";

const USAGE = `usage: npm run plan -- [--offline] [--out DIR] [--cdktf-out DIR] [stack pattern ...]

Synthesizes (npm script), then for each selected stack in dependency order runs terraform init, plan -out and
show -json, and writes DIR/summary.md (a PR comment) and DIR/summary.json. Terraform works in DIR/work/<stack>.
  --offline        plan against empty state: local backend, seeded upstream outputs, fake credentials
  --out DIR        where the summaries go (default: plan-review)
  --cdktf-out DIR  the synthesized app to read (default: $CDKTF_OUTDIR or cdktf.out)
  --cost-base DIR  append the monthly cost change against this base synthesis (a cdktf.out dir; docs/cost.md)
  --cost-usage P   usage profile for the cost section: small (default), medium, large or a file
  --vars DIR       the stacks' variable values, vars/<app>-<env>.tfvars.json (default: vars); checked first
Against the backend, PLAN_ROLE_ARNS (a JSON object of <app>-<env> to role ARN) makes each environment's stacks plan
as that environment's plan role, through GitHub's OIDC token; the others use the process's own credentials.
Patterns select stack ids, * is a wildcard: library-app-*  *-network  state-backend
Exit status: 0 no changes, 2 changes, 1 a stack failed (or bad arguments).`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      offline: { type: "boolean", default: false },
      out: { type: "string", default: "plan-review" },
      "cdktf-out": { type: "string" },
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
    if (!values.offline && hasLocalState(s)) return "local state: plan it where its state file is, or with --offline";
    return undefined;
  };
  const selected = ordered.filter((s) => !skipReason(s));
  const skipped = ordered.flatMap((s) => {
    const reason = skipReason(s);
    return reason ? [{ stack: s.id, reason }] : [];
  });
  for (const s of skipped) console.error(`${s.stack}: not planned, ${s.reason}`);
  // Every variable a plan needs, and every value given, is checked before the first plan starts.
  const { values: variables } = stackVariables(path.resolve(values.vars), all, selected, !values.offline);
  const workroot = path.join(outdir, "work");
  fs.mkdirSync(workroot, { recursive: true });
  const roles = planRoles(process.env[PLAN_ROLE_ARNS]);
  const credentials = new PlanRoleCredentials(roles, path.join(workroot, ".oidc-token"), tokenSourceFromEnv());

  const stacks: StackSummary[] = [];
  // One at a time, in dependency order: the order a reviewer reads and an operator applies.
  for (const stack of selected) {
    const started = Date.now();
    const s = await planStack(stack, all, workroot, { offline: values.offline, variables, credentials });
    const counts = `+${s.counts.add} ~${s.counts.change} ±${s.counts.replace} -${s.counts.destroy}`;
    console.error(
      `${stack.id}: ${s.status}${s.failedStep ? ` at ${s.failedStep}` : ""} ${counts} (${elapsed(started)})`,
    );
    stacks.push(s);
  }
  const summary = summarizeRun(values.offline ? "offline" : "backend", stacks, skipped);
  const markdown = renderMarkdown(summary) + (cost ? `\n${cost.markdown}` : "");
  fs.writeFileSync(
    path.join(outdir, "summary.json"),
    JSON.stringify(cost ? { ...summary, cost: cost.json } : summary, null, 2) + "\n",
  );
  fs.writeFileSync(path.join(outdir, "summary.md"), markdown);
  process.stdout.write(markdown);
  console.error(`wrote ${path.join(values.out, "summary.md")} and summary.json; status: ${summary.status}`);
  return exitCode(summary);
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
