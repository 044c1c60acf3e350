/**
 * SNS topics are encrypted at rest with KMS.
 * Sources: Security Hub SNS.1 ("SNS topics should be encrypted at-rest using AWS KMS"); Checkov
 * CKV_AWS_26 (SNSTopicEncryption: kms_master_key_id set); Trivy AVD-AWS-0095
 * (aws-sns-enable-topic-encryption) and AVD-AWS-0136 (aws-sns-topic-encryption-use-cmk).
 */
import type { Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "sns-encrypted",
  mirrors: ["SNS.1", "CKV_AWS_26", "AVD-AWS-0095", "AVD-AWS-0136"],
  description: "aws_sns_topic.kms_master_key_id is set (a customer key, not alias/aws/sns).",
  resourceTypes: ["aws_sns_topic"],
  expectedIn: ENVIRONMENT_STACKS,
  check(topic) {
    const key = topic.config["kms_master_key_id"];
    if (!key) return ["no kms_master_key_id"];
    return key === "alias/aws/sns" ? ["encrypted with the AWS-managed alias/aws/sns key"] : [];
  },
};
