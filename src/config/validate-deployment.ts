/**
 * Validation of the public services' rollout (DLV-1): values ECS would reject at apply
 * (`CanaryConfiguration`: percent 0.1..100 in steps of 0.1, bake times 0..1440 whole minutes), a
 * strategy other than the one production uses, and a canary phase too short for the alarms to see.
 * (The admin allow-list must fit the one listener rule whose weights ECS shifts: `validate-aws-limits.ts`.)
 * Each problem is prefixed `<env>.deployment.<field>`; `crossEnvironmentDeploymentProblems` holds
 * staging to production's strategy (ACC-3, DLV-1).
 */
import type { EnvironmentDefinition } from "./types";

/** ECS's limits on `canaryBakeTimeInMinutes` and `bakeTimeInMinutes`. */
export const BAKE_MINUTES_RANGE = { min: 0, max: 1440 } as const;

/** ECS's limits on `canaryPercent` (multiples of 0.1). */
export const CANARY_PERCENT_RANGE = { min: 0.1, max: 100 } as const;

/** The strategies the public services may use (DLV-1). */
const STRATEGIES: readonly string[] = ["CANARY"];

export function deploymentProblems(env: EnvironmentDefinition): string[] {
  const problems: string[] = [];
  const at = (field: string, message: string) => problems.push(`${env.name}.${field}: ${message}`);
  const deployment = env.deployment;
  if (!STRATEGIES.includes(deployment.strategy)) {
    at("deployment.strategy", `"${deployment.strategy}" is not supported; the public services deploy with ECS's built-in "CANARY" strategy (DLV-1)`);
  }
  const percent = deployment.canaryPercent;
  const tenths = Math.round(percent * 10);
  if (
    // Number.isFinite is false for NaN, the infinities and anything that is not a number (a "10").
    !Number.isFinite(percent) ||
    percent < CANARY_PERCENT_RANGE.min ||
    percent > CANARY_PERCENT_RANGE.max ||
    Math.abs(percent * 10 - tenths) > 1e-9
  ) {
    at("deployment.canaryPercent", `must be a percentage from ${CANARY_PERCENT_RANGE.min} to ${CANARY_PERCENT_RANGE.max} in steps of 0.1, got ${percent}`);
  } else if (percent === 100) {
    at("deployment.canaryPercent", "100 sends all traffic to the new revision at once, which is no canary; use a small share such as 10");
  }
  for (const field of ["canaryBakeMinutes", "bakeMinutes"] as const) {
    const minutes = deployment[field];
    if (!Number.isInteger(minutes) || minutes < BAKE_MINUTES_RANGE.min || minutes > BAKE_MINUTES_RANGE.max) {
      at(`deployment.${field}`, `must be whole minutes from ${BAKE_MINUTES_RANGE.min} to ${BAKE_MINUTES_RANGE.max}, got ${minutes}`);
    }
  }
  if (deployment.canaryBakeMinutes === 0) {
    at("deployment.canaryBakeMinutes", "must be at least 1 minute: with 0 the canary share is skipped and the rollback alarms never see it");
  }
  return problems;
}

/** DLV-1, ACC-3: every environment deploys its public services with the same strategy. */
export function crossEnvironmentDeploymentProblems(envs: readonly EnvironmentDefinition[]): string[] {
  const [first, ...rest] = envs;
  if (!first) return [];
  return rest
    .filter((env) => env.deployment.strategy !== first.deployment.strategy)
    .map(
      (env) =>
        `${env.name}.deployment.strategy: "${env.deployment.strategy}" differs from ${first.name}'s "${first.deployment.strategy}"; staging rehearses production's rollout (DLV-1)`,
    );
}
