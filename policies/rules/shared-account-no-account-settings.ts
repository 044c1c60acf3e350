/**
 * SHR-2: no stack changes a setting that belongs to the whole account (or the whole region of it).
 * The staging account is shared with other projects, and in each account these settings are the
 * platform team's, not a project's: a project that manages one overwrites (and on destroy, resets)
 * everyone's. Production's account follows the same rule, so the two environments stay alike (ACC-3).
 *
 * - Account- or region-wide singletons and settings (EBS default encryption and key, S3 account
 *   public access block, the IAM password policy and alias, the ECS account defaults, GuardDuty,
 *   Security Hub, Config, Macie, Inspector, the CloudWatch Logs account policies, ...), every
 *   `aws_account_*` and `aws_organizations_*` resource, and IAM service-linked roles (one per
 *   service per account, shared by every project: AWS creates them on first use).
 * - The AWS default VPC and its subnets (`aws_default_vpc`, `aws_default_subnet`): shared by every
 *   project. `aws_default_security_group`, `aws_default_network_acl` and `aws_default_route_table`
 *   are allowed only for a VPC this stack creates (a reference to its `aws_vpc`).
 * - A DLM default policy (`default_policy`: one per account and region, it covers every volume or
 *   instance of the region) and a policy on the default event bus (shared by every project's rules).
 * `aws_cloudwatch_log_resource_policy` is account-wide too (10 per region for all projects); the
 * rule `shared-account-log-resource-policy` bounds ours.
 */
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { type PolicyContext, type Rule, type TfResource } from "../engine";
import { STAGING_STACK } from "../stacks";

export const ACCOUNT_WIDE_TYPES: readonly string[] = [
  "aws_ebs_encryption_by_default",
  "aws_ebs_default_kms_key",
  "aws_ebs_snapshot_block_public_access",
  "aws_ec2_image_block_public_access",
  "aws_ec2_serial_console_access",
  "aws_ec2_instance_metadata_defaults",
  "aws_ec2_default_credit_specification",
  "aws_vpc_block_public_access_options",
  "aws_default_vpc",
  "aws_default_vpc_dhcp_options",
  "aws_default_subnet",
  "aws_s3_account_public_access_block",
  "aws_iam_account_password_policy",
  "aws_iam_account_alias",
  "aws_iam_security_token_service_preferences",
  "aws_iam_service_linked_role",
  "aws_ecs_account_setting_default",
  "aws_ecr_registry_scanning_configuration",
  "aws_ecr_registry_policy",
  "aws_ecr_replication_configuration",
  "aws_ecr_account_setting",
  "aws_cloudwatch_log_account_policy",
  "aws_cloudwatch_log_delivery_destination_policy",
  "aws_xray_encryption_config",
  "aws_api_gateway_account",
  "aws_ssm_service_setting",
  "aws_guardduty_detector",
  "aws_securityhub_account",
  "aws_securityhub_standards_subscription",
  "aws_config_configuration_recorder",
  "aws_config_configuration_recorder_status",
  "aws_config_delivery_channel",
  "aws_macie2_account",
  "aws_inspector2_enabler",
  "aws_detective_graph",
  "aws_emr_block_public_access_configuration",
  "aws_glue_data_catalog_encryption_settings",
  "aws_shield_subscription",
  "aws_servicequotas_service_quota",
  "aws_account_alternate_contact",
  "aws_account_primary_contact",
  "aws_account_region",
];

/** Every type whose name says it is the account's or the organization's. */
export const ACCOUNT_WIDE_PREFIXES: readonly string[] = ["aws_account_", "aws_organizations_"];

/**
 * The provider's resource types under those prefixes (from its `lib/<resource>` modules, so a type
 * the provider adds later is covered without editing this list).
 */
function providerTypesWithPrefixes(): string[] {
  const lib = path.join(__dirname, "..", "..", "node_modules", "@cdktf", "provider-aws", "lib");
  return readdirSync(lib)
    .map((module) => `aws_${module.replace(/-/g, "_")}`)
    .filter((type) => ACCOUNT_WIDE_PREFIXES.some((p) => type.startsWith(p)));
}

/** `aws_default_*` resources that adopt a VPC's defaults, and the attribute naming the VPC. */
const VPC_DEFAULTS: Readonly<Record<string, string>> = {
  aws_default_security_group: "vpc_id",
  aws_default_network_acl: "default_network_acl_id",
  aws_default_route_table: "default_route_table_id",
};

function ownVpcDefault(resource: TfResource, ctx: PolicyContext): string[] {
  const attribute = VPC_DEFAULTS[resource.type]!;
  const vpcs = ctx.referenced(resource.config[attribute]).filter((r) => r.type === "aws_vpc" && r.kind === "resource");
  return vpcs.length > 0
    ? []
    : [`${attribute} does not reference a VPC this stack creates: it would take over another VPC's defaults (the default VPC's are every project's)`];
}

export const rule: Rule = {
  id: "shared-account-no-account-settings",
  mirrors: ["SHR-2"],
  description:
    "No account- or region-wide setting or singleton (EBS default encryption, S3 account public access block, IAM password policy, ECS account defaults, GuardDuty, service-linked roles, DLM default policies, the default VPC, ...); VPC defaults only of our own VPC.",
  expectedIn: [STAGING_STACK],
  resourceTypes: [
    ...new Set([...ACCOUNT_WIDE_TYPES, ...providerTypesWithPrefixes()]),
    ...Object.keys(VPC_DEFAULTS),
    "aws_dlm_lifecycle_policy",
    "aws_cloudwatch_event_bus_policy",
  ],
  check(resource, ctx) {
    if (resource.type in VPC_DEFAULTS) return ownVpcDefault(resource, ctx);
    if (resource.type === "aws_dlm_lifecycle_policy") {
      return resource.config["default_policy"] ? ["a DLM default policy covers every volume or instance of the account's region"] : [];
    }
    if (resource.type === "aws_cloudwatch_event_bus_policy") {
      const bus = resource.config["event_bus_name"];
      return bus === undefined || bus === "default" ? ["a policy on the default event bus is shared by every project's rules"] : [];
    }
    return [`${resource.type} changes a setting of the whole account (SHR-2): leave it to the account's owners`];
  },
};
