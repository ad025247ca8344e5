import { Construct } from "constructs";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { policyDocument, servicePrincipalTrust } from "./iam-documents";

export interface FlowLogsProps {
  /** Log group name, e.g. /vpc/app-prod/flow-logs. */
  readonly name: string;
  readonly vpcId: string;
  /** ALL, ACCEPT or REJECT. Default: ALL. */
  readonly trafficType?: string;
  /** Log retention in days. Default: 90. */
  readonly retentionDays?: number;
}

/** VPC flow logs into a log group of their own, through a role that may write only to that group. */
export class FlowLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: FlowLogsProps) {
    super(scope, id);
    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: props.name,
      retentionInDays: props.retentionDays ?? 90,
    });
    const role = new IamRole(this, "role", {
      namePrefix: "vpc-flow-logs-",
      assumeRolePolicy: servicePrincipalTrust(this, "trust", "vpc-flow-logs.amazonaws.com"),
    });
    new IamRolePolicy(this, "policy", {
      role: role.id,
      name: "write-flow-logs",
      policy: policyDocument(this, "write", [
        {
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: [`${this.logGroup.arn}:*`],
        },
      ]),
    });
    new FlowLog(this, "flow-log", {
      vpcId: props.vpcId,
      trafficType: props.trafficType ?? "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
    });
  }
}
