import { z } from "zod";
import { kebabName, port, subnetSelector } from "../primitives";

/* PostgreSQL as an RDS instance or an Aurora cluster. */

export const databaseSchema = z.strictObject({
  /** instance: RDS for PostgreSQL; aurora: Aurora PostgreSQL cluster. Default: instance. */
  kind: z.enum(["instance", "aurora"]).default("instance"),
  /** PostgreSQL engine version. Default: 16.4. */
  engineVersion: z
    .string()
    .regex(/^\d+(\.\d+)?$/, { error: "is not a PostgreSQL version. Fix: use e.g. 16.4" })
    .default("16.4"),
  /** Instance class, e.g. db.t3.micro. */
  instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, {
    error: "is not an RDS instance class. Fix: use e.g. db.t3.micro",
  }),
  /** Identifier. Default: `<app>-<env>`. */
  identifier: kebabName("database identifier", 63).optional(),
  /** Initial database. Default: the app name with underscores. */
  databaseName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, {
      error: "is not a PostgreSQL database name. Fix: start with a letter, then letters, digits or _ (at most 63)",
    })
    .optional(),
  /** Master user; its password is generated and stored by RDS in Secrets Manager. Default: app_admin. */
  masterUsername: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,15}$/, { error: "is not a valid master user name. Fix: 1-16 letters, digits, _" })
    .refine((v) => !["admin", "rdsadmin", "postgres"].includes(v.toLowerCase()), {
      error: "is reserved by RDS. Fix: choose another name, e.g. app_admin",
    })
    .default("app_admin"),
  /** Default: 5432. */
  port: port.default(5432),
  /** GiB (instance only). Default: 20. */
  allocatedStorage: z.number().int().min(20).max(65536).default(20),
  /** Storage autoscaling ceiling in GiB (instance only). Default: none. */
  maxAllocatedStorage: z.number().int().max(65536).optional(),
  /** Default: gp3. */
  storageType: z.enum(["gp3", "gp2", "io1", "io2"]).default("gp3"),
  /** Standby in another AZ (instance only). Default: false. */
  multiAz: z.boolean().default(false),
  /** Aurora reader instances besides the writer. Default: 0. */
  readerCount: z.number().int().min(0).max(15).default(0),
  /** Subnets for the subnet group. Default: isolated tier if the VPC has one, else private. */
  subnets: subnetSelector.optional(),
  /** Days of automated backups (1-35). Default: 7. */
  backupRetentionDays: z.number().int().min(1).max(35).default(7),
  /** Default: 18:00-19:00 UTC. */
  backupWindow: z
    .string()
    .regex(/^\d\d:\d\d-\d\d:\d\d$/)
    .default("18:00-19:00"),
  /** Default: true in production environments. */
  deletionProtection: z.boolean().optional(),
  /** Parameter group settings, e.g. { log_min_duration_statement: "1000" }. Default: a few logging settings. */
  parameters: z.record(z.string(), z.string()).default({}),
  /** IAM database authentication. Default: true. */
  iamAuthentication: z.boolean().default(true),
  /** Performance Insights. Default: false (not offered on the smallest classes). */
  performanceInsights: z.boolean().default(false),
  /** Log types exported to CloudWatch. Default: ["postgresql"]. */
  logExports: z.array(z.enum(["postgresql", "upgrade"])).default(["postgresql"]),
  /**
   * Creates an empty Secrets Manager secret `<identifier>/database-url` for applications that want one connection
   * URL (services read it with secrets: { X: { fromDatabase: "url" } }). Terraform never sees the password, so the
   * value (postgres://user:password@host:port/db) is written out of band after the first apply. Default: false.
   */
  connectionUrlSecret: z.boolean().default(false),
});
