import { bastionName } from "../schema/names";
import { Construct } from "constructs";
import type { Deployment } from "../schema/resolve";
import { selectSubnets, subnetLabel } from "../schema/subnets";
import { SsmBastion } from "../modules/ssm-bastion";
import { BlueprintStack, type BlueprintStackProps } from "./blueprint-stack";
import type { NetworkStack } from "./network-stack";
import type { DataStack } from "./data-stack";

/**
 * The bastion (`bastion.enabled`): an instance in a private subnet for database work by hand, reached through Session
 * Manager only, admitted to the database's port. A stack of its own, after data, so that it comes and goes (for a
 * migration) without a plan of anything else.
 */
export class BastionStack extends BlueprintStack {
  constructor(
    scope: Construct,
    id: string,
    d: Deployment,
    base: BlueprintStackProps,
    up: { network: NetworkStack; data: DataStack },
  ) {
    super(scope, id, base);
    const spec = d.spec.bastion!;
    const net = this.fromStack(up.network);
    const data = this.fromStack(up.data);
    const subnet = selectSubnets(d.spec.network.subnets, spec.subnets ?? { tier: "private" })[0];
    const name = bastionName(d);
    const bastion = new SsmBastion(this, "bastion", {
      name,
      vpcId: net.string("vpc_id"),
      subnetId: net.entry("subnet_ids", subnetLabel(subnet)),
      instanceType: spec.instanceType,
      imageParameter: spec.imageParameter,
      rootVolumeGiB: spec.rootVolumeGiB,
      database: { securityGroupId: net.string("db_security_group_id"), port: d.spec.database!.port },
    });
    this.publish(
      "bastion_instance_id",
      "string",
      bastion.instance.id,
      "Bastion instance (aws ssm start-session --target)",
    );
    this.publish("bastion_security_group_id", "string", bastion.securityGroup.id, "Bastion security group");
    this.publish(
      "bastion_database_address",
      "string",
      data.string("db_address"),
      "Database host to reach through the bastion (port forwarding to a remote host)",
    );
  }
}
