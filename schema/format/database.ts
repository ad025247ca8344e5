import { z } from "zod";
import { kebabName, port, subnetSelector } from "../primitives";

/* PostgreSQL as an RDS instance or an Aurora cluster. */

export const databaseSchema = z.strictObject({
  /** instance: RDS for PostgreSQL; aurora: Aurora PostgreSQL cluster. Default: instance. */
  kind: z.enum(["instance", "aurora"]).default("instance"),
  /**
   * PostgreSQL major version, e.g. "16". RDS creates the database on that major's default minor and applies minor
   * upgrades itself in the maintenance window; the plans compare only the major, so an upgrade RDS made is never
   * planned back. Raising it is a major upgrade (a new parameter group of the new family, then the database).
   * Default: "16".
   */
  engineVersion: z
    .string()
    .regex(/^\d+$/, {
      error:
        "is not a PostgreSQL major version. Fix: give the major only, e.g. 16 (a pinned minor is upgraded by AWS when it retires it, and the next plan would propose a downgrade)",
    })
    .default("16"),
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
  /**
   * Aurora replica autoscaling: Application Auto Scaling adds readers (named application-autoscaling-..., not in
   * Terraform's state) beside the readerCount readers Terraform keeps, on the readers' average CPU or connections.
   * Aurora only; needs readerCount ≥ 1. Default: none (readerCount fixed readers).
   */
  readerAutoscaling: z
    .strictObject({
      /** Fewest readers, the fixed ones included. Default: readerCount. */
      min: z.number().int().min(0).max(15).optional(),
      /** Most readers, the fixed ones included (Aurora allows 15). */
      max: z.number().int().min(1).max(15),
      /** cpu: RDSReaderAverageCPUUtilization (%); connections: RDSReaderAverageDatabaseConnections. Default: cpu. */
      metric: z.enum(["cpu", "connections"]).default("cpu"),
      /** Value to hold. Default: 70 (% CPU); required for connections (size it from the class's max_connections). */
      target: z.number().min(1).optional(),
      /** Seconds after a scale-in before another (a removed reader drops its connections). Default: 600. */
      scaleInCooldown: z.number().int().min(0).max(86400).default(600),
      /** Seconds after a scale-out before another (a new reader takes minutes to be available). Default: 300. */
      scaleOutCooldown: z.number().int().min(0).max(86400).default(300),
    })
    .optional(),
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
  /** IAM database authentication: how services connect (as applicationUser). Default: true. */
  iamAuthentication: z.boolean().default(true),
  /** Performance Insights. Default: false (not offered on the smallest classes). */
  performanceInsights: z.boolean().default(false),
  /** Log types exported to CloudWatch. Default: ["postgresql"]. */
  logExports: z.array(z.enum(["postgresql", "upgrade"])).default(["postgresql"]),
  /**
   * PostgreSQL role the services connect as with IAM authentication (no password: a token the task role signs,
   * valid 15 minutes, over TLS). Services with databaseAccess may connect as it (rds-db:connect); create it once
   * with the SQL in docs/day-two.md. Default: app_user.
   */
  applicationUser: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/, {
      error: "is not a PostgreSQL role name. Fix: start with a lowercase letter, then lowercase letters, digits or _",
    })
    .default("app_user"),
});
