import { z } from "zod";
import { parseCidr } from "./cidr";

// A synthesis parses each blueprint once: zod's JIT (compiling a parser per object schema with `new Function`) costs
// more than it saves here, so parse without it. Set here, in the first module the format's files load: zod decides
// when a schema is built, not when it parses.
z.config({ jitless: true });

/**
 * Reusable field types. Each carries the fix in its message, so that the error formatter can print
 * "<path>: <value> <problem>. Fix: <fix>" without knowing which field it is looking at.
 */

/** Lower-case, digits and hyphens; starts with a letter; AWS accepts this shape for every name we derive from it. */
export const kebabName = (what: string, maxLength: number) =>
  z
    .string()
    .max(maxLength, { error: `is longer than ${maxLength} characters. Fix: shorten the ${what}` })
    .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, {
      error: `is not a valid ${what}. Fix: use lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen`,
    });

export const cidrBlock = z.string().refine((value) => parseCidr(value) !== undefined, {
  error:
    "is not an IPv4 CIDR block with its network address (e.g. 10.0.1.0/24). Fix: write a.b.c.d/nn with the host bits zero",
});

export const port = z
  .number()
  .int({ error: "is not a whole number. Fix: use a TCP port between 1 and 65535" })
  .min(1, { error: "is out of range. Fix: use a TCP port between 1 and 65535" })
  .max(65535, { error: "is out of range. Fix: use a TCP port between 1 and 65535" });

/** The retention periods CloudWatch Logs accepts; anything else is rejected by the API at apply time. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const logRetentionDays = z.number().refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
  error: `is not a CloudWatch Logs retention period. Fix: use one of ${LOG_RETENTION_DAYS.join(", ")}`,
});

export const awsRegion = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, {
  error: "is not an AWS region name. Fix: use a region such as ap-northeast-1",
});

/** CloudWatch Logs group names: 1-512 characters of [A-Za-z0-9_./#-]. */
export const logGroupName = z.string().regex(/^[A-Za-z0-9_./#-]{1,512}$/, {
  error: "is not a valid CloudWatch log group name. Fix: use 1-512 characters from letters, digits, _ . / # -",
});

/** ECR repository names: lower-case, 2-256 characters, optional namespaces separated by '/'. */
export const ecrRepositoryName = z
  .string()
  .regex(/^(?=.{2,256}$)[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, {
    error:
      "is not a valid ECR repository name. Fix: use 2-256 lower-case letters, digits and . _ - / (no upper case, no leading or trailing separator)",
  });

/** Absolute container path, for writable mounts. */
export const absolutePath = z.string().regex(/^\/[A-Za-z0-9_./-]*$/, {
  error: "is not an absolute path. Fix: start it with / and use letters, digits, _ . / -",
});

export const domainName = z
  .string()
  .max(253)
  .regex(/^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/, {
    error: "is not a lower-case DNS name. Fix: use a name such as example.com, without a trailing dot",
  });

export const subnetTier = z.enum(["public", "private", "isolated"], {
  error: "is not a subnet tier. Fix: use public, private or isolated",
});

/** Selects subnets of one tier, optionally only in some AZs (callback-handler runs its service in one AZ). */
export const subnetSelector = z.strictObject({
  /** Tier to take subnets from. */
  tier: subnetTier,
  /** Only subnets in these AZs. Default: every subnet of the tier. */
  azs: z.array(z.string()).min(1).optional(),
});
export type SubnetSelector = z.infer<typeof subnetSelector>;
