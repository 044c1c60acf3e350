/**
 * The environment's ECR repositories (ECR-1, ECS-11): one per image repository named in the service
 * catalog, scanned on push, immutable tags (a commit SHA names one image forever), encrypted with the
 * environment key, a lifecycle policy that keeps the last `imagesKept` images, and protected from
 * deletion while they hold images (`force_delete` false, `prevent_destroy`).
 */
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { Construct } from "constructs";
import { repositoryName } from "../config/naming";
import { SERVICE_CATALOG } from "../config/service-catalog";
import type { EnvironmentDefinition, ServiceDefinition, ServiceName } from "../config/types";

/** Untagged images (failed or superseded pushes) are expired after this many days. */
export const UNTAGGED_IMAGE_DAYS = 7;

/** The lifecycle policy of every repository: drop untagged images early, keep the last `imagesKept`. */
export function lifecyclePolicy(imagesKept: number): { rules: Record<string, unknown>[] } {
  return {
    rules: [
      {
        rulePriority: 1,
        description: `Expire untagged images after ${UNTAGGED_IMAGE_DAYS} days`,
        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: UNTAGGED_IMAGE_DAYS },
        action: { type: "expire" },
      },
      {
        // A `tagStatus: any` rule must have the lowest priority (the highest number).
        rulePriority: 2,
        description: `Keep the last ${imagesKept} images`,
        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: imagesKept },
        action: { type: "expire" },
      },
    ],
  };
}

export interface ImageRepositoriesProps {
  /** The environment: its name for the repository names, `imagesKept` for the lifecycle policy. */
  readonly environment: EnvironmentDefinition;
  /** The environment key's ARN (`EnvironmentKey.arn`); images are encrypted with it. */
  readonly kmsKeyArn: string;
  /**
   * The services whose `repository` gets an ECR repository (one per distinct repository).
   * @default SERVICE_CATALOG
   */
  readonly catalog?: readonly ServiceDefinition[];
}

export class ImageRepositories extends Construct {
  /** The repository of each catalog service (services that share an image share a repository). */
  readonly byService: Readonly<Partial<Record<ServiceName, EcrRepository>>>;
  /** Every repository, by the catalog's short repository name (e.g. `api`). */
  readonly byRepository: Readonly<Record<string, EcrRepository>>;

  constructor(scope: Construct, id: string, props: ImageRepositoriesProps) {
    super(scope, id);
    const env = props.environment;
    const policy = JSON.stringify(lifecyclePolicy(env.imagesKept));
    const byRepository: Record<string, EcrRepository> = {};
    const byService: Partial<Record<ServiceName, EcrRepository>> = {};
    for (const service of props.catalog ?? SERVICE_CATALOG) {
      let repository = byRepository[service.repository];
      if (!repository) {
        repository = new EcrRepository(this, service.repository, {
          name: repositoryName(env.name, service.repository),
          imageTagMutability: "IMMUTABLE",
          imageScanningConfiguration: { scanOnPush: true },
          encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: props.kmsKeyArn }],
          forceDelete: false,
          lifecycle: { preventDestroy: true },
        });
        new EcrLifecyclePolicy(this, `${service.repository}-lifecycle`, { repository: repository.name, policy });
        byRepository[service.repository] = repository;
      }
      byService[service.name] = repository;
    }
    this.byRepository = byRepository;
    this.byService = byService;
  }

  /** `<account>.dkr.ecr.<region>.amazonaws.com/tracker-<env>/<repository>` of a service's image. */
  repositoryUrl(service: ServiceName): string {
    return this.repositoryOf(service).repositoryUrl;
  }

  /** The repository's ARN, for the execution role's pull grant (ECS-10). */
  repositoryArn(service: ServiceName): string {
    return this.repositoryOf(service).arn;
  }

  private repositoryOf(service: ServiceName): EcrRepository {
    const repository = this.byService[service];
    if (!repository) throw new Error(`image repositories: no repository for service ${service}`);
    return repository;
  }
}
