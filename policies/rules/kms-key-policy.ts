/**
 * Customer-managed keys carry an explicit key policy, and it does not allow every principal.
 * Sources: Checkov CKV2_AWS_64 ("KMS key Policy is defined") and CKV_AWS_33 (KMSKeyWildcardPrincipal:
 * no Allow to principal *). A statement with principal * is accepted only with a Condition.
 */
import type { Rule } from "../engine";
import { EVERY_STACK } from "../stacks";

export const rule: Rule = {
  id: "kms-key-policy",
  mirrors: ["CKV2_AWS_64", "CKV_AWS_33"],
  description: "aws_kms_key.policy is set and grants nothing to principal * without a condition.",
  resourceTypes: ["aws_kms_key"],
  expectedIn: EVERY_STACK,
  check(key, ctx) {
    const policy = key.config["policy"];
    if (!policy) return ["no key policy (the default grants the whole account)"];
    const statements = ctx.policyStatements(policy) ?? [];
    return statements
      .filter((s) => s.effect === "Allow" && s.principals.some((p) => p.identifiers.includes("*")) && s.conditions.length === 0)
      .map(() => "an Allow statement grants principal * without a condition");
  },
};
