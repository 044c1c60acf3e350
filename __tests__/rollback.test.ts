/**
 * CD-4: the on-demand rollback command, and the image-tag inputs of a deploy (ECS-11) that give
 * it its baseline, against an in-memory ECS behind aws-sdk-client-mock and a fake clock.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeTaskDefinitionCommand, ListServiceDeploymentsCommand } from "@aws-sdk/client-ecs";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { STAGING } from "../src/config/environments";
import { imageTagVariableName, serviceResourceName } from "../src/config/naming";
import { SERVICE_NAMES } from "../src/config/service-catalog";
import {
  formatTerraformVariables,
  mergeImageTags,
  parseTagOverrides,
  readImageSnapshot,
  type ImageSnapshot,
} from "../scripts/lib/image-tags";
import { describeStep, ROLLBACK_USAGE, rollbackCommand, runRollback, type RollbackOptions } from "../scripts/lib/rollback";
import { FakeEcs, fakeClock, rollingOut, settledService, T0, tagOfRevision, taskDefinitionArn } from "./support/fake-ecs";

const env = STAGING;
let ecs: FakeEcs;
let lines: string[];
let clock: ReturnType<typeof fakeClock>;

const deps = () => ({ ecs: ecs.client, clock, log: (l: string) => lines.push(l) });
const options = (o: Partial<RollbackOptions> = {}): RollbackOptions => ({
  environment: env,
  services: SERVICE_NAMES,
  dryRun: false,
  timeoutMs: 10 * 60_000,
  pollMs: 15_000,
  ...o,
});

/** After an UpdateService, the new deployment completes on the `settleAfter`-th poll. */
function rolloutsCompleteAfter(settleAfter: number): void {
  const started = new Map<string, number>();
  ecs.advance = (fake) => {
    for (const [name, service] of fake.services) {
      if ((service.deployments?.length ?? 0) < 2) continue;
      const polls = (started.get(name) ?? 0) + 1;
      started.set(name, polls);
      if (polls >= settleAfter) {
        const revision = Number(service.taskDefinition!.split(":").pop());
        const catalogName = name.replace("tracker-staging-", "") as (typeof SERVICE_NAMES)[number];
        fake.services.set(name, settledService(env, catalogName, revision));
      }
    }
  };
}

beforeEach(() => {
  ecs = FakeEcs.healthy(env, 5);
  lines = [];
  clock = fakeClock();
});

