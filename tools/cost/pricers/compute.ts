import { block, blocks, type ResourceRef } from "../stack-model";
import { HOURS_PER_MONTH, type Quantity } from "../types";
import { splitTasks, tasksAt, type EcsService } from "./ecs-model";
import { num, plural, plus, times, type ComponentSpec, type Pricer, type PricingContext } from "./types";

/**
 * ECS on Fargate. A service is charged for the vCPU and memory of its running tasks, per capacity provider
 * (FARGATE on-demand, FARGATE_SPOT) and per architecture (X86_64, ARM64) at that combination's own price; for
 * ephemeral storage above 20 GiB; and for a public IPv4 address per task when it assigns one. The cluster is free,
 * but Container Insights is charged as CloudWatch metrics and performance log events.
 */

const CAPACITY: Record<string, { prefix: string; label: string }> = {
  FARGATE: { prefix: "fargate", label: "on-demand" },
  FARGATE_SPOT: { prefix: "fargate-spot", label: "Spot" },
};

function fargateComponents(svc: EcsService, tasks: Quantity): ComponentSpec[] {
  const size = "unknown" in svc.size ? undefined : svc.size;
  const platform = size ? `${size.os}.${size.arch}` : "linux.x86_64";
  const platformLabel = size ? `${size.os === "linux" ? "Linux" : size.os}/${size.arch.toUpperCase()}` : "?";
  const vcpu: Quantity = size ? size.vcpu : (svc.size as { unknown: string });
  const memory: Quantity = size ? size.memoryGB : (svc.size as { unknown: string });
  const strategy = svc.capacity.strategy;
  const items = "unknown" in strategy ? [{ provider: "FARGATE", base: 0, weight: 1 }] : strategy;
  const shares =
    "unknown" in strategy ? undefined : typeof tasks === "number" ? splitTasks(tasks, strategy) : undefined;
  const out: ComponentSpec[] = [];
  for (const item of items.filter((i) => i.base > 0 || i.weight > 0)) {
    const share: Quantity =
      "unknown" in strategy ? strategy : typeof tasks === "number" ? shares!.get(item.provider)! : tasks;
    const split = items.length > 1 ? ` (${svc.capacity.source}: base ${item.base}, weight ${item.weight})` : "";
    const capacity = CAPACITY[item.provider];
    if (!capacity) {
      out.push({
        name: `Capacity provider ${item.provider}`,
        unit: "task-hours",
        quantity: { unknown: `capacity provider ${item.provider} runs on EC2 instances, which are not modeled` },
        priceKey: `ecs.capacity-provider.${item.provider}`,
        usageBased: false,
      });
      continue;
    }
    for (const [what, per, unit, key] of [
      ["vCPU", vcpu, "vCPU-hours", "vcpu-hour"],
      ["memory", memory, "GB-hours", "gb-hour"],
    ] as const) {
      out.push({
        name: `Fargate ${what} (${platformLabel}, ${capacity.label})`,
        unit,
        quantity: times(share, per, HOURS_PER_MONTH),
        priceKey: `${capacity.prefix}.${key}.${platform}`,
        usageBased: false,
        detail: `${plural(share, "task")} × ${num(per)} ${what === "vCPU" ? "vCPU" : "GB"} × ${HOURS_PER_MONTH} h${split}`,
      });
    }
  }
  return out;
}

const ecsService: Pricer = (resource, ctx) => {
  const svc = ctx.ecs.service(resource.address)!;
  const tasks = tasksAt(svc.counts, ctx.scenario);
  const components = fargateComponents(svc, tasks);
  if (!("unknown" in svc.size) && svc.size.extraEphemeralGB > 0)
    components.push({
      name: "Fargate ephemeral storage above 20 GiB",
      unit: "GB-hours",
      quantity: times(tasks, svc.size.extraEphemeralGB, HOURS_PER_MONTH),
      priceKey: "fargate.ephemeral-storage.gb-hour",
      usageBased: false,
      detail: `${plural(tasks, "task")} × ${svc.size.extraEphemeralGB} GB × ${HOURS_PER_MONTH} h`,
    });
  if (block(resource.body.network_configuration)?.assign_public_ip === true)
    components.push({
      name: "Public IPv4 addresses (one per task)",
      unit: "IPv4-hours",
      quantity: times(tasks, HOURS_PER_MONTH),
      priceKey: "public-ipv4.hour",
      usageBased: false,
      detail: `${plural(tasks, "task")} × ${HOURS_PER_MONTH} h`,
    });
  return { components, tasks: svc.counts };
};

