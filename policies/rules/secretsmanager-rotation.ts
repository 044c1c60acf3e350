/**
 * Secrets rotate automatically.
 * Sources: Security Hub SecretsManager.1 ("Secrets Manager secrets should have automatic rotation
 * enabled"); Checkov CKV2_AWS_57 (graph: secret with an aws_secretsmanager_secret_rotation).
 */
import type { Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "secretsmanager-rotation",
  mirrors: ["SecretsManager.1", "CKV2_AWS_57"],
  description: "An aws_secretsmanager_secret_rotation references the secret.",
  resourceTypes: ["aws_secretsmanager_secret"],
  expectedIn: ENVIRONMENT_STACKS,
  check(secret, ctx) {
    return ctx.companions(secret, "aws_secretsmanager_secret_rotation", "secret_id").length > 0 ? [] : ["no automatic rotation"];
  },
};
