/**
 * OBS-1..OBS-3 (and ECS-4, ECS-6, DB-8's notifications) over the observability constructs, in a test
 * stack per environment with stub load balancer, target group and cluster identifiers: staging with a
 * database host instance, production without one. Each stack is synthesized once.
 */
import { readFileSync } from "node:fs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { describe, expect, it } from "vitest";
import { TerraformStack, Testing } from "../src/cdktf";
import { PRODUCTION, STAGING } from "../src/config/environments";
import { SERVICE_CATALOG } from "../src/config/service-catalog";
import type { EnvironmentDefinition, ServiceName } from "../src/config/types";
import { EnvironmentKey } from "../src/encryption/environment-key";
import { AlarmTopic } from "../src/observability/alarm-topic";
import { TrackerAlarms } from "../src/observability/alarms";
import { ConnectivityAlarms, connectionErrorPatterns } from "../src/observability/connectivity-alarms";
import { LoadBalancerAlarms } from "../src/observability/load-balancer-alarms";
import { ServiceLogGroups } from "../src/observability/service-log-groups";
import { alarmState, type Datapoint } from "./support/cloudwatch";
import { dataSources, only, resources, type SynthesizedStack, builtOrFailEachTest } from "./support/synth";
import { LOG_RETENTION_DAYS } from "./support/contract";

const HOST_INSTANCE_ID = "i-0123456789abcdef0";
const LOAD_BALANCER = (env: string) => `app/tracker-${env}-alb/0123456789abcdef`;
const TARGET_GROUP = (env: string, service: string) => `targetgroup/tracker-${env}-${service}/fedcba9876543210`;
/** DLV-1: the canary twin of a service's target group. */
const ALTERNATE_GROUP = (env: string, service: string) => `targetgroup/tracker-${env}-${service}-alt/0123456789fedcba`;
const WEB_ACL = (env: string) => `tracker-${env}-web-acl`;
const CLUSTER_ARN = (env: EnvironmentDefinition) =>
  `arn:aws:ecs:${env.region}:${env.accountId}:cluster/tracker-${env.name}-cluster`;
const PUBLIC = SERVICE_CATALOG.filter((s) => s.kind === "public-web").map((s) => s.name);
const ALL = SERVICE_CATALOG.map((s) => s.name);

interface Built {
  readonly json: SynthesizedStack;
  readonly alarms: TrackerAlarms;
}

function build(env: EnvironmentDefinition, hostInstanceId?: string): Built {
  const stack = new TerraformStack(Testing.app(), `alarms-${env.name}`);
  new AwsProvider(stack, "aws", { region: env.region, allowedAccountIds: [env.accountId] });
  const key = new EnvironmentKey(stack, "key", { environment: env });
  const topic = new AlarmTopic(stack, "alarm-topic", {
    environment: env.name,
    accountId: env.accountId,
    kmsKeyArn: key.arn,
    email: env.alarmEmail,
  });
  const logGroups = new ServiceLogGroups(stack, "service-logs", {
    environment: env.name,
    retentionDays: env.logRetentionDays,
    kmsKeyArn: key.arn,
  });
  const alarms = new TrackerAlarms(stack, "alarms", {
    environment: env,
    topicArn: topic.topicArn,
    kmsKeyArn: key.arn,
    clusterArn: CLUSTER_ARN(env),
    logGroups,
    loadBalancer: {
      arnSuffix: LOAD_BALANCER(env.name),
      targetGroupArnSuffixes: Object.fromEntries(PUBLIC.map((s) => [s, [TARGET_GROUP(env.name, s), ALTERNATE_GROUP(env.name, s)]])),
    },
    databaseHost: hostInstanceId ? { instanceId: hostInstanceId } : undefined,
    // EDGE-7: the web ACL where the environment's WAF is on (production), as the stack wires it.
    webAcl: env.loadBalancer.waf.enabled ? { metricName: WEB_ACL(env.name), logGroupName: `aws-waf-logs-tracker-${env.name}` } : undefined,
  });
  return { json: JSON.parse(Testing.synth(stack)) as SynthesizedStack, alarms };
}

// Built while the file is collected; a build that throws fails every test (support/synth.ts).
const built = builtOrFailEachTest(
  () => ({ staging: build(STAGING, HOST_INSTANCE_ID), production: build(PRODUCTION) }),
  {} as { staging: ReturnType<typeof build>; production: ReturnType<typeof build> },
);
const cases = [
  { env: STAGING, ...built.staging },
  { env: PRODUCTION, ...built.production },
];

