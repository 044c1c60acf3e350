/**
 * Instances have an IAM instance profile (DB-1: SSM Session Manager; DB-7: secrets read through
 * the instance role rather than baked in).
 * Sources: Checkov CKV2_AWS_41 ("an IAM role is attached to EC2 instance").
 */
import type { Rule } from "../engine";
import { STAGING_STACK } from "../stacks";

export const rule: Rule = {
  id: "ec2-instance-profile",
  mirrors: ["CKV2_AWS_41", "DB-1", "DB-7"],
  description: "aws_instance.iam_instance_profile is set.",
  resourceTypes: ["aws_instance"],
  expectedIn: [STAGING_STACK],
  check(instance) {
    return instance.config["iam_instance_profile"] ? [] : ["no iam_instance_profile"];
  },
};
