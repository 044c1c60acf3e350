/**
 * `npm run wake -- --env staging [--sleep] [--dry-run]` (COST-2): wakes an environment outside its
 * off-hours schedule, in the schedule's order, or puts it back to sleep.
 *
 * Wake: start the database host and wait until EC2 reports it running; set every service's scalable
 * target back to the environment's counts (Application Auto Scaling then starts the tasks); enable
 * the off-hours alarms' actions. Sleep: the reverse, the way the evening schedules do it: quiet the
 * alarms, scale every service to zero, wait until no task runs, stop the host.
 *
 * It acts through the AWS CLI (`aws`, with the operator's credentials), so it needs no SDK client
 * beyond what the project has. What it changes is what the schedules change; the next scheduled
 * stop (or start) takes over again, so a woken staging goes back to sleep at the next evening stop.
 */
import { parseArgs } from "node:util";
import { scheduledCapacity } from "../../src/compute/off-hours-schedule";
import { clusterName, PROJECT, resourceName, serviceResourceName } from "../../src/config/naming";
import { SERVICE_CATALOG } from "../../src/config/service-catalog";
import type { EnvironmentDefinition, ServiceDefinition } from "../../src/config/types";
import { databaseHostAlarmName, loadBalancer5xxAlarmName, noHealthyTargetsAlarmName } from "../../src/observability/names";
import { exitCodeOf } from "./command";
import { environmentByName, parseDuration, UsageError, type Clock, type Log } from "./runtime";

export const WAKE_USAGE = `Usage: npm run wake -- --env <name> [options]

Wakes an environment outside its off-hours schedule (COST-2), in the schedule's order: starts the
database host and waits until it runs, sets every service back to its counts, enables the alarms
that the schedule quiets at night. With --sleep, does the reverse (alarms quiet, services to zero,
waits until no task runs, stops the host). The next scheduled stop or start takes over again.
Acts through the AWS CLI ('aws') with your credentials for the environment's account.
Exits 0, 1 when a step failed or did not finish in time, 2 on a usage error.

Options:
  --env <name>            the environment (required; its schedule must be enabled)
  --sleep                 put it to sleep instead of waking it
  --dry-run               print the aws commands, run none
  --timeout <duration>    how long to wait for the tasks to stop with --sleep (default 10m)
  -h, --help              this text

Example:
  npm run wake -- --env staging
`;

/** Runs `aws <args>` and returns its standard output; rejects with the CLI's message when it fails. */
export type AwsCli = (args: readonly string[]) => Promise<string>;

export interface WakeDependencies {
  readonly aws: AwsCli;
  readonly clock: Clock;
  readonly log: Log;
  readonly err: Log;
}

/**
 * COST-2: the alarms that fire only because nothing runs, by name: what the off-hours schedule
 * quiets at night (the synthesized schedule's list is checked against this one in the tests).
 */
export function offHoursAlarmNames(env: EnvironmentDefinition, catalog: readonly ServiceDefinition[] = SERVICE_CATALOG): string[] {
  return [
    loadBalancer5xxAlarmName(env.name),
    ...catalog.filter((s) => s.kind === "public-web").map((s) => noHealthyTargetsAlarmName(env.name, s.name)),
    ...(env.dataPlane.mode === "host" ? [databaseHostAlarmName(env.name, "postgres-down"), databaseHostAlarmName(env.name, "valkey-down")] : []),
  ];
}

/** The steps of a wake or a sleep, as aws CLI argument lists, in order; `waitForTasks` marks the wait. */
type Step = { readonly what: string; readonly args: readonly string[] } | { readonly what: string; readonly waitForTasks: true };

export function wakeSteps(env: EnvironmentDefinition, hostId: string | undefined, sleep: boolean, catalog = SERVICE_CATALOG): Step[] {
  const region = ["--region", env.region];
  const cluster = clusterName(env.name);
  const alarms = offHoursAlarmNames(env, catalog);
  const scale = (zero: boolean): Step[] =>
    catalog.map((s) => {
      const capacity = zero ? { min: 0, max: 0 } : scheduledCapacity(env.services[s.name]);
      return {
        what: `${s.name}: min ${capacity.min}, max ${capacity.max} tasks`,
        args: [
          "application-autoscaling", "register-scalable-target", ...region,
          "--service-namespace", "ecs",
          "--scalable-dimension", "ecs:service:DesiredCount",
          "--resource-id", `service/${cluster}/${serviceResourceName(env.name, s.name)}`,
          "--min-capacity", String(capacity.min),
          "--max-capacity", String(capacity.max),
        ],
      };
    });
  const host = (verb: "start" | "stop"): Step[] =>
    hostId
      ? [
          { what: `${verb} the database host ${hostId}`, args: ["ec2", `${verb}-instances`, ...region, "--instance-ids", hostId] },
          {
            what: `wait until the database host is ${verb === "start" ? "running" : "stopped"}`,
            args: ["ec2", "wait", verb === "start" ? "instance-running" : "instance-stopped", ...region, "--instance-ids", hostId],
          },
        ]
      : [];
  const alarmActions = (verb: "enable" | "disable"): Step => ({
    what: `${verb} the actions of ${alarms.join(", ")}`,
    args: ["cloudwatch", `${verb}-alarm-actions`, ...region, "--alarm-names", ...alarms],
  });
  return sleep
    ? [alarmActions("disable"), ...scale(true), { what: "wait until no task runs", waitForTasks: true }, ...host("stop")]
    : [...host("start"), ...scale(false), alarmActions("enable")];
}