/** `${aws_x.name.attr}` -> [type, name, attr] (data sources without the `data.` prefix). */
function parseRef(expression: unknown): [string, string, string] {
  const match = /^\$\{(?:data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}$/.exec(String(expression));
  if (!match) throw new Error(`not a single reference: ${String(expression)}`);
  return [match[1]!, match[2]!, match[3]!];
}
const ref = (type: string, name: string, attribute: string) => `\${${type}.${name}.${attribute}}`;

function alarmsOf(json: SynthesizedStack): Record<string, any>[] {
  return resources(json, "aws_cloudwatch_metric_alarm").map(([, a]) => a);
}
function alarmNamed(json: SynthesizedStack, name: string): Record<string, any> {
  return only(json, "aws_cloudwatch_metric_alarm", (a) => a.alarm_name === name)[1];
}
function logGroupNamed(json: SynthesizedStack, name: string): [string, Record<string, any>] {
  return only(json, "aws_cloudwatch_log_group", (g) => g.name === name);
}
function policyDocument(json: SynthesizedStack, expression: unknown): Record<string, any> {
  const [type, name] = parseRef(expression);
  expect(type).toBe("aws_iam_policy_document");
  const doc = dataSources(json, "aws_iam_policy_document").find(([n]) => n === name);
  if (!doc) throw new Error(`no policy document ${name}`);
  return doc[1];
}

/**
 * CloudWatch Logs' unstructured filter-pattern semantics, as far as the patterns here use them:
 * `?"a" ?"b"` matches an event containing a or b, `"a" "b"` one containing both; case-sensitive.
 */
function matches(pattern: string, line: string): boolean {
  const terms = [...pattern.matchAll(/(\?)?"([^"]*)"/g)].map((m) => ({ optional: m[1] === "?", text: m[2]! }));
  if (terms.length === 0) throw new Error(`unsupported pattern ${pattern}`);
  const anyOf = terms.filter((t) => t.optional);
  if (anyOf.length > 0 && anyOf.length !== terms.length) throw new Error(`mixed ? and plain terms: ${pattern}`);
  return anyOf.length > 0 ? anyOf.some((t) => line.includes(t.text)) : terms.every((t) => line.includes(t.text));
}
const matchesAny = (dependency: "db" | "redis", line: string) =>
  connectionErrorPatterns(dependency, dependency === "db" ? 5432 : 6379).some((p) => matches(p.pattern, line));

describe.each(cases)("$env.name", ({ env, json, alarms }) => {
  const [keyName] = only(json, "aws_kms_key");
  const keyArn = ref("aws_kms_key", keyName, "arn");
  const [topicName, topic] = only(json, "aws_sns_topic");
  const topicArn = ref("aws_sns_topic", topicName, "arn");

  it("ECS-4, OBS-1: one log group per service, /ecs/tracker-<env>/<service>, env retention, the env key", () => {
    for (const service of ALL) {
      const [, group] = logGroupNamed(json, `/ecs/tracker-${env.name}/${service}`);
      expect(group.retention_in_days).toBe(LOG_RETENTION_DAYS[env.name]);
      expect(group.kms_key_id).toBe(keyArn);
    }
    expect(resources(json, "aws_cloudwatch_log_group").filter(([, g]) => String(g.name).startsWith("/ecs/"))).toHaveLength(ALL.length);
  });

  it("OBS-1: logGroup(service) hands out the group's name and ARN references", () => {
    const services = new ServiceLogGroups(new TerraformStack(Testing.app(), "logs"), "logs", {
      environment: env.name,
      retentionDays: 1,
      kmsKeyArn: "arn:aws:kms:eu-central-1:000000000000:key/stub",
      catalog: SERVICE_CATALOG.filter((s) => s.name === "api"),
    });
    expect(services.logGroup("api").name).toMatch(/TfToken/);
    expect(() => services.logGroup("frontend")).toThrow(/no log group for service "frontend"/);
  });

  it("OBS-2/COST-4: one KMS-encrypted alarm topic, tracker-<env>-alarms, only this account's CloudWatch alarms and budgets may publish", () => {
    expect(topic.name).toBe(`tracker-${env.name}-alarms`);
    // The sender name of every alarm email: which environment is talking.
    expect(topic.display_name).toBe(`tracker ${env.name} alarms`);
    expect(topic.kms_master_key_id).toBe(keyArn);
    const [, topicPolicy] = only(json, "aws_sns_topic_policy");
    expect(topicPolicy.arn).toBe(topicArn);
    const doc = policyDocument(json, topicPolicy.policy);
    expect(doc.statement).toHaveLength(2);
    const [statement, budgets] = doc.statement;
    expect(doc.statement.map((x: Record<string, unknown>) => x.sid)).toEqual(["CloudWatchAlarmsOfThisAccountPublish", "BudgetsOfThisAccountPublish"]);
    expect(statement.principals).toEqual([{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }]);
    expect(statement.actions).toEqual(["sns:Publish"]);
    expect(statement.resources).toEqual([topicArn]);
    expect(statement.condition).toEqual([{ test: "StringEquals", variable: "aws:SourceAccount", values: [env.accountId] }]);
    expect(budgets.principals).toEqual([{ type: "Service", identifiers: ["budgets.amazonaws.com"] }]);
    expect(budgets.actions).toEqual(["sns:Publish"]);
    expect(budgets.resources).toEqual([topicArn]);
    expect(budgets.condition).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: [env.accountId] },
      { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:aws:budgets::${env.accountId}:budget/tracker-${env.name}-*`] },
    ]);
  });

  it("OBS-2: an email subscription exactly when the environment configures an address", () => {
    const subscriptions = resources(json, "aws_sns_topic_subscription").map(([, s]) => s);
    if (env.alarmEmail) {
      expect(subscriptions).toEqual([expect.objectContaining({ topic_arn: topicArn, protocol: "email", endpoint: env.alarmEmail })]);
    } else {
      expect(subscriptions).toEqual([]);
    }
  });

  it("EDGE-7, OBS-2: where the WAF is on, blocked requests of the whole web ACL (Rule=ALL) over the environment's threshold in 5 minutes notify the topic", () => {
    const name = `tracker-${env.name}-waf-blocked-requests`;
    if (env.name === "staging") {
      // Staging's WAF is off by default: no ACL, so no alarm on it.
      expect(alarmsOf(json).filter((a) => a.alarm_name === name)).toEqual([]);
      return;
    }
    expect(alarmNamed(json, name)).toMatchObject({
      namespace: "AWS/WAFV2",
      metric_name: "BlockedRequests",
      dimensions: { WebACL: "tracker-production-web-acl", Region: "eu-central-1", Rule: "ALL" },
      statistic: "Sum",
      period: 300,
      evaluation_periods: 1,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 200,
      treat_missing_data: "notBreaching",
      alarm_actions: [topicArn],
      ok_actions: [topicArn],
    });
    expect(alarmNamed(json, name).alarm_description).toContain("aws-waf-logs-tracker-production");
    expect(alarms.webAcl?.blockedRequests.alarmNameInput).toBe(name);
  });

  it("OBS-2: the exact set of alarms (host alarms only with a database host)", () => {
    const p = `tracker-${env.name}`;
    const expected = [
      ...ALL.map((s) => `${p}-${s}-task-failures`),
      `${p}-alb-5xx`,
      ...PUBLIC.flatMap((s) => [`${p}-${s}-target-5xx`, `${p}-${s}-unhealthy-targets`, `${p}-${s}-no-healthy-targets`]),
      `${p}-database-connection-errors`,
      `${p}-redis-connection-errors`,
      ...(env.name === "staging"
        ? [`${p}-db-host-postgres-down`, `${p}-db-host-valkey-down`, `${p}-db-host-data-volume-usage`, `${p}-db-host-status-check-failed`]
        : []),
      ...(env.name === "production" ? [`${p}-waf-blocked-requests`] : []),
    ];
    expect(alarmsOf(json).map((a) => a.alarm_name).sort()).toEqual([...expected].sort());
    expect(alarms.all.map((a) => a.alarmNameInput).sort()).toEqual([...expected].sort());
  });

  it("OBS-2: every alarm notifies the topic on ALARM and on OK, and says what to do", () => {
    for (const alarm of alarmsOf(json)) {
      expect(alarm.alarm_name).toMatch(new RegExp(`^tracker-${env.name}-[a-z0-9-]+$`));
      expect(alarm.alarm_actions).toEqual([topicArn]);
      expect(alarm.ok_actions).toEqual([topicArn]);
      expect(alarm.actions_enabled).toBe(true);
      expect(alarm.alarm_description).toMatch(/To do: /);
    }
  });

  describe("OBS-2: ECS task failures: EventBridge -> log group -> metric filter -> alarm", () => {
    const [ruleName, rule] = only(json, "aws_cloudwatch_event_rule");
    const [groupName, group] = logGroupNamed(json, `/aws/events/tracker-${env.name}/ecs-task-failures`);

    it("the rule matches failed (not deliberately stopped) tasks of this cluster only", () => {
      const pattern = JSON.parse(rule.event_pattern);
      expect(pattern.source).toEqual(["aws.ecs"]);
      expect(pattern["detail-type"]).toEqual(["ECS Task State Change"]);
      expect(pattern.detail.clusterArn).toEqual([CLUSTER_ARN(env)]);
      expect(pattern.detail.lastStatus).toEqual(["STOPPED"]);
      expect(pattern.detail.$or).toEqual([
        { stopCode: ["TaskFailedToStart", "EssentialContainerExited"] },
        { stoppedReason: [{ prefix: "Task failed" }] },
      ]);
      expect(JSON.stringify(pattern)).not.toMatch(/UserInitiated|ServiceSchedulerInitiated/);
      expect(rule.name).toBe(`tracker-${env.name}-ecs-task-failures`);
      expect(rule.description).toBe(`Failed tasks of the ${env.name} ECS cluster, to /aws/events/tracker-${env.name}/ecs-task-failures (OBS-2)`);
    });

    it("one metric filter per service counts 1 per failed task of that service (by the event's group), named like its alarm", () => {
      const filters = resources(json, "aws_cloudwatch_log_metric_filter").filter(([, f]) => f.metric_transformation.name === "TaskFailures");
      expect(Object.fromEntries(filters.map(([, f]) => [f.name, f]))).toEqual(
        Object.fromEntries(
          ALL.map((service) => [
            `tracker-${env.name}-${service}-task-failures`,
            {
              name: `tracker-${env.name}-${service}-task-failures`,
              log_group_name: ref("aws_cloudwatch_log_group", groupName, "name"),
              pattern: `{ $.detail.group = "service:tracker-${env.name}-${service}" }`,
              metric_transformation: {
                name: "TaskFailures",
                namespace: `Tracker/${env.name}`,
                unit: "Count",
                value: "1",
                dimensions: { ServiceName: "$.detail.group" },
              },
            },
          ]),
        ),
      );
    });

    it("the rule's target is the KMS-encrypted events log group", () => {
      expect(group.kms_key_id).toBe(keyArn);
      expect(group.retention_in_days).toBe(LOG_RETENTION_DAYS[env.name]);
      const [, target] = only(json, "aws_cloudwatch_event_target");
      expect(target.rule).toBe(ref("aws_cloudwatch_event_rule", ruleName, "name"));
      expect(target.arn).toBe(ref("aws_cloudwatch_log_group", groupName, "arn"));
      expect(target.role_arn).toBeUndefined();
      expect(target.target_id).toBe("ecs-task-failures-log-group");
    });

    it("SHR-2: the stack's one log resource policy lets EventBridge write to that group, and only to it", () => {
      const [policyName, policy] = only(json, "aws_cloudwatch_log_resource_policy");
      expect(policy.policy_name).toBe(`tracker-${env.name}-log-delivery`);
      const doc = policyDocument(json, policy.policy_document);
      expect(doc.statement).toHaveLength(1);
      const [statement] = doc.statement;
      // The policy of the EventBridge user guide, narrowed to the one group.
      expect(statement.sid).toBe("EventBridgeWritesEcsTaskFailures");
      expect(statement.principals).toEqual([{ type: "Service", identifiers: ["events.amazonaws.com", "delivery.logs.amazonaws.com"] }]);
      expect(statement.actions.sort()).toEqual(["logs:CreateLogStream", "logs:PutLogEvents"]);
      expect(statement.resources).toEqual([`${ref("aws_cloudwatch_log_group", groupName, "arn")}:*`]);
      const [, target] = only(json, "aws_cloudwatch_event_target");
      expect(target.depends_on).toContain(`aws_cloudwatch_log_resource_policy.${policyName}`);
    });

    it.each(ALL)("%s: filter on the events group -> TaskFailures{ServiceName} -> its alarm", (service) => {
      const group_ = `service:tracker-${env.name}-${service}`;
      const [, filter] = only(
        json,
        "aws_cloudwatch_log_metric_filter",
        (f) => f.log_group_name === ref("aws_cloudwatch_log_group", groupName, "name") && String(f.pattern).includes(`"${group_}"`),
      );
      expect(filter.pattern).toBe(`{ $.detail.group = "${group_}" }`);
      const transformation = filter.metric_transformation;
      expect(transformation.name).toBe("TaskFailures");
      expect(transformation.namespace).toBe(`Tracker/${env.name}`);
      expect(transformation.value).toBe("1");
      expect(transformation.dimensions).toEqual({ ServiceName: "$.detail.group" });
      expect(transformation.default_value).toBeUndefined();

      const alarm = alarmNamed(json, `tracker-${env.name}-${service}-task-failures`);
      expect(alarm.namespace).toBe(transformation.namespace);
      expect(alarm.metric_name).toBe(transformation.name);
      // The dimension's value is the field the pattern pins: $.detail.group == group_.
      expect(Object.keys(alarm.dimensions)).toEqual(Object.keys(transformation.dimensions));
      expect(alarm.dimensions.ServiceName).toBe(group_);
      // DLV-2: a rollback alarm, one minute (it bounds the rollback time).
      expect(alarm).toMatchObject({
        statistic: "Sum",
        period: 60,
        evaluation_periods: 1,
        comparison_operator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        treat_missing_data: "notBreaching",
      });
    });
  });

  describe("OBS-2: database and Redis connectivity failures from the services' logs", () => {
    const cases_ = [
      { dependency: "db" as const, metric: "DatabaseConnectionErrors", alarm: "database-connection-errors" },
      { dependency: "redis" as const, metric: "RedisConnectionErrors", alarm: "redis-connection-errors" },
    ];
    it.each(cases_)("$dependency: filters on exactly its consumers' log groups feed the one alarm", ({ dependency, metric, alarm: what }) => {
      const filters = resources(json, "aws_cloudwatch_log_metric_filter").filter(([, f]) => f.metric_transformation.name === metric);
      const consumers = SERVICE_CATALOG.filter((s) => s.talksTo.includes(dependency)).map((s) => s.name);
      expect(consumers.length).toBeGreaterThan(0);
      const groupsWithFilters = new Set(filters.map(([, f]) => f.log_group_name));
      const expectedGroups = consumers.map((s) => ref("aws_cloudwatch_log_group", logGroupNamed(json, `/ecs/tracker-${env.name}/${s}`)[0], "name"));
      expect([...groupsWithFilters].sort()).toEqual([...expectedGroups].sort());
      for (const [, f] of filters) {
        expect(f.metric_transformation.namespace).toBe(`Tracker/${env.name}`);
        expect(f.metric_transformation.dimensions).toBeUndefined();
        // Each matching line counts once.
        expect(f.metric_transformation).toMatchObject({ unit: "Count", value: "1" });
        expect(f.name).toMatch(new RegExp(`^tracker-${env.name}-(${consumers.join("|")})-(postgres-client|asyncpg-connect|redis-client|redis-errno)-connection-errors$`));
      }
      // Two filters per consumer: the client library's messages and the bare connect errors.
      expect(filters).toHaveLength(consumers.length * 2);
      const alarm = alarmNamed(json, `tracker-${env.name}-${what}`);
      expect(alarm.metric_name).toBe(metric);
      expect(alarm.namespace).toBe(`Tracker/${env.name}`);
      expect(alarm.dimensions).toBeUndefined();
      expect(alarm).toMatchObject({ statistic: "Sum", period: 300, comparison_operator: "GreaterThanOrEqualToThreshold", treat_missing_data: "notBreaching" });
    });
  });

  describe("OBS-2: load balancer alarms", () => {
    it("ELB 5xx on the load balancer", () => {
      const alarm = alarmNamed(json, `tracker-${env.name}-alb-5xx`);
      expect(alarm).toMatchObject({
        namespace: "AWS/ApplicationELB",
        metric_name: "HTTPCode_ELB_5XX_Count",
        dimensions: { LoadBalancer: LOAD_BALANCER(env.name) },
        statistic: "Sum",
        treat_missing_data: "notBreaching",
      });
    });

    /** The metric queries an alarm over both target groups must have: `e` = expression over m0 (primary), m1 (alternate). */
    const queries = (service: string, metric: string, stat: string, expression: string) => [
      { id: "e", expression, label: `${metric} (sum over 2 target groups)`, return_data: true },
      ...[TARGET_GROUP(env.name, service), ALTERNATE_GROUP(env.name, service)].map((group, i) => ({
        id: `m${i}`,
        return_data: false,
        metric: {
          namespace: "AWS/ApplicationELB",
          metric_name: metric,
          stat,
          period: 60,
          dimensions: { TargetGroup: group, LoadBalancer: LOAD_BALANCER(env.name) },
        },
      })),
    ];

    it.each(PUBLIC)("DLV-1: %s: target 5xx, unhealthy targets and no healthy target over BOTH its target groups (the canary is in either)", (service) => {
      const target5xx = alarmNamed(json, `tracker-${env.name}-${service}-target-5xx`);
      expect(target5xx.metric_query).toEqual(queries(service, "HTTPCode_Target_5XX_Count", "Sum", "FILL(m0, 0) + FILL(m1, 0)"));
      expect(target5xx).toMatchObject({ evaluation_periods: 1, comparison_operator: "GreaterThanOrEqualToThreshold", threshold: 5, treat_missing_data: "notBreaching" });
      const unhealthy = alarmNamed(json, `tracker-${env.name}-${service}-unhealthy-targets`);
      expect(unhealthy.metric_query).toEqual(queries(service, "UnHealthyHostCount", "Maximum", "FILL(m0, 0) + FILL(m1, 0)"));
      expect(unhealthy).toMatchObject({ evaluation_periods: 3, datapoints_to_alarm: 2, comparison_operator: "GreaterThanOrEqualToThreshold", threshold: 1 });
      const none = alarmNamed(json, `tracker-${env.name}-${service}-no-healthy-targets`);
      expect(none.metric_query).toEqual(queries(service, "HealthyHostCount", "Minimum", "FILL(m0, 0) + FILL(m1, 0)"));
      expect(none).toMatchObject({ evaluation_periods: 2, comparison_operator: "LessThanThreshold", threshold: 1, treat_missing_data: "breaching" });
      // A metric-math alarm names no metric of its own.
      for (const alarm of [target5xx, unhealthy, none]) {
        expect(alarm.metric_name).toBeUndefined();
        expect(alarm.period).toBeUndefined();
      }
    });
  });

  it("OBS-3, ECS-6: deploymentAlarmNames(service) names alarms that exist: task failures, + target 5xx and unhealthy for public services", () => {
    const existing = new Set(alarmsOf(json).map((a) => a.alarm_name));
    for (const service of ALL) {
      const names = alarms.deploymentAlarmNames(service);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect(existing.has(name), `${service}: ${name}`).toBe(true);
      expect(alarms.deploymentAlarms(service).map((a) => a.alarmNameInput)).toEqual(names);
    }
    expect(alarms.deploymentAlarmNames("api")).toEqual([
      `tracker-${env.name}-api-task-failures`,
      `tracker-${env.name}-api-target-5xx`,
      `tracker-${env.name}-api-unhealthy-targets`,
    ]);
    expect(alarms.deploymentAlarmNames("tracker-fetcher")).toEqual([`tracker-${env.name}-tracker-fetcher-task-failures`]);
    expect(() => alarms.deploymentAlarmNames("docs" as ServiceName)).toThrow(/no service "docs"/);
  });
});

describe("OBS-2: what each alarm tells the person on call (staging; production differs only in the name)", () => {
  const { json } = built.staging;
  const describedAs = (name: string) => alarmNamed(json, name).alarm_description;
  const PROCESSES = (groups: readonly string[]) => groups.map((s) => `/ecs/tracker-staging/${s}`).join(", ");
  const DATABASE_CLIENTS = ["api", "tracker-fetcher", "unified-geofence", "notification-service", "materialized-view-service"];
  const REDIS_CLIENTS = ["api", "tracker-fetcher", "unified-geofence", "notification-service"];
  const QUERY = "(fields @timestamp, @log, @message | filter @message like /onnect/ | sort @timestamp desc)";

  it.each(ALL)("OBS-2: %s's task-failure alarm says where the stopped reason and the logs are", (service) => {
    expect(describedAs(`tracker-staging-${service}-task-failures`)).toBe(
      `A task of the ECS service tracker-staging-${service} failed (stopped with a failure stop code or failed its health checks) in the last minute. During a deployment this alarm rolls the service back (OBS-3). To do: read the stopped reason and exit codes in /aws/events/tracker-staging/ecs-task-failures and the service's logs in /ecs/tracker-staging/${service}; check the service's events in the ECS console.`,
    );
  });

  it.each([
    ["frontend", "/healthz"],
    ["api", "/health"],
    ["admin", "/healthz"],
  ])("OBS-2: %s's target alarms name the health path (%s), both target groups and the rollback", (service, healthPath) => {
    const p = `tracker-staging-${service}`;
    expect(describedAs(`${p}-target-5xx`)).toBe(
      `${p} returned 5 or more 5xx responses through the load balancer in one minute, summed over its 2 target groups (live and canary). During a deployment (canary and bake included) this alarm rolls the service back (OBS-3, DLV-1). To do: read the service's logs for the failing requests; if a deployment just finished, roll back to the previous image tags.`,
    );
    expect(describedAs(`${p}-unhealthy-targets`)).toBe(
      `At least one target of ${p} (in either target group) failed the load balancer's health check (${healthPath}) in 2 of the last 3 minutes. During a deployment (canary and bake included) this alarm rolls the service back (OBS-3, DLV-1). To do: check the target groups' health reasons and the service's logs and ECS events.`,
    );
    expect(describedAs(`${p}-no-healthy-targets`)).toBe(
      `${p} has had no healthy target behind the load balancer (in any of its 2 target groups (live and canary)) for 2 minutes: its hostname answers 503. To do: check the service's running count, stopped tasks and logs; roll back if a deployment caused it.`,
    );
  });

  it("OBS-2: the load balancer's own 5xx", () => {
    expect(describedAs("tracker-staging-alb-5xx")).toBe(
      "The staging load balancer itself returned 5 or more 5xx responses in 5 minutes (502/503/504: targets failing, timing out or none healthy). To do: check which target group's alarms are also firing (unhealthy or no healthy targets), then that service's tasks and logs.",
    );
  });

  it("OBS-2: the connectivity alarms list the services that use the store, their log groups and a Logs Insights query", () => {
    expect(describedAs("tracker-staging-database-connection-errors")).toBe(
      `Services logged 5 or more errors connecting to the database (PostgreSQL) in 5 minutes (sum over ${DATABASE_CLIENTS.join(", ")}). To do: find which service and which error with CloudWatch Logs Insights over ${PROCESSES(DATABASE_CLIENTS)} ${QUERY}; then check the database endpoint, its security group and, in staging, the database host's alarms.`,
    );
    expect(describedAs("tracker-staging-redis-connection-errors")).toBe(
      `Services logged 5 or more errors connecting to Redis (Valkey) in 5 minutes (sum over ${REDIS_CLIENTS.join(", ")}). To do: find which service and which error with CloudWatch Logs Insights over ${PROCESSES(REDIS_CLIENTS)} ${QUERY}; then check the Redis endpoint, its security group and, in staging, the database host's alarms.`,
    );
  });

  it("OBS-2, DB-8: the database host's alarms name the instance and what to check on it", () => {
    for (const [what, server] of [
      ["postgres-down", "PostgreSQL"],
      ["valkey-down", "Valkey"],
    ]) {
      expect(describedAs(`tracker-staging-db-host-${what}`)).toBe(
        `${server} on the staging database host (${HOST_INSTANCE_ID}) has not answered its probe, or the probe has published nothing, for 3 minutes. To do: open a shell with SSM Session Manager, check systemctl status and journalctl of the service and the tracker-db-health timer; check the host's status-check alarm.`,
      );
    }
    expect(describedAs("tracker-staging-db-host-data-volume-usage")).toBe(
      "The staging database host's data volume is more than 85 % full. To do: find what grows (WAL, tables, Valkey persistence); grow the EBS volume (dataVolumeGiB in the environment definition) and the filesystem before it fills, which stops PostgreSQL.",
    );
    expect(describedAs("tracker-staging-db-host-status-check-failed")).toBe(
      `The staging database host (${HOST_INSTANCE_ID}) failed its EC2 status checks (instance or system) for 2 minutes. A system failure is recovered automatically by the host's recover alarm; an instance failure is not. To do: check the instance's status checks and system log in the EC2 console; reboot it if the instance check keeps failing (the data volume survives).`,
    );
  });

  it("EDGE-7: production's WAF alarm says how to tell an attack from a false positive", () => {
    expect(alarmNamed(built.production.json, "tracker-production-waf-blocked-requests").alarm_description).toBe(
      "The production web ACL (tracker-production-web-acl) blocked 200 or more requests in 5 minutes. To do: in CloudWatch Logs Insights on aws-waf-logs-tracker-production, count blocked requests by terminatingRuleId, httpRequest.clientIp and httpRequest.uri. Many addresses or one scanner hitting odd paths: an attack the WAF is stopping, watch it. Real clients on normal API paths: a false positive; switch that rule to count (README, \"WAF\").",
    );
  });
});

