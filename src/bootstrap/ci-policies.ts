/**
 * The policy statements of the CI roles (IAM-1..IAM-3), replacing AWS's `ReadOnlyAccess` and
 * `PowerUserAccess`: in the shared staging account those read every project's data and let a
 * deploy change every project's resources.
 *
 * - `configurationReads`: what `terraform plan` needs to refresh this project's resources
 *   (Describe/List/Get of configuration), never a data read (no s3:GetObject outside the state,
 *   no logs:GetLogEvents, no secret values, no parameters outside `/tracker/<env>/`).
 * - `deployManagement`: create/update/delete of the resource types the stacks use, by name prefix
 *   (`tracker-<env>-*`) where the ARN carries a name, by the `Project` tag where AWS only knows ids.
 * - `deployGuards`: explicit denies that hold whatever the allows say: no change to any CI role or
 *   to the workload boundary, no role without the boundary, nothing tagged for another project.
 *
 * docs/DESIGN.md "CI roles: least privilege, proven by evaluation" says what stays account-wide.
 */
import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { parameterName, PROJECT, resourceName, TRAFFIC_SHIFT_ROLE_SUFFIX } from "../config/naming";
import type { EnvironmentDefinition } from "../config/types";

type Statement = DataAwsIamPolicyDocumentStatement;

/** The environment's budgets: `arn:aws:budgets::<account>:budget/tracker-<env>-*` (Budgets is global). */
function budgetArn(env: EnvironmentDefinition): string {
  return `arn:aws:budgets::${env.accountId}:budget/${PROJECT}-${env.name}-*`;
}

/** COST-2: the environment's EventBridge Scheduler groups `tracker-<env>-*` and the schedules in them. */
function schedulerArns(env: EnvironmentDefinition): string[] {
  const group = `${PROJECT}-${env.name}-*`;
  return [
    `arn:aws:scheduler:${env.region}:${env.accountId}:schedule-group/${group}`,
    `arn:aws:scheduler:${env.region}:${env.accountId}:schedule/${group}/*`,
  ];
}

/** ARN builders for one environment's account and region. */
function arns(env: EnvironmentDefinition) {
  return {
    regional: (service: string, resource: string) => `arn:aws:${service}:${env.region}:${env.accountId}:${resource}`,
    iam: (resource: string) => `arn:aws:iam::${env.accountId}:${resource}`,
  };
}

/** `tracker-<env>-*`: every named resource of the environment. */
const named = (env: EnvironmentDefinition) => `${resourceName(env.name, "*")}`;

/** The secrets of this environment (`tracker/<env>/*`). */
export function environmentSecretsArn(env: EnvironmentDefinition): string {
  return arns(env).regional("secretsmanager", `secret:${PROJECT}/${env.name}/*`);
}

/**
 * Configuration reads for a refresh (both plan roles and the deploy role). Describe/List calls
 * that AWS authorizes only on "*" stay account-wide: they show other projects' configuration
 * (names, tags, network layout), never their data.
 */
