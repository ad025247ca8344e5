import { codeDeployApplicationName, codeDeployRoleName, deploymentGroupName } from "../../schema/names";
import { BlueGreenDeployment } from "../../modules/blue-green-deployment";
import type { EcsCluster } from "../../modules/ecs-cluster";
import type { ApplicationLoadBalancer } from "../../modules/application-load-balancer";
import { LoadBalancerAlias } from "../../modules/load-balancer-alias";
import type { BlueprintStack } from "../blueprint-stack";
import { dnsRecords, loadBalancerRecords } from "../../schema/dns-names";
import { rollbackAlarmNames } from "../monitoring/alarm-catalog";
import type { ComputeInputs } from "./inputs";
import type { RunningService } from "./services";

/** CodeDeploy blue/green for each service that asks for it (it needs the load balancer's test listener). */
export function blueGreenDeployments(
  inputs: ComputeInputs,
  cluster: EcsCluster,
  alb: ApplicationLoadBalancer | undefined,
  services: readonly RunningService[],
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
        // The monitoring stack (applied after this one, before any deployment) creates these alarms by these names.
        rollbackAlarmNames: bg.rollbackOnAlarm ? rollbackAlarmNames(d, svc.name) : undefined,
      }),
    );
  }
  return result;
}

/**
 * Alias records of the blueprint's names to the load balancer (those CloudFront does not serve: the edge stack points
 * them at the distribution).
 */
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
    records: loadBalancerRecords(inputs.d.spec),
    loadBalancerDnsName: alb.lb.dnsName,
    loadBalancerZoneId: alb.lb.zoneId,
  });
  return `${lbSpec?.https ? "https" : "http"}://${records[0].fqdn}`;
}
