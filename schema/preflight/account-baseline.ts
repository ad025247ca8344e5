import { accountBaselinesOf, BASELINE_SECTIONS, type AccountBaseline } from "../account-baseline";
import { describeAccount } from "../accounts";
import type { Deployment } from "../resolve";
import { documented, type CrossRule, type ReportOn } from "./types";

const who = (other: Deployment, d: Deployment) =>
  other.app === d.app ? `environment ${other.environment}` : `blueprint ${other.app}, environment ${other.environment}`;

/** The first place two values differ: its path below `path` and both values there. */
function firstDifference(
  a: unknown,
  b: unknown,
  path: string,
): { path: string; value: unknown; other: unknown } | undefined {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(b), ...Object.keys(a)])]) {
      const found = firstDifference(a[key], b[key], `${path}.${key}`);
      if (found) return found;
    }
    return undefined;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? undefined : { path, value: b, other: a };
}

/** A later environment's section must equal the first one's; its region must be the baseline's for regional services. */
function checkBaseline(b: AccountBaseline, report: ReportOn): void {
  for (const section of BASELINE_SECTIONS) {
    const giving = b.askedBy.filter((d) => d.spec.accountBaseline![section] !== undefined);
    const [first, ...rest] = giving;
    for (const d of rest) {
      const diff = firstDifference(
        first.spec.accountBaseline![section],
        d.spec.accountBaseline![section],
        `accountBaseline.${section}`,
      );
      if (!diff) continue;
      report(
        d,
        diff.path,
        diff.value,
        `differs from ${JSON.stringify(diff.other)}, which ${who(first, d)} gives in the same account (${describeAccount(b.account)}); an account has one baseline (one stack ${b.stackId}). Fix: give ${section} the same values in every environment of the account, or leave it out of all but one`,
      );
    }
  }
  for (const d of b.askedBy) {
    const asks = d.spec.accountBaseline!;
    if ((asks.guardDuty || asks.config) && d.region !== b.region) {
      report(
        d,
        `environments[${d.environmentIndex}].region`,
        d.region,
        `asks for GuardDuty or AWS Config in ${d.region}, but the baseline of its account (${describeAccount(b.account)}) is in ${b.region}, where the first environment asking for them is; a baseline covers one region. Fix: give guardDuty and config from environments of one region only (a baseline per region is not built)`,
      );
    }
  }
}

/**
 * One baseline per account: GuardDuty has one detector per account and region, AWS Config one recorder and one
 * delivery channel; the environments sharing an account (schema/accounts.ts) get one account-baseline stack, so what
 * they ask of it must agree.
 */
export const ONE_ACCOUNT_BASELINE_RULE: CrossRule = {
  id: "one-account-baseline",
  concern: "account model",
  refuses:
    "GuardDuty CreateDetector: BadRequestException: The request is rejected because a detector already exists for the current account; Config: MaxNumberOfConfigurationRecordersExceededException, MaxNumberOfDeliveryChannelsExceededException",
  source: documented("https://docs.aws.amazon.com/config/latest/APIReference/API_PutConfigurationRecorder.html"),
  across: (deployments, report) => {
    for (const b of accountBaselinesOf(deployments)) checkBaseline(b, report);
  },
};