describe("rollback", () => {
  it("CD-4: --dry-run prints what it would do and changes nothing", async () => {
    const result = await runRollback(deps(), options({ dryRun: true, services: ["api", "frontend"] }));
    expect(result.ok).toBe(true);
    expect(ecs.updates).toEqual([]);
    expect(lines[0]).toMatch(/Rollback of staging \(cluster tracker-staging-cluster\).*\[dry run: nothing will change\]/);
    expect(lines).toContain(
      "  ROLLBACK api: tracker-staging-api:5 -> tracker-staging-api:4 (image sha5 -> sha4); back to the previous ACTIVE revision",
    );
    expect(lines.at(-1)).toMatch(/Dry run: would roll back 2 service\(s\).*Nothing was changed/);
  });

  it("CD-4: moves every service to its previous ACTIVE revision and waits until stable", async () => {
    rolloutsCompleteAfter(2);
    const result = await runRollback(deps(), options());
    expect(result.ok).toBe(true);
    expect(ecs.updates.map((u) => [u.service, u.taskDefinition])).toEqual(
      SERVICE_NAMES.map((s) => [serviceResourceName(env.name, s), taskDefinitionArn(env, s, 4)]),
    );
    expect(ecs.updates.every((u) => u.cluster === "tracker-staging-cluster")).toBe(true);
    for (const s of SERVICE_NAMES) expect(ecs.get(s).taskDefinition).toBe(taskDefinitionArn(env, s, 4));
    expect(clock.slept).toEqual([15_000]);
    expect(lines.some((l) => /\[0s\] api: 0\/1 running on tracker-staging-api:4, rollout IN_PROGRESS/.test(l))).toBe(true);
    expect(lines.some((l) => /\[15s\] api: stable/.test(l))).toBe(true);
    expect(lines).toContain(`Rollback complete: ${SERVICE_NAMES.length} service(s) stable on their previous revision.`);
  });

  it("CD-4: --service limits the rollback to the named services", async () => {
    rolloutsCompleteAfter(1);
    const code = await rollbackCommand(["--env", "staging", "--service", "api", "--service", "tracker-fetcher"], deps);
    expect(code).toBe(0);
    expect(ecs.updates.map((u) => u.service)).toEqual(["tracker-staging-api", "tracker-staging-tracker-fetcher"]);
  });

  it("CD-4: skips the previous ACTIVE revision that is older than the running one, and newer ones", async () => {
    // Revisions 3 and 5 ACTIVE, 4 deregistered: 5 -> 3.
    ecs.revisions.set(serviceResourceName(env.name, "api"), [5, 3, 2]);
    await runRollback(deps(), options({ dryRun: true, services: ["api"] }));
    expect(lines.some((l) => l.includes("tracker-staging-api:5 -> tracker-staging-api:3"))).toBe(true);
  });

  it("CD-4: a service already behind the latest revision is left alone (running the command twice is safe)", async () => {
    ecs.set("admin", settledService(env, "admin", 4));
    rolloutsCompleteAfter(1);
    const result = await runRollback(deps(), options({ services: ["admin", "api"] }));
    expect(result.ok).toBe(true);
    expect(ecs.updates.map((u) => u.service)).toEqual(["tracker-staging-api"]);
    expect(lines.some((l) => /SKIP {5}admin: already on tracker-staging-admin:4, older than the latest tracker-staging-admin:5/.test(l))).toBe(true);
  });

  it("CD-4: during a rollout, goes back to the revision being replaced", async () => {
    ecs.set("tracker-fetcher", rollingOut(env, "tracker-fetcher", 5, 6, T0));
    ecs.revisions.set(serviceResourceName(env.name, "tracker-fetcher"), [6, 5, 4]);
    await runRollback(deps(), options({ dryRun: true, services: ["tracker-fetcher"] }));
    expect(lines.some((l) => /ROLLBACK tracker-fetcher: tracker-staging-tracker-fetcher:6 -> tracker-staging-tracker-fetcher:5 .*a rollout is in progress/.test(l))).toBe(true);
  });

  it("DLV-1: a public service's canary in progress is stopped with ECS's rollback (traffic back at once), not redeployed as a new canary", async () => {
    const deployment = "arn:aws:ecs:eu-central-1:802732539686:service-deployment/tracker-staging-cluster/tracker-staging-api/abc123";
    ecs.set("api", rollingOut(env, "api", 5, 6, T0));
    ecs.revisions.set(serviceResourceName(env.name, "api"), [6, 5, 4]);
    ecs.deploymentsInProgress.set("tracker-staging-api", deployment);
    const result = await runRollback(deps(), options({ services: ["api"] }));
    expect(result.ok).toBe(true);
    expect(ecs.stops).toEqual([{ serviceDeploymentArn: deployment, stopType: "ROLLBACK" }]);
    expect(ecs.updates).toEqual([]);
    expect(lines.some((l) => /STOP {5}api: tracker-staging-api:6 -> tracker-staging-api:5 .*the canary is still in progress/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes("Rollback complete: 1 service(s) stable"))).toBe(true);
  });

  it("DLV-1: the deploy workflow's baseline rollback also stops a canary in progress towards the bad revision", async () => {
    const deployment = "arn:aws:ecs:eu-central-1:802732539686:service-deployment/tracker-staging-cluster/tracker-staging-frontend/def456";
    ecs.set("frontend", rollingOut(env, "frontend", 5, 6, T0));
    ecs.revisions.set(serviceResourceName(env.name, "frontend"), [6, 5, 4]);
    ecs.deploymentsInProgress.set("tracker-staging-frontend", deployment);
    const baseline: ImageSnapshot = {
      environment: "staging",
      cluster: "tracker-staging-cluster",
      services: { frontend: { taskDefinition: taskDefinitionArn(env, "frontend", 5), image: "x", imageTag: tagOfRevision(5) } },
      missing: {},
    };
    const result = await runRollback(deps(), options({ services: ["frontend"], baseline }));
    expect(result.ok).toBe(true);
    expect(ecs.stops.map((s) => s.serviceDeploymentArn)).toEqual([deployment]);
    expect(ecs.updates).toEqual([]);
  });

  it("DLV-1: once the canary has completed (no deployment in progress), going back is an ordinary update", async () => {
    ecs.set("api", settledService(env, "api", 6));
    ecs.revisions.set(serviceResourceName(env.name, "api"), [6, 5, 4]);
    rolloutsCompleteAfter(1);
    const result = await runRollback(deps(), options({ services: ["api"] }));
    expect(result.ok).toBe(true);
    expect(ecs.stops).toEqual([]);
    expect(ecs.updates.map((u) => [u.service, u.taskDefinition])).toEqual([["tracker-staging-api", taskDefinitionArn(env, "api", 5)]]);
  });

  it("CD-4: while ECS itself rolls back (circuit breaker), the service is left alone, never moved to the failed revision", async () => {
    // PRIMARY is the old revision 5 (ECS's rollback), the ACTIVE deployment is the failed 6.
    ecs.set("api", rollingOut(env, "api", 6, 5, T0));
    ecs.revisions.set(serviceResourceName(env.name, "api"), [6, 5, 4]);
    const result = await runRollback(deps(), options({ services: ["api"] }));
    expect(result.ok).toBe(true);
    expect(ecs.updates).toEqual([]);
    expect(lines.some((l) => /SKIP {5}api: a rollback to tracker-staging-api:5 is already in progress \(from tracker-staging-api:6\)/.test(l))).toBe(true);
  });

  it("CD-4: with a baseline, restores exactly the revisions recorded before the deploy", async () => {
    // The deploy moved api 5 -> 6 and frontend 5 -> 6; the others kept 5.
    for (const s of ["api", "frontend"] as const) {
      ecs.set(s, settledService(env, s, 6));
      ecs.revisions.set(serviceResourceName(env.name, s), [6, 5, 4]);
    }
    const baseline: ImageSnapshot = {
      environment: "staging",
      cluster: "tracker-staging-cluster",
      services: Object.fromEntries(
        SERVICE_NAMES.map((s) => [s, { taskDefinition: taskDefinitionArn(env, s, 5), image: "x", imageTag: tagOfRevision(5) }]),
      ),
      missing: {},
    };
    rolloutsCompleteAfter(1);
    const code = await rollbackCommand(["--env", "staging", "--baseline", "baseline.json"], deps, (path) => {
      expect(path).toBe("baseline.json");
      return JSON.stringify(baseline);
    });
    expect(code).toBe(0);
    expect(ecs.updates.map((u) => [u.service, u.taskDefinition])).toEqual([
      ["tracker-staging-api", taskDefinitionArn(env, "api", 5)],
      ["tracker-staging-frontend", taskDefinitionArn(env, "frontend", 5)],
    ]);
    expect(lines.filter((l) => l.includes("unchanged since the baseline"))).toHaveLength(6);
  });

  it("CD-4: refuses a baseline of another environment", async () => {
    const code = await rollbackCommand(["--env", "staging", "--baseline", "b.json"], deps, () =>
      JSON.stringify({ environment: "production", cluster: "x", services: {}, missing: {} }),
    );
    expect(code).toBe(1);
    expect(lines.at(-1)).toMatch(/baseline snapshot is of production, not staging/);
  });

  it("CD-4: fails when a service has no earlier revision to go back to", async () => {
    ecs.revisions.set(serviceResourceName(env.name, "anisette"), [5]);
    rolloutsCompleteAfter(1);
    const code = await rollbackCommand(["--env", "staging", "--service", "anisette,api"], deps);
    expect(code).toBe(1);
    expect(lines).toContain("  ERROR    anisette: no earlier ACTIVE revision of tracker-staging-anisette to go back to");
    expect(ecs.updates.map((u) => u.service)).toEqual(["tracker-staging-api"]);
  });

  it("CD-4: the wait is bounded: a service that never settles times out and fails the command", async () => {
    ecs.advance = () => undefined; // the rollout never completes
    const code = await rollbackCommand(["--env", "staging", "--service", "api", "--timeout", "2m", "--poll", "30s"], deps);
    expect(code).toBe(1);
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2 * 60_000);
    expect(lines.some((l) => /TIMED OUT api: 0\/1 running on tracker-staging-api:4, rollout IN_PROGRESS/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/Rollback INCOMPLETE: 0 stable, 0 failed, 1 timed out/);
  });

  it("CD-4: a rollback deployment that fails (circuit breaker) fails the command at once", async () => {
    ecs.advance = (fake) => {
      const api = fake.get("api");
      if (api.deployments?.[0]?.rolloutState === "IN_PROGRESS") {
        api.deployments[0].rolloutState = "FAILED";
        api.deployments[0].rolloutStateReason = "tasks failed to start";
      }
    };
    const code = await rollbackCommand(["--env", "staging", "--service", "api"], deps);
    expect(code).toBe(1);
    expect(clock.slept).toEqual([]);
    expect(lines.some((l) => /FAILED api: deployment tracker-staging-api:4 FAILED: tasks failed to start/.test(l))).toBe(true);
  });

  it("CD-4: usage errors exit 2 and change nothing", async () => {
    expect(await rollbackCommand(["--service", "api"], deps)).toBe(2);
    expect(await rollbackCommand(["--env", "staging", "--service", "web"], deps)).toBe(2);
    expect(await rollbackCommand(["--env", "staging", "--timeout", "soon"], deps)).toBe(2);
    expect(ecs.updates).toEqual([]);
  });
});

