/**
 * RUN-1: what the runbook tests put on PATH in place of the commands that would contact AWS or
 * the Terraform registry. Each shim in `runbook-shims/` calls `tsx runbook-stand-ins.ts <command> ...`.
 * Everything that can run offline runs for real: `npx cdktf synth` (the real CLI), the app's synth,
 * `terraform init` (local backend, provider from a local mirror), `init -migrate-state`, `plan`,
 * `show`, `state push/pull`, `npm run ...`. What stands in, and why:
 *
 * - `npm ci`: skipped; the workspace links the repository's installed `node_modules`.
 * - `npx cdktf deploy <stack>`: the app's synth (cdktf.json `app`), `terraform init`, then
 *   `terraform state push` of a one-output state where an apply would write the created
 *   resources' state: the state lands wherever Terraform's configured backend puts it.
 * - `npx cdktf plan <stack>`: `terraform init -input=false` in the stack's folder (fails if the
 *   backend changed and the state was not migrated), `terraform state pull` into the log; a plan
 *   would need AWS. (cdktf's own synth before it is skipped: the runbooks synthesize just before.)
 * - `terraform init` (through the shim): writes `zz_runbook_test_override.tf.json`: hashicorp/aws
 *   5.100.0 (the only provider this machine mirrors; the stacks pin 6.x, whose schema a targeted
 *   plan never needs beyond the resources kept below), and, for an S3 backend, a local backend at
 *   `$RUNBOOK_BUCKETS/<bucket>/<key>` standing in for the bucket. A stack that needs Cloudflare
 *   (which no mirror here has) is first reduced to the dependency closure of `$RUNBOOK_TARGETS`,
 *   its variables kept verbatim, the AWS provider given fake credentials that skip every AWS call.
 * - `terraform apply <saved plan>`: checks the plan with `terraform show -json`, logs it, applies
 *   nothing (AWS). `terraform apply` without a saved plan is refused: no runbook should prompt.
 * - `aws ...`: logged with its arguments, not run.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The variables the shims get from the test. */
interface StandInEnvironment {
  /** The real binaries' PATH (without the shims). */
  readonly realPath: string;
  /** A JSON-lines log of every stood-in call. */
  readonly log: string;
  /** Where the stand-in state buckets live. */
  readonly buckets: string;
  /** `-target` addresses a Cloudflare-dependent stack is reduced to (space-separated). */
  readonly targets: readonly string[];
}

function environment(): StandInEnvironment {
  const need = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`runbook stand-in: ${name} is not set`);
    return value;
  };
  return {
    realPath: need("RUNBOOK_REAL_PATH"),
    log: need("RUNBOOK_LOG"),
    buckets: need("RUNBOOK_BUCKETS"),
    targets: (process.env.RUNBOOK_TARGETS ?? "").split(/\s+/).filter(Boolean),
  };
}

/** Runs a real binary (by the PATH without shims), inheriting stdio unless captured. */
function real(env: StandInEnvironment, command: string, args: readonly string[], capture = false): { status: number; stdout: string } {
  const result = spawnSync(command, args, {
    env: { ...process.env, PATH: env.realPath },
    stdio: capture ? ["ignore", "pipe", "inherit"] : ["ignore", "inherit", "inherit"],
    encoding: "utf8",
  });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout ?? "" };
}

function record(env: StandInEnvironment, entry: Record<string, unknown>): void {
  appendFileSync(env.log, `${JSON.stringify({ cwd: process.cwd(), ...entry })}\n`);
}

type Json = Record<string, any>;

/** Every `resource`/`data` block of a synthesized stack by its address. */
function blocksOf(config: Json): Map<string, { kind: "resource" | "data"; type: string; name: string; body: Json }> {
  const blocks = new Map<string, { kind: "resource" | "data"; type: string; name: string; body: Json }>();
  for (const kind of ["resource", "data"] as const) {
    for (const [type, byName] of Object.entries<Json>(config[kind] ?? {})) {
      for (const [name, body] of Object.entries<Json>(byName)) {
        blocks.set(`${kind === "data" ? "data." : ""}${type}.${name}`, { kind, type, name, body });
      }
    }
  }
  return blocks;
}

