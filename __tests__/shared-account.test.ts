/**
 * The shared staging account (SHR-1, SHR-2): nothing a stack writes selects another project's
 * resources by tag, name or prefix, and no stack changes a setting of the whole account.
 *
 * - The four `shared-account-*` policy rules pass on every synthesized stack, and each of them has
 *   real resources to look at (no rule passes because it saw nothing).
 * - Each selector kind has fixtures that break it, including the defects this suite was written for
 *   (the snapshot policy on `Environment=staging`, the key policy on every log group).
 * - Staging's snapshot expectation is checked positively: a stack with a database host has exactly
 *   one snapshot policy, with one target tag that only the data volume carries, and a role that may
 *   use the volume's key. A stack without the policy fails it.
 *
 * Each stack is synthesized once for this file.
 */
import { describe, expect, it } from "vitest";
import { ENVIRONMENTS, PRODUCTION, STAGING } from "../src/config/environments";
import { bootstrapStackName, environmentStackName } from "../src/config/naming";
import { SERVICE_CATALOG } from "../src/config/service-catalog";
import type { EnvironmentDefinition } from "../src/config/types";
import { PolicyContext, block, blocks, runRules, type TerraformJson, type TfConfig } from "../policies/engine";
import { RULES } from "../policies/index";
import { ACCOUNT_WIDE_TYPES } from "../policies/rules/shared-account-no-account-settings";
import { isOwnedTag } from "../policies/shared-account";
import { synthBootstrap, synthTracker } from "./support/synth";
import { PRODUCTION_ADOPTED_BY_TAGS } from "./support/variants";

const SHARED_RULES = RULES.filter((r) => r.id.startsWith("shared-account-"));

interface Stack {
  readonly name: string;
  readonly label: string;
  readonly env: EnvironmentDefinition;
  readonly json: TerraformJson;
}
const STACKS: Stack[] = [
  ...ENVIRONMENTS.flatMap((env) => [
    { name: environmentStackName(env.name), label: environmentStackName(env.name), env, json: synthTracker(env) as TerraformJson },
    { name: bootstrapStackName(env.name), label: bootstrapStackName(env.name), env, json: synthBootstrap(env) as TerraformJson },
  ]),
  {
    name: environmentStackName(PRODUCTION.name),
    label: `${environmentStackName(PRODUCTION.name)} (adopted network)`,
    env: PRODUCTION_ADOPTED_BY_TAGS,
    json: synthTracker(PRODUCTION_ADOPTED_BY_TAGS, "shared-account-production-adopted") as TerraformJson,
  },
];
const stagingJson = STACKS.find((s) => s.label === environmentStackName(STAGING.name))!.json;

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const findings = (json: TerraformJson, ruleId?: string) =>
  runRules({ name: "fixture", json }, ruleId ? SHARED_RULES.filter((r) => r.id === ruleId) : SHARED_RULES).map((f) => `${f.ruleId}: ${f.message}`);

type Resources = Record<string, Record<string, TfConfig>>;
const tf = (resource: Resources, data: Resources = {}): TerraformJson => ({
  provider: { aws: [{ default_tags: [{ tags: { Project: "tracker", Environment: "staging", ManagedBy: "cdktf" } }] }] },
  resource,
  data,
});
const doc = (statement: TfConfig): TerraformJson => tf({}, { aws_iam_policy_document: { d: { statement: [statement] } } });
const dlm = (targetTags: Record<string, string>, extra: TfConfig = {}): TerraformJson =>
  tf({ aws_dlm_lifecycle_policy: { p: { execution_role_arn: "x", policy_details: [{ resource_types: ["VOLUME"], target_tags: targetTags }], ...extra } } });
const eventRule = (pattern: unknown): TerraformJson =>
  tf({ aws_ecs_cluster: { c: { name: "tracker-staging-cluster" } }, aws_cloudwatch_event_rule: { r: { name: "tracker-staging-x", event_pattern: JSON.stringify(pattern) } } });
const ecsTaskEvents = (detail: TfConfig) => ({ source: ["aws.ecs"], "detail-type": ["ECS Task State Change"], detail });
const backup = (selection: TfConfig): TerraformJson =>
  tf({ aws_ebs_volume: { v: { size: 100 } }, aws_backup_selection: { s: { name: "tracker-staging-db", iam_role_arn: "x", plan_id: "y", ...selection } } });
const instanceAttach = (conditions: TfConfig[]): TerraformJson =>
  doc({ actions: ["ec2:AttachVolume"], resources: ["arn:aws:ec2:eu-central-1:802732539686:instance/*"], condition: conditions });
