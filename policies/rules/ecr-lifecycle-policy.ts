/**
 * Every repository has a lifecycle policy (ECR-1: keep the last N images).
 * Sources: Security Hub ECR.3 ("ECR repositories should have at least one lifecycle policy
 * configured").
 */
import type { Rule } from "../engine";
import { BOOTSTRAP_STACKS } from "../stacks";

export const rule: Rule = {
  id: "ecr-lifecycle-policy",
  mirrors: ["ECR.3", "ECR-1"],
  description: "An aws_ecr_lifecycle_policy references the repository.",
  resourceTypes: ["aws_ecr_repository"],
  expectedIn: BOOTSTRAP_STACKS,
  check(repo, ctx) {
    return ctx.companions(repo, "aws_ecr_lifecycle_policy", "repository", ["name"]).length > 0 ? [] : ["no lifecycle policy"];
  },
};
