import type { Deployment } from "./resolve";

/**
 * Who the CI roles trust: the subject (`sub` claim) of GitHub's OIDC token, `repo:<owner>/<repository>:<context>`,
 * where the context is `ref:refs/heads/<branch>` for a branch's workflows, `environment:<name>` for jobs of a
 * GitHub environment and `pull_request` for pull requests.
 */
export interface TokenSubject {
  readonly value: string;
  /** StringEquals for an exact subject; StringLike only when it holds a wildcard. */
  readonly test: "StringEquals" | "StringLike";
}

const WILDCARD = /[*?]/;

/** Whether a subject holds an IAM wildcard (`*` or `?`). */
export function hasWildcard(subject: string): boolean {
  return WILDCARD.test(subject);
}

const subject = (value: string): TokenSubject => ({ value, test: hasWildcard(value) ? "StringLike" : "StringEquals" });

/**
 * The deploy role's subject: the blueprint's `ci.github.subject` when given; else the jobs of the GitHub environment
 * (production in production environments); else the workflows of the branch (main). Never every branch and pull
 * request of the repository unless the blueprint says so, with a reason.
 */
export function deploySubject(d: Deployment): TokenSubject {
  const gh = d.spec.ci!.github;
  const environment = gh.environment ?? (d.production ? "production" : undefined);
  const context = gh.subject ?? (environment ? `environment:${environment}` : `ref:refs/heads/${gh.branch}`);
  return subject(`repo:${gh.owner}/${gh.repository}:${context}`);
}

/** The plan role's subject: pull requests of the repository (the plan-review workflow), exactly. */
export function planSubject(d: Deployment): TokenSubject {
  const gh = d.spec.ci!.github;
  return subject(`repo:${gh.owner}/${gh.repository}:pull_request`);
}
