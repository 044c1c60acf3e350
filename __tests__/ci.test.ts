/**
 * CD-1 (no silent skips): a test that needs a missing tool fails under CI with a message naming
 * the tool and where it comes from, and `.ci/run` fails when vitest reports any test that did
 * not run (skipped, pending, todo).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { OPENSSL, SHELLCHECK, TERRAFORM, requireTool, toolAvailable } from "./support/tools";

const root = join(__dirname, "..");
const missing = () => false;

describe("CD-1: a missing tool fails under CI and skips (with the same message) elsewhere", () => {
  it.each([TERRAFORM, SHELLCHECK, OPENSSL])("CD-1: $command", (tool) => {
    const skipped: string[] = [];
    const ctx = { skip: () => void skipped.push(tool.command) };
    expect(() => requireTool(ctx, tool, { CI: "true" }, missing)).toThrow(
      `${tool.command} is not installed or not on PATH: ${tool.source}`,
    );
    expect(skipped).toEqual([]);
    requireTool(ctx, tool, {}, missing);
    expect(skipped).toEqual([tool.command]);
    requireTool(ctx, tool, { CI: "true" }, () => true);
    expect(skipped).toEqual([tool.command]);
  });

  it("CD-1: each tool says where it comes from; terraform is preinstalled at /usr/local/bin", () => {
    expect(TERRAFORM.source).toMatch(/preinstalled on the CI machines at \/usr\/local\/bin\/terraform/);
    expect(SHELLCHECK.source).toMatch(/\.ci\/install-test-tools\.sh/);
    expect(OPENSSL.source).toMatch(/\.ci\/install-test-tools\.sh/);
    const installer = readFileSync(join(root, ".ci", "install-test-tools.sh"), "utf8");
    for (const pkg of ["shellcheck", "openssl"]) expect(installer).toMatch(new RegExp(`^\\s+${pkg}$`, "m"));
    expect(installer).toMatch(/command -v terraform >\/dev\/null \|\| \{/);
    expect(toolAvailable({ command: "no-such-tool-here", versionArgs: ["--version"], source: "nowhere" })).toBe(false);
  });
});

describe("CD-1: .ci/run fails when vitest reports a test that did not run", () => {
  const dir = mkdtempSync(join(tmpdir(), "vitest-report-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const check = (report: object) => {
    const file = join(dir, "report.json");
    writeFileSync(file, JSON.stringify(report));
    return spawnSync(process.execPath, [join(root, ".ci", "check-vitest-report.cjs"), file], { encoding: "utf8", cwd: root });
  };
  const result = (status: string, fullName: string) => ({ status, fullName });
  const report = (statuses: string[]) => ({
    numPassedTests: statuses.filter((s) => s === "passed").length,
    numFailedTests: 0,
    numPendingTests: statuses.filter((s) => s === "pending" || s === "skipped").length,
    numTodoTests: statuses.filter((s) => s === "todo").length,
    testResults: [{ name: join(root, "__tests__", "x.test.ts"), assertionResults: statuses.map((s, i) => result(s, `t${i}`)) }],
  });

  it("CD-1: every test ran: exit 0", () => {
    const out = check(report(["passed", "passed"]));
    expect(out.status).toBe(0);
    expect(out.stdout.trim()).toBe("vitest: 2 passed, 0 failed, 0 skipped/todo");
  });

  it.each(["pending", "skipped", "todo"])("CD-1: one %s test: exit 1, naming it", (status) => {
    const out = check(report(["passed", status]));
    expect(out.status).toBe(1);
    expect(out.stderr).toContain(`${status}: t1 (__tests__/x.test.ts)`);
    expect(out.stderr).toContain("CI fails on skipped tests");
  });

  it("CD-1: .ci/run sets CI=true and runs the check right after npm test", () => {
    const run = readFileSync(join(root, ".ci", "run"), "utf8");
    expect(run).toMatch(/^export CI=true$/m);
    expect(run).toMatch(/^npm test\n(?:#.*\n)*node \.ci\/check-vitest-report\.cjs node_modules\/\.cache\/vitest-report\.json$/m);
  });
});
