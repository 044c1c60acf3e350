/**
 * Buckets are encrypted by default with KMS (the environment's key).
 * Sources: Checkov CKV_AWS_145 (S3KMSEncryptedByDefault: sse_algorithm aws:kms); Security Hub
 * S3.17 ("S3 general purpose buckets should be encrypted at rest with AWS KMS keys"); Trivy
 * AVD-AWS-0132 (aws-s3-encryption-customer-key) and AVD-AWS-0088 (aws-s3-enable-bucket-encryption).
 * Note: ALB access-log buckets only support SSE-S3, so such a bucket needs an exception.
 */
import { block, blocks, type Rule } from "../engine";
import { BOOTSTRAP_STACKS, PRODUCTION_STACK } from "../stacks";

export const rule: Rule = {
  id: "s3-kms-encryption",
  mirrors: ["CKV_AWS_145", "S3.17", "AVD-AWS-0132", "AVD-AWS-0088"],
  description: "An aws_s3_bucket_server_side_encryption_configuration with sse_algorithm aws:kms (or aws:kms:dsse) references the bucket.",
  resourceTypes: ["aws_s3_bucket"],
  expectedIn: [PRODUCTION_STACK, ...BOOTSTRAP_STACKS],
  check(bucket, ctx) {
    const configs = ctx.companions(bucket, "aws_s3_bucket_server_side_encryption_configuration", "bucket", ["bucket"]);
    if (configs.length === 0) return ["no server-side encryption configuration"];
    const kms = configs.some((c) =>
      blocks(c.config["rule"]).some((r) => String(block(r["apply_server_side_encryption_by_default"])?.["sse_algorithm"] ?? "").startsWith("aws:kms")),
    );
    return kms ? [] : ["default encryption is not aws:kms"];
  },
};
