import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { COMMENT_LIMIT, PLAN_COMMENT_MARKER } from "../tools/plan/markdown";

/** The PR workflow cannot run here: check that it is valid YAML wired the way the plan command needs. */
const file = path.join(__dirname, "..", ".github", "workflows", "plan.yml");
const text = fs.readFileSync(file, "utf8");
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const workflow: any = parse(text);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const steps: any[] = workflow.jobs.plan.steps;
const index = (predicate: (step: { uses?: string; run?: string }) => boolean) => steps.findIndex(predicate);

it("runs on pull requests with an OIDC token and no long-lived keys", () => {
  expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
  expect(workflow.permissions).toEqual({ contents: "read", "id-token": "write", "pull-requests": "write" });
  const aws = steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
  expect(aws.with["role-to-assume"]).toBe("${{ vars.PLAN_ROLE_ARN }}");
  expect(Object.keys(aws.with)).not.toContain("aws-access-key-id");
  expect(text).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-secret-access-key|secrets\./);
});

it("plans each environment as its own plan role: PLAN_ROLE_ARNS reaches the plan command, which fetches tokens", () => {
  const plan = steps.find((s) => /npm run plan\b/.test(s.run ?? ""));
  expect(plan.env).toMatchObject({ PLAN_ROLE_ARNS: "${{ vars.PLAN_ROLE_ARNS }}" });
  // The command asks GitHub for OIDC tokens itself (ACTIONS_ID_TOKEN_REQUEST_*), which needs this permission.
  expect(workflow.permissions["id-token"]).toBe("write");
});

