import { z } from "zod";
// Loads the format's zod settings before any schema here is built.
import "../primitives";

/* Policy findings a blueprint accepts on purpose. */

/**
 * A policy finding (tools/check, `npm run check`) the blueprint accepts on purpose. The reason is printed with the
 * finding in every report, so it must say why the control does not apply.
 */
export const suppressionSchema = z.strictObject({
  /** Rule id, e.g. alb-https-redirect (docs/policy-checks.md). */
  rule: z.string().regex(/^[a-z0-9-]+$/, { error: "is not a rule id. Fix: use an id from docs/policy-checks.md" }),
  /** Why the finding is accepted (at least 20 characters). */
  reason: z.string().min(20, { error: "is too short to explain anything. Fix: say why the rule does not apply" }),
  /** Terraform address prefixes the suppression covers, e.g. aws_lb_listener.alb_http. Default: every match. */
  resources: z
    .array(z.string().regex(/^(data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+$/))
    .min(1)
    .optional(),
});
