import type { Spec } from "./blueprint";
import { laterDuplicates } from "./duplicates";

type Report = (path: string, value: unknown, message: string) => void;

/**
 * Cross-field rules for the access fields callback-handler needs: client security groups reach the
 * load balancer on its listener ports only, and SSM parameters are read by services that exist.
 */
export function checkClientSecurityGroups(spec: Spec, report: Report): void {
  const clients = spec.network.clientSecurityGroups;
  const listeners = [spec.loadBalancer?.http?.port, spec.loadBalancer?.https?.port].filter((p) => p !== undefined);
  clients.forEach((client, i) => {
    const path = `network.clientSecurityGroups[${i}]`;
    if (clients.findIndex((c) => c.name === client.name) !== i) {
      report(`${path}.name`, client.name, "duplicates another client group. Fix: give each a unique name");
    }
    if (!spec.loadBalancer) {
      report(path, client.name, "has no load balancer to reach. Fix: add loadBalancer or remove the client group");
      return;
    }
    (client.loadBalancerPorts ?? []).forEach((p, j) => {
      if (!listeners.includes(p)) {
        report(
          `${path}.loadBalancerPorts[${j}]`,
          p,
          `is not a listener port of the load balancer (${listeners.join(", ")}). Fix: use a listener port`,
        );
      }
    });
  });
}

export function checkSsmParameters(spec: Spec, report: Report): void {
  const services = spec.services.map((s) => s.name);
  const duplicates = new Set(laterDuplicates(spec.ssmParameters.map((p) => p.name)));
  spec.ssmParameters.forEach((param, i) => {
    const path = `ssmParameters[${i}]`;
    if (duplicates.has(i)) {
      report(`${path}.name`, param.name, "duplicates another parameter. Fix: give each parameter a unique name");
    }
    param.readers.forEach((reader, j) => {
      if (!services.includes(reader)) {
        report(
          `${path}.readers[${j}]`,
          reader,
          `names no service. Fix: use one of ${services.join(", ")} (services[].name)`,
        );
      }
    });
  });
}
