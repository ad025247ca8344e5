import { Construct } from "constructs";
import { targetHealthCheck, type Service } from "../../schema/blueprint";
import { isWeb } from "../../schema/workers-rules";
import { subnetLabel } from "../../schema/subnets";
import { loadBalancerName, targetGroupNameHead, type TargetGroupColor } from "../../schema/names";
import { ApplicationLoadBalancer } from "../../modules/application-load-balancer";
import { ServiceTargetGroup } from "../../modules/service-target-group";
import type { BlueprintStack } from "../blueprint-stack";
import { loadBalancerSubnetLabels, redirectsToHttps } from "../load-balancer-settings";
import { certificateArn } from "./certificate";
import type { ComputeInputs } from "./inputs";

/**
 * A service's place in the compute stack: its construct scope and, for a web service behind a load balancer, its
 * target groups (a worker has none).
 */
export interface ServiceUnit {
  readonly svc: Service;
  /** Scope of everything the service owns: addresses start with its name (`aws_ecs_service.backend`). */
  readonly scope: Construct;
  /** The target group that takes the service's traffic (blue, for blue/green services). */
  readonly targetGroup?: ServiceTargetGroup;
  /** Blue/green services: the second group CodeDeploy starts new tasks in. */
  readonly greenTargetGroup?: ServiceTargetGroup;
}

/**
 * One scope per service and, when the blueprint has a load balancer, the web services' target groups (created before
 * the listeners, whose default action may forward to one of them). A blue/green service gets a blue and a green group
 * that CodeDeploy swaps on every deployment. Workers take no traffic: no target group.
 */
export function serviceUnits(stack: BlueprintStack, inputs: ComputeInputs): ServiceUnit[] {
  const { d } = inputs;
  // Apart from the stack's own children (its backend, provider, remote states), so any service name fits.
  const services = new Construct(stack, "this-services");
  return d.spec.services.map((svc) => {
    const scope = new Construct(services, svc.name);
    if (!d.spec.loadBalancer || !isWeb(svc)) return { svc, scope };
    const targetGroup = (id: string, color: TargetGroupColor) =>
      new ServiceTargetGroup(scope, id, {
        // The name's tail derives from what replaces the group (ServiceTargetGroup): a replacement has its own.
        nameHead: targetGroupNameHead(d, svc, color),
        vpcId: inputs.net.string("vpc_id"),
        port: svc.containerPort!,
        healthCheck: targetHealthCheck(svc),
      });
    return svc.blueGreen
      ? { svc, scope, targetGroup: targetGroup("blue", "blue"), greenTargetGroup: targetGroup("green", "green") }
      : { svc, scope, targetGroup: targetGroup("this-target-group", "default") };
  });
}

/** The application load balancer with its listeners; the web service without routing takes their default action. */
export function loadBalancer(
  stack: BlueprintStack,
  inputs: ComputeInputs,
  units: readonly ServiceUnit[],
): ApplicationLoadBalancer | undefined {
  const { d } = inputs;
  const lb = d.spec.loadBalancer;
  if (!lb) return undefined;
  const defaultUnit = units.find((u) => u.targetGroup && !u.svc.routing);
  // Only the default service can be blue/green (semantics): CodeDeploy switches the listeners' default action.
  const green = defaultUnit?.greenTargetGroup;
  return new ApplicationLoadBalancer(stack, "alb", {
    name: loadBalancerName(d),
    internal: lb.scheme === "internal",
    subnetIds: inputs.subnetIds(loadBalancerSubnetLabels(d.spec, subnetLabel)),
    securityGroupIds: [inputs.net.string("alb_security_group_id")],
    idleTimeout: lb.idleTimeout,
    deletionProtection: lb.deletionProtection ?? d.production,
    http: lb.http && { port: lb.http.port, redirectToHttps: redirectsToHttps(lb) },
    https: lb.https && {
      port: lb.https.port,
      sslPolicy: lb.https.sslPolicy,
      certificateArn: certificateArn(stack, lb.https.certificate, inputs.dns),
    },
    defaultTargetGroupArn: defaultUnit?.targetGroup?.targetGroup.arn,
    blueGreen: green && { testPort: lb.testListener!.port, greenTargetGroupArn: green.targetGroup.arn },
    accessLogs: inputs.logs &&
      lb.accessLogs && { bucket: inputs.logs.string("alb_log_bucket_name"), prefix: lb.accessLogs.prefix },
  });
}
