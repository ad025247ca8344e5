import { COMMENT_LIMIT, PLAN_COMMENT_MARKER, renderMarkdown } from "../tools/plan/markdown";
import { summarizeRun, type ResourceChange, type StackSummary } from "../tools/plan/summary";

/**
 * The PR comment posts whatever the plan: GitHub refuses a body over 65,536 characters, so the comment shrinks to
 * fit (lists, then attributes, then the last stacks' details and table rows) and says so, pointing to the full
 * summary. Summaries built to be far too long: hundreds of stacks, thousands of resources.
 */
const GITHUB_LIMIT = 65_536;
const URL = "https://github.invalid/o/r/actions/runs/7";

function stackOf(i: number, resources: number, risky = false): StackSummary {
  const list: ResourceChange[] = Array.from({ length: resources }, (_, k) => ({
    address: `aws_security_group_rule.rule_${k}_with_a_long_readable_name`,
    type: "aws_security_group_rule",
    action: risky && k === 0 ? "replace" : k % 3 === 0 ? "change" : "add",
    ...(k % 3 === 0 ? { attributes: [{ name: "description", before: `"old ${k}"`, after: `"new ${k} ✓"` }] } : {}),
  }));
  if (risky)
    list.push({
      address: "aws_db_instance.main",
      type: "aws_db_instance",
      action: "destroy",
      dataLoss: "a database and its data",
    });
  const counts = { add: 0, change: 0, replace: 0, destroy: 0 };
  for (const r of list) counts[r.action]++;
  return {
    stack: `blueprint-${String(i).padStart(3, "0")}-prod-compute`,
    status: "changes",
    counts,
    resources: list,
    outputs: [{ name: "service_arn", action: "add", sensitive: false, before: "(none)", after: "(known after apply)" }],
    moved: [],
    diagnostics: [],
  };
}

describe("a summary far over GitHub's limit (400 stacks, 24,000 resources)", () => {
  const stacks = Array.from({ length: 400 }, (_, i) => stackOf(i, 60, i === 7 || i === 390));
  const summary = summarizeRun("backend", stacks);
  const full = renderMarkdown(summary);
  const comment = renderMarkdown(summary, { limit: COMMENT_LIMIT, fullSummary: URL });

  it("writes everything into the full summary", () => {
    expect(full.length).toBeGreaterThan(10 * GITHUB_LIMIT);
    for (const s of stacks) expect(full).toContain(`<code>${s.stack}</code>`);
    expect(full).not.toContain("Truncated");
  });

  it("keeps the comment within the limit, in bytes, with room for the workflow's footer", () => {
    expect(Buffer.byteLength(comment)).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(COMMENT_LIMIT + 1_000).toBeLessThan(GITHUB_LIMIT);
    expect(comment.startsWith(`${PLAN_COMMENT_MARKER}\n## Terraform plan: 400 stacks, changes in 400\n`)).toBe(true);
  });

  it("says at the top that it is truncated, how much it shows, and where the full summary is", () => {
    const note = comment.slice(0, comment.indexOf("| stack |"));
    expect(note).toMatch(
      /\*\*Truncated to fit a comment\*\*: the table shows (\d+) of 400 stacks and the details (\d+) of 400\. The full summary: https:\/\/github\.invalid\/o\/r\/actions\/runs\/7\./,
    );
  });

  it("keeps the alerts, the overview table before any details, the total row, and folded details", () => {
    expect(comment).toContain("**Data loss: 2 stateful resources destroyed or replaced**");
    expect(comment).toContain("> - destroy `blueprint-390-prod-compute` `aws_db_instance.main`");
    const table = comment.indexOf("| stack | add | change | replace | destroy | result |");
    expect(table).toBeGreaterThan(0);
    expect(table).toBeLessThan(comment.indexOf("<details"));
    // All 400 rows fit; the details of the first stacks do, the others are in the full summary.
    expect(comment).toMatch(/the table shows 400 of 400 stacks and the details \d+ of 400/);
    for (const s of stacks) expect(comment).toContain(`| \`${s.stack}\` |`);
    expect(comment).toMatch(/\| \*\*total\*\* \| \*\*\d+\*\* \|/);
    // The stacks whose details fit are shown whole (bare lists); the rest are in the full summary.
    expect(comment).toContain("<details><summary><b><code>blueprint-000-prod-compute</code></b>:");
    expect(comment).not.toContain("<code>blueprint-399-prod-compute</code>");
  });
});

describe("a summary whose table alone is too long (2,000 stacks)", () => {
  const stacks = Array.from({ length: 2_000 }, (_, i) => ({ ...stackOf(i, 2), stack: `app-${i}-production-compute` }));
  const comment = renderMarkdown(summarizeRun("backend", stacks), { limit: COMMENT_LIMIT, fullSummary: URL });

  it("shows the first rows and counts the rest, within the limit", () => {
    expect(Buffer.byteLength(comment)).toBeLessThanOrEqual(COMMENT_LIMIT);
    const shown = Number(/the table shows (\d+) of 2000 stacks and the details 0 of 2000/.exec(comment)![1]);
    expect(shown).toBeGreaterThan(100);
    expect(shown).toBeLessThan(2_000);
    expect(comment).toContain(`| \`app-${shown - 1}-production-compute\` |`);
    expect(comment).not.toContain(`| \`app-${shown}-production-compute\` |`);
    expect(comment).toContain(`| … ${2_000 - shown} more |`);
    expect(comment).not.toContain("<details");
  });
});

describe("a summary a little over the limit", () => {
  // 58 stacks like today's app, each with attributes that make the full text too long for one comment.
  const stacks = Array.from({ length: 58 }, (_, i) => stackOf(i, 40));
  const summary = summarizeRun("offline", stacks);

  it("fits by listing less (no attributes) and leaves no stack out", () => {
    const full = renderMarkdown(summary);
    expect(Buffer.byteLength(full)).toBeGreaterThan(COMMENT_LIMIT);
    const comment = renderMarkdown(summary, { limit: COMMENT_LIMIT, fullSummary: URL });
    expect(Buffer.byteLength(comment)).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(comment).not.toContain("Truncated");
    for (const s of stacks) expect(comment).toContain(`<code>${s.stack}</code>`);
    expect(full).toContain('`description`: `"old 0"` → `"new 0 ✓"`');
  });
});
