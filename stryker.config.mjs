// @ts-check
/**
 * Mutation testing (StrykerJS 9.6, the last line that runs on Node 20): `npm run mutation`, or one
 * folder at a time with `npm run mutation -- --mutate 'scripts/lib/**\/*.ts'`. Not part of `npm test`.
 * The HTML report lands in reports/mutation/mutation.html; README "Mutation testing" has the scores.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner", "./stryker.mutant-events.mjs"],
  vitest: { configFile: "vitest.config.ts", related: true },
  checkers: [],
  mutate: ["src/**/*.ts", "stacks/**/*.ts", "policies/**/*.ts", "scripts/lib/**/*.ts"],
  // Per-test coverage: each mutant runs only the tests that execute it.
  coverageAnalysis: "perTest",
  // Static mutants (module-level data such as the catalog and environment definitions) each need a
  // full reload of the suite (~40 s); the written-out contract tests (__tests__/support/contract.ts)
  // cover that data instead.
  ignoreStatic: true,
  // Re-runs only test what changed since the last run; the file is a local cache under reports/.
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  // mutant-events (stryker.mutant-events.mjs) writes one file per tested mutant to reports/mutation/events
  // as the run goes, so the survivors of a long run can be read (and worked on) before it ends:
  // npm run mutation:survivors
  reporters: ["html", "json", "clear-text", "progress", "mutant-events"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  // The machine is shared: one test runner process at a time.
  concurrency: 1,
  // A mutant that makes a test hang (an infinite retry loop) is killed after this much more than the test took.
  timeoutMS: 10_000,
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  thresholds: { high: 90, low: 85, break: null },
};
