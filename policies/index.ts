/**
 * Every policy rule, one per file under `rules/` (as cdk-nag does). Adding a rule: write
 * `rules/<id>.ts` exporting `rule`, import it here, and add its broken/compliant fixtures to
 * `__tests__/policy-rules.test.ts` (a test fails for a rule without fixtures).
 */
import type { Rule } from "./engine";
import { rule as acmCreateBeforeDestroy } from "./rules/acm-create-before-destroy";
import { rule as acmKeyAlgorithm } from "./rules/acm-key-algorithm";
import { rule as albDesyncMitigation } from "./rules/alb-desync-mitigation";
import { rule as albDropInvalidHeaders } from "./rules/alb-drop-invalid-headers";
import { rule as albHttpRedirectsToHttps } from "./rules/alb-http-redirects-to-https";
import { rule as cloudflareDeepRecordsDnsOnly } from "./rules/cloudflare-deep-records-dns-only";
import { rule as cloudwatchAlarmActions } from "./rules/cloudwatch-alarm-actions";
import { rule as ebsVolumeCustomerManagedKey } from "./rules/ebs-volume-customer-managed-key";
import { rule as ebsVolumeEncrypted } from "./rules/ebs-volume-encrypted";
import { rule as ec2DetailedMonitoring } from "./rules/ec2-detailed-monitoring";
import { rule as ec2EbsOptimized } from "./rules/ec2-ebs-optimized";
import { rule as ec2EncryptedVolumes } from "./rules/ec2-encrypted-volumes";
import { rule as ec2Imdsv2Required } from "./rules/ec2-imdsv2-required";
import { rule as ec2InstanceProfile } from "./rules/ec2-instance-profile";
import { rule as ec2NoKeyPair } from "./rules/ec2-no-key-pair";
import { rule as ec2NoPublicIp } from "./rules/ec2-no-public-ip";
import { rule as ec2UserDataNoSecrets } from "./rules/ec2-user-data-no-secrets";
import { rule as ecrImmutableTags } from "./rules/ecr-immutable-tags";
import { rule as ecrKmsEncryption } from "./rules/ecr-kms-encryption";
import { rule as ecrLifecyclePolicy } from "./rules/ecr-lifecycle-policy";
import { rule as ecrScanOnPush } from "./rules/ecr-scan-on-push";
import { rule as ecsClusterContainerInsights } from "./rules/ecs-cluster-container-insights";
import { rule as ecsClusterExecLoggingEncrypted } from "./rules/ecs-cluster-exec-logging-encrypted";
import { rule as ecsServiceCanaryTraffic } from "./rules/ecs-service-canary-traffic";
import { rule as ecsServiceCircuitBreaker } from "./rules/ecs-service-circuit-breaker";
import { rule as ecsServiceFargateLatest } from "./rules/ecs-service-fargate-latest";
import { rule as ecsServiceNoPublicIp } from "./rules/ecs-service-no-public-ip";
import { rule as ecsTaskAwsvpcNetworkMode } from "./rules/ecs-task-awsvpc-network-mode";
import { rule as ecsTaskDistinctRoles } from "./rules/ecs-task-distinct-roles";
import { rule as ecsTaskEfsTransitEncryption } from "./rules/ecs-task-efs-transit-encryption";
import { rule as ecsTaskLogConfiguration } from "./rules/ecs-task-log-configuration";
import { rule as ecsTaskNoHostNamespaces } from "./rules/ecs-task-no-host-namespaces";
import { rule as ecsTaskNoLatestTag } from "./rules/ecs-task-no-latest-tag";
import { rule as ecsTaskNoSecretsInEnvironment } from "./rules/ecs-task-no-secrets-in-environment";
import { rule as ecsTaskNonRootUser } from "./rules/ecs-task-non-root-user";
import { rule as ecsTaskNotPrivileged } from "./rules/ecs-task-not-privileged";
import { rule as ecsTaskReadonlyRootFilesystem } from "./rules/ecs-task-readonly-root-filesystem";
import { rule as efsAccessPointPosixUser } from "./rules/efs-access-point-posix-user";
import { rule as efsAccessPointRootDirectory } from "./rules/efs-access-point-root-directory";
import { rule as efsBackupPolicy } from "./rules/efs-backup-policy";
import { rule as efsCustomerManagedKey } from "./rules/efs-customer-managed-key";
import { rule as efsEncrypted } from "./rules/efs-encrypted";
import { rule as efsFileSystemPolicyTls } from "./rules/efs-file-system-policy-tls";
import { rule as iamGithubOidcTrust } from "./rules/iam-github-oidc-trust";
import { rule as iamNoAdminStatements } from "./rules/iam-no-admin-statements";
import { rule as iamNoAdministratorAccess } from "./rules/iam-no-administrator-access";
import { rule as iamNoCredentialsExposure } from "./rules/iam-no-credentials-exposure";
import { rule as iamNoServiceWildcardActions } from "./rules/iam-no-service-wildcard-actions";
import { rule as iamNoWildcardPassrole } from "./rules/iam-no-wildcard-passrole";
import { rule as iamTrustNoWildcardPrincipal } from "./rules/iam-trust-no-wildcard-principal";
import { rule as kmsKeyPolicy } from "./rules/kms-key-policy";
import { rule as kmsKeyRotation } from "./rules/kms-key-rotation";
import { rule as lbAccessLogs } from "./rules/lb-access-logs";
import { rule as lbDeletionProtection } from "./rules/lb-deletion-protection";
import { rule as lbHttpsSecurityHeaders } from "./rules/lb-https-security-headers";
import { rule as lbListenerRecommendedPolicy } from "./rules/lb-listener-recommended-policy";
import { rule as lbListenerTls12 } from "./rules/lb-listener-tls12";
import { rule as lbMultiAz } from "./rules/lb-multi-az";
import { rule as lbNotInternetFacing } from "./rules/lb-not-internet-facing";
import { rule as lbTargetGroupEncrypted } from "./rules/lb-target-group-encrypted";
import { rule as lbWafAssociated } from "./rules/lb-waf-associated";
import { rule as logsCustomerManagedKey } from "./rules/logs-customer-managed-key";
import { rule as logsRetentionOneYear } from "./rules/logs-retention-one-year";
import { rule as logsRetentionSet } from "./rules/logs-retention-set";
import { rule as resourcePoliciesNotPublic } from "./rules/resource-policies-not-public";
import { rule as s3AccessLogging } from "./rules/s3-access-logging";
import { rule as s3AclsDisabled } from "./rules/s3-acls-disabled";
import { rule as s3KmsEncryption } from "./rules/s3-kms-encryption";
import { rule as s3Lifecycle } from "./rules/s3-lifecycle";
import { rule as s3PublicAccessBlock } from "./rules/s3-public-access-block";
import { rule as s3TlsOnly } from "./rules/s3-tls-only";
import { rule as s3Versioning } from "./rules/s3-versioning";
import { rule as secretsmanagerCustomerManagedKey } from "./rules/secretsmanager-customer-managed-key";
import { rule as secretsmanagerNoLiteralValue } from "./rules/secretsmanager-no-literal-value";
import { rule as secretsmanagerRotation } from "./rules/secretsmanager-rotation";
import { rule as sharedAccountIamSelectors } from "./rules/shared-account-iam-selectors";
import { rule as sharedAccountLogResourcePolicy } from "./rules/shared-account-log-resource-policy";
import { rule as sharedAccountNoAccountSettings } from "./rules/shared-account-no-account-settings";
import { rule as sharedAccountSelectors } from "./rules/shared-account-selectors";
import { rule as sgNoPublicIngress } from "./rules/sg-no-public-ingress";
import { rule as sgNoSsh } from "./rules/sg-no-ssh";
import { rule as sgNoUnrestrictedEgress } from "./rules/sg-no-unrestricted-egress";
import { rule as sgRuleDescriptions } from "./rules/sg-rule-descriptions";
import { rule as snsEncrypted } from "./rules/sns-encrypted";
import { rule as ssmSensitiveParametersSecure } from "./rules/ssm-sensitive-parameters-secure";
import { rule as subnetNoPublicIpOnLaunch } from "./rules/subnet-no-public-ip-on-launch";
import { rule as vpcDefaultSecurityGroupClosed } from "./rules/vpc-default-security-group-closed";
import { rule as vpcFlowLogs } from "./rules/vpc-flow-logs";
import { rule as wafKnownBadInputs } from "./rules/waf-known-bad-inputs";
import { rule as wafRuleMetrics } from "./rules/waf-rule-metrics";
import { rule as wafWebAclHasRules } from "./rules/waf-web-acl-has-rules";
import { rule as wafWebAclLogging } from "./rules/waf-web-acl-logging";
import { rule as workloadsInPrivateSubnets } from "./rules/workloads-in-private-subnets";

