import type { Subnet } from "./blueprint";
import type { SubnetSelector } from "./primitives";

/** The subnets a selector picks, in declaration order. */
export function selectSubnets(subnets: readonly Subnet[], selector: SubnetSelector): Subnet[] {
  return subnets.filter((s) => s.tier === selector.tier && (!selector.azs || selector.azs.includes(s.az)));
}