describe("OBS-2, DB-8: database host alarms (staging, with a host instance)", () => {
  const { json } = built.staging;
  const probe = { namespace: "Tracker/DatabaseHost", dimensions: { Environment: "staging" } };

  it.each([
    ["postgres-down", "PostgresUp"],
    ["valkey-down", "ValkeyUp"],
  ])("%s: %s < 1 for 3 one-minute periods (the probe's timer runs every minute), and a silent host is a failing host", (what, metric) => {
    expect(alarmNamed(json, `tracker-staging-db-host-${what}`)).toMatchObject({
      ...probe,
      metric_name: metric,
      // Shorter than the probe's minute, every other period would be missing data, which breaches.
      period: 60,
      evaluation_periods: 3,
      // One failed probe in the minute counts, even if a retry answered.
      statistic: "Minimum",
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      treat_missing_data: "breaching",
    });
  });

  it("DB-8: the host publishes its probe once a minute, the period the down alarms evaluate", () => {
    const timer = readFileSync("src/data/database-host/files/systemd/tracker-db-health.timer", "utf8");
    expect(timer).toMatch(/^OnUnitActiveSec=1min$/m);
  });

  it("data volume above 85 %", () => {
    expect(alarmNamed(json, "tracker-staging-db-host-data-volume-usage")).toMatchObject({
      ...probe,
      metric_name: "DataVolumeUsedPercent",
      // The fullest reading of the 5 minutes.
      statistic: "Maximum",
      period: 300,
      comparison_operator: "GreaterThanThreshold",
      threshold: 85,
    });
  });

  it("EC2 status checks of the host instance", () => {
    expect(alarmNamed(json, "tracker-staging-db-host-status-check-failed")).toMatchObject({
      namespace: "AWS/EC2",
      metric_name: "StatusCheckFailed",
      dimensions: { InstanceId: HOST_INSTANCE_ID },
      statistic: "Maximum",
      period: 60,
      evaluation_periods: 2,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      // A host stopped for the night reports nothing; that is not a failed check.
      treat_missing_data: "notBreaching",
    });
  });

  it("production (no instance given) has none", () => {
    expect(alarmsOf(built.production.json).filter((a) => /db-host/.test(a.alarm_name))).toEqual([]);
    expect(alarmsOf(built.production.json).filter((a) => a.namespace === "AWS/EC2" || a.namespace === "Tracker/DatabaseHost")).toEqual([]);
  });
});

