/**
 * OBS-2: the one SNS topic per environment that every alarm notifies. Encrypted with the
 * environment key (Security Hub SNS.1, Checkov CKV_AWS_26); only CloudWatch alarms of this account
 * may publish to it through the resource policy (the key policy grants `cloudwatch.amazonaws.com`
 * the same, limited to this account). AWS Budgets of this account publish too (COST-4). An email subscription is added when the environment names an
 * address; AWS sends a confirmation mail that the recipient must accept once.
 */
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import type { EnvironmentName } from "../config/types";
import { resourceName } from "../config/naming";
import { alarmTopicName } from "./names";

export interface AlarmTopicProps {
  readonly environment: EnvironmentName;
  /** The environment's account: only its alarms may publish (`aws:SourceAccount`). */
  readonly accountId: string;
  /** The environment key that encrypts the topic. */
  readonly kmsKeyArn: string;
  /** Where notifications are mailed (the environment's `alarmEmail`). @default - no subscription */
  readonly email?: string;
}

export class AlarmTopic extends Construct {
  readonly topic: SnsTopic;
  /** The topic's ARN: every alarm's `alarm_actions` and `ok_actions`. */
  readonly topicArn: string;
  /** The email subscription; absent when no address is configured. */
  readonly emailSubscription?: SnsTopicSubscription;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, "topic", {
      name: alarmTopicName(props.environment),
      displayName: `tracker ${props.environment} alarms`,
      kmsMasterKeyId: props.kmsKeyArn,
    });
    this.topicArn = this.topic.arn;

    const policy = new DataAwsIamPolicyDocument(this, "policy", {
      statement: [
        {
          sid: "CloudWatchAlarmsOfThisAccountPublish",
          principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
          actions: ["sns:Publish"],
          resources: [this.topic.arn],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }],
        },
        {
          // COST-4: the environment's budget alerts arrive on the same topic.
          sid: "BudgetsOfThisAccountPublish",
          principals: [{ type: "Service", identifiers: ["budgets.amazonaws.com"] }],
          actions: ["sns:Publish"],
          resources: [this.topic.arn],
          condition: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] },
            { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:aws:budgets::${props.accountId}:budget/${resourceName(props.environment, "*")}`] },
          ],
        },
      ],
    });
    new SnsTopicPolicy(this, "topic-policy", { arn: this.topic.arn, policy: policy.json });

    if (props.email) {
      this.emailSubscription = new SnsTopicSubscription(this, "email", {
        topicArn: this.topic.arn,
        protocol: "email",
        endpoint: props.email,
      });
    }
  }
}
