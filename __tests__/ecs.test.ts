/**
 * The ECS read helpers the smoke test, the rollback command and the image-tag reader share
 * (scripts/lib/ecs.ts), against what the ECS API really answers: ARNs and image references as ECS
 * writes them, DescribeServices' limit of 10 services a call and its `failures` list, ListTaskDefinitions'
 * prefix match and pages, and a deployment's rollout states. Expected values are written out.
 */
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  type Deployment,
  type Service,
} from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  describeEnvironmentServices,
  describeTaskDefinition,
  imageTagOf,
  intendedTaskDefinition,
  listActiveRevisions,
  mainContainerImage,
  parseTaskDefinitionArn,
  serviceStability,
  shortTaskDefinition,
  waitForStable,
} from "../scripts/lib/ecs";
import type { ServiceName } from "../src/config/types";
import { fakeClock } from "./support/fake-ecs";

const CLUSTER = "tracker-staging-cluster";
const td = (family: string, revision: number) => `arn:aws:ecs:eu-central-1:111111111111:task-definition/${family}:${revision}`;
const API_3 = td("tracker-staging-api", 3);
const API_4 = td("tracker-staging-api", 4);

const ecs = new ECSClient({ region: "eu-central-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
const mock = mockClient(ecs);
beforeEach(() => mock.reset());

describe("task definition ARNs and image references", () => {
  it("a full ARN or family:revision gives family and revision; anything else is an error naming it", () => {
    expect(parseTaskDefinitionArn(API_3)).toEqual({ arn: API_3, family: "tracker-staging-api", revision: 3 });
    expect(parseTaskDefinitionArn("tracker-staging-unified-geofence:120")).toEqual({
      arn: "tracker-staging-unified-geofence:120",
      family: "tracker-staging-unified-geofence",
      revision: 120,
    });
    const noRevision = "arn:aws:ecs:eu-central-1:111111111111:task-definition/tracker-staging-api";
    expect(() => parseTaskDefinitionArn(noRevision)).toThrow(`not a task definition ARN: "${noRevision}"`);
    expect(() => parseTaskDefinitionArn("tracker-staging-api:latest")).toThrow('not a task definition ARN: "tracker-staging-api:latest"');
  });

  it("the short form an operator reads, and (none) when a service has no task definition", () => {
    expect(shortTaskDefinition(API_4)).toBe("tracker-staging-api:4");
    expect(shortTaskDefinition(undefined)).toBe("(none)");
    expect(shortTaskDefinition("")).toBe("(none)");
  });

  it("an image's tag: after the repository, before a digest; a registry port is not a tag", () => {
    expect(imageTagOf("111111111111.dkr.ecr.eu-central-1.amazonaws.com/tracker-staging/api:sha-1a2b3c")).toBe("sha-1a2b3c");
    expect(imageTagOf("registry.example:5000/team/api:v1.2@sha256:0123abcd")).toBe("v1.2");
    expect(imageTagOf("registry.example:5000/team/api")).toBeUndefined();
    expect(imageTagOf("registry.example:5000/team/api@sha256:0123abcd")).toBeUndefined();
    expect(imageTagOf("valkey:8")).toBe("8");
    expect(imageTagOf("nginx:1.25")).toBe("1.25");
    expect(imageTagOf("nginx")).toBeUndefined();
  });

  it("the main container: the one named after the service, else the first essential one (ECS's default is essential), else the first", () => {
    const c = (name: string, essential?: boolean) => ({ name, image: `img/${name}:1`, ...(essential === undefined ? {} : { essential }) });
    expect(mainContainerImage({ containerDefinitions: [c("log-router", true), c("api", true)] }, "api")).toBe("img/api:1");
    expect(mainContainerImage({ containerDefinitions: [c("log-router", false), c("app")] }, "api")).toBe("img/app:1");
    expect(mainContainerImage({ containerDefinitions: [c("sidecar", false), c("other", false)] }, "api")).toBe("img/sidecar:1");
    expect(mainContainerImage({}, "api")).toBeUndefined();
  });
});

describe("DescribeServices for an environment's catalog services", () => {
  const service = (name: string, extra: Partial<Service> = {}): Service => ({ serviceName: name, status: "ACTIVE", ...extra });

  it("sorts the answer into found and missing, with a reason for each missing service", async () => {
    mock.on(DescribeServicesCommand).resolves({
      services: [
        service("tracker-staging-api"),
        service("tracker-staging-admin", { status: "INACTIVE" }),
        service("someone-elses-service"),
        service("tracker-staging-anisette", { status: "DRAINING" }),
      ],
      failures: [
        { arn: "arn:aws:ecs:eu-central-1:111111111111:service/tracker-staging-cluster/tracker-staging-frontend", reason: "MISSING" },
        { arn: "arn:aws:ecs:eu-central-1:111111111111:service/tracker-staging-cluster/tracker-staging-tracker-fetcher" },
        { arn: "arn:aws:ecs:eu-central-1:111111111111:service/tracker-staging-cluster/not-asked-for", reason: "MISSING" },
      ],
    });
    const names: ServiceName[] = ["api", "frontend", "admin", "tracker-fetcher", "notification-service", "anisette"];
    const { found, missing } = await describeEnvironmentServices(ecs, "staging", CLUSTER, names);
    expect([...found.keys()]).toEqual(["api", "anisette"]);
    expect(found.get("api")).toEqual(service("tracker-staging-api"));
    expect(Object.fromEntries(missing)).toEqual({
      admin: "service is INACTIVE (deleted)",
      frontend: "not found in cluster tracker-staging-cluster (MISSING)",
      "tracker-fetcher": "not found in cluster tracker-staging-cluster (unknown)",
      "notification-service": "not found in cluster tracker-staging-cluster",
    });
    expect(mock.commandCalls(DescribeServicesCommand)[0]!.args[0].input).toEqual({
      cluster: CLUSTER,
      services: names.map((n) => `tracker-staging-${n}`),
    });
  });

  it("asks for at most 10 services a call, the API's limit", async () => {
    mock.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => ({
      services: input.services.map((n) => service(n)),
    }));
    const names = Array.from({ length: 12 }, (_, i) => `svc-${i}` as ServiceName);
    const { found, missing } = await describeEnvironmentServices(ecs, "staging", CLUSTER, names);
    const calls = mock.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input.services);
    expect(calls).toEqual([names.slice(0, 10).map((n) => `tracker-staging-${n}`), names.slice(10).map((n) => `tracker-staging-${n}`)]);
    expect(found.size).toBe(12);
    expect(missing.size).toBe(0);
    mock.resetHistory();
    await describeEnvironmentServices(ecs, "staging", CLUSTER, names.slice(0, 10));
    expect(mock.commandCalls(DescribeServicesCommand)).toHaveLength(1);
  });

  it("a cluster that does not exist yet (first deploy) makes every service missing; other errors are not swallowed", async () => {
    mock.on(DescribeServicesCommand).rejects(Object.assign(new Error("Cluster not found."), { name: "ClusterNotFoundException" }));
    const { found, missing } = await describeEnvironmentServices(ecs, "staging", CLUSTER, ["api", "admin"]);
    expect(found.size).toBe(0);
    expect(Object.fromEntries(missing)).toEqual({ api: "cluster tracker-staging-cluster not found", admin: "cluster tracker-staging-cluster not found" });

    mock.reset();
    mock.on(DescribeServicesCommand).rejects(Object.assign(new Error("User is not authorized"), { name: "AccessDeniedException" }));
    await expect(describeEnvironmentServices(ecs, "staging", CLUSTER, ["api"])).rejects.toThrow("User is not authorized");
  });
});

