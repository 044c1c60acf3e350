/**
 * COST-2: validation of an environment's off-hours schedule. The times become cron expressions of
 * EventBridge Scheduler and Application Auto Scaling, which accept almost anything; a schedule that
 * parses but means something else (a stop before the start, a host started the day before) is
 * refused here, naming `environment.schedule.<field>`.
 */
import type { EnvironmentDefinition } from "./types";

/** Minutes the database host starts before the services, and stops after them. */
export const DATABASE_HOST_LEAD_MINUTES = 15;

const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const DAY = `(${DAY_NAMES.join("|")})`;
/** A cron day-of-week field of day names: single days, ranges, comma-separated. */
const WEEKDAYS = new RegExp(`^${DAY}(-${DAY})?(,${DAY}(-${DAY})?)*$`);
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** "07:45" -> 465; undefined when not HH:MM. */
export function minutesOfDay(time: string): number | undefined {
  const m = TIME.exec(time);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/** Whether the runtime (and so AWS, which uses the same IANA database) knows the time zone. */
function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function scheduleProblems(env: EnvironmentDefinition): string[] {
  const problems: string[] = [];
  const s = env.schedule;
  const at = (field: string, message: string) => problems.push(`${env.name}.schedule.${field}: ${message}`);
  if (!isTimeZone(s.timezone)) at("timezone", `"${s.timezone}" is not an IANA time zone (e.g. "Europe/Berlin")`);
  if (!WEEKDAYS.test(s.weekdays)) {
    at("weekdays", `"${s.weekdays}" is not a cron day-of-week field of day names (e.g. "MON-FRI" or "MON,WED,FRI")`);
  } else {
    // Cron ranges run SUN..SAT; a range that wraps around the week is not one AWS documents. A single
    // day has no second part (undefined), and nothing is greater than undefined: never backwards.
    for (const range of s.weekdays.split(",")) {
      const [from, to] = range.split("-").map((d) => DAY_NAMES.indexOf(d));
      if (from! > to!) at("weekdays", `the range ${range} runs backwards (days run SUN to SAT); list the days, e.g. "SUN-MON,FRI-SAT"`);
    }
  }
  const start = minutesOfDay(s.start);
  const stop = minutesOfDay(s.stop);
  if (start === undefined) at("start", `"${s.start}" is not a 24-hour time HH:MM`);
  if (stop === undefined) at("stop", `"${s.stop}" is not a 24-hour time HH:MM`);
  if (start !== undefined && stop !== undefined) {
    if (stop <= start) at("stop", `${s.stop} is not after start ${s.start}; the schedule runs within one day`);
    else if (stop - start < 2 * DATABASE_HOST_LEAD_MINUTES) {
      at("stop", `${s.stop} is less than ${2 * DATABASE_HOST_LEAD_MINUTES} minutes after start ${s.start}; the alarms wake ${DATABASE_HOST_LEAD_MINUTES} minutes after the start`);
    }
    if (start < DATABASE_HOST_LEAD_MINUTES) {
      at("start", `${s.start} leaves no ${DATABASE_HOST_LEAD_MINUTES} minutes before midnight for the database host to start first`);
    }
    if (stop + DATABASE_HOST_LEAD_MINUTES > 23 * 60 + 59) {
      at("stop", `${s.stop} leaves no ${DATABASE_HOST_LEAD_MINUTES} minutes before midnight for the database host to stop after the services`);
    }
  }
  return problems;
}
