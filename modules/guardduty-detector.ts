import { Construct } from "constructs";
import { GuarddutyDetector } from "@cdktf/provider-aws/lib/guardduty-detector";
import { GuarddutyDetectorFeature } from "@cdktf/provider-aws/lib/guardduty-detector-feature";

export interface GuardDutyDetectorProps {
  /** How often updated findings are published to EventBridge. Default: FIFTEEN_MINUTES. */
  readonly findingPublishingFrequency?: "FIFTEEN_MINUTES" | "ONE_HOUR" | "SIX_HOURS";
  /** S3 Protection (the S3_DATA_EVENTS feature). Default: false (the feature is not managed here). */
  readonly s3Protection?: boolean;
  /**
   * Runtime Monitoring with GuardDuty managing its agent on ECS Fargate (RUNTIME_MONITORING with
   * ECS_FARGATE_AGENT_MANAGEMENT). Default: false (the feature is not managed here).
   */
  readonly runtimeMonitoring?: boolean;
}

/**
 * The account's GuardDuty detector in the provider's region (one per account and region), enabled. Protection
 * plans are `aws_guardduty_detector_feature`s (the detector's `datasources` block is deprecated); a feature left
 * off is not managed at all, so it keeps whatever GuardDuty enables by itself for a new detector.
 */
export class GuardDutyDetector extends Construct {
  readonly detector: GuarddutyDetector;

  constructor(scope: Construct, id: string, props: GuardDutyDetectorProps = {}) {
    super(scope, id);
    this.detector = new GuarddutyDetector(this, "this-detector", {
      enable: true,
      findingPublishingFrequency: props.findingPublishingFrequency ?? "FIFTEEN_MINUTES",
    });
    if (props.s3Protection) {
      new GuarddutyDetectorFeature(this, "s3-protection", {
        detectorId: this.detector.id,
        name: "S3_DATA_EVENTS",
        status: "ENABLED",
      });
    }
    if (props.runtimeMonitoring) {
      new GuarddutyDetectorFeature(this, "runtime-monitoring", {
        detectorId: this.detector.id,
        name: "RUNTIME_MONITORING",
        status: "ENABLED",
        // Fargate tasks only: the agent for EKS and EC2 is not ours to run.
        additionalConfiguration: [
          { name: "ECS_FARGATE_AGENT_MANAGEMENT", status: "ENABLED" },
          { name: "EKS_ADDON_MANAGEMENT", status: "DISABLED" },
          { name: "EC2_AGENT_MANAGEMENT", status: "DISABLED" },
        ],
      });
    }
  }
}
