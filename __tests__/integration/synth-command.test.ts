/**
 * CFG-5: what a person at the terminal sees from a synth. The real commands run as child processes:
 * `tsx main.ts` (what `npm run synth` runs) with the shipped configuration, and, with configuration
 * AWS and GitHub would reject, `__tests__/fixtures/refused-synth.ts` (the same `runSynth` as
 * main.ts) directly and through the cdktf CLI (`cdktf synth --app`, as `npx cdktf synth` runs
 * cdktf.json's app). A refused synth prints each problem once, one line each, no stack trace,
 * exits non-zero and writes nothing; a successful one prints one line per stack written.
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { EXPECTED_PROBLEMS, EXPECTED_REFUSAL } from "../support/refused-synth";

const ROOT = resolve(__dirname, "..", "..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");
const CDKTF = join(ROOT, "node_modules", ".bin", "cdktf");
const REFUSED = join(ROOT, "__tests__", "fixtures", "refused-synth.ts");


/** The cdktf CLI and a full synth take tens of seconds on the shared 2-core CI machine. */
const SLOW_COMMAND_MS = 180_000;

/** A stack trace line as Node prints it: `    at fn (file:line:col)`. */
const STACK_FRAME = /^\s+at .+/m;

const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

/** A scratch working directory with a previous synth's output in it, to see that nothing changes. */
function workdirWithPreviousOutput(): { dir: string; snapshot: () => Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), "tracker-synth-cmd-"));
  const out = join(dir, "cdktf.out");
  mkdirSync(join(out, "stacks", "tracker-staging"), { recursive: true });
  writeFileSync(join(out, "manifest.json"), '{"stacks":{"tracker-staging":{"synthesizedStackPath":"stacks/tracker-staging/cdk.tf.json"}}}');
  writeFileSync(join(out, "stacks", "tracker-staging", "cdk.tf.json"), '{"previous":"synth"}');
  const snapshot = () => {
    const files: Record<string, string> = {};
    const walk = (path: string, rel: string) => {
      for (const entry of readdirSync(path, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(join(path, entry.name), `${rel}${entry.name}/`);
        else files[`${rel}${entry.name}`] = readFileSync(join(path, entry.name), "utf8");
      }
    };
    walk(out, "");
    return files;
  };
  return { dir, snapshot };
}

const quietEnv = { ...process.env, CHECKPOINT_DISABLE: "1", CDKTF_DISABLE_TELEMETRY: "true", FORCE_COLOR: "0" };

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion without blocking the test worker (a synth takes seconds). */
function runCommand(command: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env: quietEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", fail);
    child.on("close", (status) => done({ status, stdout, stderr }));
  });
}

describe("CFG-5: a refused synth reports each problem once, without a stack trace", () => {
  it("CFG-5: the synth entry point exits 1, prints exactly the problem list on stderr, nothing on stdout, and creates no cdktf.out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tracker-synth-refused-"));
    const run = await runCommand(TSX, [REFUSED], dir);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).not.toMatch(STACK_FRAME);
    for (const line of EXPECTED_PROBLEMS) expect(occurrences(run.stderr, line.trim()), line).toBe(1);
    expect(run.stderr).toBe(`${EXPECTED_REFUSAL.join("\n")}\n`);
    expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
  });

  it("CFG-5: through the cdktf CLI the synth fails, with no stack trace, each problem once in the app's report and once in the CLI's summary, and the previous output untouched", async () => {
    const { dir, snapshot } = workdirWithPreviousOutput();
    copyFileSync(join(ROOT, "cdktf.json"), join(dir, "cdktf.json"));
    const before = snapshot();
    const run = await runCommand(CDKTF, ["synth", "--app", `${TSX} ${REFUSED}`, "--output", "cdktf.out"], dir);
    const stdout = stripAnsi(run.stdout);
    const stderr = stripAnsi(run.stderr);
    expect(run.status).not.toBe(0);
    expect(stdout).not.toMatch(STACK_FRAME);
    expect(stderr).not.toMatch(STACK_FRAME);
    // The CLI logs the app's stderr as it comes (its stdout) and quotes it again in its closing
    // error summary (its stderr); the app itself must contribute each problem exactly once to each.
    for (const line of EXPECTED_PROBLEMS) {
      expect(occurrences(stdout, line.trim()), `stdout: ${line}`).toBe(1);
      expect(occurrences(stderr, line.trim()), `stderr: ${line}`).toBe(1);
    }
    expect(stderr).toMatch(/cdktf encountered an error while synthesizing/);
    expect(snapshot()).toEqual(before);
  }, SLOW_COMMAND_MS);
});

describe("CFG-5: a successful synth says what it wrote", () => {
  it("CFG-5: `tsx main.ts` prints one line per stack written, and each file exists", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tracker-synth-ok-"));
    const run = await runCommand(TSX, [join(ROOT, "main.ts")], dir);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(
      [
        "synthesized tracker-bootstrap-production -> cdktf.out/stacks/tracker-bootstrap-production/cdk.tf.json",
        "synthesized tracker-bootstrap-staging -> cdktf.out/stacks/tracker-bootstrap-staging/cdk.tf.json",
        "synthesized tracker-production -> cdktf.out/stacks/tracker-production/cdk.tf.json",
        "synthesized tracker-staging -> cdktf.out/stacks/tracker-staging/cdk.tf.json",
        "",
      ].join("\n"),
    );
    for (const stack of ["tracker-bootstrap-production", "tracker-bootstrap-staging", "tracker-production", "tracker-staging"]) {
      const file = join(dir, "cdktf.out", "stacks", stack, "cdk.tf.json");
      expect((JSON.parse(readFileSync(file, "utf8")) as { terraform?: unknown }).terraform, stack).toBeDefined();
    }
  }, SLOW_COMMAND_MS);
});