describe("image tags as deploy inputs", () => {
  it("ECS-11: reads the tag each service's PRIMARY deployment runs, from the service's own container", async () => {
    ecs.set("api", rollingOut(env, "api", 5, 6, T0));
    const snapshot = await readImageSnapshot(ecs.client, env);
    expect(snapshot.services.api).toEqual({
      taskDefinition: taskDefinitionArn(env, "api", 6),
      image: "802732539686.dkr.ecr.eu-central-1.amazonaws.com/tracker-staging/api:sha6",
      imageTag: "sha6",
    });
    expect(snapshot.services.frontend?.imageTag).toBe("sha5");
    expect(snapshot.missing).toEqual({});
  });

  it("ECS-11: prints TF_VAR_<imageTagVariableName> lines, new tags overriding running ones", async () => {
    ecs.services.delete(serviceResourceName(env.name, "anisette"));
    const snapshot = await readImageSnapshot(ecs.client, env);
    expect(snapshot.missing.anisette).toMatch(/not found in cluster/);
    const tags = mergeImageTags(snapshot, parseTagOverrides("api=3f2c1ab, anisette=v3.1.0"));
    const lines = formatTerraformVariables(tags).split("\n");
    expect(lines).toHaveLength(SERVICE_NAMES.length);
    expect(lines[0]).toBe(`TF_VAR_${imageTagVariableName("api")}=3f2c1ab`);
    expect(lines).toContain("TF_VAR_image_tag_tracker_fetcher=sha5");
    expect(lines).toContain("TF_VAR_image_tag_anisette=v3.1.0");
  });

  it("ECS-11: a first deploy (no cluster yet) reports every service as missing instead of failing", async () => {
    ecs.clusterMissing = true;
    const snapshot = await readImageSnapshot(ecs.client, env);
    expect(Object.keys(snapshot.services)).toEqual([]);
    expect(Object.keys(snapshot.missing)).toEqual([...SERVICE_NAMES]);
  });

  it("ECS-11: overrides accept JSON or service=tag lists and reject unknown services, `latest` and injection", () => {
    expect(parseTagOverrides('{"api":"abc123","frontend":"def456"}')).toEqual({ api: "abc123", frontend: "def456" });
    expect(parseTagOverrides("api=abc123\nadmin=x.1")).toEqual({ api: "abc123", admin: "x.1" });
    expect(parseTagOverrides("  ")).toEqual({});
    expect(() => parseTagOverrides("web=abc")).toThrow(/unknown service "web"/);
    expect(() => parseTagOverrides("api=latest")).toThrow(/"latest" is not a deployable tag/);
    expect(() => parseTagOverrides('{"api":"abc\\nTF_VAR_x=1"}')).toThrow(/not a valid image tag/);
    expect(() => parseTagOverrides('{"api":1}')).toThrow(/must be a string/);
    expect(() => parseTagOverrides("api")).toThrow(/not service=tag/);
  });
});

