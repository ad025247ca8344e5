import { z } from "zod";
import { kebabName } from "../primitives";

/* The CI roles (GitHub Actions through OIDC). */

/**
 * A deploy role for GitHub Actions through OIDC (no long-lived keys), trusted by the workflows of one branch (main)
 * or, in production, by the jobs of one GitHub environment (production), and allowed exactly what a deploy workflow
 * does: push the blueprint's images, register task definitions passing the services' own roles, and roll the
 * services out (CodeDeploy deployments for blue/green services, UpdateService for the others). It reads no state.
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
    /** The branch whose workflows may deploy (token subject `ref:refs/heads/<branch>`). Default: main. */
    branch: z
      .string()
      .regex(/^[A-Za-z0-9._/-]{1,255}$/, { error: "is not a branch name. Fix: e.g. main" })
      .default("main"),
    /**
     * The GitHub environment whose jobs may deploy (token subject `environment:<name>`): its protection rules
     * (required reviewers, allowed branches) then decide who deploys. Default: production in production
     * environments; none elsewhere, where `branch` decides.
     */
    environment: z
      .string()
      .regex(/^[A-Za-z0-9._ -]{1,255}$/, { error: "is not a GitHub environment name. Fix: e.g. production" })
      .optional(),
    /**
     * The whole token subject after `repo:<owner>/<repository>:`, instead of `branch` / `environment`, e.g.
     * ref:refs/tags/v1.2.3. A wildcard (`*` or `?`) widens who may deploy (any branch, any pull request of the
     * repository) and needs `subjectReason`. Default: derived from `environment` or `branch`.
     */
    subject: z.string().min(1).optional(),
    /** Why the deploy role trusts a wildcard subject (at least 20 characters); required with one. */
    subjectReason: z.string().min(20, { error: "is too short to explain anything. Fix: say why" }).optional(),
  }),
  /**
   * Create the account's GitHub OIDC identity provider (one per account and URL). Set false in every environment
   * but one that shares an account; the role then trusts the existing provider. Default: true.
   */
  createOidcProvider: z.boolean().default(true),
  /** Deploy role name. Default: `<app>-<env>-github-deploy`. */
  roleName: kebabName("IAM role name", 64).optional(),
  /**
   * Also create the read-only role the plan-review workflow assumes for this environment (.github/workflows/plan.yml,
   * PLAN_ROLE_ARNS): trusted by this repository's pull requests only, AWS ReadOnlyAccess minus data reads (secrets,
   * SSM parameters, KMS decryption, log events), reading the state of this environment's stacks only, taking no
   * lock. Default: true.
   */
  planRole: z.boolean().default(true),
  /** Plan role name. Default: `<app>-<env>-github-plan`. */
  planRoleName: kebabName("IAM role name", 64).optional(),
});
