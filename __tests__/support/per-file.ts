/**
 * Runs before each test file (vitest.config.ts `setupFiles`). Under Stryker every run must synthesize
 * the mutated code, so the stacks cached by an earlier file (or an earlier mutant) are dropped.
 */
import { clearSynthCache } from "./synth";

if (process.env["STRYKER_MUTATOR_WORKER"] !== undefined) clearSynthCache();
