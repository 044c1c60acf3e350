/**
 * Customer policies name actions instead of granting a whole service (`s3:*`).
 * Sources: Security Hub IAM.21 ("IAM customer managed policies that you create should not allow
 * wildcard actions for services"); Checkov CKV_AWS_289/CKV_AWS_290 (permissions management / write
 * access without constraints) are close cousins.
 */
import type { Rule } from "../engine";
import { IDENTITY_POLICY_TYPES, declaredStatements } from "../iam";
import { EVERY_STACK } from "../stacks";

export const rule: Rule = {
  id: "iam-no-service-wildcard-actions",
  mirrors: ["IAM.21", "ECS-10"],
  description: "No Allow statement with an action of the form service:*.",
  resourceTypes: IDENTITY_POLICY_TYPES,
  expectedIn: EVERY_STACK,
  check(resource, ctx) {
    const statements = declaredStatements(resource, ctx);
    if (!statements) return ["policy document cannot be read"];
    const wild = statements.filter((s) => s.effect === "Allow").flatMap((s) => s.actions.filter((a) => /^[\w-]+:\*$/.test(a)));
    return [...new Set(wild)].map((a) => `allows ${a}`);
  },
};
