/**
 * Instances require IMDSv2 session tokens (DB-1).
 * Sources: Security Hub EC2.8 ("EC2 instances should use Instance Metadata Service Version 2");
 * Checkov CKV_AWS_79 (IMDSv1Disabled: metadata_options.http_tokens = required, or
 * http_endpoint = disabled); Trivy AVD-AWS-0028 (aws-ec2-enforce-http-token-imds).
 */
import { block, type Rule } from "../engine";
import { STAGING_STACK } from "../stacks";

export const rule: Rule = {
  id: "ec2-imdsv2-required",
  mirrors: ["EC2.8", "CKV_AWS_79", "AVD-AWS-0028", "DB-1"],
  description: "aws_instance / aws_launch_template metadata_options.http_tokens = required (or endpoint disabled).",
  resourceTypes: ["aws_instance", "aws_launch_template"],
  expectedIn: [STAGING_STACK],
  check(instance) {
    const md = block(instance.config["metadata_options"]);
    if (md?.["http_endpoint"] === "disabled" || md?.["http_tokens"] === "required") return [];
    return ["metadata_options.http_tokens is not required (IMDSv1 allowed)"];
  },
};