const tagCondition = (key: string, value: string) => ({ test: "StringEquals", variable: `aws:ResourceTag/${key}`, values: [value] });
const logResourcePolicy = (policies: Record<string, { name: string; resource: string }>): TerraformJson => ({
  ...tf({
    aws_cloudwatch_log_group: { g: { name: "/aws/events/tracker-staging/ecs-task-failures" } },
    aws_cloudwatch_log_resource_policy: Object.fromEntries(
      Object.entries(policies).map(([id, p]) => [id, { policy_name: p.name, policy_document: `\${data.aws_iam_policy_document.${id}.json}` }]),
    ),
  }),
  data: {
    aws_iam_policy_document: Object.fromEntries(
      Object.entries(policies).map(([id, p]) => [
        id,
        { statement: [{ actions: ["logs:PutLogEvents"], principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }], resources: [p.resource] }] },
      ]),
    ),
  },
});

/** A fixture and whether the shared-account rules must find something in it. */
interface Fixture {
  readonly title: string;
  readonly rule: string;
  readonly json: TerraformJson;
}

// Broken: each must be found by its rule ----------------------------------------------------------
const BROKEN: Fixture[] = [
  // Lifecycle policies: DLM ORs target tags, so one generic tag is enough to select every project's volumes.
  { title: "DLM on the old tags {Environment=staging, TrackerRole=database-host-data}", rule: "shared-account-selectors", json: dlm({ Environment: "staging", TrackerRole: "database-host-data" }) },
  { title: "DLM on Environment=staging alone", rule: "shared-account-selectors", json: dlm({ Environment: "staging" }) },
  { title: "DLM on our tag OR Environment=staging (ORed: the generic one still selects everyone's)", rule: "shared-account-selectors", json: dlm({ "tracker:snapshot-policy": "tracker-staging-db-snapshots", Environment: "staging" }) },
  { title: "DLM on a Name without the project prefix", rule: "shared-account-selectors", json: dlm({ Name: "db-data" }) },
  { title: "DLM on our tag key with a wildcard value", rule: "shared-account-selectors", json: dlm({ "tracker:snapshot-policy": "*" }) },
  { title: "DLM with no target tags", rule: "shared-account-selectors", json: dlm({}) },
  { title: "a DLM default policy (every volume of the region)", rule: "shared-account-no-account-settings", json: dlm({}, { default_policy: "VOLUME" }) },
  // Backup selections.
  { title: "backup selection of every resource", rule: "shared-account-selectors", json: backup({ resources: ["*"] }) },
  { title: "backup selection of every EBS volume", rule: "shared-account-selectors", json: backup({ resources: ["arn:aws:ec2:*:*:volume/*"] }) },
  { title: "backup selection by Environment=staging", rule: "shared-account-selectors", json: backup({ selection_tag: [{ type: "STRINGEQUALS", key: "Environment", value: "staging" }] }) },
  // Event rules.
  { title: "ECS task events of every cluster in the account", rule: "shared-account-selectors", json: eventRule(ecsTaskEvents({ lastStatus: ["STOPPED"] })) },
  { title: "ECS task events of every cluster but one", rule: "shared-account-selectors", json: eventRule(ecsTaskEvents({ clusterArn: [{ "anything-but": "${aws_ecs_cluster.c.arn}" }] })) },
  {
    title: "an $or with one branch on our cluster and one on everyone's",
    rule: "shared-account-selectors",
    json: eventRule(ecsTaskEvents({ $or: [{ clusterArn: ["${aws_ecs_cluster.c.arn}"] }, { stopCode: ["TaskFailedToStart"] }] })),
  },
  { title: "an event rule on a prefix every project shares", rule: "shared-account-selectors", json: eventRule(ecsTaskEvents({ clusterArn: [{ prefix: "arn:aws:ecs:eu-central-1:802732539686:cluster/" }] })) },
  // Log subscriptions and metric filters.
  {
    title: "a subscription filter on another project's log group",
    rule: "shared-account-selectors",
    json: tf({ aws_cloudwatch_log_subscription_filter: { f: { name: "tracker-staging-x", log_group_name: "/ecs/other-app/api", filter_pattern: "", destination_arn: "x" } } }),
  },
  { title: "a metric filter on a Lambda's log group", rule: "shared-account-selectors", json: tf({ aws_cloudwatch_log_metric_filter: { f: { name: "tracker-staging-x", log_group_name: "/aws/lambda/billing", pattern: "ERROR" } } }) },
  // SSM targets.
  {
    title: "an SSM association on every staging instance",
    rule: "shared-account-selectors",
    json: tf({ aws_ssm_association: { a: { name: "AWS-RunPatchBaseline", targets: [{ key: "tag:Environment", values: ["staging"] }] } } }),
  },
  // IAM conditions.
  { title: "the host's old attach grant {TrackerRole=database-host, Environment=staging}", rule: "shared-account-iam-selectors", json: instanceAttach([tagCondition("TrackerRole", "database-host"), tagCondition("Environment", "staging")]) },
  { title: "a tag-narrowed grant on Environment=staging alone", rule: "shared-account-iam-selectors", json: instanceAttach([tagCondition("Environment", "staging")]) },
  {
    title: "the old key policy: CloudWatch Logs may use the key for every log group of the account",
    rule: "shared-account-iam-selectors",
    json: doc({
      actions: ["kms:GenerateDataKey*"],
      resources: ["*"],
      principals: [{ type: "Service", identifiers: ["logs.eu-central-1.amazonaws.com"] }],
      condition: [{ test: "ArnLike", variable: "kms:EncryptionContext:aws:logs:arn", values: ["arn:aws:logs:eu-central-1:802732539686:log-group:*"] }],
    }),
  },
  { title: "a StringLike tag condition of * alone", rule: "shared-account-iam-selectors", json: doc({ actions: ["ec2:StartInstances"], resources: ["*"], condition: [{ test: "StringLike", variable: "aws:ResourceTag/Name", values: ["*"] }] }) },
  {
    title: "a name pattern whose prefix is not ours (ForAnyValue:StringLike)",
    rule: "shared-account-iam-selectors",
    json: doc({ actions: ["ecs:UpdateService"], resources: ["*"], condition: [{ test: "ForAnyValue:StringLike", variable: "ecs:cluster", values: ["arn:aws:ecs:eu-central-1:802732539686:cluster/*"] }] }),
  },
  {
    title: "a pattern whose project name touches a wildcard (*tracker-* also matches nottracker-x)",
    rule: "shared-account-iam-selectors",
    json: doc({ actions: ["ecs:UpdateService"], resources: ["*"], condition: [{ test: "StringLike", variable: "ecs:cluster", values: ["arn:aws:ecs:eu-central-1:802732539686:cluster/*tracker-*"] }] }),
  },
  // Account-wide settings: every listed type, a prefixed one, and the VPC defaults of a VPC not ours.
  ...ACCOUNT_WIDE_TYPES.map((type) => ({ title: `${type} (account-wide)`, rule: "shared-account-no-account-settings", json: tf({ [type]: { x: {} } }) })),
  { title: "aws_organizations_policy (every aws_organizations_* type)", rule: "shared-account-no-account-settings", json: tf({ aws_organizations_policy: { x: { name: "p" } } }) },
  { title: "the default VPC's default security group", rule: "shared-account-no-account-settings", json: tf({ aws_default_security_group: { d: {} } }) },
  {
    title: "the default security group of a looked-up VPC",
    rule: "shared-account-no-account-settings",
    json: tf({ aws_default_security_group: { d: { vpc_id: "${data.aws_vpc.other.id}" } } }, { aws_vpc: { other: { default: true } } }),
  },
  { title: "a policy on the default event bus", rule: "shared-account-no-account-settings", json: tf({ aws_cloudwatch_event_bus_policy: { p: { policy: "{}" } } }) },
  // CloudWatch Logs resource policies (10 per account and region, shared).
  { title: "the EventBridge console's policy on /aws/events/*", rule: "shared-account-log-resource-policy", json: logResourcePolicy({ p: { name: "TrustEventsToStoreLogEvent", resource: "arn:aws:logs:eu-central-1:802732539686:log-group:/aws/events/*:*" } }) },
  { title: "a project-named policy on every log group", rule: "shared-account-log-resource-policy", json: logResourcePolicy({ p: { name: "tracker-staging-events", resource: "*" } }) },
  {
    title: "two resource policies in one stack",
    rule: "shared-account-log-resource-policy",
    json: logResourcePolicy({ a: { name: "tracker-staging-a", resource: "${aws_cloudwatch_log_group.g.arn}:*" }, b: { name: "tracker-staging-b", resource: "${aws_cloudwatch_log_group.g.arn}:*" } }),
  },
];

