/**
 * COST-2: the estimate with the off-hours schedule, pinned to hand-computed figures. Weekdays
 * 07:00-20:00 are 5 x 13 = 65 hours a week; a 730-hour month is 730/168 weeks, so 65 x 730/168 =
 * 282.44 hours. The host runs 06:45-20:15: 5 x 13.5 = 67.5 hours a week = 293.30 hours a month.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { estimateStack } from "../scripts/lib/cost-estimate";
import { monthlyHoursBetween, offHoursEstimate, offHoursLine, parseDailyCron } from "../scripts/lib/off-hours-estimate";
import { loadSnapshot, type PriceSnapshot } from "../scripts/lib/prices";
import { STAGING } from "../src/config/environments";
import { synthTracker } from "./support/synth";

describe("COST-2: hours in the schedule", () => {
  it("COST-2: cron expressions of day names are read as minute of day and number of days", () => {
    expect(parseDailyCron("cron(45 6 ? * MON-FRI *)")).toEqual({ minuteOfDay: 405, days: 5 });
    expect(parseDailyCron("cron(0 20 ? * MON,WED,FRI *)")).toEqual({ minuteOfDay: 1200, days: 3 });
    expect(parseDailyCron("cron(0 9 ? * SUN-MON,FRI-SAT *)")).toEqual({ minuteOfDay: 540, days: 4 });
    expect(() => parseDailyCron("rate(1 hour)")).toThrow('off-hours estimate: "rate(1 hour)" is not a daily cron expression of day names');
    expect(parseDailyCron("cron(30 12 ? * SAT *)")).toEqual({ minuteOfDay: 750, days: 1 });
    expect(() => parseDailyCron("at cron(0 7 ? * MON-FRI *)")).toThrow("is not a daily cron expression of day names");
    expect(() => parseDailyCron("cron(0 7 ? * MON-FRI *) UTC")).toThrow("is not a daily cron expression of day names");
    expect(parseDailyCron("cron(0 0 ? * FRI-MON *)")).toEqual({ minuteOfDay: 0, days: 4 });
    expect(parseDailyCron("cron(0 8 ? * MON-FRI,SAT-SUN *)")).toEqual({ minuteOfDay: 480, days: 7 });
    expect(() => parseDailyCron("cron(0 8 ? * MON-FUN *)")).toThrow('off-hours estimate: unknown day in "MON-FUN"');
    expect(() => parseDailyCron("cron(0 8 ? * XYZ *)")).toThrow('off-hours estimate: unknown day in "XYZ"');
  });

  it("COST-2: weekdays 07:00-20:00 are 282.44 hours of a 730-hour month; 06:45-20:15 are 293.30", () => {
    expect(monthlyHoursBetween("cron(0 7 ? * MON-FRI *)", "cron(0 20 ? * MON-FRI *)")).toBeCloseTo(282.44, 2);
    expect(monthlyHoursBetween("cron(45 6 ? * MON-FRI *)", "cron(15 20 ? * MON-FRI *)")).toBeCloseTo(293.3, 2);
    // 5 days x 13 h = 65 h a week; a 672-hour (4-week) month is 260 h.
    expect(monthlyHoursBetween("cron(0 7 ? * MON-FRI *)", "cron(0 20 ? * MON-FRI *)", 672)).toBeCloseTo(260, 6);
  });
});

describe("COST-2: a fixture stack with one scheduled service and a scheduled host", () => {
  const prices: PriceSnapshot = {
    region: "eu-central-1",
    currency: "USD",
    date: "2026-11-29",
    prices: { "ec2.t4g.medium.hour": { usd: 0.04, unit: "per instance-hour", source: "fixture" } as never },
  };
  const json = {
    resource: {
      aws_ecs_service: { api: { name: "api" } },
      aws_appautoscaling_target: { api: { resource_id: "service/${aws_ecs_cluster.c.name}/${aws_ecs_service.api.name}" } },
      aws_appautoscaling_scheduled_action: {
        stop: { resource_id: "${aws_appautoscaling_target.api.resource_id}", schedule: "cron(0 20 ? * MON-FRI *)", scalable_target_action: { min_capacity: "0", max_capacity: "0" } },
        start: { resource_id: "${aws_appautoscaling_target.api.resource_id}", schedule: "cron(0 7 ? * MON-FRI *)", scalable_target_action: { min_capacity: "1", max_capacity: "1" } },
      },
      aws_instance: { host: { instance_type: "t4g.medium" } },
      aws_scheduler_schedule: {
        start: { schedule_expression: "cron(45 6 ? * MON-FRI *)", target: { arn: "arn:aws:scheduler:::aws-sdk:ec2:startInstances", input: '${jsonencode({"InstanceIds" = [aws_instance.host.id]})}' } },
        stop: { schedule_expression: "cron(15 20 ? * MON-FRI *)", target: { arn: "arn:aws:scheduler:::aws-sdk:ec2:stopInstances", input: '${jsonencode({"InstanceIds" = [aws_instance.host.id]})}' } },
      },
    },
  };
  const estimate = {
    stack: "fixture",
    monthlyUsd: 100,
    priceDate: "2026-11-29",
    unpriced: [],
    lines: [
      { address: "aws_ecs_service.api", type: "aws_ecs_service", monthlyUsd: 73, detail: "" },
      { address: "aws_instance.host", type: "aws_instance", monthlyUsd: 27, detail: "" },
    ],
  };

  it("COST-2: the service line scales to 282.44/730 and the host loses (730 - 293.30) instance-hours", () => {
    const e = offHoursEstimate(json, estimate, prices)!;
    // Service: 73 x (1 - 282.4405/730) = 44.756. Host: (730 - 293.2984) x $0.04 = 17.468. Saved 62.224.
    expect(e.serviceHours).toBeCloseTo(282.44, 2);
    expect(e.hostHours).toBeCloseTo(293.3, 2);
    expect(e.savedUsd).toBeCloseTo(62.224, 2);
    expect(e.monthlyUsd).toBeCloseTo(100 - 62.224, 2);
    expect(offHoursLine(e)).toBe(
      "with the off-hours schedule (COST-2): $37.78 a month ($62.22 less; services 282 h, the database host 293 h of 730 h, assuming no public holidays or on-demand wakes)",
    );
  });

  it("COST-2: a stack without a schedule has no such estimate", () => {
    expect(offHoursEstimate({ resource: { aws_instance: json.resource.aws_instance } }, estimate, prices)).toBeUndefined();
  });

  it("COST-2: services only: the host is left out of the line and costs what it did", () => {
    const { aws_scheduler_schedule: _s, ...servicesOnly } = json.resource;
    const e = offHoursEstimate({ resource: servicesOnly }, estimate, prices)!;
    expect(e.hostHours).toBeUndefined();
    expect("hostHours" in e).toBe(false);
    expect(e.savedUsd).toBeCloseTo(73 * (1 - 282.4405 / 730), 3);
    expect(offHoursLine(e)).toBe(
      "with the off-hours schedule (COST-2): $55.24 a month ($44.76 less; services 282 h of 730 h, assuming no public holidays or on-demand wakes)",
    );
  });

  it("COST-2: the host only: services run all month; a host whose type has no price, or a stop without a start, is skipped", () => {
    const { aws_appautoscaling_scheduled_action: _a, ...hostOnly } = json.resource;
    const e = offHoursEstimate({ resource: hostOnly }, estimate, prices)!;
    expect(e.serviceHours).toBe(730);
    expect(e.savedUsd).toBeCloseTo((730 - 293.2984) * 0.04, 3);
    const unpricedHost = { ...hostOnly, aws_instance: { host: { instance_type: "m7g.large" } } };
    expect(offHoursEstimate({ resource: unpricedHost }, estimate, prices)).toBeUndefined();
    const stopOnly = { ...hostOnly, aws_scheduler_schedule: { stop: json.resource.aws_scheduler_schedule.stop } };
    expect(offHoursEstimate({ resource: stopOnly }, estimate, prices)).toBeUndefined();
  });

  it("COST-2: a scalable target needs both a scale-to-zero and a scale-up action to count as scheduled", () => {
    const onlyStop = { ...json.resource, aws_scheduler_schedule: {}, aws_appautoscaling_scheduled_action: { stop: json.resource.aws_appautoscaling_scheduled_action.stop } };
    expect(offHoursEstimate({ resource: onlyStop }, estimate, prices)).toBeUndefined();
    const onlyStart = { ...json.resource, aws_scheduler_schedule: {}, aws_appautoscaling_scheduled_action: { start: json.resource.aws_appautoscaling_scheduled_action.start } };
    expect(offHoursEstimate({ resource: onlyStart }, estimate, prices)).toBeUndefined();
  });

  it("COST-2: only the scheduled services' lines scale; a host's start is matched to its own stop; incomplete resources are skipped", () => {
    const resource = {
      ...json.resource,
      aws_appautoscaling_scheduled_action: { ...json.resource.aws_appautoscaling_scheduled_action, bare: { resource_id: "${aws_appautoscaling_target.api.resource_id}" } },
      aws_instance: { host: { instance_type: "t4g.medium" }, other: { instance_type: "t4g.medium" } },
      aws_scheduler_schedule: {
        // another instance's start comes first; a schedule without a target; a stop for an instance the stack lacks
        "other-start": { schedule_expression: "cron(0 0 ? * MON-FRI *)", target: { arn: "arn:aws:scheduler:::aws-sdk:ec2:startInstances", input: '${jsonencode({"InstanceIds" = [aws_instance.other.id]})}' } },
        targetless: { schedule_expression: "cron(0 1 ? * MON-FRI *)" },
        ...json.resource.aws_scheduler_schedule,
      },
    };
    const withWorker = { ...estimate, monthlyUsd: 110, lines: [...estimate.lines, { address: "aws_ecs_service.worker", type: "aws_ecs_service", monthlyUsd: 10, detail: "" }] };
    const e = offHoursEstimate({ resource }, withWorker, prices)!;
    // The same 62.224 as the fixture alone: the worker runs all month, the host keeps its own 06:45-20:15.
    expect(e.savedUsd).toBeCloseTo(62.224, 2);
    expect(e.hostHours).toBeCloseTo(293.3, 2);
    const noInstances = { ...json.resource, aws_instance: undefined } as unknown as typeof json.resource;
    expect(offHoursEstimate({ resource: noInstances }, estimate, prices)?.hostHours).toBeUndefined();
    const otherInstanceOnly = { ...json.resource, aws_instance: { other: { instance_type: "t4g.medium" } } };
    expect(offHoursEstimate({ resource: otherInstanceOnly }, estimate, prices)?.hostHours).toBeUndefined();
  });

  it("COST-2: a scalable target without a resource ID names no service", () => {
    const noId = { ...json.resource, aws_scheduler_schedule: {}, aws_appautoscaling_target: { api: {} } };
    expect(offHoursEstimate({ resource: noId }, estimate, prices)).toBeUndefined();
  });

  it("COST-2: two services on different schedules are refused: the estimate assumes one", () => {
    const twoSchedules = {
      ...json.resource,
      aws_ecs_service: { api: { name: "api" }, web: { name: "web" } },
      aws_appautoscaling_target: { ...json.resource.aws_appautoscaling_target, web: { resource_id: "service/c/${aws_ecs_service.web.name}" } },
      aws_appautoscaling_scheduled_action: {
        ...json.resource.aws_appautoscaling_scheduled_action,
        "web-stop": { resource_id: "${aws_appautoscaling_target.web.resource_id}", schedule: "cron(0 22 ? * MON-FRI *)", scalable_target_action: { max_capacity: "0" } },
        "web-start": { resource_id: "${aws_appautoscaling_target.web.resource_id}", schedule: "cron(0 7 ? * MON-FRI *)", scalable_target_action: { max_capacity: "2" } },
      },
    };
    expect(() => offHoursEstimate({ resource: twoSchedules }, estimate, prices)).toThrow(
      "off-hours estimate: the services have different schedules; the estimate assumes one",
    );
  });
});

describe("COST-2: staging with its schedule", () => {
  it("COST-2: the synthesized staging stack costs less with the schedule than always on, by its Fargate and host hours", () => {
    const snapshot = loadSnapshot();
    const json = synthTracker(STAGING);
    const always = estimateStack("tracker-staging", json as never, snapshot);
    const scheduled = offHoursEstimate(json as never, always, snapshot)!;
    expect(scheduled.serviceHours).toBeCloseTo(282.44, 2);
    expect(scheduled.hostHours).toBeCloseTo(293.3, 2);
    const fargate = always.lines.filter((l) => l.type === "aws_ecs_service").reduce((s, l) => s + l.monthlyUsd, 0);
    const host = (730 - 293.3) * snapshot.prices["ec2.t4g.medium.hour"]!.usd;
    expect(scheduled.savedUsd).toBeCloseTo(fargate * (1 - 282.44 / 730) + host, 1);
    expect(scheduled.monthlyUsd).toBeLessThan(always.monthlyUsd);
  });

  it("COST-2: the README states the estimate npm run cost prints for staging with the schedule, and the always-on one", () => {
    const snapshot = loadSnapshot();
    const json = synthTracker(STAGING);
    const always = estimateStack("tracker-staging", json as never, snapshot);
    const scheduled = offHoursEstimate(json as never, always, snapshot)!;
    const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
    expect(readme).toContain(`staging **$${scheduled.monthlyUsd.toFixed(2)} a month** with the schedule instead of $${always.monthlyUsd.toFixed(2)} always on`);
  });
});
