import { defineConfig } from "vitest/config";
import { INTEGRATION_TESTS } from "./vitest.config";

/**
 * `npm run test:integration`: the suites that run real programs for seconds at a time: the runbooks'
 * blocks under Terraform 1.11, PostgreSQL and Valkey started with the host's own files, the cdktf CLI,
 * and every operator command as a process. `bash .ci/run` runs it after `npm test`.
 */
export default defineConfig({
  test: {
    include: [INTEGRATION_TESTS],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: "forks",
    reporters: ["default", "json"],
    outputFile: { json: "node_modules/.cache/vitest-integration-report.json" },
  },
});
