/**
 * Small pieces the operator commands share: the clock (injectable so tests run without waiting),
 * environment and service lookup from the configuration, and argument helpers.
 */
import { ENVIRONMENTS } from "../../src/config/environments";
import { SERVICE_NAMES } from "../../src/config/service-catalog";
import type { EnvironmentDefinition, ServiceName } from "../../src/config/types";

/** Time, injectable: tests use a fake clock whose `sleep` only advances `now`. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Where progress lines go (stdout in the commands, an array in tests). */
export type Log = (line: string) => void;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The environment definition named on the command line, or a usage error listing the valid names. */
export function environmentByName(name: string | undefined): EnvironmentDefinition {
  const names = ENVIRONMENTS.map((e) => e.name);
  if (!name) throw new UsageError(`--env is required (one of: ${names.join(", ")})`);
  const found = ENVIRONMENTS.find((e) => e.name === name);
  if (!found) throw new UsageError(`unknown environment "${name}" (one of: ${names.join(", ")})`);
  return found;
}

export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

/** Service names from `--service` options (repeatable, comma-separated allowed); all when none. */
export function selectServices(requested: readonly string[] | undefined): readonly ServiceName[] {
  const names = (requested ?? []).flatMap((r) => r.split(",")).map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) return SERVICE_NAMES;
  const unknown = names.filter((n) => !isServiceName(n));
  if (unknown.length > 0) {
    throw new UsageError(`unknown service(s) ${unknown.join(", ")} (known: ${SERVICE_NAMES.join(", ")})`);
  }
  return SERVICE_NAMES.filter((s) => names.includes(s));
}

/** Parses a duration such as `90`, `90s`, `15m` into milliseconds. */
export function parseDuration(value: string | undefined, fallbackMs: number, option: string): number {
  if (value === undefined) return fallbackMs;
  const match = /^(\d+)(ms|s|m)?$/.exec(value.trim());
  if (!match) throw new UsageError(`${option}: expected a duration like 90s or 15m, got "${value}"`);
  const amount = Number(match[1]);
  const unit = match[2] ?? "s";
  return unit === "ms" ? amount : unit === "s" ? amount * 1000 : amount * 60_000;
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
}
