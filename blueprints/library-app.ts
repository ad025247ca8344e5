import type { BlueprintInput } from "../schema/blueprint";

/**
 * library-app: Laravel API + Nuxt front end (static, served by nginx) + PostgreSQL on ECS Fargate.
 * Source: the library-app design document (library-app.md, in Japanese).
 *
 * From the document: VPC 10.0.0.0/16 over two AZs with public and private subnets, internet gateway and NAT for the
 * private subnets; ALB 80/443 with HTTP→HTTPS redirect and an ACM certificate; /api/* → backend, /* → frontend;
 * ECR repositories for both with lifecycle policies and scan on push; ECS tasks only from the ALB; RDS PostgreSQL
 * Multi-AZ on t3.micro with automated backups and a tuned parameter group, 5432 from ECS only; Route 53 alias and
 * health check; alarms on CPU/memory, 5XX and response time; log retention; non-root containers; secrets in
 * Secrets Manager; encryption at rest and in transit.
 *
 * Choices where the document is silent (each a careful default, change freely):
 * - Region ap-northeast-1 (the team's other documents are all Tokyo), AZs 1a/1c; one environment, prod.
 * - Subnets: public 10.0.0.0/24, 10.0.1.0/24; private 10.0.10.0/24, 10.0.11.0/24. The database shares the private
 *   tier (the document has no third tier); its security group admits only the backend.
 * - One NAT gateway per AZ: the database is Multi-AZ, so the egress path should survive an AZ loss too.
 * - Ports: backend 8000 (Laravel behind an unprivileged web server), frontend 8080 (nginx-unprivileged).
 * - Sizes: backend 512 CPU / 1024 MiB, frontend 256 / 512; two tasks each, scaling on CPU 70% up to 6 and 4.
 * - Health checks: /api/health (backend), /health (frontend).
 * - Domain: library-app.example.com, a public zone created here (delegate it from the registrar); certificate
 *   validated through it. Replace the name with the real domain.
 * - Alarm thresholds (not given): CPU and memory > 80% for 2×5 min; > 10 target 5XX in 5 min; response time > 1 s.
 *   The document's log-based alert (ログベースのアラート): a metric filter on the backend's log group counting
 *   Laravel's (Monolog's) ERROR, CRITICAL, ALERT and EMERGENCY lines, alarming on the first in 5 min (nginx in the
 *   front end logs its own format and is left out). The database gets alarms too (the document's alarms name no
 *   resource): connections above 60 (db.t3.micro's default max_connections is about 80) and free storage under
 *   1 GiB (storage autoscaling adds space below 10% free, 2 GiB at the initial 20 GiB, so this fires only when it
 *   could not). One topic, library-app-prod-alarms, in the `monitoring` stack; no subscriber is named (subscribe
 *   on-call out of band or set monitoring.emails).
 * - Logs kept 30 days; flow logs 90 days. Laravel's APP_KEY comes from the Secrets Manager secret
 *   library-app/prod/app-key, written out of band.
 * - CloudFront (the document's optional [ALB] → [CloudFront] → [Users], with caching, edge locations and WAF): on,
 *   in the `edge` stack after compute; remove cloudFront to serve from the ALB directly. library-app.example.com
 *   points at the distribution; /api/* passes through uncached with everything the viewer sent (managed policies
 *   CachingDisabled and AllViewer, HTTPS only) and everything else — the static Nuxt front end — is cached with
 *   CachingOptimized (the front end should send Cache-Control: no-cache for index.html). PriceClass_200 (Japan and
 *   Asia included, South America and Oceania left out). A CLOUDFRONT-scope web ACL in us-east-1 with the same three
 *   AWS managed rule groups as the other blueprints (the document names none). Viewers get TLS 1.2+ (SNI); access
 *   logs (v2) go to /aws/cloudfront/library-app-prod in us-east-1 for 90 days. The certificate is issued in us-east-1
 *   and validated by the dns stack's records (the same CNAME in every region).
 * - The ALB admits only CloudFront: its HTTPS listener takes the managed prefix list
 *   com.amazonaws.global.cloudfront.origin-facing (pl-58a04531 in ap-northeast-1; the id is a blueprint value, as a
 *   lookup would need AWS at plan time), port 80 nobody. No secret origin header: an ALB rule cannot say "header
 *   missing", so the check would have to be part of every routing rule, and the value would sit in the state of two
 *   stacks and in the distribution's configuration; the residual risk — another CloudFront distribution aimed at this
 *   ALB — is written down in docs/operations.md.
 * - No Route 53 health check: its alarm could live in us-east-1 only, and the ALB's target health and the 5XX alarm
 *   watch the same thing here.
 * - Budget alerts (リスクと対策, コスト超過: 予算アラートの設定) in the account baseline (the stack
 *   account-baseline-library-app-prod; an account has one): a monthly cost budget of $450 for the whole account
 *   (the document gives no amount: the estimate is about $300 a month at the desired task counts and $420 at the
 *   autoscaling maxima, docs/cost.md), alerting ops@example.com (stands for the real address) at 80 % of actual
 *   spend and at 100 % of the forecast. AWS Config (フェーズ 7, セキュリティ監査: AWS Config 導入) records every
 *   supported resource type continuously, 365 days of history, in the same baseline. AWS Security Hub (same phase)
 *   is not built.
 */