describe("OBS-2: the connect-error filters follow the ports the services really connect to", () => {
  const portsOf = (json: SynthesizedStack) =>
    Object.fromEntries(
      resources(json, "aws_cloudwatch_log_metric_filter")
        .filter(([, f]) => /^tracker-\w+-api-(asyncpg-connect|redis-errno)-/.test(f.name))
        .map(([, f]) => [f.name.split("-")[3] === "asyncpg" ? "db" : "redis", f.pattern]),
    );

  it("OBS-2: the client-message filters, as CloudWatch Logs reads them (`?\"a\" ?\"b\"`: a line with any of the terms)", () => {
    const pattern = (id: string) => only(built.staging.json, "aws_cloudwatch_log_metric_filter", (f) => f.name === `tracker-staging-api-${id}-connection-errors`)[1].pattern;
    expect(pattern("postgres-client")).toBe(
      '?"could not connect to server" ?"connection to server at" ?"server closed the connection unexpectedly" ?"could not translate host name" ' +
        '?"SSL connection has been closed unexpectedly" ?"too many clients already" ?"password authentication failed for user" ' +
        '?"CannotConnectNowError" ?"ConnectionDoesNotExistError"',
    );
    expect(pattern("redis-client")).toBe(
      '?"redis.exceptions.ConnectionError" ?"redis.exceptions.TimeoutError" ?"redis.exceptions.AuthenticationError" ' +
        '?"Error connecting to" ?"Timeout connecting to server" ?"Connection closed by server"',
    );
  });

  it("OBS-2: a dependency no service of the catalog talks to gets no filter and no alarm (an alarm over nothing would never fire)", () => {
    const stack = new TerraformStack(Testing.app(), "no-consumers");
    const logGroups = new ServiceLogGroups(stack, "service-logs", { environment: "staging", retentionDays: 30, kmsKeyArn: "arn:aws:kms:eu-central-1:802732539686:key/x" });
    // materialized-view-service talks to the database only; anisette to neither.
    const alarms = new ConnectivityAlarms(stack, "connectivity", {
      environment: "staging",
      logGroups,
      topicArn: "arn:aws:sns:eu-central-1:802732539686:tracker-staging-alarms",
      databasePort: 5432,
      redisPort: 6379,
      catalog: SERVICE_CATALOG.filter((s) => s.name === "materialized-view-service" || s.name === "anisette"),
    });
    expect([...alarms.alarms.keys()]).toEqual(["db"]);
    expect([...alarms.filters.keys()]).toEqual(["db"]);
    expect([...alarms.filters.get("db")!.keys()]).toEqual(["materialized-view-service"]);
    const json = JSON.parse(Testing.synth(stack)) as SynthesizedStack;
    expect(alarmsOf(json).map((a) => a.alarm_name)).toEqual(["tracker-staging-database-connection-errors"]);
  });

  it("staging's host listens on PostgreSQL's 5432 and Valkey's 6379", () => {
    expect(portsOf(built.staging.json)).toEqual({ db: '"Connect call failed" ", 5432)"', redis: '"connecting to" ":6379"' });
  });

  it("production's external endpoints on other ports (a PgBouncer on 6432, Valkey on 6380) are watched on those", () => {
    const external = PRODUCTION.dataPlane;
    if (external.mode !== "external") throw new Error("production's data plane is external");
    const moved: EnvironmentDefinition = {
      ...PRODUCTION,
      dataPlane: { ...external, postgres: { ...external.postgres, port: 6432 }, redis: { ...external.redis, port: 6380 } },
    };
    expect(portsOf(build(moved).json)).toEqual({ db: '"Connect call failed" ", 6432)"', redis: '"connecting to" ":6380"' });
  });
});