// Compliant: nothing found --------------------------------------------------------------------------
const COMPLIANT: Fixture[] = [
  { title: "DLM on one tracker:* tag valued with the policy's name", rule: "shared-account-selectors", json: dlm({ "tracker:snapshot-policy": "tracker-staging-db-snapshots" }) },
  { title: "backup selection of a volume of the stack", rule: "shared-account-selectors", json: backup({ resources: ["${aws_ebs_volume.v.arn}"] }) },
  {
    title: "backup selection of * narrowed by a condition on our tag",
    rule: "shared-account-selectors",
    json: backup({ resources: ["*"], condition: [{ string_equals: [{ key: "aws:ResourceTag/tracker:snapshot-policy", value: "tracker-staging-db-snapshots" }] }] }),
  },
  { title: "ECS task events of our cluster (by reference)", rule: "shared-account-selectors", json: eventRule(ecsTaskEvents({ clusterArn: ["${aws_ecs_cluster.c.arn}"], lastStatus: ["STOPPED"] })) },
  { title: "ECS task events of our cluster (by a name prefix of ours)", rule: "shared-account-selectors", json: eventRule(ecsTaskEvents({ clusterArn: [{ prefix: "arn:aws:ecs:eu-central-1:802732539686:cluster/tracker-staging-" }] })) },
  { title: "a scheduled rule (selects nothing)", rule: "shared-account-selectors", json: tf({ aws_cloudwatch_event_rule: { r: { name: "tracker-staging-nightly", schedule_expression: "cron(0 3 * * ? *)" } } }) },
  { title: "a metric filter on our log group by name", rule: "shared-account-selectors", json: tf({ aws_cloudwatch_log_metric_filter: { f: { name: "x", log_group_name: "/ecs/tracker-staging/api", pattern: "ERROR" } } }) },
  {
    title: "an SSM association on our host's tag",
    rule: "shared-account-selectors",
    json: tf({ aws_ssm_association: { a: { name: "AWS-RunPatchBaseline", targets: [{ key: "tag:tracker:role", values: ["tracker-staging-db-host"] }] } } }),
  },
  { title: "a tag-narrowed grant with one project-unique tag (ANDed with Environment)", rule: "shared-account-iam-selectors", json: instanceAttach([tagCondition("tracker:role", "tracker-staging-db-host"), tagCondition("Environment", "staging")]) },
  { title: "a tag-narrowed grant on the Project tag", rule: "shared-account-iam-selectors", json: instanceAttach([tagCondition("Project", "tracker")]) },
  {
    title: "CloudWatch Logs may use the key for our log groups only",
    rule: "shared-account-iam-selectors",
    json: doc({ actions: ["kms:GenerateDataKey*"], resources: ["*"], condition: [{ test: "ArnLike", variable: "kms:EncryptionContext:aws:logs:arn", values: ["arn:aws:logs:eu-central-1:802732539686:log-group:/ecs/tracker-staging*"] }] }),
  },
  { title: "a role-name prefix of ours (tracker-*)", rule: "shared-account-iam-selectors", json: doc({ actions: ["iam:PassRole"], resources: ["*"], condition: [{ test: "StringLike", variable: "iam:AssociatedResourceArn", values: ["arn:aws:ecs:*:802732539686:task-definition/tracker-*"] }] }) },
  {
    title: "a Deny on other projects' tags is not a selector",
    rule: "shared-account-iam-selectors",
    json: doc({ effect: "Deny", actions: ["ec2:TerminateInstances"], resources: ["*"], condition: [{ test: "StringNotEquals", variable: "aws:ResourceTag/Project", values: ["tracker"] }] }),
  },
  { title: "the default security group of our own VPC", rule: "shared-account-no-account-settings", json: tf({ aws_vpc: { v: { cidr_block: "10.42.0.0/16" } }, aws_default_security_group: { d: { vpc_id: "${aws_vpc.v.id}" } } }) },
  { title: "a policy on a bus of ours", rule: "shared-account-no-account-settings", json: tf({ aws_cloudwatch_event_bus_policy: { p: { event_bus_name: "tracker-staging-bus", policy: "{}" } } }) },
  { title: "one project-named policy on our log group", rule: "shared-account-log-resource-policy", json: logResourcePolicy({ p: { name: "tracker-staging-ecs-task-failures-events", resource: "${aws_cloudwatch_log_group.g.arn}:*" } }) },
];

