/**
 * SHR-1: everything that selects resources by tag, name or prefix selects only this project's
 * (policies/shared-account.ts says what "ours" is). The staging account is shared with other
 * projects: a selector that matches their resources acts on them.
 *
 * - `aws_dlm_lifecycle_policy`: DLM targets a resource that carries ANY of `target_tags` (the tags
 *   are ORed, DLM API `PolicyDetails.TargetTags`), so EVERY target tag must be ours; a policy that
 *   targets `Environment=staging` snapshots (and expires the snapshots of) every project's volumes.
 * - `aws_backup_selection`: `resources` and `selection_tag`s are ORed; a `condition` narrows the
 *   whole selection. Each resource and tag must be ours, unless a condition on one of our tags narrows it.
 * - `aws_cloudwatch_event_rule`: an event pattern must constrain the event to our resources (a field
 *   whose every value is ours, such as `detail.clusterArn` = our cluster); in each `$or` branch when
 *   that is where it constrains. A rule on `aws.ecs` task events without it sees every project's tasks.
 * - `aws_cloudwatch_log_subscription_filter`, `aws_cloudwatch_log_metric_filter`: the log group is ours.
 * - `aws_ssm_association`, `aws_ssm_maintenance_window_target`: instance targets (`InstanceIds`,
 *   `tag:<key>`, `resource-groups:Name`) are ours.
 */
import { block, blocks, parseJsonDocument, stringList, type PolicyContext, type Rule, type TfConfig, type TfResource } from "../engine";
import { isOwnedTag, isOwnedValue, tagText } from "../shared-account";
import { ENVIRONMENT_STACKS } from "../stacks";

/** Whether an event-pattern matcher (`"value"` or `{ "prefix": "value" }`) matches only our resources. */
function ownedMatcher(matcher: unknown, ctx: PolicyContext): boolean {
  if (typeof matcher === "string") return isOwnedValue(matcher, ctx);
  if (matcher && typeof matcher === "object" && !Array.isArray(matcher)) {
    const m = matcher as TfConfig;
    const keys = Object.keys(m);
    if (keys.length !== 1) return false;
    if (keys[0] === "prefix") return isOwnedValue(m["prefix"], ctx);
    if (keys[0] === "wildcard") return isOwnedValue(m["wildcard"], ctx);
  }
  // anything-but, numeric, exists, suffix, cidr: they do not pin our resources.
  return false;
}

/** Whether an event pattern (or one of its objects) constrains the event to our resources. */
export function eventPatternConstrains(pattern: unknown, ctx: PolicyContext): boolean {
  if (!pattern || typeof pattern !== "object" || Array.isArray(pattern)) return false;
  for (const [key, value] of Object.entries(pattern as TfConfig)) {
    if (key === "$or") {
      if (Array.isArray(value) && value.length > 0 && value.every((branch) => eventPatternConstrains(branch, ctx))) return true;
    } else if (Array.isArray(value)) {
      if (value.length > 0 && value.every((m) => ownedMatcher(m, ctx))) return true;
    } else if (eventPatternConstrains(value, ctx)) {
      return true;
    }
  }
  return false;
}

function dlm(resource: TfResource, ctx: PolicyContext): string[] {
  const details = block(resource.config["policy_details"]);
  if (!details) return [];
  if (details["policy_type"] === "EVENT_BASED_POLICY") return [];
  const tags = details["target_tags"];
  if (!tags || typeof tags !== "object" || Object.keys(tags).length === 0) {
    return resource.config["default_policy"] ? [] : ["policy_details.target_tags is empty: the policy selects nothing of ours"];
  }
  return Object.entries(tags as TfConfig)
    .filter(([key, value]) => !isOwnedTag(key, value, ctx))
    .map(
      ([key, value]) =>
        `target tag ${tagText(key, value)} is not unique to this project: DLM acts on every volume carrying ANY target tag, ` +
        `so each must be one only our resources carry (a tracker:* key or a tracker-<env>-* value)`,
    );
}

function backupSelection(resource: TfResource, ctx: PolicyContext): string[] {
  const c = resource.config;
  const narrowed = blocks(c["condition"]).some((condition) =>
    ["string_equals", "string_like"].some((test) =>
      blocks(condition[test]).some((t) => {
        const key = String(t["key"] ?? "").replace(/^aws:ResourceTag\//, "");
        return isOwnedTag(key, t["value"], ctx);
      }),
    ),
  );
  if (narrowed) return [];
  const out: string[] = [];
  for (const r of stringList(c["resources"])) {
    if (!isOwnedValue(r, ctx)) out.push(`resources selects "${r}", which can match other projects' resources`);
  }
  for (const t of blocks(c["selection_tag"])) {
    const key = String(t["key"] ?? "");
    if (!isOwnedTag(key, t["value"], ctx)) out.push(`selection_tag ${tagText(key, t["value"])} is carried by other projects' resources too`);
  }
  return out;
}

function eventRule(resource: TfResource, ctx: PolicyContext): string[] {
  const raw = resource.config["event_pattern"];
  if (raw === undefined || raw === null) return []; // a schedule selects nothing
  const pattern = parseJsonDocument(raw);
  if (pattern === undefined) return ["event_pattern cannot be read"];
  return eventPatternConstrains(pattern, ctx)
    ? []
    : ["event_pattern does not constrain events to this project's resources (filter on a resource of this stack, e.g. detail.clusterArn)"];
}

function logFilter(resource: TfResource, ctx: PolicyContext): string[] {
  const group = resource.config["log_group_name"];
  return isOwnedValue(group, ctx) ? [] : [`log_group_name ${JSON.stringify(group)} is not a log group of this project`];
}

function instanceTargets(resource: TfResource, ctx: PolicyContext): string[] {
  const out: string[] = [];
  for (const target of blocks(resource.config["targets"])) {
    const key = String(target["key"] ?? "");
    for (const value of stringList(target["values"])) {
      const owned = key.startsWith("tag:") ? isOwnedTag(key.slice(4), value, ctx) : isOwnedValue(value, ctx);
      if (!owned) out.push(`target ${key}=${value} can match other projects' instances`);
    }
  }
  return out;
}

export const rule: Rule = {
  id: "shared-account-selectors",
  mirrors: ["SHR-1"],
  description:
    "DLM target tags (every one), backup selections, event patterns, log subscription and metric filters and SSM targets select only this project's resources.",
  expectedIn: ENVIRONMENT_STACKS,
  resourceTypes: [
    "aws_dlm_lifecycle_policy",
    "aws_backup_selection",
    "aws_cloudwatch_event_rule",
    "aws_cloudwatch_log_subscription_filter",
    "aws_cloudwatch_log_metric_filter",
    "aws_ssm_association",
    "aws_ssm_maintenance_window_target",
  ],
  check(resource, ctx) {
    switch (resource.type) {
      case "aws_dlm_lifecycle_policy":
        return dlm(resource, ctx);
      case "aws_backup_selection":
        return backupSelection(resource, ctx);
      case "aws_cloudwatch_event_rule":
        return eventRule(resource, ctx);
      case "aws_ssm_association":
      case "aws_ssm_maintenance_window_target":
        return instanceTargets(resource, ctx);
      default:
        return logFilter(resource, ctx);
    }
  },
};
