/**
 * Issue 11: every operator command explains itself. `--help`/`-h` prints a usage text with its
 * options and an example and exits 0 without touching AWS; a usage error exits 2 and points at
 * `--help`. The commands run for real here (tsx, as `npm run <script>` runs them).
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = join(__dirname, "..", "..");
const tsx = join(root, "node_modules", ".bin", "tsx");

/** The options each operator command takes, as its runbook documents them. */
const DOCUMENTED_OPTIONS: Record<string, readonly string[]> = {
  "scripts/smoke.ts": ["--env", "--wait", "--timeout", "--attempts", "--stuck-after"],
  "scripts/rollback.ts": ["--env", "--service", "--dry-run", "--baseline", "--timeout", "--poll"],
  "scripts/current-image-tags.ts": ["--env", "--override", "--format", "--snapshot", "--require-all", "--placeholder"],
  "scripts/plan-summary.ts": ["--stack", "--env", "--plan-text", "--plan-json", "--cost", "--failed", "--out"],
  "scripts/ci-environments.ts": ["--write", "--build-targets"],
  "scripts/bench.ts": ["--runs"],
  "scripts/wake.ts": ["--env", "--sleep", "--dry-run", "--timeout"],
  "scripts/generate.ts": ["--check", "--root"],
};

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function command(script: string, args: readonly string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(tsx, [script, ...args], { cwd: root, env: { ...process.env, AWS_REGION: "eu-central-1" } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** Every command under scripts/ (each file there is one), so a new command cannot skip its help. */
const commands = readdirSync(join(root, "scripts"))
  .filter((f) => f.endsWith(".ts"))
  .map((f) => `scripts/${f}`)
  .sort();

const help = new Map<string, Outcome>();

beforeAll(async () => {
  // Two at a time keeps a 2-core runner responsive; each start is about a second.
  for (let i = 0; i < commands.length; i += 2) {
    const pair = commands.slice(i, i + 2);
    const outcomes = await Promise.all(pair.map((script) => command(script, ["--help"])));
    pair.forEach((script, k) => help.set(script, outcomes[k]!));
  }
}, 300_000);

describe("issue 11: --help on every command", () => {
  it("every npm script that runs a command under scripts/ is one of the commands checked here", () => {
    const scripts = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    const referenced = Object.values(scripts).flatMap((line) => [...line.matchAll(/tsx (scripts\/[\w-]+\.ts)/g)].map((m) => m[1]!));
    expect(referenced.length).toBeGreaterThan(0);
    for (const script of referenced) expect(commands).toContain(script);
  });

  it.each(commands)("%s --help prints its usage and an example on stdout and exits 0", (script) => {
    const outcome = help.get(script)!;
    expect(outcome.stderr).toBe("");
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^Usage: /);
    expect(outcome.stdout).toMatch(/\nExample:\n {2}\S/);
    expect(outcome.stdout).not.toMatch(/Unknown option/);
  });

  it("-h is the same as --help (smoke)", async () => {
    expect(await command("scripts/smoke.ts", ["-h"])).toEqual(help.get("scripts/smoke.ts"));
  });

  it.each(Object.entries(DOCUMENTED_OPTIONS))("%s --help lists every option it accepts", (script, options) => {
    const text = help.get(script)!.stdout;
    for (const option of options) expect(text).toContain(`  ${option}`);
  });

  it("a usage error exits 2, names the problem once and points at --help (smoke, with no AWS contacted)", async () => {
    const outcome = await command("scripts/smoke.ts", ["--bogus"]);
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe("");
    expect(outcome.stderr.match(/Unknown option '--bogus'/g)).toHaveLength(1);
    expect(outcome.stderr).toContain("smoke: see 'smoke --help' for the options");
    expect(outcome.stderr).not.toMatch(/\n\s+at /);
  });

  it("a missing --env is a usage error listing the environments (rollback)", async () => {
    const outcome = await command("scripts/rollback.ts", []);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain("rollback: --env is required (one of: staging, production)");
  });
});