export const RULES: readonly Rule[] = [
  acmCreateBeforeDestroy,
  acmKeyAlgorithm,
  albDesyncMitigation,
  albDropInvalidHeaders,
  albHttpRedirectsToHttps,
  cloudflareDeepRecordsDnsOnly,
  cloudwatchAlarmActions,
  ebsVolumeCustomerManagedKey,
  ebsVolumeEncrypted,
  ec2DetailedMonitoring,
  ec2EbsOptimized,
  ec2EncryptedVolumes,
  ec2Imdsv2Required,
  ec2InstanceProfile,
  ec2NoKeyPair,
  ec2NoPublicIp,
  ec2UserDataNoSecrets,
  ecrImmutableTags,
  ecrKmsEncryption,
  ecrLifecyclePolicy,
  ecrScanOnPush,
  ecsClusterContainerInsights,
  ecsClusterExecLoggingEncrypted,
  ecsServiceCanaryTraffic,
  ecsServiceCircuitBreaker,
  ecsServiceFargateLatest,
  ecsServiceNoPublicIp,
  ecsTaskAwsvpcNetworkMode,
  ecsTaskDistinctRoles,
  ecsTaskEfsTransitEncryption,
  ecsTaskLogConfiguration,
  ecsTaskNoHostNamespaces,
  ecsTaskNoLatestTag,
  ecsTaskNoSecretsInEnvironment,
  ecsTaskNonRootUser,
  ecsTaskNotPrivileged,
  ecsTaskReadonlyRootFilesystem,
  efsAccessPointPosixUser,
  efsAccessPointRootDirectory,
  efsBackupPolicy,
  efsCustomerManagedKey,
  efsEncrypted,
  efsFileSystemPolicyTls,
  iamGithubOidcTrust,
  iamNoAdminStatements,
  iamNoAdministratorAccess,
  iamNoCredentialsExposure,
  iamNoServiceWildcardActions,
  iamNoWildcardPassrole,
  iamTrustNoWildcardPrincipal,
  kmsKeyPolicy,
  kmsKeyRotation,
  lbAccessLogs,
  lbDeletionProtection,
  lbHttpsSecurityHeaders,
  lbListenerRecommendedPolicy,
  lbListenerTls12,
  lbMultiAz,
  lbNotInternetFacing,
  lbTargetGroupEncrypted,
  lbWafAssociated,
  logsCustomerManagedKey,
  logsRetentionOneYear,
  logsRetentionSet,
  resourcePoliciesNotPublic,
  s3AccessLogging,
  s3AclsDisabled,
  s3KmsEncryption,
  s3Lifecycle,
  s3PublicAccessBlock,
  s3TlsOnly,
  s3Versioning,
  secretsmanagerCustomerManagedKey,
  secretsmanagerNoLiteralValue,
  secretsmanagerRotation,
  sharedAccountIamSelectors,
  sharedAccountLogResourcePolicy,
  sharedAccountNoAccountSettings,
  sharedAccountSelectors,
  sgNoPublicIngress,
  sgNoSsh,
  sgNoUnrestrictedEgress,
  sgRuleDescriptions,
  snsEncrypted,
  ssmSensitiveParametersSecure,
  subnetNoPublicIpOnLaunch,
  vpcDefaultSecurityGroupClosed,
  vpcFlowLogs,
  wafKnownBadInputs,
  wafRuleMetrics,
  wafWebAclHasRules,
  wafWebAclLogging,
  workloadsInPrivateSubnets,
];

export type { Finding, Rule, StackUnderTest, TerraformJson } from "./engine";