describe("image tags: what is refused and what an operator reads", () => {
  it("ECS-11: Docker's tag grammar: up to 128 characters, starting with a letter, digit or underscore", () => {
    const longest = "a".repeat(128);
    expect(parseTagOverrides(`api=${longest}`)).toEqual({ api: longest });
    expect(parseTagOverrides("api=_build.1-rc")).toEqual({ api: "_build.1-rc" });
    expect(() => parseTagOverrides(`api=${longest}a`)).toThrow(`image tags: api: "${longest}a" is not a valid image tag`);
    expect(() => parseTagOverrides("api=.hidden")).toThrow('image tags: api: ".hidden" is not a valid image tag');
    expect(() => parseTagOverrides("api=-rc")).toThrow('image tags: api: "-rc" is not a valid image tag');
    expect(() => parseTagOverrides('{"api": "a;b"}')).toThrow('image tags: api: "a;b" is not a valid image tag');
    expect(() => parseTagOverrides('{"api": ""}')).toThrow('image tags: api: "" is not a valid image tag');
    expect(() => parseTagOverrides("api=latest")).toThrow('image tags: api: "latest" is not a deployable tag (ECS-11); use the commit SHA');
  });

  it("ECS-11: the full messages for broken input", () => {
    expect(parseTagOverrides(undefined)).toEqual({});
    expect(parseTagOverrides("{}")).toEqual({});
    expect(() => parseTagOverrides("{api: 1}")).toThrow(/^image tags: not valid JSON \(.+\)$/);
    expect(() => parseTagOverrides("=abc")).toThrow('image tags: "=abc" is not service=tag');
    expect(() => parseTagOverrides("web=abc")).toThrow(`image tags: unknown service "web" (known: ${SERVICE_NAMES.join(", ")})`);
    expect(() => parseTagOverrides('{"api": 1}')).toThrow("image tags: the tag of api must be a string");
    expect(() => parseTagOverrides("api=a=b")).toThrow('image tags: api: "a=b" is not a valid image tag');
  });

  it("ECS-11: a list may be split by commas, spaces and newlines, several at once", () => {
    expect(parseTagOverrides(" api=1a,, frontend=2b \n\n admin=3c ")).toEqual({ api: "1a", frontend: "2b", admin: "3c" });
    expect(parseTagOverrides(",api=1a,")).toEqual({ api: "1a" });
    expect(parseTagOverrides('\n  {"api": "1a"}  \n')).toEqual({ api: "1a" });
  });

  it("ECS-11: merged tags keep the catalog's order, a new tag wins, a service with neither is left out", () => {
    const snapshot: ImageSnapshot = {
      environment: "staging",
      cluster: "tracker-staging-cluster",
      services: {
        frontend: { taskDefinition: taskDefinitionArn(env, "frontend", 5), image: "x/frontend:sha5", imageTag: "sha5" },
        api: { taskDefinition: taskDefinitionArn(env, "api", 5), image: "x/api:sha5", imageTag: "sha5" },
      },
      missing: {},
    };
    const merged = mergeImageTags(snapshot, { anisette: "v3", api: "new" });
    expect(Object.entries(merged)).toEqual([
      ["api", "new"],
      ["frontend", "sha5"],
      ["anisette", "v3"],
    ]);
    expect(formatTerraformVariables(merged)).toBe(
      "TF_VAR_image_tag_api=new\nTF_VAR_image_tag_frontend=sha5\nTF_VAR_image_tag_anisette=v3",
    );
    expect(formatTerraformVariables({})).toBe("");
    expect(() => formatTerraformVariables({ api: "a b" })).toThrow('api: "a b" is not a valid image tag');
  });

  it("ECS-11: a service without a task definition, or whose task definition has no tagged image, is missing with the reason", async () => {
    ecs.set("api", { ...settledService(env, "api", 5), taskDefinition: undefined, deployments: [] });
    ecs.mock.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition?: string }) => ({
      taskDefinition: input.taskDefinition!.includes("frontend")
        ? { containerDefinitions: [{ name: "frontend", image: "registry.example:5000/frontend" }] }
        : input.taskDefinition!.includes("admin")
          ? undefined
          : { containerDefinitions: [{ name: "other", image: "registry.example/x:sha5" }] },
    }));
    const snapshot = await readImageSnapshot(ecs.client, env, ["api", "frontend", "admin", "anisette"]);
    expect(snapshot.environment).toBe("staging");
    expect(snapshot.cluster).toBe("tracker-staging-cluster");
    expect(snapshot.missing).toEqual({
      api: "service has no task definition",
      frontend: `task definition ${taskDefinitionArn(env, "frontend", 5)} has no tagged image`,
      admin: `task definition ${taskDefinitionArn(env, "admin", 5)} has no tagged image`,
    });
    expect(snapshot.services).toEqual({
      anisette: { taskDefinition: taskDefinitionArn(env, "anisette", 5), image: "registry.example/x:sha5", imageTag: "sha5" },
    });
  });
});

