/**
 * On-demand rollback (CD-4): put services back on the task definition revision they ran before the
 * current one, then wait (bounded) until they are stable. A library with injected clients and
 * clock; `scripts/rollback.ts` is the command around it.
 *
 * The target of each service, in order of preference:
 * 1. a baseline snapshot (the deploy workflow records one before `cdktf deploy`): the revision the
 *    service ran then; services that still run it are left alone;
 * 2. a rollout in progress: the revision of the deployment being replaced (unless ECS is itself
 *    rolling back to an older revision right now: then the service is left alone);
 * 3. otherwise the newest ACTIVE revision of the family below the current one, but only when the
 *    service runs the family's latest revision. A service already on an older revision has been
 *    rolled back (by the circuit breaker, an alarm or this command) and is left alone, so running
 *    the command twice does not walk back two releases.
 *
 * Requires old revisions to stay ACTIVE (Terraform `skip_destroy` on the task definitions): ECS
 * refuses to move a service to an INACTIVE revision.
 *
 * DLV-1: a public service deploys as a canary. While its canary (or the bake after it) is in progress
 * and the target is the revision the canary replaces, the command does not start a new deployment:
 * `UpdateService` would roll the old revision out as another canary, with both bake times. It stops
 * the service deployment instead (`StopServiceDeployment`, stop type ROLLBACK): ECS moves the
 * production listener rule's traffic straight back to the old revision, which is still running. Once
 * a canary has completed (the old revision stopped), going back is an ordinary `UpdateService`.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ListServiceDeploymentsCommand, StopServiceDeploymentCommand, UpdateServiceCommand, type ECSClient } from "@aws-sdk/client-ecs";
import { clusterName, serviceResourceName } from "../../src/config/naming";
import { SERVICE_CATALOG } from "../../src/config/service-catalog";
import type { EnvironmentDefinition, ServiceName } from "../../src/config/types";
import {
  describeEnvironmentServices,
  describeTaskDefinition,
  imageTagOf,
  intendedTaskDefinition,
  listActiveRevisions,
  mainContainerImage,
  parseTaskDefinitionArn,
  shortTaskDefinition,
  waitForStable,
  type TaskDefinitionRef,
} from "./ecs";
import type { ImageSnapshot } from "./image-tags";
import { exitCodeOf } from "./command";
import { environmentByName, formatDuration, parseDuration, selectServices, type Clock, type Log } from "./runtime";

/** `stop`: stop the service's canary in progress with ECS's own rollback (DLV-1). */
export type RollbackAction = "rollback" | "stop" | "skip" | "error";

export interface RollbackStep {
  readonly service: ServiceName;
  readonly action: RollbackAction;
  readonly current?: TaskDefinitionRef;
  readonly target?: TaskDefinitionRef;
  /** Image tags, for the report. */
  readonly currentTag?: string;
  readonly targetTag?: string;
  readonly reason: string;
  /** For `stop`: the ECS service deployment (the canary in progress) to stop. */
  readonly serviceDeploymentArn?: string;
}

/** DLV-1: the services that deploy as a canary behind the load balancer. */
const CANARY_SERVICES: ReadonlySet<ServiceName> = new Set(SERVICE_CATALOG.filter((s) => s.kind === "public-web").map((s) => s.name));

/** The service deployment ECS is running for a service right now (pending or in progress), if any. */
async function deploymentInProgress(ecs: ECSClient, cluster: string, service: string): Promise<string | undefined> {
  const out = await ecs.send(new ListServiceDeploymentsCommand({ cluster, service, status: ["PENDING", "IN_PROGRESS"] }));
  return out.serviceDeployments?.[0]?.serviceDeploymentArn;
}

export interface RollbackDependencies {
  readonly ecs: ECSClient;
  readonly clock: Clock;
  readonly log: Log;
}

