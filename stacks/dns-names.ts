import type { Dns } from "../schema/blueprint";

/** Fully qualified names of the blueprint's records ("" is the apex). */
export function recordFqdns(dns: Dns): string[] {
  return dns.records.map((r) => (r.name === "" ? dns.zoneName : `${r.name}.${dns.zoneName}`));
}
