import type { LoadBalancer, Spec, Subnet } from "./blueprint";
import { selectSubnets } from "./subnets";

/**
 * The load balancer's listeners as the blueprint implies them, shared by the network stack (security group rules),
 * the compute stack (listeners) and the preflight (CodeDeploy routes, rule quotas), so all three agree.
 */

/** Production listener ports: HTTP and HTTPS, whichever exist. */
export function listenerPorts(lb: LoadBalancer): number[] {
  return [lb.http?.port, lb.https?.port].filter((p): p is number => p !== undefined);
}

export function loadBalancerIngressCidrs(lb: LoadBalancer, vpcCidr: string): string[] {
  return lb.ingressCidrs ?? (lb.scheme === "internal" ? [vpcCidr] : ["0.0.0.0/0"]);
}

/** Who may reach a listener port: CIDR ranges and managed prefix lists (by a name for addresses, and id). */
export interface ListenerReach {
  readonly port: number;
  readonly cidrs: string[];
  readonly prefixLists?: { readonly name: string; readonly id: string }[];
}

/**
 * Every listener port with who may reach it: production listeners per ingressCidrs, the test listener the VPC. Behind
 * CloudFront (`originFacingPrefixListId`), the HTTPS listener admits CloudFront's origin-facing prefix list only and
 * plain HTTP nobody (CloudFront reaches the origin over HTTPS; the list weighs about 55 rules of a group's 60).
 */
export function listenerIngress(lb: LoadBalancer, vpcCidr: string, originFacingPrefixListId?: string): ListenerReach[] {
  const production = listenerPorts(lb).map((port) =>
    originFacingPrefixListId
      ? {
          port,
          cidrs: [],
          prefixLists: port === lb.https?.port ? [{ name: "cloudfront", id: originFacingPrefixListId }] : [],
        }
      : { port, cidrs: loadBalancerIngressCidrs(lb, vpcCidr) },
  );
  const test = lb.testListener && { port: lb.testListener.port, cidrs: lb.testListener.ingressCidrs ?? [vpcCidr] };
  return test ? [...production, test] : production;
}

/** HTTP redirects to HTTPS unless the blueprint says otherwise, whenever there is an HTTPS listener. */
export function redirectsToHttps(lb: LoadBalancer): boolean {
  return lb.http?.redirectToHttps ?? lb.https !== undefined;
}

/** The listeners that forward traffic (the production routes): HTTPS, and HTTP unless it redirects. */
export function trafficListeners(lb: LoadBalancer): ("https" | "http")[] {
  return [
    ...(lb.https ? (["https"] as const) : []),
    ...(lb.http && !(redirectsToHttps(lb) && lb.https) ? (["http"] as const) : []),
  ];
}

/** The subnets the load balancer goes into, each with its index in network.subnets. */
export function loadBalancerSubnets(spec: Spec): { subnet: Subnet; index: number }[] {
  const lb = spec.loadBalancer!;
  const selector = lb.subnets ?? { tier: lb.scheme === "internal" ? "private" : "public" };
  const chosen = selectSubnets(spec.network.subnets, selector);
  return spec.network.subnets.flatMap((subnet, index) => (chosen.includes(subnet) ? [{ subnet, index }] : []));
}
