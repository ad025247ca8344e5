import type { Deployment } from "../resolve";
import { documented, type CrossRule } from "./types";

const who = (other: Deployment, d: Deployment) =>
  other.app === d.app ? `environment ${other.environment}` : `blueprint ${other.app}, environment ${other.environment}`;

/** The account model must be one model: one name per account id, one id per account name (schema/accounts.ts). */
export const ACCOUNT_MODEL_RULE: CrossRule = {
  id: "account-model",
  concern: "account model",
  refuses:
    "nothing by itself: a contradictory model would let per-account names collide unchecked (the provider's allowed_account_ids refuses the wrong account at plan time)",
  source: documented("https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html"),
  across: (deployments, report) => {
    const idOfName = new Map<string, Deployment>();
    const nameOfId = new Map<string, Deployment>();
    for (const d of deployments) {
      const path = `environments[${d.environmentIndex}]`;
      if (d.accountName && d.accountId) {
        const byName = idOfName.get(d.accountName);
        if (byName && byName.accountId !== d.accountId) {
          report(
            d,
            `${path}.accountId`,
            d.accountId,
            `differs from ${byName.accountId}, the id ${who(byName, d)} gives account ${d.accountName}. Fix: one account name, one id: correct the id or name the account differently`,
          );
        }
        const byId = nameOfId.get(d.accountId);
        if (byId && byId.accountName !== d.accountName) {
          report(
            d,
            `${path}.account`,
            d.accountName,
            `names account ${d.accountId}, which ${who(byId, d)} calls ${byId.accountName}. Fix: give the account one name`,
          );
        }
        if (!byName) idOfName.set(d.accountName, d);
        if (!byId) nameOfId.set(d.accountId, d);
      }
    }
  },
};
