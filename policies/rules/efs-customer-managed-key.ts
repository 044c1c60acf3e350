/**
 * EFS is encrypted with the environment's customer-managed KMS key.
 * Sources: Checkov CKV_AWS_184 (EFSFileSystemEncryptedWithCMK: kms_key_id set).
 */
import type { Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "efs-customer-managed-key",
  mirrors: ["CKV_AWS_184"],
  description: "aws_efs_file_system.kms_key_id is set.",
  resourceTypes: ["aws_efs_file_system"],
  expectedIn: ENVIRONMENT_STACKS,
  check(fs) {
    return fs.config["kms_key_id"] ? [] : ["no kms_key_id (AWS-managed key)"];
  },
};
