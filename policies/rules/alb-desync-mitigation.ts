/**
 * Application Load Balancers use the defensive (default) or strictest HTTP desync mitigation mode.
 * Sources: Security Hub ELB.12 ("Application Load Balancer should be configured with defensive or
 * strictest desync mitigation mode"); Checkov CKV_AWS_328 (ALBDesyncMode, read in
 * checkov/terraform/checks/resource/aws/ALBDesyncMode.py: fails on "monitor"). An absent attribute
 * means the provider default, "defensive", and passes.
 */
import type { Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "alb-desync-mitigation",
  mirrors: ["ELB.12", "CKV_AWS_328"],
  description: "aws_lb.desync_mitigation_mode is defensive or strictest (absent = defensive).",
  resourceTypes: ["aws_lb", "aws_alb"],
  expectedIn: ENVIRONMENT_STACKS,
  check(lb) {
    const type = lb.config["load_balancer_type"] ?? "application";
    if (type !== "application") return [];
    const mode = lb.config["desync_mitigation_mode"] ?? "defensive";
    return ["defensive", "strictest"].includes(String(mode)) ? [] : [`desync_mitigation_mode = ${String(mode)}`];
  },
};
