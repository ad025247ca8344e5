import { z } from "zod";

/* A FireLens (Fluent Bit) log router beside a service's container: error lines to CloudWatch Logs, every line to S3. */

/**
 * The AWS for Fluent Bit release the router runs by default: the `init-` variant (it loads configuration files from
 * S3 before starting Fluent Bit) of the 2.x line, AWS's stable line (Fluent Bit 1.9.10). Pinned, so that a task never
 * changes its router because AWS moved a tag.
 */
export const AWS_FOR_FLUENT_BIT_VERSION = "2.34.3.20260818";

/** AWS's copy of the AWS for Fluent Bit images in each commercial region (reachable through the ECR VPC endpoints). */
export const AWS_FOR_FLUENT_BIT_ACCOUNT = "906394416424";

export const logRouterSchema = z.strictObject({
  /**
   * Image of the router, an `init-` variant of AWS for Fluent Bit (it must read the routing configuration from S3).
   * Default: AWS's copy in the deployment's region,
   * `906394416424.dkr.ecr.<region>.amazonaws.com/aws-for-fluent-bit:init-2.34.3.20260818`, pulled like the
   * application's image (through NAT or the ECR VPC endpoints); public.ecr.aws is not reachable through VPC
   * endpoints.
   */
  image: z
    .string()
    .regex(/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+:init-[A-Za-z0-9._-]+$/, {
      error:
        "is not an init- variant of AWS for Fluent Bit with a tag. Fix: use e.g. 906394416424.dkr.ecr.<region>.amazonaws.com/aws-for-fluent-bit:init-2.34.3.20260818 (the init variant reads the configuration from S3)",
    })
    .refine((image) => !/:init-(latest|stable)$/.test(image), {
      error:
        "is a moving tag: the router would change with any task start. Fix: pin a version, e.g. init-2.34.3.20260818",
    })
    .optional(),
  /** CPU units of the router container, part of the task's cpu. Default: 51 (50 millicores: 0.05 × 1024). */
  cpu: z.number().int().min(0).max(16384).default(51),
  /** Memory limit of the router container in MiB, part of the task's memory. Default: 128. */
  memory: z.number().int().min(6).max(122880).default(128),
  /**
   * Level words that send a line to CloudWatch Logs (the service's log group): a line holding one as a word — uvicorn's
   * `ERROR:`, Python logging's `ERROR:name:`, `[ERROR]`, or a JSON logger's `"level": "ERROR"`. Default: ERROR,
   * CRITICAL, FATAL.
   */
  errorLevels: z
    .array(z.string().regex(/^[A-Z]{2,16}$/, { error: "is not a level word. Fix: use upper-case letters, e.g. ERROR" }))
    .min(1)
    .default(["ERROR", "CRITICAL", "FATAL"]),
  /** Where every line goes: the logs stack's bucket, gzip-compressed objects under a date-partitioned prefix. */
  s3: z
    .strictObject({
      /** Key prefix (no leading or trailing slash). Default: app/<service>. */
      prefix: z
        .string()
        .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, {
          error: "is not a key prefix. Fix: use e.g. app/backend (no leading or trailing slash)",
        })
        .optional(),
      /** Largest object Fluent Bit writes, in MiB (it uploads earlier when uploadTimeoutMinutes pass). Default: 50. */
      totalFileSizeMiB: z.number().int().min(1).max(50).default(50),
      /** Minutes after which Fluent Bit uploads what it has buffered. Default: 10. */
      uploadTimeoutMinutes: z.number().int().min(1).max(60).default(10),
    })
    .default({ totalFileSizeMiB: 50, uploadTimeoutMinutes: 10 }),
  /** Add the ECS metadata (cluster, task ARN, task definition, container) to every record. Default: true. */
  ecsLogMetadata: z.boolean().default(true),
});
