/**
 * Buckets are versioned (ACC-4: the state bucket is versioned).
 * Sources: Checkov CKV_AWS_21 (S3Versioning: aws_s3_bucket_versioning status Enabled); Trivy
 * AVD-AWS-0090 (aws-s3-enable-versioning).
 */
import { block, type Rule } from "../engine";
import { BOOTSTRAP_STACKS, PRODUCTION_STACK } from "../stacks";

export const rule: Rule = {
  id: "s3-versioning",
  mirrors: ["CKV_AWS_21", "AVD-AWS-0090", "ACC-4"],
  description: "An aws_s3_bucket_versioning with status Enabled references the bucket.",
  resourceTypes: ["aws_s3_bucket"],
  expectedIn: [PRODUCTION_STACK, ...BOOTSTRAP_STACKS],
  check(bucket, ctx) {
    const v = ctx.companions(bucket, "aws_s3_bucket_versioning", "bucket", ["bucket"]);
    const on = v.some((x) => block(x.config["versioning_configuration"])?.["status"] === "Enabled");
    return on ? [] : ["versioning is not Enabled"];
  },
};
