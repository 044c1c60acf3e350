/**
 * Load balancers write access logs to S3 (EDGE-6: production writes ALB access logs).
 * Sources: Security Hub ELB.5 ("Application and Classic Load Balancers logging should be
 * enabled"); Checkov CKV_AWS_91 (ELBv2AccessLogs: access_logs.enabled must be true and a bucket set).
 */
import { block, isTrue, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "lb-access-logs",
  mirrors: ["ELB.5", "CKV_AWS_91", "EDGE-6"],
  description: "aws_lb.access_logs is enabled with a bucket.",
  resourceTypes: ["aws_lb", "aws_alb"],
  expectedIn: ENVIRONMENT_STACKS,
  check(lb) {
    const logs = block(lb.config["access_logs"]);
    if (!logs || !isTrue(logs["enabled"]) || !logs["bucket"]) return ["access_logs are not enabled"];
    return [];
  },
};
