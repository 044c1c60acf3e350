/**
 * Log groups are encrypted with the environment's customer-managed KMS key.
 * Sources: Checkov CKV_AWS_158 (CloudwatchLogGroupKMSKey: kms_key_id set); Trivy AVD-AWS-0017
 * (aws-cloudwatch-log-group-customer-key).
 */
import type { Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "logs-customer-managed-key",
  mirrors: ["CKV_AWS_158", "AVD-AWS-0017"],
  description: "aws_cloudwatch_log_group.kms_key_id is set.",
  resourceTypes: ["aws_cloudwatch_log_group"],
  expectedIn: ENVIRONMENT_STACKS,
  check(group) {
    return group.config["kms_key_id"] ? [] : ["no kms_key_id"];
  },
};
