/**
 * Image tags as deployment inputs (ECS-11). Terraform owns the task definitions; each service's tag
 * is the Terraform variable `imageTagVariableName(service)`, passed as `TF_VAR_<name>`. For a deploy
 * that changes only infrastructure, the tags come from what the services run now (the task
 * definition of each service's PRIMARY deployment); tags from a fresh image build override them.
 */
import type { ECSClient } from "@aws-sdk/client-ecs";
import { clusterName, imageTagVariableName } from "../../src/config/naming";
import { SERVICE_NAMES } from "../../src/config/service-catalog";
import type { EnvironmentDefinition, ServiceName } from "../../src/config/types";
import {
  describeEnvironmentServices,
  describeTaskDefinition,
  imageTagOf,
  intendedTaskDefinition,
  mainContainerImage,
} from "./ecs";
import { isServiceName } from "./runtime";

/** What one service runs now. */
export interface DeployedImage {
  readonly taskDefinition: string;
  readonly image: string;
  readonly imageTag: string;
}

/** A snapshot of an environment's running images; the deploy workflow keeps it as the rollback baseline. */
export interface ImageSnapshot {
  readonly environment: string;
  readonly cluster: string;
  readonly services: Partial<Record<ServiceName, DeployedImage>>;
  /** Services with no running image (not deployed yet, or untagged), with the reason. */
  readonly missing: Partial<Record<ServiceName, string>>;
}

export type ImageTags = Partial<Record<ServiceName, string>>;

/** Docker's tag grammar; also keeps newlines and shell metacharacters out of `$GITHUB_ENV`. */
const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function assertValidTag(tag: string, where: string): void {
  if (!TAG_PATTERN.test(tag)) throw new Error(`${where}: "${tag}" is not a valid image tag`);
  if (tag === "latest") throw new Error(`${where}: "latest" is not a deployable tag (ECS-11); use the commit SHA`);
}

export async function readImageSnapshot(
  ecs: ECSClient,
  env: EnvironmentDefinition,
  services: readonly ServiceName[] = SERVICE_NAMES,
): Promise<ImageSnapshot> {
  const cluster = clusterName(env.name);
  const { found, missing } = await describeEnvironmentServices(ecs, env.name, cluster, services);
  const running: Partial<Record<ServiceName, DeployedImage>> = {};
  const absent: Partial<Record<ServiceName, string>> = Object.fromEntries(missing);
  for (const name of services) {
    const service = found.get(name);
    if (!service) continue;
    const arn = intendedTaskDefinition(service);
    if (!arn) {
      absent[name] = "service has no task definition";
      continue;
    }
    const taskDefinition = await describeTaskDefinition(ecs, arn);
    const image = taskDefinition ? mainContainerImage(taskDefinition, name) : undefined;
    const tag = image ? imageTagOf(image) : undefined;
    if (!image || !tag) {
      absent[name] = `task definition ${arn} has no tagged image`;
      continue;
    }
    running[name] = { taskDefinition: arn, image, imageTag: tag };
  }
  return { environment: env.name, cluster, services: running, missing: absent };
}

/**
 * Parses image tag overrides: a JSON object (`{"api":"3f2c1ab"}`) or a list (`api=3f2c1ab,frontend=...`,
 * commas, spaces or newlines). Empty input means no overrides. Unknown services and invalid tags throw.
 */
export function parseTagOverrides(text: string | undefined): ImageTags {
  const trimmed = (text ?? "").trim();
  if (trimmed === "") return {};
  let entries: [string, unknown][];
  if (trimmed.startsWith("{")) {
    // Text that starts with "{" and parses is an object.
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(trimmed) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`image tags: not valid JSON (${(e as Error).message})`);
    }
    entries = Object.entries(parsed);
  } else {
    entries = trimmed
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((pair) => {
        const eq = pair.indexOf("=");
        if (eq <= 0) throw new Error(`image tags: "${pair}" is not service=tag`);
        return [pair.slice(0, eq), pair.slice(eq + 1)];
      });
  }
  const tags: ImageTags = {};
  for (const [service, tag] of entries) {
    if (!isServiceName(service)) {
      throw new Error(`image tags: unknown service "${service}" (known: ${SERVICE_NAMES.join(", ")})`);
    }
    if (typeof tag !== "string") throw new Error(`image tags: the tag of ${service} must be a string`);
    assertValidTag(tag, `image tags: ${service}`);
    tags[service] = tag;
  }
  return tags;
}

/** The tags to deploy: what runs now, overridden by freshly built tags. */
export function mergeImageTags(snapshot: ImageSnapshot, overrides: ImageTags): ImageTags {
  const merged: ImageTags = {};
  for (const name of SERVICE_NAMES) {
    const tag = overrides[name] ?? snapshot.services[name]?.imageTag;
    if (tag !== undefined) merged[name] = tag;
  }
  return merged;
}

/** `TF_VAR_image_tag_api=3f2c1ab` lines, in catalog order, ready for `$GITHUB_ENV` or `export`. */
export function formatTerraformVariables(tags: ImageTags): string {
  return SERVICE_NAMES.filter((s) => tags[s] !== undefined)
    .map((s) => {
      const tag = tags[s]!;
      assertValidTag(tag, s);
      return `TF_VAR_${imageTagVariableName(s)}=${tag}`;
    })
    .join("\n");
}

export const IMAGE_TAGS_USAGE = `Usage: npm run image-tags -- --env <environment> [options]

Prints the image tag of every service as Terraform variables (ECS-11): what each ECS service's
primary deployment runs now, with freshly built tags laid over it.
Exits 0 on success, 1 when --require-all finds a service without a tag or AWS fails, 2 on a usage error.

Options:
  --env <name>            staging or production (required)
  --override <tags>       new tags: JSON '{"api":"<sha>"}' or 'api=<sha>,frontend=<sha>'
  --format env|json       env (default): TF_VAR_image_tag_<service>=<tag> lines for $GITHUB_ENV;
                          json: the snapshot and the merged tags
  --snapshot <file>       also write the snapshot (the rollback baseline)
  --require-all           a service without a tag is an error
  --placeholder <tag>     plans only: give services not deployed yet this tag
  -h, --help              this text

Example:
  npm run image-tags -- --env staging --override "api=$GITHUB_SHA" >> "$GITHUB_ENV"
`;
