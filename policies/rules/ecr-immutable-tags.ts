/**
 * Image tags are immutable (ECR-1): a deployed commit SHA always names the same image.
 * Sources: Checkov CKV_AWS_51 (ECRImmutableTags: image_tag_mutability = IMMUTABLE); Trivy
 * AVD-AWS-0031 (aws-ecr-enforce-immutable-repository).
 */
import type { Rule } from "../engine";
import { BOOTSTRAP_STACKS } from "../stacks";

export const rule: Rule = {
  id: "ecr-immutable-tags",
  mirrors: ["CKV_AWS_51", "AVD-AWS-0031", "ECR-1"],
  description: "aws_ecr_repository.image_tag_mutability is IMMUTABLE (or IMMUTABLE_WITH_EXCLUSION).",
  resourceTypes: ["aws_ecr_repository"],
  expectedIn: BOOTSTRAP_STACKS,
  check(repo) {
    const m = String(repo.config["image_tag_mutability"] ?? "MUTABLE");
    return m.startsWith("IMMUTABLE") ? [] : [`image_tag_mutability is ${m}`];
  },
};