describe("OBS-2: connection-error patterns are conservative per dependency", () => {
  const database = [
    'psycopg2.OperationalError: connection to server at "db.staging.tracker.internal" (10.42.64.10), port 5432 failed: Connection refused',
    'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) could not connect to server: Connection refused',
    "psycopg2.OperationalError: server closed the connection unexpectedly",
    "ConnectionRefusedError: [Errno 111] Connect call failed ('10.42.64.10', 5432)",
    "asyncpg.exceptions.CannotConnectNowError: the database system is starting up",
  ];
  const redis = [
    "redis.exceptions.ConnectionError: Error 111 connecting to redis.staging.tracker.internal:6379. Connection refused.",
    "Error 111 connecting to redis.staging.tracker.internal:6379. Connection refused.",
    "redis.exceptions.TimeoutError: Timeout connecting to server",
    "redis.exceptions.AuthenticationError: invalid username-password pair or user is disabled.",
  ];
  const neither = [
    "requests.exceptions.ConnectionError: HTTPConnectionPool(host='anisette-v3', port=6969): Max retries exceeded",
    "aiohttp.client_exceptions.ClientConnectorError: Cannot connect to host anisette-v3:6969 ssl:default [Connect call failed ('10.42.16.5', 6969)]",
    "sqlalchemy.exc.OperationalError: (psycopg2.errors.QueryCanceled) canceling statement due to statement timeout",
    "INFO connected to the database, pool ready",
  ];

  it.each(database)("database, not Redis: %s", (line) => {
    expect(matchesAny("db", line)).toBe(true);
    expect(matchesAny("redis", line)).toBe(false);
  });
  it.each(redis)("Redis, not database: %s", (line) => {
    expect(matchesAny("redis", line)).toBe(true);
    expect(matchesAny("db", line)).toBe(false);
  });
  it.each(neither)("neither: %s", (line) => {
    expect(matchesAny("db", line)).toBe(false);
    expect(matchesAny("redis", line)).toBe(false);
  });
});

