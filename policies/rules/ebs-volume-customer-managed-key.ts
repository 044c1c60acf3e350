/**
 * EBS volumes use the environment's customer-managed key.
 * Sources: Checkov CKV_AWS_189 (EBSVolumeEncryptedWithCMK: kms_key_id set); Trivy AVD-AWS-0027
 * (aws-ec2-volume-encryption-customer-key).
 */
import type { Rule } from "../engine";
import { STAGING_STACK } from "../stacks";

export const rule: Rule = {
  id: "ebs-volume-customer-managed-key",
  mirrors: ["CKV_AWS_189", "AVD-AWS-0027"],
  description: "aws_ebs_volume.kms_key_id is set.",
  resourceTypes: ["aws_ebs_volume"],
  expectedIn: [STAGING_STACK],
  check(volume) {
    return volume.config["kms_key_id"] ? [] : ["no kms_key_id"];
  },
};
