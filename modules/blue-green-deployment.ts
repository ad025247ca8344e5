import { Construct } from "constructs";
import { Fn } from "cdktf";
import { CodedeployApp } from "@cdktf/provider-aws/lib/codedeploy-app";
import { CodedeployDeploymentGroup } from "@cdktf/provider-aws/lib/codedeploy-deployment-group";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { serviceTrust } from "./iam-documents";
import { Role } from "./iam-role";

export interface BlueGreenDeploymentProps {
  /** CodeDeploy application (compute platform ECS). */
  readonly applicationName: string;
  /** Deployment group of the one service. */
  readonly deploymentGroupName: string;
  /** CodeDeploy service role name (at most 64 characters). */
  readonly roleName: string;
  readonly clusterName: string;
  readonly serviceName: string;
  /** Listeners that carry production traffic (CodeDeploy switches their default action). */
  readonly productionListenerArns: string[];
  /** Listener on which the green tasks are offered before the switch. */
  readonly testListenerArn: string;
  /** Names of the blue and green target groups. */
  readonly targetGroupNames: readonly [string, string];
  /** Default: CodeDeployDefault.ECSAllAtOnce. */
  readonly deploymentConfig?: string;
  /** Minutes the old tasks live after a successful switch. Default: 5. */
  readonly terminationWaitMinutes?: number;
  /** CloudWatch alarms that stop and roll back a deployment when they fire. Default: none. */
  readonly rollbackAlarmNames?: string[];
}

/**
 * CodeDeploy blue/green for one ECS service: an application, a service role limited to AWS's managed ECS policy, and
 * a deployment group that shifts traffic between two target groups with traffic control, rolls back automatically on
 * failure (and on alarm), and terminates the old tasks after the switch. Named after the construct
 * (`aws_codedeploy_app.<name>`, `aws_codedeploy_deployment_group.<name>`, `aws_iam_role.<name>_codedeploy`).
 */
export class BlueGreenDeployment extends Construct {
  readonly application: CodedeployApp;
  readonly deploymentGroup: CodedeployDeploymentGroup;
  readonly role: IamRole;
  /** ARN of the deployment configuration in use (CI's CreateDeployment needs it). */
  readonly deploymentConfigArn: string;

  constructor(scope: Construct, id: string, props: BlueGreenDeploymentProps) {
    super(scope, id);
    const config = props.deploymentConfig ?? "CodeDeployDefault.ECSAllAtOnce";
    this.application = new CodedeployApp(this, "this-application", {
      name: props.applicationName,
      computePlatform: "ECS",
    });
    this.role = new Role(this, "codedeploy", {
      name: props.roleName,
      trust: serviceTrust("codedeploy.amazonaws.com"),
      managedPolicies: { ecs: "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS" },
    }).role;
    const alarms = props.rollbackAlarmNames ?? [];
    this.deploymentGroup = new CodedeployDeploymentGroup(this, "this-group", {
      appName: this.application.name,
      deploymentGroupName: props.deploymentGroupName,
      serviceRoleArn: this.role.arn,
      deploymentConfigName: config,
      deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" },
      blueGreenDeploymentConfig: {
        deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
        terminateBlueInstancesOnDeploymentSuccess: {
          action: "TERMINATE",
          terminationWaitTimeInMinutes: props.terminationWaitMinutes ?? 5,
        },
      },
      autoRollbackConfiguration: {
        enabled: true,
        events: ["DEPLOYMENT_FAILURE", ...(alarms.length > 0 ? ["DEPLOYMENT_STOP_ON_ALARM"] : [])],
      },
      alarmConfiguration: alarms.length > 0 ? { enabled: true, alarms } : undefined,
      ecsService: { clusterName: props.clusterName, serviceName: props.serviceName },
      loadBalancerInfo: {
        targetGroupPairInfo: {
          prodTrafficRoute: { listenerArns: props.productionListenerArns },
          testTrafficRoute: { listenerArns: [props.testListenerArn] },
          targetGroup: props.targetGroupNames.map((name) => ({ name })),
        },
      },
    });
    // Same account, region and partition as the application: swap the resource part of its ARN.
    this.deploymentConfigArn = Fn.replace(
      this.application.arn,
      `application:${props.applicationName}`,
      `deploymentconfig:${config}`,
    );
  }
}
