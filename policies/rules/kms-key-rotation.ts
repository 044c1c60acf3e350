/**
 * Symmetric customer-managed keys rotate yearly.
 * Sources: Security Hub KMS.4 ("AWS KMS key rotation should be enabled"); Checkov CKV_AWS_7
 * (KMSRotation: enable_key_rotation = true for SYMMETRIC_DEFAULT); Trivy AVD-AWS-0065
 * (aws-kms-auto-rotate-keys).
 */
import { isTrue, type Rule } from "../engine";
import { EVERY_STACK } from "../stacks";

export const rule: Rule = {
  id: "kms-key-rotation",
  mirrors: ["KMS.4", "CKV_AWS_7", "AVD-AWS-0065"],
  description: "aws_kms_key.enable_key_rotation = true for symmetric keys.",
  resourceTypes: ["aws_kms_key"],
  expectedIn: EVERY_STACK,
  check(key) {
    const spec = key.config["customer_master_key_spec"] ?? "SYMMETRIC_DEFAULT";
    if (spec !== "SYMMETRIC_DEFAULT") return [];
    return isTrue(key.config["enable_key_rotation"]) ? [] : ["enable_key_rotation is not true"];
  },
};
