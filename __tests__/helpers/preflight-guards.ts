import type { BlueprintIssue } from "../../schema/errors";
import { crossDeploymentIssues, preflightIssues } from "../../schema/preflight";
import type { Deployment } from "../../schema/resolve";

/**
 * Preflight rules that no blueprint can break today, because the schema refuses the input first (kebab-case names,
 * length limits) or because names are derived with the deployment's prefix: they guard derived names against a
 * later change of the schema or the derivation. Each guard breaks the rule on resolved deployments of the corpus
 * base (bypassing the schema) and must be caught.
 */
export interface Guard {
  readonly breakIt: (deployments: Deployment[]) => void;
  readonly findings: (deployments: readonly Deployment[]) => BlueprintIssue[];
}

const one: Guard["findings"] = (ds) => preflightIssues(ds[0]);
const across: Guard["findings"] = (ds) => crossDeploymentIssues(ds).map((x) => x.issue);

/** Both deployments in one named account, the second with the first's prefix (as two blueprints could have). */
function samePrefixInOneAccount(ds: Deployment[]): void {
  ds[0] = { ...ds[0], accountName: "shared" };
  ds[1] = { ...ds[1], accountName: "shared", prefix: ds[0].prefix };
}

/**
 * The first deployment in an account of this name (the account key its baseline names derive from) asking for a
 * Config recorder and a budget.
 */
function baselineInAccount(name: string): (ds: Deployment[]) => void {
  return (ds) => {
    const accountBaseline = {
      config: { recordingFrequency: "CONTINUOUS" as const, retentionDays: 365 },
      budget: {
        monthlyLimitUsd: 100,
        thresholds: [{ percent: 80, basis: "actual" as const }],
        emails: ["a@b.example"],
      },
    };
    ds[0] = { ...ds[0], accountName: name, spec: { ...ds[0].spec, accountBaseline } };
  };
}

const WAF = {
  managedRuleGroups: ["AWSManagedRulesCommonRuleSet"],
};

/** A nightly scheduled task of the deployment's first service, as the schema fills it in. */
function nightly(d: Deployment): Deployment["spec"]["scheduledTasks"][number] {
  return {
    name: "nightly",
    service: d.spec.services[0].name,
    expression: "cron(0 3 * * ? *)",
    timezone: "UTC",
    enabled: true,
    retry: { maximumAttempts: 3, maximumEventAgeSeconds: 3600 },
  };
}

export const GUARDED_RULES: Record<string, Guard> = {
  "iam-role-name": { breakIt: (ds) => (ds[0].spec.ci!.roleName = "r".repeat(65)), findings: one },
  // The alias derives from the deployment's prefix, which the schema keeps far below 256 characters.
  "kms-alias-name": {
    breakIt: (ds) => {
      ds[0] = { ...ds[0], prefix: "s".repeat(250) };
      ds[0].spec.monitoring!.topicEncryption = "customer-managed";
    },
    findings: one,
  },
  "sns-topic-name": { breakIt: (ds) => (ds[0].spec.monitoring!.topicName = "shop.alarms"), findings: one },
  "ecs-cluster-name": { breakIt: (ds) => (ds[0].spec.cluster.name = "shop cluster"), findings: one },
  "ecs-service-name": { breakIt: (ds) => (ds[0].spec.services[0].serviceName = "web.service"), findings: one },
  "task-family-name": { breakIt: (ds) => (ds[0].spec.services[0].family = "f".repeat(256)), findings: one },
  "target-group-name": { breakIt: (ds) => (ds[0].spec.services[0].name = "web_1"), findings: one },
  "codedeploy-application-name": {
    breakIt: (ds) => {
      ds[0].spec.loadBalancer!.testListener = { port: 9000 };
      ds[0].spec.loadBalancer!.http!.redirectToHttps = true;
      ds[0].spec.services[0].blueGreen = {
        applicationName: "a".repeat(101),
        deploymentConfig: "CodeDeployDefault.ECSAllAtOnce",
        terminationWaitMinutes: 5,
        rollbackOnAlarm: true,
      };
    },
    findings: one,
  },
  "waf-web-acl-name": {
    breakIt: (ds) => {
      ds[0] = { ...ds[0], prefix: "shop.dev" };
      ds[0].spec.loadBalancer!.waf = WAF;
    },
    findings: one,
  },
  "secret-name": {
    breakIt: (ds) => {
      ds[0] = { ...ds[0], prefix: "shop dev" };
      ds[0].spec.appSecrets = [{ name: "key", description: "a key" }];
    },
    findings: one,
  },
  "alb-target-groups-quota": {
    breakIt: (ds) => {
      const api = ds[0].spec.services[1];
      ds[0].spec.services.push(
        ...Array.from({ length: 100 }, (_, i) => ({ ...api, name: `s${i}`, routing: { pathPatterns: [`/s${i}`] } })),
      );
    },
    findings: one,
  },
  "unique-waf-web-acl": {
    breakIt: (ds) => {
      samePrefixInOneAccount(ds);
      ds.forEach((d) => (d.spec.loadBalancer!.waf = WAF));
    },
    findings: across,
  },
  "unique-secret": {
    breakIt: (ds) => {
      samePrefixInOneAccount(ds);
      ds.forEach((d) => (d.spec.appSecrets = [{ name: "key", description: "a key" }]));
    },
    findings: across,
  },
  "schedule-name": {
    breakIt: (ds) => {
      ds[0] = { ...ds[0], prefix: "shop dev" };
      ds[0].spec.scheduledTasks = [nightly(ds[0])];
    },
    findings: one,
  },
  "unique-schedule": {
    breakIt: (ds) => {
      samePrefixInOneAccount(ds);
      ds.forEach((d) => (d.spec.scheduledTasks = [nightly(d)]));
    },
    findings: across,
  },
  "unique-ssm-parameter": {
    breakIt: (ds) => {
      samePrefixInOneAccount(ds);
      ds.forEach((d) => (d.spec.ssmParameters = [{ name: "key", description: "a key", readers: [] }]));
    },
    findings: across,
  },
  // Account names are kebab-case in the schema and baseline names fit by derivation: only a bypass breaks them.
  "config-bucket-prefix-name": { breakIt: baselineInAccount("Shop_Accounts"), findings: across },
  "config-role-name": { breakIt: baselineInAccount("shop accounts"), findings: across },
  "config-recorder-name": { breakIt: baselineInAccount("shop\u00e9"), findings: across },
  "config-delivery-channel-name": { breakIt: baselineInAccount("shop\u00e9"), findings: across },
  "budget-name": { breakIt: baselineInAccount("shop:accounts"), findings: across },
};
