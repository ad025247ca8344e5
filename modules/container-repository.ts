import { Construct } from "constructs";
import { Fn } from "cdktf";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";

export interface ContainerRepositoryProps {
  /** Repository name. */
  readonly name: string;
  /** Images to keep; older ones expire. Default: 10. */
  readonly keepImages?: number;
  /** Immutable tags (ECR.2). Default: true. */
  readonly immutableTags?: boolean;
  /** Days before untagged images expire. Default: 7. */
  readonly untaggedExpiryDays?: number;
}

/** An ECR repository that scans on push, encrypts at rest and expires old images (both named after the construct). */
export class ContainerRepository extends Construct {
  readonly repository: EcrRepository;

  constructor(scope: Construct, id: string, props: ContainerRepositoryProps) {
    super(scope, id);
    this.repository = new EcrRepository(this, "this-repository", {
      name: props.name,
      imageTagMutability: props.immutableTags === false ? "MUTABLE" : "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "AES256" }],
      forceDelete: false,
    });
    new EcrLifecyclePolicy(this, "this-lifecycle", {
      repository: this.repository.name,
      policy: Fn.jsonencode({
        rules: [
          {
            rulePriority: 1,
            description: `Expire untagged images after ${props.untaggedExpiryDays ?? 7} days`,
            selection: {
              tagStatus: "untagged",
              countType: "sinceImagePushed",
              countUnit: "days",
              countNumber: props.untaggedExpiryDays ?? 7,
            },
            action: { type: "expire" },
          },
          {
            rulePriority: 2,
            description: `Keep the newest ${props.keepImages ?? 10} images`,
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: props.keepImages ?? 10 },
            action: { type: "expire" },
          },
        ],
      }),
    });
  }
}
