import type { BlueprintInput } from "../schema/blueprint";

/**
 * markmail: MarkMail's Salesforce-integrated back end and its front end on ECS Fargate behind one ALB, with an Aurora
 * PostgreSQL database and the Salesforce credentials in Secrets Manager, in dev, staging and prod.
 * Source: the markmail deployment runbook of its CDK app (markmail.md, in Japanese), not a design document.
 *
 * From the document: ALB → ECS Fargate → RDS Aurora PostgreSQL, Secrets Manager, CloudWatch; environments dev,
 * staging and prod in ap-northeast-1 (dashboard URL); cluster markmail-<env>, service markmail-<env>-backend with log
 * group /ecs/markmail-<env>-backend and 1 task by default; the Salesforce secret markmail-<env>-salesforce-secret
 * with client_id, client_secret, redirect_url and use_sandbox; database markmail, user markmail, identifier
 * markmail-<env>; ALB health check /health every 30 s, timeout 5 s, 2 healthy, 3 unhealthy; path routing /api/* →
 * backend (priority 1) and /* → frontend (priority 2); alarm HighErrorRate on HTTPCode_Target_5XX_Count, threshold
 * 10, 2 evaluation periods, notifying NOTIFICATION_EMAIL (a CDK Alarm: it fires at 10, GreaterThanOrEqualToThreshold);
 * the CloudWatch dashboard MarkMail-<env> (ECS task CPU/memory, ALB request count, RDS connections, API response
 * time); a MonitoringStack after the ECS service stack; the image built from backend/Dockerfile into ECR; GitHub
 * engineers-hub-ltd-in-house-project/markmail; dev domain dev.markmail.engineers-hub.ltd (the OAuth callback is
 * https://dev.markmail.engineers-hub.ltd/api/crm/oauth/salesforce/callback, so the ALB serves HTTPS).
 *
 * Choices where the document is silent or unsafe (each written down here):
 * - Network: the runbook shows none. VPC 10.0.0.0/16 in 1a/1c, public 10.0.0.0/24 + 10.0.1.0/24, private
 *   10.0.10.0/24 + 10.0.11.0/24 (tasks), isolated 10.0.20.0/24 + 10.0.21.0/24 (Aurora, no route out). The back end
 *   calls the Salesforce API on the internet, so private subnets need NAT: one NAT gateway in dev and staging, one
 *   per AZ in prod.
 * - Domains: staging.markmail.engineers-hub.ltd and markmail.engineers-hub.ltd for staging and prod (only dev is
 *   named); each environment has its own public zone with an apex alias and a DNS-validated ACM certificate; HTTP 80
 *   redirects to HTTPS 443.
 * - Ports and sizes: back end 8080, front end 3000, 512 CPU / 1024 MiB and 256 / 512 MiB, 1 task each (2 in prod),
 *   scaling up to 4 (prod 10) on CPU 70%. The runbook gives none of these.
 * - Front end health check "/" (the runbook's /health check is the back end's target group).
 * - Database password: the runbook reads it from markmail-<env>-db-secret. Terraform never holds passwords, so RDS
 *   manages the master secret (named rds!cluster-...; ARN in the data stack's output) and the tasks get DB_USER and
 *   DB_PASSWORD from it by reference. Aurora engine 16.4, db.t4g.medium (prod db.r6g.large with one reader).
 * - Salesforce secret: the parameters stack creates markmail-<env>-salesforce-secret without a value (appSecrets),
 *   so Terraform owns its name and exact ARN; the runbook's `create-secret --secret-string` becomes `put-secret-value`
 *   after that stack is applied, and the value never enters state, plan or JSON. Tasks read its four keys by
 *   reference (SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET, SALESFORCE_REDIRECT_URL, SALESFORCE_USE_SANDBOX), and
 *   only the back end's execution role may read it.
 * - HighErrorRate: statistic Sum over 300 s (CDK's Average of a count is meaningless; 5 minutes is CDK's period),
 *   ≥ 10 as CDK's default comparison says (named markmail-<env>-alb-target-5xx). CPU and memory alarms at 80% (the
 *   dashboard's "ECS Task CPU/Memory") were added: the runbook asks for alarms on the important metrics. One alarm
 *   topic (critical tier); your-email@example.com stands for NOTIFICATION_EMAIL. Alarms, topic and dashboard live in
 *   the `monitoring` stack, applied after compute like the runbook's MonitoringStack.
 * - Dashboard MarkMail-<env> (the runbook's URL names MarkMail-dev): besides its four metrics, memory, 5XX, running
 *   tasks, Aurora CPU and free local storage, and the alarms' states.
 * - CI: GitHub Actions through an OIDC deploy role (the ci stack) replaces CodePipeline/CodeBuild; images are
 *   pushed with one immutable tag per build, as the buildspec's $IMAGE_TAG does. dev, staging and prod are taken to
 *   be separate accounts (each creates its OIDC provider). The deploy role trusts the main branch in dev and
 *   staging, and the GitHub environment production in prod.
 * - Account ids: the runbook names none, so the blueprint pins none (set environments[].accountId to make the
 *   provider refuse the wrong account).
 * - Log retention 30 days (application) and 90 days (flow logs): the runbook is silent; project defaults.
 * - Bastion (the runbook's `CREATE_BASTION=true ... MarkMail-dev-BastionStack`, found by the tag Name
 *   markmail-<env>-bastion and entered with `aws ssm start-session`): the `bastion` stack, on in dev as the runbook's
 *   example, off in staging and prod (set bastion.enabled in their overrides for a migration, then back). A t3.micro
 *   in a private subnet (it reaches Session Manager through the NAT gateway), Amazon Linux 2023 resolved from its
 *   public SSM parameter at launch, no key pair, no inbound rule, no public IP, IMDSv2 only, encrypted gp3 root
 *   volume, a role with AmazonSSMManagedInstanceCore only, and a rule admitting it to the database on 5432. The
 *   runbook's psql session runs on it (dnf install postgresql16) or through SSM port forwarding
 *   (docs/operations.md, docs/day-two.md).
 *
 * Not reproduced: secret rotation; the role name markmail-<env>-task-role with its inline policy
 * SecretsManagerAccess (roles are named by the modules, with the same scoped secret access); CodePipeline.
 */
