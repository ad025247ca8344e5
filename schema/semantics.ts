import { cidrContains, cidrsOverlap, parseCidr } from "./cidr";
import type { BlueprintIssue } from "./errors";
import type { Spec } from "./blueprint";
import type { SubnetSelector } from "./primitives";
import { defaultDatabaseSubnets, selectSubnets, subnetLabel } from "./subnets";
import { POLICY_RULE_IDS } from "./policy-rule-ids";
import { checkClientSecurityGroups, checkSsmParameters } from "./access-rules";
import { laterDuplicates } from "./duplicates";
import { checkOperations } from "./operations-rules";
import { checkOptionalStacks } from "./optional-stacks-rules";
import { hasWildcard } from "./ci-trust";
import { checkLogRoutersAndReaders } from "./log-router-rules";
import { checkScheduledTasks, checkWorkers, isWeb } from "./workers-rules";

/** The environment facts that cross-field rules need. */
export interface EnvironmentFacts {
  readonly name: string;
  readonly region: string;
  readonly availabilityZones: readonly string[];
  readonly accountId?: string;
}

type Check = (spec: Spec, env: EnvironmentFacts, report: Report) => void;
type Report = (path: string, value: unknown, message: string) => void;

/**
 * Cross-field rules, one function per concern, run after the schema has filled in defaults. Each finding names the
 * field, the value and the fix, like the schema's own messages.
 */
const CHECKS: readonly Check[] = [
  checkAvailabilityZones,
  checkSubnets,
  checkNat,
  checkServices,
  checkRouting,
  (spec, _env, report) => checkWorkers(spec, report),
  (spec, _env, report) => checkScheduledTasks(spec, report),
  checkLoadBalancer,
  checkDatabase,
  checkDns,
  checkBlueGreen,
  checkCi,
  (spec, _env, report) => checkClientSecurityGroups(spec, report),
  (spec, _env, report) => checkSsmParameters(spec, report),
  checkAppSecrets,
  (spec, _env, report) => checkOperations(spec, report),
  checkSuppressions,
  (spec, _env, report) => checkOptionalStacks(spec, report),
  (spec, _env, report) => checkLogRoutersAndReaders(spec, report),
];

export function semanticIssues(spec: Spec, env: EnvironmentFacts): BlueprintIssue[] {
  const issues: BlueprintIssue[] = [];
  const report: Report = (path, value, message) => issues.push({ path, value, message });
  for (const check of CHECKS) check(spec, env, report);
  return issues;
}

function checkAvailabilityZones(_spec: Spec, env: EnvironmentFacts, report: Report) {
  env.availabilityZones.forEach((az, i) => {
    if (!new RegExp(`^${env.region}[a-z]$`).test(az)) {
      report(
        `environments.${env.name}.availabilityZones[${i}]`,
        az,
        `is not an availability zone of ${env.region}. Fix: use ${env.region}a, ${env.region}c, ...`,
      );
    }
  });
}

function checkSubnets(spec: Spec, env: EnvironmentFacts, report: Report) {
  const vpc = parseCidr(spec.network.cidr)!;
  const seen: { cidr: string; index: number }[] = [];
  spec.network.subnets.forEach((subnet, i) => {
    const path = `network.subnets[${i}]`;
    if (!env.availabilityZones.includes(subnet.az)) {
      report(
        `${path}.az`,
        subnet.az,
        `is not one of environment ${env.name}'s availabilityZones (${env.availabilityZones.join(", ")}). Fix: use one of them or add it to the environment`,
      );
    }
    const cidr = parseCidr(subnet.cidr)!;
    if (!cidrContains(vpc, cidr)) {
      report(
        `${path}.cidr`,
        subnet.cidr,
        `is outside the VPC CIDR ${spec.network.cidr}. Fix: choose a block inside it`,
      );
    }
    for (const other of seen) {
      if (cidrsOverlap(parseCidr(other.cidr)!, cidr)) {
        report(
          `${path}.cidr`,
          subnet.cidr,
          `overlaps network.subnets[${other.index}] (${other.cidr}). Fix: give each subnet its own block`,
        );
      }
    }
    seen.push({ cidr: subnet.cidr, index: i });
  });
  const names = spec.network.subnets.map(subnetLabel);
  for (const i of laterDuplicates(names)) {
    report(
      `network.subnets[${i}].name`,
      names[i],
      "duplicates another subnet's name. Fix: give the subnet a unique name",
    );
  }
}

