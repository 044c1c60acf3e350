/**
 * No policy allows every action on every resource (ECS-10: no `*` action on `*` resource anywhere).
 * Sources: Security Hub IAM.1 ("IAM policies should not allow full '*' administrative
 * privileges"); Checkov CKV_AWS_1 (data aws_iam_policy_document, AdminPolicyDocument.py read:
 * Allow with actions "*" and resources "*"), CKV_AWS_62 (role/user/group inline policies) and
 * CKV_AWS_63 (no "*" action at all in aws_iam_policy); Trivy AVD-AWS-0057 (aws-iam-no-policy-wildcards).
 * A NotAction Allow on "*" is treated as administrative too.
 */
import type { Rule } from "../engine";
import { IDENTITY_POLICY_TYPES, declaredStatements, onAnyResource } from "../iam";
import { EVERY_STACK } from "../stacks";

export const rule: Rule = {
  id: "iam-no-admin-statements",
  mirrors: ["IAM.1", "CKV_AWS_1", "CKV_AWS_62", "CKV_AWS_63", "AVD-AWS-0057", "ECS-10"],
  description: "No Allow statement with Action * (or *:*, or NotAction) on Resource *.",
  resourceTypes: IDENTITY_POLICY_TYPES,
  expectedIn: EVERY_STACK,
  check(resource, ctx) {
    const statements = declaredStatements(resource, ctx);
    if (!statements) return ["policy document cannot be read"];
    return statements
      .filter((s) => s.effect === "Allow" && (s.actions.some((a) => a === "*" || a === "*:*") || s.notActions.length > 0) && onAnyResource(s))
      .map(() => "an Allow statement grants * (or NotAction) on *");
  },
};
