import { z } from "zod";

/*
 * The account baseline: account-wide services (a GuardDuty detector, the AWS Config recorder, a cost budget) that
 * exist once per AWS account and region, not once per application. An environment asks for them; the account it
 * deploys into (docs/preflight.md#the-account-model) gets one `account-baseline-<account key>` stack holding what
 * its environments ask for. Environments sharing an account may each give a section; when two give the same section
 * they must give the same values (the preflight refuses a contradiction).
 */

/** GuardDuty: one detector per account and region. */
export const guardDutySchema = z.strictObject({
  /**
   * How often updated findings go to EventBridge (new findings go within five minutes whatever this says).
   * Default: FIFTEEN_MINUTES (GuardDuty's own default is SIX_HOURS).
   */
  findingPublishingFrequency: z.enum(["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"]).default("FIFTEEN_MINUTES"),
  /**
   * S3 Protection: analyses S3 data events (object-level API calls) of every bucket in the region. Priced per
   * million events analysed. Default: false.
   */
  s3Protection: z.boolean().default(false),
  /**
   * Runtime Monitoring for ECS Fargate with GuardDuty's agent managed by GuardDuty: it adds its security agent as a
   * sidecar to tasks started after it is on (it takes part of each task's CPU and memory and pulls its image from
   * GuardDuty's ECR repository, so tasks without NAT need the ecr.api/ecr.dkr endpoints, and GuardDuty creates a
   * guardduty-data VPC endpoint in each VPC it monitors). Priced per vCPU-hour of monitored tasks. Default: false.
   */
  runtimeMonitoring: z.boolean().default(false),
});

/** AWS Config: one configuration recorder and one delivery channel per account and region. */
export const configRecorderSchema = z.strictObject({
  /**
   * How changes are recorded: CONTINUOUS (a configuration item per change) or DAILY (at most one per resource per
   * day, the cheaper strategy when resources change often, e.g. task definitions on every release). Every
   * supported resource type is recorded, global ones (IAM) included, in the baseline's region. Default: CONTINUOUS.
   */
  recordingFrequency: z.enum(["CONTINUOUS", "DAILY"]).default("CONTINUOUS"),
  /** Days the configuration history and snapshots are kept in the Config bucket (current and noncurrent versions). Default: 365. */
  retentionDays: z.number().int().min(1).max(3650).default(365),
});

/** Alert thresholds of a budget: a percentage of the limit, of the actual or of the forecasted spend. */
export const budgetThresholdSchema = z.strictObject({
  /** Percent of the monthly limit. */
  percent: z.number().positive().max(1000),
  /** Whether actual spend or AWS's forecast for the month is compared. */
  basis: z.enum(["actual", "forecasted"]),
});

/** AWS Budgets: a monthly cost budget of the whole account. */
export const budgetSchema = z
  .strictObject({
    /** The monthly cost limit, in US dollars (unblended cost, every service). */
    monthlyLimitUsd: z.number().positive(),
    /**
     * When to alert (AWS allows five notifications per budget). Default: 80 % of actual spend and 100 % of the
     * forecast.
     */
    thresholds: z
      .array(budgetThresholdSchema)
      .min(1)
      .max(5, { error: "has more than 5 thresholds; AWS Budgets allows 5 notifications per budget. Fix: keep 5" })
      .default([
        { percent: 80, basis: "actual" },
        { percent: 100, basis: "forecasted" },
      ]),
    /** Addresses told at each threshold (at most 10, AWS's limit per notification). Default: []. */
    emails: z
      .array(z.email())
      .max(10, { error: "has more than 10 addresses; AWS Budgets allows 10 per notification. Fix: use a list address" })
      .default([]),
    /**
     * An SNS topic told at each threshold; its policy must let budgets.amazonaws.com publish (and its key, when
     * encrypted, let Budgets use it). Default: none.
     */
    snsTopicArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/, { error: "is not an SNS topic ARN" })
      .optional(),
  })
  .refine((b) => b.emails.length > 0 || b.snsTopicArn !== undefined, {
    error: "tells nobody. Fix: give emails or snsTopicArn",
  });

/** Give a section to have it. */
export const accountBaselineSchema = z
  .strictObject({
    /** A GuardDuty detector in the account's region. Default: none. */
    guardDuty: guardDutySchema.optional(),
    /** The AWS Config recorder, its role, delivery channel and bucket in the account's region. Default: none. */
    config: configRecorderSchema.optional(),
    /** A monthly cost budget with alerts. Default: none. */
    budget: budgetSchema.optional(),
  })
  .refine((b) => b.guardDuty || b.config || b.budget, {
    error: "asks for nothing. Fix: give guardDuty, config or budget, or leave accountBaseline out",
  });

export type AccountBaselineSettings = z.output<typeof accountBaselineSchema>;
export type GuardDutySettings = z.output<typeof guardDutySchema>;
export type ConfigRecorderSettings = z.output<typeof configRecorderSchema>;
export type BudgetSettings = z.output<typeof budgetSchema>;
