/**
 * COST-2: `npm run wake` wakes staging outside its off-hours schedule in the schedule's order (host,
 * services, alarms) and `--sleep` puts it back (alarms, services, wait, host). The AWS CLI is
 * replaced by a recorder that answers like the CLI; the alarm names are checked against the
 * synthesized schedule's.
 */
import { describe, expect, it } from "vitest";
import { PRODUCTION, STAGING } from "../src/config/environments";
import { offHoursAlarmNames, wakeCommand, wakeSteps } from "../scripts/lib/wake";
import { fakeClock } from "./support/fake-ecs";
import { only, synthTracker } from "./support/synth";

const HOST = "i-0abc1234def567890";

interface Run {
  readonly code: number;
  readonly calls: string[][];
  readonly log: string[];
  readonly err: string[];
  readonly slept: number[];
}

/** Runs the command against a fake `aws`: `answer` may return the stdout of a call. */
async function run(argv: string[], answer: (args: readonly string[]) => string | undefined = () => undefined): Promise<Run> {
  const calls: string[][] = [];
  const log: string[] = [];
  const err: string[] = [];
  const clock = fakeClock();
  const code = await wakeCommand(argv, {
    aws: async (args) => {
      calls.push([...args]);
      const out = answer(args);
      if (out !== undefined) return out;
      if (args[1] === "describe-instances") return JSON.stringify([HOST]);
      if (args[1] === "describe-services") return JSON.stringify([]);
      return "";
    },
    clock,
    log: (l) => log.push(l),
    err: (l) => err.push(l),
  });
  return { code, calls, log, err, slept: clock.slept };
}

const verbs = (calls: string[][]) => calls.map((c) => `${c[0]} ${c[1]}${c[1] === "wait" ? ` ${c[2]}` : ""}`);
const REGISTER = "application-autoscaling register-scalable-target";

describe("COST-2: waking staging on demand", () => {
  it("COST-2: the host starts and is running before any service is set back to its count, then the alarms wake", async () => {
    const { code, calls } = await run(["--env", "staging"]);
    expect(code).toBe(0);
    expect(verbs(calls)).toEqual([
      "ec2 describe-instances",
      "ec2 start-instances",
      "ec2 wait instance-running",
      ...Array(8).fill(REGISTER),
      "cloudwatch enable-alarm-actions",
    ]);
    expect(calls[0]).toEqual([
      "ec2", "describe-instances", "--region", "eu-central-1",
      "--filters", "Name=tag:Name,Values=tracker-staging-db-host", "Name=tag:Project,Values=tracker", "Name=tag:Environment,Values=staging",
      "Name=instance-state-name,Values=pending,running,stopping,stopped",
      "--query", "Reservations[].Instances[].InstanceId", "--output", "json",
    ]);
    expect(calls[1]).toEqual(["ec2", "start-instances", "--region", "eu-central-1", "--instance-ids", HOST]);
    expect(calls[2]).toEqual(["ec2", "wait", "instance-running", "--region", "eu-central-1", "--instance-ids", HOST]);
    expect(calls[3]).toEqual([
      "application-autoscaling", "register-scalable-target", "--region", "eu-central-1",
      "--service-namespace", "ecs", "--scalable-dimension", "ecs:service:DesiredCount",
      "--resource-id", "service/tracker-staging-cluster/tracker-staging-api", "--min-capacity", "1", "--max-capacity", "1",
    ]);
    const resourceIds = calls.filter((c) => c[1] === "register-scalable-target").map((c) => c[c.indexOf("--resource-id") + 1]);
    expect(resourceIds.sort()).toEqual(
      ["admin", "anisette", "api", "frontend", "materialized-view-service", "notification-service", "tracker-fetcher", "unified-geofence"].map(
        (s) => `service/tracker-staging-cluster/tracker-staging-${s}`,
      ),
    );
  });

  it("COST-2: the alarms it wakes are exactly those the schedule quiets at night (the synthesized list)", async () => {
    const stack = synthTracker(STAGING);
    const [, quiet] = only(stack, "aws_scheduler_schedule", (s) => s.name === "tracker-staging-alarms-quiet");
    const addresses = [...String(quiet.target.input).matchAll(/aws_cloudwatch_metric_alarm\.([^.]+)\.alarm_name/g)].map((m) => m[1]!);
    const synthesized = addresses.map((name) => (stack.resource!["aws_cloudwatch_metric_alarm"]![name] as { alarm_name: string }).alarm_name);
    expect(offHoursAlarmNames(STAGING)).toEqual(synthesized);
    const { calls } = await run(["--env", "staging"]);
    const enable = calls.find((c) => c[1] === "enable-alarm-actions")!;
    expect(enable.slice(enable.indexOf("--alarm-names") + 1)).toEqual(synthesized);
  });

  it("COST-2: --dry-run prints the commands and calls nothing", async () => {
    const { code, calls, log } = await run(["--env", "staging", "--dry-run"]);
    expect(code).toBe(0);
    expect(calls).toEqual([]);
    expect(log.join("\n")).toContain("aws ec2 start-instances --region eu-central-1 --instance-ids <database host instance id>");
    expect(log.join("\n")).toContain("--resource-id service/tracker-staging-cluster/tracker-staging-anisette --min-capacity 1 --max-capacity 1");
  });

  it("COST-2: a missing or duplicated host stops it before anything changes (exit 1)", async () => {
    const none = await run(["--env", "staging"], (a) => (a[1] === "describe-instances" ? "[]" : undefined));
    expect(none.code).toBe(1);
    expect(none.err[0]).toBe("wake: expected one instance named tracker-staging-db-host, found 0 (none)");
    expect(verbs(none.calls)).toEqual(["ec2 describe-instances"]);
    const two = await run(["--env", "staging"], (a) => (a[1] === "describe-instances" ? JSON.stringify([HOST, "i-0fff"]) : undefined));
    expect(two.code).toBe(1);
  });

  it("COST-2: a failing CLI call stops the sequence: no service is started against a host that did not start", async () => {
    const failed = await run(["--env", "staging"], (a) => {
      if (a[1] === "start-instances") throw new Error("aws ec2 start-instances failed: InsufficientInstanceCapacity");
      return undefined;
    });
    expect(failed.code).toBe(1);
    expect(verbs(failed.calls)).not.toContain(REGISTER);
    expect(failed.err[0]).toContain("InsufficientInstanceCapacity");
  });

  it("COST-2: production has no schedule: a usage error (exit 2), nothing called", async () => {
    expect(PRODUCTION.schedule.enabled).toBe(false);
    const { code, calls, err } = await run(["--env", "production"]);
    expect(code).toBe(2);
    expect(calls).toEqual([]);
    expect(err[0]).toBe("wake: production.schedule.enabled is false: production runs around the clock, there is nothing to wake or put to sleep");
  });
});

