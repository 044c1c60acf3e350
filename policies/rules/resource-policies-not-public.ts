/**
 * Resource policies (bucket, topic, file system, repository, log delivery) never allow every
 * principal without a condition.
 * Sources: Checkov CKV_AWS_70 (S3BucketPolicyAllowsPublicAccess / "S3 bucket does not allow an action
 * with any Principal"), CKV_AWS_32 (ECRPolicy: ECR repository policy not public); Trivy AVD-AWS-0032
 * (aws-ecr-no-public-access). Deny statements with principal * (TLS-only, deny-others) are the
 * normal, safe use and pass.
 */
import type { Rule } from "../engine";
import { EVERY_STACK } from "../stacks";

const POLICY_ATTRIBUTE: Readonly<Record<string, string>> = {
  aws_s3_bucket_policy: "policy",
  aws_sns_topic_policy: "policy",
  aws_efs_file_system_policy: "policy",
  aws_ecr_repository_policy: "policy",
  aws_sqs_queue_policy: "policy",
  aws_cloudwatch_log_resource_policy: "policy_document",
};

export const rule: Rule = {
  id: "resource-policies-not-public",
  mirrors: ["CKV_AWS_70", "CKV_AWS_32", "AVD-AWS-0032"],
  description: "No Allow statement for principal * without a condition in bucket, topic, file-system, repository or log resource policies.",
  resourceTypes: Object.keys(POLICY_ATTRIBUTE),
  expectedIn: EVERY_STACK,
  check(resource, ctx) {
    const statements = ctx.policyStatements(resource.config[POLICY_ATTRIBUTE[resource.type]!]);
    if (!statements) return ["policy document cannot be read"];
    return statements
      .filter((s) => s.effect === "Allow" && s.principals.some((p) => (p.type === "AWS" || p.type === "*") && p.identifiers.includes("*")) && s.conditions.length === 0)
      .map(() => "an Allow statement grants principal * without a condition");
  },
};
