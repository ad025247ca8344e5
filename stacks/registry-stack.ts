import { Construct } from "constructs";
import type { Deployment } from "../schema/resolve";
import { ContainerRepository } from "../modules/container-repository";
import { ReleaseRecord } from "../modules/release-record";
import { BlueprintStack, type BlueprintStackProps } from "./blueprint-stack";
import { releaseParameterName } from "../schema/names";

/**
 * ECR repositories, one per image, and the record of each service's release (the image tag it runs). A stack of its
 * own because images must be pushed between creating the repositories and starting the services, and because
 * destroying compute must never delete images or forget what was released.
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
    const releases = new Construct(this, "release");
    const records = d.spec.services.map(
      (svc) =>
        [
          svc.name,
          new ReleaseRecord(releases, svc.name, {
            name: releaseParameterName(d, svc),
            service: svc.name,
            firstTag: svc.image.tag,
          }).parameter,
        ] as const,
    );
    this.publish(
      "release_parameter_names",
      "map",
      Object.fromEntries(records.map(([name, p]) => [name, p.name])),
      "SSM parameter holding the image tag each service runs (CI writes it with every release)",
    );
    this.publish(
      "release_parameter_arns",
      "map",
      Object.fromEntries(records.map(([name, p]) => [name, p.arn])),
      "ARN of each service's release parameter (for the CI deploy role)",
    );
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