/**
 * Container Insights (the "enabled" level) publishes CloudWatch metrics per cluster, per service and per task
 * definition family, and performance log events per task. Metric counts for Fargate, from the Container Insights
 * ECS metrics list (AWS/ECS/ContainerInsights namespace): per cluster CpuUtilized, CpuReserved, MemoryUtilized,
 * MemoryReserved, NetworkRxBytes, NetworkTxBytes, StorageReadBytes, StorageWriteBytes, EphemeralStorageReserved,
 * EphemeralStorageUtilized, TaskCount, ServiceCount (12); per service the same ten resource metrics plus
 * DeploymentCount, DesiredTaskCount, PendingTaskCount, RunningTaskCount, TaskSetCount (15); per task definition
 * family the ten plus RunningTaskCount (11). A metric costs only in hours it has data, so this is a ceiling.
 */
export const CONTAINER_INSIGHTS_METRICS = { cluster: 12, service: 15, taskFamily: 11 } as const;

function containerInsights(resource: ResourceRef): string {
  const setting = blocks(resource.body.setting).find((s) => s.name === "containerInsights");
  return typeof setting?.value === "string" ? setting.value : "disabled";
}

const ecsCluster: Pricer = (resource, ctx: PricingContext) => {
  const level = containerInsights(resource);
  if (level === "disabled") return { free: "a cluster costs nothing; Container Insights is off" };
  if (level !== "enabled")
    return {
      components: [
        {
          name: `Container Insights (${level})`,
          unit: "observations",
          quantity: { unknown: `Container Insights "${level}" is charged per observation, which is not modeled` },
          priceKey: `cloudwatch.container-insights.${level}`,
          usageBased: true,
        },
      ],
    };
  const services = ctx.ecs.services.filter((s) => s.cluster === resource.address);
  const families = new Set(services.map((s) => s.taskFamily ?? s.resource.address)).size;
  const m = CONTAINER_INSIGHTS_METRICS;
  const metrics = m.cluster + m.service * services.length + m.taskFamily * families;
  const tasks = plus(...services.map((s) => tasksAt(s.counts, ctx.scenario)));
  const perTask = ctx.usage.get("containerInsights.logGBPerTaskMonth");
  return {
    components: [
      {
        name: "Container Insights metrics",
        unit: "metrics",
        quantity: metrics,
        priceKey: "cloudwatch.metric",
        usageBased: false,
        detail: `${m.cluster} cluster + ${m.service} × ${plural(services.length, "service")} + ${m.taskFamily} × ${plural(families, "task family", "task families")}`,
      },
      {
        name: "Container Insights performance events ingested",
        unit: "GB",
        quantity: times(tasks, perTask),
        priceKey: "logs.ingest.gb",
        usageBased: true,
        detail: `${plural(tasks, "task")} × ${num(perTask)} GB (kept one day by default: storage not priced)`,
      },
    ],
  };
};

/**
 * Target tracking creates two CloudWatch alarms per policy (one to scale out, one to scale in), billed like any
 * other alarm.
 */
const scalingPolicy: Pricer = (resource) => {
  if (resource.body.policy_type !== "TargetTrackingScaling")
    return { free: "step scaling is triggered by alarms priced as aws_cloudwatch_metric_alarm" };
  return {
    components: [
      {
        name: "Target tracking alarms (scale out and in)",
        unit: "alarm-metrics",
        quantity: 2,
        priceKey: "cloudwatch.alarm.standard",
        usageBased: false,
        detail: "AWS creates two alarms per target tracking policy",
      },
    ],
  };
};

export const COMPUTE_PRICERS: Record<string, Pricer> = {
  aws_ecs_service: ecsService,
  aws_ecs_cluster: ecsCluster,
  aws_appautoscaling_policy: scalingPolicy,
};
