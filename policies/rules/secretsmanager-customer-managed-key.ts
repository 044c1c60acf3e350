/**
 * Secrets are encrypted with the environment's customer-managed KMS key.
 * Sources: Checkov CKV_AWS_149 (SecretManagerSecretEncrypted: kms_key_id set); Trivy AVD-AWS-0098
 * (aws-ssm-secret-use-customer-key).
 */
import type { Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "secretsmanager-customer-managed-key",
  mirrors: ["CKV_AWS_149", "AVD-AWS-0098", "CFG-1"],
  description: "aws_secretsmanager_secret.kms_key_id is set.",
  resourceTypes: ["aws_secretsmanager_secret"],
  expectedIn: ENVIRONMENT_STACKS,
  check(secret) {
    return secret.config["kms_key_id"] ? [] : ["no kms_key_id (aws/secretsmanager key)"];
  },
};
