import type { Service, Spec } from "./blueprint";
import { laterDuplicates } from "./duplicates";
import { scheduleExpressionProblem, timezoneProblem } from "./schedule-expressions";

type Report = (path: string, value: unknown, message: string) => void;

/** Whether a service takes traffic from the load balancer (web), rather than none at all (worker). */
export const isWeb = (svc: Pick<Service, "kind">): boolean => svc.kind === "web";

const TO_WEB = 'or make the service kind: "web"';

/**
 * Cross-field rules of services without a load balancer: a worker takes no traffic, so nothing of the load
 * balancer's (port, routing, target group health check, blue/green, request-count scaling) may be set on it, and
 * a web service needs the port the load balancer reaches.
 */
export function checkWorkers(spec: Spec, report: Report): void {
  spec.services.forEach((svc, i) => {
    const path = `services[${i}]`;
    if (isWeb(svc)) {
      if (svc.containerPort === undefined) {
        report(
          `${path}.containerPort`,
          undefined,
          'is missing; a web service takes traffic on it. Fix: set the port the container listens on, or kind: "worker" for a service that takes none',
        );
      }
      return;
    }
    if (svc.containerPort !== undefined) {
      report(
        `${path}.containerPort`,
        svc.containerPort,
        `is set on a worker, which no load balancer reaches (its security group admits nothing). Fix: remove containerPort, ${TO_WEB}`,
      );
    }
    if (svc.routing) {
      report(
        `${path}.routing`,
        svc.routing,
        `routes load balancer traffic to a worker. Fix: remove routing, ${TO_WEB}`,
      );
    }
    if (svc.healthCheck) {
      report(
        `${path}.healthCheck`,
        svc.healthCheck,
        `is a target group health check, and a worker has no target group. Fix: remove it (containerHealthCheck checks a worker's container), ${TO_WEB}`,
      );
    }
    if (svc.blueGreen) {
      report(
        `${path}.blueGreen`,
        "(set)",
        `switches load balancer traffic, which a worker does not take. Fix: remove blueGreen (a worker rolls out with ECS rolling updates), ${TO_WEB}`,
      );
    }
    if (svc.autoscaling?.requestsPerTarget !== undefined) {
      report(
        `${path}.autoscaling.requestsPerTarget`,
        svc.autoscaling.requestsPerTarget,
        "counts load balancer requests, which a worker never gets. Fix: scale on cpuTargetPercent or memoryTargetPercent",
      );
    }
  });
  if (spec.loadBalancer && !spec.services.some(isWeb)) {
    report(
      "loadBalancer",
      "(set)",
      'serves no web service: every service is a worker. Fix: remove loadBalancer, or add a service of kind "web"',
    );
  }
}

/**
 * Cross-field rules of scheduled tasks: unique names, a service that exists and may run without a public IP, and an
 * expression and time zone EventBridge Scheduler accepts. A blue/green service may be scheduled: RunTask takes the
 * family's latest active revision, which is the last successful release whichever controller rolled it out.
 */
export function checkScheduledTasks(spec: Spec, report: Report): void {
  const names = spec.scheduledTasks.map((t) => t.name);
  for (const i of laterDuplicates(names)) {
    report(
      `scheduledTasks[${i}].name`,
      names[i],
      "duplicates another scheduled task. Fix: give each scheduled task a unique name",
    );
  }
  spec.scheduledTasks.forEach((task, i) => {
    const path = `scheduledTasks[${i}]`;
    const svc = spec.services.find((s) => s.name === task.service);
    if (!svc) {
      report(
        `${path}.service`,
        task.service,
        `names no service. Fix: use one of ${spec.services.map((s) => s.name).join(", ")}`,
      );
    } else if (svc.assignPublicIp) {
      report(
        `${path}.service`,
        task.service,
        "runs with a public IP (assignPublicIp), which scheduled tasks never get, so in that service's subnets they could not pull their image. Fix: schedule a service in private subnets",
      );
    }
    const expression = scheduleExpressionProblem(task.expression);
    if (expression) report(`${path}.expression`, task.expression, expression);
    const zone = timezoneProblem(task.timezone);
    if (zone) report(`${path}.timezone`, task.timezone, zone);
  });
}
