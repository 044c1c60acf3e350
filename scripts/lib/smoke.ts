/**
 * The smoke checks of a deployed environment (CD-3), as a library: every dependency (ECS and ELB
 * clients, the HTTPS getter, the clock) is injected so that tests run against client mocks and a
 * local HTTPS server. `scripts/smoke.ts` is the command around it.
 *
 * Checks, one result line each:
 * - http:         each public hostname answers `GET https://<host><healthPath>` with 2xx in time;
 * - service:      each ECS service runs desired == running (>= 1) on the task definition its PRIMARY
 *                 deployment points at, which is the family's latest revision; no failed deployment,
 *                 no rollout in progress or stuck;
 * - target-group: each target group of the environment's ALB that takes traffic (a weight > 0 in a
 *                 listener rule's forward) has >= 1 target, all healthy. DLV-1: every public service
 *                 has two groups and ECS moves the traffic between them with each canary, so the
 *                 group at weight 0 is the idle twin: it passes empty (or still draining the old
 *                 revision), and fails only with an unhealthy target;
 * - task-health:  the latest task of each worker (and private service) reports HEALTHY.
 */
import * as https from "node:https";
import { parseArgs } from "node:util";
import { DescribeTasksCommand, ListTasksCommand, type ECSClient, type Service } from "@aws-sdk/client-ecs";
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type Action,
  type ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { clusterName, resourceName, serviceResourceName } from "../../src/config/naming";
import { SERVICE_CATALOG } from "../../src/config/service-catalog";
import type { EnvironmentDefinition, ServiceDefinition, ServiceName } from "../../src/config/types";
import {
  describeEnvironmentServices,
  intendedTaskDefinition,
  listActiveRevisions,
  parseTaskDefinitionArn,
  primaryDeployment,
  shortTaskDefinition,
  waitForStable,
} from "./ecs";
import { exitCodeOf } from "./command";
import { environmentByName, formatDuration, parseDuration, UsageError, type Clock, type Log } from "./runtime";

export type CheckKind = "http" | "service" | "target-group" | "task-health";

