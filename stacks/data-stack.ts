import { Construct } from "constructs";
import type { Deployment } from "../schema/resolve";
import { defaultDatabaseSubnets, selectSubnets, subnetLabel } from "../schema/subnets";
import { PostgresDatabase } from "../modules/postgres-database";
import { databaseIdentifier } from "../schema/names";
import { readerAutoscalingMin } from "../schema/log-router-defaults";
import { AuroraReaderAutoscaling } from "../modules/aurora-reader-autoscaling";
import { BlueprintStack, type BlueprintStackProps } from "./blueprint-stack";
import type { NetworkStack } from "./network-stack";

/** The database, in the subnets and security group the network stack made for it. */
export class DataStack extends BlueprintStack {
  readonly database: PostgresDatabase;

  constructor(scope: Construct, id: string, d: Deployment, base: BlueprintStackProps, network: NetworkStack) {
    super(scope, id, base);
    const db = d.spec.database!;
    const net = this.fromStack(network);
    const labels = selectSubnets(d.spec.network.subnets, db.subnets ?? defaultDatabaseSubnets(d.spec)).map(subnetLabel);
    this.database = new PostgresDatabase(this, "database", {
      kind: db.kind,
      identifier: databaseIdentifier(d),
      majorVersion: db.engineVersion,
      instanceClass: db.instanceClass,
      databaseName: db.databaseName ?? d.app.replace(/-/g, "_"),
      masterUsername: db.masterUsername,
      port: db.port,
      subnetIds: labels.map((l) => net.entry("subnet_ids", l)),
      securityGroupIds: [net.string("db_security_group_id")],
      allocatedStorage: db.allocatedStorage,
      maxAllocatedStorage: db.maxAllocatedStorage,
      storageType: db.storageType,
      multiAz: db.multiAz,
      readerCount: db.readerCount,
      backupRetentionDays: db.backupRetentionDays,
      backupWindow: db.backupWindow,
      deletionProtection: db.deletionProtection ?? d.production,
      finalSnapshot: d.production,
      parameters: db.parameters,
      iamAuthentication: db.iamAuthentication,
      performanceInsights: db.performanceInsights,
      logExports: db.logExports,
    });
    if (db.kind === "aurora" && db.readerAutoscaling) {
      const scaling = db.readerAutoscaling;
      new AuroraReaderAutoscaling(this, "readers", {
        clusterIdentifier: this.database.identifier,
        minCapacity: readerAutoscalingMin(db),
        maxCapacity: scaling.max,
        metric: scaling.metric,
        targetValue: scaling.target ?? 70,
        scaleInCooldown: scaling.scaleInCooldown,
        scaleOutCooldown: scaling.scaleOutCooldown,
        dependsOn: [...this.database.clusterInstances],
      });
    }
    this.publish("db_endpoint", "string", this.database.endpoint, "Writer endpoint (host:port)");
    this.publish("db_address", "string", this.database.address, "Writer host name");
    this.publish(
      "db_reader_address",
      "string",
      this.database.readerAddress,
      "Reader host name (the writer for instances)",
    );
    this.publish("db_port", "string", String(db.port), "Database port");
    this.publish("db_name", "string", db.databaseName ?? d.app.replace(/-/g, "_"), "Initial database name");
    this.publish(
      "db_secret_arn",
      "string",
      this.database.masterSecretArn,
      "Secrets Manager secret (username, password) managed by RDS",
    );
    this.publish("db_arn", "string", this.database.arn, "Database (or cluster) ARN");
    this.publish("db_identifier", "string", this.database.identifier, "Instance (or cluster) identifier");
    this.publish(
      "db_instance_identifiers",
      "list",
      this.database.instanceIdentifiers,
      "Identifiers of the DB instances (the instance, or the Aurora writer and readers as created)",
    );
    this.publish(
      "db_resource_id",
      "string",
      this.database.resourceId,
      "Resource id of the database (db-...) or cluster (cluster-...): what rds-db:connect grants name",
    );
  }
}
