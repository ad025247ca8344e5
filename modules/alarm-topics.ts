import { Construct } from "constructs";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { policyDocument } from "./iam-documents";

export interface AlarmTopic {
  /** Tier the topic serves (critical, warning ...): names its address (`aws_sns_topic.<id>_<tier>`). */
  readonly tier: string;
  readonly name: string;
  /** E-mail subscribers (each confirms by mail). Default: none. */
  readonly emails?: readonly string[];
}

export interface AlarmTopicsProps {
  /** One topic per tier; alarms pick theirs by tier. */
  readonly topics: readonly AlarmTopic[];
  /**
   * Encrypt the topics with one customer-managed KMS key of this construct (alias `alias/<aliasName>`) whose policy
   * lets CloudWatch alarms publish, owned by this account id. Default: the AWS-managed alias/aws/sns key, whose policy
   * CloudWatch cannot use: alarm notifications to such a topic are dropped.
   */
  readonly customerManagedKey?: { readonly accountId: string; readonly aliasName: string };
}

/**
 * Encrypted SNS topics that alarms notify, one per tier, with their e-mail subscriptions. The key and its alias take
 * the construct's name (`aws_kms_key.alerts`); topics add their tier (`aws_sns_topic.alerts_critical`).
 */
export class AlarmTopics extends Construct {
  readonly topics = new Map<string, SnsTopic>();
  readonly key?: KmsKey;

  constructor(scope: Construct, id: string, props: AlarmTopicsProps) {
    super(scope, id);
    if (props.customerManagedKey) {
      const { accountId, aliasName } = props.customerManagedKey;
      this.key = this.topicKey(props.topics.map((t) => t.name).join(", "), accountId);
      new KmsAlias(this, "this-alias", { name: `alias/${aliasName}`, targetKeyId: this.key.keyId });
    }
    for (const t of props.topics) {
      const tier = new Construct(this, t.tier);
      const topic = new SnsTopic(tier, "this-topic", {
        name: t.name,
        kmsMasterKeyId: this.key ? this.key.arn : "alias/aws/sns",
      });
      this.topics.set(t.tier, topic);
      (t.emails ?? []).forEach(
        (email, i) =>
          new SnsTopicSubscription(tier, `email-${i + 1}`, { topicArn: topic.arn, protocol: "email", endpoint: email }),
      );
    }
  }

  /** ARN of the tier's topic; a tier without a topic is a programming error (semantics refuse it in blueprints). */
  arnOf(tier: string): string {
    const topic = this.topics.get(tier);
    if (!topic) throw new Error(`AlarmTopics: no topic for tier ${tier}`);
    return topic.arn;
  }

  /**
   * CloudWatch alarms publish to an encrypted topic only when the key policy lets cloudwatch.amazonaws.com use the
   * key; AWS-managed keys' policies cannot be changed, hence a key of our own (rotated yearly). The account keeps
   * administering it; the service may only encrypt for this account's alarms (aws:SourceAccount).
   */
  private topicKey(topicNames: string, accountId: string): KmsKey {
    return new KmsKey(this, "this-key", {
      description: `Encrypts SNS topics ${topicNames} (CloudWatch alarms may publish)`.slice(0, 8192),
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyDocument(this, "key-policy", [
        {
          sid: "AccountAdministersKey",
          actions: ["kms:*"],
          resources: ["*"],
          principals: [{ type: "AWS", identifiers: [`arn:aws:iam::${accountId}:root`] }],
        },
        {
          sid: "CloudWatchAlarmsPublish",
          actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
          resources: ["*"],
          principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
          conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] }],
        },
      ]),
    });
  }
}
