import type { Deployment } from "./resolve";

/**
 * The account model: which AWS account each environment deploys into, and so which environments share one.
 *
 * - An environment with `accountId` is in that account; environments (of any blueprint) with the same accountId
 *   share it.
 * - An environment with `account` (a name of your choosing) is in the account of that name; environments with the
 *   same name share it. A name and an id may be given together; they must then agree everywhere.
 * - An environment with neither is in an account of its own, which no other environment uses.
 *
 * Names that AWS keeps unique per account (IAM roles, the GitHub OIDC provider) or per account and region (ECR
 * repositories, log groups, topics, secrets, clusters, load balancers ...) must differ between the environments of
 * one account: the preflight refuses a collision (preflight/account-names.ts). `accountsOf` is the model itself:
 * every account and the environments that live in it.
 */
export interface Account {
  /** How the account is known here: its id, else its name, else `<app>-<env>` (an account of its own). */
  readonly key: string;
  /** The 12-digit id, when any of its environments pins it. */
  readonly id?: string;
  /** The names its environments give it (`environments[].account`). */
  readonly names: readonly string[];
  /** True for the implicit account of one environment that gives neither id nor name. */
  readonly implicit: boolean;
  /** Its environments, in the order given. */
  readonly deployments: readonly Deployment[];
}

/** Every account the deployments use, in order of first use. */
export function accountsOf(deployments: readonly Deployment[]): Account[] {
  // Union-find over environments: a shared id or a shared name joins two environments' accounts.
  const parent = deployments.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  const joinBy = (key: (d: Deployment) => string | undefined) => {
    const first = new Map<string, number>();
    deployments.forEach((d, i) => {
      const k = key(d);
      if (k === undefined) return;
      const j = first.get(k);
      if (j === undefined) first.set(k, i);
      else parent[root(i)] = root(j);
    });
  };
  joinBy((d) => d.accountId);
  joinBy((d) => d.accountName);

  const groups = new Map<number, Deployment[]>();
  deployments.forEach((d, i) => {
    const r = root(i);
    groups.set(r, [...(groups.get(r) ?? []), d]);
  });
  return [...groups.values()].map((members) => {
    const ids = unique(members.map((d) => d.accountId));
    const names = unique(members.map((d) => d.accountName));
    const implicit = ids.length === 0 && names.length === 0;
    return {
      key: ids[0] ?? names[0] ?? members[0].prefix,
      id: ids[0],
      names,
      implicit,
      deployments: members,
    };
  });
}

/** The account of one deployment among all of them. */
export function accountOf(d: Deployment, accounts: readonly Account[]): Account {
  return accounts.find((a) => a.deployments.includes(d))!;
}

/** Words for a deployment's account in messages: "account 123456789012", "account workloads-dev", "its own account". */
export function describeAccount(account: Account): string {
  return account.implicit ? "its own account" : `account ${account.key}`;
}

function unique(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))];
}
