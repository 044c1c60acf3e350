/**
 * iam:PassRole is granted only on named roles: passing any role is privilege escalation.
 * Sources: Checkov CKV_AWS_286 ("IAM policies does not allow privilege escalation", Cloudsplaining
 * based: iam:PassRole among escalation actions on resource *); Trivy AVD-AWS-0057 (wildcards in
 * resources). ECS-10: roles get exactly what they need.
 */
import type { Rule } from "../engine";
import { IDENTITY_POLICY_TYPES, declaredStatements, grants, onAnyResource } from "../iam";
import { EVERY_STACK } from "../stacks";

export const rule: Rule = {
  id: "iam-no-wildcard-passrole",
  mirrors: ["CKV_AWS_286", "AVD-AWS-0057", "ECS-10"],
  description: "No Allow of iam:PassRole on Resource * (or on arn:aws:iam::*:role/*).",
  resourceTypes: IDENTITY_POLICY_TYPES,
  expectedIn: EVERY_STACK,
  check(resource, ctx) {
    const statements = declaredStatements(resource, ctx);
    if (!statements) return ["policy document cannot be read"];
    return statements
      .filter((s) => grants(s, "iam:PassRole") && (onAnyResource(s) || s.resources.some((r) => /:role\/\*$/.test(r))))
      .map(() => "iam:PassRole is allowed on any role");
  },
};
