import type { TerraformJson } from "../../terraform/cdktf-out";
import { parseStructuredValue } from "../../terraform/jsonencode";
import { block, blocks, isExpression, literalNumber, type ResourceRef } from "../stack-model";
import { HOURS_PER_MONTH, type Quantity } from "../types";
import { logComponents } from "./observability";
import { num, times, type ComponentSpec, type Pricer, type PricingContext } from "./types";

/**
 * Databases and stores. RDS instances: instance hours at the Single-AZ or Multi-AZ price of their class, provisioned
 * storage, backups beyond the free allowance (one copy of the storage: what is left is the daily changes kept for the
 * retention period), the Secrets Manager secret RDS manages for the master password, and exported logs (RDS creates
 * their log groups without retention). Aurora clusters: storage and I/O from the usage profile, backups, the master
 * secret and logs; each aws_rds_cluster_instance (writer or reader) is charged its own instance hours. S3 buckets:
 * storage held per their lifecycle rules, and PUT requests; ECR repositories: the images their lifecycle policy
 * keeps; DynamoDB on-demand tables: requests, storage and point-in-time recovery.
 */

const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

function instanceClass(body: TerraformJson): { cls: string; unknown?: { unknown: string } } {
  const cls = body.instance_class;
  if (typeof cls === "string" && !isExpression(cls)) return { cls };
  return { cls: "?", unknown: { unknown: `instance_class is ${JSON.stringify(cls)}, known only after apply` } };
}

/** The master password secret, backups and exported logs that RDS instances and Aurora clusters share. */
function databaseExtras(body: TerraformJson, backupGB: Quantity, backupKey: string, ctx: PricingContext) {
  const out: ComponentSpec[] = [];
  const retention = literalNumber(body.backup_retention_period, "backup_retention_period") ?? 1;
  const rate = ctx.usage.get("database.dailyChangeRate");
  if (retention !== 0)
    out.push({
      name: "Backup storage beyond the free allowance",
      unit: "GB-months",
      quantity: times(backupGB, rate, retention),
      priceKey: backupKey,
      usageBased: true,
      detail: `${num(backupGB)} GB × ${num(rate)} changed a day × ${num(retention)} days retention`,
    });
  if (body.manage_master_user_password === true)
    out.push({
      name: "Master password secret (managed by RDS)",
      unit: "secrets",
      quantity: 1,
      priceKey: "secretsmanager.secret-month",
      usageBased: false,
    });
  const exports = Array.isArray(body.enabled_cloudwatch_logs_exports) ? body.enabled_cloudwatch_logs_exports : [];
  if (exports.length > 0) {
    const gb = ctx.usage.get("database.logGBPerMonth");
    out.push(
      ...logComponents([{ writer: `exported ${exports.join(", ")} log`, gbPerMonth: gb, vended: false }], 0, ctx),
    );
  }
  return out;
}

const dbInstance: Pricer = (resource, ctx) => {
  const b = resource.body;
  const engine = String(b.engine ?? "?");
  const { cls, unknown } = instanceClass(b);
  const az = b.multi_az === true ? "multi-az" : "single-az";
  const storage = literalNumber(b.allocated_storage, "allocated_storage") ?? {
    unknown: "allocated_storage is not set",
  };
  const storageType = String(b.storage_type ?? "gp2");
  return {
    components: [
      {
        name: `RDS ${engine} instance (${cls}, ${az === "multi-az" ? "Multi-AZ" : "Single-AZ"})`,
        unit: "hours",
        quantity: unknown ?? HOURS_PER_MONTH,
        priceKey: `rds.${engine}.instance-hour.${cls}.${az}`,
        usageBased: false,
      },
      {
        name: `RDS storage (${storageType}, ${az === "multi-az" ? "Multi-AZ" : "Single-AZ"})`,
        unit: "GB-months",
        quantity: storage,
        priceKey: `rds.storage.${storageType}.${az}`,
        usageBased: false,
        ...(b.max_allocated_storage
          ? { detail: `grows up to ${b.max_allocated_storage} GB with storage autoscaling` }
          : {}),
      },
      ...databaseExtras(b, storage, "rds.backup.gb-month", ctx),
    ],
  };
};

function auroraStorageType(cluster: TerraformJson | undefined): "standard" | "iopt1" {
  return cluster?.storage_type === "aurora-iopt1" ? "iopt1" : "standard";
}

