/**
 * COST-2: the off-hours schedule. Staging (schedule on) scales every service to zero and stops the
 * database host outside weekdays 07:00-20:00 Europe/Berlin, and starts them again in order: the host
 * at 06:45, the services at 07:00; the services stop at 20:00, the host at 20:15. Production (schedule
 * off) has none of it. The expected values are written out as an operator reads them.
 */
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { describe, expect, it } from "vitest";
import { TerraformStack, Testing } from "../src/cdktf";
import { OffHoursSchedule } from "../src/compute/off-hours-schedule";
import { PRODUCTION, STAGING } from "../src/config/environments";
import type { EnvironmentDefinition, OffHoursScheduleDefinition } from "../src/config/types";
import { ConfigValidationError, validateEnvironments } from "../src/config/validate";
import { only, referenceOf, referencedAddresses, resources, synthTracker, type SynthesizedStack } from "./support/synth";

const staging = synthTracker(STAGING);
const production = synthTracker(PRODUCTION);
/** Production with the schedule switched on: services with target-tracking autoscaling, no host. */
const PRODUCTION_SCHEDULED: EnvironmentDefinition = { ...PRODUCTION, schedule: { ...PRODUCTION.schedule, enabled: true } };
const productionScheduled = synthTracker(PRODUCTION_SCHEDULED, "production-scheduled");

const SERVICES = [
  "api",
  "frontend",
  "admin",
  "tracker-fetcher",
  "unified-geofence",
  "notification-service",
  "materialized-view-service",
  "anisette",
];

const address = (type: string, name: string) => `${type}.${name}`;
function schedule(stack: SynthesizedStack, name: string): Record<string, any> {
  return only(stack, "aws_scheduler_schedule", (s) => s.name === name)[1];
}
function ecsService(stack: SynthesizedStack, env: string, service: string): [string, Record<string, any>] {
  return only(stack, "aws_ecs_service", (s) => s.name === `tracker-${env}-${service}`);
}
/** The scalable target whose resource_id names this ECS service. */
function targetOf(stack: SynthesizedStack, ecsServiceName: string): [string, Record<string, any>] {
  return only(stack, "aws_appautoscaling_target", (t) => referencedAddresses(t.resource_id).includes(address("aws_ecs_service", ecsServiceName)));
}
function scheduledAction(stack: SynthesizedStack, name: string): Record<string, any> {
  return only(stack, "aws_appautoscaling_scheduled_action", (a) => a.name === name)[1];
}
/** "cron(45 6 ? * MON-FRI *)" -> minutes of the day (405). */
function minuteOf(cron: string): number {
  const m = /^cron\((\d+) (\d+) \? \* [A-Z,-]+ \*\)$/.exec(cron);
  if (!m) throw new Error(`not a daily cron expression: ${cron}`);
  return Number(m[2]) * 60 + Number(m[1]);
}

