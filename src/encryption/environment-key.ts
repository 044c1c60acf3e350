/**
 * The environment's customer-managed KMS key. It encrypts the secrets, the log groups, the SNS
 * alarm topic and the ECR repositories (ARCHITECTURE.md principle 6: Checkov CKV_AWS_149/158/26/136).
 * The key policy delegates to IAM in the account and lets the AWS services that encrypt on our
 * behalf use it, each limited to this account (CloudWatch Logs to this environment's log groups).
 */
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";
import { logGroupArnPatterns, resourceName } from "../config/naming";
import type { EnvironmentDefinition } from "../config/types";

export interface EnvironmentKeyProps {
  readonly environment: EnvironmentDefinition;
  /** The component name of the key and its alias (`alias/tracker-<env>-<component>`). @default "key" */
  readonly component?: string;
  /** What the key encrypts, for its description. @default - the environment's secrets, logs, alarm topic and file systems */
  readonly purpose?: string;
  /**
   * Whether CloudWatch Logs and CloudWatch alarms may use the key (log groups, the SNS alarm topic).
   * Keys for services that work through IAM and grants only (ECR) leave this off.
   * @default true
   */
  readonly allowLogsAndAlarms?: boolean;
}

export class EnvironmentKey extends Construct {
  readonly key: KmsKey;
  /** The key's ARN, for `kms_key_id` attributes and IAM grants. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: EnvironmentKeyProps) {
    super(scope, id);
    const env = props.environment;
    const account = env.accountId;
    const component = props.component ?? "key";
    const logsAndAlarms = [
      {
        // Only this environment's log groups (naming.ts LOG_GROUP_FOLDERS), not every log group of a
        // shared account: another project cannot make its logs depend on this key (SHR-1).
        sid: "CloudWatchLogsEncryptsThisEnvironmentsLogGroups",
        principals: [{ type: "Service", identifiers: [`logs.${env.region}.amazonaws.com`] }],
        actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        resources: ["*"],
        condition: [
          {
            test: "ArnLike",
            variable: "kms:EncryptionContext:aws:logs:arn",
            values: logGroupArnPatterns(env.name, env.region, account),
          },
        ],
      },
      {
        sid: "CloudWatchAlarmsPublishToTheEncryptedTopic",
        principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [account] }],
      },
      {
        // COST-4: budget alerts go to the same encrypted topic.
        sid: "BudgetsPublishToTheEncryptedTopic",
        principals: [{ type: "Service", identifiers: ["budgets.amazonaws.com"] }],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [account] }],
      },
    ];
    const policy = new DataAwsIamPolicyDocument(this, "policy", {
      statement: [
        {
          sid: "AccountAdministersThroughIam",
          principals: [{ type: "AWS", identifiers: [`arn:aws:iam::${account}:root`] }],
          actions: ["kms:*"],
          resources: ["*"],
        },
        ...((props.allowLogsAndAlarms ?? true) ? logsAndAlarms : []),
      ],
    });
    const name = resourceName(env.name, component);
    this.key = new KmsKey(this, "key", {
      description: `Encrypts the ${env.name} tracker ${props.purpose ?? "secrets, logs, alarm topic and file systems"}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policy.json,
      tags: { Name: name },
      lifecycle: { preventDestroy: true },
    });
    new KmsAlias(this, "alias", { name: `alias/${name}`, targetKeyId: this.key.keyId });
    this.arn = this.key.arn;
  }
}
