/**
 * Resource types whose deletion loses data (or something as hard to get back), so a plan that destroys or replaces
 * one is flagged louder than any other change. The text says what goes with it, for the reviewer.
 */
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  aws_db_instance: "a database and its data (automated backups go with it)",
  aws_rds_cluster: "an Aurora cluster and its data (automated backups go with it)",
  aws_rds_cluster_instance: "an Aurora instance (the cluster loses capacity; the last one takes the writer)",
  aws_dynamodb_table: "a DynamoDB table and its items",
  aws_s3_bucket: "a bucket and its objects",
  aws_efs_file_system: "a file system and its files",
  aws_elasticache_replication_group: "a cache cluster and its data",
  aws_elasticache_cluster: "a cache cluster and its data",
  aws_route53_zone: "a hosted zone: its name servers change, delegation breaks",
  aws_ecr_repository: "a container registry and every image in it",
  aws_secretsmanager_secret: "a secret and its versions",
  aws_ssm_parameter: "a parameter and its value, written out of band (Terraform never held it and cannot put it back)",
  aws_kms_key: "an encryption key: whatever it encrypted becomes unreadable",
  aws_ebs_volume: "a volume and its data",
  aws_cloudwatch_log_group: "a log group and its logs",
  aws_sqs_queue: "a queue and its messages",
  aws_backup_vault: "a backup vault and its recovery points",
};

/** What a deletion of this type loses, or undefined when it is not a stateful type. */
export function statefulLoss(type: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(STATEFUL_TYPES, type) ? STATEFUL_TYPES[type] : undefined;
}
