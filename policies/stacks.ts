/**
 * The stacks the policy suite evaluates, by their cdktf stack IDs (stacks/app.ts). Rules declare
 * in which of them they expect subjects (`Rule.expectedIn`); a test keeps these names equal to
 * the app's stacks.
 */
export const STAGING_STACK = "tracker-staging";
export const PRODUCTION_STACK = "tracker-production";
export const BOOTSTRAP_STAGING_STACK = "tracker-bootstrap-staging";
export const BOOTSTRAP_PRODUCTION_STACK = "tracker-bootstrap-production";

/** The two environment stacks (network, services, edge, observability). */
export const ENVIRONMENT_STACKS: readonly string[] = [STAGING_STACK, PRODUCTION_STACK];
/** The two per-account bootstrap stacks (state bucket, ECR, CI roles). */
export const BOOTSTRAP_STACKS: readonly string[] = [BOOTSTRAP_STAGING_STACK, BOOTSTRAP_PRODUCTION_STACK];
export const EVERY_STACK: readonly string[] = [...ENVIRONMENT_STACKS, ...BOOTSTRAP_STACKS];
