import type { Spec } from "./blueprint";
import { logRouterPrefix, readerAutoscalingMin } from "./log-router-defaults";

type Report = (path: string, value: unknown, message: string) => void;

/** Share of the task's CPU and memory the log router may take at most; the rest is the application's. */
const ROUTER_SHARE = 0.5;

/**
 * Cross-field rules of the FireLens log routers and of Aurora reader autoscaling: a router fits in its task, can
 * reach its image (S3 is reached like ECR's image layers: egress-image-pull), and writes under a prefix of its own; autoscaling has an Aurora cluster with a reader to
 * scale and bounds that can add one.
 */
export function checkLogRoutersAndReaders(spec: Spec, report: Report): void {
  checkLogRouters(spec, report);
  checkReaderAutoscaling(spec, report);
}

function checkLogRouters(spec: Spec, report: Report): void {
  const prefixes = new Map<string, number>();
  spec.services.forEach((svc, i) => {
    const router = svc.logRouter;
    if (!router) return;
    const path = `services[${i}].logRouter`;
    if (router.cpu > svc.cpu * ROUTER_SHARE) {
      report(
        `${path}.cpu`,
        router.cpu,
        `leaves the application less than half of the task's ${svc.cpu} CPU units (the router is part of services[${i}].cpu). Fix: use at most ${Math.floor(svc.cpu * ROUTER_SHARE)} or raise services[${i}].cpu`,
      );
    }
    if (router.memory > svc.memory * ROUTER_SHARE) {
      report(
        `${path}.memory`,
        router.memory,
        `leaves the application less than half of the task's ${svc.memory} MiB (the router is part of services[${i}].memory). Fix: use at most ${Math.floor(svc.memory * ROUTER_SHARE)} or raise services[${i}].memory`,
      );
    }
    const reachesInternet = spec.network.natGateways !== "none" || svc.assignPublicIp;
    if (router.image?.startsWith("public.ecr.aws/") && !reachesInternet) {
      report(
        `${path}.image`,
        router.image,
        "is on public.ecr.aws, which the tasks cannot reach without NAT (ECR Public has no VPC endpoint). Fix: leave image unset (AWS's copy in the region's ECR, reached through the ecr.api/ecr.dkr endpoints)",
      );
    }
    const prefix = logRouterPrefix(svc);
    const alb = spec.loadBalancer?.accessLogs?.prefix;
    const within = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
    const other = [...prefixes].find(([p]) => within(prefix, p));
    const clash = other
      ? `services[${other[1]}]'s logs`
      : [alb, "fluent-bit"].some((p) => p !== undefined && within(prefix, p))
        ? "the load balancer's access logs or the routers' configuration"
        : undefined;
    if (clash) {
      report(
        `${path}.s3.prefix`,
        prefix,
        `overlaps ${clash} in the logs bucket. Fix: use a prefix of its own, e.g. app/${svc.name}`,
      );
    }
    prefixes.set(prefix, i);
  });
}

function checkReaderAutoscaling(spec: Spec, report: Report): void {
  const db = spec.database;
  const scaling = db?.readerAutoscaling;
  if (!db || !scaling) return;
  const path = "database.readerAutoscaling";
  if (db.kind !== "aurora") {
    report(path, "(set)", "scales Aurora readers; an RDS instance has none. Fix: remove it or use kind: aurora");
    return;
  }
  if (db.readerCount < 1) {
    report(
      "database.readerCount",
      db.readerCount,
      "must be at least 1 with readerAutoscaling: Aurora scales readers only in a cluster that has one. Fix: set readerCount: 1",
    );
  }
  const min = readerAutoscalingMin(db);
  if (min < db.readerCount) {
    report(
      `${path}.min`,
      min,
      `is below readerCount (${db.readerCount}): autoscaling never removes the readers Terraform keeps. Fix: use at least ${db.readerCount}`,
    );
  }
  if (scaling.max < min) report(`${path}.max`, scaling.max, `is below min (${min}). Fix: use at least ${min}`);
  else if (scaling.max <= db.readerCount) {
    report(
      `${path}.max`,
      scaling.max,
      `would never add a reader beside the ${db.readerCount} of readerCount. Fix: use more than ${db.readerCount}`,
    );
  }
  if (scaling.metric === "connections" && scaling.target === undefined) {
    report(
      `${path}.target`,
      "(unset)",
      "has no default for connections. Fix: give the average connections per reader to hold, under the class's max_connections",
    );
  }
  if (scaling.metric === "cpu" && scaling.target !== undefined && scaling.target > 100) {
    report(`${path}.target`, scaling.target, "is a CPU percentage above 100. Fix: use e.g. 70");
  }
}
