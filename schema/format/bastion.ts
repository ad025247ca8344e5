import { z } from "zod";
import { kebabName, subnetSelector } from "../primitives";

/* A host for running database work by hand (migrations, data fixes), reachable through Session Manager only. */

/** Amazon Linux 2023 for x86_64, AWS's public SSM parameter of the latest image. */
export const AL2023_X86_64_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

export const bastionSchema = z.strictObject({
  /**
   * Create the instance. It is billed while it exists: turn it on for a migration and off again (the runbooks'
   * CREATE_BASTION=true). Default: false.
   */
  enabled: z.boolean().default(false),
  /** EC2 instance type; its architecture must match the image. Default: t3.micro. */
  instanceType: z
    .string()
    .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: "is not an EC2 instance type. Fix: use e.g. t3.micro" })
    .default("t3.micro"),
  /** Name tag, how operators find the instance (`aws ec2 describe-instances --filters Name=tag:Name,...`). Default: `<app>-<env>-bastion`. */
  name: kebabName("bastion name", 64).optional(),
  /** Subnet the instance runs in: the first subnet of the selection. Default: the private tier. */
  subnets: subnetSelector.optional(),
  /** Root volume size, GiB (gp3, encrypted). Default: 8. */
  rootVolumeGiB: z.number().int().min(8).max(16384).default(8),
  /**
   * SSM parameter holding the image id, resolved by EC2 when the instance launches (no AWS lookup at plan time).
   * Default: the latest Amazon Linux 2023 for x86_64 (AL2023 ships the SSM agent).
   */
  imageParameter: z
    .string()
    .regex(/^\/[A-Za-z0-9_.\-/]+$/, { error: "is not an SSM parameter path. Fix: use a path such as /aws/service/..." })
    .default(AL2023_X86_64_PARAMETER),
});
