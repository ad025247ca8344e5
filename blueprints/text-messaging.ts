import type { BlueprintInput } from "../schema/blueprint";

/**
 * text-messaging: a Go HTTP API (messages in PostgreSQL) on ECS Fargate, deployed blue/green by CodeDeploy from
 * GitHub Actions. Source: the text-messaging design document (text-messaging.md, in Japanese).
 *
 * From the document: VPC 10.0.0.0/16 in ap-northeast-1a/1c with three tiers — public 10.0.0.0/24 + 10.0.1.0/24 (ALB,
 * NAT), private 10.0.2.0/24 + 10.0.3.0/24 (tasks), isolated 10.0.4.0/24 + 10.0.5.0/24 (RDS, no route out); security
 * groups ALB ← internet, tasks 8080 ← ALB, PostgreSQL 5432 ← tasks; task 256 CPU / 512 MiB, container
 * text-messaging-app on 8080 with a container health check on /health every 30 s; DATABASE_URL (see below);
 * RDS PostgreSQL 16.4 db.t3.micro, 20 GB gp3 with storage autoscaling, encrypted, single-AZ in dev; ALB production
 * listener 80 and test listener 8080, blue and green target groups (HTTP 8080, /health, 30 s, 2 healthy, 3
 * unhealthy); CodeDeploy blue/green with automatic rollback and the old tasks terminated after the switch; autoscaling
 * 1-4 tasks on CPU 70% and memory 70%, scale-out cooldown 60 s, scale-in 300 s; ECR text-messaging-app-<env> with scan
 * on push; GitHub Actions through OIDC (audience sts.amazonaws.com, subject repo:<owner>/<repo>:*). Names from the
 * operations guide: cluster and service text-messaging-dev, log group /ecs/text-messaging-dev, CodeDeploy application
 * text-messaging-dev with deployment group text-messaging-dev-dg. prod follows the "production recommended" column:
 * a NAT gateway per AZ, Multi-AZ database on db.t3.small, up to 10 tasks.
 *
 * Choices where the document is vague or unsafe (each written down here):
 * - DATABASE_URL: the document composes it with the password, which RDS rotates (a URL holding it would go stale at
 *   each rotation) and Terraform never holds. It is postgresql://app_user@<db_address>:5432/text_messaging?sslmode=
 *   require instead, a plain value with no password (environment { database: "url" }): the application connects as
 *   database.applicationUser through IAM database authentication, a token from generate-db-auth-token as the
 *   password (docs/day-two.md has the one-time SQL that creates the user).
 * - The document opens 80 and 443 on the ALB but has no certificate ("TLS: future"). Only listener ports are opened:
 *   80 from the internet, and the test listener 8080 from the VPC only (test traffic never comes from outside).
 *   Plain HTTP is the document's choice and is recorded as a policy suppression; add loadBalancer.https when a
 *   certificate exists.
 * - CodeDeploy: all-at-once traffic shift, the old tasks kept 5 minutes after the switch for a fast manual rollback,
 *   rollback on deployment failure and on the 5XX alarm below (the document names no alarms; this one exists so that
 *   a bad release that passes its health check is still rolled back).
 * - Storage autoscaling ceiling 100 GB (the document gives none).
 * - The initial task definition runs the tag `latest`, pushed once by the first deploy (operations guide, step 4);
 *   tags are immutable (ECR.2), so CI pushes one tag per commit and registers it through CodeDeploy.
 * - GitHub: the document writes <OWNER>/<REPO>; example-org/text-messaging stands for it, replace it with the real one.
 *   dev and prod are taken to live in separate AWS accounts (each creates its own OIDC provider); in one shared
 *   account set ci.createOidcProvider: false and accountId on one of them. The document's subject
 *   repo:<OWNER>/<REPO>:* would let any branch and any pull request push images and deploy production: the dev
 *   deploy role trusts the main branch only, the prod one the jobs of the GitHub environment production (give it
 *   required reviewers).
 * - Flow logs on (90 days) and application logs kept 30 days: the document is silent, these are the project defaults.
 */
