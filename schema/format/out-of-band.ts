import { z } from "zod";
import { kebabName } from "../primitives";

/* Values written out of band: SSM SecureString parameters and Secrets Manager secrets. */

export const ssmParameterSchema = z.strictObject({
  /** Last path segment; the parameter is `/<app>-<env>/<name>`. */
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,200}$/, {
    error: "is not an SSM parameter name segment. Fix: use letters, digits, _ . - (no slash)",
  }),
  /** What the value is. */
  description: z.string().min(1).max(1024),
  /** Services whose task role may read it (ssm:GetParameter, decrypted with the aws/ssm key). Default: []. */
  readers: z.array(z.string()).default([]),
});
export type SsmParameter = z.output<typeof ssmParameterSchema>;

/**
 * A Secrets Manager secret the application reads (third-party credentials and the like). The parameters stack
 * creates it without a value, as `<app>-<env>-<name>`; its value is written out of band (`aws secretsmanager
 * put-secret-value`), so it never enters the state, the plan or the synthesized JSON. Services read it with
 * secrets: { X: { appSecret: "<name>", key?: "<json key>" } }, and their execution role may read exactly it.
 */
export const appSecretSchema = z.strictObject({
  /** Suffix of the secret's name: the secret is `<app>-<env>-<name>`. */
  name: kebabName("secret name", 100),
  /** What the value is, e.g. the JSON keys it holds. */
  description: z.string().min(1).max(2048),
});
