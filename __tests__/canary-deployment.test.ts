/**
 * DLV-1 and DLV-2 over the synthesized environment stacks (each synthesized once): the public
 * services deploy with ECS's CANARY strategy from the environment definition, each with its two
 * target groups, its one weighted production listener rule that Terraform leaves to ECS, and the
 * traffic-shift role ECS assumes; the rollback alarms stay on; the worst-case rollback time computed
 * from the JSON stays under five minutes in production. Plus the validation of the new settings.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  alarmTime,
  ECS_ROLLBACK_SECONDS,
  formatRollbackTimes,
  PRODUCTION_ROLLBACK_LIMIT_SECONDS,
  rollbackTimes,
} from "../src/compute/rollback-time";
import { PRODUCTION, STAGING } from "../src/config/environments";
import type { EnvironmentDefinition } from "../src/config/types";
import { ConfigValidationError, validateEnvironments } from "../src/config/validate";
import { dataSources, only, referencedAddresses, resources, synthTracker, type SynthesizedStack } from "./support/synth";

const PUBLIC = ["api", "frontend", "admin"] as const;
const WORKERS = ["tracker-fetcher", "unified-geofence", "notification-service", "materialized-view-service", "anisette"] as const;

const stacks = { staging: synthTracker(STAGING), production: synthTracker(PRODUCTION) };

/** The resource a single `${type.name.attr}` reference points at. */
function target(json: SynthesizedStack, expression: unknown): [string, Record<string, any>] {
  const [address] = referencedAddresses(expression);
  if (!address) throw new Error(`not a reference: ${String(expression)}`);
  const [type, name] = address.split(".") as [string, string];
  const block = json.resource?.[type]?.[name];
  if (!block) throw new Error(`no ${address}`);
  return [address, block as Record<string, any>];
}

const ecsService = (json: SynthesizedStack, env: string, service: string) =>
  only(json, "aws_ecs_service", (s) => s["name"] === `tracker-${env}-${service}`)[1];