describe("COST-2: staging's database host is started and stopped by EventBridge Scheduler", () => {
  const [hostName] = only(staging, "aws_instance", (i) => i.tags?.Name === "tracker-staging-db-host");
  const [groupName, group] = only(staging, "aws_scheduler_schedule_group");
  const [roleName, role] = only(staging, "aws_iam_role", (r) => r.name === "tracker-staging-off-hours-scheduler");
  const [keyName] = only(staging, "aws_kms_key");

  it("COST-2: one schedule group tracker-staging-off-hours holds the schedules", () => {
    expect(group.name).toBe("tracker-staging-off-hours");
    expect(resources(staging, "aws_scheduler_schedule").map(([, s]) => s.name).sort()).toEqual([
      "tracker-staging-alarms-awake",
      "tracker-staging-alarms-quiet",
      "tracker-staging-db-host-start",
      "tracker-staging-db-host-stop",
    ]);
    for (const [, s] of resources(staging, "aws_scheduler_schedule")) {
      expect(s.group_name).toBe(referenceOf("aws_scheduler_schedule_group", groupName, "name"));
      expect(s.flexible_time_window).toEqual({ mode: "OFF" });
      expect(s.state).toBe("ENABLED");
      expect(s.kms_key_arn).toBe(referenceOf("aws_kms_key", keyName, "arn"));
      expect(s.target.role_arn).toBe(referenceOf("aws_iam_role", roleName, "arn"));
    }
  });

  it("COST-2: the host starts at 06:45 Berlin time on weekdays, through EC2 StartInstances of exactly that instance", () => {
    const start = schedule(staging, "tracker-staging-db-host-start");
    expect(start.schedule_expression).toBe("cron(45 6 ? * MON-FRI *)");
    expect(start.schedule_expression_timezone).toBe("Europe/Berlin");
    expect(start.target.arn).toBe("arn:aws:scheduler:::aws-sdk:ec2:startInstances");
    expect(start.target.input).toBe(`\${jsonencode({"InstanceIds" = [aws_instance.${hostName}.id]})}`);
  });

  it("COST-2: the host stops at 20:15 Berlin time on weekdays, through EC2 StopInstances of exactly that instance", () => {
    const stop = schedule(staging, "tracker-staging-db-host-stop");
    expect(stop.schedule_expression).toBe("cron(15 20 ? * MON-FRI *)");
    expect(stop.schedule_expression_timezone).toBe("Europe/Berlin");
    expect(stop.target.arn).toBe("arn:aws:scheduler:::aws-sdk:ec2:stopInstances");
    expect(stop.target.input).toBe(`\${jsonencode({"InstanceIds" = [aws_instance.${hostName}.id]})}`);
  });

  it("COST-2: the scheduler role is trusted by EventBridge Scheduler of this account only, and carries the workload boundary", () => {
    const trust = staging.data!["aws_iam_policy_document"]![role.assume_role_policy.match(/aws_iam_policy_document\.([^.]+)\.json/)[1]] as any;
    expect(trust.statement).toEqual([
      {
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["scheduler.amazonaws.com"] }],
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["802732539686"] }],
      },
    ]);
    expect(role.permissions_boundary).toBe("arn:aws:iam::802732539686:policy/tracker-staging-workload-boundary");
  });

  it("COST-2: the scheduler role may start and stop the host by reference, and grant EC2 the volumes' key", () => {
    const [, policy] = only(staging, "aws_iam_role_policy", (p) => p.name === "tracker-staging-off-hours-scheduler");
    expect(policy.role).toBe(referenceOf("aws_iam_role", roleName, "id"));
    const document = staging.data!["aws_iam_policy_document"]![policy.policy.match(/aws_iam_policy_document\.([^.]+)\.json/)[1]] as any;
    const bySid = Object.fromEntries(document.statement.map((s: any) => [s.sid, s]));
    expect(bySid.StartAndStopTheDatabaseHost).toEqual({
      sid: "StartAndStopTheDatabaseHost",
      effect: "Allow",
      actions: ["ec2:StartInstances", "ec2:StopInstances"],
      resources: [referenceOf("aws_instance", hostName, "arn")],
    });
    expect(bySid.GrantForTheEncryptedVolumes.resources).toEqual([referenceOf("aws_kms_key", keyName, "arn")]);
    expect(bySid.GrantForTheEncryptedVolumes.condition).toEqual([
      { test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] },
      { test: "StringEquals", variable: "kms:ViaService", values: ["ec2.eu-central-1.amazonaws.com"] },
    ]);
    // The host's volumes are encrypted with that same key: without the grant, StartInstances fails.
    const [, host] = only(staging, "aws_instance", (i) => i.tags?.Name === "tracker-staging-db-host");
    expect(host.root_block_device.kms_key_id).toBe(referenceOf("aws_kms_key", keyName, "arn"));
  });

  it("COST-2: what the Scheduler and IAM consoles say each schedule and the role do", () => {
    expect(Object.fromEntries(resources(staging, "aws_scheduler_schedule").map(([, s]) => [s.name, s.description]))).toEqual({
      "tracker-staging-db-host-start": "Starts the staging database host 15 minutes before the services (COST-2)",
      "tracker-staging-db-host-stop": "Stops the staging database host 15 minutes after the services (COST-2)",
      "tracker-staging-alarms-quiet": "Disables the actions of the staging alarms that fire only because nothing runs (COST-2)",
      "tracker-staging-alarms-awake": "Enables them again 15 minutes after the services start (COST-2)",
    });
    expect(role.description).toBe(
      "EventBridge Scheduler starts and stops the staging database host and quiets its off-hours alarms (COST-2)",
    );
  });

  it("COST-2: a start or stop AWS throttles is retried for up to an hour (10 attempts), then dropped", () => {
    for (const [, s] of resources(staging, "aws_scheduler_schedule")) {
      expect(s.target.retry_policy, s.name).toEqual({ maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 10 });
    }
  });

  it("COST-2: the scheduler reads its encrypted payloads with the environment key, and nothing else is granted", () => {
    const [, policy] = only(staging, "aws_iam_role_policy", (p) => p.name === "tracker-staging-off-hours-scheduler");
    const document = staging.data!["aws_iam_policy_document"]![policy.policy.match(/aws_iam_policy_document\.([^.]+)\.json/)[1]] as any;
    expect(document.statement.map((s: any) => s.sid)).toEqual([
      "ReadTheSchedulePayloads",
      "StartAndStopTheDatabaseHost",
      "GrantForTheEncryptedVolumes",
      "QuietTheOffHoursAlarms",
    ]);
    expect(document.statement[0]).toEqual({
      sid: "ReadTheSchedulePayloads",
      effect: "Allow",
      actions: ["kms:Decrypt"],
      resources: [referenceOf("aws_kms_key", keyName, "arn")],
    });
    expect(document.statement[3].actions).toEqual(["cloudwatch:DisableAlarmActions", "cloudwatch:EnableAlarmActions"]);
  });

  it("COST-2: a schedule fires only once its role may act (depends on the role policy)", () => {
    const [policyName] = only(staging, "aws_iam_role_policy", (p) => p.name === "tracker-staging-off-hours-scheduler");
    for (const [, s] of resources(staging, "aws_scheduler_schedule")) {
      expect(s.depends_on).toContain(address("aws_iam_role_policy", policyName));
    }
  });
});

