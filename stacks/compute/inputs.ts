import type { Deployment } from "../../schema/resolve";
import type { Service } from "../../schema/blueprint";
import { selectSubnets, subnetLabel } from "../../schema/subnets";
import type { BlueprintStack, UpstreamOutputs } from "../blueprint-stack";
import type { NetworkStack } from "../network-stack";
import type { RegistryStack } from "../registry-stack";
import type { DataStack } from "../data-stack";
import type { DnsStack } from "../dns-stack";
import type { ParametersStack } from "../parameters-stack";
import type { LogsStack } from "../logs-stack";

export interface ComputeUpstreams {
  readonly network: NetworkStack;
  readonly registry: RegistryStack;
  readonly data?: DataStack;
  readonly dns?: DnsStack;
  /** SSM parameters the task roles read and app secrets the services reference. Default: none. */
  readonly parameters?: ParametersStack;
  /** The log bucket: the load balancer's access logs and the log routers' application logs. Default: none. */
  readonly logs?: LogsStack;
}

/** What the compute stack's parts are built from: the deployment and the upstream stacks' outputs. */
export interface ComputeInputs {
  readonly d: Deployment;
  readonly net: UpstreamOutputs;
  readonly registry: UpstreamOutputs;
  readonly data?: UpstreamOutputs;
  readonly dns?: UpstreamOutputs;
  readonly parameters?: UpstreamOutputs;
  readonly logs?: UpstreamOutputs;
  /** Subnet ids by the network stack's labels. */
  subnetIds(labels: readonly string[]): string[];
}

export function computeInputs(stack: BlueprintStack, d: Deployment, up: ComputeUpstreams): ComputeInputs {
  const net = stack.fromStack(up.network);
  return {
    d,
    net,
    registry: stack.fromStack(up.registry),
    data: up.data && stack.fromStack(up.data),
    dns: up.dns && stack.fromStack(up.dns),
    parameters: up.parameters && stack.fromStack(up.parameters),
    logs: up.logs && stack.fromStack(up.logs),
    subnetIds: (labels) => labels.map((l) => net.entry("subnet_ids", l)),
  };
}

/** Where a service's tasks run, and what they run with: its subnets and its security group (network stack). */
export function taskNetwork(inputs: ComputeInputs, svc: Service): { subnetIds: string[]; securityGroupIds: string[] } {
  return {
    subnetIds: inputs.subnetIds(selectSubnets(inputs.d.spec.network.subnets, svc.subnets).map(subnetLabel)),
    securityGroupIds: [inputs.net.entry("service_security_group_ids", svc.name)],
  };
}
