/**
 * The environment stack's view of its image repositories (ECR-1, ECS-11). The repositories belong to
 * the account's bootstrap stack, because images must be pushed before the first deploy of the
 * environment can start a service; here they are looked up by name, so a plan fails with a clear
 * "repository not found" if the bootstrap stack has not been applied.
 */
import { DataAwsEcrRepository } from "@cdktf/provider-aws/lib/data-aws-ecr-repository";
import { Construct } from "constructs";
import { repositoryName } from "../config/naming";
import { SERVICE_CATALOG } from "../config/service-catalog";
import type { EnvironmentName, ServiceDefinition, ServiceName } from "../config/types";

export interface ExistingImageRepositoriesProps {
  readonly environment: EnvironmentName;
  /** @default SERVICE_CATALOG */
  readonly catalog?: readonly ServiceDefinition[];
}

export class ExistingImageRepositories extends Construct {
  private readonly byService = new Map<ServiceName, DataAwsEcrRepository>();

  constructor(scope: Construct, id: string, props: ExistingImageRepositoriesProps) {
    super(scope, id);
    const byRepository = new Map<string, DataAwsEcrRepository>();
    for (const service of props.catalog ?? SERVICE_CATALOG) {
      let repository = byRepository.get(service.repository);
      if (!repository) {
        repository = new DataAwsEcrRepository(this, service.repository, { name: repositoryName(props.environment, service.repository) });
        byRepository.set(service.repository, repository);
      }
      this.byService.set(service.name, repository);
    }
  }

  /** `<account>.dkr.ecr.<region>.amazonaws.com/tracker-<env>/<repository>` */
  repositoryUrl(service: ServiceName): string {
    return this.repositoryOf(service).repositoryUrl;
  }

  /** The repository's ARN, for the execution role's pull grant (ECS-10). */
  repositoryArn(service: ServiceName): string {
    return this.repositoryOf(service).arn;
  }

  private repositoryOf(service: ServiceName): DataAwsEcrRepository {
    const repository = this.byService.get(service);
    if (!repository) throw new Error(`image repositories: no repository for service ${service}`);
    return repository;
  }
}
