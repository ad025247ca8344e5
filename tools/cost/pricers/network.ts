import { blocks, listLength, type ResourceRef, type StackModel } from "../stack-model";
import { HOURS_PER_MONTH, type Quantity } from "../types";
import { num, plural, times, type ComponentSpec, type Pricer } from "./types";

/**
 * Networking: NAT gateways (hours and GB processed), public IPv4 addresses (every Elastic IP, one per AZ of an
 * internet-facing load balancer), interface VPC endpoints (one ENI per subnet, each charged by the hour, plus GB
 * processed; gateway endpoints are free) and Application Load Balancers (hours, LCUs from the traffic assumptions,
 * data sent to the internet).
 */

const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
const KB_PER_GB = 1024 * 1024;

const natGateway: Pricer = (_resource, ctx) => {
  const gb = ctx.usage.get("nat.gbPerGatewayMonth");
  return {
    components: [
      {
        name: "NAT gateway hours",
        unit: "hours",
        quantity: HOURS_PER_MONTH,
        priceKey: "nat.hour",
        usageBased: false,
        detail: "its public IPv4 address is priced on its aws_eip",
      },
      { name: "NAT gateway data processed", unit: "GB", quantity: gb, priceKey: "nat.gb", usageBased: true },
    ],
  };
};

const elasticIp: Pricer = () => ({
  components: [
    {
      name: "Public IPv4 address",
      unit: "IPv4-hours",
      quantity: HOURS_PER_MONTH,
      priceKey: "public-ipv4.hour",
      usageBased: false,
      detail: "charged whether attached (a NAT gateway's) or idle",
    },
  ],
});

const vpcEndpoint: Pricer = (resource, ctx) => {
  const kind = resource.body.vpc_endpoint_type ?? "Gateway";
  if (kind === "Gateway") return { free: "gateway endpoints (S3, DynamoDB) cost nothing" };
  const enis = listLength(resource.body.subnet_ids, "subnet_ids");
  if (kind !== "Interface")
    return {
      components: [
        {
          name: `${kind} endpoint hours`,
          unit: "endpoint-AZ-hours",
          quantity: times(enis, HOURS_PER_MONTH),
          priceKey: `vpce.${String(kind).toLowerCase()}.eni-hour`,
          usageBased: false,
        },
      ],
    };
  const service = String(resource.body.service_name ?? "").replace(/^com\.amazonaws\.[^.]+\./, "");
  return {
    components: [
      {
        name: "Interface endpoint hours (per AZ)",
        unit: "endpoint-AZ-hours",
        quantity: times(enis, HOURS_PER_MONTH),
        priceKey: "vpce.interface.eni-hour",
        usageBased: false,
        detail: `${service}: ${plural(enis, "subnet")} (one ENI each) × ${HOURS_PER_MONTH} h`,
      },
      {
        name: "Interface endpoint data processed",
        unit: "GB",
        quantity: ctx.usage.get("vpcEndpoint.gbPerEndpointMonth"),
        priceKey: "vpce.interface.gb",
        usageBased: true,
      },
    ],
  };
};

/** Listener rules of a load balancer: each request is evaluated against them (the first 10 are free). */
function listenerRules(lb: ResourceRef, stack: StackModel): number {
  const listeners = new Set(
    stack
      .byType("aws_lb_listener")
      .filter((l) => stack.referenced("aws_lb", l.body.load_balancer_arn) === lb)
      .map((l) => l.address),
  );
  return stack
    .byType("aws_lb_listener_rule")
    .filter((r) => listeners.has(stack.referenced("aws_lb_listener", r.body.listener_arn)?.address ?? ""))
    .reduce((n, r) => n + (typeof r.instances === "number" ? r.instances : 1), 0);
}

const loadBalancer: Pricer = (resource, ctx) => {
  const kind = resource.body.load_balancer_type ?? "application";
  const internetFacing = resource.body.internal !== true;
  const subnets: Quantity = Array.isArray(resource.body.subnet_mapping)
    ? blocks(resource.body.subnet_mapping).length
    : listLength(resource.body.subnets, "subnets");
  const out: ComponentSpec[] = [];
  if (kind !== "application") {
    out.push({
      name: `${kind} load balancer hours`,
      unit: "hours",
      quantity: HOURS_PER_MONTH,
      priceKey: `elb.${kind}.hour`,
      usageBased: false,
    });
  } else {
    const u = (k: Parameters<typeof ctx.usage.get>[0]) => ctx.usage.get(k);
    const rps = u("traffic.requestsPerSecond");
    const newPerSecond = rps / Math.max(u("traffic.requestsPerConnection"), 1);
    const active = newPerSecond * u("traffic.connectionSeconds");
    const gbPerHour = (rps * 3600 * (u("traffic.requestKB") + u("traffic.responseKB"))) / KB_PER_GB;
    const rules = listenerRules(resource, ctx.stack);
    const evaluations = rps * Math.max(0, rules - 10);
    const lcu = Math.max(newPerSecond / 25, active / 3000, gbPerHour, evaluations / 1000);
    out.push(
      {
        name: "Application Load Balancer hours",
        unit: "hours",
        quantity: HOURS_PER_MONTH,
        priceKey: "alb.hour",
        usageBased: false,
      },
      {
        name: "Load balancer capacity units",
        unit: "LCU-hours",
        quantity: lcu * HOURS_PER_MONTH,
        priceKey: "alb.lcu-hour",
        usageBased: true,
        detail:
          `max(${num(newPerSecond)} new connections/s ÷ 25, ${num(active)} active ÷ 3,000, ${num(gbPerHour)} GB/h ÷ 1, ` +
          `${num(evaluations)} rule evaluations/s ÷ 1,000) = ${num(lcu)} LCU × ${HOURS_PER_MONTH} h`,
      },
    );
    if (internetFacing)
      out.push({
        name: "Data transfer out to the internet",
        unit: "GB",
        quantity: (rps * SECONDS_PER_MONTH * u("traffic.responseKB")) / KB_PER_GB,
        priceKey: "data-transfer.internet-out.gb",
        usageBased: true,
        detail: `${num(rps)} requests/s × ${num(u("traffic.responseKB"))} KB responses (before the account's free 100 GB)`,
      });
  }
  if (internetFacing)
    out.push({
      name: "Public IPv4 addresses (one per AZ)",
      unit: "IPv4-hours",
      quantity: times(subnets, HOURS_PER_MONTH),
      priceKey: "public-ipv4.hour",
      usageBased: false,
      detail: `${plural(subnets, "subnet")} × ${HOURS_PER_MONTH} h (a minimum: a scaled-out ALB holds more)`,
    });
  return { components: out };
};

export const NETWORK_PRICERS: Record<string, Pricer> = {
  aws_nat_gateway: natGateway,
  aws_eip: elasticIp,
  aws_vpc_endpoint: vpcEndpoint,
  aws_lb: loadBalancer,
};
