import { z } from "zod";
import { awsRegion, kebabName } from "./primitives";
import { networkSchema } from "./format/network";
import { serviceSchema, blueGreenSchema, secretRefSchema } from "./format/services";
import { loadBalancerSchema, certificateSchema } from "./format/load-balancer";
import { databaseSchema } from "./format/database";
import { dnsSchema } from "./format/dns";
import { monitoringSchema } from "./format/monitoring";
import { ciSchema } from "./format/ci";
import { ssmParameterSchema, appSecretSchema } from "./format/out-of-band";
import { suppressionSchema } from "./format/suppressions";
import { bastionSchema } from "./format/bastion";
import { cloudFrontSchema } from "./format/edge";
import { accountBaselineSchema } from "./format/account-baseline";
import { scheduledTaskSchema } from "./format/schedules";

export * from "./format/network";
export * from "./format/services";
export * from "./format/load-balancer";
export * from "./format/database";
export * from "./format/dns";
export * from "./format/monitoring";
export * from "./format/ci";
export * from "./format/out-of-band";
export * from "./format/suppressions";
export * from "./format/bastion";
export * from "./format/edge";
export * from "./format/account-baseline";
export * from "./format/log-router";
export * from "./format/schedules";

/*
 * The blueprint format. Every field documents its default; `z.input` of these schemas is what a blueprint file
 * writes, `z.output` is what modules receive (defaults filled in). Cross-field rules (CIDR containment, AZs in the
 * region, Fargate sizes, path conflicts ...) live in ./semantics.ts. Each part of a spec has its file in ./format/;
 * this file composes them into a blueprint: the spec, the environments that deploy it, and the envelope.
 */

/** What an environment may differ in: any part of the spec, deep-merged (arrays of named items merge by name). */
export const specSchema = z.strictObject({
  network: networkSchema,
  /** ECS cluster. */
  cluster: z
    .strictObject({
      /** Default: `<app>-<env>`. */
      name: kebabName("cluster name", 255).optional(),
      /** CloudWatch Container Insights. Default: enabled. */
      containerInsights: z.boolean().default(true),
      /** Capacity providers of the cluster; FARGATE is the default strategy. Default: ["FARGATE", "FARGATE_SPOT"]. */
      capacityProviders: z
        .array(z.enum(["FARGATE", "FARGATE_SPOT"]))
        .min(1)
        .refine((list) => list.includes("FARGATE"), {
          error: "lacks FARGATE, the default strategy. Fix: include FARGATE",
        })
        .optional(),
    })
    .default({ containerInsights: true }),
  services: z.array(serviceSchema).min(1, { error: "is empty. Fix: declare at least one service" }),
  /**
   * Tasks EventBridge Scheduler starts from a service's task definition on a cron or rate schedule (a nightly
   * clean-up, a report), each with its own scheduler role. Default: none.
   */
  scheduledTasks: z.array(scheduledTaskSchema).default([]),
  loadBalancer: loadBalancerSchema.optional(),
  database: databaseSchema.optional(),
  dns: dnsSchema.optional(),
  /** CloudFront in front of the load balancer (the `edge` stack, after compute). Default: none. */
  cloudFront: cloudFrontSchema.optional(),
  monitoring: monitoringSchema.optional(),
  /** An instance for database work by hand, reached through Session Manager (the `bastion` stack). Default: none. */
  bastion: bastionSchema.optional(),
  /** CI deploy role (the ci stack). Default: none. */
  ci: ciSchema.optional(),
  /** SSM SecureString parameters created empty (the `parameters` stack); values are written out of band. Default: []. */
  ssmParameters: z.array(ssmParameterSchema).default([]),
  /** Secrets Manager secrets the services read, created empty and filled out of band. Default: none. */
  appSecrets: z.array(appSecretSchema).default([]),
  /** Policy findings accepted on purpose, each with its reason. Default: none. */
  suppressions: z.array(suppressionSchema).default([]),
  /**
   * Account-wide services (GuardDuty, AWS Config, a cost budget) for the AWS account this environment deploys into:
   * one `account-baseline-<account key>` stack per account, shared by every environment (of any blueprint) in it.
   * Default: none.
   */
  accountBaseline: accountBaselineSchema.optional(),
  /** Extra tags on every resource. Default: {}. */
  tags: z.record(z.string(), z.string()).default({}),
});

export const environmentSchema = z.strictObject({
  /** dev, staging, prod ... */
  name: kebabName("environment name", 12),
  /** AWS region. */
  region: awsRegion,
  /** AZs the environment uses; subnets must be in these. */
  availabilityZones: z.array(z.string()).min(1),
  /**
   * The AWS account's id: Terraform refuses to run against any other account, and environments (of any blueprint)
   * with the same id share that account (docs/preflight.md#the-account-model). Default: any.
   */
  accountId: z
    .string()
    .regex(/^\d{12}$/, { error: "is not a 12-digit AWS account id. Fix: use the 12 digits" })
    .optional(),
  /**
   * The AWS account this environment deploys into, by a name of your choosing (e.g. workloads-dev), for accounts
   * whose id the blueprint does not pin: environments (of any blueprint) that name the same account share it, so
   * the names AWS keeps unique per account and region must differ between them (the preflight refuses a
   * collision). Default: the accountId's account when set, else an account of its own that no other environment
   * shares.
   */
  account: kebabName("account name", 64).optional(),
  /** Production: deletion protection, final snapshots. Default: true when the name is prod or production. */
  production: z.boolean().optional(),
  /** Deep-merged over the blueprint's spec for this environment. Default: none. */
  overrides: z.record(z.string(), z.unknown()).optional(),
});

export const blueprintEnvelopeSchema = z.looseObject({
  /** Application name; prefixes stack ids and resource names. */
  name: kebabName("blueprint name", 24),
  /** One line on what the application is. */
  description: z.string().optional(),
  environments: z.array(environmentSchema).min(1, { error: "is empty. Fix: declare at least one environment" }),
});

export type Spec = z.output<typeof specSchema>;
export type SpecInput = z.input<typeof specSchema>;
export type Service = Spec["services"][number];
export type ScheduledTask = Spec["scheduledTasks"][number];
export type Network = Spec["network"];
export type Subnet = Network["subnets"][number];
export type LoadBalancer = NonNullable<Spec["loadBalancer"]>;
export type Database = NonNullable<Spec["database"]>;
export type Dns = NonNullable<Spec["dns"]>;
export type Monitoring = NonNullable<Spec["monitoring"]>;
export type BlueGreen = z.output<typeof blueGreenSchema>;
export type Ci = NonNullable<Spec["ci"]>;
export type Certificate = z.output<typeof certificateSchema>;
export type SecretRef = z.output<typeof secretRefSchema>;
export type EnvironmentInput = z.input<typeof environmentSchema>;

/** What a blueprint file exports. */
export interface BlueprintInput extends SpecInput {
  name: string;
  description?: string;
  environments: EnvironmentInput[];
}
