import { accountOf, accountsOf, describeAccount } from "../accounts";
import type { Deployment } from "../resolve";
import { documented, type CrossRule, type DeploymentRule } from "./types";

/** The parts of an ARN: arn:<partition>:<service>:<region>:<account>:<resource>. */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

export function parseArn(text: string): Arn | undefined {
  const m = /^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/.exec(text);
  return m ? { partition: m[1], service: m[2], region: m[3], account: m[4], resource: m[5] } : undefined;
}

/** The partition a region belongs to (aws, aws-cn, aws-us-gov). */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** Every ARN the blueprint writes, with its field: today the HTTPS listener's certificate. */
function writtenArns(d: Deployment): { path: string; arn: Arn; text: string }[] {
  const cert = d.spec.loadBalancer?.https?.certificate;
  if (cert?.source !== "arn") return [];
  const arn = parseArn(cert.arn);
  return arn ? [{ path: "loadBalancer.https.certificate.arn", arn, text: cert.arn }] : [];
}

const LISTENER_SOURCE = documented(
  "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html",
);

export const ARN_RULES: readonly (DeploymentRule | CrossRule)[] = [
  {
    id: "certificate-region",
    concern: "arns",
    refuses:
      "CertificateNotFound: an HTTPS listener takes ACM certificates of its own region only (a certificate is regional)",
    source: LISTENER_SOURCE,
    each: (d, report) => {
      for (const { path, arn, text } of writtenArns(d)) {
        if (arn.region !== d.region) {
          report(
            path,
            text,
            `is a certificate in ${arn.region || "no region"}, but environment ${d.environment}'s load balancer is in ${d.region}; a listener takes certificates of its own region only. Fix: request or import the certificate in ${d.region} and use that ARN`,
          );
        }
      }
    },
  },
  {
    id: "certificate-partition",
    concern: "arns",
    refuses: "ValidationError: the ARN's partition must be the region's (aws, aws-cn, aws-us-gov)",
    source: documented("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html"),
    each: (d, report) => {
      for (const { path, arn, text } of writtenArns(d)) {
        if (arn.partition !== partitionOf(d.region)) {
          report(
            path,
            text,
            `is in partition ${arn.partition}, but ${d.region} is in ${partitionOf(d.region)}. Fix: use a certificate ARN of arn:${partitionOf(d.region)}:acm:${d.region}:...`,
          );
        }
      }
    },
  },
  {
    id: "certificate-account",
    concern: "arns",
    refuses:
      "CertificateNotFound / AccessDenied: a listener takes certificates of the load balancer's own account only (ACM certificates cannot be shared across accounts)",
    source: LISTENER_SOURCE,
    across: (deployments, report) => {
      // The account model says which environments share an account; every certificate ARN says which account it
      // is in. The two must agree: a pinned id is that account, and two accounts of the model cannot both be one
      // AWS account.
      const accounts = accountsOf(deployments);
      const modelOf = new Map<string, { key: string; d: Deployment }>();
      for (const d of deployments) {
        const account = accountOf(d, accounts);
        for (const { path, arn, text } of writtenArns(d)) {
          if (account.id && arn.account !== account.id) {
            report(
              d,
              path,
              text,
              `is a certificate of account ${arn.account}, but environment ${d.environment} deploys into ${account.id}; a listener takes certificates of its own account only. Fix: use a certificate of account ${account.id}`,
            );
            continue;
          }
          const earlier = modelOf.get(arn.account);
          if (earlier && earlier.key !== account.key) {
            report(
              d,
              path,
              text,
              `is a certificate of account ${arn.account}, as is ${earlier.d.app === d.app ? "" : `blueprint ${earlier.d.app}, `}environment ${earlier.d.environment}'s; but the account model puts the two in different accounts (this one in ${describeAccount(account)}), and a listener takes certificates of its own account only. Fix: if they share account ${arn.account}, say so (environments[].accountId: "${arn.account}" on both); if not, use each account's own certificate`,
            );
          } else if (!earlier) {
            modelOf.set(arn.account, { key: account.key, d });
          }
        }
      }
    },
  },
];

/** A Secrets Manager reference written as an ARN rather than a name. */
export const SECRET_REFERENCE_RULE: DeploymentRule = {
  id: "secret-reference-arn",
  concern: "arns",
  refuses:
    "ResourceInitializationError: unable to retrieve secret ... AccessDeniedException (the execution role is granted the secret by the name the blueprint gives, in the environment's region and account)",
  source: documented("https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html"),
  each: (d, report) => {
    d.spec.services.forEach((svc, i) => {
      for (const [env, ref] of Object.entries(svc.secrets)) {
        if ("secretsManager" in ref && ref.secretsManager.startsWith("arn:")) {
          report(
            `services[${i}].secrets.${env}.secretsManager`,
            ref.secretsManager,
            `names the secret by ARN; the task's read grant and ECS's valueFrom are built from a secret name in ${d.region}, so ECS would be refused the secret when the task starts. Fix: write the secret's name (it must live in ${d.region}, in the environment's account)`,
          );
        }
      }
    });
  },
};
