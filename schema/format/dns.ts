import { z } from "zod";
import { domainName } from "../primitives";

/* The hosted zone and the records that point at the load balancer. */

export const dnsSchema = z.strictObject({
  /** Zone name, e.g. example.com. */
  zoneName: domainName,
  /** Private zone attached to the VPC. Default: false. */
  private: z.boolean().default(false),
  /** Use this existing hosted zone instead of creating one. Default: create. */
  existingZoneId: z
    .string()
    .regex(/^Z[A-Z0-9]{1,32}$/, { error: "is not a hosted zone id. Fix: use the Z... id" })
    .optional(),
  /** Alias records to the load balancer; "" is the zone apex. Default: []. */
  records: z
    .array(
      z.strictObject({
        name: z.string().regex(/^([a-z0-9*]([a-z0-9-]*[a-z0-9])?)?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, {
          error: 'is not a record label. Fix: use a label such as api, or "" for the apex',
        }),
      }),
    )
    .default([]),
  /** Route 53 health check of the first record over HTTPS (public zones only). Default: none. */
  healthCheck: z
    .strictObject({
      path: z.string().startsWith("/").default("/health"),
      /** Default: 30. */
      interval: z.union([z.literal(10), z.literal(30)]).default(30),
      /** Default: 3. */
      failureThreshold: z.number().int().min(1).max(10).default(3),
    })
    .optional(),
});
