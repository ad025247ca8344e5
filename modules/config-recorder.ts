import { accountInArn } from "./arn";
import { Construct } from "constructs";
import { ConfigConfigurationRecorder } from "@cdktf/provider-aws/lib/config-configuration-recorder";
import { ConfigConfigurationRecorderStatus } from "@cdktf/provider-aws/lib/config-configuration-recorder-status";
import { ConfigDeliveryChannel } from "@cdktf/provider-aws/lib/config-delivery-channel";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { policyDocument, serviceTrust, type Statement } from "./iam-documents";
import { Role } from "./iam-role";
import { PrivateBucket } from "./private-bucket";

export interface ConfigRecorderProps {
  /** Configuration recorder name (one recorder per account and region). */
  readonly recorderName: string;
  /** Delivery channel name (one channel per account and region). */
  readonly deliveryChannelName: string;
  /** The recorder's IAM role. */
  readonly roleName: string;
  /** Name prefix of the bucket the channel delivers to (Terraform appends a unique suffix). */
  readonly bucketPrefix: string;
  /** The account's id, for the bucket policy's conditions and object path. Default: read from the role's ARN. */
  readonly accountId?: string;
  /** CONTINUOUS (an item per change) or DAILY. Default: CONTINUOUS. */
  readonly recordingFrequency?: "CONTINUOUS" | "DAILY";
  /** Record global resource types (IAM) too: in one region of the account only. Default: true. */
  readonly includeGlobalResourceTypes?: boolean;
  /** Days configuration history and snapshots are kept (current and noncurrent versions). Default: 365. */
  readonly retentionDays?: number;
}

/**
 * AWS Config for the provider's region: a recorder of every supported resource type, its role (the AWS managed
 * policy AWS_ConfigRole, and delivery into its bucket), a private bucket that only Config of this account may write
 * to, the delivery channel, and the recorder switched on. Config needs them in this order: the channel needs the
 * recorder, and a recorder starts only with a channel (`aws_config_configuration_recorder_status` after the channel).
 * Addresses take the construct's name: `aws_config_configuration_recorder.<name>`, `aws_s3_bucket.<name>` ...
 */
export class ConfigRecorder extends Construct {
  readonly recorder: ConfigConfigurationRecorder;
  readonly deliveryChannel: ConfigDeliveryChannel;
  readonly bucket: PrivateBucket;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: ConfigRecorderProps) {
    super(scope, id);
    this.role = new Role(this, "this-role", {
      name: props.roleName,
      description: "AWS Config recorder: reads resource configurations, delivers them to the Config bucket",
      trust: serviceTrust("config.amazonaws.com"),
      managedPolicies: { "aws-config-role": "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole" },
    });
    const account = props.accountId ?? accountInArn(this.role.role.arn);
    const fromThisAccount = { test: "StringEquals", variable: "aws:SourceAccount", values: [account] };
    const days = props.retentionDays ?? 365;
    this.bucket = new PrivateBucket(this, "this-bucket", {
      bucketPrefix: props.bucketPrefix,
      encryption: { kind: "s3" },
      allow: (bucketArn) => configBucketStatements(bucketArn, account, fromThisAccount),
      lifecycleRules: [
        {
          id: "expire-configuration-history",
          status: "Enabled",
          filter: [{ prefix: "" }],
          expiration: [{ days }],
          noncurrentVersionExpiration: [{ noncurrentDays: days }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    // With a role of its own (not the service-linked role) Config delivers with the role's permissions.
    const bucketArn = this.bucket.bucket.arn;
    new IamRolePolicy(this, "delivery", {
      role: this.role.role.id,
      name: "deliver-to-config-bucket",
      policy: policyDocument(this, "delivery-document", [
        { actions: ["s3:GetBucketAcl", "s3:ListBucket"], resources: [bucketArn] },
        {
          actions: ["s3:PutObject"],
          resources: [`${bucketArn}/AWSLogs/${account}/Config/*`],
          conditions: [{ test: "StringEquals", variable: "s3:x-amz-acl", values: ["bucket-owner-full-control"] }],
        },
      ]),
    });
    this.recorder = new ConfigConfigurationRecorder(this, "this-recorder", {
      name: props.recorderName,
      roleArn: this.role.role.arn,
      recordingGroup: {
        allSupported: true,
        includeGlobalResourceTypes: props.includeGlobalResourceTypes ?? true,
      },
      recordingMode: { recordingFrequency: props.recordingFrequency ?? "CONTINUOUS" },
    });
    this.deliveryChannel = new ConfigDeliveryChannel(this, "this-delivery-channel", {
      name: props.deliveryChannelName,
      s3BucketName: this.bucket.bucket.bucket,
      snapshotDeliveryProperties: { deliveryFrequency: "TwentyFour_Hours" },
      // Config checks the bucket policy when the channel is created.
      dependsOn: [this.recorder, this.bucket.policy],
    });
    new ConfigConfigurationRecorderStatus(this, "this-status", {
      name: this.recorder.name,
      isEnabled: true,
      dependsOn: [this.deliveryChannel],
    });
  }
}

/**
 * What AWS Config's bucket policy must allow (AWS Config developer guide, "Permissions for the Amazon S3 Bucket"):
 * reading the bucket's ACL and listing it, and writing under AWSLogs/<account>/Config/ with the owner in full
 * control, each only for Config acting for this account.
 */
function configBucketStatements(
  bucketArn: string,
  account: string,
  fromThisAccount: NonNullable<Statement["conditions"]>[number],
): Statement[] {
  const config = [{ type: "Service", identifiers: ["config.amazonaws.com"] }];
  return [
    {
      sid: "AWSConfigBucketPermissionsCheck",
      actions: ["s3:GetBucketAcl"],
      resources: [bucketArn],
      principals: config,
      conditions: [fromThisAccount],
    },
    {
      sid: "AWSConfigBucketExistenceCheck",
      actions: ["s3:ListBucket"],
      resources: [bucketArn],
      principals: config,
      conditions: [fromThisAccount],
    },
    {
      sid: "AWSConfigBucketDelivery",
      actions: ["s3:PutObject"],
      resources: [`${bucketArn}/AWSLogs/${account}/Config/*`],
      principals: config,
      conditions: [
        { test: "StringEquals", variable: "s3:x-amz-acl", values: ["bucket-owner-full-control"] },
        fromThisAccount,
      ],
    },
  ];
}
