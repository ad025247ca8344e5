import { Construct } from "constructs";
import { Fn } from "cdktf";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { SsmDocument } from "@cdktf/provider-aws/lib/ssm-document";
import { serviceTrust } from "./iam-documents";
import { Role } from "./iam-role";

export interface RestartOnRotationProps {
  /** Names of the rule, the runbook, the runbook's role and the rule's role. */
  readonly names: {
    readonly rule: string;
    readonly runbook: string;
    readonly restartsRole: string;
    readonly eventsRole: string;
  };
  /** The rotating secret, by ARN (Secrets Manager reports rotations by ARN). */
  readonly secretArn: string;
  readonly clusterArn: string;
  /** ECS services (rolling deployments) that read the secret when their tasks start: restarted in this order. */
  readonly services: readonly { readonly name: string; readonly arn: string }[];
  /** Where the runbook lives (its ARN names them). */
  readonly region: string;
  readonly accountId: string;
}

/**
 * Restarts ECS services after a secret they inject has rotated. ECS reads an injected secret once, when a task
 * starts; after a rotation the running tasks hold the old value, and new connections fail until they restart. So a
 * rule on the rotation event (CloudTrail's RotationSucceeded, delivered to the default event bus) starts an SSM
 * Automation runbook that forces a new deployment of each service: new tasks read the new value, old ones drain.
 * No code to maintain: the runbook calls ECS's UpdateService itself (aws:executeAwsApi). Its role may update exactly
 * these services; the rule's role may start exactly this runbook and pass it exactly that role. (A Step Functions
 * state machine would do the same, but the provider validates its definition against the AWS API at every plan.)
 * Addresses take the construct's name (`aws_cloudwatch_event_rule.<name>`, `aws_ssm_document.<name>`,
 * `aws_iam_role.<name>_restarts` and `_events`).
 */
export class RestartOnRotation extends Construct {
  readonly rule: CloudwatchEventRule;
  readonly runbook: SsmDocument;

  constructor(scope: Construct, id: string, props: RestartOnRotationProps) {
    super(scope, id);
    if (props.services.length === 0) throw new Error("RestartOnRotation: no service to restart");
    const restarts = new Role(this, "restarts", {
      name: props.names.restartsRole,
      trust: serviceTrust("ssm.amazonaws.com"),
      statements: [
        { sid: "ForceNewDeployments", actions: ["ecs:UpdateService"], resources: props.services.map((s) => s.arn) },
      ],
      policyName: "restart-services",
    }).role;
    this.runbook = new SsmDocument(this, "this-runbook", {
      name: props.names.runbook,
      documentType: "Automation",
      documentFormat: "JSON",
      content: Fn.jsonencode({
        schemaVersion: "0.3",
        description: "New tasks read the rotated secret; old ones drain (a forced deployment of each service)",
        assumeRole: "{{ AutomationAssumeRole }}",
        parameters: { AutomationAssumeRole: { type: "String", description: "Role that may restart the services" } },
        mainSteps: props.services.map((s, i) => ({
          name: `restart_${i + 1}`,
          description: `Restart ${s.name}`,
          action: "aws:executeAwsApi",
          maxAttempts: 3,
          inputs: {
            Service: "ecs",
            Api: "UpdateService",
            cluster: props.clusterArn,
            service: s.name,
            forceNewDeployment: true,
          },
        })),
      }),
    });
    this.rule = new CloudwatchEventRule(this, "this-rule", {
      name: props.names.rule,
      description: "The injected secret rotated: restart the services that read it at start",
      eventPattern: Fn.jsonencode({
        source: ["aws.secretsmanager"],
        "detail-type": ["AWS Service Event via CloudTrail"],
        detail: {
          eventSource: ["secretsmanager.amazonaws.com"],
          eventName: ["RotationSucceeded"],
          additionalEventData: { SecretId: [props.secretArn] },
        },
      }),
    });
    const definition = `arn:aws:ssm:${props.region}:${props.accountId}:automation-definition/${this.runbook.name}`;
    const events = new Role(this, "events", {
      name: props.names.eventsRole,
      trust: serviceTrust("events.amazonaws.com"),
      statements: [
        { sid: "StartRestart", actions: ["ssm:StartAutomationExecution"], resources: [`${definition}:*`] },
        {
          sid: "PassRestartRole",
          actions: ["iam:PassRole"],
          resources: [restarts.arn],
          conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ssm.amazonaws.com"] }],
        },
      ],
      policyName: "start-restart",
    }).role;
    new CloudwatchEventTarget(this, "this-target", {
      rule: this.rule.name,
      arn: `${definition}:$DEFAULT`,
      roleArn: events.arn,
      input: Fn.jsonencode({ AutomationAssumeRole: [restarts.arn] }),
    });
  }
}