describe("rollback: what an operator reads", () => {
  it("CD-4: the dry run's header and summary, word for word", async () => {
    ecs.revisions.set(serviceResourceName(env.name, "admin"), [5]);
    const dry = await runRollback(deps(), options({ dryRun: true, services: ["api", "admin"] }));
    expect(dry.ok).toBe(false);
    expect(lines[0]).toBe(
      "Rollback of staging (cluster tracker-staging-cluster) using each family's previous ACTIVE revision [dry run: nothing will change]",
    );
    expect(lines).toContain("  ERROR    admin: no earlier ACTIVE revision of tracker-staging-admin to go back to");
    expect(lines.at(-1)).toBe("Dry run: would roll back 1 service(s); 1 error(s). Nothing was changed.");
  });

  it("CD-4: nothing to do, or nothing possible: each says so; only the second fails", async () => {
    ecs.set("admin", settledService(env, "admin", 4));
    const nothing = await runRollback(deps(), options({ services: ["admin"] }));
    expect(nothing.ok).toBe(true);
    expect(lines.at(-1)).toBe("Nothing to roll back.");
    lines = [];
    ecs.services.delete(serviceResourceName(env.name, "api"));
    const impossible = await runRollback(deps(), options({ services: ["api"] }));
    expect(impossible.ok).toBe(false);
    expect(lines).toEqual([
      "Rollback of staging (cluster tracker-staging-cluster) using each family's previous ACTIVE revision",
      "  ERROR    api: not found in cluster tracker-staging-cluster (MISSING)",
      "Nothing rolled back; see the errors above.",
    ]);
    expect(ecs.updates).toEqual([]);
  });

  it("CD-4: a refused UpdateService is reported, the others still roll back, and the summary counts it", async () => {
    rolloutsCompleteAfter(1);
    const update = ecs.onUpdate;
    ecs.onUpdate = (fake, input) => {
      if (input.service === "tracker-staging-admin") throw new Error("AccessDeniedException: not authorized to perform ecs:UpdateService");
      update(fake, input);
    };
    const result = await runRollback(deps(), options({ services: ["api", "admin"] }));
    expect(result.ok).toBe(false);
    expect(lines).toContain("  updated api to tracker-staging-api:4");
    expect(lines).toContain("  FAILED to update admin: AccessDeniedException: not authorized to perform ecs:UpdateService");
    expect(lines).toContain("Waiting up to 10m00s for 1 service(s) to become stable...");
    expect(lines.at(-1)).toBe("Rollback INCOMPLETE: 1 stable, 1 failed, 0 timed out, 0 could not be planned.");
  });

  it("CD-4: a complete rollback says what the next deploy will do with the image tags", async () => {
    rolloutsCompleteAfter(1);
    await runRollback(deps(), options({ services: ["api"] }));
    expect(lines.slice(-2)).toEqual([
      "Rollback complete: 1 service(s) stable on their previous revision.",
      "Note: the next `cdktf deploy` registers a new revision from the code. The deploy workflow reads the image tags " +
        "from the running services, so it keeps these images unless it is given new tags.",
    ]);
  });

  it("CD-4: with a baseline: the source is named; a service the baseline lacks is left as is", async () => {
    const baseline: ImageSnapshot = {
      environment: "staging",
      cluster: "tracker-staging-cluster",
      services: { api: { taskDefinition: taskDefinitionArn(env, "api", 5), image: "x", imageTag: "sha5" } },
      missing: {},
    };
    await runRollback(deps(), options({ dryRun: true, services: ["api", "anisette"], baseline }));
    expect(lines).toEqual([
      "Rollback of staging (cluster tracker-staging-cluster) using the baseline snapshot [dry run: nothing will change]",
      "  SKIP     api: unchanged since the baseline",
      "  SKIP     anisette: not in the baseline snapshot (new service?); left as is",
      "Dry run: would roll back 0 service(s); 0 error(s). Nothing was changed.",
    ]);
  });

  it("CD-4: the step lines, with and without image tags", () => {
    const ref = (revision: number) => ({ arn: taskDefinitionArn(env, "api", revision), family: "tracker-staging-api", revision });
    expect(describeStep({ service: "api", action: "rollback", current: ref(5), target: ref(4), reason: "r" })).toBe(
      "ROLLBACK api: tracker-staging-api:5 -> tracker-staging-api:4; r",
    );
    expect(describeStep({ service: "api", action: "rollback", current: ref(5), target: ref(4), targetTag: "sha4", reason: "r" })).toBe(
      "ROLLBACK api: tracker-staging-api:5 -> tracker-staging-api:4 (image ? -> sha4); r",
    );
    expect(describeStep({ service: "api", action: "stop", current: ref(5), target: ref(4), currentTag: "sha5", reason: "r" })).toBe(
      "STOP     api: tracker-staging-api:5 -> tracker-staging-api:4 (image sha5 -> ?); r",
    );
    expect(describeStep({ service: "api", action: "error", reason: "gone" })).toBe("ERROR    api: gone");
  });
});

