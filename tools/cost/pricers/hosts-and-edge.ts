import { block, literalNumber } from "../stack-model";
import { HOURS_PER_MONTH } from "../types";
import { num, type Pricer } from "./types";

/**
 * An EC2 instance (the bastion) and a CloudFront distribution. The instance runs every hour of the month at its type's
 * on-demand Linux price, with its root volume as gp3 storage. CloudFront bills what viewers request and receive, at
 * the prices of the edge locations that serve them: the price book of the stack's region stands for where its viewers
 * are (Japan for ap-northeast-1, the United States for us-east-1/us-west-2). Fetches from an AWS origin are free.
 */

const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
const KB_PER_GB = 1024 * 1024;

const instance: Pricer = (resource) => {
  const type = resource.body.instance_type;
  const root = block(resource.body.root_block_device);
  const gb = literalNumber(root?.volume_size, "root_block_device.volume_size") ?? 8;
  return {
    components: [
      {
        name: `EC2 instance (${typeof type === "string" ? type : "?"}, Linux, on-demand)`,
        unit: "hours",
        quantity:
          typeof type === "string" && !type.includes("${")
            ? HOURS_PER_MONTH
            : { unknown: `instance_type is ${String(type)}` },
        priceKey: `ec2.${String(type)}.hour`,
        usageBased: false,
        detail: `${HOURS_PER_MONTH} h: it runs until it is destroyed (standard CPU credits, no surcharge)`,
      },
      {
        name: "Root volume (gp3)",
        unit: "GB-months",
        quantity: gb,
        priceKey: "ebs.gp3.gb-month",
        usageBased: false,
        detail: `${num(gb)} GiB (3,000 IOPS and 125 MB/s included)`,
      },
    ],
  };
};

const distribution: Pricer = (_resource, ctx) => {
  const requests = ctx.usage.get("traffic.requestsPerSecond") * SECONDS_PER_MONTH;
  const gb = (requests * ctx.usage.get("traffic.responseKB")) / KB_PER_GB;
  return {
    components: [
      {
        name: "HTTPS requests",
        unit: "10k requests",
        quantity: requests / 1e4,
        priceKey: "cloudfront.https-requests.10k",
        usageBased: true,
        detail: `${num(ctx.usage.get("traffic.requestsPerSecond"))} requests/s (the always-free tier's 10 million not deducted)`,
      },
      {
        name: "Data transfer out to viewers",
        unit: "GB",
        quantity: gb,
        priceKey: "cloudfront.data-out.gb",
        usageBased: true,
        detail: `${num(ctx.usage.get("traffic.responseKB"))} KB responses (the always-free 1 TB not deducted; the load balancer's own internet transfer then goes to CloudFront, free, yet is still counted there)`,
      },
    ],
  };
};

export const HOST_AND_EDGE_PRICERS: Record<string, Pricer> = {
  aws_instance: instance,
  aws_cloudfront_distribution: distribution,
};
