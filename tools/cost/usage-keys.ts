/**
 * Every usage assumption the cost models read: what it measures, in which unit. The presets
 * (tools/cost/usage/presets/*.json) give each a value and a one-line why; blueprint usage files and --usage files
 * override some of them.
 */
export const USAGE_KEYS = {
  "traffic.requestsPerSecond": "average requests per second reaching each load balancer (and its WAF web ACL)",
  "traffic.requestsPerConnection": "HTTP requests carried by one client connection (keep-alive reuse)",
  "traffic.connectionSeconds": "average lifetime of a client connection, seconds",
  "traffic.requestKB": "average request size, KB",
  "traffic.responseKB": "average response size, KB (internet-facing load balancers send it out to the internet)",
  "nat.gbPerGatewayMonth": "GB a month each NAT gateway processes (both directions)",
  "vpcEndpoint.gbPerEndpointMonth": "GB a month each interface VPC endpoint processes",
  "logs.serviceGBPerTaskMonth": "GB of application logs each running task writes a month",
  "logs.flowLogsGBPerVpcMonth": "GB of VPC flow log records a month per VPC",
  "logs.otherGBPerGroupMonth": "GB a month written to a log group no modeled writer is known for",
  "retention.unboundedMonths":
    "months of data held where nothing expires it (log groups without retention, buckets without expiration)",
  "containerInsights.logGBPerTaskMonth": "GB of Container Insights performance events per running task a month",
  "database.logGBPerMonth": "GB a month of PostgreSQL logs exported to CloudWatch Logs per instance or cluster",
  "database.auroraStorageGB": "GB stored in each Aurora cluster volume",
  "database.auroraIoMillionsPerMonth": "million I/O requests a month per Aurora Standard cluster",
  "database.dailyChangeRate": "fraction of a database's storage changed a day (sizes incremental backups)",
  "ecr.imageSizeGB": "compressed size of one image, GB",
  "ecr.imagesKept": "images a repository holds when no lifecycle rule in the stack says",
  "secrets.apiCallsPerSecretMonth": "Secrets Manager API calls a month per secret",
  "kms.requestsPerKeyMonth": "KMS requests a month per customer-managed key",
  "alarms.notificationsPerTopicMonth": "alarm notifications published a month per SNS topic",
  "s3.gbWrittenPerBucketMonth": "GB written a month to each S3 bucket",
  "s3.putRequestsPerBucketMonth": "PUT requests a month per S3 bucket",
  "dynamodb.writeRequestsPerTableMonth": "write request units a month per on-demand DynamoDB table",
  "dynamodb.readRequestsPerTableMonth": "read request units a month per on-demand DynamoDB table",
  "dynamodb.storageGBPerTable": "GB stored per DynamoDB table",
  "guardDuty.cloudTrailEventsMillionsPerMonth":
    "million CloudTrail management events a month GuardDuty analyses per account",
  "guardDuty.flowAndDnsLogGBPerMonth": "GB of VPC flow logs and DNS query logs a month GuardDuty analyses per account",
  "guardDuty.s3DataEventsMillionsPerMonth":
    "million S3 data events a month GuardDuty S3 Protection analyses per account",
  "guardDuty.monitoredFargateVcpus": "vCPUs of Fargate tasks running on average that Runtime Monitoring watches",
  "config.continuousItemsPerMonth": "AWS Config configuration items a month per account, recording continuously",
  "config.dailyItemsPerMonth": "AWS Config configuration items a month per account, recording daily",
} as const;

export type UsageKey = keyof typeof USAGE_KEYS;

export const USAGE_KEY_NAMES = Object.keys(USAGE_KEYS) as UsageKey[];
