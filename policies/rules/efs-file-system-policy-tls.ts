/**
 * EFS file systems have a file-system policy that refuses clients not using TLS (EFS-2: mounted
 * with transit encryption; the task definition asks for it, the policy enforces it for everyone).
 * Sources: REQUIREMENTS EFS-2; AWS EFS user guide, "Enforcing encryption in transit" (a Deny on
 * aws:SecureTransport = false in the file system policy), the control behind Checkov CKV_AWS_97 on the
 * client side.
 */
import type { Rule } from "../engine";
import { deniesPlaintextToEveryone } from "../iam";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "efs-file-system-policy-tls",
  mirrors: ["EFS-2", "CKV_AWS_97"],
  description: "An aws_efs_file_system_policy for the file system denies requests with aws:SecureTransport = false.",
  resourceTypes: ["aws_efs_file_system"],
  expectedIn: ENVIRONMENT_STACKS,
  check(fs, ctx) {
    const policies = ctx.companions(fs, "aws_efs_file_system_policy", "file_system_id");
    if (policies.length === 0) return ["no file system policy (clients may mount without TLS)"];
    const enforced = policies.some((p) => (ctx.policyStatements(p.config["policy"]) ?? []).some(deniesPlaintextToEveryone));
    return enforced ? [] : ["the file system policy does not deny non-TLS clients"];
  },
};
