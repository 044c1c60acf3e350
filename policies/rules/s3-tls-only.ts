/**
 * Bucket policies deny requests not made over TLS (ACC-4: TLS-only policy).
 * Sources: Security Hub S3.5 ("S3 general purpose buckets should require requests to use SSL":
 * a Deny statement for principal * with condition aws:SecureTransport = false).
 */
import type { Rule } from "../engine";
import { deniesPlaintextToEveryone } from "../iam";
import { BOOTSTRAP_STACKS, PRODUCTION_STACK } from "../stacks";

export const rule: Rule = {
  id: "s3-tls-only",
  mirrors: ["S3.5", "ACC-4"],
  description: "The bucket's aws_s3_bucket_policy has a Deny on aws:SecureTransport = false.",
  resourceTypes: ["aws_s3_bucket"],
  expectedIn: [PRODUCTION_STACK, ...BOOTSTRAP_STACKS],
  check(bucket, ctx) {
    const policies = ctx.companions(bucket, "aws_s3_bucket_policy", "bucket", ["bucket"]);
    if (policies.length === 0) return ["no bucket policy (so no TLS-only statement)"];
    const ok = policies.some((p) => (ctx.policyStatements(p.config["policy"]) ?? []).some(deniesPlaintextToEveryone));
    return ok ? [] : ["no Deny statement on aws:SecureTransport = false"];
  },
};
