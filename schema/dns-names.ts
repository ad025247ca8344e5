import type { Dns, Spec } from "./blueprint";

/** The blueprint's records: label in the zone ("" is the apex) and fully qualified name. */
export function dnsRecords(dns: Dns): { label: string; fqdn: string }[] {
  return dns.records.map((r) => ({ label: r.name, fqdn: r.name === "" ? dns.zoneName : `${r.name}.${dns.zoneName}` }));
}

/** Fully qualified names of the blueprint's records. */
export function recordFqdns(dns: Dns): string[] {
  return dnsRecords(dns).map((r) => r.fqdn);
}

/** The records CloudFront serves (its aliases): cloudFront.records, or every record. None without cloudFront. */
export function cloudFrontRecords(spec: Spec): { label: string; fqdn: string }[] {
  if (!spec.cloudFront || !spec.dns) return [];
  const served = spec.cloudFront.records;
  return dnsRecords(spec.dns).filter((r) => !served || served.includes(r.label));
}

/** The records that alias the load balancer: those CloudFront does not serve. */
export function loadBalancerRecords(spec: Spec): { label: string; fqdn: string }[] {
  if (!spec.dns) return [];
  const viaCloudFront = new Set(cloudFrontRecords(spec).map((r) => r.label));
  return dnsRecords(spec.dns).filter((r) => !viaCloudFront.has(r.label));
}