const auroraCluster: Pricer = (resource, ctx) => {
  const b = resource.body;
  const storageType = auroraStorageType(b);
  const gb = ctx.usage.get("database.auroraStorageGB");
  const io = ctx.usage.get("database.auroraIoMillionsPerMonth");
  const components: ComponentSpec[] = [
    {
      name: `Aurora storage (${storageType === "iopt1" ? "I/O-Optimized" : "Standard"})`,
      unit: "GB-months",
      quantity: gb,
      priceKey: `aurora.storage.gb-month.${storageType}`,
      usageBased: true,
    },
  ];
  if (storageType === "standard")
    components.push({
      name: "Aurora I/O requests",
      unit: "million I/Os",
      quantity: io,
      priceKey: "aurora.io.million.standard",
      usageBased: true,
    });
  return { components: [...components, ...databaseExtras(b, gb, "aurora.backup.gb-month", ctx)] };
};

const auroraInstance: Pricer = (resource, ctx) => {
  const b = resource.body;
  const cluster = ctx.stack.referenced("aws_rds_cluster", b.cluster_identifier)?.body;
  const engine = String(b.engine ?? cluster?.engine ?? "?").replace(/^aurora-/, "");
  const { cls, unknown } = instanceClass(b);
  const iopt = auroraStorageType(cluster) === "iopt1" ? "-iopt1" : "";
  return {
    components: [
      {
        name: `Aurora ${engine} instance (${cls}${iopt ? ", I/O-Optimized" : ""})`,
        unit: "hours",
        quantity:
          cls === "db.serverless"
            ? { unknown: "Serverless v2 capacity (ACUs) follows load" }
            : (unknown ?? HOURS_PER_MONTH),
        priceKey: `aurora.${engine}${iopt}.instance-hour.${cls}`,
        usageBased: false,
      },
    ],
  };
};

/**
 * A scalable target: free for ECS services (read for their task counts), but Aurora's ReadReplicaCount target adds
 * readers beside the ones Terraform keeps. Those extra readers are priced like a kept reader (same class): at the
 * minimum, none unless min is above the kept readers; at the maximum, max minus the kept readers.
 */
const scalableTarget: Pricer = (resource, ctx) => {
  const b = resource.body;
  if (b.service_namespace !== "rds" || b.scalable_dimension !== "rds:cluster:ReadReplicaCount") {
    return { free: "no charge; read for the services' minimum and maximum tasks" };
  }
  const instances = ctx.stack.byType("aws_rds_cluster_instance");
  const kept = Math.max(0, instances.length - 1); // the writer is one of them
  const bound = literalNumber(ctx.scenario === "max" ? b.max_capacity : b.min_capacity, "reader capacity") ?? kept;
  const extra = typeof bound === "number" ? Math.max(0, bound - kept) : bound;
  if (extra === 0 || instances.length === 0) {
    return {
      free: "no charge at the minimum (the readers Terraform keeps are priced as aws_rds_cluster_instance); readers added above it are priced at the maximum",
    };
  }
  const reader = auroraInstance(instances[instances.length - 1], ctx);
  if ("free" in reader) return reader;
  return {
    components: reader.components.map((c) => ({
      ...c,
      name: `Autoscaled Aurora readers: ${c.name}`,
      quantity: times(extra, c.quantity),
      detail: `${typeof extra === "number" ? extra : "?"} reader(s) beyond the ${kept} Terraform keeps, at ${ctx.scenario === "max" ? "the maximum" : "the minimum"}`,
    })),
  };
};

/** Days objects stay in S3 Standard and then in another class, from the bucket's enabled lifecycle rules. */
function lifecycle(bucket: ResourceRef, ctx: PricingContext) {
  const config = ctx.stack
    .byType("aws_s3_bucket_lifecycle_configuration")
    .find((c) => ctx.stack.referenced("aws_s3_bucket", c.body.bucket) === bucket);
  const rules = blocks(config?.body.rule).filter((r) => r.status === "Enabled");
  const days = (v: unknown) =>
    typeof literalNumber(v, "days") === "number" ? (literalNumber(v, "days") as number) : undefined;
  const expiration = rules.map((r) => days(block(r.expiration)?.days)).find((d) => d !== undefined);
  const transition = rules.flatMap((r) => blocks(r.transition)).find((t) => days(t.days) !== undefined);
  return {
    expiration,
    transitionDays: transition ? days(transition.days) : undefined,
    transitionClass: transition?.storage_class,
  };
}

const STORAGE_CLASS_KEYS: Record<string, string> = { GLACIER: "glacier-flexible" };

