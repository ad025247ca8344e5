import { listenerIngress, trafficListeners } from "../listeners";
import { targetGroupColors } from "../names";
import type { Deployment } from "../resolve";
import { documented, type DeploymentRule } from "./types";

/** Services with listener rules, each with its condition values (path patterns and host headers). */
function routedServices(d: Deployment) {
  return d.spec.services.flatMap((svc, i) =>
    svc.routing
      ? [{ i, r: svc.routing, values: [...(svc.routing.pathPatterns ?? []), ...(svc.routing.hostHeaders ?? [])] }]
      : [],
  );
}

/* Service quotas a blueprint can exceed, at their default values (an account may have raised them). */

const ALB_QUOTAS = documented(
  "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html",
);
const VPC_QUOTAS = documented("https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html");

export const QUOTA_RULES: readonly DeploymentRule[] = [
  {
    id: "alb-listener-rules-quota",
    concern: "quotas",
    refuses: "TooManyRules: 100 rules per Application Load Balancer (default quota, not counting default rules)",
    source: ALB_QUOTAS,
    each: (d, report) => {
      const lb = d.spec.loadBalancer;
      if (!lb) return;
      const routed = d.spec.services.filter((s) => s.routing).length;
      const rules = routed * trafficListeners(lb).length;
      if (rules > 100) {
        report(
          "services",
          `${routed} routed services`,
          `make ${rules} listener rules (one per routed service and production listener); an ALB takes 100 by default. Fix: route fewer services through this load balancer, or have the quota raised and split the blueprint`,
        );
      }
    },
  },
  {
    id: "alb-target-groups-quota",
    concern: "quotas",
    refuses: "TooManyTargetGroups: 100 target groups per Application Load Balancer (default quota)",
    source: ALB_QUOTAS,
    each: (d, report) => {
      if (!d.spec.loadBalancer) return;
      const groups = d.spec.services.reduce((n, s) => n + targetGroupColors(s).length, 0);
      if (groups > 100) {
        report(
          "services",
          `${d.spec.services.length} services`,
          `need ${groups} target groups on one ALB (two per blue/green service); an ALB takes 100. Fix: split the services over two blueprints`,
        );
      }
    },
  },
  {
    id: "alb-rule-condition-values",
    concern: "quotas",
    refuses: "TooManyConditionValues: 5 condition values per rule (path patterns and host headers together)",
    source: ALB_QUOTAS,
    each: (d, report) => {
      routedServices(d).forEach(({ r, values, i }) => {
        if (values.length > 5) {
          report(
            `services[${i}].routing`,
            r,
            `has ${values.length} condition values (pathPatterns and hostHeaders together); an ALB rule takes 5. Fix: use at most 5 in all, e.g. a wider pattern`,
          );
        }
      });
    },
  },
  {
    id: "alb-rule-wildcards",
    concern: "quotas",
    refuses: "TooManyWildcards (ValidationError): 5 wildcards (* or ?) per rule",
    source: ALB_QUOTAS,
    each: (d, report) => {
      routedServices(d).forEach(({ r, values, i }) => {
        const wildcards = values.join("").replace(/[^*?]/g, "").length;
        if (wildcards > 5) {
          report(
            `services[${i}].routing`,
            r,
            `has ${wildcards} wildcards (* and ?) in its conditions; an ALB rule takes 5. Fix: use fewer wildcards`,
          );
        }
      });
    },
  },
  {
    id: "security-group-rules-quota",
    concern: "quotas",
    refuses: "RulesPerSecurityGroupLimitExceeded: 60 inbound and 60 outbound rules per security group (default quota)",
    source: VPC_QUOTAS,
    each: (d, report) => {
      const lb = d.spec.loadBalancer;
      if (lb) {
        const inbound = listenerIngress(lb, d.spec.network.cidr).reduce((n, l) => n + l.cidrs.length, 0);
        if (inbound > 60) {
          report(
            "loadBalancer.ingressCidrs",
            lb.ingressCidrs,
            `make ${inbound} inbound rules on the load balancer's security group (one per CIDR and listener port); a group takes 60. Fix: admit fewer, wider CIDRs (or a managed prefix list outside the blueprint)`,
          );
        }
        if (d.spec.services.length > 60) {
          report(
            "services",
            `${d.spec.services.length} services`,
            "make one outbound rule each on the load balancer's security group; a group takes 60. Fix: split the blueprint",
          );
        }
      }
      const dbClients = d.spec.services.filter((s) => s.databaseAccess).length;
      if (d.spec.database && dbClients > 60) {
        report(
          "services",
          `${dbClients} services with databaseAccess`,
          "make one inbound rule each on the database's security group; a group takes 60. Fix: give fewer services databaseAccess",
        );
      }
    },
  },
];
