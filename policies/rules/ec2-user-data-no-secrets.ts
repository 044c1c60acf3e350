/**
 * User data carries no credentials (DB-7): passwords are fetched from Secrets Manager at boot.
 * Literal base64 (and gzip+base64) user data is decoded; Terraform expressions such as
 * `${base64gzip(templatefile(...))}` or `${base64gzip("...")}` are scanned as text.
 * Sources: Trivy AVD-AWS-0029 (aws-ec2-no-secrets-in-user-data) and AVD-AWS-0129 (launch
 * template); Checkov CKV_AWS_46 (EC2Credentials: no AWS credentials in user data).
 */
import type { Rule } from "../engine";
import { decodeUserData, scanText } from "../secret-scan";
import { STAGING_STACK } from "../stacks";

export const rule: Rule = {
  id: "ec2-user-data-no-secrets",
  mirrors: ["AVD-AWS-0029", "AVD-AWS-0129", "CKV_AWS_46", "DB-7"],
  description: "aws_instance / aws_launch_template user data contains nothing credential-like.",
  resourceTypes: ["aws_instance", "aws_launch_template"],
  expectedIn: [STAGING_STACK],
  check(instance) {
    const out: string[] = [];
    for (const key of ["user_data", "user_data_base64"]) {
      const value = instance.config[key];
      if (typeof value !== "string") continue;
      for (const hit of scanText(decodeUserData(value, key === "user_data_base64"), key)) out.push(`${key}: ${hit.kind} (${hit.excerpt})`);
    }
    return out;
  },
};