export function configurationReads(env: EnvironmentDefinition): Statement[] {
  const { regional, iam } = arns(env);
  return [
    {
      sid: "DescribeConfiguration",
      actions: [
        "ec2:Describe*", "elasticloadbalancing:Describe*", "ecs:Describe*", "ecs:List*",
        "ecr:DescribeRepositories", "ecr:DescribeImages", "ecr:ListTagsForResource", "ecr:GetLifecyclePolicy", "ecr:GetRepositoryPolicy",
        "logs:DescribeLogGroups", "logs:DescribeMetricFilters", "logs:DescribeResourcePolicies", "logs:ListTagsForResource", "logs:ListTagsLogGroup",
        "cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource",
        "events:DescribeRule", "events:ListTargetsByRule", "events:ListTagsForResource",
        "kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags", "kms:ListAliases",
        "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy",
        "ssm:DescribeParameters", "ssm:ListTagsForResource",
        "elasticfilesystem:Describe*", "elasticfilesystem:ListTagsForResource",
        "servicediscovery:GetNamespace", "servicediscovery:GetService", "servicediscovery:GetInstance", "servicediscovery:GetOperation",
        "servicediscovery:ListNamespaces", "servicediscovery:ListServices", "servicediscovery:ListInstances", "servicediscovery:ListTagsForResource",
        "route53:GetHostedZone", "route53:ListHostedZonesByVPC",
        "acm:DescribeCertificate", "acm:ListTagsForCertificate",
        "sns:GetTopicAttributes", "sns:GetSubscriptionAttributes", "sns:ListSubscriptionsByTopic", "sns:ListTagsForResource",
        "dlm:GetLifecyclePolicy", "dlm:GetLifecyclePolicies", "dlm:ListTagsForResource",
        "application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScalingPolicies", "application-autoscaling:ListTagsForResource",
        "application-autoscaling:DescribeScheduledActions",
        "iam:ListOpenIDConnectProviders",
        "wafv2:GetWebACL", "wafv2:GetLoggingConfiguration", "wafv2:GetWebACLForResource", "wafv2:ListTagsForResource",
        // COST-3: the plan's cost estimate reads list prices (public data, no resource type).
        "pricing:GetProducts",
      ],
      resources: ["*"],
    },
    {
      // COST-2: refresh of this environment's off-hours schedules and their group.
      sid: "ReadThisEnvironmentsSchedules",
      actions: ["scheduler:GetSchedule", "scheduler:GetScheduleGroup", "scheduler:ListTagsForResource"],
      resources: schedulerArns(env),
    },
    {
      // COST-4: refresh of this environment's budget.
      sid: "ReadThisEnvironmentsBudget",
      actions: ["budgets:ViewBudget", "budgets:ListTagsForResource"],
      resources: [budgetArn(env)],
    },
    {
      // The roles, instance profiles and policies of this project, and the OIDC provider.
      sid: "ReadThisProjectsIam",
      actions: [
        "iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole",
        "iam:GetInstanceProfile", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions", "iam:GetOpenIDConnectProvider",
      ],
      resources: [
        iam(`role/${named(env)}`), iam(`instance-profile/${named(env)}`), iam(`policy/${named(env)}`),
        iam("oidc-provider/token.actions.githubusercontent.com"), "arn:aws:iam::aws:policy/*",
      ],
    },
    {
      // Bucket configuration of this project's buckets (the state bucket, the access-log bucket);
      // no object of any other bucket.
      sid: "ReadThisProjectsBucketConfiguration",
      actions: [
        "s3:ListBucket", "s3:GetBucket*", "s3:GetAccelerateConfiguration", "s3:GetLifecycleConfiguration",
        "s3:GetReplicationConfiguration", "s3:GetEncryptionConfiguration",
      ],
      resources: [`arn:aws:s3:::${PROJECT}-*`],
    },
    {
      // Refresh of this environment's parameters reads their values (all `String`, no secret), and
      // the database host's AMI comes from AWS's public parameters.
      sid: "ReadThisEnvironmentsParameters",
      actions: ["ssm:GetParameter", "ssm:GetParameters"],
      resources: [regional("ssm", `parameter${parameterName(env.name, "*")}`), `arn:aws:ssm:${env.region}::parameter/aws/service/*`],
    },
    {
      // Every plan opens the ephemeral random passwords of the secrets (src/runtime-config/secrets.ts).
      // GetRandomPassword has no resource type, so AWS accepts only "*" here; it reads nothing.
      sid: "GenerateEphemeralPasswords",
      actions: ["secretsmanager:GetRandomPassword"],
      resources: ["*"],
    },
  ];
}

/** The state bucket: read by every CI role; written (state and lock) by the deploy role only. */
export function stateAccess(stateBucketArn: string, write: boolean): Statement[] {
  const objects = `${stateBucketArn}/${PROJECT}-*`;
  return [
    { sid: "ListStateBucket", actions: ["s3:ListBucket"], resources: [stateBucketArn] },
    { sid: "ReadStateAndLock", actions: ["s3:GetObject"], resources: [objects] },
    ...(write ? [{ sid: "WriteStateAndLock", actions: ["s3:PutObject", "s3:DeleteObject"], resources: [objects] }] : []),
  ];
}

/**
 * A refresh of `aws_secretsmanager_secret_version` calls GetSecretValue even with the write-only
 * `secret_string_wo` (the provider discards the value, but reads it): the roles that refresh
 * (main-branch plan, deploy) read this environment's secrets, and nothing else.
 */
