import { Construct } from "constructs";
import type { Deployment } from "../schema/resolve";
import { ContainerRepository } from "../modules/container-repository";
import { BlueprintStack, type BlueprintStackProps } from "./blueprint-stack";

/**
 * ECR repositories, one per image. A stack of its own because images must be pushed between creating the
 * repositories and starting the services, and because destroying compute must never delete images.
 */
export class RegistryStack extends BlueprintStack {
  readonly repositories: Record<string, ContainerRepository> = {};

  constructor(scope: Construct, id: string, d: Deployment, base: BlueprintStackProps) {
    super(scope, id, base);
    for (const svc of d.spec.services) {
      const { repository, keepImages, immutableTags } = svc.image;
      if (this.repositories[repository]) continue;
      this.repositories[repository] = new ContainerRepository(this, repository, {
        name: repository,
        keepImages,
        immutableTags,
      });
    }
    const entries = Object.entries(this.repositories);
    this.publish(
      "repository_urls",
      "map",
      Object.fromEntries(entries.map(([name, r]) => [name, r.repository.repositoryUrl])),
      "Repository URL of each image (docker push target)",
    );
    this.publish(
      "repository_arns",
      "map",
      Object.fromEntries(entries.map(([name, r]) => [name, r.repository.arn])),
      "Repository ARN of each image (for CI push policies)",
    );
  }
}
