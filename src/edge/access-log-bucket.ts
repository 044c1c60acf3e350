/**
 * The S3 bucket the ALB writes its access logs to (EDGE-6, production). ELB delivers access logs
 * only to buckets encrypted with SSE-S3 (not SSE-KMS), in the load balancer's region, whose policy
 * lets the regional ELB account (regions before August 2022, such as eu-central-1) or the
 * `logdelivery.elasticloadbalancing.amazonaws.com` service principal (newer regions) put objects
 * under `AWSLogs/<account>/`. Both are granted so the bucket works in any region. Otherwise the
 * bucket is locked down: public access blocked, ACLs disabled, versioned, TLS-only, expiring.
 */
import { DataAwsElbServiceAccount } from "@cdktf/provider-aws/lib/data-aws-elb-service-account";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { resourceName } from "../config/naming";
import type { EnvironmentName } from "../config/types";

/** The ELB log delivery service principal of regions opened since August 2022. */
export const ELB_LOG_DELIVERY_PRINCIPAL = "logdelivery.elasticloadbalancing.amazonaws.com";

export interface AccessLogBucketProps {
  readonly environment: EnvironmentName;
  /** The account the load balancer lives in: logs land under `AWSLogs/<accountId>/`. */
  readonly accountId: string;
  /** Days an access log is kept. @default 90 */
  readonly expirationDays?: number;
  /** Days a superseded or deleted log version is kept. @default 7 */
  readonly noncurrentVersionDays?: number;
}

export class AccessLogBucket extends Construct {
  readonly bucket: S3Bucket;
  /** The bucket name, for `aws_lb.access_logs.bucket`. */
  readonly bucketName: string;
  /**
   * The bucket policy. ELB checks that it may write when access logs are switched on, so the load
   * balancer must depend on it.
   */
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    const name = resourceName(props.environment, "alb-logs");
    this.bucket = new S3Bucket(this, "bucket", { bucket: name, forceDestroy: false, tags: { Name: name } });
    const bucket = this.bucket.id;
    this.bucketName = bucket;

    new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketVersioningA(this, "versioning", { bucket, versioningConfiguration: { status: "Enabled" } });
    // ALB access logs support SSE-S3 only (a deliberate exception to "KMS everywhere").
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: [{ prefix: "" }],
          expiration: [{ days: props.expirationDays ?? 90 }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 7 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });

    const elbAccount = new DataAwsElbServiceAccount(this, "elb-account", {});
    const logObjects = `${this.bucket.arn}/AWSLogs/${props.accountId}/*`;
    const document = new DataAwsIamPolicyDocument(this, "policy-document", {
      statement: [
        {
          sid: "ElbAccountWritesAccessLogs",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [elbAccount.arn] }],
          actions: ["s3:PutObject"],
          resources: [logObjects],
        },
        {
          sid: "ElbLogDeliveryWritesAccessLogs",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: [ELB_LOG_DELIVERY_PRINCIPAL] }],
          actions: ["s3:PutObject"],
          resources: [logObjects],
        },
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
