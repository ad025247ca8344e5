import { Construct } from "constructs";
import { Fn } from "cdktf";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { SfnStateMachine } from "@cdktf/provider-aws/lib/sfn-state-machine";
import { serviceTrust } from "./iam-documents";
import { Role } from "./iam-role";

export interface RestartOnRotationProps {
  /** Names the rule, the state machine and the two roles (at most 40 characters: roles add a suffix). */
  readonly name: string;
  /** The rotating secret, by ARN (Secrets Manager reports rotations by ARN). */
  readonly secretArn: string;
  readonly clusterArn: string;
  /** ECS services (rolling deployments) that read the secret when their tasks start: restarted in this order. */
  readonly services: readonly { readonly name: string; readonly arn: string }[];
}

/**
 * Restarts ECS services after a secret they inject has rotated. ECS reads an injected secret once, when a task
 * starts; after a rotation the running tasks hold the old value, and new connections fail until they restart. So a
 * rule on the rotation event (CloudTrail's RotationSucceeded, delivered to the default event bus) starts a state
 * machine that forces a new deployment of each service: new tasks read the new value, old ones drain. No code: the
 * state machine calls ECS's UpdateService itself (AWS SDK integration). Its role may update exactly these services;
 * the rule's role may start exactly this state machine. Addresses take the construct's name
 * (`aws_cloudwatch_event_rule.<name>`, `aws_sfn_state_machine.<name>`, `aws_iam_role.<name>_restarts` and `_events`).
 */
export class RestartOnRotation extends Construct {
  readonly rule: CloudwatchEventRule;
  readonly stateMachine: SfnStateMachine;

  constructor(scope: Construct, id: string, props: RestartOnRotationProps) {
    super(scope, id);
    if (props.services.length === 0) throw new Error("RestartOnRotation: no service to restart");
    const restarts = new Role(this, "restarts", {
      name: `${props.name}-restarts`,
      trust: serviceTrust("states.amazonaws.com"),
      statements: [
        { sid: "ForceNewDeployments", actions: ["ecs:UpdateService"], resources: props.services.map((s) => s.arn) },
      ],
      policyName: "restart-services",
    }).role;
    const steps = props.services.map((s) => `Restart ${s.name}`);
    this.stateMachine = new SfnStateMachine(this, "this-state-machine", {
      name: `${props.name}-restart-on-rotation`,
      roleArn: restarts.arn,
      definition: Fn.jsonencode({
        Comment: "New tasks read the rotated secret; old ones drain (a forced deployment of each service)",
        StartAt: steps[0],
        States: Object.fromEntries(
          props.services.map((s, i) => [
            steps[i],
            {
              Type: "Task",
              Resource: "arn:aws:states:::aws-sdk:ecs:updateService",
              Parameters: { Cluster: props.clusterArn, Service: s.name, ForceNewDeployment: true },
              Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 10, MaxAttempts: 3, BackoffRate: 2 }],
              ...(i + 1 < steps.length ? { Next: steps[i + 1] } : { End: true }),
            },
          ]),
        ),
      }),
    });
    this.rule = new CloudwatchEventRule(this, "this-rule", {
      name: `${props.name}-secret-rotated`,
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
    const events = new Role(this, "events", {
      name: `${props.name}-rotation-events`,
      trust: serviceTrust("events.amazonaws.com"),
      statements: [{ sid: "StartRestart", actions: ["states:StartExecution"], resources: [this.stateMachine.arn] }],
      policyName: "start-restart",
    }).role;
    new CloudwatchEventTarget(this, "this-target", {
      rule: this.rule.name,
      arn: this.stateMachine.arn,
      roleArn: events.arn,
    });
  }
}
