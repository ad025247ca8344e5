import type { Deployment } from "../resolve";

/** What a rule is about; the docs table groups by it. */
export type Concern =
  | "names"
  | "arns"
  | "account model"
  | "global names"
  | "blue/green"
  | "egress"
  | "quotas"
  | "limits"
  | "offers";

/** Where AWS documents what a rule checks, and the date that documentation was read for it. */
export interface Source {
  readonly url: string;
  /** YYYY-MM-DD. */
  readonly read: string;
}

/** Reports a finding on the deployment being checked: the field path, the value there, what is wrong and the fix. */
export type Report = (path: string, value: unknown, message: string) => void;

/** Reports a finding on one of several deployments (cross-deployment rules). */
export type ReportOn = (d: Deployment, path: string, value: unknown, message: string) => void;

interface RuleFacts {
  /** Stable id, e.g. `alb-name`; printed with every finding. */
  readonly id: string;
  readonly concern: Concern;
  /** What AWS refuses: its error code or message, or the limit, as it documents them. */
  readonly refuses: string;
  readonly source: Source;
}

/** A rule that looks at one deployment (one environment of one blueprint) at a time. */
export interface DeploymentRule extends RuleFacts {
  readonly each: (d: Deployment, report: Report) => void;
}

/** A rule that looks at several deployments together: the environments of a blueprint, or every blueprint. */
export interface CrossRule extends RuleFacts {
  readonly across: (deployments: readonly Deployment[], report: ReportOn) => void;
}

export type PreflightRule = DeploymentRule | CrossRule;

/** Preflight findings carry the rule id at the end of the message, before the environment. */
export function tagged(message: string, rule: string): string {
  return `${message} [${rule}]`;
}

/** The date the AWS documentation behind the rules was last read for them. */
export const DOCS_READ = "2026-12-02";

/** A source read on DOCS_READ. */
export function documented(url: string): Source {
  return { url, read: DOCS_READ };
}
