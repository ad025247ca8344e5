import { Fn } from "cdktf";
import { alarmTopicName, codeDeployApplicationName, codeDeployRoleName, deploymentGroupName } from "../../schema/names";
import { ApplicationAlarms } from "../../modules/application-alarms";
import { BlueGreenDeployment } from "../../modules/blue-green-deployment";
import type { EcsCluster } from "../../modules/ecs-cluster";
import type { ApplicationLoadBalancer } from "../../modules/application-load-balancer";
import { LoadBalancerAlias } from "../../modules/load-balancer-alias";
import type { BlueprintStack } from "../blueprint-stack";
import { dnsRecords } from "../../schema/dns-names";
import type { ComputeInputs } from "./inputs";
import type { RunningService } from "./services";

/** The blueprint's monitoring: an encrypted topic and the ECS and load balancer alarms that notify it. */
export function alarms(
  stack: BlueprintStack,
  inputs: ComputeInputs,
  cluster: EcsCluster,
  services: readonly RunningService[],
  alb: ApplicationLoadBalancer | undefined,
): ApplicationAlarms | undefined {
  const { d } = inputs;
  const monitoring = d.spec.monitoring;
  if (!monitoring) return undefined;
  return new ApplicationAlarms(stack, "alarms", {
    topicName: alarmTopicName(d),
    emails: monitoring.emails,
    clusterName: cluster.cluster.name,
    services: services.map((s) => ({ key: s.unit.svc.name, serviceName: s.fargate.serviceName })),
    loadBalancerArnSuffix: alb?.lb.arnSuffix,
    cpuUtilization: monitoring.cpuUtilization,
    memoryUtilization: monitoring.memoryUtilization,
    http5xx: monitoring.http5xx,
    targetResponseTime: monitoring.targetResponseTime,
    customerManagedKey:
      monitoring.topicEncryption === "customer-managed"
        ? // Without a configured account id, take it from an ARN this stack creates: aws_caller_identity would
          // need AWS credentials at plan time.
          { accountId: d.accountId ?? Fn.element(Fn.split(":", cluster.cluster.arn), 4) }
        : undefined,
  });
}

/** CodeDeploy blue/green for each service that asks for it (it needs the load balancer's test listener). */
export function blueGreenDeployments(
  inputs: ComputeInputs,
  cluster: EcsCluster,
  alb: ApplicationLoadBalancer | undefined,
  services: readonly RunningService[],
  alarmSet: ApplicationAlarms | undefined,
): Map<string, BlueGreenDeployment> {
  const { d } = inputs;
  const result = new Map<string, BlueGreenDeployment>();
  for (const { unit, fargate } of services) {
    const { svc, targetGroup: blue, greenTargetGroup: green } = unit;
    if (!svc.blueGreen || !blue || !green || !alb?.testListener) continue;
    const bg = svc.blueGreen;
    result.set(
      svc.name,
      new BlueGreenDeployment(unit.scope, "this-blue-green", {
        applicationName: codeDeployApplicationName(d, svc),
        deploymentGroupName: deploymentGroupName(d, svc),
        roleName: codeDeployRoleName(d, svc),
        clusterName: cluster.cluster.name,
        serviceName: fargate.service.name,
        productionListenerArns: alb.trafficListeners.map((l) => l.arn),
        testListenerArn: alb.testListener.arn,
        targetGroupNames: [blue.targetGroup.name, green.targetGroup.name],
        deploymentConfig: bg.deploymentConfig,
        terminationWaitMinutes: bg.terminationWaitMinutes,
        rollbackAlarmNames: bg.rollbackOnAlarm ? alarmSet?.alarms.map((a) => a.alarmName) : undefined,
      }),
    );
  }
  return result;
}

/** Alias records of the blueprint's names to the load balancer. */
export function aliases(
  stack: BlueprintStack,
  inputs: ComputeInputs,
  alb: ApplicationLoadBalancer | undefined,
): string | undefined {
  const dnsSpec = inputs.d.spec.dns;
  const lbSpec = inputs.d.spec.loadBalancer;
  if (!alb || !inputs.dns || !dnsSpec || dnsSpec.records.length === 0) return undefined;
  const records = dnsRecords(dnsSpec);
  new LoadBalancerAlias(stack, "this-dns", {
    zoneId: inputs.dns.string("zone_id"),
    records,
    loadBalancerDnsName: alb.lb.dnsName,
    loadBalancerZoneId: alb.lb.zoneId,
  });
  return `${lbSpec?.https ? "https" : "http"}://${records[0].fqdn}`;
}