export interface CheckResult {
  readonly kind: CheckKind;
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** GETs a URL; resolves with the status once headers arrive, rejects on error or after `timeoutMs`. */
export type HttpGet = (url: string, timeoutMs: number) => Promise<{ readonly status: number }>;

export interface Endpoint {
  readonly service: ServiceName;
  readonly url: string;
}

export interface SmokeDependencies {
  readonly ecs: ECSClient;
  readonly elb: ElasticLoadBalancingV2Client;
  readonly http: HttpGet;
  readonly clock: Clock;
  readonly log: Log;
}

export interface SmokeOptions {
  readonly environment: EnvironmentDefinition;
  /** @default - `publicEndpoints(environment)` */
  readonly endpoints?: readonly Endpoint[];
  /** Per HTTP attempt. @default 10000 */
  readonly httpTimeoutMs?: number;
  /** HTTP attempts before a hostname fails. @default 3 */
  readonly httpAttempts?: number;
  /** Pause between HTTP attempts. @default 5000 */
  readonly httpRetryDelayMs?: number;
  /** A rollout in progress longer than this is reported as stuck. @default 900000 (15 min) */
  readonly stuckAfterMs?: number;
  /** Wait up to this long for services to settle before checking (0: check at once). @default 0 */
  readonly waitForStableMs?: number;
  /** Poll interval while waiting. @default 15000 */
  readonly pollMs?: number;
}

/** The public URLs to probe: each public-web service on its hostname and catalog health path. */
export function publicEndpoints(env: EnvironmentDefinition, catalog: readonly ServiceDefinition[] = SERVICE_CATALOG): Endpoint[] {
  return catalog.filter((s) => s.kind === "public-web").map((s) => {
    const host = env.dns.hostnames[s.name as keyof EnvironmentDefinition["dns"]["hostnames"]];
    if (!host) throw new Error(`${env.name}.dns.hostnames has no hostname for public service ${s.name}`);
    return { service: s.name, url: `https://${host}${s.healthPath ?? "/"}` };
  });
}

/** The default getter: Node's https (certificates verified), optionally trusting an extra CA. */
export function createHttpsGet(options: { readonly ca?: string | Buffer } = {}): HttpGet {
  return (url, timeoutMs) =>
    new Promise((resolve, reject) => {
      const request = https.get(url, { ca: options.ca, agent: false, headers: { "user-agent": "tracker-smoke" } }, (res) => {
        clearTimeout(timer);
        res.resume();
        res.destroy();
        resolve({ status: res.statusCode ?? 0 });
      });
      const timer = setTimeout(() => {
        request.destroy(new Error(`timed out after ${formatDuration(timeoutMs)}`));
      }, timeoutMs);
      request.on("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
}

export async function checkEndpoint(
  endpoint: Endpoint,
  deps: Pick<SmokeDependencies, "http" | "clock">,
  options: { readonly timeoutMs: number; readonly attempts: number; readonly retryDelayMs: number },
): Promise<CheckResult> {
  let last = "";
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    const started = deps.clock.now();
    try {
      const { status } = await deps.http(endpoint.url, options.timeoutMs);
      const took = `${deps.clock.now() - started} ms`;
      if (status >= 200 && status < 300) {
        return { kind: "http", name: endpoint.service, ok: true, detail: `GET ${endpoint.url} -> ${status} (${took})` };
      }
      last = `GET ${endpoint.url} -> ${status}, expected 2xx`;
    } catch (err) {
      last = `GET ${endpoint.url} failed: ${(err as Error).message}`;
    }
    if (attempt < options.attempts) await deps.clock.sleep(options.retryDelayMs);
  }
  const tries = options.attempts > 1 ? ` (after ${options.attempts} attempts)` : "";
  return { kind: "http", name: endpoint.service, ok: false, detail: `${last}${tries}` };
}

/** One ECS service against CD-3: desired == running on the PRIMARY, latest task definition, settled. */
export function evaluateService(
  name: ServiceName,
  service: Service,
  latestRevision: number | undefined,
  now: number,
  stuckAfterMs: number,
): CheckResult {
  const problems: string[] = [];
  const primary = primaryDeployment(service);
  const desired = service.desiredCount ?? 0;
  const running = service.runningCount ?? 0;
  const target = intendedTaskDefinition(service);
  if (service.status !== "ACTIVE") problems.push(`service status ${service.status ?? "unknown"}`);
  if (desired < 1) problems.push("desired count is 0");
  if (running !== desired) problems.push(`${running}/${desired} tasks running`);
  if (!primary) {
    problems.push("no PRIMARY deployment");
  } else {
    const primaryRunning = primary.runningCount ?? 0;
    if (primaryRunning !== desired) {
      problems.push(`${primaryRunning}/${desired} tasks on the PRIMARY deployment's ${shortTaskDefinition(primary.taskDefinition)}`);
    }
  }
  const deployments = service.deployments ?? [];
  for (const d of deployments) {
    if (d.rolloutState === "FAILED") {
      problems.push(`deployment ${shortTaskDefinition(d.taskDefinition)} FAILED: ${d.rolloutStateReason ?? "no reason given"}`);
    }
  }
  if (primary && primary.rolloutState !== "FAILED" && (primary.rolloutState === "IN_PROGRESS" || deployments.length > 1)) {
    const since = primary.createdAt ? now - primary.createdAt.getTime() : undefined;
    const age = since === undefined ? "" : ` for ${formatDuration(since)}`;
    const stuck = since !== undefined && since > stuckAfterMs;
    problems.push(
      `${stuck ? "stuck: " : ""}rollout to ${shortTaskDefinition(primary.taskDefinition)} in progress${age} (${deployments.length} deployments)`,
    );
  }
  if (target) {
    const ref = parseTaskDefinitionArn(target);
    if (latestRevision !== undefined && ref.revision !== latestRevision) {
      problems.push(
        `runs revision ${ref.revision} but the latest registered revision is ${latestRevision} (rolled back, or the deploy did not reach it)`,
      );
    }
  }
  const summary = `${running}/${desired} running on ${shortTaskDefinition(target)}`;
  return problems.length === 0
    ? { kind: "service", name, ok: true, detail: `${summary}, ${primary?.rolloutState ?? "settled"}` }
    : { kind: "service", name, ok: false, detail: problems.join("; ") };
}

async function checkServices(
  deps: SmokeDependencies,
  env: EnvironmentDefinition,
  stuckAfterMs: number,
): Promise<CheckResult[]> {
  const names = SERVICE_CATALOG.map((s) => s.name);
  const { found, missing } = await describeEnvironmentServices(deps.ecs, env.name, clusterName(env.name), names);
  const results: CheckResult[] = [];
  for (const name of names) {
    const service = found.get(name);
    if (!service) {
      results.push({ kind: "service", name, ok: false, detail: missing.get(name) ?? "not found" });
      continue;
    }
    const revisions = await listActiveRevisions(deps.ecs, serviceResourceName(env.name, name));
    results.push(evaluateService(name, service, revisions[0]?.revision, deps.clock.now(), stuckAfterMs));
  }
  return results;
}

/** The traffic weight each target group gets from one forward action (a plain forward is weight 1). */
function forwardWeights(action: Action): [string, number][] {
  if (action.Type !== "forward") return [];
  const weighted = action.ForwardConfig?.TargetGroups ?? [];
  if (weighted.length > 0) return weighted.filter((g) => g.TargetGroupArn).map((g) => [g.TargetGroupArn!, g.Weight ?? 1]);
  return action.TargetGroupArn ? [[action.TargetGroupArn, 1]] : [];
}

/**
 * DLV-1: each target group's highest weight in any rule (or default action) of the load balancer's
 * listeners, as ECS has left them; a group no rule forwards to is absent (weight 0).
 */
export async function liveTargetGroupWeights(elb: ElasticLoadBalancingV2Client, loadBalancerArn: string): Promise<Map<string, number>> {
  const weights = new Map<string, number>();
  const note = (actions: readonly Action[] | undefined) => {
    for (const action of actions ?? []) {
      for (const [arn, weight] of forwardWeights(action)) weights.set(arn, Math.max(weights.get(arn) ?? 0, weight));
    }
  };
  const listeners = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn }))).Listeners ?? [];
  for (const listener of listeners) {
    note(listener.DefaultActions);
    let marker: string | undefined;
    do {
      const page = await elb.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn, Marker: marker }));
      for (const rule of page.Rules ?? []) note(rule.Actions);
      marker = page.NextMarker;
    } while (marker);
  }
  return weights;
}