it("installs, then runs the plan command with credentials, terraform and node in place", () => {
  const plan = index((s) => /npm run plan\b/.test(s.run ?? ""));
  expect(plan).toBeGreaterThan(0);
  for (const before of [
    index((s) => s.uses?.startsWith("actions/checkout@") ?? false),
    index((s) => s.uses?.startsWith("actions/setup-node@") ?? false),
    index((s) => s.uses?.startsWith("hashicorp/setup-terraform@") ?? false),
    index((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@") ?? false),
    index((s) => (s.run ?? "").trim() === "npm ci"),
  ]) {
    expect(before).toBeGreaterThanOrEqual(0);
    expect(before).toBeLessThan(plan);
  }
  // The wrapper would stand between the plan command and terraform's exit codes.
  expect(steps.find((s) => s.uses?.startsWith("hashicorp/setup-terraform@")).with.terraform_wrapper).toBe(false);
});

it("plans only what the merge changes: the merge commit's first parent is the base", () => {
  const checkout = steps.find((s) => s.uses?.startsWith("actions/checkout@"));
  expect(checkout.with["fetch-depth"]).toBe(2);
  const plan = steps.find((s) => /npm run plan\b/.test(s.run ?? ""));
  expect(plan.run).toMatch(/npm run plan -- --base HEAD\^1 /);
  expect(plan.run).toContain('--summary-url "the job summary and the plan-review artifact of $RUN_URL"');
  expect(plan.env.RUN_URL).toBe("${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}");
});

it("publishes the full summary as the job summary and an artifact, never the saved plans", () => {
  const plan = steps.find((s) => /npm run plan\b/.test(s.run ?? ""));
  const out = /--out (\S+)/.exec(plan.run)![1];
  const jobSummary = steps.find((s) => (s.run ?? "").includes("GITHUB_STEP_SUMMARY"));
  expect(jobSummary.if).toBe("always()");
  expect(jobSummary.run).toContain(`${out}/summary.md`);
  const artifact = steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
  expect(artifact.if).toBe("always()");
  expect(artifact.with.path.trim().split("\n")).toEqual([`${out}/summary.md`, `${out}/summary.json`]);
  expect(steps.indexOf(artifact)).toBeGreaterThan(steps.indexOf(plan));
});

it("posts or updates one comment found by the summary's marker, from the comment the command wrote", () => {
  const plan = steps.find((s) => /npm run plan\b/.test(s.run ?? ""));
  const out = /--out (\S+)/.exec(plan.run)![1];
  const comment = steps.find((s) => s.uses?.startsWith("actions/github-script@"));
  const script: string = comment.with.script;
  expect(script).toContain(JSON.stringify(PLAN_COMMENT_MARKER));
  expect(script).toContain(`"${out}/comment.md"`);
  expect(script).toContain("updateComment");
  expect(script).toContain("createComment");
  expect(steps.indexOf(comment)).toBeGreaterThan(steps.indexOf(plan));
});

it("fails the job only when the plan failed (exit 1), after commenting", () => {
  const plan = steps.find((s) => /npm run plan\b/.test(s.run ?? ""));
  expect(plan.run).toContain("set +e");
  expect(plan.run).toContain('echo "exit=$?" >> "$GITHUB_OUTPUT"');
  const last = steps[steps.length - 1];
  expect(last.if).toBe("steps.plan.outputs.exit != '0' && steps.plan.outputs.exit != '2'");
  expect(last.run).toBe("exit 1");
});

describe("the comment script, run against a fake GitHub API", () => {
  interface Comment {
    id: number;
    body: string;
    user: { type: string };
  }
  const script: string = steps.find((s) => s.uses?.startsWith("actions/github-script@")).with.script;
  const out = /--out (\S+)/.exec(steps.find((s) => /npm run plan\b/.test(s.run ?? "")).run)![1];
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor;
  // github-script hands the script `require`, `context` and `github` (an Octokit); `process` is the runner's.
  const run = (files: Record<string, string>, comments: Comment[]) => {
    const fakeFs = {
      existsSync: (f: string) => f in files,
      readFileSync: (f: string) => files[f],
    };
    const context = {
      serverUrl: "https://github.invalid",
      repo: { owner: "o", repo: "r" },
      runId: 7,
      sha: "0123456789abcdef",
      issue: { number: 3 },
    };
    const github = {
      paginate: async (list: (p: unknown) => Promise<Comment[]>, params: unknown) => list(params),
      rest: {
        issues: {
          listComments: async () => comments.map((c) => ({ ...c })),
          updateComment: async (p: { comment_id: number; body: string }) => {
            comments.find((c) => c.id === p.comment_id)!.body = p.body;
          },
          createComment: async (p: { body: string }) => {
            comments.push({ id: comments.length + 1, body: p.body, user: { type: "Bot" } });
          },
        },
      },
    };
    const fn = new AsyncFunction("require", "context", "github", script);
    return fn(
      (m: string) => {
        if (m !== "fs") throw new Error(`the script requires ${m}; the test only provides fs`);
        return fakeFs;
      },
      context,
      github,
    ) as Promise<void>;
  };

  it("creates one comment, then updates that one and leaves people's comments alone", async () => {
    const comments: Comment[] = [{ id: 100, body: "looks good", user: { type: "User" } }];
    await run({ [`${out}/comment.md`]: `${PLAN_COMMENT_MARKER}\nfirst\n` }, comments);
    await run({ [`${out}/comment.md`]: `${PLAN_COMMENT_MARKER}\nsecond\n` }, comments);
    const ours = comments.filter((c) => c.body.startsWith(PLAN_COMMENT_MARKER));
    expect(ours).toHaveLength(1);
    expect(ours[0].body).toContain("second");
    expect(ours[0].body).toContain("https://github.invalid/o/r/actions/runs/7");
    expect(comments.find((c) => c.id === 100)!.body).toBe("looks good");
  });

  it("stays under GitHub's 65,536 characters with the footer, from a comment as long as the command writes", async () => {
    const comments: Comment[] = [];
    const longest = `${PLAN_COMMENT_MARKER}\n${"x".repeat(COMMENT_LIMIT - PLAN_COMMENT_MARKER.length - 2)}\n`;
    await run({ [`${out}/comment.md`]: longest }, comments);
    expect(comments[0].body.length).toBeGreaterThan(COMMENT_LIMIT);
    expect(comments[0].body.length).toBeLessThanOrEqual(65_536);
  });

  it("still comments, with the marker, when there is no summary (synthesis failed)", async () => {
    const comments: Comment[] = [];
    await run({}, comments);
    expect(comments).toHaveLength(1);
    expect(comments[0].body.startsWith(PLAN_COMMENT_MARKER)).toBe(true);
    expect(comments[0].body).toContain("failed before planning");
  });
});
