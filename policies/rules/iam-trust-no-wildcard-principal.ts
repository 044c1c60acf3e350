/**
 * No role can be assumed by any AWS principal.
 * Sources: Checkov CKV_AWS_60 (IAMRoleAllowsPublicAssume: assume_role_policy Allow with
 * Principal AWS "*"); Trivy's aws-iam "no wildcard principal" family.
 */
import type { Rule } from "../engine";
import { trustStatements } from "../iam";
import { EVERY_STACK } from "../stacks";

export const rule: Rule = {
  id: "iam-trust-no-wildcard-principal",
  mirrors: ["CKV_AWS_60"],
  description: "aws_iam_role.assume_role_policy allows no principal * without a condition.",
  resourceTypes: ["aws_iam_role"],
  expectedIn: EVERY_STACK,
  check(role, ctx) {
    const statements = trustStatements(role, ctx);
    if (!statements) return ["trust policy cannot be read"];
    return statements
      .filter((s) => s.effect === "Allow" && s.principals.some((p) => (p.type === "AWS" || p.type === "*") && p.identifiers.includes("*")) && s.conditions.length === 0)
      .map(() => "trust policy allows principal *");
  },
};
