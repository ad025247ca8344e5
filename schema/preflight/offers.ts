import { describeMemoryChoices, fargateMemoryFor, FARGATE_CPU_VALUES } from "../fargate";
import type { Database } from "../blueprint";
import { documented, type DeploymentRule } from "./types";

/* What AWS offers: Fargate task sizes and the RDS instance classes an engine and version run on. */

/**
 * Instance class families by engine: the sizes offered, or none. A family not listed (a newer one, say) is left to
 * RDS; the table only refuses what AWS documents as not offered.
 */
interface ClassOffer {
  readonly family: string;
  /** Sizes offered; undefined: none. */
  readonly sizes?: readonly string[];
  /** From this engine major version on (inclusive); undefined: every version. */
  readonly fromMajor?: number;
  readonly note: string;
}

const NOT_OFFERED: Record<Database["kind"], readonly ClassOffer[]> = {
  aurora: [
    { family: "db.t2", note: "Aurora PostgreSQL offers no db.t2 classes" },
    { family: "db.t3", sizes: ["medium", "large"], note: "Aurora PostgreSQL offers db.t3 in medium and large only" },
    { family: "db.t4g", sizes: ["medium", "large"], note: "Aurora PostgreSQL offers db.t4g in medium and large only" },
    ...["db.m1", "db.m3", "db.m4", "db.m5", "db.m5d", "db.m6g", "db.m6gd", "db.m6i", "db.m6id", "db.m7g", "db.m7i"].map(
      (family) => ({ family, note: "Aurora offers no general-purpose (db.m) classes: use db.r or db.t classes" }),
    ),
  ],
  instance: [
    {
      family: "db.t2",
      fromMajor: 13,
      note: "RDS for PostgreSQL 13 and later offers no db.t2 classes (use db.t3 or db.t4g)",
    },
    ...["db.m1", "db.m2", "db.m3", "db.r3"].map((family) => ({
      family,
      note: "previous-generation classes RDS for PostgreSQL no longer offers",
    })),
  ],
};

/** Why RDS would refuse the class for this database, or undefined when the table has nothing against it. */
export function instanceClassRefusal(db: Database): string | undefined {
  const [, family, size] = /^(db\.[a-z0-9]+)\.([a-z0-9]+)$/.exec(db.instanceClass) ?? [];
  const major = Number.parseInt(db.engineVersion, 10);
  const offer = NOT_OFFERED[db.kind].find(
    (o) => o.family === family && (o.fromMajor === undefined || major >= o.fromMajor),
  );
  if (!offer || (offer.sizes && offer.sizes.includes(size))) return undefined;
  return offer.note;
}

export const OFFER_RULES: readonly DeploymentRule[] = [
  {
    id: "fargate-task-size",
    concern: "offers",
    refuses:
      "ClientException: No Fargate configuration exists for given values (cpu 256-16384 units, each with its own memory sizes)",
    source: documented(
      "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size",
    ),
    each: (d, report) => {
      d.spec.services.forEach((svc, i) => {
        const memory = fargateMemoryFor(svc.cpu);
        if (!memory) {
          report(
            `services[${i}].cpu`,
            svc.cpu,
            `is not a Fargate CPU value. Fix: use one of ${FARGATE_CPU_VALUES.join(", ")}`,
          );
        } else if (!memory.includes(svc.memory)) {
          report(
            `services[${i}].memory`,
            svc.memory,
            `is not offered by Fargate with cpu ${svc.cpu}. Fix: use ${describeMemoryChoices(svc.cpu)} MiB`,
          );
        }
      });
    },
  },
  {
    id: "rds-instance-class",
    concern: "offers",
    refuses:
      "InvalidParameterCombination: RDS does not support creating a DB instance with the following combination: DBInstanceClass=..., Engine=..., EngineVersion=...",
    source: documented(
      "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.DBInstanceClass.SupportAurora.html",
    ),
    each: (d, report) => {
      const db = d.spec.database;
      const refusal = db && instanceClassRefusal(db);
      if (!db || !refusal) return;
      const engine = db.kind === "aurora" ? "Aurora PostgreSQL" : "RDS for PostgreSQL";
      report(
        "database.instanceClass",
        db.instanceClass,
        `is not offered for ${engine} ${db.engineVersion}: ${refusal}. Fix: ${db.kind === "aurora" ? "use e.g. db.t4g.medium (development) or db.r6g.large" : "use e.g. db.t4g.micro or db.m6g.large"}`,
      );
    },
  },
  {
    id: "rds-provisioned-iops",
    concern: "offers",
    refuses:
      "InvalidParameterCombination: io1 and io2 storage need Iops (and at least 100 GiB), which the blueprint does not set",
    source: documented("https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Storage.html#USER_PIOPS"),
    each: (d, report) => {
      const db = d.spec.database;
      if (db?.kind === "instance" && (db.storageType === "io1" || db.storageType === "io2")) {
        report(
          "database.storageType",
          db.storageType,
          "is Provisioned IOPS storage, which RDS creates only with an Iops value the blueprint cannot give. Fix: use gp3 (its baseline of 3,000 IOPS covers most applications)",
        );
      }
    },
  },
  {
    id: "rds-max-allocated-storage",
    concern: "offers",
    refuses:
      "InvalidParameterCombination: Max storage size must be greater than storage size (the storage autoscaling ceiling is above the allocated storage)",
    source: documented("https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html"),
    each: (d, report) => {
      const db = d.spec.database;
      if (
        db?.kind === "instance" &&
        db.maxAllocatedStorage !== undefined &&
        db.maxAllocatedStorage <= db.allocatedStorage
      ) {
        report(
          "database.maxAllocatedStorage",
          db.maxAllocatedStorage,
          `is not above allocatedStorage ${db.allocatedStorage}. Fix: raise it above ${db.allocatedStorage} or remove it`,
        );
      }
    },
  },
  {
    id: "rds-backup-window",
    concern: "offers",
    refuses:
      "InvalidParameterValue: The backup window must be hh24:mi-hh24:mi in UTC, valid times, and at least 30 minutes",
    source: documented(
      "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.BackupWindow.html",
    ),
    each: (d, report) => {
      const db = d.spec.database;
      if (!db) return;
      const minutes = windowMinutes(db.backupWindow);
      if (minutes === undefined) {
        report(
          "database.backupWindow",
          db.backupWindow,
          "has a time that does not exist. Fix: use hh:mm-hh:mm in UTC, e.g. 18:00-19:00",
        );
      } else if (minutes < 30) {
        report(
          "database.backupWindow",
          db.backupWindow,
          `is ${minutes} minutes; RDS needs at least 30. Fix: widen it, e.g. 18:00-19:00`,
        );
      }
    },
  },
];

/** The length of an hh:mm-hh:mm window in minutes (it may wrap midnight), or undefined for an impossible time. */
function windowMinutes(window: string): number | undefined {
  const m = /^(\d\d):(\d\d)-(\d\d):(\d\d)$/.exec(window);
  if (!m) return undefined;
  const [h1, m1, h2, m2] = m.slice(1).map(Number);
  if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59) return undefined;
  return (h2 * 60 + m2 - (h1 * 60 + m1) + 1440) % 1440;
}