describe.each([
  // The environment definitions' rollout, written out (DLV-1: staging short, production 10 % then 5 minutes).
  { env: STAGING, json: stacks.staging, percent: 10, canaryBake: "2", bake: "2" },
  { env: PRODUCTION, json: stacks.production, percent: 10, canaryBake: "5", bake: "5" },
])("DLV-1 in $env.name", ({ env, json, percent, canaryBake, bake }) => {
  const E = env.name;

  it.each(PUBLIC)("DLV-1: %s deploys with ECS's CANARY strategy, the environment's percent and bake times, alarms still rolling back", (service) => {
    const svc = ecsService(json, E, service);
    expect(svc["deployment_controller"]).toEqual({ type: "ECS" });
    expect(svc["deployment_configuration"]).toEqual({
      strategy: "CANARY",
      bake_time_in_minutes: bake,
      canary_configuration: { canary_percent: percent, canary_bake_time_in_minutes: canaryBake },
    });
    // The rollback alarms watch through the canary and the bake: enabled, rolling back, and these three.
    expect(svc["alarms"]).toEqual({
      enable: true,
      rollback: true,
      alarm_names: [`tracker-${E}-${service}-task-failures`, `tracker-${E}-${service}-target-5xx`, `tracker-${E}-${service}-unhealthy-targets`],
    });
  });

  it.each(WORKERS)("DLV-1: %s (no load balancer to shift) keeps rolling updates with circuit breaker and alarms", (service) => {
    const svc = ecsService(json, E, service);
    expect(svc["deployment_configuration"]).toEqual({ strategy: "ROLLING" });
    expect(svc["deployment_circuit_breaker"]).toEqual({ enable: true, rollback: true });
    expect(svc["alarms"]["rollback"]).toBe(true);
    expect(svc["load_balancer"]).toBeUndefined();
  });

  it.each(PUBLIC)("DLV-1: %s's load balancer block names its two twin target groups, its production rule and its traffic-shift role", (service) => {
    const svc = ecsService(json, E, service);
    expect(svc["load_balancer"]).toHaveLength(1);
    const lb = svc["load_balancer"][0];
    const [, primary] = target(json, lb["target_group_arn"]);
    const [, alternate] = target(json, lb["advanced_configuration"]["alternate_target_group_arn"]);
    expect(primary["tags"]["Name"]).toBe(`tracker-${E}-${service}`);
    expect(alternate["tags"]["Name"]).toBe(`tracker-${E}-${service}-alt`);
    // Both groups check the service's own port and health path (the catalog's, written out).
    const health = { api: { port: 8000, path: "/health" }, frontend: { port: 3000, path: "/healthz" }, admin: { port: 3001, path: "/healthz" } }[service];
    for (const group of [primary, alternate]) {
      expect(group["port"]).toBe(health.port);
      expect(group["target_type"]).toBe("ip");
      expect(group["deregistration_delay"]).toBe("30");
      expect(group["health_check"]).toMatchObject({ path: health.path, port: "traffic-port", protocol: "HTTP", matcher: "200-399" });
    }
    expect(lb["container_port"]).toBe(health.port);
    // The production rule: this service's hostname, forwarding to both groups with weights 100/0.
    const [ruleAddress, rule] = target(json, lb["advanced_configuration"]["production_listener_rule"]);
    expect(ruleAddress.startsWith("aws_lb_listener_rule.")).toBe(true);
    expect(rule["condition"][0]).toEqual({ host_header: { values: [env.dns.hostnames[service]] } });
    expect(rule["action"]).toEqual([
      {
        type: "forward",
        forward: {
          target_group: [
            { arn: lb["target_group_arn"], weight: 100 },
            { arn: lb["advanced_configuration"]["alternate_target_group_arn"], weight: 0 },
          ],
        },
      },
    ]);
    // Terraform does not fight ECS over the weights: no perpetual diff after a deployment.
    expect(rule["lifecycle"]).toEqual({ ignore_changes: ["action"] });
    // The role ECS shifts the traffic with.
    const [, role] = target(json, lb["advanced_configuration"]["role_arn"]);
    expect(role["name"]).toBe(`tracker-${E}-${service}-traffic-shift`);
    expect(role["description"]).toBe(`ECS shifts ${service}'s traffic between its two target groups during canary deployments (DLV-1)`);
    // No test listener: the canary is judged on real traffic by the rollback alarms.
    expect(lb["advanced_configuration"]["test_listener_rule"]).toBeUndefined();
  });

  it.each(PUBLIC)("DLV-1: %s-traffic-shift is trusted by ecs.amazonaws.com only, has the workload boundary, and its policy is scoped to its own groups and rule", (service) => {
    const [roleName, role] = only(json, "aws_iam_role", (r) => r["name"] === `tracker-${E}-${service}-traffic-shift`);
    expect(role["permissions_boundary"]).toBe(`arn:aws:iam::${env.accountId}:policy/tracker-${E}-workload-boundary`);
    const document = (expression: unknown) => {
      const [address] = referencedAddresses(expression);
      const name = address!.split(".")[1]!;
      return dataSources(json, "aws_iam_policy_document").find(([n]) => n === name)![1];
    };
    expect(document(role["assume_role_policy"])["statement"]).toEqual([
      { sid: "EcsShiftsTraffic", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ecs.amazonaws.com"] }] },
    ]);
    const [, policy] = only(json, "aws_iam_role_policy", (p) => p["role"] === `\${aws_iam_role.${roleName}.id}`);
    expect(policy["name"]).toBe("traffic-shift");
    const svc = ecsService(json, E, service);
    const lb = svc["load_balancer"][0];
    const [, https] = only(json, "aws_lb_listener", (l) => l["port"] === 443);
    const httpsName = resources(json, "aws_lb_listener").find(([, l]) => l === https)![0];
    const ruleArn = lb["advanced_configuration"]["production_listener_rule"];
    expect(document(policy["policy"])["statement"]).toEqual([
      {
        sid: "ReadListenersAndTargets",
        effect: "Allow",
        actions: [
          "elasticloadbalancing:DescribeListeners",
          "elasticloadbalancing:DescribeRules",
          "elasticloadbalancing:DescribeTargetGroups",
          "elasticloadbalancing:DescribeTargetHealth",
        ],
        resources: ["*"],
      },
      {
        sid: "RegisterTasksInItsTargetGroups",
        effect: "Allow",
        actions: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
        resources: [lb["target_group_arn"], lb["advanced_configuration"]["alternate_target_group_arn"]],
      },
      { sid: "ShiftItsProductionRule", effect: "Allow", actions: ["elasticloadbalancing:ModifyRule"], resources: [ruleArn] },
      { sid: "ItsListener", effect: "Allow", actions: ["elasticloadbalancing:ModifyListener"], resources: [`\${aws_lb_listener.${httpsName}.arn}`] },
    ]);
    // ECS must be able to use the role before the service's first deployment.
    expect(svc["depends_on"]).toContain(`aws_iam_role_policy.${only(json, "aws_iam_role_policy", (p) => p["role"] === `\${aws_iam_role.${roleName}.id}`)[0]}`);
  });

  it("DLV-1: exactly one forwarding rule per public service; every forwarding rule is left to ECS", () => {
    const forwarding = resources(json, "aws_lb_listener_rule").filter(([, r]) => r["action"][0]["type"] === "forward");
    expect(forwarding).toHaveLength(PUBLIC.length);
    for (const [, r] of forwarding) expect(r["lifecycle"]).toEqual({ ignore_changes: ["action"] });
    const ruleRefs = PUBLIC.map((s) => ecsService(json, E, s)["load_balancer"][0]["advanced_configuration"]["production_listener_rule"]);
    expect(new Set(ruleRefs).size).toBe(PUBLIC.length);
    expect(ruleRefs.map((r) => target(json, r)[0]).sort()).toEqual(forwarding.map(([n]) => `aws_lb_listener_rule.${n}`).sort());
  });
});

describe("DLV-2: the worst-case rollback time, from the synthesized stack", () => {
  const production = rollbackTimes(stacks.production);
  const staging = rollbackTimes(stacks.staging);

  it("DLV-2: production's api, written out by hand: unhealthy targets 60 s x 3 + 60 s ECS shift back + 30 s deregistration = 270 s", () => {
    const api = production.find((t) => t.serviceName === "tracker-production-api")!;
    // The three rollback alarms of the api: task failures 60 s x 1, target 5xx 60 s x 1, unhealthy 60 s x 3.
    expect(api.alarms.map((a) => [a.alarmName, a.periodSeconds, a.evaluationPeriods])).toEqual([
      ["tracker-production-api-unhealthy-targets", 60, 3],
      ["tracker-production-api-task-failures", 60, 1],
      ["tracker-production-api-target-5xx", 60, 1],
    ]);
    expect(api.detectionSeconds).toBe(60 * 3);
    expect(api.ecsRollbackSeconds).toBe(60);
    expect(api.deregistrationDelaySeconds).toBe(30);
    expect(api.totalSeconds).toBe(180 + 60 + 30);
  });

  it("DLV-2: every public service of production rolls back in under 5 minutes (300 s)", () => {
    expect(production.map((t) => t.serviceName)).toEqual(["tracker-production-admin", "tracker-production-api", "tracker-production-frontend"]);
    for (const t of production) expect(t.totalSeconds, t.serviceName).toBeLessThan(300);
    expect(PRODUCTION_ROLLBACK_LIMIT_SECONDS).toBe(300);
  });

  it("DLV-2: staging has the same alarms, so the same figure", () => {
    expect(staging.map((t) => t.totalSeconds)).toEqual([270, 270, 270]);
  });

  it("DLV-2: the README states the figure of both environments", () => {
    const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
    for (const line of [...formatRollbackTimes(production), ...formatRollbackTimes(staging)]) expect(readme).toContain(line);
  });

  it("DLV-2: the computation reads what the JSON says: a slower alarm or a longer draining raises the figure", () => {
    const copy = structuredClone(stacks.production) as SynthesizedStack & { resource: Record<string, Record<string, any>> };
    const [alarmName] = only(copy, "aws_cloudwatch_metric_alarm", (a) => a["alarm_name"] === "tracker-production-api-task-failures");
    copy.resource["aws_cloudwatch_metric_alarm"]![alarmName]["period"] = 300;
    const [groupName] = only(copy, "aws_lb_target_group", (g) => g["tags"]["Name"] === "tracker-production-api-alt");
    copy.resource["aws_lb_target_group"]![groupName]["deregistration_delay"] = "120";
    const api = rollbackTimes(copy).find((t) => t.serviceName === "tracker-production-api")!;
    expect(api.alarms[0]!.alarmName).toBe("tracker-production-api-task-failures");
    expect(api.totalSeconds).toBe(300 * 1 + ECS_ROLLBACK_SECONDS + 120);
  });

  it("DLV-2: a metric-math alarm's period is its queries' period; an alarm the service names but the stack lacks is an error", () => {
    expect(alarmTime({ alarm_name: "x", evaluation_periods: 2, metric_query: [{ id: "e", expression: "m0" }, { id: "m0", metric: { period: 120 } }] })).toEqual({
      alarmName: "x",
      periodSeconds: 120,
      evaluationPeriods: 2,
      detectionSeconds: 240,
    });
    const copy = structuredClone(stacks.production) as SynthesizedStack & { resource: Record<string, Record<string, any>> };
    const [alarmName] = only(copy, "aws_cloudwatch_metric_alarm", (a) => a["alarm_name"] === "tracker-production-api-target-5xx");
    delete copy.resource["aws_cloudwatch_metric_alarm"]![alarmName];
    expect(() => rollbackTimes(copy)).toThrow(/tracker-production-api names the alarm tracker-production-api-target-5xx, which this stack does not define/);
  });
});

describe("DLV-1: the rollout settings are validated", () => {
  type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
  const problems = (edit: (env: Mutable<EnvironmentDefinition>) => void, which: "staging" | "production" = "staging"): string[] => {
    const copy = structuredClone(which === "staging" ? STAGING : PRODUCTION) as Mutable<EnvironmentDefinition>;
    edit(copy);
    const envs = which === "staging" ? [copy as EnvironmentDefinition, PRODUCTION] : [STAGING, copy as EnvironmentDefinition];
    try {
      validateEnvironments(envs);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigValidationError);
      return [...(error as ConfigValidationError).problems];
    }
    return [];
  };

  it("DLV-1: both environments' definitions pass, with the same strategy", () => {
    expect(problems(() => {})).toEqual([]);
    expect(STAGING.deployment.strategy).toBe("CANARY");
    expect(PRODUCTION.deployment.strategy).toBe("CANARY");
  });

  it("DLV-1: a canary percent outside ECS's 0.1..100 in steps of 0.1 is refused; 100 is no canary", () => {
    const message = (got: string) => `staging.deployment.canaryPercent: must be a percentage from 0.1 to 100 in steps of 0.1, got ${got}`;
    expect(problems((e) => (e.deployment.canaryPercent = 0))).toEqual([message("0")]);
    expect(problems((e) => (e.deployment.canaryPercent = 100.1))).toEqual([message("100.1")]);
    expect(problems((e) => (e.deployment.canaryPercent = 2.25))).toEqual([message("2.25")]);
    expect(problems((e) => (e.deployment.canaryPercent = 100))).toEqual([
      "staging.deployment.canaryPercent: 100 sends all traffic to the new revision at once, which is no canary; use a small share such as 10",
    ]);
    for (const ok of [0.1, 2.5, 99.9]) expect(problems((e) => (e.deployment.canaryPercent = ok))).toEqual([]);
  });

  it("DLV-1: bake times outside ECS's 0..1440 whole minutes are refused; a canary phase of 0 minutes too", () => {
    expect(problems((e) => (e.deployment.bakeMinutes = 1441), "production")).toEqual([
      "production.deployment.bakeMinutes: must be whole minutes from 0 to 1440, got 1441",
    ]);
    expect(problems((e) => (e.deployment.bakeMinutes = 1.5))).toEqual(["staging.deployment.bakeMinutes: must be whole minutes from 0 to 1440, got 1.5"]);
    expect(problems((e) => (e.deployment.canaryBakeMinutes = -1))).toEqual([
      "staging.deployment.canaryBakeMinutes: must be whole minutes from 0 to 1440, got -1",
    ]);
    expect(problems((e) => (e.deployment.canaryBakeMinutes = 0))).toEqual([
      "staging.deployment.canaryBakeMinutes: must be at least 1 minute: with 0 the canary share is skipped and the rollback alarms never see it",
    ]);
    expect(problems((e) => (e.deployment.bakeMinutes = 0))).toEqual([]);
  });

  it("DLV-1: another strategy is refused, and staging may not differ from production", () => {
    expect(problems((e) => ((e.deployment as { strategy: string }).strategy = "LINEAR"))).toEqual([
      `staging.deployment.strategy: "LINEAR" is not supported; the public services deploy with ECS's built-in "CANARY" strategy (DLV-1)`,
      `production.deployment.strategy: "CANARY" differs from staging's "LINEAR"; staging rehearses production's rollout (DLV-1)`,
    ]);
  });
});
