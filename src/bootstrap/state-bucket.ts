/**
 * The Terraform state bucket of one account (ACC-2, ACC-4): a private bucket (versioned, KMS-encrypted,
 * public access blocked, ACLs disabled, TLS-only), old state versions expired after a while, and
 * protected from destroy.
 */
import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Construct } from "constructs";
import { stateBucketName } from "../config/naming";
import { PrivateBucket } from "../storage/private-bucket";

export interface StateBucketProps {
  readonly accountId: string;
  /** Days a superseded state version is kept. @default 90 */
  readonly noncurrentVersionDays?: number;
}

export class StateBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    this.bucket = new PrivateBucket(this, "private-bucket", {
      bucketName: stateBucketName(props.accountId),
      encryption: "aws:kms",
      preventDestroy: true,
      lifecycleRuleId: "expire-old-state-versions",
      noncurrentVersionDays: props.noncurrentVersionDays ?? 90,
    }).bucket;
  }
}
