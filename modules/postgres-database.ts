import { Construct } from "constructs";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { RdsClusterParameterGroup } from "@cdktf/provider-aws/lib/rds-cluster-parameter-group";

export interface PostgresDatabaseProps {
  /** instance: RDS for PostgreSQL; aurora: an Aurora PostgreSQL cluster. */
  readonly kind: "instance" | "aurora";
  /** DB identifier (cluster identifier for Aurora). */
  readonly identifier: string;
  /**
   * Major version, e.g. "16": RDS picks the minor and upgrades it in the maintenance window, and the provider keeps a
   * configured major that prefixes the running version, so no plan proposes to undo an upgrade AWS made.
   */
  readonly majorVersion: string;
  /** e.g. db.t3.micro. */
  readonly instanceClass: string;
  readonly databaseName: string;
  /** Master user; RDS generates its password and keeps it in Secrets Manager. */
  readonly masterUsername: string;
  readonly port: number;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  /** GiB, instance only. */
  readonly allocatedStorage: number;
  /** Storage autoscaling ceiling, instance only. Default: none. */
  readonly maxAllocatedStorage?: number;
  readonly storageType: string;
  /** Standby in a second AZ, instance only. */
  readonly multiAz: boolean;
  /** Aurora readers besides the writer. */
  readonly readerCount: number;
  readonly backupRetentionDays: number;
  readonly backupWindow: string;
  readonly deletionProtection: boolean;
  /** Take a final snapshot on destroy. */
  readonly finalSnapshot: boolean;
  /** Extra parameter group settings (merged over TLS-only and slow-query logging). */
  readonly parameters: Record<string, string>;
  readonly iamAuthentication: boolean;
  readonly performanceInsights: boolean;
  readonly logExports: string[];
}

/** Settings every database gets unless the blueprint overrides them: TLS only, slow statements logged. */
const BASE_PARAMETERS: Record<string, string> = {
  "rds.force_ssl": "1",
  log_min_duration_statement: "1000",
};

/**
 * PostgreSQL as an RDS instance or an Aurora cluster, with the same secure core either way: private subnets only,
 * never publicly accessible, storage encrypted, master password generated and rotated by RDS in Secrets Manager
 * (never in Terraform state), backups, log exports, and deletion protection plus a final snapshot where asked.
 */
export class PostgresDatabase extends Construct {
  /** Writer endpoint host. */
  readonly address: string;
  /** host:port of the writer. */
  readonly endpoint: string;
  /** Reader endpoint host (Aurora) or the writer (instance). */
  readonly readerAddress: string;
  /** ARN of the Secrets Manager secret RDS manages for the master user. */
  readonly masterSecretArn: string;
  readonly arn: string;
  /** DB instance identifier (instance) or cluster identifier (Aurora): what CloudWatch metrics are keyed by. */
  readonly identifier: string;
  /** Identifiers of the DB instances: the instance, or each Aurora instance (writer and readers). */
  readonly instanceIdentifiers: string[];
  /** The Aurora instances Terraform keeps (writer and readers); none for an RDS instance. */
  readonly clusterInstances: readonly RdsClusterInstance[] = [];
  /** The resource id IAM database authentication grants name: `db-...` (instance) or `cluster-...` (Aurora). */
  readonly resourceId: string;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    const subnetGroup = new DbSubnetGroup(this, "this-subnet-group", {
      name: props.identifier,
      subnetIds: props.subnetIds,
      description: `Subnets of ${props.identifier}`,
    });
    const parameters = Object.entries({ ...BASE_PARAMETERS, ...props.parameters }).map(([name, value]) => ({
      name,
      value,
      applyMethod: "pending-reboot",
    }));
    const common = {
      engineVersion: props.majorVersion,
      // Raising majorVersion is the only way the version changes in the configuration: it is meant.
      allowMajorVersionUpgrade: true,
      manageMasterUserPassword: true,
      port: props.port,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: props.securityGroupIds,
      storageEncrypted: true,
      backupRetentionPeriod: props.backupRetentionDays,
      deletionProtection: props.deletionProtection,
      skipFinalSnapshot: !props.finalSnapshot,
      finalSnapshotIdentifier: props.finalSnapshot ? `${props.identifier}-final` : undefined,
      copyTagsToSnapshot: true,
      iamDatabaseAuthenticationEnabled: props.iamAuthentication,
      enabledCloudwatchLogsExports: props.logExports,
    };

