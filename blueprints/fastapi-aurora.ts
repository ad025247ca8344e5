import type { BlueprintInput } from "../schema/blueprint";

/**
 * fastapi-aurora: a FastAPI back end on ECS Fargate behind an HTTPS ALB, with an Aurora PostgreSQL cluster, in a VPC
 * that reaches AWS through VPC endpoints instead of NAT.
 * Source: the fastapi-aurora design document (fastapi-aurora.md, in Japanese).
 *
 * From the document: ap-northeast-1, two AZs (AZ-1, AZ-2), a public and a private subnet in each; no NAT gateway
 * (2026-01-22 change): an S3 gateway endpoint and four interface endpoints (ECR API, ECR DKR, Secrets Manager,
 * CloudWatch Logs); ALB in the public subnets with HTTPS 443 (ACM) and HTTP 80 redirecting to HTTPS, target group
 * on the Fargate tasks in the private subnets, health check /health, custom domain api.example.com in Route 53;
 * ECR with scan on push keeping the newest 10 images; ECS rolling updates, autoscaling on CPU and memory, tasks in
 * both AZs; Aurora PostgreSQL provisioned, writer + one replica in the private subnets of both AZs, db.t4g.medium in
 * dev and db.r6g.large in prod, KMS-encrypted, automated backups; Container Insights on; logs kept 7 days in dev,
 * 30 days in prod (application and VPC flow logs); alarms on ECS CPU/memory, ALB 5xx, ERROR+ log lines of the tasks
 * and Aurora disk usage and connections, to the SNS topics critical-alerts (production paging) and warning-alerts
 * with e-mail; a custom dashboard of ECS, Aurora and ALB metrics; GitHub Actions → ECR → ECS deploys (an OIDC deploy
 * role). Monitoring is its own stack (the document's モニタリングスタック), after compute and data.
 *
 * Choices where the document is vague (each written down here):
 * - CIDRs: the document gives none. VPC 10.0.0.0/16; public 10.0.0.0/24 (1a) and 10.0.1.0/24 (1c); private
 *   10.0.10.0/24 (1a) and 10.0.11.0/24 (1c). AZ-1/AZ-2 are ap-northeast-1a/1c.
 * - Aurora sits in the private subnets as the document says (there is no isolated tier); only the task security
 *   group is admitted on 5432. Engine version 16.4, database fastapi, backups 7 days (the document says only
 *   "automatic backups"). The writer/replica placement per AZ is left to RDS (the subnet group spans both AZs).
 * - Container port 8000 (uvicorn's default), 512 CPU / 1024 MiB, 2 tasks (one per AZ: "マルチAZ構成"), scaling 2-6 on
 *   CPU 70% and memory 70%: the document gives no sizes.
 * - Alarms (the document names the metrics only): CPU and memory 80% over 2 × 5 min and any ERROR/CRITICAL log line
 *   in 5 min (metric filter `?ERROR ?CRITICAL` on the task log group, custom metric fastapi-aurora/<env>
 *   backend-error-logs) go to warning-alerts: they ask for a look, autoscaling and retries usually cope. 5xx ≥ 10 per
 *   5 min, FreeLocalStorage under 2 GiB on an Aurora instance (its local disk for temporary files and logs: the
 *   "disk" an Aurora instance can fill) and connections per instance above 300 (dev, db.t4g.medium) or 1,200
 *   (prod, db.r6g.large) — under 75% of the default max_connections, LEAST(DBInstanceClassMemory/9531392, 5000) —
 *   go to critical-alerts. The cluster volume growing past 100 GiB (VolumeBytesUsed: it grows by itself, so it is
 *   a cost signal) is a warning. Both topics exist in dev and prod (`fastapi-aurora-<env>-critical-alerts` and
 *   `-warning-alerts`, one KMS key so CloudWatch can publish); the document's "本番環境のクリティカルアラート" is
 *   prod's critical topic, the one to page on. E-mail ops@example.com stands for the real addresses.
 * - Dashboard fastapi-aurora-<env>: ECS CPU/memory/running tasks, ALB requests/5XX/response time, Aurora
 *   connections/CPU/free local storage per instance, the error-log counts and every alarm's state.
 * - DNS: prod has the public zone example.com with the record api → ALB (api.example.com, the document's custom
 *   domain) and an ACM certificate validated in it. The document's "VPC内のプライベートDNS" for the back end conflicts
 *   with a public api.example.com; the public record is built. dev gets a zone of its own, dev.example.com, with
 *   api.dev.example.com: DNS names are global, so two environments publishing api.example.com would let dev answer
 *   for the production hostname with a valid certificate (the preflight refuses it). Delegate dev.example.com from
 *   example.com with an NS record of the dev dns stack's zone_name_servers.
 * - Database credentials: RDS manages the master password in Secrets Manager; the task gets DB_USER/DB_PASSWORD by
 *   reference (fetched through the Secrets Manager endpoint) and DB_HOST/DB_READER_HOST/DB_PORT/DB_NAME as values.
 * - ALB access logs ("S3バケットへの保存"): a bucket of the `logs` stack with the document's log-bucket rules
 *   (Glacier Flexible Retrieval after 90 days, deleted after 1 year, SSE-S3, versioning, public access blocked),
 *   written under alb/ by the region's ELB account only, TLS only.
 * - WAF ("MAF"): a regional web ACL in the `security` stack on the ALB (the document's "Amplify/オーケストレーター層への
 *   接続制御" in front of the back end), allow by default, blocking what the AWS managed Common, KnownBadInputs and
 *   AmazonIpReputationList rule groups match; the document names no rules.
 * - GitHub repository example-org/fastapi-aurora stands for the real one. dev and prod live in separate AWS accounts
 *   (neither names an account, so each is its own: docs/preflight.md#the-account-model), and each creates its GitHub
 *   OIDC provider. To share one account, name it in both (environments[].account) and set ci.createOidcProvider:
 *   false in one of them; the preflight then also keeps their per-account names apart (the ECR repository
 *   fastapi-aurora-backend would need a name per environment). The deploy role trusts the main branch in dev and
 *   the GitHub environment production in prod.
 * - "KMS による保存時暗号化": storage_encrypted with the RDS default KMS key (aws/rds); the schema has no
 *   customer-managed key for Aurora.
 * - GuardDuty and AWS Config ("セキュリティ・ガバナンス"): account-wide (one detector, one recorder per account and
 *   region), so they are in the account baseline (accountBaseline; the stack account-baseline-<account key>, here
 *   account-baseline-fastapi-aurora-dev and -prod, one per account), not in the application's stacks. GuardDuty's
 *   detector with findings published every 15 minutes; S3 Protection and Runtime Monitoring stay off: the account's
 *   only bucket data are ALB logs, and Fargate Runtime Monitoring would add GuardDuty's agent as a sidecar to every
 *   task and a GuardDuty-managed VPC endpoint to the VPC that Terraform does not manage (it blocks deleting the
 *   network; about $1.5 per vCPU-month on top). Config records every supported resource type, IAM included,
 *   continuously in prod (the document's 設定変更の追跡) with 365 days of history, daily in dev with 90 days; the
 *   document names no Config rules, so none are created.
 * - Fluent Bit (FireLens) sidecar `log-router` in every backend task, CPU 51 units (the document's 50m: 0.05 vCPU ×
 *   1024) and 128 MiB (128Mi) out of the task's 512/1024. Lines holding ERROR, CRITICAL or FATAL as a word (uvicorn's
 *   `ERROR:`, Python logging's `ERROR:name:`, or a JSON logger's `"level": "ERROR"`) go to the service's log group
 *   /ecs/fastapi-aurora-<env>/backend (so the ERROR+ alarm keeps counting them; the document's "ERRORレベル以上のみ"),
 *   every line goes gzip-compressed to the logs bucket under app/backend/<year>/<month>/<day>/<hour>/ (the document's
 *   year/month/day/hour partitions), with the same lifecycle as the ALB logs (Glacier after 90 days, deleted after 1
 *   year). The router is AWS's init image from the region's ECR (no NAT: ECR Public has no VPC endpoint) and reads
 *   its configuration from the bucket (fluent-bit/backend.conf) through the S3 gateway endpoint. The document's
 *   "JSON形式への変換（必要に応じて）" is left to the application (ECS metadata is added to every record in S3).
 * - Aurora replica autoscaling ("リードレプリカの自動追加", no numbers in the document): readers between 1 (the fixed
 *   replica) and 2 in dev, 3 in prod, holding their average CPU at 70 %. Autoscaled readers have no per-instance
 *   alarms (docs/operations.md).
 * - Rolling updates with the ECS deployment circuit breaker (rollback to the previous task definition, as the
 *   document's ロールバック asks), 100/200 %.
 *
 * Not reproduced (future in the document, or not expressible in the blueprint schema yet):
 * - Amplify front end and its Route 53 record (future in the document).
 * - Step Functions and EventBridge (orchestration stack: future in the document). The document names no job, batch
 *   or schedule, so no worker or scheduledTasks entry is invented for it; the format offers both when it does.
 * - Athena/Glue over the S3 logs (optional in the document): the objects are there, no table is defined.
 */