function checkNat(spec: Spec, _env: EnvironmentFacts, report: Report) {
  const { subnets, natGateways } = spec.network;
  const publicAzs = new Set(subnets.filter((s) => s.tier === "public").map((s) => s.az));
  if (natGateways !== "none" && publicAzs.size === 0) {
    report(
      "network.natGateways",
      natGateways,
      "needs a public subnet to live in. Fix: add a public subnet or use none",
    );
  }
  if (natGateways === "per-az") {
    for (const s of subnets.filter((s) => s.tier === "private")) {
      if (!publicAzs.has(s.az)) {
        report(
          "network.natGateways",
          natGateways,
          `has no public subnet in ${s.az} for private subnet ${s.cidr}. Fix: add a public subnet in ${s.az} or use single`,
        );
      }
    }
  }
  const sel = spec.network.vpcEndpoints.subnets;
  if (sel) checkSelector(spec, sel, "network.vpcEndpoints.subnets", 1, report);
}

const SECRET_LOOKING_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIAL)/i;

function checkServices(spec: Spec, env: EnvironmentFacts, report: Report) {
  const seenNames = new Map<string, number>();
  spec.services.forEach((svc, i) => {
    const path = `services[${i}]`;
    if (seenNames.has(svc.name)) {
      report(
        `${path}.name`,
        svc.name,
        `duplicates services[${seenNames.get(svc.name)}]. Fix: give each service a unique name`,
      );
    }
    seenNames.set(svc.name, i);
    checkSelector(spec, svc.subnets, `${path}.subnets`, 1, report);
    if (!svc.readOnlyRootFilesystem && !svc.readOnlyRootFilesystemOptOutReason) {
      report(
        `${path}.readOnlyRootFilesystem`,
        false,
        "is turned off without a reason. Fix: keep it true (use writablePaths) or set readOnlyRootFilesystemOptOutReason",
      );
    }
    if (svc.autoscaling) {
      const a = svc.autoscaling;
      if (a.minCapacity > a.maxCapacity) {
        report(`${path}.autoscaling.minCapacity`, a.minCapacity, `exceeds maxCapacity ${a.maxCapacity}. Fix: lower it`);
      }
      if (
        a.cpuTargetPercent === undefined &&
        a.memoryTargetPercent === undefined &&
        a.requestsPerTarget === undefined
      ) {
        report(
          `${path}.autoscaling`,
          a,
          "has no target. Fix: set cpuTargetPercent, memoryTargetPercent or requestsPerTarget",
        );
      }
      if (a.requestsPerTarget !== undefined && !spec.loadBalancer && isWeb(svc)) {
        report(
          `${path}.autoscaling.requestsPerTarget`,
          a.requestsPerTarget,
          "needs a load balancer. Fix: remove it or add loadBalancer",
        );
      }
      if (a.minCapacity <= a.maxCapacity && (svc.desiredCount < a.minCapacity || svc.desiredCount > a.maxCapacity)) {
        report(
          `${path}.desiredCount`,
          svc.desiredCount,
          `is outside autoscaling ${a.minCapacity}-${a.maxCapacity}. Fix: choose a count within the range`,
        );
      }
    }
    for (const [name, value] of Object.entries(svc.environment)) {
      if (typeof value !== "string") {
        if (!spec.database) {
          report(
            `${path}.environment.${name}`,
            value,
            "refers to the database, but the blueprint has none. Fix: add database",
          );
        }
        continue;
      }
      if (SECRET_LOOKING_NAME.test(name)) {
        report(
          `${path}.environment.${name}`,
          value.length > 0 ? "(redacted)" : value,
          "looks like a secret in plain text. Fix: move it to secrets as a Secrets Manager or SSM reference",
        );
      }
      if (name in svc.secrets) {
        report(`${path}.environment.${name}`, value, "is also set in secrets. Fix: keep one of the two");
      }
    }
    for (const [name, ref] of Object.entries(svc.secrets)) {
      if ("secretsManager" in ref && ref.key && !env.accountId) {
        report(
          `${path}.secrets.${name}.key`,
          ref.key,
          `needs the secret's full ARN, so environment ${env.name} needs accountId. Fix: set environments[].accountId or drop key`,
        );
      }
      if ("fromDatabase" in ref && !spec.database) {
        report(
          `${path}.secrets.${name}`,
          ref,
          "refers to the database, but the blueprint has none. Fix: add database or remove it",
        );
      } else if ("appSecret" in ref && !spec.appSecrets.some((a) => a.name === ref.appSecret)) {
        report(
          `${path}.secrets.${name}.appSecret`,
          ref.appSecret,
          `names no appSecrets entry. Fix: declare it in appSecrets or use one of ${spec.appSecrets.map((a) => a.name).join(", ") || "(none declared)"}`,
        );
      }
    }
    if (svc.databaseAccess && !spec.database) {
      report(
        `${path}.databaseAccess`,
        true,
        "is set, but the blueprint has no database. Fix: add database or set false",
      );
    }
    if (svc.assignPublicIp && !svc.subnets.tier.startsWith("public")) {
      report(`${path}.assignPublicIp`, true, "gives a public IP in a non-public subnet. Fix: set false");
    }
  });
  // Default ECS names derive from the (already unique) short names; only explicit ones can collide.
  const serviceNames = spec.services.map((s) => s.serviceName);
  for (const i of laterDuplicates(serviceNames)) {
    report(`services[${i}].serviceName`, serviceNames[i], "duplicates another service's ECS name. Fix: make it unique");
  }
}

