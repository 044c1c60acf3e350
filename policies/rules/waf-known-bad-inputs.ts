/**
 * A WAF web ACL blocks known bad inputs, Log4Shell (JNDI lookups) among them (EDGE-7).
 * Sources: Checkov CKV_AWS_192 ("Ensure WAF prevents message lookup in Log4j2. See CVE-2021-44228
 * aka log4jshell": the ACL has AWSManagedRulesKnownBadInputsRuleSet, not overridden to count as a
 * whole, and its Log4JRCE rules not excluded or overridden to count).
 */
import { block, blocks, type Rule, type TfConfig } from "../engine";
import { PRODUCTION_STACK } from "../stacks";

const GROUP = "AWSManagedRulesKnownBadInputsRuleSet";

function overriddenToCount(override: TfConfig): boolean {
  const action = block(override["action_to_use"]);
  return !!action && (action["count"] !== undefined || action["allow"] !== undefined);
}

export const rule: Rule = {
  id: "waf-known-bad-inputs",
  mirrors: ["CKV_AWS_192", "EDGE-7"],
  description: "aws_wafv2_web_acl has AWSManagedRulesKnownBadInputsRuleSet with override_action none and no Log4JRCE rule set to count or excluded.",
  expectedIn: [PRODUCTION_STACK],
  resourceTypes: ["aws_wafv2_web_acl"],
  check(acl) {
    const rules = blocks(acl.config["rule"]);
    const match = rules.find((r) => block(block(r["statement"])?.["managed_rule_group_statement"])?.["name"] === GROUP);
    if (!match) return [`no rule uses ${GROUP} (Log4Shell and other known bad inputs pass)`];
    const problems: string[] = [];
    const override = block(match["override_action"]);
    if (!override || override["none"] === undefined) problems.push(`the ${GROUP} rule only counts (override_action is not none)`);
    const group = block(block(match["statement"])?.["managed_rule_group_statement"]) ?? {};
    const weakened = [
      ...blocks(group["rule_action_override"]).filter(overriddenToCount).map((o) => String(o["name"] ?? "")),
      ...blocks(group["excluded_rule"]).map((o) => String(o["name"] ?? "")),
    ].filter((name) => name.startsWith("Log4JRCE"));
    for (const name of weakened) problems.push(`${name} of ${GROUP} does not block`);
    return problems;
  },
};
