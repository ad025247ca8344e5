import type { Rule } from "../types";

/** The same controls for RDS instances and Aurora clusters, which name the attributes alike. */
function forBoth(rule: Omit<Rule, "resourceType" | "id">, id: string): Rule[] {
  return [
    { ...rule, id: `rds-${id}`, resourceType: "aws_db_instance" },
    { ...rule, id: `aurora-${id}`, resourceType: "aws_rds_cluster" },
  ];
}

export const DATABASE_RULES: Rule[] = [
  ...forBoth(
    {
      title: "Database storage is encrypted",
      severity: "high",
      checkov: ["CKV_AWS_16", "CKV_AWS_96"],
      fsbp: "RDS.3, RDS.27",
      check: (db) => (db.storage_encrypted === true ? undefined : "storage_encrypted is not true"),
    },
    "encrypted",
  ),
  ...forBoth(
    {
      title: "Automated backups are kept",
      severity: "high",
      checkov: ["CKV_AWS_133"],
      fsbp: "RDS.11",
      check: (db) =>
        Number(db.backup_retention_period ?? 0) >= 1 ? undefined : "backup_retention_period is 0 or unset",
    },
    "backups",
  ),
  ...forBoth(
    {
      title: "Databases in production have deletion protection",
      severity: "high",
      checkov: ["CKV_AWS_293", "CKV_AWS_139"],
      fsbp: "RDS.8, RDS.7",
      check: (db, ctx) =>
        ctx.production && db.deletion_protection !== true ? "a production database can be deleted" : undefined,
    },
    "deletion-protection",
  ),
  ...forBoth(
    {
      title: "Database logs are exported to CloudWatch",
      severity: "medium",
      checkov: ["CKV_AWS_129", "CKV_AWS_324"],
      fsbp: "RDS.9",
      check: (db) =>
        ([] as unknown[]).concat(db.enabled_cloudwatch_logs_exports ?? []).length > 0 ? undefined : "no log exports",
    },
    "log-exports",
  ),
  ...forBoth(
    {
      title: "IAM database authentication is on",
      severity: "medium",
      checkov: ["CKV_AWS_161", "CKV_AWS_162"],
      fsbp: "RDS.10, RDS.12",
      check: (db) => (db.iam_database_authentication_enabled === true ? undefined : "IAM authentication is off"),
    },
    "iam-auth",
  ),
  {
    id: "rds-not-public",
    title: "Database instances are not publicly accessible",
    severity: "high",
    resourceType: "aws_db_instance",
    checkov: ["CKV_AWS_17"],
    fsbp: "RDS.2",
    check: (db) => (db.publicly_accessible === true ? "publicly_accessible is true" : undefined),
  },
  {
    id: "aurora-instance-not-public",
    title: "Aurora instances are not publicly accessible",
    severity: "high",
    resourceType: "aws_rds_cluster_instance",
    checkov: ["CKV_AWS_17"],
    fsbp: "RDS.2",
    check: (db) => (db.publicly_accessible === true ? "publicly_accessible is true" : undefined),
  },
];
