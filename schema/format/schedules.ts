import { z } from "zod";
import { kebabName } from "../primitives";

/* Scheduled tasks: EventBridge Scheduler starts a service's task definition on a cron or rate schedule. */

/**
 * What EventBridge Scheduler does when RunTask fails (no Fargate capacity, throttling): it retries with back-off
 * until either limit is reached, then drops the run (there is no dead-letter queue: docs/not-there-yet.md). A run
 * that starts and then fails inside the container is not retried: it is the application's to report.
 */
export const scheduleRetrySchema = z.strictObject({
  /** Retries after the first attempt (0-185). Default: 3. */
  maximumAttempts: z.number().int().min(0).max(185).default(3),
  /** Seconds after the scheduled time a run may still start (60-86400). Default: 3600. */
  maximumEventAgeSeconds: z.number().int().min(60).max(86400).default(3600),
});

export const scheduledTaskSchema = z.strictObject({
  /** Short name, unique in the blueprint; the schedule is `<app>-<env>-<name>`. */
  name: kebabName("scheduled task name", 40),
  /**
   * The service (services[].name, web or worker) whose task definition runs: the family's latest revision, which is
   * the image of the last release (docs/operations.md), in the service's subnets with its security group.
   */
  service: z.string().min(1),
  /**
   * When: `cron(minutes hours day-of-month month day-of-week year)` (six fields; one of day-of-month and day-of-week
   * is `?`), e.g. `cron(0 3 * * ? *)`, or `rate(<n> <unit>)` with minute(s), hour(s) or day(s), singular for 1:
   * `rate(1 hour)`, `rate(15 minutes)`.
   */
  expression: z.string().min(1),
  /** IANA time zone the cron expression is read in, e.g. Asia/Tokyo. Default: UTC. */
  timezone: z.string().min(1).default("UTC"),
  /** The container command for this run instead of the image's, e.g. ["php", "artisan", "queue:prune"]. Default: the image's. */
  command: z.array(z.string()).min(1).optional(),
  /** What the schedule is for (shown in the console). Default: none. */
  description: z.string().max(512).optional(),
  /** false keeps the schedule but starts nothing (state DISABLED). Default: true. */
  enabled: z.boolean().default(true),
  /** Retries of a failed RunTask call. Default: 3 retries within an hour. */
  retry: scheduleRetrySchema.default({ maximumAttempts: 3, maximumEventAgeSeconds: 3600 }),
});
