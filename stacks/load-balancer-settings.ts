import type { LoadBalancer, Spec } from "../schema/blueprint";
import { selectSubnets } from "../schema/subnets";
import type { ListenerIngress } from "../modules/application-security-groups";

/** Derived load balancer settings shared by the network and compute stacks, so both agree on ports and subnets. */
export function listenerPorts(lb: LoadBalancer): number[] {
  return [lb.http?.port, lb.https?.port].filter((p): p is number => p !== undefined);
}

export function loadBalancerIngressCidrs(lb: LoadBalancer, vpcCidr: string): string[] {
  return lb.ingressCidrs ?? (lb.scheme === "internal" ? [vpcCidr] : ["0.0.0.0/0"]);
}

/**
 * Every listener port with who may reach it: production listeners per ingressCidrs, the test listener the VPC. Behind
 * CloudFront (`originFacingPrefixListId`), the HTTPS listener admits CloudFront's origin-facing prefix list only and
 * plain HTTP nobody (CloudFront reaches the origin over HTTPS; the list weighs about 55 rules of a group's 60).
 */
export function listenerIngress(
  lb: LoadBalancer,
  vpcCidr: string,
  originFacingPrefixListId?: string,
): ListenerIngress[] {
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

export function loadBalancerSubnetLabels(spec: Spec, labelOf: (s: Spec["network"]["subnets"][number]) => string) {
  const lb = spec.loadBalancer!;
  const selector = lb.subnets ?? { tier: lb.scheme === "internal" ? "private" : "public" };
  return selectSubnets(spec.network.subnets, selector).map(labelOf);
}

/** HTTP redirects to HTTPS unless the blueprint says otherwise, whenever there is an HTTPS listener. */
export function redirectsToHttps(lb: LoadBalancer): boolean {
  return lb.http?.redirectToHttps ?? lb.https !== undefined;
}
