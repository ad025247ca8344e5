import { z } from "zod";
import { kebabName } from "../primitives";

/* The CI roles (GitHub Actions through OIDC). */

/**
 * A deploy role for GitHub Actions through OIDC (no long-lived keys), allowed exactly what a deploy workflow does:
 * push the blueprint's images, register task definitions passing the services' own roles, and roll the services out
 * (CodeDeploy deployments for blue/green services, UpdateService for the others).
 */
export const ciSchema = z.strictObject({
  github: z.strictObject({
    /** Repository owner (user or organisation). */
    owner: z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, {
      error: "is not a GitHub owner. Fix: use the user or organisation name, e.g. example-org",
    }),
    /** Repository name. */
    repository: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, {
      error: "is not a GitHub repository name. Fix: use letters, digits, '.', '_' or '-'",
    }),
    /** What follows `repo:<owner>/<repository>:` in the token's subject, e.g. ref:refs/heads/main. Default: *. */
    subject: z.string().min(1).default("*"),
  }),
  /**
   * Create the account's GitHub OIDC identity provider (one per account and URL). Set false in every environment
   * but one that shares an account; the role then trusts the existing provider. Default: true.
   */
  createOidcProvider: z.boolean().default(true),
  /** Deploy role name. Default: `<app>-<env>-github-deploy`. */
  roleName: kebabName("IAM role name", 64).optional(),
  /**
   * Also create the read-only role the plan-review workflow assumes (.github/workflows/plan.yml, PLAN_ROLE_ARN):
   * trusted by this repository's pull requests only, AWS ReadOnlyAccess minus data reads, plus state locking.
   * Default: true.
   */
  planRole: z.boolean().default(true),
  /** Plan role name. Default: `<app>-<env>-github-plan`. */
  planRoleName: kebabName("IAM role name", 64).optional(),
});