const s3Bucket: Pricer = (resource, ctx) => {
  const written = ctx.usage.get("s3.gbWrittenPerBucketMonth");
  const horizon = ctx.usage.get("retention.unboundedMonths") * DAYS_PER_MONTH;
  const { expiration, transitionDays, transitionClass } = lifecycle(resource, ctx);
  const end = expiration ?? horizon;
  const standardDays = Math.min(transitionDays ?? end, end);
  const puts = ctx.usage.get("s3.putRequestsPerBucketMonth");
  const kept = (d: number) => `${num(written)} GB/month kept ${num(d)} days`;
  const components: ComponentSpec[] = [
    {
      name: "S3 Standard storage",
      unit: "GB-months",
      quantity: (written * standardDays) / DAYS_PER_MONTH,
      priceKey: "s3.standard.gb-month",
      usageBased: true,
      detail: `${kept(standardDays)}${expiration === undefined && transitionDays === undefined ? " (no expiration: the usage horizon)" : ""}`,
    },
  ];
  if (transitionDays !== undefined && end > transitionDays) {
    const cls = String(transitionClass);
    components.push({
      name: `S3 ${cls} storage`,
      unit: "GB-months",
      quantity: (written * (end - transitionDays)) / DAYS_PER_MONTH,
      priceKey: `s3.${STORAGE_CLASS_KEYS[cls] ?? cls.toLowerCase()}.gb-month`,
      usageBased: true,
      detail: kept(end - transitionDays),
    });
  }
  components.push({
    name: "S3 PUT requests",
    unit: "1k requests",
    quantity: puts / 1000,
    priceKey: "s3.put.1k",
    usageBased: true,
  });
  return { components };
};

/** Images kept: the "keep the newest N" rule of the repository's lifecycle policy, else the usage assumption. */
function imagesKept(repository: ResourceRef, ctx: PricingContext): { images: number; from: string } {
  const policy = ctx.stack
    .byType("aws_ecr_lifecycle_policy")
    .find((p) => ctx.stack.referenced("aws_ecr_repository", p.body.repository) === repository)?.body.policy;
  const parsed = typeof policy === "string" ? (parseStructuredValue(policy) as TerraformJson) : undefined;
  const keep = ((parsed?.rules ?? []) as TerraformJson[])
    .map((r) => r.selection)
    .find((s) => s?.tagStatus === "any" && s?.countType === "imageCountMoreThan" && typeof s.countNumber === "number");
  if (keep) return { images: keep.countNumber, from: "its lifecycle policy" };
  return { images: ctx.usage.get("ecr.imagesKept"), from: "the usage profile" };
}

const ecrRepository: Pricer = (resource, ctx) => {
  const { images, from } = imagesKept(resource, ctx);
  const size = ctx.usage.get("ecr.imageSizeGB");
  return {
    components: [
      {
        name: "ECR image storage",
        unit: "GB-months",
        quantity: images * size,
        priceKey: "ecr.storage.gb-month",
        usageBased: true,
        detail: `${images} images (${from}) × ${num(size)} GB`,
      },
    ],
  };
};

const dynamodbTable: Pricer = (resource, ctx) => {
  const b = resource.body;
  const storage = ctx.usage.get("dynamodb.storageGBPerTable");
  const components: ComponentSpec[] = [];
  if (b.billing_mode === "PAY_PER_REQUEST") {
    components.push(
      {
        name: "DynamoDB write requests (on-demand)",
        unit: "million write request units",
        quantity: ctx.usage.get("dynamodb.writeRequestsPerTableMonth") / 1e6,
        priceKey: "dynamodb.write.million",
        usageBased: true,
      },
      {
        name: "DynamoDB read requests (on-demand)",
        unit: "million read request units",
        quantity: ctx.usage.get("dynamodb.readRequestsPerTableMonth") / 1e6,
        priceKey: "dynamodb.read.million",
        usageBased: true,
      },
    );
  } else {
    for (const [what, attr] of [
      ["read", "read_capacity"],
      ["write", "write_capacity"],
    ] as const)
      components.push({
        name: `DynamoDB provisioned ${what} capacity`,
        unit: "capacity-unit-hours",
        quantity: times(literalNumber(b[attr], attr) ?? 0, HOURS_PER_MONTH),
        priceKey: `dynamodb.provisioned-${what}.unit-hour`,
        usageBased: false,
      });
  }
  components.push({
    name: "DynamoDB storage",
    unit: "GB-months",
    quantity: storage,
    priceKey: "dynamodb.storage.gb-month",
    usageBased: true,
  });
  if (block(b.point_in_time_recovery)?.enabled === true)
    components.push({
      name: "Point-in-time recovery",
      unit: "GB-months",
      quantity: storage,
      priceKey: "dynamodb.pitr.gb-month",
      usageBased: true,
    });
  return { components };
};

export const DATA_PRICERS: Record<string, Pricer> = {
  aws_db_instance: dbInstance,
  aws_rds_cluster: auroraCluster,
  aws_rds_cluster_instance: auroraInstance,
  aws_appautoscaling_target: scalableTarget,
  aws_s3_bucket: s3Bucket,
  aws_ecr_repository: ecrRepository,
  aws_dynamodb_table: dynamodbTable,
};