async function checkTargetGroups(deps: SmokeDependencies, env: EnvironmentDefinition): Promise<CheckResult[]> {
  const albName = resourceName(env.name, "alb");
  let loadBalancerArn: string | undefined;
  try {
    const out = await deps.elb.send(new DescribeLoadBalancersCommand({ Names: [albName] }));
    loadBalancerArn = out.LoadBalancers?.[0]?.LoadBalancerArn;
  } catch (err) {
    if ((err as Error).name !== "LoadBalancerNotFoundException") throw err;
    return [{ kind: "target-group", name: albName, ok: false, detail: `load balancer not found: ${(err as Error).message}` }];
  }
  if (!loadBalancerArn) {
    return [{ kind: "target-group", name: albName, ok: false, detail: "load balancer not found" }];
  }
  const groups = (await deps.elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: loadBalancerArn }))).TargetGroups ?? [];
  if (groups.length === 0) {
    return [{ kind: "target-group", name: albName, ok: false, detail: "the load balancer has no target groups" }];
  }
  const weights = await liveTargetGroupWeights(deps.elb, loadBalancerArn);
  const describe = (t: { Target?: { Id?: string; Port?: number }; TargetHealth?: { State?: string; Reason?: string } }) =>
    `${t.Target?.Id ?? "?"}:${t.Target?.Port ?? "?"} ${t.TargetHealth?.State ?? "?"}${t.TargetHealth?.Reason ? ` (${t.TargetHealth.Reason})` : ""}`;
  const results: CheckResult[] = [];
  for (const group of groups) {
    const name = group.TargetGroupName ?? group.TargetGroupArn ?? "?";
    const health = await deps.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: group.TargetGroupArn }));
    const targets = health.TargetHealthDescriptions ?? [];
    const weight = weights.get(group.TargetGroupArn ?? "") ?? 0;
    if (weight === 0) {
      // The idle twin of a canary pair: empty, or draining the revision the last canary replaced.
      const broken = targets.filter((t) => t.TargetHealth?.State === "unhealthy");
      const states = targets.length === 0 ? "no targets" : targets.map(describe).join(", ");
      results.push(
        broken.length === 0
          ? { kind: "target-group", name, ok: true, detail: `standby (weight 0, takes the next canary): ${states}` }
          : { kind: "target-group", name, ok: false, detail: `standby (weight 0) with ${broken.length} unhealthy target(s): ${broken.map(describe).join(", ")}` },
      );
      continue;
    }
    const unhealthy = targets.filter((t) => t.TargetHealth?.State !== "healthy");
    if (targets.length === 0) {
      results.push({ kind: "target-group", name, ok: false, detail: "no registered targets" });
    } else if (unhealthy.length > 0) {
      const list = unhealthy.map(describe).join(", ");
      results.push({ kind: "target-group", name, ok: false, detail: `${unhealthy.length}/${targets.length} targets not healthy: ${list}` });
    } else {
      results.push({ kind: "target-group", name, ok: true, detail: `${targets.length}/${targets.length} targets healthy` });
    }
  }
  return results;
}

