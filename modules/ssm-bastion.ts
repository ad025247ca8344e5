import { Construct } from "constructs";
import { Token } from "cdktf";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { Role } from "./iam-role";
import { serviceTrust } from "./iam-documents";

export interface SsmBastionProps {
  /** Name tag of the instance, and the name of its security group, role, profile and launch template. */
  readonly name: string;
  readonly vpcId: string;
  /** A private subnet; the instance gets no public IP. */
  readonly subnetId: string;
  readonly instanceType: string;
  /** SSM parameter of the image id, resolved by EC2 at launch. */
  readonly imageParameter: string;
  /** GiB. */
  readonly rootVolumeGiB: number;
  /** The database the bastion may reach: its security group admits the bastion's on the port. */
  readonly database: { readonly securityGroupId: string; readonly port: number };
}

/**
 * An EC2 instance for database work by hand, reachable only through Session Manager: no key pair, no inbound rule, no
 * public IP, IMDSv2 only, an encrypted root volume, and a role with AmazonSSMManagedInstanceCore alone. It may leave on
 * 443 (the SSM endpoints, through NAT or interface endpoints) and to the database's port; the database's security
 * group admits it by a rule this construct owns, so removing the bastion closes the door.
 *
 * The image comes from a public SSM parameter resolved when the instance launches (`resolve:ssm:` in a launch template:
 * no AWS lookup at plan time). `aws_instance.ami` given that way would differ from the image id EC2 reports on every
 * plan and replace the instance each time; a launch template keeps the parameter as written, so a newer image does not
 * show as drift: the running instance keeps its image until it is replaced (`terraform apply -replace`).
 */
export class SsmBastion extends Construct {
  readonly instance: Instance;
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: SsmBastionProps) {
    super(scope, id);
    this.securityGroup = new SecurityGroup(this, "this-security-group", {
      name: props.name,
      description: "Bastion: no inbound; out to HTTPS (Session Manager) and the database",
      vpcId: props.vpcId,
      tags: { Name: props.name },
      lifecycle: { createBeforeDestroy: true },
    });
    const tcp = (port: number) => ({ ipProtocol: "tcp", fromPort: port, toPort: port });
    new VpcSecurityGroupEgressRule(this, "to-https", {
      securityGroupId: this.securityGroup.id,
      ...tcp(443),
      cidrIpv4: "0.0.0.0/0",
      description: "Session Manager (ssm, ssmmessages, ec2messages) and package repositories",
    });
    new VpcSecurityGroupEgressRule(this, "to-database", {
      securityGroupId: this.securityGroup.id,
      ...tcp(props.database.port),
      referencedSecurityGroupId: props.database.securityGroupId,
      description: "to the database",
    });
    new VpcSecurityGroupIngressRule(this, "into-database", {
      securityGroupId: props.database.securityGroupId,
      ...tcp(props.database.port),
      referencedSecurityGroupId: this.securityGroup.id,
      description: `from the bastion ${props.name}`,
    });
    const role = new Role(this, "this-role", {
      name: props.name,
      description: "Bastion instance: Session Manager only",
      trust: serviceTrust("ec2.amazonaws.com"),
      managedPolicies: { ssm: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" },
    });
    const profile = new IamInstanceProfile(this, "this-profile", { name: props.name, role: role.role.name });
    const template = new LaunchTemplate(this, "this-launch-template", {
      name: props.name,
      description: `Image of ${props.name}, resolved from SSM at launch`,
      imageId: `resolve:ssm:${props.imageParameter}`,
    });
    this.instance = new Instance(this, "this-instance", {
      launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
      instanceType: props.instanceType,
      subnetId: props.subnetId,
      vpcSecurityGroupIds: [this.securityGroup.id],
      iamInstanceProfile: profile.name,
      associatePublicIpAddress: false,
      // Burstable types default to unlimited CPU credits, billed when used up; a bastion idles, so never surcharge.
      creditSpecification: /^t\d/.test(props.instanceType) ? { cpuCredits: "standard" } : undefined,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      rootBlockDevice: {
        encrypted: true,
        volumeType: "gp3",
        volumeSize: props.rootVolumeGiB,
        deleteOnTermination: true,
      },
      tags: { Name: props.name },
    });
  }
}