describe("COST-2: staging's services scale to zero outside the schedule (Application Auto Scaling)", () => {
  it.each(SERVICES)("COST-2: %s has a scalable target on its ECS service and a stop (0) and a start (1) action", (service) => {
    const [serviceName] = ecsService(staging, "staging", service);
    const [clusterName] = only(staging, "aws_ecs_cluster");
    const [targetName, target] = targetOf(staging, serviceName);
    expect(target).toMatchObject({
      service_namespace: "ecs",
      scalable_dimension: "ecs:service:DesiredCount",
      resource_id: `service/\${aws_ecs_cluster.${clusterName}.name}/\${aws_ecs_service.${serviceName}.name}`,
      min_capacity: 1,
      max_capacity: 1,
    });
    const onTarget = {
      service_namespace: referenceOf("aws_appautoscaling_target", targetName, "service_namespace"),
      scalable_dimension: referenceOf("aws_appautoscaling_target", targetName, "scalable_dimension"),
      resource_id: referenceOf("aws_appautoscaling_target", targetName, "resource_id"),
    };
    expect(scheduledAction(staging, `tracker-staging-${service}-off-hours-stop`)).toEqual({
      name: `tracker-staging-${service}-off-hours-stop`,
      ...onTarget,
      schedule: "cron(0 20 ? * MON-FRI *)",
      timezone: "Europe/Berlin",
      scalable_target_action: { min_capacity: "0", max_capacity: "0" },
    });
    expect(scheduledAction(staging, `tracker-staging-${service}-off-hours-start`)).toEqual({
      name: `tracker-staging-${service}-off-hours-start`,
      ...onTarget,
      schedule: "cron(0 7 ? * MON-FRI *)",
      timezone: "Europe/Berlin",
      scalable_target_action: { min_capacity: "1", max_capacity: "1" },
    });
  });

  it("COST-2: exactly two scheduled actions per service, one scalable target per service", () => {
    expect(resources(staging, "aws_appautoscaling_scheduled_action")).toHaveLength(2 * SERVICES.length);
    expect(resources(staging, "aws_appautoscaling_target")).toHaveLength(SERVICES.length);
  });

  it("COST-2: Terraform leaves the count to the schedule: services ignore desired_count, targets their capacities", () => {
    // Otherwise a deploy at night would set the services back to 1 and start everything.
    for (const service of SERVICES) {
      const [serviceName, ecs] = ecsService(staging, "staging", service);
      expect(ecs.lifecycle?.ignore_changes, service).toEqual(["desired_count"]);
      const [, target] = targetOf(staging, serviceName);
      expect(target.lifecycle?.ignore_changes, service).toEqual(["min_capacity", "max_capacity"]);
    }
  });

  it("COST-2: in order: host start 06:45 < services start 07:00 < alarms awake 07:15; services stop 20:00 < host stop 20:15", () => {
    const at = (name: string) => minuteOf(schedule(staging, `tracker-staging-${name}`).schedule_expression);
    const services = (moment: string) =>
      new Set(SERVICES.map((s) => minuteOf(scheduledAction(staging, `tracker-staging-${s}-off-hours-${moment}`).schedule)));
    expect(services("start")).toEqual(new Set([7 * 60]));
    expect(services("stop")).toEqual(new Set([20 * 60]));
    expect(at("db-host-start")).toBe(6 * 60 + 45);
    expect(at("alarms-awake")).toBe(7 * 60 + 15);
    expect(at("alarms-quiet")).toBe(20 * 60);
    expect(at("db-host-stop")).toBe(20 * 60 + 15);
  });
});