/** Services without an ALB health check rely on their container health check: workers and private services. */
async function checkTaskHealth(deps: SmokeDependencies, env: EnvironmentDefinition): Promise<CheckResult[]> {
  const cluster = clusterName(env.name);
  const results: CheckResult[] = [];
  for (const s of SERVICE_CATALOG.filter((d) => d.kind !== "public-web")) {
    const serviceName = serviceResourceName(env.name, s.name);
    const arns = (await deps.ecs.send(new ListTasksCommand({ cluster, serviceName, desiredStatus: "RUNNING" }))).taskArns ?? [];
    if (arns.length === 0) {
      results.push({ kind: "task-health", name: s.name, ok: false, detail: "no running task" });
      continue;
    }
    const tasks = (await deps.ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(0, 100) }))).tasks ?? [];
    const started = (t: (typeof tasks)[number]) => (t.startedAt ?? t.createdAt ?? new Date(0)).getTime();
    const latest = [...tasks].sort((a, b) => started(b) - started(a))[0];
    if (!latest) {
      results.push({ kind: "task-health", name: s.name, ok: false, detail: "running task could not be described" });
      continue;
    }
    const id = latest.taskArn?.split("/").pop() ?? "?";
    const what = `latest task ${id} (${shortTaskDefinition(latest.taskDefinitionArn)}) is ${latest.lastStatus ?? "?"}, health ${latest.healthStatus ?? "UNKNOWN"}`;
    const ok = latest.healthStatus === "HEALTHY" && latest.lastStatus === "RUNNING";
    results.push({ kind: "task-health", name: s.name, ok, detail: what });
  }
  return results;
}

/** Runs every check; never throws for a failing environment (API errors become FAIL lines). */
export async function runSmokeChecks(deps: SmokeDependencies, options: SmokeOptions): Promise<CheckResult[]> {
  const env = options.environment;
  const stuckAfterMs = options.stuckAfterMs ?? 15 * 60_000;
  if ((options.waitForStableMs ?? 0) > 0) {
    deps.log(`Waiting up to ${formatDuration(options.waitForStableMs!)} for the services of ${clusterName(env.name)} to settle...`);
    await waitForStable(deps.ecs, env.name, clusterName(env.name), SERVICE_CATALOG.map((s) => s.name), {
      timeoutMs: options.waitForStableMs!,
      pollMs: options.pollMs ?? 15_000,
      clock: deps.clock,
      log: deps.log,
    }).catch((err: Error) => deps.log(`  could not wait for services: ${err.message}`));
  }
  const guarded = async (kind: CheckKind, run: () => Promise<CheckResult[]>): Promise<CheckResult[]> => {
    try {
      return await run();
    } catch (err) {
      return [{ kind, name: "(all)", ok: false, detail: `check could not run: ${(err as Error).message}` }];
    }
  };
  const endpoints = options.endpoints ?? publicEndpoints(env);
  const httpOptions = {
    timeoutMs: options.httpTimeoutMs ?? 10_000,
    attempts: options.httpAttempts ?? 3,
    retryDelayMs: options.httpRetryDelayMs ?? 5_000,
  };
  const [http, services, targetGroups, tasks] = await Promise.all([
    guarded("http", () => Promise.all(endpoints.map((e) => checkEndpoint(e, deps, httpOptions)))),
    guarded("service", () => checkServices(deps, env, stuckAfterMs)),
    guarded("target-group", () => checkTargetGroups(deps, env)),
    guarded("task-health", () => checkTaskHealth(deps, env)),
  ]);
  return [...http, ...services, ...targetGroups, ...tasks];
}