describe("rollback: the less common answers", () => {
  it("CD-4: a task definition that cannot be described leaves the tags out of the line; an untagged image is shown whole", async () => {
    ecs.mock.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition?: string }) => {
      if (input.taskDefinition?.endsWith(":5")) throw Object.assign(new Error("denied"), { name: "AccessDeniedException" });
      return { taskDefinition: { containerDefinitions: [{ name: "api", image: "registry.example/api" }] } };
    });
    await runRollback(deps(), options({ dryRun: true, services: ["api"] }));
    expect(lines).toContain("  ROLLBACK api: tracker-staging-api:5 -> tracker-staging-api:4 (image ? -> registry.example/api); back to the previous ACTIVE revision");
  });

  it("CD-4: a service without a task definition, or without a deployments list, is planned from what it has", async () => {
    ecs.set("api", { ...settledService(env, "api", 5), taskDefinition: undefined, deployments: undefined });
    ecs.set("admin", { ...settledService(env, "admin", 5), deployments: undefined });
    await runRollback(deps(), options({ dryRun: true, services: ["api", "admin"] }));
    expect(lines).toContain("  ERROR    api: service has no task definition");
    expect(lines).toContain("  ROLLBACK admin: tracker-staging-admin:5 -> tracker-staging-admin:4 (image sha5 -> sha4); back to the previous ACTIVE revision");
  });

  it("CD-4: without --timeout it waits up to 15 minutes; --baseline reads the file it names", async () => {
    rolloutsCompleteAfter(1);
    await runRollback(deps(), { environment: env, services: ["api"], dryRun: false });
    expect(lines).toContain("Waiting up to 15m00s for 1 service(s) to become stable...");
    lines = [];
    const dir = mkdtempSync(join(tmpdir(), "rollback-"));
    const file = join(dir, "baseline.json");
    writeFileSync(file, JSON.stringify({ environment: "staging", cluster: "tracker-staging-cluster", services: {}, missing: {} }));
    expect(await rollbackCommand(["--env", "staging", "--service", "api", "--dry-run", "--baseline", file], deps)).toBe(0);
    expect(lines).toContain("  SKIP     api: not in the baseline snapshot (new service?); left as is");
  });
});

