/**
 * IAM-2: the permissions boundary of every role an environment stack creates
 * (`tracker-<env>-workload-boundary`). The deploy role may create or change a role only with this
 * boundary attached, so whatever policy it writes, a role it creates can never do more than this:
 * no IAM, no Organizations, no Secrets Manager or Parameter Store outside `tracker/<env>/`.
 *
 * A boundary caps, it grants nothing: each role still gets exactly its own grants (ECS-10). The
 * list below is the union of what the environment's roles legitimately use (task and execution
 * roles, the database host with AWS's `AmazonSSMManagedInstanceCore`, VPC flow logs, Data
 * Lifecycle Manager with AWS's `AWSDataLifecycleManagerServiceRole`, the off-hours scheduler, and ECS's
 * traffic-shift roles of the canary deployments, DLV-1); the access matrix test
 * (`__tests__/iam-access-matrix.test.ts`) proves every grant of every role still passes it.
 */
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Construct } from "constructs";
import { parameterName, PROJECT, resourceName, workloadBoundaryName } from "../config/naming";
import type { EnvironmentDefinition } from "../config/types";

export interface WorkloadBoundaryProps {
  readonly environment: EnvironmentDefinition;
}

export class WorkloadBoundary extends Construct {
  readonly policy: IamPolicy;
  /** The boundary's ARN (equal to `workloadBoundaryArn(account, env)`, which the environment stack uses). */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: WorkloadBoundaryProps) {
    super(scope, id);
    const env = props.environment;
    const arn = (service: string, resource: string) => `arn:aws:${service}:${env.region}:${env.accountId}:${resource}`;
    const document = new DataAwsIamPolicyDocument(this, "document", {
      statement: [
        {
          // Containers' logs (awslogs), the flow logs, the host's CloudWatch agent metrics.
          sid: "LogsAndMetrics",
          actions: [
            "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:DescribeLogGroups",
            "cloudwatch:PutMetricData",
          ],
          resources: ["*"],
        },
        {
          // Execution roles pull the environment's images.
          sid: "PullImages",
          actions: ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
          resources: ["*"],
        },
        {
          // Only this environment's secrets and parameters, never another project's.
          sid: "ThisEnvironmentsSecrets",
          actions: ["secretsmanager:GetSecretValue"],
          resources: [arn("secretsmanager", `secret:${PROJECT}/${env.name}/*`)],
        },
        {
          sid: "ThisEnvironmentsParameters",
          actions: ["ssm:GetParameter", "ssm:GetParameters", "ssm:PutParameter"],
          resources: [arn("ssm", `parameter${parameterName(env.name, "*")}`)],
        },
        {
          // Key use through the services (secrets, EFS, EBS snapshots); key policies decide which key.
          sid: "UseKeys",
          actions: ["kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
          resources: ["*"],
        },
        {
          sid: "MountFileSystems",
          actions: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"],
          resources: ["*"],
        },
        {
          // ECS Exec and Session Manager on the database host (AmazonSSMManagedInstanceCore, without
          // its account-wide parameter reads: the statement above is the only parameter access).
          sid: "SessionManager",
          actions: [
            "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel",
            "ssmmessages:OpenDataChannel", "ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage",
            "ec2messages:GetEndpoint", "ec2messages:GetMessages", "ec2messages:SendReply", "ssm:UpdateInstanceInformation", "ssm:ListInstanceAssociations",
            "ssm:ListAssociations", "ssm:DescribeAssociation", "ssm:GetDocument", "ssm:DescribeDocument",
            "ssm:UpdateInstanceAssociationStatus", "ssm:UpdateAssociationStatus", "ssm:PutInventory",
            "ssm:PutComplianceItems", "ssm:PutConfigurePackageResult", "ssm:GetManifest", "ssm:GetDeployablePatchSnapshotForInstance",
          ],
          resources: ["*"],
        },
        {
          // The database host attaches its data volume; Data Lifecycle Manager snapshots it
          // (AWSDataLifecycleManagerServiceRole).
          sid: "VolumesAndSnapshots",
          actions: [
            "ec2:AttachVolume", "ec2:DescribeVolumes", "ec2:DescribeInstances", "ec2:DescribeAvailabilityZones",
            "ec2:CreateSnapshot", "ec2:CreateSnapshots", "ec2:DeleteSnapshot", "ec2:DescribeSnapshots", "ec2:CopySnapshot",
            "ec2:ModifySnapshotAttribute", "ec2:DescribeSnapshotAttribute", "ec2:EnableFastSnapshotRestores",
            "ec2:DisableFastSnapshotRestores", "ec2:DescribeFastSnapshotRestores", "ec2:DescribeSnapshotTierStatus",
            "ec2:ModifySnapshotTier", "ec2:CreateTags",
          ],
          resources: ["*"],
        },
        {
          // COST-2: EventBridge Scheduler starts and stops the database host outside working hours
          // (its role names the one instance), and quiets this environment's off-hours alarms.
          sid: "OffHoursSchedule",
          actions: ["ec2:StartInstances", "ec2:StopInstances"],
          resources: [arn("ec2", "instance/*")],
        },
        {
          sid: "OffHoursAlarms",
          actions: ["cloudwatch:DisableAlarmActions", "cloudwatch:EnableAlarmActions"],
          resources: [arn("cloudwatch", `alarm:${PROJECT}-${env.name}-*`)],
        },
        {
          // DLV-1: ECS's traffic-shift roles read the load balancer's configuration (Describe* has no
          // resource-level permissions)...
          sid: "CanaryTrafficShiftReads",
          actions: [
            "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeRules",
            "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth",
          ],
          resources: ["*"],
        },
        {
          // ...and change only this environment's load balancer: its listeners' rules and its target
          // groups, never another project's in the shared account.
          sid: "CanaryTrafficShift",
          actions: [
            "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets",
            "elasticloadbalancing:ModifyRule", "elasticloadbalancing:ModifyListener",
          ],
          resources: [
            arn("elasticloadbalancing", `targetgroup/${resourceName(env.name, "*")}/*`),
            arn("elasticloadbalancing", `listener-rule/app/${resourceName(env.name, "alb")}/*`),
            arn("elasticloadbalancing", `listener/app/${resourceName(env.name, "alb")}/*`),
          ],
        },
        {
          // Data Lifecycle Manager's own event rules (AWSDataLifecycleManagerServiceRole).
          sid: "LifecycleManagerRules",
          actions: [
            "events:PutRule", "events:DeleteRule", "events:DescribeRule", "events:EnableRule", "events:DisableRule",
            "events:ListTargetsByRule", "events:PutTargets", "events:RemoveTargets",
          ],
          resources: [`arn:aws:events:*:*:rule/AwsDataLifecycleRule.managed-cwe.*`],
        },
      ],
    });
    this.policy = new IamPolicy(this, "policy", {
      name: workloadBoundaryName(env.name),
      description: `Permissions boundary of every role of ${PROJECT}-${env.name} (IAM-2)`,
      policy: document.json,
    });
    this.arn = this.policy.arn;
  }
}