function checkRouting(spec: Spec, _env: EnvironmentFacts, report: Report) {
  if (!spec.loadBalancer) {
    spec.services.forEach((svc, i) => {
      if (svc.routing) {
        report(`services[${i}].routing`, svc.routing, "needs a load balancer. Fix: add loadBalancer or remove routing");
      }
    });
    return;
  }
  // Workers take no traffic: only web services compete for the listener's default action.
  const defaults = spec.services.map((s, i) => ({ s, i })).filter(({ s }) => isWeb(s) && !s.routing);
  if (defaults.length > 1) {
    report(
      `services[${defaults[1].i}].routing`,
      undefined,
      `is missing, and services[${defaults[0].i}] already takes the listener's default action. Fix: give all but one service routing.pathPatterns or hostHeaders`,
    );
  }
  const seen = new Map<string, number>();
  const priorities = new Map<number, number>();
  spec.services.forEach((svc, i) => {
    const r = svc.routing;
    if (!r) return;
    if (!r.pathPatterns && !r.hostHeaders) {
      report(`services[${i}].routing`, r, "matches nothing. Fix: set pathPatterns or hostHeaders");
    }
    const hosts = (r.hostHeaders ?? ["*"]).join(",");
    for (const pattern of r.pathPatterns ?? ["*"]) {
      const key = `${hosts} ${pattern}`;
      if (seen.has(key)) {
        report(
          `services[${i}].routing.pathPatterns`,
          pattern,
          `conflicts with services[${seen.get(key)}], which routes the same path. Fix: route each path to one service`,
        );
      }
      seen.set(key, i);
    }
    if (r.priority !== undefined) {
      if (priorities.has(r.priority)) {
        report(
          `services[${i}].routing.priority`,
          r.priority,
          `is also used by services[${priorities.get(r.priority)}]. Fix: give each rule its own priority`,
        );
      }
      priorities.set(r.priority, i);
    }
  });
}

function checkLoadBalancer(spec: Spec, _env: EnvironmentFacts, report: Report) {
  const lb = spec.loadBalancer;
  if (!lb) return;
  const selector = lb.subnets ?? { tier: lb.scheme === "internal" ? "private" : "public" };
  checkSelector(spec, selector, "loadBalancer.subnets", 2, report);
  if (lb.scheme === "internet-facing" && selector.tier !== "public") {
    report("loadBalancer.subnets.tier", selector.tier, "cannot host an internet-facing load balancer. Fix: use public");
  }
  if (lb.http?.redirectToHttps && !lb.https) {
    report(
      "loadBalancer.http.redirectToHttps",
      true,
      "has no HTTPS listener to redirect to. Fix: add loadBalancer.https or set false",
    );
  }
  if (!lb.http && !lb.https) {
    report("loadBalancer", lb, "has no listener. Fix: add http or https");
  }
  if (lb.http && lb.https && lb.http.port === lb.https.port) {
    report("loadBalancer.https.port", lb.https.port, "is also the HTTP port. Fix: use different ports");
  }
  if (lb.https?.certificate.source === "dns" && (!spec.dns || spec.dns.private)) {
    report(
      "loadBalancer.https.certificate.source",
      "dns",
      "needs a public dns zone to validate the certificate. Fix: add a public dns section or use source 'variable'",
    );
  }
  if (lb.https?.certificate.source === "dns" && spec.dns && spec.dns.records.length === 0) {
    report("dns.records", [], "is empty, so the certificate would name no host. Fix: add a record");
  }
}