export interface RollbackOptions {
  readonly environment: EnvironmentDefinition;
  readonly services: readonly ServiceName[];
  /** Print the plan and change nothing. */
  readonly dryRun: boolean;
  /** The snapshot taken before the deploy being undone. @default - previous ACTIVE revision */
  readonly baseline?: ImageSnapshot;
  /** @default 900000 (15 min) */
  readonly timeoutMs?: number;
  /** @default 15000 */
  readonly pollMs?: number;
}

export interface RollbackResult {
  readonly ok: boolean;
  readonly steps: readonly RollbackStep[];
}

async function tagOf(ecs: ECSClient, arn: string, service: ServiceName): Promise<string | undefined> {
  try {
    const td = await describeTaskDefinition(ecs, arn);
    const image = td ? mainContainerImage(td, service) : undefined;
    return image ? (imageTagOf(image) ?? image) : undefined;
  } catch {
    return undefined;
  }
}

/** Decides, without changing anything, what the rollback does to each service. */
export async function planRollback(
  ecs: ECSClient,
  env: EnvironmentDefinition,
  services: readonly ServiceName[],
  baseline?: ImageSnapshot,
): Promise<RollbackStep[]> {
  if (baseline && baseline.environment !== env.name) {
    throw new Error(`the baseline snapshot is of ${baseline.environment}, not ${env.name}`);
  }
  const cluster = clusterName(env.name);
  const { found, missing } = await describeEnvironmentServices(ecs, env.name, cluster, services);
  const steps: RollbackStep[] = [];
  for (const service of services) {
    const described = found.get(service);
    const currentArn = described ? intendedTaskDefinition(described) : undefined;
    if (!described || !currentArn) {
      steps.push({ service, action: "error", reason: missing.get(service) ?? "service has no task definition" });
      continue;
    }
    const current = parseTaskDefinitionArn(currentArn);
    const family = serviceResourceName(env.name, service);
    let target: TaskDefinitionRef | undefined;
    let reason: string;
    // The revision a rollout in progress replaces (the non-PRIMARY deployment), if one is running.
    const replacing = (described.deployments ?? []).find(
      (d) => d.status !== "PRIMARY" && d.taskDefinition && d.taskDefinition !== currentArn,
    );
    const replaced = replacing?.taskDefinition ? parseTaskDefinitionArn(replacing.taskDefinition) : undefined;
    if (baseline) {
      const before = baseline.services[service]?.taskDefinition;
      if (!before) {
        steps.push({ service, action: "skip", current, reason: "not in the baseline snapshot (new service?); left as is" });
        continue;
      }
      if (before === currentArn) {
        steps.push({ service, action: "skip", current, reason: "unchanged since the baseline" });
        continue;
      }
      target = parseTaskDefinitionArn(before);
      reason = "back to the revision recorded before the deploy";
    } else {
      if (replaced && replaced.revision > current.revision) {
        // The PRIMARY deployment is already the older revision: ECS (circuit breaker or alarm) is
        // rolling back right now. Going "back" from it would mean moving to the failed revision.
        steps.push({
          service,
          action: "skip",
          current,
          reason: `a rollback to ${shortTaskDefinition(currentArn)} is already in progress (from ${shortTaskDefinition(replaced.arn)})`,
        });
        continue;
      }
      if (replaced) {
        target = replaced;
        reason = "a rollout is in progress: back to the revision it replaces";
      } else {
        const revisions = await listActiveRevisions(ecs, family);
        const latest = revisions[0];
        if (latest && current.family === family && current.revision < latest.revision) {
          steps.push({
            service,
            action: "skip",
            current,
            reason: `already on ${shortTaskDefinition(currentArn)}, older than the latest ${shortTaskDefinition(latest.arn)} (already rolled back)`,
          });
          continue;
        }
        target = revisions.find((r) => r.revision < current.revision);
        if (!target) {
          steps.push({ service, action: "error", current, reason: `no earlier ACTIVE revision of ${family} to go back to` });
          continue;
        }
        reason = "back to the previous ACTIVE revision";
      }
    }
    const [currentTag, targetTag] = await Promise.all([tagOf(ecs, current.arn, service), tagOf(ecs, target.arn, service)]);
    // DLV-1: a canary still in progress towards `current`, and the target is what it replaces: stop it.
    if (CANARY_SERVICES.has(service) && replaced && replaced.arn === target.arn && replaced.revision < current.revision) {
      const serviceDeploymentArn = await deploymentInProgress(ecs, cluster, family);
      if (serviceDeploymentArn) {
        steps.push({
          service,
          action: "stop",
          current,
          target,
          currentTag,
          targetTag,
          serviceDeploymentArn,
          reason: `${reason}; the canary is still in progress, so ECS stops it and shifts the traffic back to the running old revision`,
        });
        continue;
      }
    }
    steps.push({ service, action: "rollback", current, target, currentTag, targetTag, reason });
  }
  return steps;
}

