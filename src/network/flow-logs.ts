/** VPC flow logs to a CloudWatch log group with a retention (NET-5). */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { resourceName, workloadBoundaryArn } from "../config/naming";
import type { EnvironmentName } from "../config/types";

export interface FlowLogsProps {
  readonly environment: EnvironmentName;
  readonly accountId: string;
  readonly vpcId: string;
  readonly retentionDays: number;
  /** KMS key that encrypts the log group. */
  readonly kmsKeyArn: string;
}

export class FlowLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: FlowLogsProps) {
    super(scope, id);
    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/vpc/${resourceName(props.environment, "flow-logs")}`,
      retentionInDays: props.retentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }],
        },
      ],
    });
    const role = new IamRole(this, "role", {
      name: resourceName(props.environment, "flow-logs"),
      description: `VPC flow logs write the ${props.environment} VPC's traffic records to their log group (NET-5)`,
      assumeRolePolicy: trust.json,
      // IAM-2: capped by the account's workload boundary (bootstrap stack).
      permissionsBoundary: workloadBoundaryArn(props.accountId, props.environment),
    });
    const write = new DataAwsIamPolicyDocument(this, "write", {
      statement: [
        {
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:DescribeLogGroups"],
          resources: [this.logGroup.arn, `${this.logGroup.arn}:*`],
        },
      ],
    });
    new IamRolePolicy(this, "write-policy", { name: "write-flow-logs", role: role.id, policy: write.json });
    new FlowLog(this, "flow-log", {
      vpcId: props.vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: resourceName(props.environment, "flow-log") },
    });
  }
}
