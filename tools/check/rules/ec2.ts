import type { Rule } from "../types";
import { block, refersTo } from "../resources";
import type { TerraformJson } from "../../terraform/cdktf-out";

/** The instance's launch template in the same stack, when it names one by reference. */
function launchTemplateOf(instance: TerraformJson, json: TerraformJson): TerraformJson | undefined {
  const id = block(instance.launch_template)?.id;
  return Object.entries<TerraformJson>(json.resource?.aws_launch_template ?? {}).find(([name]) =>
    refersTo(id, "aws_launch_template", name),
  )?.[1];
}

export const EC2_RULES: Rule[] = [
  {
    id: "ec2-imdsv2",
    title: "EC2 instances require IMDSv2 (session tokens)",
    severity: "high",
    resourceType: "aws_instance",
    checkov: ["CKV_AWS_79"],
    fsbp: "EC2.8",
    note: "The instance's own metadata_options decide; without them, its launch template's.",
    check: (instance, ctx) => {
      const options = block(instance.metadata_options) ?? block(launchTemplateOf(instance, ctx.json)?.metadata_options);
      return options?.http_tokens === "required"
        ? undefined
        : "instance metadata answers without a session token (http_tokens is not required)";
    },
  },
  {
    id: "ec2-ebs-encrypted",
    title: "EC2 instance volumes are encrypted",
    severity: "high",
    resourceType: "aws_instance",
    checkov: ["CKV_AWS_8"],
    fsbp: "EC2.3",
    check: (instance) => {
      const volumes = [
        ...([] as TerraformJson[]).concat(instance.root_block_device ?? {}),
        ...([] as TerraformJson[]).concat(instance.ebs_block_device ?? []),
      ];
      const plain = volumes.filter((v) => v.encrypted !== true).length;
      return plain === 0 ? undefined : `${plain} volume(s) are not encrypted (the root volume needs encrypted = true)`;
    },
  },
  {
    id: "ec2-no-public-ip",
    title: "EC2 instances get no public IP address",
    severity: "high",
    resourceType: "aws_instance",
    checkov: ["CKV_AWS_88"],
    fsbp: "EC2.9",
    note: "Left unset, the subnet's map_public_ip_on_launch decides, so the instance must say false itself.",
    check: (instance) =>
      instance.associate_public_ip_address === false
        ? undefined
        : "associate_public_ip_address is not false: the subnet's default may give the instance a public IP",
  },
];
