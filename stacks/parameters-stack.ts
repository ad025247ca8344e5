import { Construct } from "constructs";
import type { Deployment } from "../schema/resolve";
import { SecureParameters } from "../modules/secure-parameters";
import { OutOfBandSecret } from "../modules/out-of-band-secret";
import { appSecretName, parameterPathPrefix } from "../schema/names";
import { BlueprintStack, type BlueprintStackProps } from "./blueprint-stack";

/**
 * SSM SecureString parameters and Secrets Manager secrets (appSecrets) whose values are written out of band. A stack
 * of its own, before compute, for the same reason as the registry: the values must be written between creating the
 * parameters and starting the services that read them.
 */
export class ParametersStack extends BlueprintStack {
  constructor(scope: Construct, id: string, d: Deployment, base: BlueprintStackProps) {
    super(scope, id, base);
    if (d.spec.ssmParameters.length > 0) this.publishSsmParameters(d);
    if (d.spec.appSecrets.length > 0) this.publishAppSecrets(d);
  }

  private publishSsmParameters(d: Deployment): void {
    const secure = new SecureParameters(this, "this-parameters", {
      pathPrefix: parameterPathPrefix(d),
      parameters: d.spec.ssmParameters,
    });
    const entries = Object.entries(secure.parameters);
    this.publish(
      "parameter_arns",
      "map",
      Object.fromEntries(entries.map(([name, p]) => [name, p.arn])),
      "ARN of each SSM parameter (for task role read policies)",
    );
    this.publish(
      "parameter_names",
      "map",
      Object.fromEntries(entries.map(([name, p]) => [name, p.name])),
      "Full name of each SSM parameter (write its value out of band with aws ssm put-parameter --overwrite)",
    );
  }

  private publishAppSecrets(d: Deployment): void {
    const secrets = d.spec.appSecrets.map(
      (a) =>
        [
          a.name,
          new OutOfBandSecret(this, a.name, {
            name: appSecretName(d, a.name),
            description: a.description,
            // Production keeps a deleted secret restorable for 30 days; elsewhere a destroyed environment must be
            // creatable again under the same names at once.
            recoveryWindowInDays: d.production ? 30 : 0,
          }),
        ] as const,
    );
    this.publish(
      "app_secret_arns",
      "map",
      Object.fromEntries(secrets.map(([name, s]) => [name, s.secret.arn])),
      "ARN of each application secret (write its value with aws secretsmanager put-secret-value)",
    );
    this.publish(
      "app_secret_names",
      "map",
      Object.fromEntries(secrets.map(([name, s]) => [name, s.secret.name])),
      "Full name of each application secret",
    );
  }
}
