/**
 * EFS file systems are encrypted at rest (EFS-1).
 * Sources: Security Hub EFS.1 ("Elastic File System should be configured to encrypt file data
 * at-rest using AWS KMS"); Checkov CKV_AWS_42 (EFSEncryptionEnabled: encrypted = true); Trivy
 * AVD-AWS-0037 (aws-efs-enable-at-rest-encryption).
 */
import { isTrue, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "efs-encrypted",
  mirrors: ["EFS.1", "CKV_AWS_42", "AVD-AWS-0037", "EFS-1"],
  description: "aws_efs_file_system.encrypted = true.",
  resourceTypes: ["aws_efs_file_system"],
  expectedIn: ENVIRONMENT_STACKS,
  check(fs) {
    return isTrue(fs.config["encrypted"]) ? [] : ["encrypted is not true"];
  },
};
