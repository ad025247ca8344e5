import type { Spec } from "./blueprint";

type Report = (path: string, value: unknown, message: string) => void;

/** The secret through which a service injects the database's master password, if it does: [variable, reference]. */
export function masterPasswordSecret(svc: Spec["services"][number]): [string, unknown] | undefined {
  return Object.entries(svc.secrets).find(([, ref]) => "fromDatabase" in ref && ref.fromDatabase === "password");
}

/**
 * The services that inject the database's master password: ECS reads it once, when a task starts, so they are
 * restarted after each rotation (the compute stack's RestartOnRotation). None without a database.
 */
export function servicesRestartedOnRotation(spec: Spec): Spec["services"] {
  if (!spec.database) return [];
  return spec.services.filter((svc) => masterPasswordSecret(svc) !== undefined);
}

/**
 * Cross-field rules of running a blueprint after its first apply: Spot needs its capacity provider, IAM database
 * authentication needs to be on for the values that rely on it, and a service that injects the rotating master
 * password must be one that can be restarted after a rotation.
 */
export function checkOperations(spec: Spec, report: Report): void {
  const providers = spec.cluster.capacityProviders ?? ["FARGATE", "FARGATE_SPOT"];
  const db = spec.database;
  spec.services.forEach((svc, i) => {
    const path = `services[${i}]`;
    if (svc.spot && svc.cpuArchitecture === "ARM64") {
      report(
        `${path}.spot`,
        svc.spot,
        "asks for Fargate Spot, which runs X86_64 tasks only, for an ARM64 service. Fix: remove spot or set cpuArchitecture X86_64",
      );
    }
    if (svc.spot && svc.blueGreen) {
      report(
        `${path}.spot`,
        svc.spot,
        "is not carried into blue/green releases: CodeDeploy starts each replacement task set from the AppSpec the release script writes, which names no capacity provider strategy. Fix: remove spot (or blueGreen)",
      );
    }
    if (svc.spot && !providers.includes("FARGATE_SPOT")) {
      report(
        `${path}.spot`,
        svc.spot,
        "needs the FARGATE_SPOT capacity provider, which cluster.capacityProviders leaves out. Fix: add FARGATE_SPOT or remove spot",
      );
    }
    for (const [name, value] of Object.entries(svc.environment)) {
      if (typeof value === "string" || !["user", "url"].includes(value.database) || !db || db.iamAuthentication) {
        continue;
      }
      report(
        `${path}.environment.${name}`,
        value,
        "connects with IAM authentication, which database.iamAuthentication turns off. Fix: set it true or inject a password",
      );
    }
    const password = masterPasswordSecret(svc);
    if (password && svc.blueGreen) {
      report(
        `${path}.secrets.${password[0]}`,
        password[1],
        'injects the master password, which RDS rotates; services that inject it are restarted after each rotation, and a blue/green service cannot be (UpdateService is CodeDeploy\'s). Fix: connect as database.applicationUser with IAM authentication (environment { database: "user" })',
      );
    }
    if (svc.databaseAccess && db && db.applicationUser === db.masterUsername.toLowerCase()) {
      report(
        "database.applicationUser",
        db.applicationUser,
        "is the master user. Fix: choose another role for the applications (the master secret is for administration)",
      );
    }
  });
}