// ---------------------------------------------------------------------------------------------------
// The positive expectation: a stack with a database host snapshots exactly its data volume.
// ---------------------------------------------------------------------------------------------------

/** What is wrong with a stack's snapshot policy, for an environment that must (or must not) have one. */
function snapshotProblems(json: TerraformJson, required: boolean): string[] {
  const ctx = new PolicyContext({ name: "stack", json });
  const policies = ctx.resources("aws_dlm_lifecycle_policy");
  if (!required) return policies.length === 0 ? [] : ["a snapshot policy in an environment without a database host"];
  if (policies.length !== 1) return [`DB-3: expected one snapshot policy, found ${policies.length}`];
  const policy = policies[0]!;
  const details = block(policy.config["policy_details"]) ?? {};
  const targets = Object.entries((details["target_tags"] as Record<string, string> | undefined) ?? {});
  if (targets.length !== 1) return [`expected exactly one target tag (DLM ORs them), found ${targets.length}`];
  const [key, value] = targets[0]!;
  const problems: string[] = [];
  if (!isOwnedTag(key, value, ctx)) problems.push(`target tag ${key}=${value} is not unique to this project`);
  const defaultTags = (json.provider?.["aws"] ?? []).map((p) => block(p["default_tags"])?.["tags"] as TfConfig | undefined);
  if (defaultTags.some((t) => t && key in t)) problems.push(`${key} is a provider default tag: every resource would carry it`);
  const carriers = ctx.all().filter((r) => r.kind === "resource" && (r.config["tags"] as TfConfig | undefined)?.[key] === value);
  const volumes = carriers.filter((r) => r.type === "aws_ebs_volume");
  if (carriers.length !== 1 || volumes.length !== 1) problems.push(`the target tag is on ${carriers.map((r) => r.address).join(", ") || "nothing"}, not on the data volume alone`);
  if (ctx.resources("aws_instance").some((i) => i.config["volume_tags"] !== undefined)) problems.push("an instance sets volume_tags, which rewrites its attached volumes' tags");
  // The snapshot role may use the key the volume is encrypted with (the managed policy grants no KMS use).
  const volume = volumes[0];
  const role = ctx.resolve(policy.config["execution_role_arn"]);
  if (volume && role) {
    const inline = ctx.resources("aws_iam_role_policy").filter((p) => ctx.referenced(p.config["role"]).includes(role));
    const statements = inline.flatMap((p) => ctx.policyStatements(p.config["policy"]) ?? []);
    const onKey = (action: string) => statements.filter((s) => s.effect === "Allow" && s.actions.includes(action) && s.resources.length === 1 && s.resources[0] === volume.config["kms_key_id"]);
    for (const action of ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"]) {
      if (onKey(action).length === 0) problems.push(`the snapshot role may not ${action} on the volume's key`);
    }
    const grant = onKey("kms:CreateGrant");
    if (!grant.some((s) => s.conditions.some((c) => c.variable === "kms:GrantIsForAWSResource" && c.values.includes("true")))) {
      problems.push("the snapshot role may not create grants for AWS resources on the volume's key");
    }
  } else {
    problems.push("the data volume or the snapshot role cannot be found");
  }
  return problems;
}