describe("COST-2: putting staging back to sleep", () => {
  it("COST-2: alarms quiet first, services to zero, the host stops only once no task runs", async () => {
    let polls = 0;
    const { code, calls, slept } = await run(["--env", "staging", "--sleep"], (a) => {
      if (a[1] !== "describe-services") return undefined;
      polls += 1;
      return JSON.stringify(polls < 3 ? [["tracker-staging-api", 1], ["tracker-staging-admin", 0]] : [["tracker-staging-api", 0]]);
    });
    expect(code).toBe(0);
    expect(verbs(calls)).toEqual([
      "ec2 describe-instances",
      "cloudwatch disable-alarm-actions",
      ...Array(8).fill(REGISTER),
      "ecs describe-services",
      "ecs describe-services",
      "ecs describe-services",
      "ec2 stop-instances",
      "ec2 wait instance-stopped",
    ]);
    expect(slept).toEqual([15_000, 15_000]);
    for (const c of calls.filter((x) => x[1] === "register-scalable-target")) {
      expect(c.slice(-4)).toEqual(["--min-capacity", "0", "--max-capacity", "0"]);
    }
  });

  it("COST-2: tasks that do not stop in time leave the host running (exit 1)", async () => {
    const { code, calls, err } = await run(["--env", "staging", "--sleep", "--timeout", "1m"], (a) =>
      a[1] === "describe-services" ? JSON.stringify([["tracker-staging-api", 1]]) : undefined,
    );
    expect(code).toBe(1);
    expect(verbs(calls)).not.toContain("ec2 stop-instances");
    expect(err[0]).toBe("wake: tasks still running after 60 s: tracker-staging-api (1); the host was not stopped");
  });
});

