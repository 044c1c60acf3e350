/**
 * CD-3: the smoke test of a deployed environment, against ECS/ELB client mocks and a local HTTPS
 * server with a certificate made here by the openssl CLI (trusted only through the test's CA).
 * openssl is a declared test tool (__tests__/support/tools.ts): missing, every test here fails
 * under CI and is skipped locally, with a message naming it and where it comes from.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  type TargetHealthDescription,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { PRODUCTION, STAGING } from "../src/config/environments";
import { resourceName, serviceResourceName } from "../src/config/naming";
import { SERVICE_CATALOG } from "../src/config/service-catalog";
import {
  createHttpsGet,
  formatReport,
  publicEndpoints,
  runSmokeChecks,
  smokeCommand,
  type CheckResult,
  type Endpoint,
  type SmokeDependencies,
} from "../scripts/lib/smoke";
import { OPENSSL, requireTool, toolAvailable } from "./support/tools";
import { FakeEcs, fakeClock, rollingOut, settledService, T0, taskDefinitionArn } from "./support/fake-ecs";
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand } from "@aws-sdk/client-ecs";

const env = STAGING;
let dir: string;
let ca: Buffer;
let server: Server;
let base: string;
/** Requests the local server received on /hang (it never answers them). */
let hanging = 0;
/** The User-Agent of the last request the local server received. */
let userAgent: string | undefined;
const opensslPresent = toolAvailable(OPENSSL);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "smoke-test-"));
  if (!opensslPresent) return; // each test then fails (CI) or skips (locally) naming openssl
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "1",
    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
  ], { stdio: "pipe" });
  ca = readFileSync(join(dir, "cert.pem"));
  server = createServer({ key: readFileSync(join(dir, "key.pem")), cert: ca }, (req, res) => {
    userAgent = req.headers["user-agent"];
    if (req.url === "/health" || req.url === "/healthz") res.writeHead(200).end("ok");
    else if (req.url === "/unhealthy") res.writeHead(503).end("down");
    else if (req.url === "/moved") res.writeHead(301, { location: "/elsewhere" }).end();
    else if (req.url === "/choices") res.writeHead(300).end();
    else if (req.url === "/last-2xx") res.writeHead(299).end();
    else if (req.url === "/hang") hanging++; // never answers
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  if (server) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  rmSync(dir, { recursive: true, force: true });
});

/** The local server plays the three public hostnames. */
const endpoints = (paths: Partial<Record<"api" | "frontend" | "admin", string>> = {}): Endpoint[] => [
  { service: "api", url: `${base}${paths.api ?? "/health"}` },
  { service: "frontend", url: `${base}${paths.frontend ?? "/healthz"}` },
  { service: "admin", url: `${base}${paths.admin ?? "/healthz"}` },
];

const TARGET_GROUPS = ["tracker-staging-api", "tracker-staging-frontend", "tracker-staging-admin"];
/** DLV-1: each public service's canary twin, idle (weight 0) between deployments. */
const ALTERNATE_GROUPS = ["tracker-staging-api-alt", "tracker-staging-frontend-alt", "tracker-staging-admin-alt"];
const healthyTarget = (id: string): TargetHealthDescription => ({
  Target: { Id: id, Port: 8000 },
  TargetHealth: { State: "healthy" },
});

let ecs: FakeEcs;
let elb: ElasticLoadBalancingV2Client;
let elbMock: AwsClientStub<ElasticLoadBalancingV2Client>;
let targets: Map<string, TargetHealthDescription[]>;
/** DLV-1: the weights of each service's production rule, as ECS left them: [primary, alternate]. */
let weights: Map<string, [number, number]>;
let lines: string[];

function deps(overrides: Partial<SmokeDependencies> = {}): SmokeDependencies {
  return { ecs: ecs.client, elb, http: createHttpsGet({ ca }), clock: fakeClock(), log: (l) => lines.push(l), ...overrides };
}

const run = (overrides: Partial<Parameters<typeof runSmokeChecks>[1]> = {}, d = deps()) =>
  runSmokeChecks(d, { environment: env, endpoints: endpoints(), httpTimeoutMs: 2000, httpAttempts: 1, ...overrides });

const failures = (results: readonly CheckResult[]) => results.filter((r) => !r.ok);

beforeEach((ctx) => {
  requireTool(ctx, OPENSSL);
  lines = [];
  ecs = FakeEcs.healthy(env);
  elb = new ElasticLoadBalancingV2Client({ region: env.region, credentials: { accessKeyId: "t", secretAccessKey: "t" } });
  elbMock = mockClient(elb);
  targets = new Map<string, TargetHealthDescription[]>([
    ...TARGET_GROUPS.map((name): [string, TargetHealthDescription[]] => [`arn:tg/${name}`, [healthyTarget(`10.42.16.${name.length}`)]]),
    ...ALTERNATE_GROUPS.map((name): [string, TargetHealthDescription[]] => [`arn:tg/${name}`, []]),
  ]);
  weights = new Map(TARGET_GROUPS.map((name) => [name, [100, 0]]));
  elbMock.on(DescribeListenersCommand).callsFake(() => ({
    Listeners: [
      { ListenerArn: "arn:listener/http", DefaultActions: [{ Type: "redirect" }] },
      { ListenerArn: "arn:listener/https", DefaultActions: [{ Type: "fixed-response" }] },
    ],
  }));
  elbMock.on(DescribeRulesCommand).callsFake((input: { ListenerArn?: string }) => ({
    Rules:
      input.ListenerArn === "arn:listener/https"
        ? TARGET_GROUPS.map((name) => ({
            RuleArn: `arn:rule/${name}`,
            Actions: [
              {
                Type: "forward",
                ForwardConfig: {
                  TargetGroups: [
                    { TargetGroupArn: `arn:tg/${name}`, Weight: weights.get(name)![0] },
                    { TargetGroupArn: `arn:tg/${name}-alt`, Weight: weights.get(name)![1] },
                  ],
                },
              },
            ],
          }))
        : [],
  }));
  elbMock.on(DescribeLoadBalancersCommand).callsFake((input: { Names?: string[] }) => {
    if (input.Names?.[0] !== resourceName(env.name, "alb")) {
      const err = new Error(`One or more load balancers not found`);
      err.name = "LoadBalancerNotFoundException";
      throw err;
    }
    return { LoadBalancers: [{ LoadBalancerArn: "arn:alb/tracker-staging-alb", LoadBalancerName: input.Names[0] }] };
  });
  elbMock.on(DescribeTargetGroupsCommand).callsFake(() => ({
    TargetGroups: [...targets.keys()].map((arn) => ({ TargetGroupArn: arn, TargetGroupName: arn.split("/").pop() })),
  }));
  elbMock.on(DescribeTargetHealthCommand).callsFake((input: { TargetGroupArn?: string }) => ({
    TargetHealthDescriptions: targets.get(input.TargetGroupArn ?? "") ?? [],
  }));
});

