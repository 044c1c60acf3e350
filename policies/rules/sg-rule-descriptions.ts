/**
 * Every security group and every rule has a description (SG-6), so a reviewer knows why a path
 * is open.
 * Sources: Checkov CKV_AWS_23 (SecurityGroupRuleDescription: groups, inline rules and
 * aws_security_group_rule / aws_vpc_security_group_*_rule need a description); Trivy AVD-AWS-0099
 * (add-description-to-security-group) and AVD-AWS-0124 (add-description-to-security-group-rule).
 */
import { SECURITY_GROUP_RULE_TYPES, securityGroupRules } from "../aws";
import type { Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

const present = (v: unknown) => typeof v === "string" && v.trim().length > 0;

export const rule: Rule = {
  id: "sg-rule-descriptions",
  mirrors: ["CKV_AWS_23", "AVD-AWS-0099", "AVD-AWS-0124", "SG-6"],
  description: "Security groups and all their rules carry a non-empty description.",
  resourceTypes: SECURITY_GROUP_RULE_TYPES,
  expectedIn: ENVIRONMENT_STACKS,
  check(resource) {
    const out: string[] = [];
    if (resource.type === "aws_security_group" && !present(resource.config["description"])) {
      out.push("the security group has no description");
    }
    for (const r of securityGroupRules(resource)) {
      if (!present(r.description)) out.push(`${r.where}: rule has no description`);
    }
    return out;
  },
};
