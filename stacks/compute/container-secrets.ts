import type { Deployment } from "../../schema/resolve";
import type { SecretRef, SsmParameter } from "../../schema/blueprint";
import type { ContainerSecret } from "../../modules/fargate-service";
import type { Statement } from "../../modules/iam-documents";
import type { UpstreamOutputs } from "../blueprint-stack";

/** Where a service's secrets come from: the data stack (database secrets) and the parameters stack (app secrets). */
export interface SecretSources {
  readonly data?: UpstreamOutputs;
  readonly parameters?: UpstreamOutputs;
}

/** A blueprint secret reference as ECS injects it: the env var, what ECS reads and the grant that allows it. */
export function containerSecret(envName: string, ref: SecretRef, d: Deployment, from: SecretSources): ContainerSecret {
  const account = d.accountId ?? "*";
  // Secrets an upstream stack created: their exact ARN is known, so a JSON key can be picked and the grant is exact.
  if ("appSecret" in ref)
    return secretByArn(envName, from.parameters!.entry("app_secret_arns", ref.appSecret), ref.key);
  if ("fromDatabase" in ref) return secretByArn(envName, from.data!.string("db_secret_arn"), ref.fromDatabase);
  if ("secretsManager" in ref) {
    const arnBase = `arn:aws:secretsmanager:${d.region}:${d.accountId}:secret:${ref.secretsManager}`;
    return {
      name: envName,
      // Same-region secrets can be named; a JSON key needs the ARN form (the blueprint then needs accountId).
      valueFrom: ref.key ? `${arnBase}:${ref.key}::` : ref.secretsManager,
      read: {
        action: "secretsmanager:GetSecretValue",
        resource: `arn:aws:secretsmanager:${d.region}:${account}:secret:${ref.secretsManager}-??????`,
      },
    };
  }
  return {
    name: envName,
    valueFrom: ref.ssmParameter,
    read: { action: "ssm:GetParameters", resource: `arn:aws:ssm:${d.region}:${account}:parameter${ref.ssmParameter}` },
  };
}

/** A Secrets Manager secret by its full ARN, whole or one JSON key of it (`<arn>:<key>::`). */
function secretByArn(name: string, arn: string, key?: string): ContainerSecret {
  return {
    name,
    valueFrom: key ? `${arn}:${key}::` : arn,
    read: { action: "secretsmanager:GetSecretValue", resource: arn },
  };
}

/** The task role may read (decrypted, with the aws/ssm key) exactly the parameters that name the service a reader. */
export function parameterReads(
  params: readonly SsmParameter[],
  service: string,
  upstream: UpstreamOutputs | undefined,
): Statement[] {
  const read = params.filter((p) => p.readers.includes(service));
  if (read.length === 0 || !upstream) return [];
  return [
    {
      sid: "ReadParameters",
      actions: ["ssm:GetParameter", "ssm:GetParameters"],
      resources: read.map((p) => upstream.entry("parameter_arns", p.name)),
    },
  ];
}
