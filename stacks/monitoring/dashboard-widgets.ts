import type { Deployment } from "../../schema/resolve";
import type { DashboardMetric, DashboardWidget } from "../../modules/dashboard";
import { errorLogNamespace, errorLogServices, type MetricRefs } from "./alarm-catalog";

/**
 * The environment's dashboard, section by section: ECS (CPU, memory, running tasks with Container Insights), the load
 * balancer (requests, 5XX, response time), the database (connections, CPU, free storage per instance), the services'
 * error-log counts and the state of every alarm. Sections the blueprint has nothing for are left out.
 */
export function dashboardWidgets(d: Deployment, refs: MetricRefs, alarmArns: readonly string[]): DashboardWidget[] {
  const services = d.spec.services.map((s) => s.name);
  const ecs = (metric: string, namespace = "AWS/ECS"): DashboardMetric[] =>
    services.map((s) => [namespace, metric, "ClusterName", refs.clusterName, "ServiceName", refs.serviceName(s)]);
  const widgets: DashboardWidget[] = [
    { kind: "graph", title: "ECS CPU utilization (%)", metrics: ecs("CPUUtilization") },
    { kind: "graph", title: "ECS memory utilization (%)", metrics: ecs("MemoryUtilization") },
  ];
  if (d.spec.cluster.containerInsights) {
    widgets.push({
      kind: "graph",
      title: "ECS running tasks",
      stat: "Maximum",
      metrics: ecs("RunningTaskCount", "ECS/ContainerInsights"),
    });
  }
  if (d.spec.loadBalancer) {
    const alb = (metric: string, options?: Record<string, string>): DashboardMetric => [
      "AWS/ApplicationELB",
      metric,
      "LoadBalancer",
      refs.loadBalancerArnSuffix,
      ...(options ? [options] : []),
    ];
    widgets.push(
      { kind: "graph", title: "Load balancer requests", stat: "Sum", metrics: [alb("RequestCount")] },
      {
        kind: "graph",
        title: "5XX responses",
        stat: "Sum",
        metrics: [alb("HTTPCode_Target_5XX_Count"), alb("HTTPCode_ELB_5XX_Count")],
      },
      {
        kind: "graph",
        title: "Target response time (s)",
        metrics: [
          alb("TargetResponseTime", { label: "average" }),
          alb("TargetResponseTime", { stat: "p95", label: "p95" }),
        ],
      },
    );
  }
  const db = d.spec.database;
  if (db) {
    const ids =
      db.kind === "aurora"
        ? Array.from({ length: db.readerCount + 1 }, (_, i) => refs.databaseInstanceIdentifier(i))
        : [refs.databaseIdentifier];
    const rds = (metric: string): DashboardMetric[] => ids.map((id) => ["AWS/RDS", metric, "DBInstanceIdentifier", id]);
    widgets.push(
      { kind: "graph", title: "Database connections", stat: "Maximum", metrics: rds("DatabaseConnections") },
      { kind: "graph", title: "Database CPU utilization (%)", metrics: rds("CPUUtilization") },
      {
        kind: "graph",
        title: db.kind === "aurora" ? "Database free local storage (bytes)" : "Database free storage (bytes)",
        stat: "Minimum",
        metrics: rds(db.kind === "aurora" ? "FreeLocalStorage" : "FreeStorageSpace"),
      },
    );
  }
  const logged = errorLogServices(d);
  if (logged.length > 0) {
    widgets.push({
      kind: "graph",
      title: "Error log events",
      stat: "Sum",
      metrics: logged.map((s) => [errorLogNamespace(d), `${s}-error-logs`]),
    });
  }
  widgets.push({ kind: "alarms", title: "Alarms", alarmArns });
  return widgets;
}
