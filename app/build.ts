import { App } from "cdktf";
import type { Deployment } from "../schema/resolve";
import { hasLayer, stackId } from "../schema/layers";
import type { BackendConfig } from "./backend-config";
import { NetworkStack } from "../stacks/network-stack";
import { RegistryStack } from "../stacks/registry-stack";
import { DataStack } from "../stacks/data-stack";
import { DnsStack } from "../stacks/dns-stack";
import { ComputeStack } from "../stacks/compute-stack";
import { StateBackendStack } from "../stacks/state-backend-stack";
import { CiStack } from "../stacks/ci-stack";
import { ParametersStack } from "../stacks/parameters-stack";
import { LogsStack } from "../stacks/logs-stack";
import { SecurityStack } from "../stacks/security-stack";
import { MonitoringStack } from "../stacks/monitoring-stack";
import { BastionStack } from "../stacks/bastion-stack";
import { EdgeStack } from "../stacks/edge-stack";
import type { BlueprintStackProps } from "../stacks/blueprint-stack";
import { AccountBaselineStack } from "../stacks/account-baseline-stack";
import { accountBaselinesOf } from "../schema/account-baseline";

/** Feature flags of current cdktf projects: logical ids without the stack id and with separators kept. */
export const APP_CONTEXT = { excludeStackIdFromLogicalIds: "true", allowSepCharsInLogicalIds: "true" };

/**
 * Adds the state-backend stack, the account baseline of every account the deployments use (when its environments
 * ask for one), and every deployment's stacks to an app, in dependency order:
 * network → registry → parameters → data → bastion → dns → logs → compute → monitoring → security → edge → ci.
 *
 * An account's baseline is made from what every environment in that account asks for, selected or not: `others`
 * are the valid deployments not selected (default: none), so that building one blueprint never builds a baseline
 * that lacks what another blueprint in the same account asked for.
 */
export function addStacks(
  app: App,
  deployments: readonly Deployment[],
  backend: BackendConfig,
  others: readonly Deployment[] = [],
): void {
  new StateBackendStack(app, backend);
  for (const baseline of accountBaselinesOf([...deployments, ...others])) {
    if (baseline.account.deployments.some((d) => deployments.includes(d))) {
      new AccountBaselineStack(app, baseline, backend);
    }
  }
  for (const d of deployments) {
    const base = (layer: string): BlueprintStackProps => ({
      layer,
      backend,
      region: d.region,
      accountId: d.accountId,
      tags: {
        Application: d.app,
        Environment: d.environment,
        Stack: stackId(d, layer),
        ManagedBy: "terraform",
        ...d.spec.tags,
      },
      policy: { production: d.production, suppressions: d.spec.suppressions },
    });
    const network = new NetworkStack(app, stackId(d, "network"), d, base("network"));
    const registry = new RegistryStack(app, stackId(d, "registry"), d, base("registry"));
    // Nothing of the network is read, but images are pushed between network and compute: keep one apply order.
    registry.addDependency(network);
    const parameters = hasLayer(d, "parameters")
      ? new ParametersStack(app, stackId(d, "parameters"), d, base("parameters"))
      : undefined;
    const data = hasLayer(d, "data") ? new DataStack(app, stackId(d, "data"), d, base("data"), network) : undefined;
    if (data && hasLayer(d, "bastion")) {
      new BastionStack(app, stackId(d, "bastion"), d, base("bastion"), { network, data });
    }
    const dns = hasLayer(d, "dns") ? new DnsStack(app, stackId(d, "dns"), d, base("dns"), network) : undefined;
    const logs = hasLayer(d, "logs") ? new LogsStack(app, stackId(d, "logs"), d, base("logs")) : undefined;
    const compute = new ComputeStack(app, stackId(d, "compute"), d, base("compute"), {
      network,
      registry,
      data,
      dns,
      parameters,
      logs,
    });
    if (hasLayer(d, "monitoring")) {
      new MonitoringStack(app, stackId(d, "monitoring"), d, base("monitoring"), { compute, data });
    }
    if (hasLayer(d, "security")) new SecurityStack(app, stackId(d, "security"), d, base("security"), { compute });
    if (dns && hasLayer(d, "edge")) new EdgeStack(app, stackId(d, "edge"), d, base("edge"), { compute, dns });
    if (hasLayer(d, "ci")) new CiStack(app, stackId(d, "ci"), d, base("ci"), { registry, compute });
  }
}
