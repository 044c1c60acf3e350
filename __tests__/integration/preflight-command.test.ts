/**
 * RUN-2: \`npm run preflight\` as the operator runs it, a real process (tsx): its exit codes and what it
 * prints. The checks themselves are tested in-process in __tests__/preflight.test.ts.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..", "..");

describe("RUN-2: npm run preflight, a real process", () => {
  it("RUN-2: usage: --help exits 0, no or an unknown environment exits 2 (npm run preflight, a real process)", () => {
    const help = spawnSync("npx", ["tsx", "scripts/preflight.ts", "--help"], { cwd: root, encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run preflight -- <environment>/);
    const unknown = spawnSync("npx", ["tsx", "scripts/preflight.ts", "prod"], { cwd: root, encoding: "utf8" });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('preflight: unknown environment "prod" (one of: staging, production)');
    const refused = spawnSync("npx", ["tsx", "scripts/preflight.ts", "production"], { cwd: root, encoding: "utf8" });
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain("FAIL production.dataPlane.postgres.cidrs[0]");
  });

});