describe("DescribeServices answers without their optional fields", () => {
  it("no services list, a service without a name, a failure without an ARN: each service is then missing, not found", async () => {
    mock.on(DescribeServicesCommand).resolves({ failures: [{ reason: "MISSING" }] });
    expect(Object.fromEntries((await describeEnvironmentServices(ecs, "staging", CLUSTER, ["api"])).missing)).toEqual({
      api: "not found in cluster tracker-staging-cluster",
    });
    mock.on(DescribeServicesCommand).resolves({ services: [{ status: "ACTIVE" }] });
    const { found, missing } = await describeEnvironmentServices(ecs, "staging", CLUSTER, ["api"]);
    expect(found.size).toBe(0);
    expect(Object.fromEntries(missing)).toEqual({ api: "not found in cluster tracker-staging-cluster" });
  });

  it("a ListTaskDefinitions page without ARNs is an empty page", async () => {
    mock.on(ListTaskDefinitionsCommand).resolves({});
    expect(await listActiveRevisions(ecs, "tracker-staging-api")).toEqual([]);
  });
});

describe("task definition revisions", () => {
  it("lists ACTIVE revisions of exactly one family, newest first, across pages", async () => {
    mock
      .on(ListTaskDefinitionsCommand, { nextToken: undefined })
      .resolves({ taskDefinitionArns: [td("tracker-staging-api", 7), td("tracker-staging-api-worker", 9)], nextToken: "page-2" })
      .on(ListTaskDefinitionsCommand, { nextToken: "page-2" })
      .resolves({ taskDefinitionArns: [td("tracker-staging-api", 5), td("tracker-staging-api", 12)] });
    const revisions = await listActiveRevisions(ecs, "tracker-staging-api");
    expect(revisions.map((r) => r.revision)).toEqual([12, 7, 5]);
    expect(revisions[0]).toEqual({ arn: td("tracker-staging-api", 12), family: "tracker-staging-api", revision: 12 });
    expect(mock.commandCalls(ListTaskDefinitionsCommand).map((c) => c.args[0].input)).toEqual([
      { familyPrefix: "tracker-staging-api", status: "ACTIVE", sort: "DESC", nextToken: undefined },
      { familyPrefix: "tracker-staging-api", status: "ACTIVE", sort: "DESC", nextToken: "page-2" },
    ]);
  });

  it("DescribeTaskDefinition returns the definition", async () => {
    mock.on(DescribeTaskDefinitionCommand, { taskDefinition: API_3 }).resolves({ taskDefinition: { family: "tracker-staging-api", revision: 3 } });
    expect(await describeTaskDefinition(ecs, API_3)).toEqual({ family: "tracker-staging-api", revision: 3 });
  });
});