export function secretRefresh(env: EnvironmentDefinition): Statement[] {
  const secrets = environmentSecretsArn(env);
  return [
    { sid: "ReadThisEnvironmentsSecretsForRefresh", actions: ["secretsmanager:GetSecretValue"], resources: [secrets] },
    {
      sid: "DecryptThisEnvironmentsSecrets",
      actions: ["kms:Decrypt"],
      resources: [arns(env).regional("kms", "key/*")],
      condition: [
        { test: "StringEquals", variable: "kms:ViaService", values: [`secretsmanager.${env.region}.amazonaws.com`] },
        { test: "StringLike", variable: "kms:EncryptionContext:SecretARN", values: [secrets] },
      ],
    },
  ];
}

/** IAM-3: a role a pull request can assume reads no secret value, whatever else it is granted. */
export function noSecretValues(): Statement[] {
  return [
    {
      sid: "NeverReadSecretValues",
      effect: "Deny",
      actions: ["secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue"],
      resources: ["*"],
    },
    {
      sid: "NeverDecryptThroughSecretsManager",
      effect: "Deny",
      actions: ["kms:Decrypt"],
      resources: ["*"],
      condition: [{ test: "StringLike", variable: "kms:ViaService", values: ["secretsmanager.*.amazonaws.com"] }],
    },
    {
      // SecureString parameters (of any project) would be secrets too.
      sid: "NeverDecryptThroughParameterStore",
      effect: "Deny",
      actions: ["kms:Decrypt"],
      resources: ["*"],
      condition: [{ test: "StringLike", variable: "kms:ViaService", values: ["ssm.*.amazonaws.com"] }],
    },
  ];
}

/** The AWS services this project passes its roles to (iam:PassedToService). */
export const PASSED_TO_SERVICES = [
  "ecs-tasks.amazonaws.com", "ec2.amazonaws.com", "vpc-flow-logs.amazonaws.com", "dlm.amazonaws.com",
  // COST-2: the off-hours schedules act with the environment's scheduler role.
  "scheduler.amazonaws.com",
];

/** The service-linked roles the services used create on first use. */
export const SERVICE_LINKED_ROLES = [
  "ecs.amazonaws.com", "elasticloadbalancing.amazonaws.com", "application-autoscaling.amazonaws.com",
  "ecs.application-autoscaling.amazonaws.com", "elasticfilesystem.amazonaws.com", "servicediscovery.amazonaws.com",
];

/** The `Project` tag every resource carries (provider default tags, ACC-5). */
const PROJECT_TAG = "Project";

/**
 * Create/update/delete of this project's resources. The services whose ARNs carry a name are
 * scoped by `tracker-<env>-*`; those that know resources only by id (EC2, EFS, ACM, Cloud Map,
 * DLM, Application Auto Scaling, KMS keys, Route 53 zones) are allowed on "*", with creation
 * bounded by the `Project` request tag where AWS supports it and `deployGuards` denying anything
 * tagged for another project.
 */
