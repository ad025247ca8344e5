import { Construct } from "constructs";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { serviceTrust } from "./iam-documents";
import { Role } from "./iam-role";

export interface FlowLogsProps {
  /** Log group name, e.g. /vpc/app-prod/flow-logs. */
  readonly name: string;
  readonly vpcId: string;
  /** ALL, ACCEPT or REJECT. Default: ALL. */
  readonly trafficType?: string;
  /** Log retention in days. Default: 90. */
  readonly retentionDays?: number;
}

/**
 * VPC flow logs into a log group of their own, through a role that may write only to that group. Every resource
 * takes the construct's name (`aws_flow_log.<name>`, `aws_cloudwatch_log_group.<name>`, `aws_iam_role.<name>` ...).
 */
export class FlowLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: FlowLogsProps) {
    super(scope, id);
    this.logGroup = new CloudwatchLogGroup(this, "this-log-group", {
      name: props.name,
      retentionInDays: props.retentionDays ?? 90,
    });
    const role = new Role(this, "this-role", {
      namePrefix: "vpc-flow-logs-",
      trust: serviceTrust("vpc-flow-logs.amazonaws.com"),
      statements: [
        {
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: [`${this.logGroup.arn}:*`],
        },
      ],
      policyName: "write-flow-logs",
    }).role;
    new FlowLog(this, "this-flow-log", {
      vpcId: props.vpcId,
      trafficType: props.trafficType ?? "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
    });
  }
}