describe("SHR-1, SHR-2: the shared-account rules over every synthesized stack", () => {
  for (const stack of STACKS) {
    it(`SHR-1/SHR-2: ${stack.label}: nothing selects other projects' resources, no account-wide setting`, () => {
      expect(findings(stack.json)).toEqual([]);
    });
  }

  it("SHR-1/SHR-2: each shared-account rule has resources of the real stacks to look at", () => {
    const contexts = STACKS.map((s) => new PolicyContext(s));
    for (const rule of SHARED_RULES) {
      const seen = contexts.reduce((n, ctx) => n + rule.resourceTypes.reduce((m, t) => m + ctx.resources(t).length, 0), 0);
      expect(seen, rule.id).toBeGreaterThan(0);
    }
    expect(SHARED_RULES.map((r) => r.id).sort()).toEqual([
      "shared-account-iam-selectors",
      "shared-account-log-resource-policy",
      "shared-account-no-account-settings",
      "shared-account-selectors",
    ]);
  });
});

/** What each broken fixture must produce, word for word (rule: message), as an operator reads it. */
const BROKEN_FINDINGS: Record<string, readonly string[]> = {
  "DLM on the old tags {Environment=staging, TrackerRole=database-host-data}": [
    "shared-account-selectors: target tag Environment=staging is not unique to this project: DLM acts on every volume carrying ANY target tag, so each must be one only our resources carry (a tracker:* key or a tracker-<env>-* value)",
    "shared-account-selectors: target tag TrackerRole=database-host-data is not unique to this project: DLM acts on every volume carrying ANY target tag, so each must be one only our resources carry (a tracker:* key or a tracker-<env>-* value)",
  ],
  "DLM on Environment=staging alone": [
    "shared-account-selectors: target tag Environment=staging is not unique to this project: DLM acts on every volume carrying ANY target tag, so each must be one only our resources carry (a tracker:* key or a tracker-<env>-* value)",
  ],
  "DLM on our tag OR Environment=staging (ORed: the generic one still selects everyone's)": [
    "shared-account-selectors: target tag Environment=staging is not unique to this project: DLM acts on every volume carrying ANY target tag, so each must be one only our resources carry (a tracker:* key or a tracker-<env>-* value)",
  ],
  "DLM on a Name without the project prefix": [
    "shared-account-selectors: target tag Name=db-data is not unique to this project: DLM acts on every volume carrying ANY target tag, so each must be one only our resources carry (a tracker:* key or a tracker-<env>-* value)",
  ],
  "DLM on our tag key with a wildcard value": [
    "shared-account-selectors: target tag tracker:snapshot-policy=* is not unique to this project: DLM acts on every volume carrying ANY target tag, so each must be one only our resources carry (a tracker:* key or a tracker-<env>-* value)",
  ],
  "DLM with no target tags": [
    "shared-account-selectors: policy_details.target_tags is empty: the policy selects nothing of ours",
  ],
  "a DLM default policy (every volume of the region)": [
    "shared-account-no-account-settings: a DLM default policy covers every volume or instance of the account's region",
  ],
  "backup selection of every resource": [
    "shared-account-selectors: resources selects \"*\", which can match other projects' resources",
  ],
  "backup selection of every EBS volume": [
    "shared-account-selectors: resources selects \"arn:aws:ec2:*:*:volume/*\", which can match other projects' resources",
  ],
  "backup selection by Environment=staging": [
    "shared-account-selectors: selection_tag Environment=staging is carried by other projects' resources too",
  ],
  "ECS task events of every cluster in the account": [
    "shared-account-selectors: event_pattern does not constrain events to this project's resources (filter on a resource of this stack, e.g. detail.clusterArn)",
  ],
  "ECS task events of every cluster but one": [
    "shared-account-selectors: event_pattern does not constrain events to this project's resources (filter on a resource of this stack, e.g. detail.clusterArn)",
  ],
  "an $or with one branch on our cluster and one on everyone's": [
    "shared-account-selectors: event_pattern does not constrain events to this project's resources (filter on a resource of this stack, e.g. detail.clusterArn)",
  ],
  "an event rule on a prefix every project shares": [
    "shared-account-selectors: event_pattern does not constrain events to this project's resources (filter on a resource of this stack, e.g. detail.clusterArn)",
  ],
  "a subscription filter on another project's log group": [
    "shared-account-selectors: log_group_name \"/ecs/other-app/api\" is not a log group of this project",
  ],
  "a metric filter on a Lambda's log group": [
    "shared-account-selectors: log_group_name \"/aws/lambda/billing\" is not a log group of this project",
  ],
  "an SSM association on every staging instance": [
    "shared-account-selectors: target tag:Environment=staging can match other projects' instances",
  ],
  "the host's old attach grant {TrackerRole=database-host, Environment=staging}": [
    "shared-account-iam-selectors: selects arn:aws:ec2:eu-central-1:802732539686:instance/* by aws:ResourceTag/TrackerRole=database-host and aws:ResourceTag/Environment=staging: no tag only this project's resources carry",
  ],
  "a tag-narrowed grant on Environment=staging alone": [
    "shared-account-iam-selectors: selects arn:aws:ec2:eu-central-1:802732539686:instance/* by aws:ResourceTag/Environment=staging: no tag only this project's resources carry",
  ],
  "the old key policy: CloudWatch Logs may use the key for every log group of the account": [
    "shared-account-iam-selectors: condition ArnLike kms:EncryptionContext:aws:logs:arn \"arn:aws:logs:eu-central-1:802732539686:log-group:*\" matches other projects' names too (begin it with this project's prefix)",
  ],
  "a StringLike tag condition of * alone": [
    "shared-account-iam-selectors: condition StringLike aws:ResourceTag/Name \"*\" matches other projects' names too (begin it with this project's prefix)",
    "shared-account-iam-selectors: selects * by aws:ResourceTag/Name=*: no tag only this project's resources carry",
  ],
  "a name pattern whose prefix is not ours (ForAnyValue:StringLike)": [
    "shared-account-iam-selectors: condition ForAnyValue:StringLike ecs:cluster \"arn:aws:ecs:eu-central-1:802732539686:cluster/*\" matches other projects' names too (begin it with this project's prefix)",
  ],
  "a pattern whose project name touches a wildcard (*tracker-* also matches nottracker-x)": [
    "shared-account-iam-selectors: condition StringLike ecs:cluster \"arn:aws:ecs:eu-central-1:802732539686:cluster/*tracker-*\" matches other projects' names too (begin it with this project's prefix)",
  ],
  "aws_organizations_policy (every aws_organizations_* type)": [
    "shared-account-no-account-settings: aws_organizations_policy changes a setting of the whole account (SHR-2): leave it to the account's owners",
  ],
  "the default VPC's default security group": [
    "shared-account-no-account-settings: vpc_id does not reference a VPC this stack creates: it would take over another VPC's defaults (the default VPC's are every project's)",
  ],
  "the default security group of a looked-up VPC": [
    "shared-account-no-account-settings: vpc_id does not reference a VPC this stack creates: it would take over another VPC's defaults (the default VPC's are every project's)",
  ],
  "a policy on the default event bus": [
    "shared-account-no-account-settings: a policy on the default event bus is shared by every project's rules",
  ],
  "the EventBridge console's policy on /aws/events/*": [
    "shared-account-log-resource-policy: policy_name \"TrustEventsToStoreLogEvent\" is not in the project's namespace (tracker-<env>-...)",
    "shared-account-log-resource-policy: grants on \"arn:aws:logs:eu-central-1:802732539686:log-group:/aws/events/*:*\", not on a log group this stack creates",
  ],
  "a project-named policy on every log group": [
    "shared-account-log-resource-policy: grants on \"*\", not on a log group this stack creates",
  ],
  "two resource policies in one stack": [
    "shared-account-log-resource-policy: 2 CloudWatch Logs resource policies in one stack: the account's 10 per region are shared by every project; merge them",
    "shared-account-log-resource-policy: 2 CloudWatch Logs resource policies in one stack: the account's 10 per region are shared by every project; merge them",
  ],
};
/** An account-wide resource type is refused by name. */
const accountWide = (type: string) => `shared-account-no-account-settings: ${type} changes a setting of the whole account (SHR-2): leave it to the account's owners`;

