import { describe, expect, it } from "vitest";
import { TerraformOutput } from "../src/cdktf";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { PRODUCTION, STAGING } from "../src/config/environments";
import { SERVICE_CATALOG } from "../src/config/service-catalog";
import type { EnvironmentDefinition, ServiceDefinition } from "../src/config/types";
import { EnvironmentKey } from "../src/encryption/environment-key";
import { ExistingImageRepositories } from "../src/registry/existing-image-repositories";
import { ImageRepositories } from "../src/registry/image-repositories";
import { only, referenceOf, resources, synthConstructs, type SynthesizedStack } from "./support/synth";

function build(env: EnvironmentDefinition, catalog?: readonly ServiceDefinition[]): { json: SynthesizedStack; images: ImageRepositories } {
  let images!: ImageRepositories;
  const json = synthConstructs(env, (stack) => {
    const key = new EnvironmentKey(stack, "key", { environment: env });
    images = new ImageRepositories(stack, "images", { environment: env, kmsKeyArn: key.arn, ...(catalog ? { catalog } : {}) });
  });
  return { json, images };
}

// Synthesized once per environment for the whole file (plus one catalog where two services share an image).
const built = { staging: build(STAGING), production: build(PRODUCTION) };
const SHARED_IMAGE_CATALOG = [SERVICE_CATALOG[0]!, { ...SERVICE_CATALOG[0]!, name: "frontend", discoveryName: "frontend" }] as const;
const sharedImage = build(STAGING, SHARED_IMAGE_CATALOG);
/** The environment stack's lookup of the same catalog (the repositories belong to the bootstrap stack). */
const sharedImageLookup = synthConstructs(STAGING, (stack) => {
  const lookedUp = new ExistingImageRepositories(stack, "images", { environment: "staging", catalog: SHARED_IMAGE_CATALOG });
  for (const service of ["api", "frontend"] as const) {
    new TerraformOutput(stack, `${service}-url`, { value: lookedUp.repositoryUrl(service) });
    new TerraformOutput(stack, `${service}-arn`, { value: lookedUp.repositoryArn(service) });
  }
});

/** One repository per distinct image the catalog's rows name. */
const REPOSITORIES = [...new Set(SERVICE_CATALOG.map((s) => s.repository))].sort();

describe.each([
  ["staging", 30],
  ["production", 100],
] as const)("image repositories (%s)", (envName, imagesKept) => {
  const { json, images } = built[envName];
  const repositories = resources(json, EcrRepository.tfResourceType);

  it("ECR-1: one repository per deployable image, named tracker-<env>/<image>", () => {
    expect(repositories.map(([, r]) => r.name).sort()).toEqual(REPOSITORIES.map((r) => `tracker-${envName}/${r}`));
  });

  it("ECR-1: scan on push, immutable tags, encrypted with the environment key", () => {
    const [keyName] = only(json, KmsKey.tfResourceType);
    for (const [, repository] of repositories) {
      expect(repository.image_scanning_configuration).toEqual({ scan_on_push: true });
      expect(repository.image_tag_mutability).toBe("IMMUTABLE");
      expect(repository.encryption_configuration).toEqual([
        { encryption_type: "KMS", kms_key: referenceOf(KmsKey.tfResourceType, keyName, "arn") },
      ]);
    }
  });

  it("ECR-1: repositories are not deleted while they hold images (force_delete false, prevent_destroy)", () => {
    for (const [, repository] of repositories) {
      expect(repository.force_delete).toBe(false);
      expect(repository.lifecycle?.prevent_destroy).toBe(true);
    }
  });

  it(`ECR-1: every repository's lifecycle policy keeps the last ${imagesKept} images and expires untagged ones`, () => {
    const policies = resources(json, EcrLifecyclePolicy.tfResourceType);
    expect(policies.map(([, p]) => p.repository).sort()).toEqual(
      repositories.map(([name]) => referenceOf(EcrRepository.tfResourceType, name, "name")).sort(),
    );
    for (const [, policy] of policies) {
      const rules = JSON.parse(policy.policy as string).rules as Record<string, any>[];
      expect(rules).toEqual([
        {
          rulePriority: 1,
          description: "Expire untagged images after 7 days",
          selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
          action: { type: "expire" },
        },
        {
          rulePriority: 2,
          description: `Keep the last ${imagesKept} images`,
          selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: imagesKept },
          action: { type: "expire" },
        },
      ]);
    }
  });

  it("ECS-11: every catalog service has its repository's URL and ARN", () => {
    for (const service of SERVICE_CATALOG) {
      const [name] = only(json, EcrRepository.tfResourceType, (r) => r.name === `tracker-${envName}/${service.repository}`);
      expect(images.repositoryUrl(service.name)).toMatch(/^\$\{TfToken\[/);
      expect(images.byService[service.name]).toBe(images.byRepository[service.repository]);
      expect(name).toBeTruthy();
    }
  });
});

describe("image repositories (services sharing an image)", () => {
  it("ECR-1: two services with the same image share one repository", () => {
    expect(resources(sharedImage.json, EcrRepository.tfResourceType).map(([, r]) => r.name)).toEqual(["tracker-staging/api"]);
    expect(resources(sharedImage.json, EcrLifecyclePolicy.tfResourceType)).toHaveLength(1);
    expect(sharedImage.images.byService.frontend).toBe(sharedImage.images.byService.api);
  });

  it("ECR-1: the environment stack looks a shared repository up once, and both services pull from it", () => {
    const lookups = Object.entries(sharedImageLookup.data?.["aws_ecr_repository"] ?? {});
    expect(lookups.map(([, r]) => r.name)).toEqual(["tracker-staging/api"]);
    const [name] = lookups[0]!;
    const outputs = (sharedImageLookup as { output?: Record<string, { value: unknown }> }).output ?? {};
    for (const service of ["api", "frontend"]) {
      expect(outputs[`${service}-url`]?.value).toBe(`\${data.aws_ecr_repository.${name}.repository_url}`);
      expect(outputs[`${service}-arn`]?.value).toBe(`\${data.aws_ecr_repository.${name}.arn}`);
    }
  });
});
