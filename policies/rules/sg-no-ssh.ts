/**
 * No rule opens port 22 at all, from anywhere (SG-4: shell access is SSM Session Manager only);
 * an all-traffic ingress rule counts, since it includes 22.
 * Stricter than Checkov CKV_AWS_24 / Security Hub EC2.13, which only look at 0.0.0.0/0 and ::/0.
 * Sources: checkov AbsSecurityGroupUnrestrictedIngress (CKV_AWS_24 = port 22); Security Hub EC2.13.
 */
import { SECURITY_GROUP_RULE_TYPES, coversPort, portLabel, securityGroupRules } from "../aws";
import type { Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "sg-no-ssh",
  mirrors: ["CKV_AWS_24", "EC2.13", "SG-4", "DB-1"],
  description: "No ingress rule covers tcp/22, whatever the source.",
  resourceTypes: SECURITY_GROUP_RULE_TYPES,
  expectedIn: ENVIRONMENT_STACKS,
  check(resource) {
    return securityGroupRules(resource)
      .filter((r) => r.direction === "ingress" && coversPort(r, 22))
      .map((r) => `${r.where}: ingress ${portLabel(r)} includes SSH port 22`);
  },
};
