/**
 * A WAF web ACL inspects something: it has at least one rule or rule group (EDGE-7).
 * Sources: Security Hub WAF.10 ("AWS WAF web ACLs should have at least one rule or rule group";
 * a web ACL without rules only applies its default action).
 */
import { blocks, type Rule } from "../engine";
import { PRODUCTION_STACK } from "../stacks";

export const rule: Rule = {
  id: "waf-web-acl-has-rules",
  mirrors: ["WAF.10", "EDGE-7"],
  description: "aws_wafv2_web_acl has at least one rule (rule blocks or rule_json).",
  expectedIn: [PRODUCTION_STACK],
  resourceTypes: ["aws_wafv2_web_acl"],
  check(acl) {
    const json = acl.config["rule_json"];
    if (blocks(acl.config["rule"]).length > 0 || (typeof json === "string" && json.trim() !== "" && json.trim() !== "[]")) return [];
    return ["the web ACL has no rules: it only applies its default action"];
  },
};