describe("OBS-2: load balancer alarms need every public service's target group", () => {
  it("throws naming the service without one", () => {
    const stack = new TerraformStack(Testing.app(), "missing-target-group");
    expect(
      () =>
        new LoadBalancerAlarms(stack, "lb", {
          environment: "staging",
          topicArn: "arn:aws:sns:eu-central-1:802732539686:tracker-staging-alarms",
          loadBalancerArnSuffix: LOAD_BALANCER("staging"),
          targetGroupArnSuffixes: { api: [TARGET_GROUP("staging", "api")], frontend: [TARGET_GROUP("staging", "frontend")] },
        }),
    ).toThrow(/no target group for the public-web service\(s\) admin/);
    expect(
      () =>
        new LoadBalancerAlarms(new TerraformStack(Testing.app(), "two-missing"), "lb", {
          environment: "staging",
          topicArn: "arn:aws:sns:eu-central-1:802732539686:tracker-staging-alarms",
          loadBalancerArnSuffix: LOAD_BALANCER("staging"),
          targetGroupArnSuffixes: { api: [TARGET_GROUP("staging", "api")] },
        }),
    ).toThrow("LoadBalancerAlarms: targetGroupArnSuffixes has no target group for the public-web service(s) frontend, admin; pass each target group's arn_suffix");
  });

  // A service with one target group (no canary pair): the descriptions say so, and a health path
  // the catalog row does not give reads as "health path" rather than "undefined".
  const single = new TerraformStack(Testing.app(), "single-target-group");
  const api = SERVICE_CATALOG.find((s) => s.name === "api")!;
  const alarms = new LoadBalancerAlarms(single, "lb", {
    environment: "staging",
    topicArn: "arn:aws:sns:eu-central-1:802732539686:tracker-staging-alarms",
    loadBalancerArnSuffix: LOAD_BALANCER("staging"),
    targetGroupArnSuffixes: { api: [TARGET_GROUP("staging", "api")] },
    catalog: [{ ...api, healthPath: undefined }],
  });
  const described = Object.fromEntries(
    resources(JSON.parse(Testing.synth(single)) as SynthesizedStack, "aws_cloudwatch_metric_alarm").map(([, a]) => [a.alarm_name, a.alarm_description]),
  );

  it("OBS-2: with one target group per service the alarms read 'its target group', and name the health check without a path as 'health path'", () => {
    expect(described["tracker-staging-api-target-5xx"]).toContain("summed over its target group. During a deployment");
    expect(described["tracker-staging-api-no-healthy-targets"]).toContain("(in any of its target group) for 2 minutes");
    expect(described["tracker-staging-api-unhealthy-targets"]).toContain("failed the load balancer's health check (health path) in 2 of the last 3 minutes");
  });

  it("OBS-2: asking for the alarms of a service that is not public web names it", () => {
    expect(alarms.targetGroup("api").target5xx).toBeDefined();
    expect(() => alarms.targetGroup("anisette")).toThrow('LoadBalancerAlarms: "anisette" is not a public-web service of the catalog');
  });
});

