/**
 * Issue 11: the README's "Adding a service" runbook, done on a copy. A ninth service is a catalog
 * row plus its size in each environment definition; nothing else is edited, and both environment
 * stacks and both bootstrap stacks synthesize with everything the service needs. The expected names
 * are written out as an operator would look for them in the AWS console.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildApp } from "../stacks/app";
import { ENVIRONMENTS } from "../src/config/environments";
import { SERVICE_CATALOG, serviceDefinition } from "../src/config/service-catalog";
import type { EnvironmentDefinition, ServiceDefinition, ServiceName } from "../src/config/types";
import { ConfigValidationError } from "../src/config/validate";
import { builtOrFailEachTest } from "./support/synth";

/** The new row: a worker reading PostgreSQL, like materialized-view-service, from its own image. */
const NEW_SERVICE = "report-generator" as ServiceName;
const row: ServiceDefinition = {
  ...serviceDefinition("materialized-view-service"),
  name: NEW_SERVICE,
  discoveryName: "report-generator",
  repository: "report-generator",
};
const catalog = [...SERVICE_CATALOG, row];
const environments: EnvironmentDefinition[] = ENVIRONMENTS.map((env) => ({
  ...env,
  services: { ...env.services, [NEW_SERVICE]: { cpu: 256, memory: 512, desiredCount: 1 } },
}));

type Json = { resource?: Record<string, Record<string, Record<string, any>>>; data?: Record<string, Record<string, Record<string, any>>> };
const outdir = mkdtempSync(join(tmpdir(), "add-a-service-"));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));
// Built while the file is collected; a build that throws fails every test (support/synth.ts).
const synthesized = builtOrFailEachTest(() => {
  buildApp({ environments, catalog, outdir }).synth();
  return new Map(
    readdirSync(join(outdir, "stacks")).map((name) => [name, JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8")) as Json]),
  );
}, new Map<string, Json>());
const stack = (name: string): Json => synthesized.get(name) ?? {};
const of = (json: Json, type: string) => Object.entries(json.resource?.[type] ?? {});

describe("issue 11: adding a service is its catalog row and its size in each environment", () => {
  it("without its size in an environment, validation names the field", () => {
    const missing = environments.map((env, i) => (i === 0 ? { ...env, services: ENVIRONMENTS[0]!.services } : env));
    expect(() => buildApp({ environments: missing, catalog, outdir: join(outdir, "refused") })).toThrow(ConfigValidationError);
    expect(() => buildApp({ environments: missing, catalog, outdir: join(outdir, "refused") })).toThrow(
      `${ENVIRONMENTS[0]!.name}.services.report-generator: is missing`,
    );
  });

  for (const env of ENVIRONMENTS) {
    describe(`${env.name}`, () => {
      const tracker = stack(`tracker-${env.name}`);
      const bootstrap = stack(`tracker-bootstrap-${env.name}`);

      it("ECS-1, ECS-3: a task definition and an ECS service of its own, sized as the environment says", () => {
        const [, task] = of(tracker, "aws_ecs_task_definition").find(([, t]) => t.family === `tracker-${env.name}-report-generator`) ?? [];
        expect(task, "task definition tracker-<env>-report-generator").toBeDefined();
        expect([task!.cpu, task!.memory]).toEqual(["256", "512"]);
        const container = JSON.parse(task!.container_definitions as string)[0];
        expect(container.logConfiguration.options["awslogs-group"]).toMatch(/aws_cloudwatch_log_group/);
        const [, service] = of(tracker, "aws_ecs_service").find(([, s]) => s.name === `tracker-${env.name}-report-generator`) ?? [];
        expect(service, "ECS service tracker-<env>-report-generator").toBeDefined();
        expect(service!.desired_count).toBe(1);
        expect(service!.load_balancer ?? []).toEqual([]);
      });

      it("ECS-4: its log group /ecs/tracker-<env>/report-generator, kept as the environment's others", () => {
        const groups = of(tracker, "aws_cloudwatch_log_group").map(([, g]) => g);
        const group = groups.find((g) => g.name === `/ecs/tracker-${env.name}/report-generator`);
        expect(group, "its log group").toBeDefined();
        expect(group!.retention_in_days).toBe(env.logRetentionDays);
      });

      it("SG-4: it runs in the workers' group, which may reach PostgreSQL", () => {
        const [, service] = of(tracker, "aws_ecs_service").find(([, s]) => s.name === `tracker-${env.name}-report-generator`)!;
        const [, reference] = /^\$\{aws_security_group\.([^.]+)\.id\}$/.exec(service.network_configuration.security_groups[0]) ?? [];
        const group = tracker.resource!["aws_security_group"]![reference!]!;
        expect(group.description).toMatch(/^Background workers/);
        const rules = of(tracker, "aws_vpc_security_group_egress_rule").map(([, r]) => r).filter((r) => r.security_group_id === `\${aws_security_group.${reference}.id}`);
        const postgresPort = env.dataPlane.mode === "external" ? env.dataPlane.postgres.port : 5432;
        expect(rules.some((r) => r.from_port === postgresPort && r.to_port === postgresPort), "egress to PostgreSQL").toBe(true);
      });

      it("ECS-8: it resolves as report-generator.<env>.tracker.internal", () => {
        expect(Object.values(tracker.resource!["aws_service_discovery_service"]!).map((s) => s.name)).toContain("report-generator");
      });

      it("ECR-1: the bootstrap stack creates its repository tracker-<env>/report-generator; the environment stack reads it", () => {
        expect(Object.values(bootstrap.resource!["aws_ecr_repository"]!).map((r) => r.name)).toContain(`tracker-${env.name}/report-generator`);
        expect(Object.values(tracker.data!["aws_ecr_repository"]!).map((r) => r.name)).toContain(`tracker-${env.name}/report-generator`);
      });
    });
  }
});