/** The targets and every block they reference, transitively (references and `depends_on`). */
export function dependencyClosure(config: Json, targets: readonly string[]): Set<string> {
  const blocks = blocksOf(config);
  const missing = targets.filter((t) => !blocks.has(t));
  if (missing.length > 0) throw new Error(`runbook: -target ${missing.join(", ")} is not in the synthesized stack`);
  const seen = new Set<string>();
  const queue = [...targets];
  while (queue.length > 0) {
    const address = queue.pop()!;
    if (seen.has(address)) continue;
    seen.add(address);
    const text = JSON.stringify(blocks.get(address)!.body);
    for (const match of text.matchAll(/\b((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)/g)) {
      if (blocks.has(match[1]!) && !seen.has(match[1]!)) queue.push(match[1]!);
    }
  }
  return seen;
}

/**
 * A stack reduced to the targets' closure: the same variables, the AWS provider's region and
 * default tags with fake credentials and no AWS calls at configure time, no Cloudflare.
 */
export function reduceToTargets(config: Json, targets: readonly string[]): Json {
  const keep = dependencyClosure(config, targets);
  if (config.locals) throw new Error("runbook: the stack has locals; teach reduceToTargets to keep the referenced ones");
  const reduced: Json = {
    terraform: { ...config.terraform, required_providers: { aws: config.terraform.required_providers.aws } },
    provider: {
      aws: (config.provider.aws as Json[]).map((p) => ({
        region: p.region,
        default_tags: p.default_tags,
        access_key: "runbook-test",
        secret_key: "runbook-test",
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
      })),
    },
    variable: config.variable,
  };
  for (const [address, block] of blocksOf(config)) {
    if (!keep.has(address)) continue;
    reduced[block.kind] ??= {};
    reduced[block.kind][block.type] ??= {};
    reduced[block.kind][block.type][block.name] = block.body;
  }
  return reduced;
}

function terraformInitOverrides(env: StandInEnvironment): void {
  const file = join(process.cwd(), "cdk.tf.json");
  if (!existsSync(file)) return;
  let config: Json = JSON.parse(readFileSync(file, "utf8"));
  if (config.provider?.cloudflare) {
    if (env.targets.length === 0) throw new Error("runbook: this stack needs Cloudflare; set RUNBOOK_TARGETS to reduce it");
    config = reduceToTargets(config, env.targets);
    writeFileSync(file, JSON.stringify(config, null, 2));
    record(env, { command: "reduce-stack", targets: env.targets, kept: [...dependencyClosure(JSON.parse(readFileSync(file, "utf8")), env.targets)] });
  }
  const override: Json = { terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } } };
  const s3 = config.terraform?.backend?.s3;
  if (s3) override.terraform.backend = { local: { path: join(env.buckets, s3.bucket, s3.key) } };
  writeFileSync(join(process.cwd(), "zz_runbook_test_override.tf.json"), JSON.stringify(override, null, 2));
}

function terraform(env: StandInEnvironment, args: readonly string[]): number {
  const [sub, ...rest] = args;
  if (sub === "init") {
    terraformInitOverrides(env);
    return real(env, "terraform", args).status;
  }
  if (sub === "apply") {
    const planFile = rest.find((a) => !a.startsWith("-"));
    if (!planFile) {
      record(env, { command: "terraform", args, refused: "apply without a saved plan" });
      console.error("runbook stand-in: `terraform apply` without a saved plan would plan and prompt; plan with -out first");
      return 1;
    }
    const shown = real(env, "terraform", ["show", "-json", planFile], true);
    if (shown.status !== 0) return shown.status;
    record(env, { command: "terraform", args, plan: JSON.parse(shown.stdout) });
    return 0;
  }
  return real(env, "terraform", args).status;
}

/** cdktf.json's `app` command: what `cdktf synth/deploy/plan` run first. */
function synthesizeWithApp(env: StandInEnvironment): number {
  const app = JSON.parse(readFileSync("cdktf.json", "utf8")).app as string;
  return real(env, "bash", ["-c", app]).status;
}

function inStack(stack: string | undefined, steps: () => number): number {
  if (!stack) throw new Error("runbook stand-in: name the stack");
  const start = process.cwd();
  process.chdir(join("cdktf.out", "stacks", stack));
  try {
    return steps();
  } finally {
    process.chdir(start);
  }
}

/** One line of the shim log. */
export interface StandInCall {
  readonly cwd: string;
  readonly command: string;
  readonly args?: readonly string[];
  readonly [key: string]: unknown;
}

function npx(env: StandInEnvironment, args: readonly string[]): number {
  if (args[0] !== "cdktf") return real(env, "npx", args).status;
  const [, sub, stack] = args;
  if (sub === "synth") return real(env, "npx", args).status;
  const FAKE_STATE = {
    version: 4,
    terraform_version: "1.11.4",
    serial: 1,
    lineage: "0b5e1e55-7a7e-4e57-b00f-5747e0000001",
    outputs: { "runbook-test": { value: `applied by the stand-in for cdktf deploy ${stack}`, type: "string" } },
    resources: [],
    check_results: null,
  };
  if (sub === "deploy") {
    if (synthesizeWithApp(env) !== 0) return 1;
    return inStack(stack, () => {
      if (terraform(env, ["init", "-input=false"]) !== 0) return 1;
      const stateFile = join(env.buckets, "..", "applied-by-stand-in.tfstate");
      writeFileSync(stateFile, JSON.stringify(FAKE_STATE));
      const pushed = real(env, "terraform", ["state", "push", stateFile]).status;
      record(env, { command: "npx", args, pushedLineage: FAKE_STATE.lineage });
      return pushed;
    });
  }
  if (sub === "plan") {
    // cdktf plan synthesizes first; the runbooks run `npx cdktf synth` just before, with the same
    // configuration, so the stand-in starts at Terraform's init.
    return inStack(stack, () => {
      if (terraform(env, ["init", "-input=false"]) !== 0) return 1;
      const pulled = real(env, "terraform", ["state", "pull"], true);
      record(env, { command: "npx", args, state: pulled.stdout ? JSON.parse(pulled.stdout) : null });
      return pulled.status;
    });
  }
  console.error(`runbook stand-in: no stand-in for npx cdktf ${sub}`);
  return 1;
}

function main(command: string | undefined, args: readonly string[]): number {
  const env = environment();
  switch (command) {
    case "npm":
      if (args[0] === "ci") {
        record(env, { command: "npm", args });
        return 0;
      }
      return real(env, "npm", args).status;
    case "npx":
      return npx(env, args);
    case "terraform":
      return terraform(env, args);
    case "aws":
      record(env, { command: "aws", args });
      return 0;
    default:
      console.error(`runbook stand-in: unknown command ${command}`);
      return 2;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv[2], process.argv.slice(3));
}
