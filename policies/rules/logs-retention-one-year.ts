/**
 * Log groups keep at least a year of logs (PRD-1: production keeps longer logs).
 * Sources: Checkov CKV_AWS_338 (CloudWatchLogGroupRetentionYear: retention_in_days >= 365);
 * Security Hub CloudWatch.16 ("CloudWatch log groups should be retained for a specified time
 * period", default minimum 365 days). Staging deliberately keeps 30 days (cost): an exception.
 */
import { asNumber, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "logs-retention-one-year",
  mirrors: ["CKV_AWS_338", "CloudWatch.16", "PRD-1"],
  description: "aws_cloudwatch_log_group.retention_in_days >= 365.",
  resourceTypes: ["aws_cloudwatch_log_group"],
  expectedIn: ENVIRONMENT_STACKS,
  check(group) {
    const days = asNumber(group.config["retention_in_days"]);
    return days !== undefined && days >= 365 ? [] : [`retention ${days ?? "unset"} days is under a year`];
  },
};
