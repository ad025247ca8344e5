import type { Spec } from "../schema/blueprint";
import { loadBalancerSubnets } from "../schema/listeners";

/** Derived load balancer settings shared by the network and compute stacks, so both agree on ports and subnets. */
export { listenerIngress, listenerPorts, loadBalancerIngressCidrs, redirectsToHttps } from "../schema/listeners";

export function loadBalancerSubnetLabels(spec: Spec, labelOf: (s: Spec["network"]["subnets"][number]) => string) {
  return loadBalancerSubnets(spec).map(({ subnet }) => labelOf(subnet));
}
