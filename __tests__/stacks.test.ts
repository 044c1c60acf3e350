/**
 * ACC-1, ACC-2, ACC-3, ACC-5: the whole app as `cdktf synth` writes it — one stack per environment,
 * one bootstrap stack per account, each guarded to its own account and keeping its own state.
 */
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildApp } from "../stacks/app";
import { ENVIRONMENTS } from "../src/config/environments";
import { stateBucketName } from "../src/config/naming";
import type { SynthesizedStack } from "./support/synth";
import { builtOrFailEachTest } from "./support/synth";

const outdir = mkdtempSync(join(tmpdir(), "tracker-synth-"));
// Built while the file is collected; a build that throws fails every test (support/synth.ts).
const stackNames = builtOrFailEachTest(() => {
  buildApp({ outdir }).synth();
  return readdirSync(join(outdir, "stacks")).sort();
}, [] as string[]);
const stacks = new Map<string, SynthesizedStack>(
  stackNames.map((name) => [name, JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8")) as SynthesizedStack]),
);
const envOf = (stack: string) => ENVIRONMENTS.find((e) => stack.endsWith(`-${e.name}`))!;
const backendOf = (stack: SynthesizedStack) => (stack.terraform as { backend: { s3: Record<string, unknown> } }).backend.s3;
const awsProviderOf = (stack: SynthesizedStack) => (stack.provider as { aws: Record<string, any>[] }).aws;

describe("the app", () => {
  it("ACC-1 / ACC-4: one environment stack per environment and one bootstrap stack per account", () => {
    expect(stackNames).toEqual(["tracker-bootstrap-production", "tracker-bootstrap-staging", "tracker-production", "tracker-staging"]);
  });

  it.each(stackNames)("ACC-1: %s acts only on its own account (provider and state backend)", (name) => {
    const env = envOf(name);
    const providers = awsProviderOf(stacks.get(name)!);
    expect(providers).toHaveLength(1);
    expect(providers[0]!.allowed_account_ids).toEqual([env.accountId]);
    expect(providers[0]!.region).toBe(env.region);
    expect(backendOf(stacks.get(name)!).allowed_account_ids).toEqual([env.accountId]);
  });

  it("ACC-1: the staging stack can never run with production's account, and the reverse", () => {
    expect(awsProviderOf(stacks.get("tracker-staging")!)[0]!.allowed_account_ids).toEqual(["802732539686"]);
    expect(awsProviderOf(stacks.get("tracker-production")!)[0]!.allowed_account_ids).toEqual(["951665295205"]);
  });

  it.each(stackNames)("ACC-2: %s keeps its state in its account's bucket, encrypted, with the S3 lock file", (name) => {
    const env = envOf(name);
    const backend = backendOf(stacks.get(name)!);
    expect(backend).toMatchObject({
      bucket: stateBucketName(env.accountId),
      key: `${name}/terraform.tfstate`,
      encrypt: true,
      use_lockfile: true,
      region: env.region,
    });
    expect(backend.dynamodb_table).toBeUndefined();
  });

  it("ACC-2: no two stacks share a state key", () => {
    const keys = stackNames.map((n) => `${backendOf(stacks.get(n)!).bucket}/${backendOf(stacks.get(n)!).key}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(stackNames)("ACC-5: %s tags every resource Project/Environment/ManagedBy through provider default tags", (name) => {
    const env = envOf(name);
    expect(awsProviderOf(stacks.get(name)!)[0]!.default_tags).toEqual([
      { tags: { Project: "tracker", Environment: env.name, ManagedBy: "cdktf" } },
    ]);
  });

  it.each(stackNames)("ACC-5: every named resource of %s follows tracker-<env>-<component>", (name) => {
    const env = envOf(name).name;
    const accepted = [
      new RegExp(`^tracker-${env}-[a-z0-9-]+$`), // most resources
      new RegExp(`^/(ecs|vpc|aws/[a-z-]+)/tracker-${env}[/-]`), // log groups
      new RegExp(`^/tracker/${env}/`), // SSM parameters
      new RegExp(`^tracker/${env}/`), // secrets
      new RegExp(`^tracker-${env}/`), // ECR repositories
      new RegExp(`^alias/tracker-${env}-`), // KMS aliases
      new RegExp(`^aws-waf-logs-tracker-${env}$`), // the WAF log group: WAF requires the aws-waf-logs- prefix (EDGE-7)
      /^tracker-terraform-state-\d{12}$/, // the state bucket, named after the account (ACC-2)
    ];
    const unnamed = new Set(["aws_iam_role_policy", "aws_lb_listener_rule", "aws_appautoscaling_policy", "aws_cloudwatch_log_metric_filter", "aws_cloudwatch_log_resource_policy", "aws_service_discovery_private_dns_namespace", "aws_service_discovery_service"]);
    for (const [type, byName] of Object.entries(stacks.get(name)!.resource ?? {})) {
      // Cloudflare records are named by their hostnames (EDGE-1), not by the AWS naming scheme.
      if (unnamed.has(type) || type.startsWith("cloudflare_")) continue;
      for (const resource of Object.values(byName)) {
        for (const field of ["name", "bucket", "family", "alarm_name"]) {
          const value = resource[field];
          if (typeof value !== "string" || value.includes("${")) continue;
          expect(accepted.some((re) => re.test(value)), `${type}.${field} = ${value}`).toBe(true);
        }
      }
    }
  });

  it("ACC-3: staging and production share the region and the naming scheme", () => {
    const staging = stacks.get("tracker-staging")!;
    const production = stacks.get("tracker-production")!;
    expect(awsProviderOf(staging)[0]!.region).toBe(awsProviderOf(production)[0]!.region);
    const shapes = (stack: SynthesizedStack, env: string) =>
      new Set(
        Object.entries(stack.resource ?? {}).filter(([type]) => !type.startsWith("cloudflare_")).flatMap(([type, byName]) =>
          Object.values(byName)
            .map((r) => r.name)
            .filter((n): n is string => typeof n === "string")
            .map((n) => `${type}:${n.replaceAll(env, "<env>")}`),
        ),
      );
    const s = shapes(staging, "staging");
    const p = shapes(production, "production");
    // Same components with the same names, but for what only one environment has (its data plane).
    const onlyStaging = [...s].filter((x) => !p.has(x) && !/off-hours|alarms-(quiet|awake)/.test(x)); // COST-2: production's schedule is off
    const onlyProduction = [...p].filter((x) => !s.has(x));
    // Staging alone has the database host (DB-*), ECS Exec's session log (ECS-9) and its NAT instance (COST-1).
    for (const x of onlyStaging) expect(x, `staging-only resource ${x}`).toMatch(/database|redis|db-|dlm|exec|-nat$/);
    // Production alone has access logs, autoscaling, NAT per AZ, and the WAF while staging's switch is off (EDGE-7).
    for (const x of onlyProduction) expect(x, `production-only resource ${x}`).toMatch(/alb-logs|autoscal|nat|web-acl|waf/);
  });

  it("the Cloudflare token is never in the synthesized JSON", () => {
    for (const [, stack] of stacks) {
      const cloudflare = (stack.provider as { cloudflare?: Record<string, unknown>[] }).cloudflare ?? [];
      for (const p of cloudflare) expect(p.api_token).toBeUndefined();
    }
  });
});