    if (props.kind === "instance") {
      const family = `postgres${props.majorVersion}`;
      const parameterGroup = new DbParameterGroup(this, "this-parameters", {
        namePrefix: `${props.identifier}-${family}-`,
        family,
        parameter: parameters,
        lifecycle: { createBeforeDestroy: true },
      });
      const db = new DbInstance(this, "this-instance", {
        ...common,
        identifier: props.identifier,
        engine: "postgres",
        dbName: props.databaseName,
        username: props.masterUsername,
        instanceClass: props.instanceClass,
        allocatedStorage: props.allocatedStorage,
        maxAllocatedStorage: props.maxAllocatedStorage,
        storageType: props.storageType,
        multiAz: props.multiAz,
        parameterGroupName: parameterGroup.name,
        publiclyAccessible: false,
        backupWindow: props.backupWindow,
        maintenanceWindow: "sun:19:00-sun:20:00",
        autoMinorVersionUpgrade: true,
        performanceInsightsEnabled: props.performanceInsights,
      });
      this.address = db.address;
      this.endpoint = db.endpoint;
      this.readerAddress = db.address;
      this.masterSecretArn = db.masterUserSecret.get(0).secretArn;
      this.arn = db.arn;
      this.identifier = db.identifier;
      this.instanceIdentifiers = [db.identifier];
      this.resourceId = db.resourceId;
      return;
    }

    const family = `aurora-postgresql${props.majorVersion}`;
    const parameterGroup = new RdsClusterParameterGroup(this, "this-cluster-parameters", {
      namePrefix: `${props.identifier}-${family}-`,
      family,
      parameter: parameters,
      lifecycle: { createBeforeDestroy: true },
    });
    const cluster = new RdsCluster(this, "this-cluster", {
      ...common,
      clusterIdentifier: props.identifier,
      databaseName: props.databaseName,
      masterUsername: props.masterUsername,
      engine: "aurora-postgresql",
      dbClusterParameterGroupName: parameterGroup.name,
      preferredBackupWindow: props.backupWindow,
      preferredMaintenanceWindow: "sun:19:00-sun:20:00",
    });
    const instances: RdsClusterInstance[] = [];
    for (let i = 0; i <= props.readerCount; i++) {
      // Named like their identifiers (<id>-1, <id>-2 ...): which one is the writer changes with every failover.
      const instance = new RdsClusterInstance(this, String(i + 1), {
        identifier: `${props.identifier}-${i + 1}`,
        clusterIdentifier: cluster.id,
        // The instances run the cluster's version (no engine_version of their own to drift after an upgrade).
        engine: "aurora-postgresql",
        instanceClass: props.instanceClass,
        publiclyAccessible: false,
        performanceInsightsEnabled: props.performanceInsights,
        autoMinorVersionUpgrade: true,
      });
      instances.push(instance);
    }
    this.address = cluster.endpoint;
    this.endpoint = `${cluster.endpoint}:${props.port}`;
    this.readerAddress = cluster.readerEndpoint;
    this.masterSecretArn = cluster.masterUserSecret.get(0).secretArn;
    this.arn = cluster.arn;
    this.identifier = cluster.clusterIdentifier;
    this.instanceIdentifiers = instances.map((instance) => instance.identifier);
    this.clusterInstances = instances;
    this.resourceId = cluster.clusterResourceId;
  }
}