/** The database host's instance ID, found by its Name tag (`tracker-<env>-db-host`); undefined without a host. */
async function findHost(env: EnvironmentDefinition, aws: AwsCli): Promise<string | undefined> {
  if (env.dataPlane.mode !== "host") return undefined;
  const name = resourceName(env.name, "db-host");
  const out = await aws([
    "ec2", "describe-instances", "--region", env.region,
    // By its name and this project's tags (the staging account is shared, SHR-1).
    "--filters", `Name=tag:Name,Values=${name}`, `Name=tag:Project,Values=${PROJECT}`, `Name=tag:Environment,Values=${env.name}`,
    "Name=instance-state-name,Values=pending,running,stopping,stopped",
    "--query", "Reservations[].Instances[].InstanceId", "--output", "json",
  ]);
  const ids = JSON.parse(out) as string[];
  if (ids.length !== 1) throw new Error(`expected one instance named ${name}, found ${ids.length} (${ids.join(", ") || "none"})`);
  return ids[0];
}

/** Polls ECS until no service of the environment runs a task. */
async function waitForNoTasks(env: EnvironmentDefinition, deps: WakeDependencies, timeoutMs: number, catalog = SERVICE_CATALOG): Promise<void> {
  const deadline = deps.clock.now() + timeoutMs;
  const services = catalog.map((s) => serviceResourceName(env.name, s.name));
  for (;;) {
    const out = await deps.aws([
      "ecs", "describe-services", "--region", env.region, "--cluster", clusterName(env.name),
      "--services", ...services, "--query", "services[].[serviceName,runningCount]", "--output", "json",
    ]);
    const running = (JSON.parse(out) as [string, number][]).filter(([, count]) => count > 0);
    if (running.length === 0) return;
    if (deps.clock.now() >= deadline) {
      throw new Error(`tasks still running after ${timeoutMs / 1000} s: ${running.map(([n, c]) => `${n} (${c})`).join(", ")}; the host was not stopped`);
    }
    await deps.clock.sleep(15_000);
  }
}

export function wakeCommand(argv: readonly string[], deps: WakeDependencies): Promise<number> {
  return exitCodeOf(
    "wake",
    async () => {
      const { values } = parseArgs({
        args: [...argv],
        options: {
          env: { type: "string" },
          sleep: { type: "boolean", default: false },
          "dry-run": { type: "boolean", default: false },
          timeout: { type: "string" },
        },
        strict: true,
      });
      const env = environmentByName(values.env);
      if (!env.schedule.enabled) {
        throw new UsageError(`${env.name}.schedule.enabled is false: ${env.name} runs around the clock, there is nothing to wake or put to sleep`);
      }
      const timeoutMs = parseDuration(values.timeout, 10 * 60_000, "--timeout");
      const sleep = values.sleep!;
      const hostId = values["dry-run"] && env.dataPlane.mode === "host" ? "<database host instance id>" : await findHost(env, deps.aws);
      for (const step of wakeSteps(env, hostId, sleep)) {
        if ("waitForTasks" in step) {
          deps.log(`wake: ${step.what}`);
          if (!values["dry-run"]) await waitForNoTasks(env, deps, timeoutMs);
          continue;
        }
        deps.log(`wake: ${step.what}${values["dry-run"] ? `\n  aws ${step.args.join(" ")}` : ""}`);
        if (!values["dry-run"]) await deps.aws(step.args);
      }
      deps.log(`wake: ${env.name} is ${sleep ? "asleep" : "awake"}${sleep ? "" : ` until the scheduled stop at ${env.schedule.stop} (${env.schedule.timezone}, ${env.schedule.weekdays})`}`);
      return 0;
    },
    deps.err,
    { argv, usage: WAKE_USAGE, out: deps.log },
  );
}
