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
import { builtOrFailEachTest, type SynthesizedStack } from "./support/synth";

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

  it("IAM-1: every role of every stack says in its description who uses it and for what (what the IAM console and CloudTrail show)", () => {
    const undescribed: string[] = [];
    for (const [name, stack] of stacks) {
      for (const role of Object.values((stack.resource?.["aws_iam_role"] ?? {}) as Record<string, { name: string; description?: string }>)) {
        if (!role.description || role.description.length < 20) undescribed.push(`${name}: ${role.name}`);
      }
    }
    expect(undescribed).toEqual([]);
    const flowLogs = Object.values((stacks.get("tracker-staging")!.resource?.["aws_iam_role"] ?? {}) as Record<string, { name: string; description?: string }>).find(
      (r) => r.name === "tracker-staging-flow-logs",
    );
    expect(flowLogs?.description).toBe("VPC flow logs write the staging VPC's traffic records to their log group (NET-5)");
  });

  it("the Cloudflare token is never in the synthesized JSON", () => {
    for (const [, stack] of stacks) {
      const cloudflare = (stack.provider as { cloudflare?: Record<string, unknown>[] }).cloudflare ?? [];
      for (const p of cloudflare) expect(p.api_token).toBeUndefined();
    }
  });
});

describe("what each environment stack hands to operators and to Terraform", () => {
  const tracker = (env: string) => stacks.get(`tracker-${env}`) ?? {};
  const addressOf = (stack: SynthesizedStack, type: string, where: (r: Record<string, any>) => boolean) => {
    const found = Object.entries(stack.resource?.[type] ?? {}).filter(([, r]) => where(r as Record<string, any>));
    expect(found, `one ${type}`).toHaveLength(1);
    return `${type}.${found[0]![0]}`;
  };

  it.each(["staging", "production"])("%s: outputs alb-dns-name, cluster-name and alarm-topic-arn, by reference (the smoke test and runbooks read them)", (env) => {
    const stack = tracker(env);
    expect(stack.output).toEqual({
      "alb-dns-name": { value: `\${${addressOf(stack, "aws_lb", (r) => r.name === `tracker-${env}-alb`)}.dns_name}` },
      "cluster-name": { value: `\${${addressOf(stack, "aws_ecs_cluster", (r) => r.name === `tracker-${env}-cluster`)}.name}` },
      "alarm-topic-arn": { value: `\${${addressOf(stack, "aws_sns_topic", (r) => r.name === `tracker-${env}-alarms`)}.arn}` },
    });
  });

  it.each(stackNames)("%s requires Terraform 1.11 or later (the version the runbooks and CI use)", (name) => {
    expect((stacks.get(name)!.terraform as { required_version?: string }).required_version).toBe(">= 1.11.0");
  });

  it("staging: the alarm topic mails nobody (no address configured); production's mails platform-alerts@glimpse.technology", () => {
    expect(Object.values(tracker("staging").resource?.["aws_sns_topic_subscription"] ?? {})).toEqual([]);
    const subscriptions = Object.values(tracker("production").resource?.["aws_sns_topic_subscription"] ?? {}) as Record<string, any>[];
    expect(subscriptions.map((s) => [s.protocol, s.endpoint])).toEqual([["email", "platform-alerts@glimpse.technology"]]);
  });

  const hostAddress = (stack: SynthesizedStack) => addressOf(stack, "aws_instance", (r) => r.tags?.Name === "tracker-staging-db-host");

  it("DB-1 / SG-4: the staging database host's interface is in exactly the database and Valkey security groups", () => {
    const stack = tracker("staging");
    const host = stack.resource!["aws_instance"]![hostAddress(stack).split(".")[1]!] as Record<string, any>;
    const eni = /^\$\{aws_network_interface\.([^.]+)\.id\}$/.exec(host.primary_network_interface.network_interface_id)![1]!;
    expect((stack.resource!["aws_network_interface"]![eni] as Record<string, any>).security_groups).toEqual([
      `\${${addressOf(stack, "aws_security_group", (r) => r.tags.Name === "tracker-staging-database")}.id}`,
      `\${${addressOf(stack, "aws_security_group", (r) => r.tags.Name === "tracker-staging-redis")}.id}`,
    ]);
  });

  it("DB-1: the database host's status-check alarms (the topic's and the recover action's) watch the host itself", () => {
    const stack = tracker("staging");
    const hostAlarms = (Object.values(stack.resource?.["aws_cloudwatch_metric_alarm"] ?? {}) as Record<string, any>[]).filter(
      (a) => a.dimensions?.InstanceId !== undefined && !a.alarm_name.includes("-nat-"),
    );
    expect(hostAlarms.map((a) => a.dimensions?.InstanceId)).toEqual([`\${${hostAddress(stack)}.id}`, `\${${hostAddress(stack)}.id}`]);
  });

  it.each(["staging", "production"])("ECS-2 / DLV-1: %s: each ECS service waits only for what it needs: web services for the listener rules and their traffic-shift policy, every service for its rollback alarms", (env) => {
    const stack = tracker(env);
    const rules = Object.keys(stack.resource?.["aws_lb_listener_rule"] ?? {}).map((n) => `aws_lb_listener_rule.${n}`);
    const alarms = new Set(Object.keys(stack.resource?.["aws_cloudwatch_metric_alarm"] ?? {}).map((n) => `aws_cloudwatch_metric_alarm.${n}`));
    const policies = stack.resource?.["aws_iam_role_policy"] ?? {};
    for (const service of Object.values(stack.resource?.["aws_ecs_service"] ?? {}) as Record<string, any>[]) {
      const dependsOn = service.depends_on as string[];
      const web = service.load_balancer !== undefined;
      expect([...dependsOn.filter((d) => d.startsWith("aws_lb_listener_rule."))].sort(), service.name).toEqual(web ? [...rules].sort() : []);
      const rolePolicies = dependsOn.filter((d) => d.startsWith("aws_iam_role_policy."));
      for (const d of rolePolicies) expect(policies[d.split(".")[1]!], `${service.name}: ${d}`).toBeDefined();
      // Its own task and execution roles' policies, and for a web service the traffic-shift role's.
      expect(rolePolicies.filter((d) => d.includes("traffic-shift")), service.name).toHaveLength(web ? 1 : 0);
      const own = rolePolicies.filter((d) => !d.includes("traffic-shift"));
      expect(own.length, service.name).toBeGreaterThan(0);
      for (const d of own) expect(d, service.name).toContain(`.service-${(service.name as string).slice(`tracker-${env}-`.length)}_`);
      const rest = dependsOn.filter((d) => !d.startsWith("aws_lb_listener_rule.") && !d.startsWith("aws_iam_role_policy."));
      expect(rest.length, service.name).toBeGreaterThan(0);
      for (const d of rest) expect(alarms.has(d), `${service.name}: ${d}`).toBe(true);
    }
  });
});