describe("smoke test", () => {
  it("CD-3: probes each public hostname on its catalog health path over HTTPS", () => {
    expect(publicEndpoints(STAGING)).toEqual([
      { service: "api", url: "https://api.tracker.staging.glimpse.technology/health" },
      { service: "frontend", url: "https://tracker.staging.glimpse.technology/healthz" },
      { service: "admin", url: "https://admin.tracker.staging.glimpse.technology/healthz" },
    ]);
    expect(publicEndpoints(PRODUCTION).map((e) => e.url)).toContain("https://api.tracker.glimpse.technology/health");
    // A public service without a health path is probed at its root; workers have no hostname to probe.
    const api = SERVICE_CATALOG.find((c) => c.name === "api")!;
    const worker = SERVICE_CATALOG.find((c) => c.kind !== "public-web")!;
    expect(publicEndpoints(STAGING, [{ ...api, healthPath: undefined }, worker])).toEqual([{ service: "api", url: "https://api.tracker.staging.glimpse.technology/" }]);
  });

  it("CD-3: a healthy environment passes every check, one line per check", async () => {
    const results = await run();
    expect(failures(results)).toEqual([]);
    const publicWeb = SERVICE_CATALOG.filter((s) => s.kind === "public-web").length;
    const others = SERVICE_CATALOG.length - publicWeb;
    expect(results.filter((r) => r.kind === "http")).toHaveLength(publicWeb);
    expect(results.filter((r) => r.kind === "service")).toHaveLength(SERVICE_CATALOG.length);
    // DLV-1: both groups of each public service are reported; the idle twin passes empty.
    expect(results.filter((r) => r.kind === "target-group")).toHaveLength(TARGET_GROUPS.length + ALTERNATE_GROUPS.length);
    expect(results.find((r) => r.name === "tracker-staging-api-alt")).toEqual({
      kind: "target-group",
      name: "tracker-staging-api-alt",
      ok: true,
      detail: "standby (weight 0, takes the next canary): no targets",
    });
    expect(results.filter((r) => r.kind === "task-health")).toHaveLength(others);
    const report = formatReport(env, results).split("\n");
    expect(report).toHaveLength(results.length + 2);
    expect(report.slice(1, -1).every((l) => l.startsWith("PASS  "))).toBe(true);
    expect(report.at(-1)).toBe(`Smoke test of staging: all ${results.length} checks passed.`);
    expect(report.find((l) => l.includes("service api"))).toMatch(/1\/1 running on tracker-staging-api:5/);
  });

  it("CD-3: a non-2xx answer fails the hostname check with the status", async () => {
    const results = await run({ endpoints: endpoints({ api: "/unhealthy", admin: "/moved" }) });
    expect(failures(results).map((r) => `${r.kind} ${r.name}`)).toEqual(["http api", "http admin"]);
    expect(failures(results)[0]!.detail).toMatch(/-> 503, expected 2xx/);
    expect(failures(results)[1]!.detail).toMatch(/-> 301/);
  });

  it("CD-3: a hostname that does not answer in time fails, and the wait is bounded (fake clock)", async () => {
    // The getter's own timer is faked; the socket is real. The check must end exactly when
    // the per-attempt timeout elapses, not before and not "eventually".
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      hanging = 0;
      let settled = false;
      const pending = run({ endpoints: endpoints({ frontend: "/hang" }), httpTimeoutMs: 7_000 }).then((r) => {
        settled = true;
        return r;
      });
      // Real I/O until the server holds the request (vi.waitFor would advance the fake clock).
      while (hanging === 0) await new Promise((resolve) => setImmediate(resolve));
      await vi.advanceTimersByTimeAsync(6_999);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      const results = await pending;
      const [failed, ...rest] = failures(results);
      expect(rest).toEqual([]);
      expect(failed).toMatchObject({ kind: "http", name: "frontend" });
      expect(failed!.detail).toBe(`GET ${base}/hang failed: timed out after 7s`);
    } finally {
      vi.useRealTimers();
    }
  });

  it("CD-3: retries a failing hostname before failing, pausing between attempts", async () => {
    const clock = fakeClock();
    const results = await run(
      { endpoints: endpoints({ api: "/unhealthy" }), httpAttempts: 3, httpRetryDelayMs: 7000 },
      deps({ clock }),
    );
    expect(failures(results)[0]!.detail).toMatch(/after 3 attempts/);
    expect(clock.slept).toEqual([7000, 7000]);
  });

  it("CD-3: certificates are verified (an untrusted certificate fails)", async () => {
    const results = await run({}, deps({ http: createHttpsGet() }));
    expect(failures(results).filter((r) => r.kind === "http")).toHaveLength(3);
    expect(failures(results)[0]!.detail).toMatch(/certificate/i);
  });

  it("CD-3: fails a service whose running count differs from its desired count", async () => {
    ecs.set("api", { ...settledService(env, "api", 5, 2), runningCount: 1 });
    const [failed, ...rest] = failures(await run());
    expect(rest).toEqual([]);
    expect(failed).toMatchObject({ kind: "service", name: "api" });
    expect(failed!.detail).toMatch(/1\/2 tasks running/);
  });

  it("CD-3: fails a service with a FAILED deployment (circuit breaker)", async () => {
    const service = settledService(env, "tracker-fetcher", 5);
    service.deployments!.push({
      status: "ACTIVE",
      taskDefinition: taskDefinitionArn(env, "tracker-fetcher", 6),
      rolloutState: "FAILED",
      rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.",
    });
    ecs.set("tracker-fetcher", service);
    const failed = failures(await run()).find((r) => r.kind === "service");
    expect(failed?.name).toBe("tracker-fetcher");
    expect(failed?.detail).toMatch(/tracker-staging-tracker-fetcher:6 FAILED: ECS deployment circuit breaker/);
  });

  it("CD-3: reports a rollout that has been in progress too long as stuck", async () => {
    ecs.set("frontend", rollingOut(env, "frontend", 5, 6, T0 - 40 * 60_000));
    ecs.revisions.set(serviceResourceName(env.name, "frontend"), [6, 5, 4]);
    const failed = failures(await run({ stuckAfterMs: 15 * 60_000 })).find((r) => r.kind === "service");
    expect(failed?.name).toBe("frontend");
    expect(failed?.detail).toMatch(/stuck: rollout to tracker-staging-frontend:6 in progress for 40m00s/);
  });

  it("CD-3: fails a service that runs an older revision than the latest one (rolled back)", async () => {
    ecs.revisions.set(serviceResourceName(env.name, "admin"), [6, 5, 4]);
    const failed = failures(await run()).find((r) => r.kind === "service");
    expect(failed?.name).toBe("admin");
    expect(failed?.detail).toMatch(/runs revision 5 but the latest registered revision is 6/);
  });

  it("CD-3: fails a service that does not exist", async () => {
    ecs.services.delete(serviceResourceName(env.name, "notification-service"));
    const failed = failures(await run()).filter((r) => r.kind === "service");
    expect(failed.map((r) => r.name)).toEqual(["notification-service"]);
    expect(failed[0]!.detail).toMatch(/not found in cluster tracker-staging-cluster/);
  });

  it("CD-3: fails a target group with an unhealthy target, and one with no targets", async () => {
    targets.set("arn:tg/tracker-staging-api", [
      healthyTarget("10.42.16.10"),
      { Target: { Id: "10.42.32.11", Port: 8000 }, TargetHealth: { State: "unhealthy", Reason: "Target.ResponseCodeMismatch" } },
    ]);
    targets.set("arn:tg/tracker-staging-admin", []);
    const failed = failures(await run());
    expect(failed.map((r) => `${r.kind} ${r.name}`)).toEqual(["target-group tracker-staging-api", "target-group tracker-staging-admin"]);
    expect(failed[0]!.detail).toMatch(/1\/2 targets not healthy: 10.42.32.11:8000 unhealthy \(Target.ResponseCodeMismatch\)/);
    expect(failed[1]!.detail).toBe("no registered targets");
  });

  // Every ELB target state but "healthy" means the target does not (yet, or any more) serve traffic:
  // initial (registering / first checks), draining (deregistering), unused (not in an enabled AZ or
  // no listener), unavailable (health checks disabled), unhealthy.
  it.each(["initial", "draining", "unused", "unavailable", "unhealthy"] as const)(
    "CD-3: fails a target group whose only target is %s, naming the state",
    async (state) => {
      targets.set("arn:tg/tracker-staging-frontend", [
        { Target: { Id: "10.42.16.20", Port: 3000 }, TargetHealth: { State: state, Reason: "Target.Timeout" } },
      ]);
      const failed = failures(await run());
      expect(failed.map((r) => `${r.kind} ${r.name}`)).toEqual(["target-group tracker-staging-frontend"]);
      expect(failed[0]!.detail).toBe(`1/1 targets not healthy: 10.42.16.20:3000 ${state} (Target.Timeout)`);
    },
  );

  it("CD-3: one target still initial beside a healthy one fails the group (a rollout not yet done)", async () => {
    targets.set("arn:tg/tracker-staging-api", [
      healthyTarget("10.42.16.10"),
      { Target: { Id: "10.42.32.12", Port: 8000 }, TargetHealth: { State: "initial" } },
    ]);
    const failed = failures(await run());
    expect(failed.map((r) => r.name)).toEqual(["tracker-staging-api"]);
    expect(failed[0]!.detail).toBe("1/2 targets not healthy: 10.42.32.12:8000 initial");
  });

  it("DLV-1: after a canary ECS serves from the alternate group: the emptied primary is the standby, the live alternate must be healthy", async () => {
    weights.set("tracker-staging-api", [0, 100]);
    targets.set("arn:tg/tracker-staging-api", []);
    targets.set("arn:tg/tracker-staging-api-alt", [healthyTarget("10.42.32.20")]);
    let results = await run();
    expect(failures(results)).toEqual([]);
    expect(results.find((r) => r.name === "tracker-staging-api")!.detail).toBe("standby (weight 0, takes the next canary): no targets");
    expect(results.find((r) => r.name === "tracker-staging-api-alt")!.detail).toBe("1/1 targets healthy");
    // The live group with nothing in it is the outage the smoke test exists for.
    targets.set("arn:tg/tracker-staging-api-alt", []);
    results = await run();
    expect(failures(results).map((r) => `${r.kind} ${r.name}: ${r.detail}`)).toEqual(["target-group tracker-staging-api-alt: no registered targets"]);
  });

  it("DLV-1: mid-canary both groups take traffic and both must be healthy; a standby still draining the old revision passes", async () => {
    weights.set("tracker-staging-frontend", [90, 10]);
    targets.set("arn:tg/tracker-staging-frontend-alt", [
      { Target: { Id: "10.42.32.21", Port: 3000 }, TargetHealth: { State: "unhealthy", Reason: "Target.Timeout" } },
    ]);
    expect(failures(await run()).map((r) => `${r.kind} ${r.name}: ${r.detail}`)).toEqual([
      "target-group tracker-staging-frontend-alt: 1/1 targets not healthy: 10.42.32.21:3000 unhealthy (Target.Timeout)",
    ]);
    weights.set("tracker-staging-frontend", [100, 0]);
    targets.set("arn:tg/tracker-staging-frontend-alt", [
      { Target: { Id: "10.42.32.21", Port: 3000 }, TargetHealth: { State: "draining", Reason: "Target.DeregistrationInProgress" } },
    ]);
    expect(failures(await run())).toEqual([]);
    // An unhealthy target in the idle group is still reported.
    targets.set("arn:tg/tracker-staging-frontend-alt", [
      { Target: { Id: "10.42.32.21", Port: 3000 }, TargetHealth: { State: "unhealthy", Reason: "Target.Timeout" } },
    ]);
    expect(failures(await run()).map((r) => r.detail)).toEqual([
      "standby (weight 0) with 1 unhealthy target(s): 10.42.32.21:3000 unhealthy (Target.Timeout)",
    ]);
  });

  it("CD-3: fails when the environment's load balancer cannot be found", async () => {
    elbMock.on(DescribeLoadBalancersCommand).rejects(Object.assign(new Error("not found"), { name: "LoadBalancerNotFoundException" }));
    const failed = failures(await run());
    expect(failed).toEqual([
      expect.objectContaining({ kind: "target-group", name: "tracker-staging-alb", detail: expect.stringMatching(/not found/) }),
    ]);
  });

  it("CD-3: fails a worker whose latest task is not HEALTHY, even when an older one is", async () => {
    const resource = serviceResourceName(env.name, "unified-geofence");
    ecs.tasks.set(resource, [
      { taskArn: "arn:task/old", lastStatus: "RUNNING", healthStatus: "HEALTHY", startedAt: new Date(T0 - 60 * 60_000) },
      { taskArn: "arn:task/new", lastStatus: "RUNNING", healthStatus: "UNHEALTHY", startedAt: new Date(T0 - 60_000) },
    ]);
    ecs.tasks.set(serviceResourceName(env.name, "anisette"), []);
    const failed = failures(await run());
    expect(failed.map((r) => `${r.kind} ${r.name}`)).toEqual(["task-health unified-geofence", "task-health anisette"]);
    expect(failed[0]!.detail).toMatch(/latest task new .* health UNHEALTHY/);
    expect(failed[1]!.detail).toBe("no running task");
  });

  it("CD-3: an AWS error (e.g. no credentials) is reported as such, not as a missing load balancer", async () => {
    elbMock.on(DescribeLoadBalancersCommand).rejects(Object.assign(new Error("Could not load credentials"), { name: "CredentialsProviderError" }));
    const [failed] = failures(await run());
    expect(failed).toMatchObject({ kind: "target-group", name: "(all)", detail: "check could not run: Could not load credentials" });
  });

  it("CD-3: an AWS error becomes a FAIL line instead of a crash", async () => {
    ecs.clusterMissing = true;
    const failed = failures(await run());
    expect(failed.some((r) => r.kind === "service" && /cluster tracker-staging-cluster not found/.test(r.detail))).toBe(true);
    expect(failed.some((r) => r.kind === "task-health" && /could not run/.test(r.detail))).toBe(true);
  });

  it("CD-3: --wait lets a rollout in progress settle first (bounded, fake clock)", async () => {
    ecs.set("api", rollingOut(env, "api", 5, 6, T0));
    ecs.revisions.set(serviceResourceName(env.name, "api"), [6, 5]);
    ecs.advance = (fake) => {
      if (fake.describeCalls === 3) fake.set("api", settledService(env, "api", 6));
    };
    const clock = fakeClock();
    const results = await run({ waitForStableMs: 10 * 60_000, pollMs: 20_000 }, deps({ clock }));
    expect(failures(results)).toEqual([]);
    expect(clock.slept).toEqual([20_000, 20_000]);
    expect(lines.some((l) => /api: 0\/1 running on tracker-staging-api:6, rollout IN_PROGRESS/.test(l))).toBe(true);
  });

  it("CD-3: the command exits 0 when healthy, 1 on any failure, 2 on a usage error", async () => {
    const make = () => deps();
    // The command probes the real hostnames; route them to the local server.
    const local = createHttpsGet({ ca });
    const toLocal = (url: string, t: number) => local(`${base}${new URL(url).pathname}`, t);
    expect(await smokeCommand(["--env", "staging", "--attempts", "1"], () => deps({ http: toLocal }))).toBe(0);
    expect(lines.at(-1)).toMatch(/all \d+ checks passed/);
    ecs.set("admin", { ...settledService(env, "admin", 5), runningCount: 0 });
    expect(await smokeCommand(["--env", "staging", "--attempts", "1"], () => deps({ http: toLocal }))).toBe(1);
    expect(lines.at(-1)).toMatch(/1 of \d+ checks FAILED/);
    expect(lines.at(-1)).toMatch(/^FAIL  service admin\s+0\/1 tasks running/m);
    expect(await smokeCommand(["--env", "qa"], make)).toBe(2);
    expect(await smokeCommand(["--env", "staging", "--bogus"], make)).toBe(2);
  });

  // What the operator reads, line by line: each failure says what is wrong in words.
  describe("CD-3: the messages of each check", () => {
    const only = async (kind: CheckResult["kind"]) => (await run()).filter((r) => r.kind === kind && !r.ok);

    it("CD-3: a passing hostname line gives the URL, the status and the time taken", async () => {
      const [api] = (await run()).filter((r) => r.kind === "http");
      expect(api).toEqual({ kind: "http", name: "api", ok: true, detail: `GET ${base}/health -> 200 (0 ms)` });
    });

    it("CD-3: a single failed attempt says so without an attempt count", async () => {
      const results = await run({ endpoints: endpoints({ api: "/unhealthy" }) });
      expect(failures(results)[0]!.detail).toBe(`GET ${base}/unhealthy -> 503, expected 2xx`);
    });

    it("CD-3: a public service without a hostname is named", () => {
      const broken = { ...env, dns: { ...env.dns, hostnames: { ...env.dns.hostnames, admin: "" } } };
      expect(() => publicEndpoints(broken)).toThrow("staging.dns.hostnames has no hostname for public service admin");
    });

    it("CD-3: a passing service line gives running/desired, the task definition and the rollout state", async () => {
      const api = (await run()).find((r) => r.kind === "service" && r.name === "api");
      expect(api).toEqual({ kind: "service", name: "api", ok: true, detail: "1/1 running on tracker-staging-api:5, COMPLETED" });
    });

    it("CD-3: a service that is not ACTIVE", async () => {
      ecs.set("api", { ...settledService(env, "api", 5), status: "DRAINING" });
      expect((await only("service")).map((r) => r.detail)).toEqual(["service status DRAINING"]);
    });

    it("CD-3: a service scaled to zero", async () => {
      const zero = settledService(env, "api", 5, 0);
      ecs.set("api", zero);
      expect((await only("service")).map((r) => r.detail)).toEqual(["desired count is 0"]);
    });

    it("CD-3: a service without a PRIMARY deployment", async () => {
      ecs.set("api", { ...settledService(env, "api", 5), deployments: [] });
      expect((await only("service")).map((r) => r.detail)).toEqual(["no PRIMARY deployment"]);
    });

    it("CD-3: tasks running, but not on the PRIMARY deployment", async () => {
      const service = settledService(env, "api", 5, 2);
      service.deployments![0]!.runningCount = 1;
      ecs.set("api", service);
      expect((await only("service")).map((r) => r.detail)).toEqual(["1/2 tasks on the PRIMARY deployment's tracker-staging-api:5"]);
    });

    it("CD-3: a rollout in progress for less than the stuck limit is reported, not called stuck", async () => {
      ecs.set("frontend", rollingOut(env, "frontend", 5, 6, T0 - 5 * 60_000));
      ecs.revisions.set(serviceResourceName(env.name, "frontend"), [6, 5]);
      expect((await only("service")).map((r) => r.detail)).toEqual([
        "0/1 tasks on the PRIMARY deployment's tracker-staging-frontend:6; rollout to tracker-staging-frontend:6 in progress for 5m00s (2 deployments)",
      ]);
    });

    it("CD-3: a FAILED deployment without a reason", async () => {
      const service = settledService(env, "admin", 5);
      service.deployments!.push({ status: "ACTIVE", taskDefinition: taskDefinitionArn(env, "admin", 6), rolloutState: "FAILED" });
      ecs.set("admin", service);
      const [failed, ...rest] = await only("service");
      expect(rest).toEqual([]);
      expect(failed!.detail).toMatch(/^deployment tracker-staging-admin:6 FAILED: no reason given(;|$)/);
    });

    it("CD-3: a load balancer answer without an ARN, and a load balancer without target groups", async () => {
      elbMock.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [] });
      expect(await only("target-group")).toEqual([
        { kind: "target-group", name: "tracker-staging-alb", ok: false, detail: "load balancer not found" },
      ]);
      elbMock.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [{ LoadBalancerArn: "arn:alb/x" }] });
      targets.clear();
      expect(await only("target-group")).toEqual([
        { kind: "target-group", name: "tracker-staging-alb", ok: false, detail: "the load balancer has no target groups" },
      ]);
    });

    it("CD-3: a passing target group line counts its healthy targets", async () => {
      const groups = (await run()).filter((r) => r.kind === "target-group");
      expect(groups).toContainEqual({ kind: "target-group", name: "tracker-staging-api", ok: true, detail: "1/1 targets healthy" });
    });

    it("CD-3: a HEALTHY task that is no longer RUNNING fails; a passing line names the task", async () => {
      const resource = serviceResourceName(env.name, "anisette");
      ecs.tasks.set(resource, [
        { taskArn: "arn:task/stopping", lastStatus: "DEACTIVATING", healthStatus: "HEALTHY", startedAt: new Date(T0 - 60_000), taskDefinitionArn: taskDefinitionArn(env, "anisette", 5) },
      ]);
      const results = (await run()).filter((r) => r.kind === "task-health");
      expect(results.find((r) => r.name === "anisette")).toEqual({
        kind: "task-health",
        name: "anisette",
        ok: false,
        detail: "latest task stopping (tracker-staging-anisette:5) is DEACTIVATING, health HEALTHY",
      });
      expect(results.find((r) => r.name === "tracker-fetcher")).toEqual({
        kind: "task-health",
        name: "tracker-fetcher",
        ok: true,
        detail: "latest task tracker-fetcher-new (tracker-staging-tracker-fetcher:5) is RUNNING, health HEALTHY",
      });
    });

    it("CD-3: a listed task that cannot be described", async () => {
      ecs.tasks.set(serviceResourceName(env.name, "anisette"), [{ taskArn: "arn:task/ghost" }]);
      ecs.mock.on(DescribeTasksCommand).resolves({ tasks: [] });
      expect((await only("task-health")).map((r) => `${r.name}: ${r.detail}`)).toContain("anisette: running task could not be described");
    });

    it("CD-3: the report has a header naming cluster, account and region, and aligned columns", () => {
      const report = formatReport(env, [
        { kind: "http", name: "api", ok: true, detail: "fine" },
        { kind: "target-group", name: "tracker-staging-admin", ok: false, detail: "no registered targets" },
      ]);
      expect(report.split("\n")).toEqual([
        `Smoke test of staging (cluster tracker-staging-cluster, account ${env.accountId}, ${env.region})`,
        "PASS  http api                            fine",
        "FAIL  target-group tracker-staging-admin  no registered targets",
        "Smoke test of staging: 1 of 2 checks FAILED.",
      ]);
    });

    it("CD-3: --attempts must be a positive integer; --timeout and --stuck-after take durations", async () => {
      expect(await smokeCommand(["--env", "staging", "--attempts", "0"], () => deps())).toBe(2);
      expect(await smokeCommand(["--env", "staging", "--attempts", "1.5"], () => deps())).toBe(2);
      expect(await smokeCommand(["--env", "staging", "--timeout", "soon"], () => deps())).toBe(2);
      expect(await smokeCommand(["--env", "staging", "--stuck-after", "1h"], () => deps())).toBe(2);
    });

    it("CD-3: when the services cannot be waited for, it says so and checks anyway", async () => {
      ecs.clusterMissing = true;
      const results = await run({ waitForStableMs: 60_000, pollMs: 15_000 });
      expect(lines[0]).toBe("Waiting up to 1m00s for the services of tracker-staging-cluster to settle...");
      expect(results.length).toBeGreaterThan(0);
    });

    it("CD-3: the probe introduces itself as tracker-smoke (so the access logs tell it from users)", async () => {
      userAgent = undefined;
      await createHttpsGet({ ca })(`${base}/health`, 2000);
      expect(userAgent).toBe("tracker-smoke");
    });

    it("CD-3: a rollout exactly at the stuck limit is not yet called stuck", async () => {
      ecs.set("frontend", rollingOut(env, "frontend", 5, 6, T0 - 20 * 60_000));
      ecs.revisions.set(serviceResourceName(env.name, "frontend"), [6, 5]);
      const [failed] = failures(await run({ stuckAfterMs: 20 * 60_000 })).filter((r) => r.kind === "service");
      expect(failed!.detail).toMatch(/; rollout to tracker-staging-frontend:6 in progress for 20m00s \(2 deployments\)$/);
      expect(failed!.detail).not.toMatch(/stuck/);
    });

    it("CD-3: only RUNNING tasks are looked at", async () => {
      await run();
      const inputs = ecs.mock.commandCalls(ListTasksCommand).map((c) => c.args[0].input);
      expect(inputs.length).toBeGreaterThan(0);
      for (const input of inputs) expect(input.desiredStatus).toBe("RUNNING");
    });

    it("CD-3: an AWS error while describing services becomes one FAIL line for the service check", async () => {
      ecs.mock.on(DescribeServicesCommand).rejects(Object.assign(new Error("User is not authorized to perform ecs:DescribeServices"), { name: "AccessDeniedException" }));
      const failed = failures(await run()).filter((r) => r.kind === "service");
      expect(failed).toEqual([
        { kind: "service", name: "(all)", ok: false, detail: "check could not run: User is not authorized to perform ecs:DescribeServices" },
      ]);
    });

    it("CD-3: the command defaults to 3 attempts 5 s apart, and names itself in usage errors", async () => {
      const local = createHttpsGet({ ca });
      const toUnhealthy = (url: string, t: number) => local(`${base}${new URL(url).pathname === "/health" ? "/unhealthy" : "/healthz"}`, t);
      const clock = fakeClock();
      expect(await smokeCommand(["--env", "staging"], () => deps({ http: toUnhealthy, clock }))).toBe(1);
      expect(lines.at(-1)).toMatch(
        /^FAIL  http api {2,}GET https:\/\/api\.tracker\.staging\.glimpse\.technology\/health -> 503, expected 2xx \(after 3 attempts\)$/m,
      );
      expect(clock.slept).toEqual([5000, 5000]);
      // Usage errors come before any AWS client exists: they go to stderr.
      const stderr = vi.spyOn(console, "error").mockImplementation(() => undefined);
      try {
        expect(await smokeCommand(["--env", "staging", "--attempts", "0"], () => deps())).toBe(2);
        expect(await smokeCommand(["--env", "staging", "--attempts", "two"], () => deps())).toBe(2);
        expect(await smokeCommand(["--env", "staging", "--timeout", "soon"], () => deps())).toBe(2);
        expect(await smokeCommand(["--env", "staging", "--wait", "later"], () => deps())).toBe(2);
        expect(await smokeCommand(["--env", "staging", "--stuck-after", "1h"], () => deps())).toBe(2);
        // Each usage error is named once, then points at --help (issue 11).
        const help = ["smoke: see 'smoke --help' for the options"];
        expect(stderr.mock.calls).toEqual([
          ["smoke: --attempts must be a positive integer"],
          help,
          ["smoke: --attempts must be a positive integer"],
          help,
          ['smoke: --timeout: expected a duration like 90s or 15m, got "soon"'],
          help,
          ['smoke: --wait: expected a duration like 90s or 15m, got "later"'],
          help,
          ['smoke: --stuck-after: expected a duration like 90s or 15m, got "1h"'],
          help,
        ]);
      } finally {
        stderr.mockRestore();
      }
    });
  });
});

