import { accountInArn } from "../../modules/arn";
import { servicesRestartedOnRotation } from "../../schema/operations-rules";
import { rotationRestartNames } from "../../schema/names";
import { Fn } from "cdktf";
import type { Service } from "../../schema/blueprint";
import type { Statement } from "../../modules/iam-documents";
import type { EcsCluster } from "../../modules/ecs-cluster";
import { RestartOnRotation } from "../../modules/restart-on-rotation";
import type { BlueprintStack } from "../blueprint-stack";
import type { ComputeInputs } from "./inputs";
import type { RunningService } from "./services";

/**
 * The task role's grant to connect as the application user with IAM authentication: rds-db:connect on
 * `dbuser:<resource id>/<user>`, where the resource id is the instance's DbiResourceId (db-...) or the cluster's
 * (cluster-...), never its name. Tokens are signed locally by the task (no network call) and last 15 minutes.
 */
export function databaseConnect(svc: Service, inputs: ComputeInputs): Statement[] {
  const db = inputs.d.spec.database;
  if (!svc.databaseAccess || !db?.iamAuthentication || !inputs.data) return [];
  // Without a configured account id, take it from the database's ARN (aws_caller_identity needs credentials).
  const account = inputs.d.accountId ?? accountInArn(inputs.data.string("db_arn"));
  const resourceId = inputs.data.string("db_resource_id");
  return [
    {
      sid: "ConnectToDatabase",
      actions: ["rds-db:connect"],
      resources: [`arn:aws:rds-db:${inputs.d.region}:${account}:dbuser:${resourceId}/${db.applicationUser}`],
    },
  ];
}

/**
 * Services that inject the master password (secrets fromDatabase: password) read it when their tasks start; RDS
 * rotates it every 7 days. They are restarted after each rotation, so that no task keeps a password that no longer
 * works (blue/green services cannot inject it: semantics refuse that).
 */
export function restartOnRotation(
  stack: BlueprintStack,
  inputs: ComputeInputs,
  cluster: EcsCluster,
  services: readonly RunningService[],
): RestartOnRotation | undefined {
  const restarted = servicesRestartedOnRotation(inputs.d.spec);
  const injecting = services.filter(({ unit }) => restarted.includes(unit.svc));
  if (injecting.length === 0 || !inputs.data) return undefined;
  return new RestartOnRotation(stack, "database-password", {
    names: rotationRestartNames(inputs.d),
    secretArn: inputs.data.string("db_secret_arn"),
    clusterArn: cluster.cluster.arn,
    // Built from the cluster's ARN rather than read from the services: a policy that read them would be planned
    // anew (unknown until apply) whenever a service changes.
    services: injecting.map(({ fargate }) => ({
      name: fargate.serviceName,
      arn: `${Fn.replace(cluster.cluster.arn, ":cluster/", ":service/")}/${fargate.serviceName}`,
    })),
    region: inputs.d.region,
    accountId: inputs.d.accountId ?? accountInArn(cluster.cluster.arn),
  });
}
