/**
 * Stand-in values for upstream outputs when planning offline (no upstream has been applied). Chosen by the output
 * contract's naming convention (suffix says what the value is), in formats the provider's plan-time validation
 * accepts: ARNs are ARNs, ids look like ids.
 */
const ACCOUNT = "123456789012";
const REGION = "ap-northeast-1";

const ID_PREFIXES: [RegExp, string][] = [
  [/vpc_id$/, "vpc-0a1b2c3d4e5f60718"],
  [/subnet/, "subnet-0a1b2c3d4e5f60718"],
  [/security_group/, "sg-0a1b2c3d4e5f60718"],
  [/zone_id$/, "Z0123456789ABCDEFGHIJ"],
];

export function sampleString(name: string, key?: string): string {
  const label = [name, key].filter(Boolean).join("-").replace(/_/g, "-");
  if (/_arns?$/.test(name)) {
    if (name.startsWith("certificate"))
      return `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/00000000-0000-0000-0000-000000000000`;
    if (name.startsWith("db_secret")) return `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:rds!db-offline-AbCdEf`;
    if (name.includes("secret")) return `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:offline-${label}-AbCdEf`;
    if (name.startsWith("parameter")) return `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/offline/${key ?? "offline"}`;
    if (name.startsWith("repository")) return `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${key ?? "offline"}`;
    return `arn:aws:iam::${ACCOUNT}:role/offline-${label}`;
  }
  for (const [pattern, value] of ID_PREFIXES) if (pattern.test(name)) return value;
  if (/_urls?$/.test(name)) return `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${key ?? "offline"}`;
  if (/_cidr$/.test(name)) return "10.0.0.0/16";
  if (/_port$/.test(name)) return "5432";
  if (/(_dns_name|_address|_endpoint)$/.test(name)) return `offline-${label}.${REGION}.example.internal`;
  if (/_ips$/.test(name)) return "192.0.2.10";
  return `offline-${label}`;
}

export type OutputType = "string" | ["list", "string"] | ["map", "string"];

/** A stand-in for one upstream output, given its synthesized value (which says its shape and, if literal, its value). */
export function sampleOutput(name: string, synthesized: unknown): { value: unknown; type: OutputType } {
  if (Array.isArray(synthesized)) {
    return {
      value: synthesized.map((v, i) => literalOr(v, () => sampleString(name, String(i)))),
      type: ["list", "string"],
    };
  }
  if (synthesized !== null && typeof synthesized === "object") {
    const entries = Object.entries(synthesized).map(([k, v]) => [k, literalOr(v, () => sampleString(name, k))]);
    return { value: Object.fromEntries(entries), type: ["map", "string"] };
  }
  if (typeof synthesized === "string" && /(_ids|_ips|_arns|_servers)$/.test(name) && synthesized.includes("${")) {
    return { value: [sampleString(name, "0"), sampleString(name, "1")], type: ["list", "string"] };
  }
  return { value: literalOr(synthesized, () => sampleString(name)), type: "string" };
}

function literalOr(value: unknown, sample: () => string): string {
  if (typeof value === "string" && !value.includes("${")) return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return sample();
}