export function deployManagement(env: EnvironmentDefinition, boundaryArn: string): Statement[] {
  const { regional, iam } = arns(env);
  const prefix = named(env);
  const requestTag = { test: "StringEquals", variable: `aws:RequestTag/${PROJECT_TAG}`, values: [PROJECT] };
  const resourceTag = { test: "StringEquals", variable: `aws:ResourceTag/${PROJECT_TAG}`, values: [PROJECT] };
  return [
    {
      sid: "NetworkHostsAndVolumes",
      actions: [
        "ec2:CreateVpc", "ec2:DeleteVpc", "ec2:ModifyVpcAttribute", "ec2:CreateSubnet", "ec2:DeleteSubnet", "ec2:ModifySubnetAttribute",
        "ec2:CreateInternetGateway", "ec2:AttachInternetGateway", "ec2:DetachInternetGateway", "ec2:DeleteInternetGateway",
        "ec2:AllocateAddress", "ec2:ReleaseAddress", "ec2:AssociateAddress", "ec2:DisassociateAddress",
        "ec2:CreateNatGateway", "ec2:DeleteNatGateway",
        "ec2:CreateRouteTable", "ec2:DeleteRouteTable", "ec2:CreateRoute", "ec2:ReplaceRoute", "ec2:DeleteRoute",
        "ec2:AssociateRouteTable", "ec2:DisassociateRouteTable", "ec2:ReplaceRouteTableAssociation",
        "ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup", "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress",
        "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress", "ec2:ModifySecurityGroupRules",
        "ec2:UpdateSecurityGroupRuleDescriptionsIngress", "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
        "ec2:CreateVpcEndpoint", "ec2:ModifyVpcEndpoint", "ec2:DeleteVpcEndpoints",
        "ec2:CreateFlowLogs", "ec2:DeleteFlowLogs",
        "ec2:CreateVpcPeeringConnection", "ec2:AcceptVpcPeeringConnection", "ec2:ModifyVpcPeeringConnectionOptions", "ec2:DeleteVpcPeeringConnection",
        "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:ModifyNetworkInterfaceAttribute",
        "ec2:AttachNetworkInterface", "ec2:DetachNetworkInterface",
        "ec2:CreateVolume", "ec2:DeleteVolume", "ec2:ModifyVolume", "ec2:AttachVolume", "ec2:DetachVolume",
        "ec2:RunInstances", "ec2:TerminateInstances", "ec2:StartInstances", "ec2:StopInstances", "ec2:RebootInstances",
        "ec2:ModifyInstanceAttribute", "ec2:ModifyInstanceMetadataOptions",
        "ec2:AssociateIamInstanceProfile", "ec2:ReplaceIamInstanceProfileAssociation", "ec2:DisassociateIamInstanceProfile",
        "ec2:CreateTags", "ec2:DeleteTags",
      ],
      resources: ["*"],
    },
    {
      sid: "LoadBalancers",
      actions: [
        "elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets", "elasticloadbalancing:SetIpAddressType",
        "elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:ModifyListenerAttributes",
        "elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule", "elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities",
        "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags",
        "elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:RemoveListenerCertificates",
      ],
      resources: [
        regional("elasticloadbalancing", `loadbalancer/app/${prefix}/*`),
        regional("elasticloadbalancing", `listener/app/${prefix}/*`),
        regional("elasticloadbalancing", `listener-rule/app/${prefix}/*`),
        regional("elasticloadbalancing", `targetgroup/${prefix}/*`),
      ],
    },
    {
      // EDGE-7: the web ACL in front of the ALB (with the AWS managed rule groups it references),
      // its association (which also needs SetWebAcl on the ALB) and its logging.
      sid: "WebAcl",
      actions: [
        "wafv2:CreateWebACL", "wafv2:UpdateWebACL", "wafv2:DeleteWebACL", "wafv2:GetWebACL", "wafv2:TagResource", "wafv2:UntagResource",
        "wafv2:ListTagsForResource", "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL", "wafv2:GetWebACLForResource",
        "wafv2:PutLoggingConfiguration", "wafv2:DeleteLoggingConfiguration", "wafv2:GetLoggingConfiguration",
      ],
      resources: [
        regional("wafv2", `regional/webacl/${prefix}/*`),
        regional("wafv2", "regional/managedruleset/*/*"),
        regional("elasticloadbalancing", `loadbalancer/app/${prefix}/*`),
      ],
    },
    {
      // SetWebAcl has no resource type: AWS authorizes it only on "*". Associating needs wafv2 rights
      // on the web ACL too, which are this project's only.
      sid: "AttachTheWebAclToTheLoadBalancer",
      actions: ["elasticloadbalancing:SetWebAcl"],
      resources: ["*"],
    },
    {
      // WAF delivers its logs through CloudWatch Logs' vended-log delivery, which has no resource type.
      sid: "WebAclLogDelivery",
      actions: ["logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:GetLogDelivery", "logs:ListLogDeliveries", "logs:UpdateLogDelivery"],
      resources: ["*"],
    },
    {
      sid: "ContainerServices",
      actions: [
        "ecs:CreateCluster", "ecs:DeleteCluster", "ecs:UpdateCluster", "ecs:UpdateClusterSettings", "ecs:PutClusterCapacityProviders",
        "ecs:CreateService", "ecs:UpdateService", "ecs:DeleteService", "ecs:TagResource", "ecs:UntagResource",
        // No DeregisterTaskDefinition: the task definitions have skip_destroy, so a deploy never
        // deregisters the revision it replaces (rollback needs it ACTIVE; docs/runbooks-delivery.md).
        "ecs:RegisterTaskDefinition",
        // DLV-1: `npm run rollback` stops a canary in progress with ECS's own rollback.
        "ecs:StopServiceDeployment",
      ],
      resources: [
        regional("ecs", `cluster/${prefix}`),
        regional("ecs", `service/${resourceName(env.name, "cluster")}/*`),
        regional("ecs", `service-deployment/${resourceName(env.name, "cluster")}/*`),
        regional("ecs", `task-definition/${prefix}:*`),
      ],
    },
    {
      sid: "LogGroups",
      actions: [
        "logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy",
        "logs:AssociateKmsKey", "logs:DisassociateKmsKey", "logs:TagResource", "logs:UntagResource", "logs:TagLogGroup", "logs:UntagLogGroup",
        "logs:PutMetricFilter", "logs:DeleteMetricFilter",
      ],
      // /ecs/tracker-<env>/<service>, /vpc/tracker-<env>-flow-logs, /aws/events/tracker-<env>-...
      resources: [regional("logs", `log-group:*${PROJECT}-${env.name}*`)],
    },
    {
      // Log resource policies have no ARN: AWS accepts only "*" (account-wide, see DESIGN.md).
      sid: "LogResourcePolicies",
      actions: ["logs:PutResourcePolicy", "logs:DeleteResourcePolicy"],
      resources: ["*"],
    },
    {
      sid: "AlarmsRulesAndTopics",
      actions: [
        "cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:EnableAlarmActions", "cloudwatch:DisableAlarmActions",
        "cloudwatch:TagResource", "cloudwatch:UntagResource",
        "events:PutRule", "events:DeleteRule", "events:EnableRule", "events:DisableRule", "events:PutTargets", "events:RemoveTargets",
        "events:TagResource", "events:UntagResource",
        "sns:CreateTopic", "sns:DeleteTopic", "sns:SetTopicAttributes", "sns:Subscribe", "sns:TagResource", "sns:UntagResource",
      ],
      resources: [regional("cloudwatch", `alarm:${prefix}`), regional("events", `rule/${prefix}`), regional("sns", prefix)],
    },
    {
      // Unsubscribe names the subscription, whose ARN is the topic's plus an id; IAM's reference gives
      // the topic as their resource type. Both, of this environment's topics only.
      sid: "TopicSubscriptions",
      actions: ["sns:Unsubscribe", "sns:SetSubscriptionAttributes"],
      resources: [regional("sns", prefix), regional("sns", `${prefix}:*`)],
    },
    {
      // COST-2: the off-hours schedules, only in this environment's schedule groups.
      sid: "ThisEnvironmentsSchedules",
      actions: [
        "scheduler:CreateScheduleGroup", "scheduler:DeleteScheduleGroup", "scheduler:GetScheduleGroup",
        "scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule", "scheduler:GetSchedule",
        "scheduler:TagResource", "scheduler:UntagResource", "scheduler:ListTagsForResource",
      ],
      resources: schedulerArns(env),
    },
    {
      // COST-4: the environment's cost budget (Budgets creates, updates and deletes with ModifyBudget).
      sid: "ThisEnvironmentsBudget",
      actions: ["budgets:ModifyBudget", "budgets:ViewBudget", "budgets:TagResource", "budgets:UntagResource", "budgets:ListTagsForResource"],
      resources: [budgetArn(env)],
    },
    {
      sid: "SecretsAndParameters",
      actions: [
        "secretsmanager:CreateSecret", "secretsmanager:DeleteSecret", "secretsmanager:RestoreSecret", "secretsmanager:UpdateSecret",
        "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage", "secretsmanager:ListSecretVersionIds",
        "secretsmanager:TagResource", "secretsmanager:UntagResource",
        "ssm:PutParameter", "ssm:DeleteParameter", "ssm:DeleteParameters", "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource",
      ],
      resources: [environmentSecretsArn(env), regional("ssm", `parameter${parameterName(env.name, "*")}`)],
    },
    {
      sid: "ImageRepositories",
      actions: [
        "ecr:CreateRepository", "ecr:DeleteRepository", "ecr:PutLifecyclePolicy", "ecr:DeleteLifecyclePolicy",
        "ecr:PutImageScanningConfiguration", "ecr:PutImageTagMutability", "ecr:SetRepositoryPolicy", "ecr:DeleteRepositoryPolicy",
        "ecr:TagResource", "ecr:UntagResource",
      ],
      resources: [regional("ecr", `repository/${PROJECT}-${env.name}/*`)],
    },
    {
      sid: "Buckets",
      actions: [
        "s3:CreateBucket", "s3:DeleteBucket", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutBucketVersioning",
        "s3:PutBucketPublicAccessBlock", "s3:PutBucketOwnershipControls", "s3:PutBucketTagging", "s3:PutEncryptionConfiguration",
        "s3:PutLifecycleConfiguration",
      ],
      resources: [`arn:aws:s3:::${PROJECT}-*`],
    },
    {
      // Keys are created tagged for this project; afterwards only this project's keys are managed.
      sid: "CreateKeys",
      actions: ["kms:CreateKey", "kms:TagResource"],
      resources: ["*"],
      condition: [requestTag],
    },
    {
      sid: "ManageAndUseThisProjectsKeys",
      actions: [
        "kms:PutKeyPolicy", "kms:EnableKeyRotation", "kms:DisableKeyRotation", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
        "kms:UpdateKeyDescription", "kms:UntagResource", "kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias",
        "kms:CreateGrant", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*",
      ],
      resources: [regional("kms", "key/*")],
      condition: [resourceTag],
    },
    {
      sid: "KeyAliases",
      actions: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
      resources: [regional("kms", `alias/${prefix}`)],
    },
    {
      sid: "FileSystems",
      actions: [
        "elasticfilesystem:CreateFileSystem", "elasticfilesystem:DeleteFileSystem", "elasticfilesystem:UpdateFileSystem",
        "elasticfilesystem:PutBackupPolicy", "elasticfilesystem:PutFileSystemPolicy", "elasticfilesystem:DeleteFileSystemPolicy",
        "elasticfilesystem:PutLifecycleConfiguration", "elasticfilesystem:CreateMountTarget", "elasticfilesystem:DeleteMountTarget",
        "elasticfilesystem:ModifyMountTargetSecurityGroups", "elasticfilesystem:CreateAccessPoint", "elasticfilesystem:DeleteAccessPoint",
        "elasticfilesystem:TagResource", "elasticfilesystem:UntagResource",
      ],
      resources: ["*"],
    },
    {
      sid: "CertificatesDiscoveryScalingSnapshots",
      actions: [
        "acm:RequestCertificate", "acm:DeleteCertificate", "acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate",
        "acm:UpdateCertificateOptions",
        "servicediscovery:CreatePrivateDnsNamespace", "servicediscovery:DeleteNamespace", "servicediscovery:UpdatePrivateDnsNamespace",
        "servicediscovery:CreateService", "servicediscovery:DeleteService", "servicediscovery:UpdateService",
        "servicediscovery:RegisterInstance", "servicediscovery:DeregisterInstance",
        "servicediscovery:TagResource", "servicediscovery:UntagResource",
        "route53:CreateHostedZone", "route53:DeleteHostedZone", "route53:ChangeResourceRecordSets", "route53:GetChange",
        "route53:CreateHealthCheck", "route53:UpdateHealthCheck", "route53:DeleteHealthCheck", "route53:GetHealthCheck",
        "route53:AssociateVPCWithHostedZone", "route53:DisassociateVPCFromHostedZone",
        "application-autoscaling:RegisterScalableTarget", "application-autoscaling:DeregisterScalableTarget",
        "application-autoscaling:PutScalingPolicy", "application-autoscaling:DeleteScalingPolicy",
        "application-autoscaling:PutScheduledAction", "application-autoscaling:DeleteScheduledAction",
        "application-autoscaling:TagResource", "application-autoscaling:UntagResource",
        "dlm:CreateLifecyclePolicy", "dlm:UpdateLifecyclePolicy", "dlm:DeleteLifecyclePolicy", "dlm:TagResource", "dlm:UntagResource",
      ],
      resources: ["*"],
    },
    {
      // IAM-2: a role of this environment is created, and its policies changed, only with the
      // workload boundary attached (iam:PermissionsBoundary is the role's boundary).
      sid: "RolesOnlyWithTheBoundary",
      actions: [
        "iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy",
        "iam:PutRolePermissionsBoundary",
      ],
      resources: [iam(`role/${prefix}`)],
      condition: [{ test: "StringEquals", variable: "iam:PermissionsBoundary", values: [boundaryArn] }],
    },
    {
      sid: "ThisEnvironmentsRolesAndInstanceProfiles",
      actions: [
        "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole",
        "iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile",
        "iam:TagInstanceProfile", "iam:UntagInstanceProfile",
      ],
      resources: [iam(`role/${prefix}`), iam(`instance-profile/${prefix}`)],
    },
    {
      sid: "PassThisProjectsRolesToTheServicesUsed",
      actions: ["iam:PassRole"],
      resources: [iam(`role/${prefix}`)],
      condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: PASSED_TO_SERVICES }],
    },
    {
      // DLV-1: ECS assumes each public service's traffic-shift role during a canary; only those roles
      // may be passed to ECS itself (a task role passed there would be a role ECS acts with).
      sid: "PassTheTrafficShiftRolesToEcs",
      actions: ["iam:PassRole"],
      resources: [iam(`role/${resourceName(env.name, `*-${TRAFFIC_SHIFT_ROLE_SUFFIX}`)}`)],
      condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs.amazonaws.com"] }],
    },
    {
      sid: "CreateServiceLinkedRolesOfTheServicesUsed",
      actions: ["iam:CreateServiceLinkedRole"],
      resources: [iam("role/aws-service-role/*")],
      condition: [{ test: "StringEquals", variable: "iam:AWSServiceName", values: SERVICE_LINKED_ROLES }],
    },
  ];
}

