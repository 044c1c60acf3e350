/**
 * A WAF web ACL and each of its rules publish CloudWatch metrics (EDGE-7: the blocked-request alarm
 * reads them).
 * Sources: Security Hub WAF.12 ("AWS WAF rules should have CloudWatch metrics enabled", which checks
 * VisibilityConfig.CloudWatchMetricsEnabled of each rule). Stricter: the ACL's own visibility config
 * is checked too (its metrics count what the default action allowed).
 */
import { block, blocks, isTrue, type Rule } from "../engine";
import { PRODUCTION_STACK } from "../stacks";

export const rule: Rule = {
  id: "waf-rule-metrics",
  mirrors: ["WAF.12", "EDGE-7"],
  description: "aws_wafv2_web_acl.visibility_config and every rule's visibility_config have cloudwatch_metrics_enabled = true.",
  expectedIn: [PRODUCTION_STACK],
  resourceTypes: ["aws_wafv2_web_acl"],
  check(acl) {
    const problems: string[] = [];
    if (!isTrue(block(acl.config["visibility_config"])?.["cloudwatch_metrics_enabled"])) {
      problems.push("the web ACL does not publish CloudWatch metrics");
    }
    for (const r of blocks(acl.config["rule"])) {
      if (!isTrue(block(r["visibility_config"])?.["cloudwatch_metrics_enabled"])) {
        problems.push(`rule ${String(r["name"] ?? "?")} does not publish CloudWatch metrics`);
      }
    }
    return problems;
  },
};
