import type { Spec, Subnet } from "./blueprint";
import type { SubnetSelector } from "./primitives";

/** The subnets a selector picks, in declaration order. */
export function selectSubnets(subnets: readonly Subnet[], selector: SubnetSelector): Subnet[] {
  return subnets.filter((s) => s.tier === selector.tier && (!selector.azs || selector.azs.includes(s.az)));
}

/** A subnet's label in names and output maps: its name, or `<tier>-<az suffix>` (private-1a). */
export function subnetLabel(subnet: Subnet): string {
  return subnet.name ?? `${subnet.tier}-${subnet.az.slice(-2).replace(/^-/, "")}`;
}

/** Where the database goes unless the blueprint says: the isolated tier if the VPC has one, else private. */
export function defaultDatabaseSubnets(spec: Spec): SubnetSelector {
  return { tier: spec.network.subnets.some((s) => s.tier === "isolated") ? "isolated" : "private" };
}