describe("SHR-1, SHR-2: fixtures", () => {
  for (const f of BROKEN) {
    it(`${f.rule}: finds ${f.title}`, () => {
      const type = /^(\w+) \(account-wide\)$/.exec(f.title)?.[1];
      expect(findings(f.json, f.rule)).toEqual(type ? [accountWide(type)] : BROKEN_FINDINGS[f.title]);
    });
  }

  it("every broken fixture has its expected findings written out", () => {
    const written = BROKEN.filter((f) => !f.title.endsWith("(account-wide)")).map((f) => f.title);
    expect(Object.keys(BROKEN_FINDINGS).sort()).toEqual([...new Set(written)].sort());
  });
  for (const f of COMPLIANT) {
    it(`${f.rule}: accepts ${f.title}`, () => {
      expect(findings(f.json)).toEqual([]);
    });
  }
});

describe("SHR-1, DB-3: staging snapshots its data volume and nothing else", () => {
  it("SHR-1/DB-3: every environment with a database host has one policy on one tag that only the data volume carries; the others have none", () => {
    for (const stack of STACKS.filter((s) => s.name === environmentStackName(s.env.name))) {
      expect(snapshotProblems(stack.json, stack.env.dataPlane.mode === "host"), stack.label).toEqual([]);
    }
    expect(STAGING.dataPlane.mode).toBe("host");
  });

  it("SHR-1/DB-3: the expectation fails a staging stack without a snapshot policy", () => {
    const json = clone(stagingJson);
    delete (json.resource as Resources)["aws_dlm_lifecycle_policy"];
    expect(snapshotProblems(json, true)).toEqual(["DB-3: expected one snapshot policy, found 0"]);
  });

  it("SHR-1: the expectation and the rule fail the real policy put back on the old tags {Environment, TrackerRole}", () => {
    const json = clone(stagingJson);
    const policy = Object.values((json.resource as Resources)["aws_dlm_lifecycle_policy"]!)[0]!;
    (blocks(policy["policy_details"])[0] ?? (policy["policy_details"] as TfConfig))["target_tags"] = { TrackerRole: "database-host-data", Environment: "staging" };
    expect(snapshotProblems(json, true)).toContain("expected exactly one target tag (DLM ORs them), found 2");
    expect(findings(json, "shared-account-selectors")).toHaveLength(2);
  });

  it("SHR-1: the expectation fails when the target tag becomes a provider default tag (every resource would carry it)", () => {
    const json = clone(stagingJson);
    const tags = block(json.provider!["aws"]![0]!["default_tags"])!["tags"] as TfConfig;
    tags["tracker:snapshot-policy"] = "tracker-staging-db-snapshots";
    expect(snapshotProblems(json, true)).toContain("tracker:snapshot-policy is a provider default tag: every resource would carry it");
  });

  it("SHR-1: the expectation fails when the snapshot role loses its use of the volume's key", () => {
    const json = clone(stagingJson);
    const ctx = new PolicyContext({ name: "x", json });
    const policy = ctx.resources("aws_dlm_lifecycle_policy")[0]!;
    const role = ctx.resolve(policy.config["execution_role_arn"])!;
    const inline = ctx.resources("aws_iam_role_policy").find((p) => ctx.referenced(p.config["role"]).includes(role))!;
    delete (json.resource as Resources)["aws_iam_role_policy"]![inline.name];
    expect(snapshotProblems(json, true)).toContain("the snapshot role may not create grants for AWS resources on the volume's key");
  });

  it("SHR-1: the rule fails the real failed-task event rule without its cluster filter", () => {
    const json = clone(stagingJson);
    const rule = Object.values((json.resource as Resources)["aws_cloudwatch_event_rule"]!)[0]!;
    const pattern = JSON.parse(rule["event_pattern"] as string);
    expect(pattern.detail.clusterArn).toEqual([expect.stringMatching(/^\$\{aws_ecs_cluster\.[^.]+\.arn\}$/)]);
    delete pattern.detail.clusterArn;
    rule["event_pattern"] = JSON.stringify(pattern);
    expect(findings(json, "shared-account-selectors")).toEqual([
      "shared-account-selectors: event_pattern does not constrain events to this project's resources (filter on a resource of this stack, e.g. detail.clusterArn)",
    ]);
  });
});

