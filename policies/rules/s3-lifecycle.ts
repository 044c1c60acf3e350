/**
 * Buckets have a lifecycle configuration (old versions and logs expire instead of growing forever).
 * Sources: Checkov CKV2_AWS_61 ("S3 bucket has a lifecycle configuration"); Security Hub S3.13
 * ("S3 general purpose buckets should have Lifecycle configurations").
 */
import type { Rule } from "../engine";
import { BOOTSTRAP_STACKS, PRODUCTION_STACK } from "../stacks";

export const rule: Rule = {
  id: "s3-lifecycle",
  mirrors: ["CKV2_AWS_61", "S3.13"],
  description: "An aws_s3_bucket_lifecycle_configuration references the bucket.",
  resourceTypes: ["aws_s3_bucket"],
  expectedIn: [PRODUCTION_STACK, ...BOOTSTRAP_STACKS],
  check(bucket, ctx) {
    return ctx.companions(bucket, "aws_s3_bucket_lifecycle_configuration", "bucket", ["bucket"]).length > 0 ? [] : ["no lifecycle configuration"];
  },
};
