import { defineConfig } from "vitest/config";
import { CollectionFailureReporter } from "./__tests__/support/collection-failure-reporter";

/**
 * `npm test`: every suite that runs in-process (synth, the policy rules, the IAM evaluator, the
 * operator commands' logic, the workflows' scripts). The suites that start real programs for seconds
 * at a time (Terraform runs of the runbooks, live PostgreSQL/Valkey, the cdktf CLI, each command as a
 * process) are `__tests__/integration/`, run by `npm run test:integration` (vitest.integration.config.ts).
 */
export const INTEGRATION_TESTS = "__tests__/integration/**/*.test.ts";

export default defineConfig({
  test: {
    include: ["__tests__/**/*.test.ts"],
    exclude: [INTEGRATION_TESTS, "**/node_modules/**"],
    environment: "node",
    // Synthesizing a stack takes a second or two; give slow machines room.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // One module registry per worker, not per file: the provider bindings and the stacks load once per
    // worker instead of once per file (half of the suite's time). Synthesized stacks are cached per
    // worker and deep-frozen (__tests__/support/synth.ts), so no file can change what another reads;
    // __tests__/support/per-file.ts empties that cache between files under Stryker.
    isolate: false,
    setupFiles: ["__tests__/support/per-file.ts"],
    // The console report, plus a JSON summary that .ci/run checks for skipped tests.
    // Under Stryker (which sets STRYKER_MUTATOR_WORKER) the sandbox shares node_modules with the checkout,
    // so the summary is not written there, and a file that fails to collect counts as a failed test
    // (__tests__/support/collection-failure-reporter.ts).
    reporters:
      process.env.STRYKER_MUTATOR_WORKER === undefined ? ["default", "json"] : ["default", new CollectionFailureReporter()],
    outputFile: { json: "node_modules/.cache/vitest-report.json" },
  },
});