/** IAM-2 and SHR-1: what the deploy role can never do, whatever its allows say. */
export function deployGuards(env: EnvironmentDefinition, boundaryArn: string): Statement[] {
  const { iam } = arns(env);
  return [
    {
      // The CI roles (plan, main-branch plan, deploy, image push) are the bootstrap stack's, applied
      // by an administrator; a deploy that could change them could make itself administrator.
      sid: "NeverChangeTheCiRoles",
      effect: "Deny",
      actions: [
        "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy",
        "iam:UpdateAssumeRolePolicy", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription",
        "iam:TagRole", "iam:UntagRole", "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary",
        "iam:CreateRole", "iam:PassRole",
      ],
      resources: [iam(`role/${resourceName(env.name, "ci-*")}`)],
    },
    {
      sid: "NeverChangeTheBoundary",
      effect: "Deny",
      actions: [
        "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy",
        "iam:TagPolicy", "iam:UntagPolicy",
      ],
      resources: [boundaryArn],
    },
    {
      sid: "NeverRemoveTheBoundary",
      effect: "Deny",
      actions: ["iam:DeleteRolePermissionsBoundary"],
      resources: ["*"],
    },
    {
      sid: "NoRoleWithoutTheBoundary",
      effect: "Deny",
      actions: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
      resources: ["*"],
      condition: [{ test: "StringNotEquals", variable: "iam:PermissionsBoundary", values: [boundaryArn] }],
    },
    {
      // SHR-1: a resource tagged for another project is never touched. (Null=false: only when the
      // resource has a Project tag at all; untagged resources are covered by the allows' scoping.)
      sid: "NeverTouchAnotherProjectsResources",
      effect: "Deny",
      actions: ["*"],
      resources: ["*"],
      condition: [
        { test: "StringNotEquals", variable: `aws:ResourceTag/${PROJECT_TAG}`, values: [PROJECT] },
        { test: "Null", variable: `aws:ResourceTag/${PROJECT_TAG}`, values: ["false"] },
      ],
    },
    {
      sid: "NeverTagForAnotherProject",
      effect: "Deny",
      actions: ["*"],
      resources: ["*"],
      condition: [
        { test: "StringNotEquals", variable: `aws:RequestTag/${PROJECT_TAG}`, values: [PROJECT] },
        { test: "Null", variable: `aws:RequestTag/${PROJECT_TAG}`, values: ["false"] },
      ],
    },
  ];
}
