/**
 * Application Load Balancers drop HTTP headers with invalid names (EDGE-6), closing a request
 * smuggling vector.
 * Sources: Checkov CKV_AWS_131 (ALBDropHttpHeaders: drop_invalid_header_fields must be true for
 * load_balancer_type application, the default); Security Hub ELB.4; Trivy AVD-AWS-0052
 * (aws-elb-drop-invalid-headers).
 */
import { isTrue, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "alb-drop-invalid-headers",
  mirrors: ["CKV_AWS_131", "ELB.4", "AVD-AWS-0052", "EDGE-6"],
  description: "aws_lb of type application has drop_invalid_header_fields = true.",
  resourceTypes: ["aws_lb", "aws_alb"],
  expectedIn: ENVIRONMENT_STACKS,
  check(lb) {
    const type = lb.config["load_balancer_type"] ?? "application";
    if (type !== "application") return [];
    return isTrue(lb.config["drop_invalid_header_fields"]) ? [] : ["drop_invalid_header_fields is not true"];
  },
};
