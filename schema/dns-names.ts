import type { Dns } from "./blueprint";

/** The blueprint's records: label in the zone ("" is the apex) and fully qualified name. */
export function dnsRecords(dns: Dns): { label: string; fqdn: string }[] {
  return dns.records.map((r) => ({ label: r.name, fqdn: r.name === "" ? dns.zoneName : `${r.name}.${dns.zoneName}` }));
}

/** Fully qualified names of the blueprint's records. */
export function recordFqdns(dns: Dns): string[] {
  return dnsRecords(dns).map((r) => r.fqdn);
}
