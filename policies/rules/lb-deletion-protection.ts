/**
 * Load balancers are protected from deletion (EDGE-6: production adds deletion protection).
 * Sources: Security Hub ELB.6 ("Application, Gateway, and Network Load Balancers should have
 * deletion protection enabled"); Checkov CKV_AWS_150 (LBDeletionProtection:
 * enable_deletion_protection must be true).
 */
import { isTrue, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "lb-deletion-protection",
  mirrors: ["ELB.6", "CKV_AWS_150", "EDGE-6"],
  description: "aws_lb.enable_deletion_protection = true.",
  resourceTypes: ["aws_lb", "aws_alb"],
  expectedIn: ENVIRONMENT_STACKS,
  check(lb) {
    return isTrue(lb.config["enable_deletion_protection"]) ? [] : ["enable_deletion_protection is not true"];
  },
};