export function describeStep(step: RollbackStep): string {
  const from = step.current ? `${step.current.family}:${step.current.revision}` : "?";
  switch (step.action) {
    case "rollback":
    case "stop": {
      const tags = step.currentTag || step.targetTag ? ` (image ${step.currentTag ?? "?"} -> ${step.targetTag ?? "?"})` : "";
      const verb = step.action === "stop" ? "STOP    " : "ROLLBACK";
      return `${verb} ${step.service}: ${from} -> ${step.target!.family}:${step.target!.revision}${tags}; ${step.reason}`;
    }
    case "skip":
      return `SKIP     ${step.service}: ${step.reason}`;
    case "error":
      return `ERROR    ${step.service}: ${step.reason}`;
  }
}

/** Plans, prints, and (unless dry-run) applies the rollback and waits until the services are stable. */
export async function runRollback(deps: RollbackDependencies, options: RollbackOptions): Promise<RollbackResult> {
  const { ecs, log } = deps;
  const env = options.environment;
  const cluster = clusterName(env.name);
  const source = options.baseline ? "the baseline snapshot" : "each family's previous ACTIVE revision";
  log(`Rollback of ${env.name} (cluster ${cluster}) using ${source}${options.dryRun ? " [dry run: nothing will change]" : ""}`);
  const steps = await planRollback(ecs, env, options.services, options.baseline);
  for (const step of steps) log(`  ${describeStep(step)}`);
  const errors = steps.filter((s) => s.action === "error");
  const rollbacks = steps.filter((s) => s.action === "rollback" || s.action === "stop");
  if (options.dryRun) {
    log(`Dry run: would roll back ${rollbacks.length} service(s); ${errors.length} error(s). Nothing was changed.`);
    return { ok: errors.length === 0, steps };
  }
  if (rollbacks.length === 0) {
    log(errors.length === 0 ? "Nothing to roll back." : "Nothing rolled back; see the errors above.");
    return { ok: errors.length === 0, steps };
  }
  const updateFailures: string[] = [];
  for (const step of rollbacks) {
    try {
      if (step.action === "stop") {
        await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: step.serviceDeploymentArn!, stopType: "ROLLBACK" }));
        log(`  stopped ${step.service}'s canary; ECS rolls it back to ${shortTaskDefinition(step.target!.arn)}`);
      } else {
        await ecs.send(
          new UpdateServiceCommand({
            cluster,
            service: serviceResourceName(env.name, step.service),
            taskDefinition: step.target!.arn,
          }),
        );
        log(`  updated ${step.service} to ${shortTaskDefinition(step.target!.arn)}`);
      }
    } catch (err) {
      updateFailures.push(step.service);
      log(`  FAILED to update ${step.service}: ${(err as Error).message}`);
    }
  }
  const updated = rollbacks.filter((s) => !updateFailures.includes(s.service));
  const timeoutMs = options.timeoutMs ?? 15 * 60_000;
  log(`Waiting up to ${formatDuration(timeoutMs)} for ${updated.length} service(s) to become stable...`);
  const waited = await waitForStable(
    ecs,
    env.name,
    cluster,
    updated.map((s) => s.service),
    {
      timeoutMs,
      pollMs: options.pollMs ?? 15_000,
      clock: deps.clock,
      log,
      expected: new Map(updated.map((s) => [s.service, s.target!.arn] as const)),
    },
  );
  for (const [service, reason] of waited.failed) log(`  FAILED ${service}: ${reason}`);
  for (const [service, detail] of waited.timedOut) log(`  TIMED OUT ${service}: ${detail}`);
  const ok = errors.length === 0 && updateFailures.length === 0 && waited.failed.size === 0 && waited.timedOut.size === 0;
  log(
    ok
      ? `Rollback complete: ${waited.stable.length} service(s) stable on their previous revision.`
      : `Rollback INCOMPLETE: ${waited.stable.length} stable, ${waited.failed.size + updateFailures.length} failed, ${waited.timedOut.size} timed out, ${errors.length} could not be planned.`,
  );
  if (ok) {
    log(
      "Note: the next `cdktf deploy` registers a new revision from the code. The deploy workflow reads the image tags " +
        "from the running services, so it keeps these images unless it is given new tags.",
    );
  }
  return { ok, steps };
}

