import { blocks, literalNumber } from "../stack-model";
import { HOURS_PER_MONTH, type Quantity } from "../types";
import { tasksAt } from "./ecs-model";
import { num, plural, plus, times, type ComponentSpec, type Pricer, type PricingContext } from "./types";

/**
 * CloudWatch Logs, alarms and SNS. A log group is charged for what is written to it (by the services whose
 * containers log there, by VPC flow logs at the vended-logs rate, or an assumed volume when no writer is known) and
 * for what it holds, which its retention decides: steady state holds retention_in_days of writes; a group that never
 * expires is priced at its size after the usage profile's horizon.
 */

const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

export interface LogVolume {
  /** Who writes, for the component name, e.g. "VPC flow logs". */
  readonly writer: string;
  readonly gbPerMonth: Quantity;
  readonly vended: boolean;
  readonly detail?: string;
}

/** Ingestion and storage of the logs a group receives, given its retention in days (0 or undefined: never expires). */
export function logComponents(volumes: readonly LogVolume[], retentionDays: Quantity | undefined, ctx: PricingContext) {
  const out: ComponentSpec[] = volumes.map((v) => ({
    name: `Log ingestion: ${v.writer}${v.vended ? " (vended logs)" : ""}`,
    unit: "GB",
    quantity: v.gbPerMonth,
    priceKey: v.vended ? "logs.vended-ingest.gb" : "logs.ingest.gb",
    usageBased: true,
    ...(v.detail ? { detail: v.detail } : {}),
  }));
  const monthly = plus(...volumes.map((v) => v.gbPerMonth));
  const never = retentionDays === undefined || retentionDays === 0;
  const months: Quantity = never
    ? ctx.usage.get("retention.unboundedMonths")
    : typeof retentionDays === "number"
      ? retentionDays / DAYS_PER_MONTH
      : retentionDays;
  out.push({
    name: "Log storage",
    unit: "GB-months",
    quantity: times(monthly, months),
    priceKey: "logs.storage.gb-month",
    usageBased: true,
    detail: never
      ? `never expires: ${num(monthly)} GB/month held ${num(months)} months (the usage horizon)`
      : `${num(monthly)} GB/month × ${num(retentionDays)} days retention (billed compressed: an upper bound)`,
  });
  return out;
}

const logGroup: Pricer = (resource, ctx) => {
  const volumes: LogVolume[] = [];
  const perTask = ctx.usage.get("logs.serviceGBPerTaskMonth");
  for (const svc of ctx.ecs.services.filter((s) => s.logGroups.has(resource.address))) {
    const tasks = tasksAt(svc.counts, ctx.scenario);
    volumes.push({
      writer: `service ${svc.resource.body.name ?? svc.resource.name}`,
      gbPerMonth: times(tasks, perTask),
      vended: false,
      detail: `${plural(tasks, "task")} × ${num(perTask)} GB`,
    });
  }
  const flowLogs = ctx.stack
    .byType("aws_flow_log")
    .filter((f) => ctx.stack.referenced("aws_cloudwatch_log_group", f.body.log_destination) === resource);
  volumes.push(
    ...flowLogs.map(() => ({
      writer: "VPC flow logs",
      gbPerMonth: ctx.usage.get("logs.flowLogsGBPerVpcMonth"),
      vended: true,
    })),
  );
  if (volumes.length === 0)
    volumes.push({ writer: "unknown writer", gbPerMonth: ctx.usage.get("logs.otherGBPerGroupMonth"), vended: false });
  return {
    components: logComponents(volumes, literalNumber(resource.body.retention_in_days, "retention_in_days"), ctx),
  };
};

const metricAlarm: Pricer = (resource) => {
  const queries = blocks(resource.body.metric_query).filter((q) => q.metric !== undefined);
  const metrics = queries.length > 0 ? queries.length : 1;
  const period = literalNumber(resource.body.period, "period");
  const highResolution = typeof period === "number" && period < 60;
  return {
    components: [
      {
        name: `Alarm (${highResolution ? "high" : "standard"} resolution)`,
        unit: "alarm-metrics",
        quantity: metrics,
        priceKey: highResolution ? "cloudwatch.alarm.high-resolution" : "cloudwatch.alarm.standard",
        usageBased: false,
        ...(metrics > 1 ? { detail: `${metrics} metrics in its query` } : {}),
      },
    ],
  };
};

const snsTopic: Pricer = (_resource, ctx) => {
  const n = ctx.usage.get("alarms.notificationsPerTopicMonth");
  return {
    components: [
      {
        name: "SNS publishes",
        unit: "million requests",
        quantity: n / 1e6,
        priceKey: "sns.publish.million",
        usageBased: true,
        detail: `${num(n)} notifications`,
      },
    ],
  };
};

const snsSubscription: Pricer = (resource, ctx) => {
  const protocol = String(resource.body.protocol ?? "");
  if (protocol === "sqs" || protocol === "lambda")
    return { free: `deliveries to ${protocol} cost nothing on the SNS side` };
  const n = ctx.usage.get("alarms.notificationsPerTopicMonth");
  const email = protocol === "email" || protocol === "email-json";
  return {
    components: [
      {
        name: `SNS ${protocol} deliveries`,
        unit: email ? "100k notifications" : "notifications",
        quantity: email ? n / 1e5 : n,
        priceKey: email ? "sns.email.100k" : `sns.${protocol}.delivery`,
        usageBased: true,
        detail: `${num(n)} notifications`,
      },
    ],
  };
};

/** A dashboard is a flat monthly charge; an account's first three are free, which one stack cannot know. */
const dashboard: Pricer = () => ({
  components: [
    {
      name: "Dashboard",
      unit: "dashboards",
      quantity: 1,
      priceKey: "cloudwatch.dashboard-month",
      usageBased: false,
      detail: "an account's first 3 dashboards (up to 50 metrics each) are free: an upper bound",
    },
  ],
});

/** A metric filter costs nothing; the custom metric it publishes is billed for the hours it receives data. */
const logMetricFilter: Pricer = () => ({
  components: [
    {
      name: "Custom metric published by the filter",
      unit: "metrics",
      quantity: 1,
      priceKey: "cloudwatch.metric",
      usageBased: false,
      detail: "prorated by the hours it receives data (only when lines match): an upper bound",
    },
  ],
});

export const OBSERVABILITY_PRICERS: Record<string, Pricer> = {
  aws_cloudwatch_dashboard: dashboard,
  aws_cloudwatch_log_metric_filter: logMetricFilter,
  aws_cloudwatch_log_group: logGroup,
  aws_cloudwatch_metric_alarm: metricAlarm,
  aws_sns_topic: snsTopic,
  aws_sns_topic_subscription: snsSubscription,
};
