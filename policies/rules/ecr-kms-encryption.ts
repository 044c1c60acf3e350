/**
 * Repositories are encrypted with KMS (ECR-1: encryption).
 * Sources: Checkov CKV_AWS_136 (ECRRepositoryEncrypted: encryption_configuration.encryption_type =
 * KMS); Trivy AVD-AWS-0033 (aws-ecr-repository-customer-key: KMS with a customer key).
 */
import { block, type Rule } from "../engine";
import { BOOTSTRAP_STACKS } from "../stacks";

export const rule: Rule = {
  id: "ecr-kms-encryption",
  mirrors: ["CKV_AWS_136", "AVD-AWS-0033", "ECR-1"],
  description: "aws_ecr_repository encryption_configuration.encryption_type = KMS with a kms_key.",
  resourceTypes: ["aws_ecr_repository"],
  expectedIn: BOOTSTRAP_STACKS,
  check(repo) {
    const enc = block(repo.config["encryption_configuration"]);
    if (enc?.["encryption_type"] !== "KMS") return ["encryption_type is not KMS (AES256 default)"];
    return enc["kms_key"] ? [] : ["KMS encryption without a customer-managed kms_key"];
  },
};