describe("whether a service has settled", () => {
  const deployment = (extra: Partial<Deployment>): Deployment => ({ status: "PRIMARY", taskDefinition: API_4, runningCount: 2, rolloutState: "COMPLETED", ...extra });
  const svc = (deployments: Deployment[] | undefined, extra: Partial<Service> = {}): Service => ({
    serviceName: "tracker-staging-api",
    desiredCount: 2,
    runningCount: 2,
    taskDefinition: API_3,
    deployments,
    ...extra,
  });

  it("the PRIMARY deployment's task definition is the one intended, else the service's", () => {
    expect(intendedTaskDefinition(svc([deployment({ status: "ACTIVE", taskDefinition: API_3 }), deployment({})]))).toBe(API_4);
    expect(intendedTaskDefinition(svc([deployment({ status: "ACTIVE" })]))).toBe(API_3);
    expect(intendedTaskDefinition(svc(undefined))).toBe(API_3);
  });

  it("settled: one COMPLETED PRIMARY deployment, running equal to desired in the service and the deployment", () => {
    expect(serviceStability(svc([deployment({})]))).toEqual({ stable: true, failed: false, detail: "2/2 running on tracker-staging-api:4, rollout COMPLETED" });
    expect(serviceStability(svc([deployment({})]), API_4).stable).toBe(true);
    expect(serviceStability(svc([deployment({ rolloutState: undefined })]))).toEqual({
      stable: true,
      failed: false,
      detail: "2/2 running on tracker-staging-api:4, 1 deployment(s)",
    });
  });

  it("not settled while a rollout is in progress, two deployments run, or a count is short", () => {
    expect(serviceStability(svc([deployment({ rolloutState: "IN_PROGRESS" })]))).toEqual({
      stable: false,
      failed: false,
      detail: "2/2 running on tracker-staging-api:4, rollout IN_PROGRESS",
    });
    const twoDeployments = svc([deployment({ rolloutState: undefined }), deployment({ status: "ACTIVE", taskDefinition: API_3, rolloutState: undefined })]);
    expect(serviceStability(twoDeployments)).toEqual({ stable: false, failed: false, detail: "2/2 running on tracker-staging-api:4, 2 deployment(s)" });
    expect(serviceStability(svc([deployment({ runningCount: 1 })]))).toEqual({
      stable: false,
      failed: false,
      detail: "1/2 running on tracker-staging-api:4, rollout COMPLETED",
    });
    expect(serviceStability(svc([deployment({})], { runningCount: 3 })).stable).toBe(false);
    expect(serviceStability(svc([deployment({ runningCount: undefined })], { runningCount: undefined, desiredCount: undefined })).stable).toBe(true);
    expect(serviceStability(svc([deployment({ runningCount: undefined })])).detail).toBe("0/2 running on tracker-staging-api:4, rollout COMPLETED");
  });

  it("waiting for the expected revision while the PRIMARY deployment points elsewhere", () => {
    expect(serviceStability(svc([deployment({ taskDefinition: API_3 })]), API_4)).toEqual({
      stable: false,
      failed: false,
      detail: "2/2 running on tracker-staging-api:3, waiting for tracker-staging-api:4",
    });
  });

  it("a FAILED rollout (circuit breaker or alarm) has failed, whichever deployment it is", () => {
    const failed = svc([deployment({ status: "ACTIVE", taskDefinition: API_3 }), deployment({ rolloutState: "FAILED", rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start." })]);
    expect(serviceStability(failed)).toEqual({
      stable: false,
      failed: true,
      detail: "deployment tracker-staging-api:4 FAILED: ECS deployment circuit breaker: tasks failed to start.",
    });
    expect(serviceStability(svc([deployment({ rolloutState: "FAILED" })])).detail).toBe("deployment tracker-staging-api:4 FAILED: no reason given");
  });

  it("no PRIMARY deployment: the service's own running count, not settled", () => {
    expect(serviceStability(svc([deployment({ status: "ACTIVE" })], { runningCount: 1 }))).toEqual({
      stable: false,
      failed: false,
      detail: "1/2 running, no PRIMARY deployment",
    });
    expect(serviceStability(svc(undefined, { runningCount: undefined, desiredCount: undefined })).detail).toBe("0/0 running, no PRIMARY deployment");
  });
});

describe("waiting until services are stable", () => {
  const settled = (name: string, rolloutState: Deployment["rolloutState"] = "COMPLETED"): Service => ({
    serviceName: name,
    status: "ACTIVE",
    desiredCount: 1,
    runningCount: 1,
    deployments: [{ status: "PRIMARY", taskDefinition: td(name, 2), runningCount: 1, rolloutState }],
  });

  it("polls every pollMs, logs each unsettled service with the elapsed time, and asks only for what is still pending", async () => {
    let poll = 0;
    mock.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => {
      poll++;
      return { services: input.services.map((n) => settled(n, n.endsWith("admin") && poll === 1 ? "IN_PROGRESS" : "COMPLETED")) };
    });
    const clock = fakeClock();
    const log: string[] = [];
    const result = await waitForStable(ecs, "staging", CLUSTER, ["api", "admin"], { timeoutMs: 60_000, pollMs: 15_000, clock, log: (l) => log.push(l) });
    expect(result).toEqual({ stable: ["api", "admin"], failed: new Map(), timedOut: new Map() });
    expect(clock.slept).toEqual([15_000]);
    expect(log).toEqual([
      "  [0s] api: stable, 1/1 running on tracker-staging-api:2, rollout COMPLETED",
      "  [0s] admin: 1/1 running on tracker-staging-admin:2, rollout IN_PROGRESS",
      "  [15s] admin: stable, 1/1 running on tracker-staging-admin:2, rollout COMPLETED",
    ]);
    expect(mock.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input.services)).toEqual([
      ["tracker-staging-api", "tracker-staging-admin"],
      ["tracker-staging-admin"],
    ]);
  });

  it("never waits past the timeout: what is still pending is reported with its last state", async () => {
    mock.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => ({ services: input.services.map((n) => settled(n, n.endsWith("admin") ? "COMPLETED" : "IN_PROGRESS")) }));
    const clock = fakeClock();
    const result = await waitForStable(ecs, "staging", CLUSTER, ["api", "admin"], { timeoutMs: 60_000, pollMs: 20_000, clock, log: () => undefined });
    // Polls at 0, 20, 40 and 60 s; the next would be at 80 s, past the 60 s allowed, so it stops.
    expect(clock.slept).toEqual([20_000, 20_000, 20_000]);
    expect(result.stable).toEqual(["admin"]);
    expect(result.failed.size).toBe(0);
    expect(Object.fromEntries(result.timedOut)).toEqual({ api: "1/1 running on tracker-staging-api:2, rollout IN_PROGRESS" });
  });

  it("a failed rollout or a missing service stops the wait for that service at once, with the reason", async () => {
    mock.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => ({
      services: input.services.filter((n) => n.endsWith("api")).map((n) => ({ ...settled(n, "FAILED"), deployments: [{ ...settled(n).deployments![0]!, rolloutState: "FAILED" as const, rolloutStateReason: "alarm tracker-staging-api-5xx" }] })),
    }));
    const clock = fakeClock();
    const log: string[] = [];
    const result = await waitForStable(ecs, "staging", CLUSTER, ["api", "admin"], { timeoutMs: 60_000, pollMs: 20_000, clock, log: (l) => log.push(l) });
    expect(clock.slept).toEqual([]);
    expect(Object.fromEntries(result.failed)).toEqual({
      api: "deployment tracker-staging-api:2 FAILED: alarm tracker-staging-api-5xx",
      admin: "not found in cluster tracker-staging-cluster",
    });
    expect(log).toEqual(["  [0s] api: deployment tracker-staging-api:2 FAILED: alarm tracker-staging-api-5xx"]);
  });

  it("waits for the expected revision of each service before calling it stable", async () => {
    let poll = 0;
    mock.on(DescribeServicesCommand).callsFake(() => {
      poll++;
      const s = settled("tracker-staging-api");
      return { services: [{ ...s, deployments: [{ ...s.deployments![0]!, taskDefinition: td("tracker-staging-api", poll === 1 ? 2 : 3) }] }] };
    });
    const clock = fakeClock();
    const result = await waitForStable(ecs, "staging", CLUSTER, ["api"], {
      timeoutMs: 60_000,
      pollMs: 10_000,
      clock,
      log: () => undefined,
      expected: new Map([["api", td("tracker-staging-api", 3)]]),
    });
    expect(result.stable).toEqual(["api"]);
    expect(clock.slept).toEqual([10_000]);
  });
});
