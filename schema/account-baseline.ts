import { accountsOf, type Account } from "./accounts";
import type {
  AccountBaselineSettings,
  BudgetSettings,
  ConfigRecorderSettings,
  GuardDutySettings,
} from "./format/account-baseline";
import type { Deployment } from "./resolve";

/** The sections of `accountBaseline`, each built once per account whichever environments give it. */
export const BASELINE_SECTIONS = ["guardDuty", "config", "budget"] as const;
export type BaselineSection = (typeof BASELINE_SECTIONS)[number];

/**
 * One account's baseline: what the environments deploying into it ask for (`accountBaseline`), built once in the
 * `account-baseline-<account key>` stack. A section given by several environments is the same everywhere (the
 * preflight rule `one-account-baseline` refuses a contradiction), so the first environment giving it speaks for all.
 */
export interface AccountBaseline {
  readonly account: Account;
  /** `account-baseline-<account key>`. */
  readonly stackId: string;
  /**
   * The region of the detector, the recorder and the Config bucket: that of the first environment asking for
   * GuardDuty or Config (else of the first asking at all). GuardDuty and Config are regional; one baseline covers
   * one region, and the preflight refuses environments asking for them from another region.
   */
  readonly region: string;
  readonly guardDuty?: GuardDutySettings;
  readonly config?: ConfigRecorderSettings;
  readonly budget?: BudgetSettings;
  /** The environments that give `accountBaseline`, in the order of the account's environments. */
  readonly askedBy: readonly Deployment[];
  /** True when any environment of the account is production. */
  readonly production: boolean;
}

/** The stack id of an account's baseline. */
export const accountBaselineStackId = (account: Account): string => `account-baseline-${account.key}`;

/** Every account among the deployments whose environments ask for a baseline, in order of first use. */
export function accountBaselinesOf(deployments: readonly Deployment[]): AccountBaseline[] {
  return accountsOf(deployments).flatMap((account) => {
    const askedBy = account.deployments.filter((d) => d.spec.accountBaseline !== undefined);
    if (askedBy.length === 0) return [];
    const section = <K extends BaselineSection>(key: K): AccountBaselineSettings[K] | undefined =>
      askedBy.map((d) => d.spec.accountBaseline![key]).find((v) => v !== undefined);
    const regional = askedBy.find((d) => d.spec.accountBaseline!.guardDuty || d.spec.accountBaseline!.config);
    return [
      {
        account,
        stackId: accountBaselineStackId(account),
        region: (regional ?? askedBy[0]).region,
        guardDuty: section("guardDuty"),
        config: section("config"),
        budget: section("budget"),
        askedBy,
        production: account.deployments.some((d) => d.production),
      },
    ];
  });
}
