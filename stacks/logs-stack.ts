import { Construct } from "constructs";
import type { Deployment } from "../schema/resolve";
import { LoadBalancerLogBucket } from "../modules/load-balancer-log-bucket";
import { logBucketPrefix } from "../schema/names";
import { logRouterPrefix } from "../schema/log-router-defaults";
import { BlueprintStack, type BlueprintStackProps } from "./blueprint-stack";

/**
 * Log storage that must exist before the compute stack: the ALB checks on creation that it may write its access
 * logs, so the bucket and its policy are applied first; the services' FireLens routers write application logs to the
 * same bucket. Built when loadBalancer.accessLogs or a services[].logRouter is set. Without accessLogs the lifecycle
 * takes the defaults (Glacier after 90 days, deleted after 365).
 */
export class LogsStack extends BlueprintStack {
  constructor(scope: Construct, id: string, d: Deployment, base: BlueprintStackProps) {
    super(scope, id, base);
    const accessLogs = d.spec.loadBalancer?.accessLogs;
    const routed = d.spec.services.filter((s) => s.logRouter);
    // The construct keeps its name whatever it holds: renaming it would replace a bucket full of logs.
    const bucket = new LoadBalancerLogBucket(this, "alb-logs", {
      // Bucket names are global: the prefix names the deployment, Terraform adds a unique suffix.
      bucketPrefix: logBucketPrefix(d),
      logPrefix: accessLogs?.prefix,
      appLogPrefixes: routed.map(logRouterPrefix),
      glacierAfterDays: accessLogs?.glacierAfterDays,
      expireAfterDays: accessLogs?.expireAfterDays,
    });
    if (accessLogs) {
      this.publish("alb_log_bucket_name", "string", bucket.bucket.bucket, "Bucket of the load balancer's access logs");
      this.publish("alb_log_bucket_arn", "string", bucket.bucket.arn, "ARN of the access log bucket (for Athena)");
    }
    if (routed.length > 0) {
      this.publish("app_log_bucket_name", "string", bucket.bucket.bucket, "Bucket the services' log routers write to");
      this.publish("app_log_bucket_arn", "string", bucket.bucket.arn, "ARN of the application log bucket");
    }
  }
}
