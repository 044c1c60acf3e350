/**
 * A Parameter Store parameter whose name looks sensitive is a SecureString with a literal-free
 * value (CFG-2: parameters are non-secret configuration; secrets live in Secrets Manager).
 * Sources: REQUIREMENTS CFG-1/CFG-2; Trivy's aws-ssm "avoid leaks" family and Checkov CKV2_AWS_34
 * ("AWS SSM Parameter should be Encrypted": type SecureString).
 */
import { isToken, type Rule } from "../engine";
import { isSecretLookingName } from "../secret-scan";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "ssm-sensitive-parameters-secure",
  mirrors: ["CKV2_AWS_34", "CFG-2"],
  description: "aws_ssm_parameter with a secret-looking name is a SecureString and its value is not a literal.",
  resourceTypes: ["aws_ssm_parameter"],
  expectedIn: ENVIRONMENT_STACKS,
  check(parameter) {
    const name = String(parameter.config["name"] ?? "");
    const last = name.split("/").pop() ?? "";
    if (!isSecretLookingName(last.replace(/-/g, "_"))) return [];
    const out: string[] = [];
    if (parameter.config["type"] !== "SecureString") out.push(`${name} looks secret but is ${String(parameter.config["type"])}`);
    // Terraform reads a number in `value` as its text: any value that is not an expression is a literal,
    // and `insecure_value` (plain text in the plan by design) holds no secret either.
    for (const key of ["value", "insecure_value"]) {
      const value = parameter.config[key];
      if (value !== undefined && value !== null && !(typeof value === "string" && isToken(value))) out.push(`${name} has a literal ${key}`);
    }
    return out;
  },
};