describe("COST-2, OBS-2: alarms at night", () => {
  const quietNames = [
    "tracker-staging-alb-5xx",
    "tracker-staging-api-no-healthy-targets",
    "tracker-staging-frontend-no-healthy-targets",
    "tracker-staging-admin-no-healthy-targets",
    "tracker-staging-db-host-postgres-down",
    "tracker-staging-db-host-valkey-down",
  ];
  const alarm = (stack: SynthesizedStack, name: string) => only(stack, "aws_cloudwatch_metric_alarm", (a) => a.alarm_name === name);
  const alarmNamesInput = (stack: SynthesizedStack, names: readonly string[]) =>
    `\${jsonencode({"AlarmNames" = [${names.map((n) => `aws_cloudwatch_metric_alarm.${alarm(stack, n)[0]}.alarm_name`).join(", ")}]})}`;

  it("COST-2: the alarms that breach only because nothing runs are what the schedule quiets", () => {
    // Missing data is breaching for these, or the ALB answers 503 with no targets: they would fire every night.
    for (const name of quietNames.filter((n) => n.includes("no-healthy") || n.includes("db-host"))) {
      expect(alarm(staging, name)[1].treat_missing_data, name).toBe("breaching");
    }
  });

  it("COST-2: their actions are disabled at 20:00 and enabled at 07:15 Berlin time on weekdays", () => {
    const quiet = schedule(staging, "tracker-staging-alarms-quiet");
    expect(quiet.schedule_expression).toBe("cron(0 20 ? * MON-FRI *)");
    expect(quiet.schedule_expression_timezone).toBe("Europe/Berlin");
    expect(quiet.target.arn).toBe("arn:aws:scheduler:::aws-sdk:cloudwatch:disableAlarmActions");
    expect(quiet.target.input).toBe(alarmNamesInput(staging, quietNames));
    const awake = schedule(staging, "tracker-staging-alarms-awake");
    expect(awake.schedule_expression).toBe("cron(15 7 ? * MON-FRI *)");
    expect(awake.target.arn).toBe("arn:aws:scheduler:::aws-sdk:cloudwatch:enableAlarmActions");
    expect(awake.target.input).toBe(alarmNamesInput(staging, quietNames));
  });

  it("COST-2: Terraform leaves actions_enabled of exactly those alarms to the schedule", () => {
    const ignoring = resources(staging, "aws_cloudwatch_metric_alarm")
      .filter(([, a]) => (a.lifecycle?.ignore_changes ?? []).includes("actions_enabled"))
      .map(([, a]) => a.alarm_name)
      .sort();
    expect(ignoring).toEqual([...quietNames].sort());
  });

  it("OBS-3: the deployment alarms stay on at night and treat a scaled-to-zero service's silence as not breaching", () => {
    // A scale-in is not a deployment and no task fails (stop code ServiceSchedulerInitiated), so nothing rolls back.
    for (const service of SERVICES) {
      const [, ecs] = ecsService(staging, "staging", service);
      for (const name of ecs.alarms.alarm_names as string[]) {
        const [, a] = alarm(staging, name);
        expect(quietNames, name).not.toContain(name);
        expect(a.treat_missing_data, name).toBe("notBreaching");
        expect(a.actions_enabled, name).toBe(true);
      }
    }
  });
});

