/**
 * An S3 bucket that nobody outside the account reaches: public access blocked, ACLs disabled
 * (ownership enforced), versioned, encrypted by default, old versions expired, and a bucket policy
 * that denies every request not made over TLS plus whatever statements the owner adds. The state
 * bucket (ACC-4) and the ALB access-log bucket (EDGE-6) are both this, with their own settings.
 */
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";

export interface PrivateBucketProps {
  readonly bucketName: string;
  /** `aws:kms` (the account's S3 key, with bucket keys) or `AES256` (SSE-S3, e.g. for ALB logs). */
  readonly encryption: "aws:kms" | "AES256";
  /** Terraform refuses to destroy the bucket. @default false */
  readonly preventDestroy?: boolean;
  /** The lifecycle rule's ID, saying what it expires. */
  readonly lifecycleRuleId: string;
  /** Days after which current objects expire. @default - never */
  readonly expirationDays?: number;
  /** Days a superseded object version is kept. */
  readonly noncurrentVersionDays: number;
  /** Statements added to the bucket policy besides the TLS-only deny. @default - none */
  readonly policyStatements?: (bucketArn: string) => DataAwsIamPolicyDocumentStatement[];
}

export class PrivateBucket extends Construct {
  readonly bucket: S3Bucket;
  /** The bucket policy: resources that rely on it (ELB's log-delivery check) depend on it. */
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: PrivateBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      forceDestroy: false,
      tags: { Name: props.bucketName },
      ...(props.preventDestroy ? { lifecycle: { preventDestroy: true } } : {}),
    });
    const bucket = this.bucket.id;
    new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketVersioningA(this, "versioning", { bucket, versioningConfiguration: { status: "Enabled" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [
        props.encryption === "aws:kms"
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [
        {
          id: props.lifecycleRuleId,
          status: "Enabled",
          filter: [{ prefix: "" }],
          ...(props.expirationDays !== undefined ? { expiration: [{ days: props.expirationDays }] } : {}),
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    const document = new DataAwsIamPolicyDocument(this, "policy-document", {
      statement: [
        ...(props.policyStatements?.(this.bucket.arn) ?? []),
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["s3:*"],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    this.policy = new S3BucketPolicy(this, "policy", { bucket, policy: document.json });
  }
}
