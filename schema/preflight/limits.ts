import { parseCidr } from "../cidr";
import { dnsRecords } from "../dns-names";
import type { MetricAlarm } from "../blueprint";
import { loadBalancerSubnets } from "../listeners";
import { documented, type DeploymentRule } from "./types";

/* Fixed limits of AWS APIs that the schema's types cannot express (they depend on two fields, or on derived values). */

export const LIMIT_RULES: readonly DeploymentRule[] = [
  {
    id: "vpc-cidr-size",
    concern: "limits",
    refuses: "InvalidVpc.Range / InvalidSubnet.Range: VPC and subnet blocks are between /16 and /28",
    source: documented("https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html"),
    each: (d, report) => {
      const outside = (cidr: string) => {
        const prefix = parseCidr(cidr)?.prefix;
        return prefix !== undefined && (prefix < 16 || prefix > 28);
      };
      if (outside(d.spec.network.cidr)) {
        report(
          "network.cidr",
          d.spec.network.cidr,
          "is not between /16 and /28, the sizes a VPC can have. Fix: use a /16 to /28 block",
        );
      }
      d.spec.network.subnets.forEach((s, i) => {
        if (outside(s.cidr)) {
          report(
            `network.subnets[${i}].cidr`,
            s.cidr,
            "is not between /16 and /28, the sizes a subnet can have. Fix: use a /16 to /28 block",
          );
        }
      });
    },
  },
  {
    id: "alb-subnet-size",
    concern: "limits",
    refuses: "InvalidSubnet: a load balancer's subnets need at least a /27 block and 8 free addresses",
    source: documented(
      "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer",
    ),
    each: (d, report) => {
      if (!d.spec.loadBalancer) return;
      for (const { subnet, index } of loadBalancerSubnets(d.spec)) {
        const prefix = parseCidr(subnet.cidr)?.prefix ?? 0;
        if (prefix > 27) {
          report(
            `network.subnets[${index}].cidr`,
            subnet.cidr,
            "hosts the load balancer but is smaller than /27, the smallest subnet an ALB takes. Fix: give the load balancer's subnets /27 or larger",
          );
        }
      }
    },
  },
  {
    id: "target-group-health-check-timeout",
    concern: "limits",
    refuses: "ValidationError: Health check timeout must be smaller than the interval",
    source: documented(
      "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
    ),
    each: (d, report) => {
      if (!d.spec.loadBalancer) return;
      d.spec.services.forEach((svc, i) => {
        // The defaults fit; only a written health check can break the rule.
        const h = svc.healthCheck;
        if (h && h.timeout >= h.interval) {
          report(
            `services[${i}].healthCheck.timeout`,
            h.timeout,
            `is not shorter than the interval ${h.interval} s; a target group refuses it. Fix: make the timeout less than the interval`,
          );
        }
      });
    },
  },
  {
    id: "target-group-matcher",
    concern: "limits",
    refuses: 'ValidationError: an HTTP target group matcher is codes from 200 to 499: "200", "200,202" or "200-299"',
    source: documented("https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Matcher.html"),
    each: (d, report) => {
      if (!d.spec.loadBalancer) return;
      d.spec.services.forEach((svc, i) => {
        if (svc.healthCheck && !validMatcher(svc.healthCheck.matcher)) {
          report(
            `services[${i}].healthCheck.matcher`,
            svc.healthCheck.matcher,
            'is not HTTP codes from 200 to 499 (a code, a list "200,202" or a range "200-299"). Fix: e.g. "200-399"',
          );
        }
      });
    },
  },
  {
    id: "certificate-domain-length",
    concern: "limits",
    refuses:
      "ValidationException: the first domain name of an ACM certificate (its common name) can have at most 64 characters",
    source: documented("https://docs.aws.amazon.com/acm/latest/userguide/acm-limits.html"),
    each: (d, report) => {
      const dns = d.spec.dns;
      if (!dns || d.spec.loadBalancer?.https?.certificate.source !== "dns") return;
      const [first] = dnsRecords(dns);
      if (first && first.fqdn.length > 64) {
        report(
          "dns.records[0].name",
          first.fqdn,
          `is ${first.fqdn.length} characters; the certificate's first name (its common name) may have 64. Fix: put a shorter name first in dns.records`,
        );
      }
    },
  },
  {
    id: "alarm-period",
    concern: "limits",
    refuses:
      "ValidationError: Period must be 10, 20, 30 or a multiple of 60, and Period × EvaluationPeriods at most 7 days",
    source: documented("https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html"),
    each: (d, report) => {
      const m = d.spec.monitoring;
      if (!m) return;
      const alarms: [string, MetricAlarm | undefined][] = [
        ["cpuUtilization", m.cpuUtilization],
        ["memoryUtilization", m.memoryUtilization],
        ["http5xx", m.http5xx],
        ["targetResponseTime", m.targetResponseTime],
      ];
      for (const [name, alarm] of alarms) {
        if (!alarm) continue;
        if (![10, 20, 30].includes(alarm.period) && alarm.period % 60 !== 0) {
          report(
            `monitoring.${name}.period`,
            alarm.period,
            "is not a CloudWatch alarm period. Fix: use 10, 20, 30 or a multiple of 60 seconds",
          );
        } else if (alarm.period * alarm.evaluationPeriods > 7 * 86400) {
          report(
            `monitoring.${name}.evaluationPeriods`,
            alarm.evaluationPeriods,
            `times the period ${alarm.period} s looks back more than 7 days. Fix: fewer periods or a shorter period`,
          );
        }
      }
    },
  },
];

/** An HTTP matcher: codes 200-499, as one code, a comma list or a range. */
function validMatcher(matcher: string): boolean {
  const code = (s: string) => /^\d{3}$/.test(s) && Number(s) >= 200 && Number(s) <= 499;
  const range = /^(\d{3})-(\d{3})$/.exec(matcher);
  if (range) return code(range[1]) && code(range[2]) && Number(range[1]) <= Number(range[2]);
  return matcher.split(",").every(code);
}
