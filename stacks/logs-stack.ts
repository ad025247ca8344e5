import { Construct } from "constructs";
import type { Deployment } from "../schema/resolve";
import { LoadBalancerLogBucket } from "../modules/load-balancer-log-bucket";
import { logBucketPrefix } from "../schema/names";
import { BlueprintStack, type BlueprintStackProps } from "./blueprint-stack";

/**
 * Log storage that must exist before the compute stack: the ALB checks on creation that it may write its access
 * logs, so the bucket and its policy are applied first. Only built when loadBalancer.accessLogs is set.
 */
export class LogsStack extends BlueprintStack {
  constructor(scope: Construct, id: string, d: Deployment, base: BlueprintStackProps) {
    super(scope, id, base);
    const accessLogs = d.spec.loadBalancer!.accessLogs!;
    const bucket = new LoadBalancerLogBucket(this, "alb-logs", {
      // Bucket names are global: the prefix names the deployment, Terraform adds a unique suffix.
      bucketPrefix: logBucketPrefix(d),
      logPrefix: accessLogs.prefix,
      glacierAfterDays: accessLogs.glacierAfterDays,
      expireAfterDays: accessLogs.expireAfterDays,
    });
    this.publish("alb_log_bucket_name", "string", bucket.bucket.bucket, "Bucket of the load balancer's access logs");
    this.publish("alb_log_bucket_arn", "string", bucket.bucket.arn, "ARN of the access log bucket (for Athena)");
  }
}
