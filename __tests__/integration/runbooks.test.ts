/**
 * RUN-1: the runbooks' command sequences that can run offline are executed as written, so that a
 * step cannot drift from what the code does. Each block is read from the Markdown by its marker and
 * run with bash (`set -euo pipefail`, stdin closed) in a copy of the repository. Real: the cdktf CLI's
 * synth, the app, Terraform 1.11 (init with the local backend, -migrate-state, plan, show, state),
 * npm scripts. Stood in (support/runbook-stand-ins.ts says how and why): `cdktf deploy`/`plan` and
 * `terraform apply` (they need AWS), `aws`, `npm ci`, and the S3 bucket (a local backend at
 * `<buckets>/<bucket>/<key>`). Terraform gets hashicorp/aws 5.100 from the local mirror (the stacks
 * pin 6.x, which this machine does not have): init and state commands do not use the provider's
 * schema, and the production plan runs on the targeted secrets' closure, which 5.100 knows.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Testing } from "../../src/cdktf";
import { STAGING, PROJECT_DEFINITION } from "../../src/config/environments";
import { BootstrapStack, localStatePath } from "../../stacks/bootstrap-stack";
import { makeWorkspace, missingTools, runbookBlock, runRunbook, type RunbookRun } from "../support/runbooks";

const SLOW = 900_000;
const workspaces: string[] = [];
afterAll(() => {
  for (const w of workspaces) rmSync(w, { recursive: true, force: true });
});

function workspace(): string {
  const w = makeWorkspace();
  workspaces.push(w);
  return w;
}

function stateLineage(file: string): string {
  return JSON.parse(readFileSync(file, "utf8")).lineage;
}

it("RUN-1: the tools the runbook tests run are present (terraform 1.11 on PATH)", () => {
  expect(missingTools()).toEqual([]);
});

describe("RUN-1: the bootstrap stack's first-apply state file", () => {
  it("RUN-1: with a local state directory the backend is local, at <directory>/<stack>.tfstate, an absolute path", () => {
    const stack = new BootstrapStack(Testing.app(), {
      environment: STAGING,
      project: PROJECT_DEFINITION,
      localStateDirectory: "/srv/tracker-infrastructure/bootstrap-state",
    });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.terraform.backend).toEqual({
      local: { path: "/srv/tracker-infrastructure/bootstrap-state/tracker-bootstrap-staging.tfstate" },
    });
  });

  it("RUN-1: a relative directory is refused: Terraform would resolve it inside cdktf.out/stacks/<stack>/", () => {
    expect(() => localStatePath("bootstrap-state", "tracker-bootstrap-staging")).toThrow(
      'bootstrap local state: "bootstrap-state" must be an absolute path (Terraform runs in cdktf.out/stacks/<stack>/)',
    );
  });

  it("RUN-1: bootstrap-state/ is git-ignored", () => {
    expect(readFileSync(join(__dirname, "..", "..", ".gitignore"), "utf8").split("\n")).toContain("/bootstrap-state/");
  });
});

describe("RUN-1: first bootstrap of an account (README)", () => {
  const block = runbookBlock("README.md", "first-bootstrap");
  let run: RunbookRun;
  let root: string;
  // Where the README says the state is, and the bucket the account's stacks keep their state in.
  const localState = "bootstrap-state/tracker-bootstrap-staging.tfstate";
  const bucketState = "tracker-terraform-state-802732539686/tracker-bootstrap-staging/terraform.tfstate";

  beforeAll(async () => {
    root = workspace();
    run = await runRunbook(root, block);
  }, SLOW);

  it("RUN-1: the block runs to the end as written", () => {
    expect(run.output).not.toMatch(/Error:/);
    expect(run.status, run.output).toBe(0);
  });

  it("RUN-1: the first apply's state is in bootstrap-state/ at the repository root, outside cdktf.out", () => {
    const deploy = run.calls.find((c) => c.command === "npx" && c.args?.[1] === "deploy");
    expect(deploy?.args).toEqual(["cdktf", "deploy", "tracker-bootstrap-staging"]);
    expect(existsSync(join(root, localState))).toBe(true);
    expect(stateLineage(join(root, localState))).toBe(deploy?.pushedLineage);
    // No state file anywhere in the build folder: nothing is lost when cdktf.out goes.
    const stackDir = join(root, "cdktf.out/stacks/tracker-bootstrap-staging");
    expect(readdirSync(stackDir).filter((f) => f.endsWith(".tfstate"))).toEqual([]);
  });

  it("RUN-1: -migrate-state moves that state into the account's state bucket, where the next plan finds it", () => {
    const deploy = run.calls.find((c) => c.command === "npx" && c.args?.[1] === "deploy");
    expect(stateLineage(join(run.buckets, bucketState))).toBe(deploy?.pushedLineage);
    const plan = run.calls.find((c) => c.command === "npx" && c.args?.[1] === "plan");
    expect(plan?.args).toEqual(["cdktf", "plan", "tracker-bootstrap-staging"]);
    expect((plan?.state as { lineage: string }).lineage).toBe(deploy?.pushedLineage);
  });

  it("RUN-1: the same steps work when cdktf.out was deleted between the first apply and the migration", async () => {
    const lines = block.split("\n");
    const deployLine = lines.findIndex((l) => l.includes("npx cdktf deploy"));
    const wiped = [...lines.slice(0, deployLine + 1), "rm -rf cdktf.out", ...lines.slice(deployLine + 1)].join("\n");
    const again = await runRunbook(workspace(), wiped);
    expect(again.status, again.output).toBe(0);
    const deploy = again.calls.find((c) => c.command === "npx" && c.args?.[1] === "deploy");
    expect(stateLineage(join(again.buckets, bucketState))).toBe(deploy?.pushedLineage);
  }, SLOW);
});

describe("RUN-1: production's provided secrets before its first deploy (docs/runbooks-delivery.md)", () => {
  const block = runbookBlock("docs/runbooks-delivery.md", "production-provided-secrets");
  const targets = [...block.matchAll(/-target=(\S+)/g)].map((m) => m[1]!);
  let run: RunbookRun;
  let root: string;

  beforeAll(async () => {
    root = workspace();
    run = await runRunbook(root, block, {
      RUNBOOK_TARGETS: targets.join(" "),
      PATRONI_TRACKER_PASSWORD: "patroni-from-the-vault",
      MEMORYDB_TRACKER_PASSWORD: "memorydb-from-the-vault",
    });
  }, SLOW);

  it("RUN-1: the block runs to the end with stdin closed: no variable prompt, no missing value", () => {
    expect(run.output).not.toMatch(/No value for required variable|Error:/);
    expect(run.status, run.output).toBe(0);
  });

  it("RUN-1: the saved plan creates exactly the two provided secrets and their KMS key, and no image tag reaches it", () => {
    expect(targets).toEqual([
      "aws_secretsmanager_secret.provided_postgres_password",
      "aws_secretsmanager_secret.provided_redis_password",
    ]);
    const apply = run.calls.find((c) => c.command === "terraform" && c.args?.[0] === "apply");
    expect(apply?.args).toEqual(["apply", "-input=false", "provided-secrets.tfplan"]);
    const plan = apply?.plan as { resource_changes: { address: string; type: string; change: { actions: string[]; after: Record<string, unknown> } }[] };
    const changes = plan.resource_changes.filter((c) => !c.change.actions.includes("no-op") && !c.change.actions.includes("read"));
    expect(changes.map((c) => c.type).sort()).toEqual(["aws_kms_key", "aws_secretsmanager_secret", "aws_secretsmanager_secret"]);
    expect(changes.every((c) => c.change.actions.join() === "create")).toBe(true);
    expect(changes.filter((c) => c.type === "aws_secretsmanager_secret").map((c) => c.change.after.name).sort()).toEqual([
      "tracker/production/postgres-password",
      "tracker/production/redis-password",
    ]);
    expect(JSON.stringify(plan.resource_changes)).not.toContain("not-deployed");
  });

  it("RUN-1: the real credentials go into the secrets the plan created", () => {
    const puts = run.calls.filter((c) => c.command === "aws").map((c) => c.args);
    expect(puts).toEqual([
      ["secretsmanager", "put-secret-value", "--secret-id", "tracker/production/postgres-password", "--secret-string", "patroni-from-the-vault"],
      ["secretsmanager", "put-secret-value", "--secret-id", "tracker/production/redis-password", "--secret-string", "memorydb-from-the-vault"],
    ]);
  });

  it("RUN-1: without the image-tag values the same targeted plan fails for missing variables (what the old runbook ran into)", async () => {
    const planLine = block
      .replace(/\\\n\s*/g, "")
      .split("\n")
      .find((l) => l.startsWith("terraform plan"))!;
    const withoutTags = planLine.replace(/\s*\$\(node -p .*\)$/, "").replace("-out=provided-secrets.tfplan", "-out=no-tags.tfplan");
    expect(withoutTags).not.toContain("-var");
    const again = await runRunbook(root, `cd cdktf.out/stacks/tracker-production\n${withoutTags}\n`, { RUNBOOK_TARGETS: targets.join(" ") });
    expect(again.status).not.toBe(0);
    expect(again.output).toMatch(/No value for required variable/);
    expect(again.output).toMatch(/image_tag_/);
  }, SLOW);
});

describe("RUN-2: the preflight runbook (README)", () => {
  it("RUN-1: the README's preflight block runs as written: staging passes", async () => {
    const run = await runRunbook(workspace(), runbookBlock("README.md", "preflight"));
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/preflight staging: OK/);
  }, SLOW);
});