export const fastapiAurora: BlueprintInput = {
  name: "fastapi-aurora",
  description: "FastAPI on ECS Fargate with Aurora PostgreSQL; VPC endpoints instead of NAT",
  environments: [
    {
      name: "dev",
      region: "ap-northeast-1",
      availabilityZones: ["ap-northeast-1a", "ap-northeast-1c"],
      overrides: {
        dns: { zoneName: "dev.example.com" },
        accountBaseline: { config: { recordingFrequency: "DAILY", retentionDays: 90 } },
      },
    },
    {
      name: "prod",
      region: "ap-northeast-1",
      availabilityZones: ["ap-northeast-1a", "ap-northeast-1c"],
      overrides: {
        network: { flowLogs: { enabled: true, trafficType: "ALL", retentionDays: 30 } },
        services: [{ name: "backend", logRetentionDays: 30 }],
        database: { instanceClass: "db.r6g.large", readerAutoscaling: { min: 1, max: 3, metric: "cpu", target: 70 } },
        monitoring: {
          topicName: "fastapi-aurora-prod-critical-alerts",
          warning: { topicName: "fastapi-aurora-prod-warning-alerts" },
          databaseConnections: { threshold: 1200 },
        },
      },
    },
  ],
  network: {
    cidr: "10.0.0.0/16",
    subnets: [
      { tier: "public", cidr: "10.0.0.0/24", az: "ap-northeast-1a" },
      { tier: "public", cidr: "10.0.1.0/24", az: "ap-northeast-1c" },
      { tier: "private", cidr: "10.0.10.0/24", az: "ap-northeast-1a" },
      { tier: "private", cidr: "10.0.11.0/24", az: "ap-northeast-1c" },
    ],
    natGateways: "none",
    vpcEndpoints: {
      interface: ["ecr.api", "ecr.dkr", "secretsmanager", "logs"],
      gateway: ["s3"],
    },
    flowLogs: { enabled: true, trafficType: "ALL", retentionDays: 7 },
  },
  cluster: { containerInsights: true },
  services: [
    {
      name: "backend",
      image: { repository: "fastapi-aurora-backend", keepImages: 10 },
      containerPort: 8000,
      cpu: 512,
      memory: 1024,
      desiredCount: 2,
      healthCheck: { path: "/health" },
      autoscaling: { minCapacity: 2, maxCapacity: 6, cpuTargetPercent: 70, memoryTargetPercent: 70 },
      databaseAccess: true,
      environment: {
        DB_HOST: { database: "address" },
        DB_READER_HOST: { database: "reader_address" },
        DB_PORT: { database: "port" },
        DB_NAME: { database: "name" },
      },
      secrets: {
        DB_USER: { fromDatabase: "username" },
        DB_PASSWORD: { fromDatabase: "password" },
      },
      logRetentionDays: 7,
      // Fluent Bit sidecar (CPU 50m, memory 128Mi in the document): error lines to CloudWatch, everything to S3.
      logRouter: { cpu: 51, memory: 128 },
    },
  ],
  loadBalancer: {
    scheme: "internet-facing",
    http: { port: 80, redirectToHttps: true },
    https: { port: 443, certificate: { source: "dns" } },
    accessLogs: { prefix: "alb", glacierAfterDays: 90, expireAfterDays: 365 },
    waf: {
      managedRuleGroups: [
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesAmazonIpReputationList",
      ],
    },
  },
  database: {
    kind: "aurora",
    engineVersion: "16",
    instanceClass: "db.t4g.medium",
    readerCount: 1,
    readerAutoscaling: { min: 1, max: 2, metric: "cpu", target: 70 },
    databaseName: "fastapi",
    backupRetentionDays: 7,
  },
  dns: {
    zoneName: "example.com",
    records: [{ name: "api" }],
  },
  monitoring: {
    topicName: "fastapi-aurora-dev-critical-alerts",
    emails: ["ops@example.com"],
    warning: { topicName: "fastapi-aurora-dev-warning-alerts", emails: ["ops@example.com"] },
    cpuUtilization: { threshold: 80, period: 300, evaluationPeriods: 2, tier: "warning" },
    memoryUtilization: { threshold: 80, period: 300, evaluationPeriods: 2, tier: "warning" },
    http5xx: { threshold: 10, period: 300, evaluationPeriods: 1, comparisonOperator: "GreaterThanOrEqualToThreshold" },
    errorLogs: { pattern: "?ERROR ?CRITICAL", tier: "warning" },
    databaseConnections: { threshold: 300 },
    databaseFreeStorage: { thresholdGiB: 2 },
    auroraVolumeUsed: { thresholdGiB: 100, tier: "warning" },
    dashboard: {},
  },
  accountBaseline: {
    guardDuty: { findingPublishingFrequency: "FIFTEEN_MINUTES" },
    config: { recordingFrequency: "CONTINUOUS", retentionDays: 365 },
  },
  ci: {
    github: { owner: "example-org", repository: "fastapi-aurora" },
    createOidcProvider: true,
  },
};