export const textMessaging: BlueprintInput = {
  name: "text-messaging",
  description: "Text messaging API (Go) with PostgreSQL, deployed blue/green by CodeDeploy",
  environments: [
    { name: "dev", region: "ap-northeast-1", availabilityZones: ["ap-northeast-1a", "ap-northeast-1c"] },
    {
      name: "prod",
      region: "ap-northeast-1",
      availabilityZones: ["ap-northeast-1a", "ap-northeast-1c"],
      overrides: {
        network: { natGateways: "per-az" },
        services: [
          {
            name: "app",
            serviceName: "text-messaging-prod",
            image: { repository: "text-messaging-app-prod" },
            logGroupName: "/ecs/text-messaging-prod",
            autoscaling: { maxCapacity: 10 },
            blueGreen: { applicationName: "text-messaging-prod", deploymentGroupName: "text-messaging-prod-dg" },
          },
        ],
        database: { instanceClass: "db.t3.small", multiAz: true },
      },
    },
  ],
  network: {
    cidr: "10.0.0.0/16",
    subnets: [
      { tier: "public", cidr: "10.0.0.0/24", az: "ap-northeast-1a" },
      { tier: "public", cidr: "10.0.1.0/24", az: "ap-northeast-1c" },
      { tier: "private", cidr: "10.0.2.0/24", az: "ap-northeast-1a" },
      { tier: "private", cidr: "10.0.3.0/24", az: "ap-northeast-1c" },
      { tier: "isolated", cidr: "10.0.4.0/24", az: "ap-northeast-1a" },
      { tier: "isolated", cidr: "10.0.5.0/24", az: "ap-northeast-1c" },
    ],
    natGateways: "single",
  },
  services: [
    {
      name: "app",
      serviceName: "text-messaging-dev",
      containerName: "text-messaging-app",
      image: { repository: "text-messaging-app-dev", tag: "latest" },
      containerPort: 8080,
      cpu: 256,
      memory: 512,
      desiredCount: 1,
      healthCheck: { path: "/health", interval: 30, healthyThreshold: 2, unhealthyThreshold: 3 },
      containerHealthCheck: {
        command: ["CMD-SHELL", "wget -q --spider http://localhost:8080/health || exit 1"],
        interval: 30,
      },
      autoscaling: {
        minCapacity: 1,
        maxCapacity: 4,
        cpuTargetPercent: 70,
        memoryTargetPercent: 70,
        scaleOutCooldown: 60,
        scaleInCooldown: 300,
      },
      databaseAccess: true,
      environment: { PORT: "8080", DATABASE_URL: { database: "url" } },
      logGroupName: "/ecs/text-messaging-dev",
      logRetentionDays: 30,
      blueGreen: {
        applicationName: "text-messaging-dev",
        deploymentGroupName: "text-messaging-dev-dg",
        deploymentConfig: "CodeDeployDefault.ECSAllAtOnce",
        terminationWaitMinutes: 5,
      },
    },
  ],
  loadBalancer: {
    scheme: "internet-facing",
    http: { port: 80 },
    testListener: { port: 8080 },
  },
  database: {
    kind: "instance",
    engineVersion: "16",
    instanceClass: "db.t3.micro",
    databaseName: "text_messaging",
    allocatedStorage: 20,
    maxAllocatedStorage: 100,
    storageType: "gp3",
    multiAz: false,
  },
  monitoring: {
    http5xx: { threshold: 10, period: 60, evaluationPeriods: 1 },
  },
  ci: {
    github: { owner: "example-org", repository: "text-messaging" },
    createOidcProvider: true,
  },
  suppressions: [
    {
      rule: "alb-https-redirect",
      reason:
        "The design document serves plain HTTP on 80 (no certificate yet, TLS listed as future work); the blue/green test listener on 8080 is reachable from the VPC only",
      resources: ["aws_lb_listener.alb_http", "aws_lb_listener.alb_test"],
    },
  ],
};
