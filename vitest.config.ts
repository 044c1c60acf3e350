import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["__tests__/**/*.test.ts"],
    environment: "node",
    // Synthesizing a stack takes a second or two; give slow machines room.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // The console report, plus a JSON summary that .ci/run turns into its closing "N passed, N failed".
    // Under Stryker (which sets STRYKER_MUTATOR_WORKER) the sandbox shares node_modules with the checkout,
    // so the summary is not written there.
    reporters: process.env.STRYKER_MUTATOR_WORKER === undefined ? ["default", "json"] : ["default"],
    outputFile: { json: "node_modules/.cache/vitest-report.json" },
  },
});