describe("rollback: which revision, and whether to stop a canary", () => {
  it("DLV-1: asks ECS for the deployments still pending or in progress; a public service rolling out without one is updated, not stopped", async () => {
    ecs.set("api", rollingOut(env, "api", 5, 6, T0));
    ecs.revisions.set(serviceResourceName(env.name, "api"), [6, 5, 4]);
    await runRollback(deps(), options({ dryRun: true, services: ["api"] }));
    expect(ecs.mock.commandCalls(ListServiceDeploymentsCommand).map((c) => c.args[0].input)).toEqual([
      { cluster: "tracker-staging-cluster", service: "tracker-staging-api", status: ["PENDING", "IN_PROGRESS"] },
    ]);
    expect(lines.some((l) => l.startsWith("  ROLLBACK api: tracker-staging-api:6 -> tracker-staging-api:5"))).toBe(true);
    lines = [];
    ecs.mock.on(ListServiceDeploymentsCommand).resolves({});
    await runRollback(deps(), options({ dryRun: true, services: ["api"] }));
    expect(lines.some((l) => l.startsWith("  ROLLBACK api: tracker-staging-api:6 -> tracker-staging-api:5"))).toBe(true);
  });

  it("DLV-1: a worker's rollout is never stopped as a canary, even when ECS lists a deployment in progress", async () => {
    ecs.set("tracker-fetcher", rollingOut(env, "tracker-fetcher", 5, 6, T0));
    ecs.revisions.set(serviceResourceName(env.name, "tracker-fetcher"), [6, 5, 4]);
    ecs.deploymentsInProgress.set("tracker-staging-tracker-fetcher", "arn:aws:ecs:eu-central-1:802732539686:service-deployment/c/tracker-staging-tracker-fetcher/x");
    await runRollback(deps(), options({ dryRun: true, services: ["tracker-fetcher"] }));
    expect(lines.some((l) => l.startsWith("  ROLLBACK tracker-fetcher: tracker-staging-tracker-fetcher:6 -> tracker-staging-tracker-fetcher:5"))).toBe(true);
  });

  it("CD-4: a second deployment of the same revision (a forced redeploy) is not a revision being replaced", async () => {
    const forced = settledService(env, "admin", 5);
    ecs.set("admin", { ...forced, deployments: [...forced.deployments!, { ...forced.deployments![0]!, id: "ecs-svc/old", status: "ACTIVE" }] });
    await runRollback(deps(), options({ dryRun: true, services: ["admin"] }));
    expect(lines).toContain("  ROLLBACK admin: tracker-staging-admin:5 -> tracker-staging-admin:4 (image sha5 -> sha4); back to the previous ACTIVE revision");
  });

  it("CD-4: a service on another family's revision goes back within its own family; a family with no revisions is an error", async () => {
    const other = settledService(env, "admin", 3);
    const otherArn = "arn:aws:ecs:eu-central-1:802732539686:task-definition/tracker-staging-admin-old:3";
    ecs.set("admin", { ...other, taskDefinition: otherArn, deployments: [{ ...other.deployments![0]!, taskDefinition: otherArn }] });
    ecs.revisions.set(serviceResourceName(env.name, "admin"), [5, 4, 2, 1]);
    ecs.revisions.set(serviceResourceName(env.name, "anisette"), []);
    const result = await runRollback(deps(), options({ dryRun: true, services: ["admin", "anisette"] }));
    expect(lines.some((l) => l.startsWith("  ROLLBACK admin: tracker-staging-admin-old:3 -> tracker-staging-admin:2"))).toBe(true);
    expect(lines).toContain("  ERROR    anisette: no earlier ACTIVE revision of tracker-staging-anisette to go back to");
    expect(result.ok).toBe(false);
  });

  it("CD-4: a baseline rollback says where the revision comes from", async () => {
    ecs.set("api", settledService(env, "api", 6));
    ecs.revisions.set(serviceResourceName(env.name, "api"), [6, 5, 4]);
    const baseline: ImageSnapshot = {
      environment: "staging",
      cluster: "tracker-staging-cluster",
      services: { api: { taskDefinition: taskDefinitionArn(env, "api", 5), image: "x", imageTag: "sha5" } },
      missing: {},
    };
    await runRollback(deps(), options({ dryRun: true, services: ["api"], baseline }));
    expect(lines).toContain("  ROLLBACK api: tracker-staging-api:6 -> tracker-staging-api:5 (image sha6 -> sha5); back to the revision recorded before the deploy");
  });
});