/**
 * What each alarm does, one broken thing at a time: from a healthy series, change one datapoint
 * (one failed task, one minute of an unhealthy target, a silent probe...) and the alarm must go
 * to ALARM; the healthy series and the near-misses must stay OK. The series are the operator's
 * expectation, written out here; the alarms are the synthesized ones, evaluated as CloudWatch does.
 */
describe("OBS-2, DB-8: each alarm fires on one broken thing and stays quiet otherwise", () => {
  const none: Datapoint = undefined;
  type Scenario = readonly [label: string, series: readonly Datapoint[], state: "OK" | "ALARM"];
  const scenarios: Record<string, readonly Scenario[]> = {
    "api-task-failures": [
      ["no task stopped (no events at all)", [none], "OK"],
      ["one task failed in the last 5 minutes", [1], "ALARM"],
    ],
    "alb-5xx": [
      ["no 5xx (no data)", [none], "OK"],
      ["4 ELB 5xx in 5 minutes", [4], "OK"],
      ["5 ELB 5xx in 5 minutes", [5], "ALARM"],
    ],
    "frontend-target-5xx": [
      ["no 5xx (no data)", [none], "OK"],
      ["4 target 5xx in 5 minutes", [4], "OK"],
      ["5 target 5xx in 5 minutes", [5], "ALARM"],
    ],
    "admin-unhealthy-targets": [
      ["all targets healthy", [0, 0, 0], "OK"],
      ["one unhealthy target for a single minute (a blip)", [0, 0, 1], "OK"],
      ["one unhealthy target in 2 of the last 3 minutes", [1, 0, 1], "ALARM"],
    ],
    "api-no-healthy-targets": [
      ["one healthy target", [1, 1], "OK"],
      ["no healthy target for one minute", [1, 0], "OK"],
      ["no healthy target for two minutes", [0, 0], "ALARM"],
      ["the target group reports nothing (no targets at all)", [none, none], "ALARM"],
    ],
    "database-connection-errors": [
      ["no errors logged", [none], "OK"],
      ["4 errors in 5 minutes", [4], "OK"],
      ["5 errors in 5 minutes", [5], "ALARM"],
    ],
    "redis-connection-errors": [
      ["no errors logged", [none], "OK"],
      ["5 errors in 5 minutes", [5], "ALARM"],
    ],
    "db-host-postgres-down": [
      ["PostgreSQL answers", [1, 1, 1], "OK"],
      ["down for two probes", [1, 0, 0], "OK"],
      ["down for three probes", [0, 0, 0], "ALARM"],
      ["the probe is silent for three minutes (host down)", [none, none, none], "ALARM"],
    ],
    "db-host-valkey-down": [
      ["Valkey answers", [1, 1, 1], "OK"],
      ["down for three probes", [0, 0, 0], "ALARM"],
      ["the probe is silent", [none, none, none], "ALARM"],
    ],
    "db-host-data-volume-usage": [
      ["85 % used", [85], "OK"],
      ["86 % used", [86], "ALARM"],
      ["no data", [none], "OK"],
    ],
    "db-host-status-check-failed": [
      ["status checks pass", [0, 0], "OK"],
      ["one failed minute", [0, 1], "OK"],
      ["two failed minutes", [1, 1], "ALARM"],
    ],
  };
  const json = built.staging.json;
  for (const [alarm, list] of Object.entries(scenarios)) {
    it.each(list)(`tracker-staging-${alarm}: %s -> %s`, (_label, series, state) => {
      expect(alarmState(alarmNamed(json, `tracker-staging-${alarm}`) as never, series)).toBe(state);
    });
  }

  it("production's alarms behave the same as staging's (same thresholds, same windows)", () => {
    for (const alarm of alarmsOf(built.production.json)) {
      // EDGE-7: the WAF's alarm exists where the WAF is on (production; staging only for a rehearsal).
      if (String(alarm.alarm_name).endsWith("-waf-blocked-requests")) continue;
      const twin = alarmNamed(json, String(alarm.alarm_name).replace("tracker-production-", "tracker-staging-"));
      for (const key of ["comparison_operator", "threshold", "evaluation_periods", "datapoints_to_alarm", "treat_missing_data", "period", "statistic"]) {
        expect(alarm[key], `${alarm.alarm_name}.${key}`).toEqual(twin[key]);
      }
    }
  });

  it("every staging alarm has a scenario per service kind above (none left untested)", () => {
    const covered = new Set(Object.keys(scenarios).map((a) => a.replace(/^(api|frontend|admin)-/, "")));
    for (const alarm of alarmsOf(json)) {
      const kind = String(alarm.alarm_name)
        .replace("tracker-staging-", "")
        .replace(new RegExp(`^(${ALL.join("|")})-`), "");
      expect(covered.has(kind), `no scenario for ${alarm.alarm_name}`).toBe(true);
    }
  });
});
