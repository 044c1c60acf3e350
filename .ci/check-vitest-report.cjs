#!/usr/bin/env node
// Reads vitest's JSON report (vitest.config.ts writes it) and fails on any test that did not run:
// in CI a skipped, pending or todo test proves nothing, so it counts as a failure.
// Usage: node .ci/check-vitest-report.cjs [path/to/vitest-report.json]
"use strict";
const path = require("node:path");
const file = path.resolve(process.argv[2] ?? "node_modules/.cache/vitest-report.json");
const r = require(file);
const notRun = [];
for (const suite of r.testResults ?? []) {
  for (const t of suite.assertionResults ?? []) {
    if (t.status !== "passed" && t.status !== "failed") notRun.push(`  ${t.status}: ${t.fullName} (${path.relative(process.cwd(), suite.name)})`);
  }
}
const counted = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${Math.max(counted, notRun.length)} skipped/todo`);
if (counted > 0 || notRun.length > 0) {
  for (const line of notRun) console.error(line);
  console.error(
    "CI fails on skipped tests: install the missing tool (bash .ci/install-test-tools.sh; README, \"The two commands\") or remove the skip.",
  );
  process.exit(1);
}
