import type { Deployment } from "./resolve";

/**
 * The layers (stacks) a deployment has, in apply order: network → registry → parameters → data → bastion → dns →
 * logs → compute → monitoring → security → edge → ci. app/build.ts builds exactly these; the plan role reads exactly
 * their state.
 */
export const LAYERS = [
  "network",
  "registry",
  "parameters",
  "data",
  "bastion",
  "dns",
  "logs",
  "compute",
  "monitoring",
  "security",
  "edge",
  "ci",
] as const;
export type Layer = (typeof LAYERS)[number];

const HAS: Record<Layer, (d: Deployment) => boolean> = {
  network: () => true,
  registry: () => true,
  parameters: (d) => d.spec.ssmParameters.length + d.spec.appSecrets.length > 0,
  data: (d) => d.spec.database !== undefined,
  bastion: (d) => d.spec.database !== undefined && d.spec.bastion?.enabled === true,
  dns: (d) => d.spec.dns !== undefined,
  logs: (d) => d.spec.loadBalancer?.accessLogs !== undefined || d.spec.services.some((s) => s.logRouter),
  compute: () => true,
  monitoring: (d) => d.spec.monitoring !== undefined,
  security: (d) => d.spec.loadBalancer?.waf !== undefined,
  edge: (d) => d.spec.cloudFront !== undefined && d.spec.dns !== undefined,
  ci: (d) => d.spec.ci !== undefined,
};

export function hasLayer(d: Deployment, layer: Layer): boolean {
  return HAS[layer](d);
}

/** Stack id of a layer: `<blueprint>-<environment>-<layer>`. */
export function stackId(d: Deployment, layer: Layer | string): string {
  return `${d.prefix}-${layer}`;
}

/** Every stack id of a deployment, in apply order. */
export function deploymentStackIds(d: Deployment): string[] {
  return LAYERS.filter((l) => hasLayer(d, l)).map((l) => stackId(d, l));
}
