/**
 * SHR-1, SHR-2: a CloudWatch Logs resource policy is an account-wide object: an account holds at
 * most 10 per region, for every project in it (CloudWatch Logs quotas, PutResourcePolicy). EventBridge
 * needs one to write to a log group (the failed-task events of src/observability/task-failure-alarms.ts),
 * so a stack may keep ONE, named in the project's namespace (no other project's policy of the same
 * name is overwritten), granting only on log groups this stack creates: not `*`, not the
 * `/aws/events/*` of the EventBridge console's default policy, which other projects' rules would share.
 */
import type { Rule } from "../engine";
import { isProjectName } from "../shared-account";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "shared-account-log-resource-policy",
  mirrors: ["SHR-1", "SHR-2"],
  description:
    "At most one aws_cloudwatch_log_resource_policy per stack (the account's 10 are shared), named tracker-*, granting only on this stack's log groups.",
  expectedIn: ENVIRONMENT_STACKS,
  resourceTypes: ["aws_cloudwatch_log_resource_policy"],
  check(resource, ctx) {
    const out: string[] = [];
    const count = ctx.resources(resource.type).length;
    if (count > 1) out.push(`${count} CloudWatch Logs resource policies in one stack: the account's 10 per region are shared by every project; merge them`);
    const name = resource.config["policy_name"];
    if (typeof name !== "string" || !isProjectName(name)) out.push(`policy_name ${JSON.stringify(name)} is not in the project's namespace (tracker-<env>-...)`);
    const statements = ctx.policyStatements(resource.config["policy_document"]);
    if (!statements) return [...out, "policy_document cannot be read"];
    for (const s of statements) {
      if (s.effect !== "Allow") continue;
      if (s.resources.length === 0) out.push("an Allow statement without Resource applies to every log group");
      for (const r of s.resources) {
        const groups = ctx.referenced(r).filter((g) => g.type === "aws_cloudwatch_log_group" && g.kind === "resource");
        if (groups.length === 0) out.push(`grants on "${r}", not on a log group this stack creates`);
      }
    }
    return out;
  },
};
