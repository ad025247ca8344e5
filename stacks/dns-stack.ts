import { Construct } from "constructs";
import type { Deployment } from "../schema/resolve";
import { HostedZone } from "../modules/hosted-zone";
import { DnsValidatedCertificate } from "../modules/dns-validated-certificate";
import { BlueprintStack, type BlueprintStackProps } from "./blueprint-stack";
import type { NetworkStack } from "./network-stack";
import { recordFqdns } from "../schema/dns-names";

/**
 * The hosted zone and, when the load balancer asks for one, its DNS-validated certificate. It comes before compute
 * (the HTTPS listener needs the certificate); the alias records to the load balancer are made by compute, which
 * owns the load balancer, so the stack graph stays acyclic. Applying it never waits on DNS: a new public zone must
 * first be delegated (its name servers are the output zone_name_servers), and compute waits for the certificate.
 */
export class DnsStack extends BlueprintStack {
  constructor(scope: Construct, id: string, d: Deployment, base: BlueprintStackProps, network: NetworkStack) {
    super(scope, id, base);
    const dns = d.spec.dns!;
    const zone = new HostedZone(this, "zone", {
      zoneName: dns.zoneName,
      existingZoneId: dns.existingZoneId,
      privateVpcId: dns.private ? this.fromStack(network).string("vpc_id") : undefined,
    });
    this.publish("zone_id", "string", zone.zoneId, "Hosted zone id");
    this.publish("zone_name", "string", dns.zoneName, "Hosted zone name");
    if (zone.nameServers) {
      this.publish(
        "zone_name_servers",
        "list",
        zone.nameServers,
        "Delegate the domain to these name servers (at the registrar or parent zone) before applying compute",
      );
    }
    if (d.spec.loadBalancer?.https?.certificate.source === "dns") {
      const certificate = new DnsValidatedCertificate(this, "https", {
        domainNames: recordFqdns(dns),
        zoneId: zone.zoneId,
      });
      this.publish(
        "certificate_arn",
        "string",
        certificate.certificateArn,
        "ACM certificate for the listener; issued once the zone is delegated (compute waits for that)",
      );
    }
  }
}