describe("CD-3: answers with the optional fields absent (the SDK types allow it; each still gives a readable line)", () => {
  it("CD-3: a service without a status, a settled service without a rollout state, a rollout without a start time", async () => {
    ecs.set("api", { ...settledService(env, "api", 5), status: undefined });
    const frontend = settledService(env, "frontend", 5);
    ecs.set("frontend", { ...frontend, deployments: [{ ...frontend.deployments![0]!, rolloutState: undefined }] });
    const admin = rollingOut(env, "admin", 4, 5, T0);
    ecs.set("admin", { ...admin, deployments: admin.deployments!.map((d) => ({ ...d, createdAt: undefined })) });
    const services = (await run()).filter((r) => r.kind === "service");
    expect(services.find((r) => r.name === "api")).toMatchObject({ ok: false, detail: "service status unknown" });
    expect(services.find((r) => r.name === "frontend")).toMatchObject({ ok: true, detail: "1/1 running on tracker-staging-frontend:5, settled" });
    expect(services.find((r) => r.name === "admin")!.detail).toBe("0/1 tasks on the PRIMARY deployment's tracker-staging-admin:5; rollout to tracker-staging-admin:5 in progress (2 deployments)");
  });

  it("CD-3: plain forwards (no ForwardConfig) count as weight 1; listeners, rules and actions without lists count as none", async () => {
    elbMock.on(DescribeListenersCommand).resolves({
      Listeners: [
        { ListenerArn: "arn:listener/https", DefaultActions: [{ Type: "forward", TargetGroupArn: "arn:tg/tracker-staging-api" }, { Type: "forward" }] },
        { ListenerArn: "arn:listener/empty" },
      ],
    });
    elbMock.on(DescribeRulesCommand).callsFake((input: { ListenerArn?: string }) =>
      input.ListenerArn === "arn:listener/https" ? { Rules: [{ RuleArn: "arn:rule/x" }] } : {},
    );
    targets.set("arn:tg/tracker-staging-api", [{ Target: { Id: "10.42.16.9", Port: 8000 }, TargetHealth: { State: "unhealthy", Reason: "Target.FailedHealthChecks" } }]);
    targets.set("arn:tg/tracker-staging-frontend", [{ Target: { Id: "10.42.16.8", Port: 3000 }, TargetHealth: { State: "unhealthy" } }]);
    const groups = (await run()).filter((r) => r.kind === "target-group");
    // api takes traffic through the plain forward: its unhealthy target fails it; frontend gets no traffic: a broken standby.
    expect(groups.find((r) => r.name === "tracker-staging-api")).toMatchObject({ ok: false, detail: "1/1 targets not healthy: 10.42.16.9:8000 unhealthy (Target.FailedHealthChecks)" });
    expect(groups.find((r) => r.name === "tracker-staging-frontend")).toMatchObject({ ok: false, detail: "standby (weight 0) with 1 unhealthy target(s): 10.42.16.8:3000 unhealthy" });
    expect(groups.find((r) => r.name === "tracker-staging-admin")).toMatchObject({ ok: true });
  });

  it("CD-3: no listeners at all: every group is a standby", async () => {
    elbMock.on(DescribeListenersCommand).resolves({});
    const groups = (await run()).filter((r) => r.kind === "target-group");
    expect(groups.length).toBe(6);
    expect(groups.every((g) => g.ok && g.detail.startsWith("standby (weight 0, takes the next canary)"))).toBe(true);
  });

  it("CD-3: target groups, targets and health answers without their fields", async () => {
    elbMock.on(DescribeTargetGroupsCommand).resolves({ TargetGroups: [{ TargetGroupArn: "arn:tg/tracker-staging-api" }, {}] });
    elbMock.on(DescribeTargetHealthCommand).callsFake((input: { TargetGroupArn?: string }) =>
      input.TargetGroupArn === "arn:tg/tracker-staging-api" ? { TargetHealthDescriptions: [{}] } : {},
    );
    const groups = (await run()).filter((r) => r.kind === "target-group");
    expect(groups).toEqual([
      { kind: "target-group", name: "arn:tg/tracker-staging-api", ok: false, detail: "1/1 targets not healthy: ?:? ?" },
      { kind: "target-group", name: "?", ok: true, detail: "standby (weight 0, takes the next canary): no targets" },
    ]);
    elbMock.on(DescribeTargetGroupsCommand).resolves({});
    expect((await run()).filter((r) => r.kind === "target-group")).toEqual([
      { kind: "target-group", name: "tracker-staging-alb", ok: false, detail: "the load balancer has no target groups" },
    ]);
  });

  it("CD-3: a group taking traffic whose health answer lists nothing has no registered targets", async () => {
    elbMock.on(DescribeTargetHealthCommand).resolves({});
    const api = (await run()).find((r) => r.kind === "target-group" && r.name === "tracker-staging-api");
    expect(api).toEqual({ kind: "target-group", name: "tracker-staging-api", ok: false, detail: "no registered targets" });
  });

  it("CD-3: task answers without task ARNs, tasks, or a task's ID, status and health", async () => {
    ecs.mock.on(ListTasksCommand).callsFake((input: { serviceName?: string }) =>
      input.serviceName === "tracker-staging-tracker-fetcher" ? {} : { taskArns: ["arn:aws:ecs:eu-central-1:1:task/c/t1"] },
    );
    ecs.mock.on(DescribeTasksCommand).callsFake((input: { cluster?: string; tasks?: string[] }) =>
      input.tasks && input.cluster === "tracker-staging-cluster" ? { tasks: [{ taskDefinitionArn: taskDefinitionArn(env, "anisette", 5) }] } : {},
    );
    const tasks = (await run()).filter((r) => r.kind === "task-health");
    expect(tasks.find((r) => r.name === "tracker-fetcher")).toEqual({ kind: "task-health", name: "tracker-fetcher", ok: false, detail: "no running task" });
    expect(tasks.find((r) => r.name === "anisette")).toEqual({
      kind: "task-health",
      name: "anisette",
      ok: false,
      detail: "latest task ? (tracker-staging-anisette:5) is ?, health UNKNOWN",
    });
    ecs.mock.on(DescribeTasksCommand).resolves({});
    const described = (await run()).filter((r) => r.kind === "task-health");
    expect(described.find((r) => r.name === "anisette")!.detail).toBe("running task could not be described");
  });

  it("CD-3: when waiting for the services fails with an AWS error, it says so and checks anyway", async () => {
    ecs.mock.on(DescribeServicesCommand).rejects(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }));
    const results = await run({ waitForStableMs: 60_000, pollMs: 15_000 });
    expect(lines).toEqual(["Waiting up to 1m00s for the services of tracker-staging-cluster to settle...", "  could not wait for services: Rate exceeded"]);
    expect(results.find((r) => r.kind === "service")).toEqual({ kind: "service", name: "(all)", ok: false, detail: "check could not run: Rate exceeded" });
  });
});

