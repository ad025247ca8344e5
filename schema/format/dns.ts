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
});