function checkDatabase(spec: Spec, _env: EnvironmentFacts, report: Report) {
  const db = spec.database;
  if (!db) return;
  const selector = db.subnets ?? defaultDatabaseSubnets(spec);
  if (selector.tier === "public") {
    report("database.subnets.tier", "public", "would put the database in public subnets. Fix: use isolated or private");
  }
  checkSelector(spec, selector, "database.subnets", 2, report);
  if (db.kind === "aurora" && db.multiAz) {
    report("database.multiAz", true, "does not apply to Aurora. Fix: use readerCount for a standby in another AZ");
  }
  if (!spec.services.some((s) => s.databaseAccess)) {
    report(
      "database",
      "(set)",
      "is reachable by no service. Fix: set databaseAccess: true on the services that use it",
    );
  }
}

function checkBlueGreen(spec: Spec, _env: EnvironmentFacts, report: Report) {
  const lb = spec.loadBalancer;
  const blueGreen = spec.services.map((s, i) => ({ s, i })).filter(({ s }) => s.blueGreen);
  for (const { s, i } of blueGreen) {
    const path = `services[${i}].blueGreen`;
    if (!lb?.testListener) {
      report(path, "(set)", "needs a test listener for the green tasks. Fix: add loadBalancer.testListener");
    }
    if (s.routing) {
      // CodeDeploy swaps the listeners' default target group; a path rule would keep pointing at blue.
      report(
        `services[${i}].routing`,
        s.routing,
        "cannot be combined with blueGreen, which switches the listener's default action. Fix: remove routing or blueGreen",
      );
    }
  }
  if (lb?.testListener) {
    if (blueGreen.length === 0) {
      report(
        "loadBalancer.testListener",
        lb.testListener,
        "serves no blue/green service. Fix: remove it or set blueGreen on a service",
      );
    }
    const port = lb.testListener.port;
    if (port === lb.http?.port || port === lb.https?.port) {
      report("loadBalancer.testListener.port", port, "is also a production listener port. Fix: use another port");
    }
  }
}

function checkCi(spec: Spec, env: EnvironmentFacts, report: Report) {
  const gh = spec.ci?.github;
  if (gh?.subject && hasWildcard(gh.subject) && !gh.subjectReason) {
    report(
      "ci.github.subject",
      gh.subject,
      "has a wildcard: every matching branch or pull request of the repository could push images and deploy. Fix: name the branch (branch) or GitHub environment (environment), or give subjectReason",
    );
  }
  if (spec.ci && !spec.ci.createOidcProvider && !env.accountId) {
    report(
      "ci.createOidcProvider",
      false,
      `trusts the account's existing provider, whose ARN needs environment ${env.name}'s accountId. Fix: set environments[].accountId or createOidcProvider: true`,
    );
  }
}

function checkAppSecrets(spec: Spec, _env: EnvironmentFacts, report: Report) {
  const names = spec.appSecrets.map((a) => a.name);
  for (const i of laterDuplicates(names)) {
    report(`appSecrets[${i}].name`, names[i], "duplicates another secret. Fix: give each secret a unique name");
  }
}

function checkSuppressions(spec: Spec, _env: EnvironmentFacts, report: Report) {
  spec.suppressions.forEach((s, i) => {
    if (!POLICY_RULE_IDS.has(s.rule)) {
      report(
        `suppressions[${i}].rule`,
        s.rule,
        `is not a policy rule. Fix: use one of ${[...POLICY_RULE_IDS].slice(0, 6).join(", ")}, ... (docs/policy-checks.md)`,
      );
    }
  });
}

function checkDns(spec: Spec, _env: EnvironmentFacts, report: Report) {
  const dns = spec.dns;
  if (!dns) return;
  if (dns.records.length > 0 && !spec.loadBalancer) {
    report(
      "dns.records",
      dns.records,
      "point at the load balancer, but there is none. Fix: add loadBalancer or remove the records",
    );
  }
  if (spec.loadBalancer?.scheme === "internal" && !dns.private && dns.records.length > 0) {
    report(
      "dns.private",
      false,
      "publishes an internal load balancer in a public zone. Fix: set private: true, or make the load balancer internet-facing",
    );
  }
  if (spec.loadBalancer?.scheme === "internet-facing" && dns.private && dns.records.length > 0) {
    report("dns.private", true, "hides an internet-facing load balancer in a private zone. Fix: set private: false");
  }
}

function checkSelector(spec: Spec, selector: SubnetSelector, path: string, minAzs: number, report: Report) {
  const chosen = selectSubnets(spec.network.subnets, selector);
  if (chosen.length === 0) {
    report(path, selector, "selects no subnet. Fix: declare subnets of that tier (and AZs) or change the selector");
    return;
  }
  const azs = new Set(chosen.map((s) => s.az));
  if (azs.size < minAzs) {
    report(
      path,
      selector,
      `selects subnets in ${azs.size} AZ, AWS needs ${minAzs}. Fix: add a subnet of that tier in another AZ`,
    );
  }
}
