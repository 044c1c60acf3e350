/**
 * COST-2: what a stack costs with its off-hours schedule, next to the always-on estimate (COST-1).
 *
 * Read from the synthesized stack, like the estimate itself: a service whose scalable target has a
 * scheduled action to 0 tasks runs only between that action's start and stop; an instance with an
 * EventBridge Scheduler `ec2:stopInstances` schedule runs only between its start and stop schedules.
 * The assumptions, stated: a month is 730 hours = 730/168 weeks; the hours in the schedule are the
 * weekdays of the cron expression times (stop - start); public holidays and on-demand wakes are not
 * counted. What scales with those hours: the Fargate task line of each scheduled service (its Cloud
 * Map instances included) and the scheduled instance's instance-hours. What does not: volumes (billed
 * while stopped), the NAT instance, the load balancer, logs, addresses.
 */
import type { PriceSnapshot } from "./prices";
import type { StackEstimate } from "./cost-estimate";

type Resource = Record<string, unknown>;
interface StackJson {
  readonly resource?: Record<string, Record<string, Resource>>;
}

export interface OffHoursEstimate {
  /** Hours a month the scheduled services run. */
  readonly serviceHours: number;
  /** Hours a month the scheduled instance runs (undefined without one). */
  readonly hostHours?: number;
  /** The stack's monthly estimate with the schedule. */
  readonly monthlyUsd: number;
  /** The always-on estimate minus the scheduled one. */
  readonly savedUsd: number;
}

const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** `cron(45 6 ? * MON-FRI *)` -> { minute of day 405, days 5 }. */
export function parseDailyCron(expression: string): { minuteOfDay: number; days: number } {
  const m = /^cron\((\d+) (\d+) \? \* ([A-Z,-]+) \*\)$/.exec(expression);
  if (!m) throw new Error(`off-hours estimate: "${expression}" is not a daily cron expression of day names`);
  const days = new Set<number>();
  for (const part of m[3]!.split(",")) {
    const [from, to] = part.split("-").map((d) => DAYS.indexOf(d));
    if (from === undefined || from < 0 || (to !== undefined && to < 0)) throw new Error(`off-hours estimate: unknown day in "${part}"`);
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === (to ?? from)) break;
    }
  }
  return { minuteOfDay: Number(m[2]) * 60 + Number(m[1]), days: days.size };
}

/** Hours a month between a start and a stop cron expression (same days), at 730 hours a month. */
export function monthlyHoursBetween(start: string, stop: string, hoursPerMonth = 730): number {
  const a = parseDailyCron(start);
  const b = parseDailyCron(stop);
  return (a.days * (b.minuteOfDay - a.minuteOfDay)) / 60 * (hoursPerMonth / 168);
}

/** The first `type.name` a Terraform expression refers to (`${type.name.attr}`, or inside a function call). */
function referenced(value: unknown, type: string): string | undefined {
  const match = new RegExp(`(?:\\$\\{|[\\[( ])${type}\\.([\\w-]+)\\.`).exec(typeof value === "string" ? value : "");
  return match ? `${type}.${match[1]}` : undefined;
}

/** The stack's estimate with its off-hours schedule; undefined when nothing in it is scheduled. */
export function offHoursEstimate(json: StackJson, estimate: StackEstimate, prices: PriceSnapshot, hoursPerMonth = 730): OffHoursEstimate | undefined {
  const resources = json.resource ?? {};
  const all = (type: string) => Object.entries(resources[type] ?? {});

  // Services: scalable target -> its ECS service; scheduled actions to zero mark the stop.
  let serviceHours: number | undefined;
  const scheduledServices = new Set<string>();
  for (const [name, target] of all("aws_appautoscaling_target")) {
    const actions = all("aws_appautoscaling_scheduled_action")
      .map(([, a]) => a)
      .filter((a) => referenced(a["resource_id"], "aws_appautoscaling_target") === `aws_appautoscaling_target.${name}`);
    const capacity = (a: Resource) => Number((a["scalable_target_action"] as { max_capacity?: string } | undefined)?.max_capacity);
    const stop = actions.find((a) => capacity(a) === 0);
    const start = actions.find((a) => capacity(a) > 0);
    const service = referenced(target["resource_id"], "aws_ecs_service");
    if (!stop || !start || !service) continue;
    scheduledServices.add(service);
    const hours = monthlyHoursBetween(String(start["schedule"]), String(stop["schedule"]), hoursPerMonth);
    if (serviceHours !== undefined && Math.abs(serviceHours - hours) > 1e-9) {
      throw new Error("off-hours estimate: the services have different schedules; the estimate assumes one");
    }
    serviceHours = hours;
  }

  // Instances: EventBridge Scheduler start/stop schedules naming the instance.
  let hostHours: number | undefined;
  let hostSaving = 0;
  const byTarget = (api: string) =>
    all("aws_scheduler_schedule")
      .map(([, s]) => s)
      .filter((s) => (s["target"] as { arn?: string } | undefined)?.arn === `arn:aws:scheduler:::aws-sdk:ec2:${api}`);
  for (const stop of byTarget("stopInstances")) {
    const instance = referenced((stop["target"] as { input?: string }).input, "aws_instance");
    const start = byTarget("startInstances").find((s) => referenced((s["target"] as { input?: string }).input, "aws_instance") === instance);
    if (!instance || !start) continue;
    const r = resources["aws_instance"]?.[instance.split(".")[1]!];
    const hourly = prices.prices[`ec2.${String(r?.["instance_type"])}.hour`]?.usd;
    if (hourly === undefined) continue;
    hostHours = monthlyHoursBetween(String(start["schedule_expression"]), String(stop["schedule_expression"]), hoursPerMonth);
    hostSaving += (hoursPerMonth - hostHours) * hourly;
  }

  if (serviceHours === undefined && hostHours === undefined) return undefined;
  const serviceSaving = estimate.lines
    .filter((l) => l.type === "aws_ecs_service" && scheduledServices.has(l.address))
    .reduce((sum, l) => sum + l.monthlyUsd * (1 - (serviceHours ?? hoursPerMonth) / hoursPerMonth), 0);
  const savedUsd = serviceSaving + hostSaving;
  return {
    serviceHours: serviceHours ?? hoursPerMonth,
    ...(hostHours !== undefined ? { hostHours } : {}),
    monthlyUsd: estimate.monthlyUsd - savedUsd,
    savedUsd,
  };
}

/** One line for the text and Markdown outputs. */
export function offHoursLine(e: OffHoursEstimate): string {
  const host = e.hostHours !== undefined ? `, the database host ${Math.round(e.hostHours)} h` : "";
  return (
    `with the off-hours schedule (COST-2): $${e.monthlyUsd.toFixed(2)} a month ($${e.savedUsd.toFixed(2)} less; ` +
    `services ${Math.round(e.serviceHours)} h${host} of 730 h, assuming no public holidays or on-demand wakes)`
  );
}