export const ROLLBACK_USAGE = `Usage: npm run rollback -- --env <environment> [options]

Puts services back on the task definition revision (and so the image tags) they ran before the
current one, or on a saved baseline, and waits until they are stable (CD-4). A public service
whose canary is still in progress is rolled back by stopping that deployment (ECS shifts the
traffic back to the old revision at once) instead of deploying the old revision as a new canary.
Exits 0 when done or nothing to do, 1 when a service was not rolled back or did not settle, 2 on a
usage error.

Options:
  --env <name>            staging or production (required)
  --service <name>        only this service (repeatable or comma-separated; default: all)
  --dry-run               print what would change, change nothing
  --baseline <file.json>  roll back to this snapshot (written by 'npm run image-tags -- --snapshot')
  --timeout <duration>    how long to wait for the services to settle (default 15m)
  --poll <duration>       how often to look (default 15s)
  -h, --help              this text

Example:
  npm run rollback -- --env staging --service api --dry-run
`;

/**
 * The `rollback` command: parses `argv`, runs the rollback with `deps(env)`; returns the exit code
 * (0 done or nothing to do, 1 something not rolled back or not stable in time, 2 usage error).
 */
export function rollbackCommand(
  argv: readonly string[],
  deps: (env: EnvironmentDefinition) => RollbackDependencies,
  readFile: (path: string) => string = (path) => readFileSync(path, "utf8"),
): Promise<number> {
  let log: Log = (line) => console.error(line);
  return exitCodeOf(
    "rollback",
    async () => {
      const { values } = parseArgs({
        args: [...argv],
        options: {
          env: { type: "string" },
          service: { type: "string", multiple: true },
          "dry-run": { type: "boolean", default: false },
          baseline: { type: "string" },
          timeout: { type: "string" },
          poll: { type: "string" },
        },
        strict: true,
      });
      const environment = environmentByName(values.env);
      const services = selectServices(values.service);
      const baseline = values.baseline ? (JSON.parse(readFile(values.baseline)) as ImageSnapshot) : undefined;
      const dependencies = deps(environment);
      log = dependencies.log;
      const result = await runRollback(dependencies, {
        environment,
        services,
        dryRun: values["dry-run"] === true,
        baseline,
        timeoutMs: parseDuration(values.timeout, 15 * 60_000, "--timeout"),
        pollMs: parseDuration(values.poll, 15_000, "--poll"),
      });
      return result.ok ? 0 : 1;
    },
    (line) => log(line),
    { argv, usage: ROLLBACK_USAGE, out: (text) => console.log(text) },
  );
}
