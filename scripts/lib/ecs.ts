/**
 * ECS read helpers shared by the smoke test, the rollback command and the image-tag reader:
 * describing the environment's services, parsing task-definition ARNs and image references,
 * listing a family's revisions, and waiting (bounded) until services are stable.
 */
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
  type Deployment,
  type ECSClient,
  type Service,
  type TaskDefinition,
} from "@aws-sdk/client-ecs";
import { serviceResourceName } from "../../src/config/naming";
import type { EnvironmentName, ServiceName } from "../../src/config/types";
import { formatDuration, type Clock, type Log } from "./runtime";

/** A task definition revision, e.g. `tracker-staging-api:42`. */
export interface TaskDefinitionRef {
  readonly arn: string;
  readonly family: string;
  readonly revision: number;
}

/** `arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>` (or `family:revision`). */
export function parseTaskDefinitionArn(arn: string): TaskDefinitionRef {
  const match = /(?:task-definition\/)?([A-Za-z0-9_-]+):(\d+)$/.exec(arn);
  if (!match) throw new Error(`not a task definition ARN: "${arn}"`);
  return { arn, family: match[1]!, revision: Number(match[2]) };
}

export function shortTaskDefinition(arn: string | undefined): string {
  if (!arn) return "(none)";
  const ref = parseTaskDefinitionArn(arn);
  return `${ref.family}:${ref.revision}`;
}

/** The tag of an image reference (`<registry>/<repo>:<tag>[@sha256:...]`), or undefined when untagged. */
export function imageTagOf(image: string): string | undefined {
  const lastPart = image.slice(image.lastIndexOf("/") + 1).split("@")[0]!;
  const colon = lastPart.indexOf(":");
  return colon === -1 ? undefined : lastPart.slice(colon + 1);
}

/** The container that runs the service's image: the one named after the service, else the first essential one. */
export function mainContainerImage(taskDefinition: TaskDefinition, service: ServiceName): string | undefined {
  const containers = taskDefinition.containerDefinitions ?? [];
  const named = containers.find((c) => c.name === service);
  const chosen = named ?? containers.find((c) => c.essential !== false) ?? containers[0];
  return chosen?.image;
}

export interface EnvironmentServices {
  /** The services found, by catalog name. */
  readonly found: ReadonlyMap<ServiceName, Service>;
  /** Catalog services that do not exist in the cluster (or are INACTIVE), with the reason. */
  readonly missing: ReadonlyMap<ServiceName, string>;
}

/** DescribeServices for the given catalog services of an environment (10 per call, the API's limit). */
export async function describeEnvironmentServices(
  ecs: ECSClient,
  env: EnvironmentName,
  cluster: string,
  services: readonly ServiceName[],
): Promise<EnvironmentServices> {
  const found = new Map<ServiceName, Service>();
  const missing = new Map<ServiceName, string>();
  const byResourceName = new Map(services.map((s) => [serviceResourceName(env, s), s] as const));
  const names = [...byResourceName.keys()];
  for (let i = 0; i < names.length; i += 10) {
    const chunk = names.slice(i, i + 10);
    let out;
    try {
      out = await ecs.send(new DescribeServicesCommand({ cluster, services: chunk }));
    } catch (err) {
      // A first deploy: the cluster does not exist yet, so no service does.
      if ((err as Error).name !== "ClusterNotFoundException") throw err;
      for (const s of services) missing.set(s, `cluster ${cluster} not found`);
      return { found, missing };
    }
    for (const service of out.services ?? []) {
      const catalogName = byResourceName.get(service.serviceName ?? "");
      if (!catalogName) continue;
      if (service.status === "INACTIVE") missing.set(catalogName, "service is INACTIVE (deleted)");
      else found.set(catalogName, service);
    }
    for (const failure of out.failures ?? []) {
      const name = failure.arn?.split("/").pop() ?? "";
      const catalogName = byResourceName.get(name);
      if (catalogName) missing.set(catalogName, `not found in cluster ${cluster} (${failure.reason ?? "unknown"})`);
    }
  }
  for (const s of services) {
    if (!found.has(s) && !missing.has(s)) missing.set(s, `not found in cluster ${cluster}`);
  }
  return { found, missing };
}

export function primaryDeployment(service: Service): Deployment | undefined {
  return service.deployments?.find((d) => d.status === "PRIMARY");
}

/** The task definition the service is meant to run: its PRIMARY deployment's, else the service's. */
export function intendedTaskDefinition(service: Service): string | undefined {
  return primaryDeployment(service)?.taskDefinition ?? service.taskDefinition;
}

