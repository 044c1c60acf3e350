/**
 * RUN-1: runs a runbook's shell block as written, in a copy of the repository, with the commands
 * that need AWS or the Terraform registry replaced by the stand-ins of `runbook-stand-ins.ts`.
 * Blocks are found by their marker, `<!-- runbook: <name> ... -->`, on the line before the fence.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, delimiter, join } from "node:path";
import type { StandInCall } from "./runbook-stand-ins";

export const REPOSITORY_ROOT = join(__dirname, "..", "..");

/** The local provider mirror of this machine (hashicorp/aws 5.100); the registry where there is none. */
export const PROVIDER_MIRROR = process.env.TF_PROVIDER_MIRROR ?? "/opt/tf-plugins";

/** The shell block that follows `<!-- runbook: <name>` in a Markdown file (relative to the repository). */
export function runbookBlock(file: string, name: string): string {
  const text = readFileSync(join(REPOSITORY_ROOT, file), "utf8");
  const pattern = new RegExp(`<!-- runbook: ${name}\\b[^>]*-->\\s*\\n\`\`\`sh\\n([\\s\\S]*?)\\n\`\`\`\\n`);
  const match = pattern.exec(text);
  if (!match) throw new Error(`${file}: no \`\`\`sh block after <!-- runbook: ${name} -->`);
  return `${match[1]}\n`;
}

/** A copy of the repository without build output, state or git, its node_modules linked. */
export function makeWorkspace(): string {
  const workspace = mkdtempSync(join(tmpdir(), "runbook-"));
  const skip = new Set(["node_modules", ".git", "cdktf.out", "bootstrap-state", "coverage", ".terraform"]);
  cpSync(REPOSITORY_ROOT, workspace, {
    recursive: true,
    filter: (source) => !skip.has(basename(source)) && !source.endsWith(".tfstate"),
  });
  symlinkSync(join(REPOSITORY_ROOT, "node_modules"), join(workspace, "node_modules"), "dir");
  return workspace;
}

let cacheDirectory: string | undefined;
function registryCache(): string {
  cacheDirectory ??= mkdtempSync(join(tmpdir(), "runbook-plugin-cache-"));
  return cacheDirectory;
}

export interface RunbookRun {
  readonly status: number;
  readonly output: string;
  readonly calls: readonly StandInCall[];
  /** Where the stand-in state buckets are: `<buckets>/<bucket>/<key>`. */
  readonly buckets: string;
}

/** Which binaries must exist for a run; a missing one fails the test with this message (never a skip). */
export function missingTools(): string[] {
  const missing: string[] = [];
  if (spawnSync("terraform", ["version"], { encoding: "utf8" }).status !== 0) {
    missing.push("terraform (1.11) is not on PATH: the runbook tests run it for real");
  }
  return missing;
}

/**
 * Runs `script` with bash (`set -euo pipefail`, stdin closed: a prompt fails instead of waiting)
 * in `workspace`, the stand-ins first on PATH.
 */
export async function runRunbook(workspace: string, script: string, extraEnv: Record<string, string> = {}): Promise<RunbookRun> {
  const scratch = mkdtempSync(join(tmpdir(), "runbook-tools-"));
  const shims = join(scratch, "bin");
  const buckets = join(scratch, "buckets");
  const log = join(scratch, "calls.jsonl");
  mkdirSync(shims);
  mkdirSync(buckets);
  writeFileSync(log, "");
  const tsx = join(REPOSITORY_ROOT, "node_modules", ".bin", "tsx");
  const standIns = join(__dirname, "runbook-stand-ins.ts");
  for (const command of ["npm", "npx", "terraform", "aws"]) {
    const shim = join(shims, command);
    writeFileSync(shim, `#!/usr/bin/env bash\nexec "${tsx}" "${standIns}" ${command} "$@"\n`);
    chmodSync(shim, 0o755);
  }
  const cliConfig = join(scratch, "terraform.rc");
  writeFileSync(
    cliConfig,
    existsSync(PROVIDER_MIRROR)
      ? `provider_installation {\n  filesystem_mirror {\n    path    = "${PROVIDER_MIRROR}"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`
      : // No mirror (e.g. GitHub's runners): the registry, each provider downloaded once per test process.
        `plugin_cache_dir = "${registryCache()}"\nprovider_installation {\n  direct {}\n}\n`,
  );
  const scriptFile = join(scratch, "runbook.sh");
  writeFileSync(scriptFile, `set -euo pipefail\n${script}`);
  const realPath = process.env.PATH ?? "";
  const child = spawn("bash", [scriptFile], {
    cwd: workspace,
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 600_000,
    env: {
      ...process.env,
      PATH: `${shims}${delimiter}${realPath}`,
      RUNBOOK_REAL_PATH: realPath,
      RUNBOOK_LOG: log,
      RUNBOOK_BUCKETS: buckets,
      TF_CLI_CONFIG_FILE: cliConfig,
      CHECKPOINT_DISABLE: "1",
      CDKTF_DISABLE_TELEMETRY: "true",
      DISABLE_VERSION_CHECK: "true",
      // Nothing may reach AWS: fake credentials, no instance metadata, every endpoint a closed port.
      AWS_ACCESS_KEY_ID: "runbook-test",
      AWS_SECRET_ACCESS_KEY: "runbook-test",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_ENDPOINT_URL: "http://127.0.0.1:9",
      ...extraEnv,
    },
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const status = await new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? 1));
  });
  const calls = readFileSync(log, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as StandInCall);
  return {
    status,
    output,
    calls,
    buckets,
  };
}
