/**
 * Buckets log server access.
 * Sources: Checkov CKV_AWS_18 (S3AccessLogs: aws_s3_bucket_logging); Security Hub S3.9 ("S3
 * general purpose buckets should have server access logging enabled"); Trivy AVD-AWS-0089
 * (aws-s3-enable-bucket-logging). A bucket that is itself a log target (it holds access logs of
 * other resources) is where logs end: an exception, not a loop.
 */
import type { Rule } from "../engine";
import { BOOTSTRAP_STACKS, PRODUCTION_STACK } from "../stacks";

export const rule: Rule = {
  id: "s3-access-logging",
  mirrors: ["CKV_AWS_18", "S3.9", "AVD-AWS-0089"],
  description: "An aws_s3_bucket_logging references the bucket.",
  resourceTypes: ["aws_s3_bucket"],
  expectedIn: [PRODUCTION_STACK, ...BOOTSTRAP_STACKS],
  check(bucket, ctx) {
    return ctx.companions(bucket, "aws_s3_bucket_logging", "bucket", ["bucket"]).length > 0 ? [] : ["no server access logging"];
  },
};