describe("CD-3: the edges of each check", () => {
  it("CD-3: 299 is the last success; 300 is not one", async () => {
    const results = await run({ endpoints: [{ service: "api", url: `${base}/last-2xx` }, { service: "frontend", url: `${base}/choices` }] });
    expect(results.filter((r) => r.kind === "http").map((r) => [r.name, r.ok])).toEqual([
      ["api", true],
      ["frontend", false],
    ]);
  });

  it("CD-3: a first deployment still in progress is reported; a FAILED primary is reported as failed only", async () => {
    const first = settledService(env, "api", 5);
    ecs.set("api", { ...first, runningCount: 1, deployments: [{ ...first.deployments![0]!, rolloutState: "IN_PROGRESS", createdAt: new Date(T0) }] });
    const failed = settledService(env, "frontend", 5);
    ecs.set("frontend", { ...failed, deployments: [{ ...failed.deployments![0]!, rolloutState: "FAILED", rolloutStateReason: "tasks failed to start" }] });
    const services = (await run()).filter((r) => r.kind === "service");
    expect(services.find((r) => r.name === "api")!.detail).toBe("rollout to tracker-staging-api:5 in progress for 0s (1 deployments)");
    expect(services.find((r) => r.name === "frontend")!.detail).toBe("deployment tracker-staging-frontend:5 FAILED: tasks failed to start");
  });

  it("CD-3: a service without a task definition, or whose family lists no ACTIVE revision, is judged on what it has", async () => {
    ecs.set("api", { ...settledService(env, "api", 5), taskDefinition: undefined, deployments: undefined });
    ecs.revisions.set(serviceResourceName(env.name, "frontend"), []);
    const services = (await run()).filter((r) => r.kind === "service");
    expect(services.find((r) => r.name === "api")).toMatchObject({ ok: false, detail: "no PRIMARY deployment" });
    expect(services.find((r) => r.name === "frontend")).toMatchObject({ ok: true, detail: "1/1 running on tracker-staging-frontend:5, COMPLETED" });
  });

  it("CD-3: the load balancer is asked about its own listeners and groups; rules are read page by page", async () => {
    weights.set("tracker-staging-api", [0, 100]);
    elbMock.on(DescribeRulesCommand).callsFake((input: { ListenerArn?: string; Marker?: string }) => {
      if (input.ListenerArn !== "arn:listener/https") return {};
      if (input.Marker === undefined) return { Rules: [], NextMarker: "page-2" };
      return {
        Rules: [
          {
            Actions: [
              {
                Type: "forward",
                // A group without a weight gets 1 (ELB's default); an entry without an ARN is ignored.
                ForwardConfig: { TargetGroups: [{ TargetGroupArn: "arn:tg/tracker-staging-api" }, { Weight: 100 }] },
              },
            ],
          },
        ],
      };
    });
    targets.set("arn:tg/tracker-staging-api", []);
    const groups = (await run()).filter((r) => r.kind === "target-group");
    expect(groups.find((g) => g.name === "tracker-staging-api")).toMatchObject({ ok: false, detail: "no registered targets" });
    expect(elbMock.commandCalls(DescribeListenersCommand).map((c) => c.args[0].input)).toEqual([{ LoadBalancerArn: "arn:alb/tracker-staging-alb" }]);
    expect(elbMock.commandCalls(DescribeTargetGroupsCommand).map((c) => c.args[0].input)).toEqual([{ LoadBalancerArn: "arn:alb/tracker-staging-alb" }]);
    expect(elbMock.commandCalls(DescribeRulesCommand).map((c) => [c.args[0].input.ListenerArn, c.args[0].input.Marker])).toEqual([
      ["arn:listener/http", undefined],
      ["arn:listener/https", undefined],
      ["arn:listener/https", "page-2"],
    ]);
  });

  it("CD-3: a DescribeLoadBalancers answer without a list is a missing load balancer", async () => {
    elbMock.on(DescribeLoadBalancersCommand).resolves({});
    expect((await run()).filter((r) => r.kind === "target-group")).toEqual([
      { kind: "target-group", name: "tracker-staging-alb", ok: false, detail: "load balancer not found" },
    ]);
  });
});
