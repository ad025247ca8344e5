import { accountOf, accountsOf, describeAccount } from "../accounts";
import type { Deployment } from "../resolve";
import { accountBaselinesOf } from "../account-baseline";
import { ACCOUNT_RESOURCE_KINDS, RESOURCE_KINDS, type NamedResource, type ResourceKind } from "./named-resources";
import type { CrossRule, DeploymentRule, Report } from "./types";

/**
 * Rules made from the named-resource catalog (named-resources.ts): for each kind with limits, `<kind>-name` checks
 * every final name (after prefixes and fitting) against AWS's length, characters and refused shapes; for each kind
 * with a uniqueness scope, `unique-<kind>` refuses two creations of one name in one account (and region).
 */
export const NAME_RULES: readonly DeploymentRule[] = RESOURCE_KINDS.filter((k) => k.limits).map((kind) => {
  const limits = kind.limits!;
  return {
    id: `${kind.id}-name`,
    concern: "names",
    refuses: limits.refuses,
    source: limits.source,
    each: (d: Deployment, report: Report) => {
      for (const r of kind.of(d)) {
        const problem = nameProblem(kind, r.name);
        if (problem) report(r.path, r.name, `${problem}. Fix: ${nameFix(kind, r, d)}`);
      }
    },
  };
});

function nameProblem(kind: Pick<ResourceKind, "what" | "limits">, name: string): string | undefined {
  const limits = kind.limits!;
  const min = limits.min ?? 1;
  if (name.length > limits.max || name.length < min) {
    return `is ${name.length} characters as the ${kind.what}; AWS allows ${min === limits.max ? min : `${min}-${limits.max}`}`;
  }
  const bad = [...new Set([...name].filter((c) => !limits.chars.test(c)))];
  if (bad.length > 0) {
    return `has ${bad.map((c) => JSON.stringify(c)).join(" ")}, which a ${kind.what} cannot hold (only ${limits.charsText})`;
  }
  const shape = limits.shapes?.find((s) => s.test(name));
  return shape && `as the ${kind.what}, ${shape.says}, which AWS refuses`;
}

function nameFix(kind: ResourceKind, r: NamedResource, d: Deployment): string {
  return r.derived
    ? `the name is derived from "${d.prefix}" (blueprint and environment names): shorten or rename them, or set ${r.path} where the blueprint can name it`
    : `choose a ${kind.what} within AWS's limits in ${r.path}`;
}

/**
 * `<kind>-name` for the names of account baselines (named-resources.ts `ACCOUNT_RESOURCE_KINDS`), reported on the
 * first environment asking for the baseline: the names derive from the account key.
 */
export const ACCOUNT_NAME_RULES: readonly CrossRule[] = ACCOUNT_RESOURCE_KINDS.map((kind) => ({
  id: `${kind.id}-name`,
  concern: "names",
  refuses: kind.limits.refuses,
  source: kind.limits.source,
  across: (deployments, report) => {
    for (const b of accountBaselinesOf(deployments)) {
      for (const r of kind.of(b)) {
        const problem = nameProblem(kind, r.name);
        if (!problem) continue;
        report(
          b.askedBy[0],
          r.path,
          r.name,
          `${problem}. Fix: the name is derived from the account key "${b.account.key}" (its id, else its name, else <app>-<env>): name the account shorter (environments[].account) or give its accountId`,
        );
      }
    }
  },
}));

/** Who else creates a name, in words: "environment dev" or "blueprint shop, environment dev". */
function whoElse(other: Deployment, d: Deployment): string {
  return other.app === d.app
    ? `environment ${other.environment}`
    : `blueprint ${other.app}, environment ${other.environment}`;
}

export const UNIQUE_NAME_RULES: readonly CrossRule[] = RESOURCE_KINDS.filter((k) => k.unique).map((kind) => {
  const unique = kind.unique!;
  return {
    id: `unique-${kind.id}`,
    concern: "account model",
    refuses: unique.refuses,
    source: unique.source,
    across: (deployments, report) => {
      const accounts = accountsOf(deployments);
      const first = new Map<string, { d: Deployment; r: NamedResource }>();
      for (const d of deployments) {
        const account = accountOf(d, accounts);
        const where = unique.scope === "account" ? account.key : `${account.key}|${d.region}`;
        const seenHere = new Set<string>();
        for (const r of kind.of(d)) {
          if (r.sharedWithin && seenHere.has(r.name)) continue;
          seenHere.add(r.name);
          const key = `${where}|${r.name}`;
          const earlier = first.get(key);
          if (!earlier) {
            first.set(key, { d, r });
            continue;
          }
          const inRegion = unique.scope === "region" ? `, ${d.region}` : "";
          if (earlier.d === d) {
            report(
              d,
              r.path,
              r.name,
              `is the same ${kind.what} as this environment's ${earlier.r.path}; AWS refuses the second (${unique.refuses}). Fix: give each its own name`,
            );
          } else {
            report(
              d,
              r.path,
              r.name,
              `is the same ${kind.what} as ${whoElse(earlier.d, d)}'s, in one account (${describeAccount(account)}${inRegion}); AWS refuses the second (${unique.refuses}). Fix: ${uniqueFix(kind, r)}`,
            );
          }
        }
      }
    },
  };
});

function uniqueFix(kind: ResourceKind, r: NamedResource): string {
  if (kind.id === "oidc-provider") {
    return "set ci.createOidcProvider: false in every environment of the account but one (those then trust its provider and need accountId)";
  }
  const rename = r.derived
    ? `rename one environment or set ${r.path}`
    : `give one of them another name (${r.path} in environments[].overrides)`;
  return `${rename}, or put the environments in different accounts (environments[].account or accountId; docs/preflight.md#the-account-model)`;
}