describe("rollback: the command line", () => {
  it("CD-4: --dry-run changes nothing; without --timeout and --poll it waits up to 15 minutes, polling every 15 s", async () => {
    expect(await rollbackCommand(["--env", "staging", "--service", "api", "--dry-run"], deps)).toBe(0);
    expect(ecs.updates).toEqual([]);
    lines = [];
    ecs.advance = () => undefined; // never settles
    expect(await rollbackCommand(["--env", "staging", "--service", "api"], deps)).toBe(1);
    expect(lines).toContain("Waiting up to 15m00s for 1 service(s) to become stable...");
    expect(clock.slept.every((ms) => ms === 15_000)).toBe(true);
    expect(clock.slept).toHaveLength(60);
  });

  it("CD-4: --poll sets the interval; a stopped canary is reported as such", async () => {
    const deployment = "arn:aws:ecs:eu-central-1:802732539686:service-deployment/tracker-staging-cluster/tracker-staging-api/abc";
    ecs.set("api", rollingOut(env, "api", 5, 6, T0));
    ecs.revisions.set(serviceResourceName(env.name, "api"), [6, 5, 4]);
    ecs.deploymentsInProgress.set("tracker-staging-api", deployment);
    ecs.onStop = () => undefined; // ECS has not finished shifting back yet
    expect(await rollbackCommand(["--env", "staging", "--service", "api", "--timeout", "1m", "--poll", "30s"], deps)).toBe(1);
    expect(lines).toContain("  stopped api's canary; ECS rolls it back to tracker-staging-api:5");
    expect(clock.slept).toEqual([30_000, 30_000]);
  });

  it("CD-4: usage errors name the command and the option; --help prints the usage; an unknown option is refused", async () => {
    const err = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const out = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      expect(await rollbackCommand(["--env", "staging", "--timeout", "soon"], deps)).toBe(2);
      expect(lines).toContain('rollback: --timeout: expected a duration like 90s or 15m, got "soon"');
      expect(await rollbackCommand(["--env", "staging", "--poll", "often"], deps)).toBe(2);
      expect(lines).toContain('rollback: --poll: expected a duration like 90s or 15m, got "often"');
      // Before the environment is known there is no logger of the deps: stderr.
      expect(await rollbackCommand(["--bogus"], deps)).toBe(2);
      expect(err.mock.calls.map((c) => c[0])).toEqual(["rollback: Unknown option '--bogus'", "rollback: see 'rollback --help' for the options"]);
      expect(await rollbackCommand(["--help"], deps)).toBe(0);
      expect(out.mock.calls[0]![0]).toBe(ROLLBACK_USAGE.trimEnd());
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
  });
});
