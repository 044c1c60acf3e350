/**
 * Secret values are never literals in the configuration (CFG-1, DB-7): a secret version's value
 * comes from a generator (random_password, ephemeral resource) by reference, or is written
 * outside Terraform.
 * Sources: REQUIREMENTS CFG-1 / DB-7; Checkov's secrets scanning (CKV_SECRET_*) in spirit.
 */
import { isToken, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "secretsmanager-no-literal-value",
  mirrors: ["CFG-1", "DB-7", "CKV_SECRET_6"],
  description: "aws_secretsmanager_secret_version.secret_string / secret_binary are references, not literals.",
  resourceTypes: ["aws_secretsmanager_secret_version"],
  expectedIn: ENVIRONMENT_STACKS,
  check(version) {
    return ["secret_string", "secret_binary", "secret_string_wo"]
      .filter((k) => typeof version.config[k] === "string" && !isToken(version.config[k]))
      .map((k) => `${k} is a literal`);
  },
};
