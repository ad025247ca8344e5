import type { TerraformJson } from "../../terraform/cdktf-out";
import { parseStructuredValue } from "../../terraform/jsonencode";
import { block, blocks, literalNumber, type ResourceRef, type StackModel } from "../stack-model";
import type { Quantity } from "../types";

/**
 * What the ECS cost models need to know about a stack's services: how many tasks each runs (desired_count, and the
 * autoscaling target's min and max), on which capacity (the service's capacity provider strategy, its launch type,
 * or else the cluster's default strategy), at which size and architecture (the task definition), and which log
 * groups its containers write to.
 */

export type Scenario = "min" | "desired" | "max";

export interface TaskCounts {
  readonly min: Quantity;
  readonly desired: Quantity;
  readonly max: Quantity;
  /** Where min and max come from, e.g. the autoscaling target's address. */
  readonly autoscaling?: string;
}

export interface StrategyItem {
  /** FARGATE, FARGATE_SPOT, or another capacity provider's name. */
  readonly provider: string;
  readonly base: number;
  readonly weight: number;
}

export interface Capacity {
  readonly strategy: readonly StrategyItem[] | { readonly unknown: string };
  /** Where the strategy comes from: "launch_type FARGATE", "the service's capacity_provider_strategy", ... */
  readonly source: string;
}

export interface TaskSize {
  readonly vcpu: Quantity;
  readonly memoryGB: Quantity;
  /** "linux" or the Windows family name in lower case. */
  readonly os: string;
  /** "x86_64" or "arm64" (runtime_platform.cpu_architecture; Fargate's default is X86_64). */
  readonly arch: string;
  /** Ephemeral storage above the 20 GiB every Fargate task gets. */
  readonly extraEphemeralGB: number;
}

export interface EcsService {
  readonly resource: ResourceRef;
  readonly counts: TaskCounts;
  readonly capacity: Capacity;
  readonly size: TaskSize | { readonly unknown: string };
  /** Addresses of the aws_cloudwatch_log_group resources its containers' awslogs drivers write to. */
  readonly logGroups: ReadonlySet<string>;
  /** Address of the aws_ecs_cluster it runs in, when that cluster is in the same stack. */
  readonly cluster?: string;
  readonly taskFamily?: string;
}

export interface EcsIndex {
  readonly services: readonly EcsService[];
  service(address: string): EcsService | undefined;
}

export function tasksAt(counts: TaskCounts, scenario: Scenario): Quantity {
  return counts[scenario];
}

function taskCounts(service: ResourceRef, stack: StackModel): TaskCounts {
  const desired = literalNumber(service.body.desired_count, "desired_count") ?? 0; // Terraform's default is 0
  const target = stack.byType("aws_appautoscaling_target").find((t) => {
    const id = t.body.resource_id;
    if (typeof id !== "string" || t.body.scalable_dimension !== "ecs:service:DesiredCount") return false;
    if (stack.referenced("aws_ecs_service", id) === service) return true;
    return typeof service.body.name === "string" && id.endsWith(`/${service.body.name}`);
  });
  if (!target) return { min: desired, desired, max: desired };
  return {
    min: literalNumber(target.body.min_capacity, "min_capacity") ?? desired,
    desired,
    max: literalNumber(target.body.max_capacity, "max_capacity") ?? desired,
    autoscaling: target.address,
  };
}

function strategyOf(items: TerraformJson[]): readonly StrategyItem[] | { unknown: string } {
  const out: StrategyItem[] = [];
  for (const item of items) {
    const base = literalNumber(item.base, "capacity provider base") ?? 0;
    const weight = literalNumber(item.weight, "capacity provider weight") ?? 0;
    if (typeof base !== "number") return base;
    if (typeof weight !== "number") return weight;
    if (typeof item.capacity_provider !== "string" || item.capacity_provider.includes("${"))
      return { unknown: `capacity_provider is ${JSON.stringify(item.capacity_provider)}, known only after apply` };
    out.push({ provider: item.capacity_provider, base, weight });
  }
  return out;
}

