import type { Construct } from "constructs";
import type { AccountBaseline } from "../schema/account-baseline";
import type { BackendConfig } from "../schema/backend-config";
import * as names from "../schema/names";
import { ConfigRecorder } from "../modules/config-recorder";
import { CostBudget } from "../modules/cost-budget";
import { GuardDutyDetector } from "../modules/guardduty-detector";
import { BlueprintStack } from "./blueprint-stack";

/** The layer name of account baselines (stack ids `account-baseline-<account key>`). */
export const ACCOUNT_BASELINE_LAYER = "account-baseline";

/**
 * Account-wide services, created once per AWS account (not per deployment): the GuardDuty detector, AWS Config (a
 * recorder of every supported resource type, global ones included, with its role, private bucket and delivery
 * channel) in the account's region, and a monthly cost budget with alerts — whichever the account's environments ask
 * for (`accountBaseline`). Its state is in the S3 backend like a deployment's stacks, under its stack id; it reads
 * no other stack and no stack reads it.
 */
export class AccountBaselineStack extends BlueprintStack {
  constructor(
    scope: Construct,
    readonly baseline: AccountBaseline,
    backend: BackendConfig,
  ) {
    const key = baseline.account.key;
    super(scope, baseline.stackId, {
      layer: ACCOUNT_BASELINE_LAYER,
      backend,
      region: baseline.region,
      accountId: baseline.account.id,
      tags: { Account: key, Stack: baseline.stackId, Purpose: ACCOUNT_BASELINE_LAYER, ManagedBy: "terraform" },
      policy: { production: baseline.production, suppressions: [] },
    });
    if (baseline.guardDuty) {
      const detector = new GuardDutyDetector(this, "guardduty", baseline.guardDuty);
      this.publish("guardduty_detector_id", "string", detector.detector.id, "GuardDuty detector id");
    }
    if (baseline.config) {
      const config = new ConfigRecorder(this, "config", {
        recorderName: names.configRecorderName(key),
        deliveryChannelName: names.configDeliveryChannelName(key),
        roleName: names.configRoleName(key),
        bucketPrefix: names.configBucketPrefix(key),
        accountId: baseline.account.id,
        recordingFrequency: baseline.config.recordingFrequency,
        includeGlobalResourceTypes: true,
        retentionDays: baseline.config.retentionDays,
      });
      this.publish("config_recorder_name", "string", config.recorder.name, "AWS Config recorder name");
      this.publish("config_bucket_name", "string", config.bucket.bucket.bucket, "AWS Config delivery bucket name");
    }
    if (baseline.budget) {
      const budget = new CostBudget(this, "monthly-cost", {
        name: names.budgetName(key),
        monthlyLimitUsd: baseline.budget.monthlyLimitUsd,
        thresholds: baseline.budget.thresholds,
        emails: baseline.budget.emails,
        snsTopicArn: baseline.budget.snsTopicArn,
      });
      this.publish("budget_name", "string", budget.budget.name, "Monthly cost budget name");
    }
  }
}
