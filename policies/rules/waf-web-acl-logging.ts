/**
 * A WAF web ACL logs what it sees (EDGE-7: "logged with a retention").
 * Sources: Security Hub WAF.11 ("AWS WAF web ACL logging should be enabled"); Checkov CKV2_AWS_31
 * ("Ensure WAF2 has a Logging Configuration": graph check of an aws_wafv2_web_acl connected to an
 * aws_wafv2_web_acl_logging_configuration). Also requires a destination, and that the
 * `authorization` header is redacted so that no credential reaches the logs (stricter than both).
 */
import { block, blocks, stringList, type Rule } from "../engine";
import { PRODUCTION_STACK } from "../stacks";

export const rule: Rule = {
  id: "waf-web-acl-logging",
  mirrors: ["WAF.11", "CKV2_AWS_31", "EDGE-7"],
  description: "An aws_wafv2_web_acl_logging_configuration with a destination references the web ACL and redacts the authorization header.",
  expectedIn: [PRODUCTION_STACK],
  resourceTypes: ["aws_wafv2_web_acl"],
  check(acl, ctx) {
    const configs = ctx.companions(acl, "aws_wafv2_web_acl_logging_configuration", "resource_arn", ["arn"]);
    if (configs.length === 0) return ["no aws_wafv2_web_acl_logging_configuration references this web ACL"];
    const problems: string[] = [];
    for (const config of configs) {
      if (stringList(config.config["log_destination_configs"]).length === 0) problems.push(`${config.address} has no log destination`);
      const redacted = blocks(config.config["redacted_fields"]).map((f) => String(block(f["single_header"])?.["name"] ?? "").toLowerCase());
      if (!redacted.includes("authorization")) problems.push(`${config.address} does not redact the authorization header`);
    }
    return problems;
  },
};
