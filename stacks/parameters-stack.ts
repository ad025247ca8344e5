import { Construct } from "constructs";
import type { Deployment } from "../schema/resolve";
import { SecureParameters } from "../modules/secure-parameters";
import { BlueprintStack, type BlueprintStackProps } from "./blueprint-stack";

/** Path prefix of a deployment's parameters: `/<app>-<env>`, the name of the whole deployment, not of one layer. */
export function parameterPathPrefix(d: Deployment): string {
  return `/${d.prefix}`;
}

/**
 * SSM SecureString parameters whose values are written out of band. A stack of its own, before compute, for the
 * same reason as the registry: the values must be written between creating the parameters and starting the
 * services that read them.
 */
export class ParametersStack extends BlueprintStack {
  constructor(scope: Construct, id: string, d: Deployment, base: BlueprintStackProps) {
    super(scope, id, base);
    const secure = new SecureParameters(this, "parameters", {
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
}