describe("COST-2: production runs around the clock", () => {
  it("COST-2: production has no schedule, no scheduled action and no scheduler role", () => {
    expect(resources(production, "aws_scheduler_schedule")).toEqual([]);
    expect(resources(production, "aws_scheduler_schedule_group")).toEqual([]);
    expect(resources(production, "aws_appautoscaling_scheduled_action")).toEqual([]);
    expect(resources(production, "aws_iam_role").filter(([, r]) => r.name.includes("off-hours"))).toEqual([]);
  });

  it("COST-2: production's fixed-count services keep Terraform's desired_count; only autoscaled ones ignore it (ECS-7)", () => {
    expect(ecsService(production, "production", "admin")[1].lifecycle).toBeUndefined();
    expect(ecsService(production, "production", "api")[1].lifecycle).toEqual({ ignore_changes: ["desired_count"] });
    const [apiService] = ecsService(production, "production", "api");
    expect(targetOf(production, apiService)[1].lifecycle).toBeUndefined();
  });

  it("COST-2: switched on, production's schedule acts on the existing autoscaling targets and restores their range", () => {
    const [apiService] = ecsService(productionScheduled, "production", "api");
    const [targetName, target] = targetOf(productionScheduled, apiService); // exactly one target: no second one
    expect(target).toMatchObject({ min_capacity: 2, max_capacity: 8, lifecycle: { ignore_changes: ["min_capacity", "max_capacity"] } });
    const start = scheduledAction(productionScheduled, "tracker-production-api-off-hours-start");
    expect(start.resource_id).toBe(referenceOf("aws_appautoscaling_target", targetName, "resource_id"));
    expect(start.scalable_target_action).toEqual({ min_capacity: "2", max_capacity: "8" });
    expect(scheduledAction(productionScheduled, "tracker-production-admin-off-hours-start").scalable_target_action).toEqual({
      min_capacity: "2",
      max_capacity: "2",
    });
    // The CPU policy still acts on the same target.
    const [, policy] = only(productionScheduled, "aws_appautoscaling_policy", (p) => p.name === "tracker-production-api-cpu-target");
    expect(policy.resource_id).toBe(referenceOf("aws_appautoscaling_target", targetName, "resource_id"));
  });

  it("COST-2: without a database host there is no host schedule; the load balancer alarms are still quieted", () => {
    const names = resources(productionScheduled, "aws_scheduler_schedule").map(([, s]) => s.name).sort();
    expect(names).toEqual(["tracker-production-alarms-awake", "tracker-production-alarms-quiet"]);
    const [, policy] = only(productionScheduled, "aws_iam_role_policy", (p) => p.name === "tracker-production-off-hours-scheduler");
    const document = productionScheduled.data!["aws_iam_policy_document"]![policy.policy.match(/aws_iam_policy_document\.([^.]+)\.json/)[1]] as any;
    expect(document.statement.map((s: any) => s.sid)).toEqual(["ReadTheSchedulePayloads", "QuietTheOffHoursAlarms"]);
  });

  it("COST-2: what a service already ignores is kept: `all` stays `all`, a list gets desired_count added", () => {
    const stack = new TerraformStack(Testing.app(), "kept-lifecycle");
    const everything = new EcsService(stack, "everything", { name: "tracker-production-api", lifecycle: { ignoreChanges: "all" } });
    const tagged = new EcsService(stack, "tagged", { name: "tracker-production-admin", lifecycle: { ignoreChanges: ["tags"] } });
    new OffHoursSchedule(stack, "off-hours", {
      environment: PRODUCTION_SCHEDULED,
      clusterName: "tracker-production-cluster",
      services: new Map([["api", { service: everything }], ["admin", { service: tagged }]]),
      quietAlarms: [],
      kmsKeyArn: "arn:aws:kms:eu-central-1:951665295205:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    });
    const json = JSON.parse(Testing.synth(stack)) as SynthesizedStack;
    expect(Object.fromEntries(resources(json, "aws_ecs_service").map(([, svc]) => [svc.name, svc.lifecycle.ignore_changes]))).toEqual({
      "tracker-production-api": "all",
      "tracker-production-admin": ["tags", "desired_count"],
    });
  });

  it("COST-2: with no alarm to quiet and no host, the schedule scales the services only: no alarm schedule, no alarm grant", () => {
    const stack = new TerraformStack(Testing.app(), "services-only");
    new OffHoursSchedule(stack, "off-hours", {
      environment: PRODUCTION_SCHEDULED,
      clusterName: "tracker-production-cluster",
      services: new Map(),
      quietAlarms: [],
      kmsKeyArn: "arn:aws:kms:eu-central-1:951665295205:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    });
    const json = JSON.parse(Testing.synth(stack)) as SynthesizedStack;
    expect(resources(json, "aws_scheduler_schedule")).toEqual([]);
    const documents = Object.values(json.data?.["aws_iam_policy_document"] ?? {}) as { statement: { sid?: string }[] }[];
    const policy = documents.filter((d) => d.statement.some((st) => st.sid === "ReadTheSchedulePayloads"));
    expect(policy.map((d) => d.statement.map((st) => st.sid))).toEqual([["ReadTheSchedulePayloads"]]);
  });
});

describe("COST-2: the schedule setting is validated", () => {
  const refusal = (schedule: Partial<OffHoursScheduleDefinition>): string => {
    try {
      validateEnvironments([{ ...STAGING, schedule: { ...STAGING.schedule, ...schedule } }, PRODUCTION]);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigValidationError);
      return (error as Error).message;
    }
    throw new Error("validation accepted the schedule");
  };

  it("COST-2: the shipped schedules: staging on (weekdays 07:00-20:00 Europe/Berlin), production off", () => {
    expect(STAGING.schedule).toEqual({ enabled: true, timezone: "Europe/Berlin", weekdays: "MON-FRI", start: "07:00", stop: "20:00" });
    expect(PRODUCTION.schedule.enabled).toBe(false);
    expect(() => validateEnvironments([STAGING, PRODUCTION])).not.toThrow();
  });

  it("COST-2: an unknown time zone is refused", () => {
    expect(refusal({ timezone: "Europe/Berln" })).toMatch(/staging\.schedule\.timezone: "Europe\/Berln" is not an IANA time zone/);
    expect(refusal({ timezone: "CET; rm -rf" })).toMatch(/staging\.schedule\.timezone/);
  });

  it("COST-2: weekdays must be a cron day-of-week field of day names", () => {
    expect(refusal({ weekdays: "1-5" })).toMatch(/staging\.schedule\.weekdays: "1-5" is not a cron day-of-week field of day names/);
    expect(refusal({ weekdays: "MON-FRI," })).toMatch(/staging\.schedule\.weekdays/);
    expect(refusal({ weekdays: "mon-fri" })).toMatch(/staging\.schedule\.weekdays/);
    expect(refusal({ weekdays: "FRI-MON" })).toMatch(/staging\.schedule\.weekdays: the range FRI-MON runs backwards/);
    expect(() => validateEnvironments([{ ...STAGING, schedule: { ...STAGING.schedule, weekdays: "MON,WED-FRI" } }, PRODUCTION])).not.toThrow();
  });

  it("COST-2: start and stop must be 24-hour HH:MM times", () => {
    expect(refusal({ start: "7:00" })).toMatch(/staging\.schedule\.start: "7:00" is not a 24-hour time HH:MM/);
    expect(refusal({ stop: "24:00" })).toMatch(/staging\.schedule\.stop: "24:00" is not a 24-hour time HH:MM/);
  });

  it("COST-2: stop must come after start on the same day, with room for the alarms to wake", () => {
    expect(refusal({ start: "20:00", stop: "07:00" })).toMatch(/staging\.schedule\.stop: 07:00 is not after start 20:00/);
    expect(refusal({ start: "07:00", stop: "07:20" })).toMatch(/staging\.schedule\.stop: 07:20 is less than 30 minutes after start 07:00/);
  });

  it("COST-2: the host must start and stop on the same day as the services (15 minutes either side)", () => {
    expect(refusal({ start: "00:10" })).toMatch(/staging\.schedule\.start: 00:10 leaves no 15 minutes/);
    expect(refusal({ stop: "23:50" })).toMatch(/staging\.schedule\.stop: 23:50 leaves no 15 minutes/);
    expect(() => validateEnvironments([{ ...STAGING, schedule: { ...STAGING.schedule, start: "00:15", stop: "23:44" } }, PRODUCTION])).not.toThrow();
  });
});
