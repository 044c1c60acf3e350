/**
 * Every log group has a retention (NET-5, ECS-4, OBS-1): logs do not grow forever.
 * Sources: Checkov CKV_AWS_66 (CloudWatchLogGroupRetention: retention_in_days set, non-zero).
 */
import { asNumber, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "logs-retention-set",
  mirrors: ["CKV_AWS_66", "NET-5", "ECS-4", "OBS-1"],
  description: "aws_cloudwatch_log_group.retention_in_days is set and not 0 (never expire).",
  resourceTypes: ["aws_cloudwatch_log_group"],
  expectedIn: ENVIRONMENT_STACKS,
  check(group) {
    const days = asNumber(group.config["retention_in_days"]);
    return days !== undefined && days > 0 ? [] : ["no retention_in_days"];
  },
};