export const libraryApp: BlueprintInput = {
  name: "library-app",
  description: "Library management system: Laravel API, Nuxt front end, PostgreSQL",
  environments: [{ name: "prod", region: "ap-northeast-1", availabilityZones: ["ap-northeast-1a", "ap-northeast-1c"] }],
  network: {
    cidr: "10.0.0.0/16",
    subnets: [
      { tier: "public", cidr: "10.0.0.0/24", az: "ap-northeast-1a" },
      { tier: "public", cidr: "10.0.1.0/24", az: "ap-northeast-1c" },
      { tier: "private", cidr: "10.0.10.0/24", az: "ap-northeast-1a" },
      { tier: "private", cidr: "10.0.11.0/24", az: "ap-northeast-1c" },
    ],
    natGateways: "per-az",
    flowLogs: { enabled: true, trafficType: "ALL", retentionDays: 90 },
  },
  services: [
    {
      name: "backend",
      image: { repository: "library-app-backend" },
      containerPort: 8000,
      cpu: 512,
      memory: 1024,
      desiredCount: 2,
      healthCheck: { path: "/api/health", gracePeriodSeconds: 90 },
      routing: { pathPatterns: ["/api/*"] },
      autoscaling: { minCapacity: 2, maxCapacity: 6, cpuTargetPercent: 70 },
      databaseAccess: true,
      environment: {
        APP_ENV: "production",
        LOG_CHANNEL: "stderr",
        DB_CONNECTION: "pgsql",
        DB_HOST: { database: "address" },
        DB_PORT: { database: "port" },
        DB_DATABASE: { database: "name" },
        DB_SSLMODE: "require",
      },
      secrets: {
        DB_USERNAME: { fromDatabase: "username" },
        DB_PASSWORD: { fromDatabase: "password" },
        APP_KEY: { secretsManager: "library-app/prod/app-key" },
      },
      // Laravel writes compiled views, sessions and caches here; the rest of the image stays read-only.
      writablePaths: ["/tmp", "/var/www/html/storage", "/var/www/html/bootstrap/cache"],
      logRetentionDays: 30,
    },
    {
      name: "frontend",
      image: { repository: "library-app-frontend" },
      containerPort: 8080,
      cpu: 256,
      memory: 512,
      desiredCount: 2,
      healthCheck: { path: "/health" },
      routing: { pathPatterns: ["/*"] },
      autoscaling: { minCapacity: 2, maxCapacity: 4, cpuTargetPercent: 70 },
      environment: { NUXT_PUBLIC_API_BASE: "/api" },
      // nginx-unprivileged keeps its pid and temp files here.
      writablePaths: ["/tmp", "/var/cache/nginx"],
      logRetentionDays: 30,
    },
  ],
  loadBalancer: {
    scheme: "internet-facing",
    http: { port: 80, redirectToHttps: true },
    https: { port: 443, certificate: { source: "dns" } },
  },
  database: {
    kind: "instance",
    engineVersion: "16",
    instanceClass: "db.t3.micro",
    databaseName: "library",
    allocatedStorage: 20,
    maxAllocatedStorage: 100,
    multiAz: true,
    backupRetentionDays: 7,
    parameters: {
      log_min_duration_statement: "500",
      idle_in_transaction_session_timeout: "60000",
      statement_timeout: "30000",
    },
  },
  dns: {
    zoneName: "library-app.example.com",
    records: [{ name: "" }],
  },
  cloudFront: {
    uncachedPaths: ["/api/*"],
    defaultBehavior: "cached",
    priceClass: "PriceClass_200",
    // com.amazonaws.global.cloudfront.origin-facing in ap-northeast-1.
    originFacingPrefixListId: "pl-58a04531",
    waf: {
      managedRuleGroups: [
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesAmazonIpReputationList",
      ],
    },
  },
  accountBaseline: {
    budget: {
      monthlyLimitUsd: 450,
      thresholds: [
        { percent: 80, basis: "actual" },
        { percent: 100, basis: "forecasted" },
      ],
      emails: ["ops@example.com"],
    },
    config: { recordingFrequency: "CONTINUOUS", retentionDays: 365 },
  },
  monitoring: {
    cpuUtilization: { threshold: 80, period: 300, evaluationPeriods: 2 },
    memoryUtilization: { threshold: 80, period: 300, evaluationPeriods: 2 },
    http5xx: { threshold: 10, period: 300, evaluationPeriods: 1 },
    targetResponseTime: { threshold: 1, period: 300, evaluationPeriods: 2 },
    errorLogs: { pattern: "?ERROR ?CRITICAL ?ALERT ?EMERGENCY", services: ["backend"] },
    databaseConnections: { threshold: 60 },
    databaseFreeStorage: { thresholdGiB: 1 },
  },
};