describe("SHR-1: the environment key serves this environment's log groups, and no other project's", () => {
  const glob = (pattern: string) => new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join(".*")}$`);
  for (const env of ENVIRONMENTS) {
    it(`SHR-1: ${environmentStackName(env.name)}: every log group the stack encrypts matches the key policy's CloudWatch Logs condition`, () => {
      const json = STACKS.find((s) => s.label === environmentStackName(env.name))!.json;
      const ctx = new PolicyContext({ name: env.name, json });
      const key = ctx.resources("aws_kms_key").find((k) => ctx.policyStatements(k.config["policy"])?.some((s) => s.principals.some((p) => p.identifiers.includes(`logs.${env.region}.amazonaws.com`))))!;
      expect(key).toBeDefined();
      const logs = ctx.policyStatements(key.config["policy"])!.find((s) => s.principals.some((p) => p.identifiers.includes(`logs.${env.region}.amazonaws.com`)))!;
      const patterns = logs.conditions.find((c) => c.variable === "kms:EncryptionContext:aws:logs:arn")!.values;
      // Each pattern is this account's and names this environment of this project (WAF's groups must start aws-waf-logs-).
      for (const p of patterns) expect(p).toMatch(new RegExp(`^arn:aws:logs:${env.region}:${env.accountId}:log-group:(/[a-z/]+/|aws-waf-logs-)tracker-${env.name}\\*$`));
      const groups = ctx.resources("aws_cloudwatch_log_group").filter((g) => ctx.referenced(g.config["kms_key_id"]).includes(key));
      // Every service's log group is among them (plus ECS events, flow logs, and ECS Exec in staging).
      for (const s of SERVICE_CATALOG) expect(groups.map((g) => g.config["name"]), s.name).toContain(`/ecs/tracker-${env.name}/${s.name}`);
      for (const g of groups) {
        const arn = `arn:aws:logs:${env.region}:${env.accountId}:log-group:${g.config["name"] as string}`;
        expect(patterns.some((p) => glob(p).test(arn)), arn).toBe(true);
      }
      // Other projects' log groups in the same account are not covered.
      for (const other of ["/ecs/billing/api", "/aws/lambda/tracker", "/aws/events/other-app", "/vpc/shared-flow-logs", "/ecs/trackerx-staging/api", "aws-waf-logs-billing"]) {
        const arn = `arn:aws:logs:${env.region}:${env.accountId}:log-group:${other}`;
        expect(patterns.some((p) => glob(p).test(arn)), arn).toBe(false);
      }
    });
  }
});