function capacityOf(service: ResourceRef, stack: StackModel, cluster: ResourceRef | undefined): Capacity {
  const own = blocks(service.body.capacity_provider_strategy);
  if (own.length > 0) return { strategy: strategyOf(own), source: "the service's capacity_provider_strategy" };
  const launchType = service.body.launch_type;
  if (typeof launchType === "string")
    return launchType === "FARGATE"
      ? { strategy: [{ provider: "FARGATE", base: 0, weight: 1 }], source: "launch_type FARGATE" }
      : { strategy: { unknown: `launch_type ${launchType} is not Fargate: EC2 capacity is not modeled` }, source: "" };
  const providers = cluster
    ? stack
        .byType("aws_ecs_cluster_capacity_providers")
        .find((p) => stack.referenced("aws_ecs_cluster", p.body.cluster_name) === cluster)
    : undefined;
  const defaults = blocks(providers?.body.default_capacity_provider_strategy);
  if (defaults.length > 0) return { strategy: strategyOf(defaults), source: "the cluster's default strategy" };
  return {
    strategy: { unknown: "no launch type or capacity provider strategy: ECS would use the EC2 launch type" },
    source: "",
  };
}

/** Tasks each capacity provider runs out of `tasks`: the bases first, the rest in proportion to the weights. */
export function splitTasks(tasks: number, strategy: readonly StrategyItem[]): Map<string, number> {
  const out = new Map<string, number>(strategy.map((s) => [s.provider, 0]));
  let left = tasks;
  for (const s of strategy) {
    const base = Math.min(s.base, left);
    out.set(s.provider, base);
    left -= base;
  }
  const weights = strategy.reduce((sum, s) => sum + s.weight, 0);
  if (left > 0 && weights > 0)
    for (const s of strategy) out.set(s.provider, out.get(s.provider)! + (left * s.weight) / weights);
  return out;
}

function sizeOf(taskDefinition: ResourceRef | undefined): TaskSize | { unknown: string } {
  if (!taskDefinition) return { unknown: "task_definition does not name a task definition in this stack" };
  const td = taskDefinition.body;
  const cpu = literalNumber(td.cpu, "task cpu") ?? { unknown: "the task definition sets no task-level cpu" };
  const memory = literalNumber(td.memory, "task memory") ?? {
    unknown: "the task definition sets no task-level memory",
  };
  const platform = block(td.runtime_platform) ?? {};
  const ephemeral = literalNumber(block(td.ephemeral_storage)?.size_in_gib, "ephemeral storage") ?? 20;
  return {
    vcpu: typeof cpu === "number" ? cpu / 1024 : cpu,
    memoryGB: typeof memory === "number" ? memory / 1024 : memory,
    os: String(platform.operating_system_family ?? "LINUX").toLowerCase(),
    arch: String(platform.cpu_architecture ?? "X86_64").toLowerCase(),
    extraEphemeralGB: typeof ephemeral === "number" ? Math.max(0, ephemeral - 20) : 0,
  };
}

function logGroupsOf(taskDefinition: ResourceRef | undefined, stack: StackModel): Set<string> {
  const out = new Set<string>();
  const raw = taskDefinition?.body.container_definitions;
  if (typeof raw !== "string") return out;
  const containers = parseStructuredValue(raw);
  for (const c of Array.isArray(containers) ? (containers as TerraformJson[]) : []) {
    // A FireLens router's awslogs group holds the router's own few lines, not the application's output.
    if (c.firelensConfiguration !== undefined) continue;
    const group = c.logConfiguration?.options?.["awslogs-group"];
    const ref =
      stack.referenced("aws_cloudwatch_log_group", group) ??
      stack.byType("aws_cloudwatch_log_group").find((g) => typeof group === "string" && g.body.name === group);
    if (ref) out.add(ref.address);
  }
  return out;
}

export function ecsIndex(stack: StackModel): EcsIndex {
  const services = stack.byType("aws_ecs_service").map((resource): EcsService => {
    const cluster = stack.referenced("aws_ecs_cluster", resource.body.cluster);
    const taskDefinition = stack.referenced("aws_ecs_task_definition", resource.body.task_definition);
    return {
      resource,
      counts: taskCounts(resource, stack),
      capacity: capacityOf(resource, stack, cluster),
      size: sizeOf(taskDefinition),
      logGroups: logGroupsOf(taskDefinition, stack),
      cluster: cluster?.address,
      taskFamily: typeof taskDefinition?.body.family === "string" ? taskDefinition.body.family : undefined,
    };
  });
  const byAddress = new Map(services.map((s) => [s.resource.address, s]));
  return { services, service: (address) => byAddress.get(address) };
}