describe("RUN-1: buildApp with a local state directory (the first bootstrap)", () => {
  const local = mkdtempSync(join(tmpdir(), "tracker-first-bootstrap-"));
  const written = builtOrFailEachTest(() => {
    buildApp({ outdir: local, bootstrapLocalStateDirectory: "/srv/tracker/bootstrap-state" }).synth();
    return (name: string) => JSON.parse(readFileSync(join(local, "stacks", name, "cdk.tf.json"), "utf8")) as SynthesizedStack;
  }, (): SynthesizedStack => ({}));

  it("only the bootstrap stacks keep their state in <directory>/<stack>.tfstate; the environment stacks stay on S3", () => {
    for (const env of ["staging", "production"]) {
      expect((written(`tracker-bootstrap-${env}`).terraform as { backend: unknown }).backend).toEqual({
        local: { path: `/srv/tracker/bootstrap-state/tracker-bootstrap-${env}.tfstate` },
      });
      expect(Object.keys((written(`tracker-${env}`).terraform as { backend: object }).backend)).toEqual(["s3"]);
    }
  });

  it("without one, the bootstrap stacks' state is on S3", () => {
    expect(Object.keys(backendOf(stacks.get("tracker-bootstrap-staging")!))).toContain("bucket");
    expect(Object.keys((stacks.get("tracker-bootstrap-production")!.terraform as { backend: object }).backend)).toEqual(["s3"]);
  });
});

describe("what the services find at db, redis and in Parameter Store (ECS-8, PRD-2, CFG-2)", () => {
  const tracker = (env: string) => stacks.get(`tracker-${env}`) ?? {};
  const endpoint = (stack: SynthesizedStack, name: string) =>
    (Object.values(stack.resource?.["aws_service_discovery_instance"] ?? {}) as Record<string, any>[]).filter((i) => i.instance_id === name);

  it("ECS-8: in staging, db and redis are the database host's private address (its interface's)", () => {
    const stack = tracker("staging");
    const eni = Object.keys(stack.resource?.["aws_network_interface"] ?? {}).find((n) => n.startsWith("database-host_"));
    for (const name of ["db", "redis"]) {
      expect(endpoint(stack, name).map((i) => i.attributes), name).toEqual([{ AWS_INSTANCE_IPV4: `\${aws_network_interface.${eni}.private_ip}` }]);
    }
  });

  it("PRD-2: in production, db is Patroni's name and redis MemoryDB's cluster endpoint (CNAME records)", () => {
    const stack = tracker("production");
    expect(endpoint(stack, "db").map((i) => i.attributes)).toEqual([{ AWS_INSTANCE_CNAME: "patroni.tracker-production.internal" }]);
    expect(endpoint(stack, "redis").map((i) => i.attributes)).toEqual([
      { AWS_INSTANCE_CNAME: "clustercfg.tracker-production.memorydb.eu-central-1.amazonaws.com" },
    ]);
  });

  it.each(["staging", "production"])("EDGE-1: %s looks up the Cloudflare zone glimpse.technology by name", (env) => {
    expect(Object.values(tracker(env).data?.["cloudflare_zone"] ?? {}).map((z) => (z as Record<string, any>).filter)).toEqual([{ name: "glimpse.technology" }]);
  });

  it.each(["staging", "production"])("CFG-2: %s: no two SSM parameters share a name (apply would fail on the second)", (env) => {
    const names = (Object.values(tracker(env).resource?.["aws_ssm_parameter"] ?? {}) as Record<string, any>[]).map((p) => p.name as string);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it("CFG-2 / DB-8: staging's database CA parameter is the one the host publishes (Terraform leaves its value to the host)", () => {
    const owners = Object.entries(tracker("staging").resource?.["aws_ssm_parameter"] ?? {})
      .filter(([, p]) => (p as Record<string, any>).name === "/tracker/staging/database-ca-certificate")
      .map(([n, p]) => [n.split("_")[0], (p as Record<string, any>).lifecycle]);
    expect(owners).toEqual([["database-host", { ignore_changes: ["value"] }]]);
  });
});
