/**
 * Every bucket has a public access block with all four settings on.
 * Sources: Security Hub S3.8 ("S3 general purpose buckets should block public access", bucket
 * level) and S3.1 (account level; we hold each bucket to it); Checkov CKV2_AWS_6 (graph: bucket
 * has an aws_s3_bucket_public_access_block) and CKV_AWS_53/54/55/56 (each flag true); Trivy
 * AVD-AWS-0086/0087/0091/0093/0094 (block-public-acls, block-public-policy, ignore-public-acls,
 * no-public-buckets, specify-public-access-block).
 */
import { isTrue, type Rule } from "../engine";
import { BOOTSTRAP_STACKS, PRODUCTION_STACK } from "../stacks";

const FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];

export const rule: Rule = {
  id: "s3-public-access-block",
  mirrors: ["S3.8", "S3.1", "CKV2_AWS_6", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "AVD-AWS-0086", "AVD-AWS-0087", "AVD-AWS-0091", "AVD-AWS-0093", "AVD-AWS-0094"],
  description: "An aws_s3_bucket_public_access_block with all four flags true references the bucket.",
  resourceTypes: ["aws_s3_bucket"],
  expectedIn: [PRODUCTION_STACK, ...BOOTSTRAP_STACKS],
  check(bucket, ctx) {
    const blocks = ctx.companions(bucket, "aws_s3_bucket_public_access_block", "bucket", ["bucket"]);
    if (blocks.length === 0) return ["no aws_s3_bucket_public_access_block"];
    const missing = FLAGS.filter((f) => !blocks.some((b) => isTrue(b.config[f])));
    return missing.length ? [`public access block leaves ${missing.join(", ")} off`] : [];
  },
};