const FRONTEND = "frontend";
/** markmail-<env>-salesforce-secret, the runbook's name. */
const SALESFORCE = "salesforce-secret";

export const markmail: BlueprintInput = {
  name: "markmail",
  description: "MarkMail (Salesforce integration): back end and front end on Fargate, Aurora PostgreSQL",
  environments: [
    {
      name: "dev",
      region: "ap-northeast-1",
      availabilityZones: ["ap-northeast-1a", "ap-northeast-1c"],
    },
    {
      name: "staging",
      region: "ap-northeast-1",
      availabilityZones: ["ap-northeast-1a", "ap-northeast-1c"],
      overrides: {
        services: [{ name: "backend", logGroupName: "/ecs/markmail-staging-backend" }],
        dns: { zoneName: "staging.markmail.engineers-hub.ltd" },
        monitoring: { dashboard: { name: "MarkMail-staging" } },
        bastion: { enabled: false },
      },
    },
    {
      name: "prod",
      region: "ap-northeast-1",
      availabilityZones: ["ap-northeast-1a", "ap-northeast-1c"],
      overrides: {
        network: { natGateways: "per-az" },
        services: [
          {
            name: "backend",
            desiredCount: 2,
            autoscaling: { minCapacity: 2, maxCapacity: 10 },
            logGroupName: "/ecs/markmail-prod-backend",
          },
          { name: FRONTEND, desiredCount: 2, autoscaling: { minCapacity: 2, maxCapacity: 10 } },
        ],
        database: { instanceClass: "db.r6g.large", readerCount: 1 },
        dns: { zoneName: "markmail.engineers-hub.ltd" },
        monitoring: { dashboard: { name: "MarkMail-prod" } },
        bastion: { enabled: false },
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
      { tier: "isolated", cidr: "10.0.20.0/24", az: "ap-northeast-1a" },
      { tier: "isolated", cidr: "10.0.21.0/24", az: "ap-northeast-1c" },
    ],
    natGateways: "single",
  },
  services: [
    {
      name: "backend",
      image: { repository: "markmail-backend" },
      containerPort: 8080,
      cpu: 512,
      memory: 1024,
      desiredCount: 1,
      healthCheck: { path: "/health", interval: 30, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3 },
      routing: { pathPatterns: ["/api/*"], priority: 1 },
      autoscaling: { minCapacity: 1, maxCapacity: 4, cpuTargetPercent: 70 },
      databaseAccess: true,
      environment: {
        DB_HOST: { database: "address" },
        DB_PORT: { database: "port" },
        DB_NAME: { database: "name" },
      },
      secrets: {
        DB_USER: { fromDatabase: "username" },
        DB_PASSWORD: { fromDatabase: "password" },
        SALESFORCE_CLIENT_ID: { appSecret: SALESFORCE, key: "client_id" },
        SALESFORCE_CLIENT_SECRET: { appSecret: SALESFORCE, key: "client_secret" },
        SALESFORCE_REDIRECT_URL: { appSecret: SALESFORCE, key: "redirect_url" },
        SALESFORCE_USE_SANDBOX: { appSecret: SALESFORCE, key: "use_sandbox" },
      },
      logGroupName: "/ecs/markmail-dev-backend",
      logRetentionDays: 30,
    },
    {
      name: FRONTEND,
      image: { repository: "markmail-frontend" },
      containerPort: 3000,
      cpu: 256,
      memory: 512,
      desiredCount: 1,
      healthCheck: { path: "/", interval: 30, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3 },
      routing: { pathPatterns: ["/*"], priority: 2 },
      autoscaling: { minCapacity: 1, maxCapacity: 4, cpuTargetPercent: 70 },
      logRetentionDays: 30,
    },
  ],
  appSecrets: [
    {
      name: SALESFORCE,
      description: "Salesforce connected app: JSON with client_id, client_secret, redirect_url, use_sandbox",
    },
  ],
  loadBalancer: {
    scheme: "internet-facing",
    http: { port: 80, redirectToHttps: true },
    https: { port: 443, certificate: { source: "dns" } },
  },
  database: {
    kind: "aurora",
    engineVersion: "16",
    instanceClass: "db.t4g.medium",
    readerCount: 0,
    databaseName: "markmail",
    masterUsername: "markmail",
    backupRetentionDays: 7,
  },
  dns: { zoneName: "dev.markmail.engineers-hub.ltd", records: [{ name: "" }] },
  // The runbook's CREATE_BASTION=true example is dev; staging and prod turn it on for a migration.
  bastion: { enabled: true },
  monitoring: {
    emails: ["your-email@example.com"],
    http5xx: {
      threshold: 10,
      period: 300,
      evaluationPeriods: 2,
      statistic: "Sum",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
    },
    cpuUtilization: { threshold: 80, period: 300, evaluationPeriods: 2 },
    memoryUtilization: { threshold: 80, period: 300, evaluationPeriods: 2 },
    dashboard: { name: "MarkMail-dev" },
  },
  ci: {
    github: { owner: "engineers-hub-ltd-in-house-project", repository: "markmail" },
    createOidcProvider: true,
  },
};