/** The ACTIVE revisions of one family, newest first (ListTaskDefinitions, paginated, exact family). */
export async function listActiveRevisions(ecs: ECSClient, family: string): Promise<TaskDefinitionRef[]> {
  const revisions: TaskDefinitionRef[] = [];
  let nextToken: string | undefined;
  do {
    const out = await ecs.send(
      new ListTaskDefinitionsCommand({ familyPrefix: family, status: "ACTIVE", sort: "DESC", nextToken }),
    );
    for (const arn of out.taskDefinitionArns ?? []) {
      const ref = parseTaskDefinitionArn(arn);
      // familyPrefix is a prefix match: `tracker-staging-api` would also list `tracker-staging-api-x`.
      if (ref.family === family) revisions.push(ref);
    }
    nextToken = out.nextToken;
  } while (nextToken);
  return revisions.sort((a, b) => b.revision - a.revision);
}

export async function describeTaskDefinition(ecs: ECSClient, arn: string): Promise<TaskDefinition | undefined> {
  const out = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
  return out.taskDefinition;
}

/** Whether a service has settled: one deployment, COMPLETED, running == desired (> 0 not required here). */
export interface Stability {
  readonly stable: boolean;
  /** The deployment failed (circuit breaker or alarm): waiting longer will not help. */
  readonly failed: boolean;
  readonly detail: string;
}

export function serviceStability(service: Service, expectedTaskDefinition?: string): Stability {
  const primary = primaryDeployment(service);
  const deployments = service.deployments ?? [];
  // Tasks of the deployment that matters (the PRIMARY one) out of the desired count.
  const running = `${primary ? (primary.runningCount ?? 0) : (service.runningCount ?? 0)}/${service.desiredCount ?? 0} running`;
  const on = `on ${shortTaskDefinition(intendedTaskDefinition(service))}`;
  const failedDeployment = deployments.find((d) => d.rolloutState === "FAILED");
  if (failedDeployment) {
    return {
      stable: false,
      failed: true,
      detail: `deployment ${shortTaskDefinition(failedDeployment.taskDefinition)} FAILED: ${failedDeployment.rolloutStateReason ?? "no reason given"}`,
    };
  }
  if (!primary) return { stable: false, failed: false, detail: `${running}, no PRIMARY deployment` };
  if (expectedTaskDefinition && primary.taskDefinition !== expectedTaskDefinition) {
    return {
      stable: false,
      failed: false,
      detail: `${running} ${on}, waiting for ${shortTaskDefinition(expectedTaskDefinition)}`,
    };
  }
  const inProgress = deployments.length > 1 || primary.rolloutState === "IN_PROGRESS";
  const settled =
    !inProgress &&
    (service.runningCount ?? 0) === (service.desiredCount ?? 0) &&
    (primary.runningCount ?? 0) === (service.desiredCount ?? 0);
  const rollout = primary.rolloutState ? `rollout ${primary.rolloutState}` : `${deployments.length} deployment(s)`;
  return { stable: settled, failed: false, detail: `${running} ${on}, ${rollout}` };
}

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly clock: Clock;
  readonly log: Log;
  /** Per service, the task definition its PRIMARY deployment must point at before it counts as stable. */
  readonly expected?: ReadonlyMap<ServiceName, string>;
}

export interface WaitResult {
  readonly stable: readonly ServiceName[];
  readonly failed: ReadonlyMap<ServiceName, string>;
  readonly timedOut: ReadonlyMap<ServiceName, string>;
}

/**
 * Polls DescribeServices until every service is stable, has failed, or the timeout passes. Prints
 * one progress line per unsettled service per poll. Never waits longer than `timeoutMs`.
 */
export async function waitForStable(
  ecs: ECSClient,
  env: EnvironmentName,
  cluster: string,
  services: readonly ServiceName[],
  options: WaitOptions,
): Promise<WaitResult> {
  const { clock, log } = options;
  const started = clock.now();
  const stable = new Set<ServiceName>();
  const failed = new Map<ServiceName, string>();
  let pending: ServiceName[] = [...services];
  let lastDetail = new Map<ServiceName, string>();
  for (;;) {
    const { found, missing } = await describeEnvironmentServices(ecs, env, cluster, pending);
    const elapsed = formatDuration(clock.now() - started);
    lastDetail = new Map();
    for (const [name, reason] of missing) failed.set(name, reason);
    for (const [name, service] of found) {
      const state = serviceStability(service, options.expected?.get(name));
      if (state.failed) {
        failed.set(name, state.detail);
        log(`  [${elapsed}] ${name}: ${state.detail}`);
      } else if (state.stable) {
        stable.add(name);
        log(`  [${elapsed}] ${name}: stable, ${state.detail}`);
      } else {
        lastDetail.set(name, state.detail);
        log(`  [${elapsed}] ${name}: ${state.detail}`);
      }
    }
    pending = pending.filter((s) => !stable.has(s) && !failed.has(s));
    if (pending.length === 0) return { stable: [...stable], failed, timedOut: new Map() };
    if (clock.now() - started + options.pollMs > options.timeoutMs) {
      const timedOut = new Map(pending.map((s) => [s, lastDetail.get(s) ?? "not stable"] as const));
      return { stable: [...stable], failed, timedOut };
    }
    await clock.sleep(options.pollMs);
  }
}
