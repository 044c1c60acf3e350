/**
 * Bucket ACLs are disabled: object ownership BucketOwnerEnforced.
 * Sources: Security Hub S3.12 ("ACLs should not be used to manage user access to S3 general
 * purpose buckets"); Checkov CKV2_AWS_65 ("access control lists for S3 buckets are disabled":
 * aws_s3_bucket_ownership_controls with BucketOwnerEnforced).
 */
import { block, type Rule } from "../engine";
import { BOOTSTRAP_STACKS, PRODUCTION_STACK } from "../stacks";

export const rule: Rule = {
  id: "s3-acls-disabled",
  mirrors: ["S3.12", "CKV2_AWS_65", "ACC-4"],
  description: "An aws_s3_bucket_ownership_controls with object_ownership BucketOwnerEnforced references the bucket.",
  resourceTypes: ["aws_s3_bucket"],
  expectedIn: [PRODUCTION_STACK, ...BOOTSTRAP_STACKS],
  check(bucket, ctx) {
    const controls = ctx.companions(bucket, "aws_s3_bucket_ownership_controls", "bucket", ["bucket"]);
    const enforced = controls.some((c) => block(c.config["rule"])?.["object_ownership"] === "BucketOwnerEnforced");
    return enforced ? [] : ["object ownership is not BucketOwnerEnforced"];
  },
};
