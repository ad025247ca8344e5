import { num, type Pricer } from "./types";

/**
 * The account baseline: GuardDuty's foundational detection is charged by what it analyses (CloudTrail management
 * events, VPC flow log and DNS query volume), each protection plan by its own measure (S3 data events; vCPUs of
 * monitored Fargate tasks), AWS Config per configuration item recorded (continuous and daily recording have their
 * own price). All usage-based: the usage profile says how much.
 */

const detector: Pricer = (_resource, ctx) => {
  const events = ctx.usage.get("guardDuty.cloudTrailEventsMillionsPerMonth");
  const logs = ctx.usage.get("guardDuty.flowAndDnsLogGBPerMonth");
  return {
    components: [
      {
        name: "GuardDuty CloudTrail management event analysis",
        unit: "million events",
        quantity: events,
        priceKey: "guardduty.cloudtrail-events.million",
        usageBased: true,
        detail: `${num(events)} million events`,
      },
      {
        name: "GuardDuty VPC flow log and DNS query analysis",
        unit: "GB",
        quantity: logs,
        priceKey: "guardduty.flow-dns-logs.gb",
        usageBased: true,
        detail: `${num(logs)} GB`,
      },
    ],
  };
};

const detectorFeature: Pricer = (resource, ctx) => {
  if (resource.body.status !== "ENABLED") return { free: "a feature switched off costs nothing" };
  if (resource.body.name === "S3_DATA_EVENTS") {
    const events = ctx.usage.get("guardDuty.s3DataEventsMillionsPerMonth");
    return {
      components: [
        {
          name: "GuardDuty S3 Protection",
          unit: "million events",
          quantity: events,
          priceKey: "guardduty.s3-data-events.million",
          usageBased: true,
          detail: `${num(events)} million events`,
        },
      ],
    };
  }
  if (resource.body.name === "RUNTIME_MONITORING") {
    const vcpus = ctx.usage.get("guardDuty.monitoredFargateVcpus");
    return {
      components: [
        {
          name: "GuardDuty Runtime Monitoring (ECS Fargate)",
          unit: "vCPU-months",
          quantity: vcpus,
          priceKey: "guardduty.runtime-monitoring.vcpu-month",
          usageBased: true,
          detail: `${num(vcpus)} vCPUs of monitored tasks on average`,
        },
      ],
    };
  }
  return { free: `feature ${String(resource.body.name)} is not modeled: no blueprint turns it on` };
};

const configRecorder: Pricer = (resource, ctx) => {
  const daily = (resource.body.recording_mode as { recording_frequency?: string } | undefined)?.recording_frequency;
  const periodic = daily === "DAILY";
  const items = ctx.usage.get(periodic ? "config.dailyItemsPerMonth" : "config.continuousItemsPerMonth");
  return {
    components: [
      {
        name: periodic ? "AWS Config items recorded daily" : "AWS Config items recorded continuously",
        unit: "configuration items",
        quantity: items,
        priceKey: periodic ? "config.item.periodic" : "config.item.continuous",
        usageBased: true,
        detail: `${num(items)} items`,
      },
    ],
  };
};

export const ACCOUNT_BASELINE_PRICERS: Readonly<Record<string, Pricer>> = {
  aws_guardduty_detector: detector,
  aws_guardduty_detector_feature: detectorFeature,
  aws_config_configuration_recorder: configRecorder,
};
