import type { Service } from "./blueprint";
import { AWS_FOR_FLUENT_BIT_ACCOUNT, AWS_FOR_FLUENT_BIT_VERSION } from "./format/log-router";

/** Key prefix of a service's application logs in the logs bucket. */
export const logRouterPrefix = (svc: Service): string => svc.logRouter?.s3.prefix ?? `app/${svc.name}`;

/** The router's image: the blueprint's, or AWS's copy of AWS for Fluent Bit (init variant) in the region's ECR. */
export const logRouterImage = (svc: Service, region: string): string =>
  svc.logRouter?.image ??
  `${AWS_FOR_FLUENT_BIT_ACCOUNT}.dkr.ecr.${region}.amazonaws.com/aws-for-fluent-bit:init-${AWS_FOR_FLUENT_BIT_VERSION}`;

/** Key of a service's Fluent Bit configuration in the logs bucket (outside every log prefix and its lifecycle). */
export const logRouterConfigKey = (svc: Service): string => `fluent-bit/${svc.name}.conf`;

/** Autoscaling's reader minimum: the blueprint's, or the fixed readers. */
export const readerAutoscalingMin = (db: { readerCount: number; readerAutoscaling?: { min?: number } }): number =>
  db.readerAutoscaling?.min ?? db.readerCount;
