/**
 * The S3 bucket the ALB writes its access logs to (EDGE-6, production). ELB delivers access logs
 * only to buckets encrypted with SSE-S3 (not SSE-KMS), in the load balancer's region, whose policy
 * lets the regional ELB account (regions before August 2022, such as eu-central-1) or the
 * `logdelivery.elasticloadbalancing.amazonaws.com` service principal (newer regions) put objects
 * under `AWSLogs/<account>/`. Both are granted so the bucket works in any region. Otherwise the
 * bucket is locked down: public access blocked, ACLs disabled, versioned, TLS-only, expiring.
 */
import { DataAwsElbServiceAccount } from "@cdktf/provider-aws/lib/data-aws-elb-service-account";
import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import type { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { Construct } from "constructs";
import { PrivateBucket } from "../storage/private-bucket";
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
    // S3 bucket names are global: the account ID makes this one ours (as the state bucket's is).
    const name = resourceName(props.environment, `alb-logs-${props.accountId}`);
    const elbAccount = new DataAwsElbServiceAccount(this, "elb-account", {});
    const logObjects = (bucketArn: string) => `${bucketArn}/AWSLogs/${props.accountId}/*`;
    const bucket = new PrivateBucket(this, "private-bucket", {
      bucketName: name,
      // ALB access logs support SSE-S3 only (a deliberate exception to "KMS everywhere").
      encryption: "AES256",
      lifecycleRuleId: "expire-access-logs",
      expirationDays: props.expirationDays ?? 90,
      noncurrentVersionDays: props.noncurrentVersionDays ?? 7,
      policyStatements: (bucketArn) => [
        {
          sid: "ElbAccountWritesAccessLogs",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [elbAccount.arn] }],
          actions: ["s3:PutObject"],
          resources: [logObjects(bucketArn)],
        },
        {
          sid: "ElbLogDeliveryWritesAccessLogs",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: [ELB_LOG_DELIVERY_PRINCIPAL] }],
          actions: ["s3:PutObject"],
          resources: [logObjects(bucketArn)],
        },
      ],
    });
    this.bucket = bucket.bucket;
    this.bucketName = this.bucket.id;
    this.policy = bucket.policy;
  }
}
