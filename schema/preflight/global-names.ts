import { dnsRecords } from "../dns-names";
import type { Deployment } from "../resolve";
import { documented, type CrossRule } from "./types";

/*
 * DNS is one namespace for the whole internet, not one per account: two environments that create the same public
 * zone, or publish the same name, contend for it whatever accounts they live in.
 */

/** The public hosted zone a deployment creates (not private, not an existing zone it writes into). */
function createdPublicZone(d: Deployment): string | undefined {
  const dns = d.spec.dns;
  return dns && !dns.private && !dns.existingZoneId ? dns.zoneName : undefined;
}

/** The public names a deployment publishes: its alias records, with their place in the blueprint. */
function publicRecords(d: Deployment): { fqdn: string; label: string; path: string }[] {
  const dns = d.spec.dns;
  if (!dns || dns.private || !d.spec.loadBalancer) return [];
  return dnsRecords(dns).map((r, i) => ({ ...r, path: `dns.records[${i}].name` }));
}

const who = (other: Deployment, d: Deployment) =>
  other === d
    ? "this environment"
    : other.app === d.app
      ? `environment ${other.environment}`
      : `blueprint ${other.app}, environment ${other.environment}`;

export const GLOBAL_NAME_RULES: readonly CrossRule[] = [
  {
    id: "public-zone-unique",
    concern: "global names",
    refuses:
      "nothing at create time (Route 53 makes a second zone of the same name), but the parent domain delegates to one zone only: the other's records, and its certificate validation, never answer",
    source: documented("https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zones-migrating.html"),
    across: (deployments, report) => {
      const first = new Map<string, Deployment>();
      for (const d of deployments) {
        const zone = createdPublicZone(d);
        if (!zone) continue;
        const earlier = first.get(zone);
        if (!earlier) {
          first.set(zone, d);
          continue;
        }
        report(
          d,
          "dns.zoneName",
          zone,
          `is a public hosted zone that ${who(earlier, d)} also creates; DNS names are global, so only the zone the parent domain delegates to answers, and the other environment's records go nowhere. Fix: give each environment its own zone (e.g. dev.${zone}, delegated from ${zone}), or write into the other's zone with dns.existingZoneId and a record name of its own`,
        );
      }
    },
  },
  {
    id: "public-record-unique",
    concern: "global names",
    refuses:
      "InvalidChangeBatch: Tried to create resource record set ... but it already exists (in one zone); across zones, whichever zone is delegated answers for the name, so one environment answers for another's hostname",
    source: documented("https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html"),
    across: (deployments, report) => {
      const first = new Map<string, { d: Deployment; path: string }>();
      const zones = new Map<string, Deployment>();
      for (const d of deployments) {
        const zone = createdPublicZone(d);
        if (zone && !zones.has(zone)) zones.set(zone, d);
      }
      for (const d of deployments) {
        for (const r of publicRecords(d)) {
          const earlier = first.get(r.fqdn);
          if (earlier) {
            report(
              d,
              r.path,
              r.label,
              `publishes ${r.fqdn}, which ${who(earlier.d, d)} also publishes (${earlier.path}); a DNS name answers for one load balancer only, so one environment would serve the other's hostname (with a valid certificate). Fix: give each environment its own names, e.g. a zone ${d.environment}.${d.spec.dns!.zoneName} of its own (delegated from ${d.spec.dns!.zoneName}) publishing ${r.label ? `${r.label}.` : ""}${d.environment}.${d.spec.dns!.zoneName}`,
            );
            continue;
          }
          first.set(r.fqdn, { d, path: r.path });
          const owner = zones.get(r.fqdn);
          if (owner && owner !== d) {
            report(
              d,
              r.path,
              r.label,
              `publishes ${r.fqdn}, the apex of the public zone ${who(owner, d)} creates; once that zone is delegated it answers for the name, not this record. Fix: use another record name, or publish it in that zone (dns.existingZoneId)`,
            );
          }
        }
      }
    },
  },
];
