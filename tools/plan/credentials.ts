import * as fs from "fs";
import * as path from "path";

/**
 * Each environment's plan role reads only that environment's state (modules/github-plan-role.ts), so plan review
 * plans each environment's stacks as that environment's role. PLAN_ROLE_ARNS maps `<app>-<env>` to the role (each ci
 * stack publishes it as plan_role_arn); Terraform then assumes it itself through web identity (AWS_ROLE_ARN and
 * AWS_WEB_IDENTITY_TOKEN_FILE, which the provider and the S3 backend both read), with a GitHub OIDC token this
 * process fetches for the job. Environments without an entry (blueprints without ci) are planned with the job's own
 * credentials (PLAN_ROLE_ARN in the workflow).
 */
export const PLAN_ROLE_ARNS = "PLAN_ROLE_ARNS";

/** PLAN_ROLE_ARNS: a JSON object of `<app>-<env>` to role ARN; empty when unset. */
export function planRoles(text: string | undefined): Map<string, string> {
  if (!text || text.trim() === "") return new Map();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(
      `${PLAN_ROLE_ARNS} is not JSON (${(e as Error).message}). Fix: {"<app>-<env>": "arn:aws:iam::...:role/..."}`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${PLAN_ROLE_ARNS} is not a JSON object. Fix: {"<app>-<env>": "arn:aws:iam::...:role/..."}`);
  }
  const roles = new Map<string, string>();
  for (const [env, arn] of Object.entries(parsed)) {
    if (typeof arn !== "string" || !/^arn:aws[a-z-]*:iam::\d{12}:role\/\S+$/.test(arn)) {
      throw new Error(
        `${PLAN_ROLE_ARNS}: ${env} = ${JSON.stringify(arn)} is not an IAM role ARN. Fix: use the ci stack's plan_role_arn`,
      );
    }
    roles.set(env, arn);
  }
  return roles;
}

/** Where a GitHub Actions job asks for OIDC tokens (set when the job has `id-token: write`). */
export interface TokenSource {
  readonly url: string;
  readonly bearer: string;
}

export function tokenSourceFromEnv(env: NodeJS.ProcessEnv = process.env): TokenSource | undefined {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  return url && bearer ? { url, bearer } : undefined;
}

/** GitHub's OIDC tokens live minutes: a token older than this is fetched again before a Terraform command. */
const TOKEN_MAX_AGE_MS = 60_000;

/**
 * The environment variables that make a stack's Terraform commands assume its environment's plan role, or none when
 * the environment has no role in the map. The token file is refreshed when it is older than a minute.
 */
export class PlanRoleCredentials {
  private fetchedAt = 0;

  constructor(
    private readonly roles: ReadonlyMap<string, string>,
    private readonly tokenFile: string,
    private readonly source: TokenSource | undefined,
  ) {}

  get configured(): boolean {
    return this.roles.size > 0;
  }

  async envFor(environment: string | undefined, session: string): Promise<NodeJS.ProcessEnv> {
    const role = environment ? this.roles.get(environment) : undefined;
    if (!role) return {};
    await this.freshToken();
    return {
      AWS_ROLE_ARN: role,
      AWS_WEB_IDENTITY_TOKEN_FILE: this.tokenFile,
      AWS_ROLE_SESSION_NAME: session.slice(0, 64),
      // The job's own credentials come first in the AWS credential chain: leave them out so the role is used.
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
    };
  }

  private async freshToken(): Promise<void> {
    if (Date.now() - this.fetchedAt < TOKEN_MAX_AGE_MS && fs.existsSync(this.tokenFile)) return;
    if (!this.source) {
      if (fs.existsSync(this.tokenFile)) return;
      throw new Error(
        `${PLAN_ROLE_ARNS} is set, but there is no OIDC token to assume the roles with. Fix: run in a GitHub Actions job with permissions id-token: write`,
      );
    }
    const url = `${this.source.url}${this.source.url.includes("?") ? "&" : "?"}audience=sts.amazonaws.com`;
    const response = await fetch(url, { headers: { Authorization: `Bearer ${this.source.bearer}` } });
    if (!response.ok) throw new Error(`GitHub's OIDC token endpoint answered ${response.status}`);
    const body = (await response.json()) as { value?: string };
    if (!body.value) throw new Error("GitHub's OIDC token endpoint answered without a token");
    fs.mkdirSync(path.dirname(this.tokenFile), { recursive: true });
    fs.writeFileSync(this.tokenFile, body.value, { mode: 0o600 });
    this.fetchedAt = Date.now();
  }
}