/** The readable report: one line per check, then a summary line. */
export function formatReport(env: EnvironmentDefinition, results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((r) => `${r.kind} ${r.name}`.length), 10);
  const lines = results.map((r) => `${r.ok ? "PASS" : "FAIL"}  ${`${r.kind} ${r.name}`.padEnd(width)}  ${r.detail}`);
  const failed = results.filter((r) => !r.ok).length;
  const summary =
    failed === 0
      ? `Smoke test of ${env.name}: all ${results.length} checks passed.`
      : `Smoke test of ${env.name}: ${failed} of ${results.length} checks FAILED.`;
  return [`Smoke test of ${env.name} (cluster ${clusterName(env.name)}, account ${env.accountId}, ${env.region})`, ...lines, summary].join("\n");
}

export const SMOKE_USAGE = `Usage: npm run smoke -- --env <environment> [options]

Checks a deployed environment (CD-3): every public hostname answers over HTTPS, every ECS service
runs its desired count on the intended task definition, every target group that takes traffic is
healthy (a canary pair's idle group, at weight 0, may be empty).
Prints one line per check; exits 0 when all pass, 1 when any fails, 2 on a usage error.

Options:
  --env <name>            staging or production (required)
  --wait <duration>       first wait up to this long for the services to settle (default 0s)
  --timeout <duration>    per HTTPS request (default 10s)
  --attempts <n>          HTTPS attempts per hostname (default 3)
  --stuck-after <duration>  a deployment older than this that has not settled fails (default 15m)
  -h, --help              this text

Example:
  npm run smoke -- --env staging --wait 10m
`;

/** The `smoke` command: parses `argv`, runs the checks with `deps(env)`, prints the report; returns the exit code. */
export function smokeCommand(
  argv: readonly string[],
  deps: (env: EnvironmentDefinition) => SmokeDependencies,
): Promise<number> {
  let log: Log = (line) => console.error(line);
  return exitCodeOf(
    "smoke",
    async () => {
      const { values } = parseArgs({
        args: [...argv],
        options: {
          env: { type: "string" },
          wait: { type: "string" },
          timeout: { type: "string" },
          attempts: { type: "string" },
          "stuck-after": { type: "string" },
        },
        strict: true,
      });
      const environment = environmentByName(values.env);
      const attempts = Number(values.attempts ?? "3");
      if (!Number.isInteger(attempts) || attempts < 1) throw new UsageError("--attempts must be a positive integer");
      const options: SmokeOptions = {
        environment,
        httpTimeoutMs: parseDuration(values.timeout, 10_000, "--timeout"),
        httpAttempts: attempts,
        waitForStableMs: parseDuration(values.wait, 0, "--wait"),
        stuckAfterMs: parseDuration(values["stuck-after"], 15 * 60_000, "--stuck-after"),
      };
      const dependencies = deps(environment);
      log = dependencies.log;
      const results = await runSmokeChecks(dependencies, options);
      dependencies.log(formatReport(environment, results));
      return results.every((r) => r.ok) ? 0 : 1;
    },
    (line) => log(line),
    { argv, usage: SMOKE_USAGE, out: (text) => console.log(text) },
  );
}