describe("COST-2: what an operator reads while waking", () => {
  it("COST-2: each step is named, and the end says until when the environment stays awake", async () => {
    const { log } = await run(["--env", "staging"]);
    expect(log[0]).toBe(`wake: start the database host ${HOST}`);
    expect(log[1]).toBe("wake: wait until the database host is running");
    expect(log[2]).toBe("wake: api: min 1, max 1 tasks");
    expect(log[10]).toBe(
      "wake: enable the actions of tracker-staging-alb-5xx, tracker-staging-api-no-healthy-targets, tracker-staging-frontend-no-healthy-targets, " +
        "tracker-staging-admin-no-healthy-targets, tracker-staging-db-host-postgres-down, tracker-staging-db-host-valkey-down",
    );
    expect(log[11]).toBe("wake: staging is awake until the scheduled stop at 20:00 (Europe/Berlin, MON-FRI)");
    expect(log).toHaveLength(12);
  });

  it("COST-2: going to sleep ends with the environment asleep; the host's steps name it", async () => {
    const { log } = await run(["--env", "staging", "--sleep"]);
    expect(log.at(-3)).toBe(`wake: stop the database host ${HOST}`);
    expect(log.at(-2)).toBe("wake: wait until the database host is stopped");
    expect(log.at(-1)).toBe("wake: staging is asleep");
    expect(log).toContain("wake: wait until no task runs");
    expect(log).toContain("wake: api: min 0, max 0 tasks");
  });

  it("COST-2: --dry-run --sleep waits for nothing and stops nothing, and prints the stop command", async () => {
    const { code, calls, log, slept } = await run(["--env", "staging", "--sleep", "--dry-run"]);
    expect(code).toBe(0);
    expect(calls).toEqual([]);
    expect(slept).toEqual([]);
    expect(log).toContain("wake: stop the database host <database host instance id>\n  aws ec2 stop-instances --region eu-central-1 --instance-ids <database host instance id>");
    expect(log).toContain("wake: wait until no task runs");
  });

  it("COST-2: two hosts with the name is an error listing both; nothing is started", async () => {
    const two = await run(["--env", "staging"], (a) => (a[1] === "describe-instances" ? JSON.stringify([HOST, "i-0fff"]) : undefined));
    expect(two.err[0]).toBe(`wake: expected one instance named tracker-staging-db-host, found 2 (${HOST}, i-0fff)`);
    expect(verbs(two.calls)).toEqual(["ec2 describe-instances"]);
  });

  it("COST-2: with --sleep the wait polls every 15 s until the timeout, not a poll longer", async () => {
    const { slept, calls } = await run(["--env", "staging", "--sleep", "--timeout", "1m"], (a) =>
      a[1] === "describe-services" ? JSON.stringify([["tracker-staging-api", 2], ["tracker-staging-admin", 1]]) : undefined,
    );
    expect(slept).toEqual([15_000, 15_000, 15_000, 15_000]);
    const describe = calls.find((c) => c[1] === "describe-services")!;
    expect(describe).toEqual([
      "ecs", "describe-services", "--region", "eu-central-1", "--cluster", "tracker-staging-cluster",
      "--services",
      ...["api", "frontend", "admin", "tracker-fetcher", "unified-geofence", "notification-service", "materialized-view-service", "anisette"].map((s) => `tracker-staging-${s}`),
      "--query", "services[].[serviceName,runningCount]", "--output", "json",
    ]);
  });

  it("COST-2: without a host to start, waking is the services and the alarms only", () => {
    const steps = wakeSteps(STAGING, undefined, false);
    expect(steps.map((s) => s.what)).toEqual([
      "api: min 1, max 1 tasks",
      "frontend: min 1, max 1 tasks",
      "admin: min 1, max 1 tasks",
      "tracker-fetcher: min 1, max 1 tasks",
      "unified-geofence: min 1, max 1 tasks",
      "notification-service: min 1, max 1 tasks",
      "materialized-view-service: min 1, max 1 tasks",
      "anisette: min 1, max 1 tasks",
      "enable the actions of tracker-staging-alb-5xx, tracker-staging-api-no-healthy-targets, tracker-staging-frontend-no-healthy-targets, " +
        "tracker-staging-admin-no-healthy-targets, tracker-staging-db-host-postgres-down, tracker-staging-db-host-valkey-down",
    ]);
    expect(wakeSteps(STAGING, undefined, true).at(-1)).toEqual({ what: "wait until no task runs", waitForTasks: true });
  });

  it("COST-2: without a database host (an external data plane) only the load balancer's alarms are quieted", () => {
    expect(offHoursAlarmNames(PRODUCTION)).toEqual([
      "tracker-production-alb-5xx",
      "tracker-production-api-no-healthy-targets",
      "tracker-production-frontend-no-healthy-targets",
      "tracker-production-admin-no-healthy-targets",
    ]);
  });
});
