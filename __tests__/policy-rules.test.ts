/**
 * Each policy rule against a deliberately broken fixture (it must fail) and a compliant one (it
 * must pass). Fixtures are hand-written cdk.tf.json-shaped objects; the engine's parsing of the
 * forms cdktf really writes (jsonencode container definitions and policies, policy-document data
 * sources) is proven on one shared synthesized stack at the end.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Fn, TerraformStack, Testing } from "../src/cdktf";
import { ENVIRONMENTS, PROJECT_DEFINITION } from "../src/config/environments";
import { NO_SUBJECTS_ADDRESS, PolicyContext, parseHclLiteral, runRules, type TerraformJson, type TfConfig } from "../policies/engine";
import { evaluate, formatException, formatFinding } from "../policies/evaluate";
import { EXCEPTIONS, type PolicyException } from "../policies/exceptions";
import { EVERY_STACK } from "../policies/stacks";
import { bootstrapStackName, environmentStackName } from "../src/config/naming";
import { RULES } from "../policies/index";
import { isOpenCidr } from "../policies/aws";
import { decodeUserData, isSecretLookingName, scanTerraformJson, scanText, secretLookingEnvironmentNames } from "../policies/secret-scan";

type Resources = Record<string, Record<string, TfConfig>>;
const tf = (resource: Resources, data: Resources = {}): TerraformJson => ({
  provider: { aws: [{ default_tags: [{ tags: { Environment: "staging" } }] }] },
  resource,
  data,
});
const ref = (address: string, attr = "id") => `\${${address}.${attr}}`;
const REPO = PROJECT_DEFINITION.githubRepository;

// Building blocks reused by several fixtures ----------------------------------------------------
const container = (extra: TfConfig = {}): TfConfig => ({
  name: "api",
  image: "123456789012.dkr.ecr.eu-central-1.amazonaws.com/tracker-staging/api:0a1b2c3",
  readonlyRootFilesystem: true,
  logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "${aws_cloudwatch_log_group.api.name}" } },
  environment: [{ name: "PORT", value: "8000" }],
  secrets: [{ name: "POSTGRES_PASSWORD", valueFrom: "${aws_secretsmanager_secret.pg.arn}" }],
  ...extra,
});
const task = (containers: TfConfig[], extra: TfConfig = {}): Resources => ({
  aws_ecs_task_definition: {
    td: {
      family: "tracker-staging-api",
      network_mode: "awsvpc",
      requires_compatibilities: ["FARGATE"],
      execution_role_arn: "${aws_iam_role.exec.arn}",
      task_role_arn: "${aws_iam_role.task.arn}",
      container_definitions: JSON.stringify(containers),
      ...extra,
    },
  },
});
const goodLb: TfConfig = {
  load_balancer_type: "application",
  internal: true,
  drop_invalid_header_fields: true,
  enable_deletion_protection: true,
  access_logs: [{ bucket: "${aws_s3_bucket.logs.id}", enabled: true }],
  subnets: ["${aws_subnet.a.id}", "${aws_subnet.b.id}"],
};
const goodHttpsListener: TfConfig = {
  protocol: "HTTPS",
  port: 443,
  ssl_policy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  routing_http_response_strict_transport_security_header_value: "max-age=31536000; includeSubDomains",
  routing_http_response_x_content_type_options_header_value: "nosniff",
  routing_http_response_x_frame_options_header_value: "DENY",
  routing_http_response_server_enabled: false,
};
const knownBadInputsRule: TfConfig = {
  name: "known-bad-inputs",
  priority: 40,
  override_action: { none: {} },
  statement: { managed_rule_group_statement: { name: "AWSManagedRulesKnownBadInputsRuleSet", vendor_name: "AWS" } },
  visibility_config: { cloudwatch_metrics_enabled: true, metric_name: "k", sampled_requests_enabled: true },
};
const goodWebAcl: TfConfig = {
  name: "w",
  scope: "REGIONAL",
  default_action: { allow: {} },
  rule: [knownBadInputsRule],
  visibility_config: { cloudwatch_metrics_enabled: true, metric_name: "w", sampled_requests_enabled: true },
};
const goodWafLogging: TfConfig = {
  resource_arn: "${aws_wafv2_web_acl.w.arn}",
  log_destination_configs: ["${aws_cloudwatch_log_group.waf.arn}"],
  redacted_fields: [{ single_header: { name: "authorization" } }],
};
const goodService: TfConfig = {
  launch_type: "FARGATE",
  network_configuration: [{ subnets: ["${aws_subnet.a.id}"], assign_public_ip: false }],
  deployment_circuit_breaker: [{ enable: true, rollback: true }],
  alarms: [{ enable: true, rollback: true, alarm_names: ["x"] }],
};
const goodInstance: TfConfig = {
  ami: "ami-123",
  instance_type: "t4g.large",
  metadata_options: [{ http_tokens: "required", http_endpoint: "enabled" }],
  ebs_optimized: true,
  monitoring: true,
  root_block_device: [{ encrypted: true, volume_type: "gp3" }],
  iam_instance_profile: "${aws_iam_instance_profile.db.name}",
  user_data_base64: "${base64gzip(templatefile(\"user-data.yaml\", {secret_arn = aws_secretsmanager_secret.pg.arn}))}",
};
const bucket = (companions: Resources): TerraformJson =>
  tf({ aws_s3_bucket: { b: { bucket: "tracker-state" } }, ...companions });
const allBucketCompanions: Resources = {
  aws_s3_bucket_public_access_block: {
    p: { bucket: ref("aws_s3_bucket.b"), block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
  },
  aws_s3_bucket_versioning: { v: { bucket: ref("aws_s3_bucket.b"), versioning_configuration: [{ status: "Enabled" }] } },
  aws_s3_bucket_server_side_encryption_configuration: {
    e: { bucket: "tracker-state", rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.k.arn}" }] }] },
  },
  aws_s3_bucket_policy: { pol: { bucket: ref("aws_s3_bucket.b"), policy: "${data.aws_iam_policy_document.tls.json}" } },
  aws_s3_bucket_ownership_controls: { o: { bucket: ref("aws_s3_bucket.b"), rule: [{ object_ownership: "BucketOwnerEnforced" }] } },
  aws_s3_bucket_logging: { l: { bucket: ref("aws_s3_bucket.b"), target_bucket: "logs" } },
  aws_s3_bucket_lifecycle_configuration: { lc: { bucket: ref("aws_s3_bucket.b"), rule: [{ id: "old", status: "Enabled" }] } },
};
const tlsDoc: Resources = {
  aws_iam_policy_document: {
    tls: {
      statement: [
        {
          effect: "Deny",
          actions: ["s3:*"],
          resources: ["${aws_s3_bucket.b.arn}", "${aws_s3_bucket.b.arn}/*"],
          principals: [{ type: "*", identifiers: ["*"] }],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    },
  },
};
const goodBucket = { ...bucket(allBucketCompanions), data: tlsDoc };
const policyDoc = (statement: TfConfig): TerraformJson => tf({}, { aws_iam_policy_document: { d: { statement: [statement] } } });
const ghTrust = (condition: TfConfig[]): TerraformJson =>
  tf(
    { aws_iam_openid_connect_provider: { gh: { url: "https://token.actions.githubusercontent.com", client_id_list: ["sts.amazonaws.com"] } } },
    {
      aws_iam_policy_document: {
        trust: {
          statement: [
            {
              actions: ["sts:AssumeRoleWithWebIdentity"],
              principals: [{ type: "Federated", identifiers: ["${aws_iam_openid_connect_provider.gh.arn}"] }],
              condition,
            },
          ],
        },
      },
    },
  );
const aud = { test: "StringEquals", variable: "token.actions.githubusercontent.com:aud", values: ["sts.amazonaws.com"] };
const sg = (ingress: TfConfig[], egress: TfConfig[] = [], description = "alb"): TerraformJson =>
  tf({ aws_security_group: { g: { name: "g", description, vpc_id: "${aws_vpc.v.id}", ingress, egress } } });
const ingressRule = (extra: TfConfig): TerraformJson =>
  tf({ aws_vpc_security_group_ingress_rule: { r: { security_group_id: "${aws_security_group.g.id}", description: "d", ...extra } } });

const publicPrivateNetwork: Resources = {
  aws_internet_gateway: { igw: { vpc_id: "x" } },
  aws_nat_gateway: { nat: { subnet_id: ref("aws_subnet.public") } },
  aws_subnet: { public: { cidr_block: "10.0.0.0/24" }, private: { cidr_block: "10.0.1.0/24" } },
  aws_route_table: { public: {}, private: {} },
  aws_route: {
    "public-default": { route_table_id: ref("aws_route_table.public"), destination_cidr_block: "0.0.0.0/0", gateway_id: ref("aws_internet_gateway.igw") },
    "private-default": { route_table_id: ref("aws_route_table.private"), destination_cidr_block: "0.0.0.0/0", nat_gateway_id: ref("aws_nat_gateway.nat") },
  },
  aws_route_table_association: {
    public: { subnet_id: ref("aws_subnet.public"), route_table_id: ref("aws_route_table.public") },
    private: { subnet_id: ref("aws_subnet.private"), route_table_id: ref("aws_route_table.private") },
  },
};

interface Case {
  readonly fail: TerraformJson;
  readonly pass: TerraformJson;
}

// One case per rule id ---------------------------------------------------------------------------
const CASES: Record<string, Case> = {
  "vpc-flow-logs": {
    fail: tf({ aws_vpc: { v: { cidr_block: "10.0.0.0/16" } } }),
    pass: tf({ aws_vpc: { v: { cidr_block: "10.0.0.0/16" } }, aws_flow_log: { f: { vpc_id: ref("aws_vpc.v"), traffic_type: "ALL" } } }),
  },
  "vpc-default-security-group-closed": {
    fail: tf({ aws_vpc: { v: {} }, aws_default_security_group: { d: { vpc_id: ref("aws_vpc.v"), ingress: [{ protocol: "-1", from_port: 0, to_port: 0, self: true }] } } }),
    pass: tf({ aws_vpc: { v: {} }, aws_default_security_group: { d: { vpc_id: ref("aws_vpc.v"), ingress: [], egress: [] } } }),
  },
  "subnet-no-public-ip-on-launch": {
    fail: tf({ aws_subnet: { s: { map_public_ip_on_launch: true } } }),
    pass: tf({ aws_subnet: { s: { map_public_ip_on_launch: false } } }),
  },
  "sg-no-public-ingress": {
    fail: ingressRule({ ip_protocol: "tcp", from_port: 5432, to_port: 5432, cidr_ipv4: "0.0.0.0/0" }),
    pass: ingressRule({ ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv6: "::/0" }),
  },
  "sg-rule-descriptions": {
    fail: sg([{ protocol: "tcp", from_port: 443, to_port: 443, cidr_blocks: ["0.0.0.0/0"] }]),
    pass: sg([{ protocol: "tcp", from_port: 443, to_port: 443, cidr_blocks: ["0.0.0.0/0"], description: "HTTPS from anywhere" }]),
  },
  "sg-no-ssh": {
    fail: ingressRule({ ip_protocol: "tcp", from_port: 0, to_port: 1024, referenced_security_group_id: "${aws_security_group.x.id}" }),
    pass: ingressRule({ ip_protocol: "tcp", from_port: 5432, to_port: 5432, referenced_security_group_id: "${aws_security_group.x.id}" }),
  },
  "sg-no-unrestricted-egress": {
    fail: tf({ aws_vpc_security_group_egress_rule: { e: { ip_protocol: "-1", cidr_ipv4: "0.0.0.0/0", description: "all" } } }),
    pass: tf({ aws_vpc_security_group_egress_rule: { e: { ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0", description: "https" } } }),
  },
  "alb-drop-invalid-headers": {
    fail: tf({ aws_lb: { l: { ...goodLb, drop_invalid_header_fields: false } } }),
    pass: tf({ aws_lb: { l: goodLb } }),
  },
  "alb-desync-mitigation": {
    fail: tf({ aws_lb: { l: { ...goodLb, desync_mitigation_mode: "monitor" } } }),
    pass: tf({ aws_lb: { l: { ...goodLb, desync_mitigation_mode: "strictest" } } }),
  },
  "lb-deletion-protection": {
    fail: tf({ aws_lb: { l: { ...goodLb, enable_deletion_protection: false } } }),
    pass: tf({ aws_lb: { l: goodLb } }),
  },
  "lb-access-logs": {
    fail: tf({ aws_lb: { l: { ...goodLb, access_logs: [{ bucket: "x", enabled: false }] } } }),
    pass: tf({ aws_lb: { l: goodLb } }),
  },
  "lb-waf-associated": {
    fail: tf({ aws_lb: { l: { ...goodLb, internal: false } } }),
    pass: tf({
      aws_lb: { l: { ...goodLb, internal: false }, inner: goodLb },
      aws_wafv2_web_acl_association: { a: { resource_arn: ref("aws_lb.l", "arn"), web_acl_arn: ref("aws_wafv2_web_acl.w", "arn") } },
    }),
  },
  "lb-https-security-headers": {
    fail: tf({ aws_lb_listener: { s: { ...goodHttpsListener, routing_http_response_server_enabled: true, routing_http_response_x_frame_options_header_value: "ALLOW-FROM https://x" } } }),
    pass: tf({ aws_lb_listener: { s: goodHttpsListener, h: { protocol: "HTTP", port: 80 } } }),
  },
  "waf-web-acl-has-rules": {
    fail: tf({ aws_wafv2_web_acl: { w: { ...goodWebAcl, rule: [] } } }),
    pass: tf({ aws_wafv2_web_acl: { w: goodWebAcl } }),
  },
  "waf-web-acl-logging": {
    fail: tf({
      aws_wafv2_web_acl: { w: goodWebAcl },
      aws_wafv2_web_acl_logging_configuration: { l: { ...goodWafLogging, redacted_fields: [{ single_header: { name: "user-agent" } }] } },
    }),
    pass: tf({ aws_wafv2_web_acl: { w: goodWebAcl }, aws_wafv2_web_acl_logging_configuration: { l: goodWafLogging } }),
  },
  "waf-rule-metrics": {
    fail: tf({
      aws_wafv2_web_acl: {
        w: { ...goodWebAcl, rule: [{ ...knownBadInputsRule, visibility_config: { cloudwatch_metrics_enabled: false, metric_name: "k", sampled_requests_enabled: true } }] },
      },
    }),
    pass: tf({ aws_wafv2_web_acl: { w: goodWebAcl } }),
  },
  "waf-known-bad-inputs": {
    fail: tf({
      aws_wafv2_web_acl: {
        w: {
          ...goodWebAcl,
          rule: [
            {
              ...knownBadInputsRule,
              statement: {
                managed_rule_group_statement: {
                  name: "AWSManagedRulesKnownBadInputsRuleSet",
                  vendor_name: "AWS",
                  rule_action_override: [{ name: "Log4JRCE_HEADER", action_to_use: { count: {} } }],
                },
              },
            },
          ],
        },
      },
    }),
    pass: tf({ aws_wafv2_web_acl: { w: goodWebAcl } }),
  },
  "lb-not-internet-facing": {
    fail: tf({ aws_lb: { l: { ...goodLb, internal: false } } }),
    pass: tf({ aws_lb: { l: goodLb } }),
  },
  "alb-http-redirects-to-https": {
    fail: tf({ aws_lb_listener: { h: { protocol: "HTTP", port: 80, default_action: [{ type: "forward", target_group_arn: "x" }] } } }),
    pass: tf({ aws_lb_listener: { h: { protocol: "HTTP", port: 80, default_action: [{ type: "redirect", redirect: [{ protocol: "HTTPS", port: "443", status_code: "HTTP_301" }] }] } } }),
  },
  "lb-listener-tls12": {
    fail: tf({ aws_lb_listener: { s: { protocol: "HTTPS", port: 443, ssl_policy: "ELBSecurityPolicy-2016-08" } } }),
    pass: tf({ aws_lb_listener: { s: { protocol: "HTTPS", port: 443, ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" } } }),
  },
  "lb-listener-recommended-policy": {
    // The policy CKV_AWS_103 accepts but ELB.17 (current revision) does not.
    fail: tf({ aws_lb_listener: { s: { protocol: "HTTPS", port: 443, ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" } } }),
    pass: tf({ aws_lb_listener: { s: { protocol: "HTTPS", port: 443, ssl_policy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06" } } }),
  },
  "lb-multi-az": {
    fail: tf({ aws_lb: { l: { ...goodLb, subnets: ["${aws_subnet.a.id}"] } } }),
    pass: tf({ aws_lb: { l: goodLb } }),
  },
  "lb-target-group-encrypted": {
    fail: tf({ aws_lb_target_group: { t: { protocol: "HTTP", port: 8000, target_type: "ip", health_check: [{ path: "/health" }] } } }),
    pass: tf({ aws_lb_target_group: { t: { protocol: "HTTPS", port: 8443, target_type: "ip", health_check: [{ path: "/health", protocol: "HTTPS" }] } } }),
  },
  "acm-key-algorithm": {
    fail: tf({ aws_acm_certificate: { c: { domain_name: "x", key_algorithm: "RSA_1024" } } }),
    pass: tf({ aws_acm_certificate: { c: { domain_name: "x" } } }),
  },
  "acm-create-before-destroy": {
    fail: tf({ aws_acm_certificate: { c: { domain_name: "x" } } }),
    pass: tf({ aws_acm_certificate: { c: { domain_name: "x", lifecycle: { create_before_destroy: true } } } }),
  },
  "ecs-cluster-container-insights": {
    fail: tf({ aws_ecs_cluster: { c: { name: "c", setting: [{ name: "containerInsights", value: "disabled" }] } } }),
    pass: tf({ aws_ecs_cluster: { c: { name: "c", setting: [{ name: "containerInsights", value: "enabled" }] } } }),
  },
  "ecs-task-not-privileged": { fail: tf(task([container({ privileged: true })])), pass: tf(task([container()])) },
  "ecs-task-readonly-root-filesystem": {
    fail: tf(task([container({ readonlyRootFilesystem: false })])),
    pass: tf(task([container()])),
  },
  "ecs-task-no-secrets-in-environment": {
    fail: tf(task([container({ environment: [{ name: "POSTGRES_PASSWORD", value: "${random_password.pg.result}" }] })])),
    pass: tf(task([container({ environment: [{ name: "ACCESS_TOKEN_EXPIRE_MINUTES", value: "30" }] })])),
  },
  "ecs-task-log-configuration": {
    fail: tf(task([container({ logConfiguration: undefined })])),
    pass: tf(task([container()])),
  },
  "ecs-task-awsvpc-network-mode": { fail: tf(task([container()], { network_mode: "host" })), pass: tf(task([container()])) },
  "ecs-task-no-host-namespaces": { fail: tf(task([container()], { pid_mode: "host" })), pass: tf(task([container()], { pid_mode: "task" })) },
  "ecs-task-non-root-user": { fail: tf(task([container({ user: "0:0" })])), pass: tf(task([container({ user: "10001:10001" })])) },
  "ecs-task-efs-transit-encryption": {
    fail: tf(task([container()], { volume: [{ name: "data", efs_volume_configuration: [{ file_system_id: "${aws_efs_file_system.f.id}" }] }] })),
    pass: tf(
      task([container()], {
        volume: [
          {
            name: "data",
            efs_volume_configuration: [
              { file_system_id: "${aws_efs_file_system.f.id}", transit_encryption: "ENABLED", authorization_config: [{ access_point_id: "${aws_efs_access_point.a.id}", iam: "ENABLED" }] },
            ],
          },
        ],
      }),
    ),
  },
  "ecs-task-distinct-roles": {
    fail: tf(task([container()], { task_role_arn: "${aws_iam_role.exec.arn}" })),
    pass: tf(task([container()])),
  },
  "ecs-task-no-latest-tag": {
    fail: tf(task([container({ image: "123456789012.dkr.ecr.eu-central-1.amazonaws.com/tracker-staging/api:latest" })])),
    pass: tf(task([container({ image: "123456789012.dkr.ecr.eu-central-1.amazonaws.com/tracker-staging/api:${var.image_tag_api}" })])),
  },
  "ecs-service-no-public-ip": {
    fail: tf({ aws_ecs_service: { s: { ...goodService, network_configuration: [{ subnets: [], assign_public_ip: true }] } } }),
    pass: tf({ aws_ecs_service: { s: goodService } }),
  },
  "ecs-service-fargate-latest": {
    fail: tf({ aws_ecs_service: { s: { ...goodService, platform_version: "1.3.0" } } }),
    pass: tf({ aws_ecs_service: { s: { ...goodService, platform_version: "LATEST" } } }),
  },
  "ecs-service-canary-traffic": {
    fail: tf({
      aws_lb_listener_rule: { r: { action: [{ type: "forward", forward: [{ target_group: [{ arn: ref("aws_lb_target_group.a", "arn"), weight: 100 }] }] }] } },
      aws_ecs_service: {
        s: {
          ...goodService,
          deployment_configuration: [{ strategy: "ROLLING" }],
          load_balancer: [
            {
              target_group_arn: ref("aws_lb_target_group.a", "arn"),
              advanced_configuration: [{ alternate_target_group_arn: ref("aws_lb_target_group.b", "arn"), production_listener_rule: ref("aws_lb_listener_rule.r", "arn"), role_arn: ref("aws_iam_role.t", "arn") }],
            },
          ],
        },
      },
    }),
    pass: tf({
      aws_lb_listener_rule: {
        r: {
          action: [{ type: "forward", forward: [{ target_group: [{ arn: ref("aws_lb_target_group.a", "arn"), weight: 100 }, { arn: ref("aws_lb_target_group.b", "arn"), weight: 0 }] }] }],
          lifecycle: { ignore_changes: ["action"] },
        },
      },
      aws_ecs_service: {
        s: {
          ...goodService,
          deployment_configuration: [{ strategy: "CANARY" }],
          load_balancer: [
            {
              target_group_arn: ref("aws_lb_target_group.a", "arn"),
              advanced_configuration: [{ alternate_target_group_arn: ref("aws_lb_target_group.b", "arn"), production_listener_rule: ref("aws_lb_listener_rule.r", "arn"), role_arn: ref("aws_iam_role.t", "arn") }],
            },
          ],
        },
        worker: goodService,
      },
    }),
  },
  "ecs-service-circuit-breaker": {
    fail: tf({ aws_ecs_service: { s: { ...goodService, deployment_circuit_breaker: [{ enable: true, rollback: false }] } } }),
    pass: tf({ aws_ecs_service: { s: goodService } }),
  },
  "efs-encrypted": {
    fail: tf({ aws_efs_file_system: { f: { encrypted: false } } }),
    pass: tf({ aws_efs_file_system: { f: { encrypted: true, kms_key_id: "${aws_kms_key.k.arn}" } } }),
  },
  "efs-customer-managed-key": {
    fail: tf({ aws_efs_file_system: { f: { encrypted: true } } }),
    pass: tf({ aws_efs_file_system: { f: { encrypted: true, kms_key_id: "${aws_kms_key.k.arn}" } } }),
  },
  "efs-backup-policy": {
    fail: tf({ aws_efs_file_system: { f: {} }, aws_efs_backup_policy: { b: { file_system_id: ref("aws_efs_file_system.f"), backup_policy: [{ status: "DISABLED" }] } } }),
    pass: tf({ aws_efs_file_system: { f: {} }, aws_efs_backup_policy: { b: { file_system_id: ref("aws_efs_file_system.f"), backup_policy: [{ status: "ENABLED" }] } } }),
  },
  "efs-access-point-root-directory": {
    fail: tf({ aws_efs_access_point: { a: { root_directory: [{ path: "/" }] } } }),
    pass: tf({ aws_efs_access_point: { a: { root_directory: [{ path: "/anisette" }] } } }),
  },
  "efs-access-point-posix-user": {
    fail: tf({ aws_efs_access_point: { a: {} } }),
    pass: tf({ aws_efs_access_point: { a: { posix_user: [{ uid: 1000, gid: 1000 }] } } }),
  },
  "ecr-scan-on-push": {
    fail: tf({ aws_ecr_repository: { r: { name: "api" } } }),
    pass: tf({ aws_ecr_repository: { r: { name: "api", image_scanning_configuration: [{ scan_on_push: true }] } } }),
  },
  "ecr-immutable-tags": {
    fail: tf({ aws_ecr_repository: { r: { name: "api", image_tag_mutability: "MUTABLE" } } }),
    pass: tf({ aws_ecr_repository: { r: { name: "api", image_tag_mutability: "IMMUTABLE" } } }),
  },
  "ecr-lifecycle-policy": {
    fail: tf({ aws_ecr_repository: { r: { name: "api" } }, aws_ecr_lifecycle_policy: { l: { repository: "other", policy: "{}" } } }),
    pass: tf({ aws_ecr_repository: { r: { name: "api" } }, aws_ecr_lifecycle_policy: { l: { repository: "${aws_ecr_repository.r.name}", policy: "{}" } } }),
  },
  "ecr-kms-encryption": {
    fail: tf({ aws_ecr_repository: { r: { name: "api", encryption_configuration: [{ encryption_type: "AES256" }] } } }),
    pass: tf({ aws_ecr_repository: { r: { name: "api", encryption_configuration: [{ encryption_type: "KMS", kms_key: "${aws_kms_key.k.arn}" }] } } }),
  },
  "s3-public-access-block": {
    fail: bucket({ aws_s3_bucket_public_access_block: { p: { bucket: ref("aws_s3_bucket.b"), block_public_acls: true } } }),
    pass: goodBucket,
  },
  "s3-versioning": { fail: bucket({}), pass: goodBucket },
  "s3-kms-encryption": {
    fail: bucket({
      aws_s3_bucket_server_side_encryption_configuration: { e: { bucket: ref("aws_s3_bucket.b"), rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: "AES256" }] }] } },
    }),
    pass: goodBucket,
  },
  "s3-tls-only": {
    fail: { ...bucket({ aws_s3_bucket_policy: { pol: { bucket: ref("aws_s3_bucket.b"), policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "s3:GetObject", Resource: "*" }] }) } } }) },
    pass: goodBucket,
  },
  "s3-acls-disabled": {
    fail: bucket({ aws_s3_bucket_ownership_controls: { o: { bucket: ref("aws_s3_bucket.b"), rule: [{ object_ownership: "ObjectWriter" }] } } }),
    pass: goodBucket,
  },
  "s3-access-logging": { fail: bucket({}), pass: goodBucket },
  "s3-lifecycle": { fail: bucket({}), pass: goodBucket },
  "secretsmanager-customer-managed-key": {
    fail: tf({ aws_secretsmanager_secret: { s: { name: "tracker/staging/secret-key" } } }),
    pass: tf({ aws_secretsmanager_secret: { s: { name: "tracker/staging/secret-key", kms_key_id: "${aws_kms_key.k.arn}" } } }),
  },
  "secretsmanager-rotation": {
    fail: tf({ aws_secretsmanager_secret: { s: { name: "x" } } }),
    pass: tf({ aws_secretsmanager_secret: { s: { name: "x" } }, aws_secretsmanager_secret_rotation: { r: { secret_id: ref("aws_secretsmanager_secret.s"), rotation_lambda_arn: "x" } } }),
  },
  "secretsmanager-no-literal-value": {
    fail: tf({ aws_secretsmanager_secret_version: { v: { secret_id: "x", secret_string: "hunter2hunter2" } } }),
    pass: tf({ aws_secretsmanager_secret_version: { v: { secret_id: "x", secret_string: "${random_password.pg.result}" } } }),
  },
  "ssm-sensitive-parameters-secure": {
    fail: tf({ aws_ssm_parameter: { p: { name: "/tracker/staging/redis-password", type: "String", value: "abc" } } }),
    pass: tf({ aws_ssm_parameter: { p: { name: "/tracker/staging/redis-host", type: "String", value: "db.staging.tracker.internal" } } }),
  },
  "logs-retention-set": {
    fail: tf({ aws_cloudwatch_log_group: { l: { name: "/ecs/x" } } }),
    pass: tf({ aws_cloudwatch_log_group: { l: { name: "/ecs/x", retention_in_days: 30 } } }),
  },
  "logs-retention-one-year": {
    fail: tf({ aws_cloudwatch_log_group: { l: { name: "/ecs/x", retention_in_days: 30 } } }),
    pass: tf({ aws_cloudwatch_log_group: { l: { name: "/ecs/x", retention_in_days: 365 } } }),
  },
  "logs-customer-managed-key": {
    fail: tf({ aws_cloudwatch_log_group: { l: { name: "/ecs/x" } } }),
    pass: tf({ aws_cloudwatch_log_group: { l: { name: "/ecs/x", kms_key_id: "${aws_kms_key.k.arn}" } } }),
  },
  "cloudwatch-alarm-actions": {
    fail: tf({ aws_cloudwatch_metric_alarm: { a: { alarm_name: "x", alarm_actions: [] } } }),
    pass: tf({ aws_cloudwatch_metric_alarm: { a: { alarm_name: "x", alarm_actions: ["${aws_sns_topic.t.arn}"] } } }),
  },
  "sns-encrypted": {
    fail: tf({ aws_sns_topic: { t: { name: "alarms", kms_master_key_id: "alias/aws/sns" } } }),
    pass: tf({ aws_sns_topic: { t: { name: "alarms", kms_master_key_id: "${aws_kms_key.k.id}" } } }),
  },
  "kms-key-rotation": {
    fail: tf({ aws_kms_key: { k: { policy: "{}" } } }),
    pass: tf({ aws_kms_key: { k: { enable_key_rotation: true } } }),
  },
  "kms-key-policy": {
    fail: tf({ aws_kms_key: { k: { enable_key_rotation: true } } }),
    pass: tf({ aws_kms_key: { k: { enable_key_rotation: true, policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::802732539686:root" }, Action: "kms:*", Resource: "*" }] }) } } }),
  },
  "iam-no-admin-statements": {
    fail: policyDoc({ actions: ["*"], resources: ["*"] }),
    pass: policyDoc({ actions: ["logs:PutLogEvents"], resources: ["${aws_cloudwatch_log_group.x.arn}:*"] }),
  },
  "iam-no-wildcard-passrole": {
    fail: tf({ aws_iam_role_policy: { p: { role: "x", policy: '${jsonencode({"Statement" = [{"Effect" = "Allow", "Action" = "iam:PassRole", "Resource" = "*"}]})}' } } }),
    pass: tf({ aws_iam_role_policy: { p: { role: "x", policy: '${jsonencode({"Statement" = [{"Effect" = "Allow", "Action" = "iam:PassRole", "Resource" = aws_iam_role.task.arn}]})}' } } }),
  },
  "iam-no-credentials-exposure": {
    fail: policyDoc({ actions: ["secretsmanager:GetSecretValue"], resources: ["*"] }),
    pass: policyDoc({ actions: ["secretsmanager:GetSecretValue"], resources: ["${aws_secretsmanager_secret.pg.arn}"] }),
  },
  "iam-no-service-wildcard-actions": {
    fail: tf({ aws_iam_policy: { p: { name: "p", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/*" }] }) } } }),
    pass: tf({ aws_iam_policy: { p: { name: "p", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }] }) } } }),
  },
  "iam-no-administrator-access": {
    fail: tf({ aws_iam_role_policy_attachment: { a: { role: "deploy", policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } } }),
    pass: tf({ aws_iam_role_policy_attachment: { a: { role: "plan", policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } } }),
  },
  "iam-github-oidc-trust": {
    fail: ghTrust([{ test: "StringLike", variable: "token.actions.githubusercontent.com:sub", values: ["repo:glimpse-technology/*"] }, aud]),
    pass: ghTrust([{ test: "StringLike", variable: "token.actions.githubusercontent.com:sub", values: [`repo:${REPO}:ref:refs/heads/main`] }, aud]),
  },
  "iam-trust-no-wildcard-principal": {
    fail: tf({ aws_iam_role: { r: { assume_role_policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }] }) } } }),
    pass: tf({ aws_iam_role: { r: { assume_role_policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] }) } } }),
  },
  "ec2-imdsv2-required": {
    fail: tf({ aws_instance: { i: { ...goodInstance, metadata_options: [{ http_tokens: "optional" }] } } }),
    pass: tf({ aws_instance: { i: goodInstance } }),
  },
  "ec2-no-public-ip": {
    fail: tf({ aws_instance: { i: { ...goodInstance, associate_public_ip_address: true } } }),
    pass: tf({ aws_instance: { i: goodInstance } }),
  },
  "ec2-ebs-optimized": { fail: tf({ aws_instance: { i: { ...goodInstance, ebs_optimized: undefined } } }), pass: tf({ aws_instance: { i: goodInstance } }) },
  "ec2-detailed-monitoring": { fail: tf({ aws_instance: { i: { ...goodInstance, monitoring: false } } }), pass: tf({ aws_instance: { i: goodInstance } }) },
  "ec2-encrypted-volumes": {
    fail: tf({ aws_instance: { i: { ...goodInstance, root_block_device: [{ volume_type: "gp3" }] } } }),
    pass: tf({ aws_instance: { i: goodInstance } }),
  },
  "ec2-no-key-pair": { fail: tf({ aws_instance: { i: { ...goodInstance, key_name: "admin" } } }), pass: tf({ aws_instance: { i: goodInstance } }) },
  "ec2-instance-profile": { fail: tf({ aws_instance: { i: { ...goodInstance, iam_instance_profile: undefined } } }), pass: tf({ aws_instance: { i: goodInstance } }) },
  "ec2-user-data-no-secrets": {
    fail: tf({ aws_instance: { i: { ...goodInstance, user_data_base64: undefined, user_data: "#!/bin/sh\necho 'requirepass s3cr3t-literal' >> /etc/valkey/valkey.conf\n" } } }),
    pass: tf({ aws_instance: { i: { ...goodInstance, user_data: '#!/bin/sh\nPW="$(aws secretsmanager get-secret-value --secret-id x --query SecretString --output text)"\necho "requirepass $PW" >> /etc/valkey/valkey.conf\n' } } }),
  },
  "ebs-volume-encrypted": { fail: tf({ aws_ebs_volume: { v: { size: 100 } } }), pass: tf({ aws_ebs_volume: { v: { size: 100, encrypted: true } } }) },
  "ebs-volume-customer-managed-key": {
    fail: tf({ aws_ebs_volume: { v: { size: 100, encrypted: true } } }),
    pass: tf({ aws_ebs_volume: { v: { size: 100, encrypted: true, kms_key_id: "${aws_kms_key.k.arn}" } } }),
  },
  "ecs-cluster-exec-logging-encrypted": {
    fail: tf({ aws_ecs_cluster: { c: { name: "c", configuration: [{ execute_command_configuration: [{ logging: "OVERRIDE", log_configuration: [{ cloud_watch_log_group_name: "x" }] }] }] } } }),
    pass: tf({
      aws_ecs_cluster: {
        c: {
          name: "c",
          configuration: [
            { execute_command_configuration: [{ kms_key_id: "${aws_kms_key.k.arn}", logging: "OVERRIDE", log_configuration: [{ cloud_watch_log_group_name: "x", cloud_watch_encryption_enabled: true }] }] },
          ],
        },
      },
    }),
  },
  "workloads-in-private-subnets": {
    fail: tf({ ...publicPrivateNetwork, aws_efs_mount_target: { m: { file_system_id: "x", subnet_id: ref("aws_subnet.public") } } }),
    pass: tf({ ...publicPrivateNetwork, aws_efs_mount_target: { m: { file_system_id: "x", subnet_id: ref("aws_subnet.private") } } }),
  },
  "resource-policies-not-public": {
    fail: tf({ aws_sns_topic_policy: { p: { arn: "x", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: "x" }] }) } } }),
    pass: tf({
      aws_sns_topic_policy: {
        p: {
          arn: "x",
          policy: JSON.stringify({
            Statement: [{ Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: "x", Condition: { StringEquals: { "aws:SourceAccount": "802732539686" } } }],
          }),
        },
      },
    }),
  },
  "efs-file-system-policy-tls": {
    fail: tf({ aws_efs_file_system: { f: { encrypted: true } } }),
    pass: {
      ...tf({ aws_efs_file_system: { f: { encrypted: true } }, aws_efs_file_system_policy: { p: { file_system_id: ref("aws_efs_file_system.f"), policy: "${data.aws_iam_policy_document.efs.json}" } } }),
      data: {
        aws_iam_policy_document: {
          efs: {
            statement: [
              { effect: "Deny", actions: ["*"], principals: [{ type: "AWS", identifiers: ["*"] }], resources: ["${aws_efs_file_system.f.arn}"], condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] },
            ],
          },
        },
      },
    },
  },
  // SHR-1: the old snapshot policy, whose ORed target tags selected every staging volume of the account.
  "shared-account-selectors": {
    fail: tf({
      aws_dlm_lifecycle_policy: {
        p: { execution_role_arn: "x", policy_details: [{ resource_types: ["VOLUME"], target_tags: { Environment: "staging", TrackerRole: "database-host-data" } }] },
      },
    }),
    pass: tf({
      aws_dlm_lifecycle_policy: {
        p: { execution_role_arn: "x", policy_details: [{ resource_types: ["VOLUME"], target_tags: { "tracker:snapshot-policy": "tracker-staging-db-snapshots" } }] },
      },
    }),
  },
  "shared-account-iam-selectors": {
    fail: policyDoc({
      actions: ["ec2:AttachVolume"],
      resources: ["arn:aws:ec2:eu-central-1:802732539686:instance/*"],
      condition: [{ test: "StringEquals", variable: "aws:ResourceTag/Environment", values: ["staging"] }],
    }),
    pass: policyDoc({
      actions: ["ec2:AttachVolume"],
      resources: ["arn:aws:ec2:eu-central-1:802732539686:instance/*"],
      condition: [
        { test: "StringEquals", variable: "aws:ResourceTag/Environment", values: ["staging"] },
        { test: "StringEquals", variable: "aws:ResourceTag/tracker:role", values: ["tracker-staging-db-host"] },
      ],
    }),
  },
  "shared-account-no-account-settings": {
    fail: tf({ aws_ebs_encryption_by_default: { e: { enabled: true } } }),
    pass: tf({ aws_vpc: { v: { cidr_block: "10.42.0.0/16" } }, aws_default_security_group: { d: { vpc_id: ref("aws_vpc.v") } } }),
  },
  "shared-account-log-resource-policy": {
    fail: {
      ...tf({ aws_cloudwatch_log_resource_policy: { p: { policy_name: "TrustEventsToStoreLogEvents", policy_document: "${data.aws_iam_policy_document.d.json}" } } }),
      data: {
        aws_iam_policy_document: {
          d: { statement: [{ actions: ["logs:PutLogEvents"], principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }], resources: ["arn:aws:logs:eu-central-1:802732539686:log-group:/aws/events/*:*"] }] },
        },
      },
    },
    pass: {
      ...tf({
        aws_cloudwatch_log_group: { g: { name: "/aws/events/tracker-staging/ecs-task-failures" } },
        aws_cloudwatch_log_resource_policy: { p: { policy_name: "tracker-staging-ecs-task-failures-events", policy_document: "${data.aws_iam_policy_document.d.json}" } },
      }),
      data: {
        aws_iam_policy_document: {
          d: { statement: [{ actions: ["logs:PutLogEvents"], principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }], resources: ["${aws_cloudwatch_log_group.g.arn}:*"] }] },
        },
      },
    },
  },
  "cloudflare-deep-records-dns-only": {
    fail: tf({ cloudflare_dns_record: { r: { name: "api.tracker.staging.glimpse.technology", type: "CNAME", proxied: true, ttl: 1 } } }),
    pass: tf({ cloudflare_dns_record: { r: { name: "api.tracker.staging.glimpse.technology", type: "CNAME", proxied: false, ttl: 1 } } }),
  },
};

describe("policy rules: each fails its broken fixture and passes its compliant one", () => {
  it("at least 40 distinct rules, unique IDs, each citing what it mirrors", () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(40);
    for (const r of RULES) {
      expect(r.mirrors.length, r.id).toBeGreaterThan(0);
      expect(r.resourceTypes.length, r.id).toBeGreaterThan(0);
    }
    // Scanner IDs (not only requirement IDs) are cited by most rules.
    const scannerCited = RULES.filter((r) => r.mirrors.some((m) => /^(CKV2?_AWS_\d+|AVD-AWS-\d+|[A-Za-z]+\.\d+)$/.test(m)));
    expect(scannerCited.length).toBeGreaterThanOrEqual(40);
  });

  it("docs/security.md lists every rule", () => {
    const doc = readFileSync(path.join(__dirname, "..", "docs", "security.md"), "utf8");
    for (const r of RULES) expect(doc, r.id).toContain(`| \`${r.id}\` |`);
  });

  it("every rule has a fixture pair and every fixture pair a rule", () => {
    expect(Object.keys(CASES).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  for (const rule of RULES) {
    const title = `${rule.id} (${rule.mirrors.join(", ")})`;
    it(`${title}: fails the broken fixture`, () => {
      const c = CASES[rule.id];
      expect(c, `no fixture for ${rule.id}`).toBeDefined();
      expect(runRules({ name: "fixture", json: c!.fail }, [rule]).length).toBeGreaterThan(0);
    });
    it(`${title}: passes the compliant fixture`, () => {
      const c = CASES[rule.id];
      expect(c, `no fixture for ${rule.id}`).toBeDefined();
      expect(runRules({ name: "fixture", json: c!.pass }, [rule]).map((f) => f.message)).toEqual([]);
    });
  }
});

describe("open-network rules: IPv6 ::/0 is as open as IPv4 0.0.0.0/0 (SG-6)", () => {
  const rulesById = (id: string) => RULES.filter((r) => r.id === id);
  const messages = (json: TerraformJson, id: string) => runRules({ name: "fixture", json }, rulesById(id)).map((f) => f.message);
  // The three Terraform forms of a rule, each open to the world over IPv6 only.
  const forms = (direction: "ingress" | "egress", port: number, protocol = "tcp"): [string, TerraformJson, string][] => [
    [
      "inline block",
      direction === "ingress"
        ? sg([{ protocol, from_port: port, to_port: port, ipv6_cidr_blocks: ["::/0"], description: "d" }])
        : sg([], [{ protocol, from_port: port, to_port: port, ipv6_cidr_blocks: ["::/0"], description: "d" }]),
      `${direction}[0]`,
    ],
    [
      "aws_vpc_security_group_*_rule",
      tf({ [`aws_vpc_security_group_${direction}_rule`]: { r: { ip_protocol: protocol, from_port: port, to_port: port, cidr_ipv6: "::/0", description: "d" } } }),
      `aws_vpc_security_group_${direction}_rule.r`,
    ],
    [
      "aws_security_group_rule",
      tf({ aws_security_group_rule: { r: { type: direction, protocol, from_port: port, to_port: port, ipv6_cidr_blocks: ["::/0"], security_group_id: "sg-1" } } }),
      "aws_security_group_rule.r",
    ],
  ];

  for (const [form, json, where] of forms("ingress", 5432)) {
    it(`SG-6: sg-no-public-ingress fails tcp/5432 from ::/0 (${form})`, () => {
      expect(messages(json, "sg-no-public-ingress")).toEqual([`${where}: ingress tcp/5432 from ::/0`]);
    });
  }
  for (const [form, json] of forms("ingress", 443)) {
    it(`SG-6: sg-no-public-ingress accepts tcp/443 from ::/0 (${form})`, () => {
      expect(messages(json, "sg-no-public-ingress")).toEqual([]);
    });
  }
  for (const [form, json, where] of forms("egress", 5432)) {
    it(`SG-6: sg-no-unrestricted-egress fails tcp/5432 to ::/0 (${form})`, () => {
      expect(messages(json, "sg-no-unrestricted-egress")).toEqual([`${where}: egress tcp/5432 to ::/0`]);
    });
  }
  for (const [form, json] of forms("egress", 443)) {
    it(`SG-6: sg-no-unrestricted-egress accepts tcp/443 to ::/0 (${form})`, () => {
      expect(messages(json, "sg-no-unrestricted-egress")).toEqual([]);
    });
  }

  it("SG-6: every spelling of a /0 is open, IPv4 and IPv6 alike; a /1 is not the whole space", () => {
    for (const cidr of ["0.0.0.0/0", "::/0", "::0/0", "0:0:0:0:0:0:0:0/0", "10.0.0.0/0", " ::/0 "]) {
      expect(isOpenCidr(cidr), cidr).toBe(true);
    }
    for (const cidr of ["10.0.0.0/16", "::/1", "2001:db8::/32", "0.0.0.0/10", "0.0.0.0/32"]) {
      expect(isOpenCidr(cidr), cidr).toBe(false);
    }
    const allTrafficV6 = tf({ aws_vpc_security_group_ingress_rule: { r: { ip_protocol: "-1", cidr_ipv6: "::0/0", description: "d" } } });
    expect(messages(allTrafficV6, "sg-no-public-ingress")).toEqual(["aws_vpc_security_group_ingress_rule.r: ingress all traffic from ::0/0"]);
  });
});

describe("policy engine: the forms cdktf writes", () => {
  // One shared stack, synthesized once.
  const app = Testing.app();
  const stack = new TerraformStack(app, "policy-engine-forms");
  new AwsProvider(stack, "aws", { region: "eu-central-1", defaultTags: [{ tags: { Environment: "production" } }] });
  const logs = new CloudwatchLogGroup(stack, "logs", { name: "/ecs/tracker-production/api", retentionInDays: 365 });
  new EcsTaskDefinition(stack, "jsonencoded", {
    family: "f",
    networkMode: "awsvpc",
    containerDefinitions: Fn.jsonencode([
      {
        name: "api",
        image: "repo/api:abc",
        privileged: true,
        environment: [{ name: "SECRET_KEY", value: "x" }],
        logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": logs.name } },
      },
    ]),
  });
  const adminDoc = new DataAwsIamPolicyDocument(stack, "admin", { statement: [{ actions: ["*"], resources: ["*"] }] });
  new IamPolicy(stack, "via-document", { name: "a", policy: adminDoc.json });
  new IamPolicy(stack, "jsonencoded-policy", {
    name: "b",
    policy: Fn.jsonencode({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["iam:PassRole"], Resource: "*" }] }),
  });
  new IamRole(stack, "role", {
    name: "r",
    assumeRolePolicy: Fn.jsonencode({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
  });
  const json = JSON.parse(Testing.synth(stack)) as TerraformJson;
  const context = new PolicyContext({ name: "policy-engine-forms", json });

  it("reads the environment from the provider's default tags", () => {
    expect(context.environment).toBe("production");
    expect(context.isProduction).toBe(true);
  });

  it("parses ${jsonencode(...)} container definitions, keeping references as expressions", () => {
    const [td] = context.resources("aws_ecs_task_definition");
    const containers = context.containerDefinitions(td!);
    expect(containers?.[0]?.["privileged"]).toBe(true);
    expect((containers?.[0]?.["logConfiguration"] as TfConfig)["options"]).toEqual({ "awslogs-group": "${aws_cloudwatch_log_group.logs.name}" });
    const ids = runRules({ name: "s", json }, RULES).map((f) => `${f.ruleId} ${f.address}`);
    expect(ids).toContain("ecs-task-not-privileged aws_ecs_task_definition.jsonencoded");
    expect(ids).toContain("ecs-task-no-secrets-in-environment aws_ecs_task_definition.jsonencoded");
  });

  it("follows ${data.aws_iam_policy_document.x.json} and reads ${jsonencode(...)} policies", () => {
    const findings = runRules({ name: "s", json }, RULES).map((f) => `${f.ruleId} ${f.address}`);
    expect(findings).toContain("iam-no-admin-statements data.aws_iam_policy_document.admin");
    expect(findings).not.toContain("iam-no-admin-statements aws_iam_policy.via-document");
    expect(findings).toContain("iam-no-wildcard-passrole aws_iam_policy.jsonencoded-policy");
    expect(findings.filter((f) => f.includes("aws_iam_role.role"))).toEqual([]);
  });

  it("parses HCL literals with nested expressions and template strings", () => {
    expect(parseHclLiteral('{"a" = [1, true, null], b = foo(bar.baz, "x"), "c" = "pre-${aws_x.y.id}-post"}')).toEqual({
      a: [1, true, null],
      b: "${foo(bar.baz, \"x\")}",
      c: "pre-${aws_x.y.id}-post",
    });
  });

  it("finds companions by reference and by literal name", () => {
    const ctx = new PolicyContext({ name: "f", json: goodBucket });
    const b = ctx.resources("aws_s3_bucket")[0]!;
    expect(ctx.companions(b, "aws_s3_bucket_server_side_encryption_configuration", "bucket", ["bucket"])).toHaveLength(1);
    expect(ctx.companions(b, "aws_s3_bucket_versioning", "bucket")).toHaveLength(1);
  });
});

describe("policy exceptions name resources, never a resource type", () => {
  const broken = CASES["logs-retention-one-year"]!.fail;
  const exception = (extra: Partial<PolicyException>): PolicyException => ({
    ruleId: "logs-retention-one-year",
    stack: "*",
    target: { addresses: ["aws_cloudwatch_log_group.l"] },
    reason: "test",
    ...extra,
  });
  const rules = RULES.filter((r) => r.id === "logs-retention-one-year");
  const withSecondGroup: TerraformJson = {
    ...broken,
    resource: { aws_cloudwatch_log_group: { ...broken.resource!["aws_cloudwatch_log_group"], m: { name: "/ecs/new", retention_in_days: 30 } } },
  };

  it("an exception by address covers that resource, and a new resource of the same type still fails", () => {
    const result = evaluate([{ name: "tracker-staging", json: withSecondGroup }], rules, [exception({})]);
    expect(result.excepted.map((e) => e.finding.address)).toEqual(["aws_cloudwatch_log_group.l"]);
    expect(result.failures.map((f) => f.address)).toEqual(["aws_cloudwatch_log_group.m"]);
    expect(result.stale).toEqual([]);
  });

  it("an exception for one stack covers nothing on another", () => {
    const byStack = exception({ stack: "tracker-staging" });
    expect(evaluate([{ name: "tracker-staging", json: broken }], rules, [byStack]).failures).toEqual([]);
    expect(evaluate([{ name: "tracker-production", json: broken }], rules, [byStack]).failures).toHaveLength(1);
  });

  it("an exception names one rule; one for a stack not evaluated is not stale; a * exception is used by any stack", () => {
    const otherRule = exception({ ruleId: "logs-retention-set" });
    expect(evaluate([{ name: "tracker-staging", json: broken }], rules, [otherRule]).failures).toHaveLength(1);
    const elsewhere = exception({ stack: "tracker-production" });
    expect(evaluate([{ name: "tracker-staging", json: broken }], rules, [elsewhere]).stale).toEqual([]);
    const both = evaluate([{ name: "fixture", json: { resource: {} } }, { name: "tracker-production", json: broken }], rules, [exception({})]);
    expect(both).toMatchObject({ failures: [], stale: [] });
    expect(both.excepted.map((e) => `${e.finding.stack} ${e.finding.address}`)).toEqual(["tracker-production aws_cloudwatch_log_group.l"]);
  });

  it("a finding reads stack: rule (scanner IDs) address: message", () => {
    const [finding] = evaluate([{ name: "tracker-staging", json: broken }], rules, []).failures;
    expect(formatFinding(finding!)).toBe(
      `tracker-staging: logs-retention-one-year (CKV_AWS_338, CloudWatch.16, PRD-1) aws_cloudwatch_log_group.l: ${finding!.message}`,
    );
    expect(formatFinding({ ruleId: "r", mirrors: ["A", "B"], stack: "s", address: "t.n", resourceType: "t", message: "m" })).toBe("s: r (A, B) t.n: m");
  });

  it("an exception reads stack: rule and its addresses, comma-separated", () => {
    expect(formatException({ ruleId: "r", stack: "tracker-staging", target: { addresses: ["a.x", "b.y"] }, reason: "why" })).toBe("tracker-staging: r a.x, b.y");
  });

  it("an address that matches nothing is reported stale, by itself", () => {
    const result = evaluate([{ name: "tracker-staging", json: broken }], rules, [
      exception({ target: { addresses: ["aws_cloudwatch_log_group.l", "aws_cloudwatch_log_group.gone"] } }),
    ]);
    expect(result.failures).toEqual([]);
    expect(result.stale.map(formatException)).toEqual(["*: logs-retention-one-year aws_cloudwatch_log_group.gone"]);
  });

  it("every recorded exception lists addresses (type.name), none a bare type", () => {
    for (const e of EXCEPTIONS) {
      expect(e.target.addresses.length, formatException(e)).toBeGreaterThan(0);
      for (const a of e.target.addresses) expect(a, formatException(e)).toMatch(/^(data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+$/);
    }
  });
});

describe("rules that find nothing to check fail where they expect subjects", () => {
  const subnetRule = RULES.find((r) => r.id === "subnet-no-public-ip-on-launch")!;
  const withSubnet = tf({ aws_subnet: { s: { map_public_ip_on_launch: false } } });
  const adopted = (filter: TfConfig[]) => tf({}, { aws_subnet: { s: { id: "subnet-0123", filter } } });
  const privateOnly = [{ name: "map-public-ip-on-launch", values: ["false"] }];

  it("a rule with no subject in a stack it expects them in fails, naming the types", () => {
    const findings = runRules({ name: "tracker-production", json: tf({ aws_vpc: { v: {} } }) }, [subnetRule]);
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: "subnet-no-public-ip-on-launch",
        address: NO_SUBJECTS_ADDRESS,
        message: expect.stringMatching(/^expects at least one aws_subnet or data\.aws_subnet in tracker-production and found none/),
      }),
    ]);
    // Not expected in a bootstrap stack, nor in a fixture: no finding there.
    expect(runRules({ name: "tracker-bootstrap-staging", json: tf({}) }, [subnetRule])).toEqual([]);
    expect(runRules({ name: "fixture", json: tf({}) }, [subnetRule])).toEqual([]);
  });

  it("NET-4: subnet-no-public-ip-on-launch follows adopted subnets (data.aws_subnet) too", () => {
    expect(runRules({ name: "tracker-production", json: withSubnet }, [subnetRule])).toEqual([]);
    expect(runRules({ name: "tracker-production", json: adopted(privateOnly) }, [subnetRule])).toEqual([]);
    const unfiltered = runRules({ name: "tracker-production", json: adopted([]) }, [subnetRule]);
    expect(unfiltered.map((f) => `${f.address}: ${f.message}`)).toEqual([
      "data.aws_subnet.s: the lookup does not require map-public-ip-on-launch = false, so it would adopt a subnet that gives instances public IPs",
    ]);
    const wrong = runRules({ name: "tracker-production", json: adopted([{ name: "map-public-ip-on-launch", values: ["true"] }]) }, [subnetRule]);
    expect(wrong).toHaveLength(1);
  });

  it("every rule declares where it expects subjects, using only the app's stack names", () => {
    for (const r of RULES) {
      expect(Array.isArray(r.expectedIn), r.id).toBe(true);
      for (const name of r.expectedIn) expect(EVERY_STACK, r.id).toContain(name);
    }
    expect([...EVERY_STACK].sort()).toEqual(
      ENVIRONMENTS.flatMap((e) => [environmentStackName(e.name), bootstrapStackName(e.name)]).sort(),
    );
  });
});

describe("secret scan detectors (DB-7, CFG-1, CFG-3)", () => {
  const kinds = (text: string) => scanText(text, "t").map((h) => h.kind);

  it("DB-7: finds private keys, AWS access keys, password literals and credentials in URLs", () => {
    expect(kinds("-----BEGIN OPENSSH PRIVATE KEY-----\nabc")).toEqual(["private key"]);
    expect(kinds("-----BEGIN RSA PRIVATE KEY-----")).toEqual(["private key"]);
    expect(kinds(`aws_access_key_id = ${"AKIA"}ABCDEFGHIJKLMNOP`)).toEqual(["AWS access key ID"]);
    expect(kinds("PGPASSWORD=Tr0ub4dor psql")).toEqual(["password literal"]);
    expect(kinds('{"password": "hunter2hunter2"}')).toEqual(["password literal"]);
    expect(kinds("requirepass s3cr3tvalue")).toEqual(["password literal"]);
    expect(kinds("DATABASE_URL=postgres://tracker:pa55word@db:5432/tracker")).toEqual(["credentials in URL"]);
  });

  it("DB-7: ignores references, placeholders, psql variables and comments", () => {
    expect(kinds('PGPASSWORD="$POSTGRES_APP_PASSWORD" psql')).toEqual([]);
    expect(kinds("password=${random_password.pg.result}")).toEqual([]);
    expect(kinds("ALTER ROLE :\"u\" WITH LOGIN PASSWORD :'app_password';")).toEqual([]);
    expect(kinds("# Authentication: requirepass comes from the include below.")).toEqual([]);
    expect(kinds('echo "requirepass $PW" >> valkey.conf')).toEqual([]);
    expect(kinds("postgres://tracker:$(cat /run/pw)@db/tracker")).toEqual([]);
  });

  it("DB-7: decodes literal gzip+base64 user data", () => {
    const encoded = gzipSync(Buffer.from("#!/bin/sh\nexport PGPASSWORD=literalpassword\n")).toString("base64");
    expect(kinds(decodeUserData(encoded, true))).toEqual(["password literal"]);
  });

  it("CFG-1: flags literals under secret keys and high-entropy literals under secret-looking keys, not metadata", () => {
    const json = tf({
      aws_secretsmanager_secret_version: { v: { secret_id: "${aws_secretsmanager_secret.s.id}", secret_string: "short" } },
      aws_instance: { i: { tags: { api_token: "Zx8$kP2qLm9!vR4tWn7Y" } } },
      aws_ssm_parameter: { p: { name: "/tracker/staging/secret-key-arn", key_id: "alias/aws/ssm", value: "x" } },
      // an idempotency token is not a secret
      aws_efs_file_system: { f: { creation_token: "tracker-staging-anisette-8f3kQ2xZ" } },
    });
    expect(scanTerraformJson(json, "s").map((h) => h.kind).sort()).toEqual(["high-entropy literal under key api_token", "literal under key secret_string"]);
    expect(scanTerraformJson(tf({}), "s")).toEqual([]);
  });

  it("CFG-3: secret-looking environment variable names", () => {
    for (const name of ["POSTGRES_PASSWORD", "SECRET_KEY", "REDIS_PASSWORD", "API_TOKEN", "AWS_SECRET_ACCESS_KEY", "GITHUB_PRIVATE_KEY_PEM"]) {
      expect(isSecretLookingName(name), name).toBe(true);
    }
    for (const name of ["POSTGRES_HOST", "ACCESS_TOKEN_EXPIRE_MINUTES", "REFRESH_TOKEN_EXPIRE_DAYS", "ALGORITHM", "key", "REDIS_PORT"]) {
      expect(isSecretLookingName(name), name).toBe(false);
    }
    expect(secretLookingEnvironmentNames([{ name: "api", environment: [{ name: "REDIS_PASSWORD", value: "x" }, { name: "PORT", value: "1" }] }])).toEqual(["api:REDIS_PASSWORD"]);
  });
});

describe("identity-policy rules skip resource and trust policies", () => {
  it("IAM.21: a KMS key policy granting kms:* to the account root is not an identity policy", () => {
    const json = tf(
      { aws_kms_key: { k: { enable_key_rotation: true, policy: "${data.aws_iam_policy_document.key.json}" } } },
      { aws_iam_policy_document: { key: { statement: [{ actions: ["kms:*"], resources: ["*"], principals: [{ type: "AWS", identifiers: ["arn:aws:iam::1:root"] }] }] } } },
    );
    expect(runRules({ name: "s", json }, RULES).map((f) => f.ruleId)).not.toContain("iam-no-service-wildcard-actions");
    const asIdentity = {
      ...json,
      resource: { ...json.resource, aws_iam_role_policy: { p: { role: "r", policy: "${data.aws_iam_policy_document.key.json}" } } },
    };
    expect(runRules({ name: "s", json: asIdentity }, RULES).map((f) => f.ruleId)).toContain("iam-no-service-wildcard-actions");
  });
});

/**
 * What the policy report prints for each rule's broken fixture, written out: the address and the
 * message a reviewer reads in CI. A rule that finds the right resource but says the wrong thing fails here.
 */
const FAIL_FINDINGS: Record<string, readonly string[]> = {
  "acm-create-before-destroy": ["aws_acm_certificate.c: lifecycle.create_before_destroy is not true"],
  "acm-key-algorithm": ["aws_acm_certificate.c: key_algorithm RSA_1024 is weaker than RSA 2048"],
  "alb-desync-mitigation": ["aws_lb.l: desync_mitigation_mode = monitor"],
  "alb-drop-invalid-headers": ["aws_lb.l: drop_invalid_header_fields is not true"],
  "alb-http-redirects-to-https": ["aws_lb_listener.h: HTTP listener does not redirect to HTTPS"],
  "cloudflare-deep-records-dns-only": ["cloudflare_dns_record.r: api.tracker.staging.glimpse.technology is proxied but is 3 levels below the zone"],
  "cloudwatch-alarm-actions": ["aws_cloudwatch_metric_alarm.a: no alarm_actions"],
  "ebs-volume-customer-managed-key": ["aws_ebs_volume.v: no kms_key_id"],
  "ebs-volume-encrypted": ["aws_ebs_volume.v: encrypted is not true"],
  "ec2-detailed-monitoring": ["aws_instance.i: monitoring is not true"],
  "ec2-ebs-optimized": ["aws_instance.i: ebs_optimized is not true"],
  "ec2-encrypted-volumes": ["aws_instance.i: root_block_device is not encrypted"],
  "ec2-imdsv2-required": ["aws_instance.i: metadata_options.http_tokens is not required (IMDSv1 allowed)"],
  "ec2-instance-profile": ["aws_instance.i: no iam_instance_profile"],
  "ec2-no-key-pair": ["aws_instance.i: key_name admin is set"],
  "ec2-no-public-ip": ["aws_instance.i: associate_public_ip_address = true"],
  "ec2-user-data-no-secrets": ["aws_instance.i: user_data: password literal ('requirepass s3…(14))"],
  "ecr-immutable-tags": ["aws_ecr_repository.r: image_tag_mutability is MUTABLE"],
  "ecr-kms-encryption": ["aws_ecr_repository.r: encryption_type is not KMS (AES256 default)"],
  "ecr-lifecycle-policy": ["aws_ecr_repository.r: no lifecycle policy"],
  "ecr-scan-on-push": ["aws_ecr_repository.r: scan_on_push is not enabled"],
  "ecs-cluster-container-insights": ["aws_ecs_cluster.c: containerInsights is not enabled"],
  "ecs-cluster-exec-logging-encrypted": ["aws_ecs_cluster.c: ECS Exec sessions have no kms_key_id","aws_ecs_cluster.c: ECS Exec log destination is not encrypted"],
  "ecs-service-canary-traffic": ["aws_ecs_service.s: deployment_configuration.strategy is not CANARY","aws_ecs_service.s: aws_lb_listener_rule.r does not ignore changes to its action (ECS owns the weights)","aws_ecs_service.s: aws_lb_listener_rule.r does not forward to the service's alternate_target_group_arn"],
  "ecs-service-circuit-breaker": ["aws_ecs_service.s: deployment circuit breaker with rollback is not enabled"],
  "ecs-service-fargate-latest": ["aws_ecs_service.s: platform_version 1.3.0 is pinned below LATEST"],
  "ecs-service-no-public-ip": ["aws_ecs_service.s: assign_public_ip = true"],
  "ecs-task-awsvpc-network-mode": ["aws_ecs_task_definition.td: network_mode is host"],
  "ecs-task-distinct-roles": ["aws_ecs_task_definition.td: execution_role_arn equals task_role_arn"],
  "ecs-task-efs-transit-encryption": ["aws_ecs_task_definition.td: volume data: transit_encryption is not ENABLED","aws_ecs_task_definition.td: volume data: authorization_config.iam is not ENABLED"],
  "ecs-task-log-configuration": ["aws_ecs_task_definition.td: container api has no logConfiguration"],
  "ecs-task-no-host-namespaces": ["aws_ecs_task_definition.td: pid_mode = host"],
  "ecs-task-no-latest-tag": ["aws_ecs_task_definition.td: container api uses :latest"],
  "ecs-task-no-secrets-in-environment": ["aws_ecs_task_definition.td: container api: environment POSTGRES_PASSWORD looks like a secret"],
  "ecs-task-non-root-user": ["aws_ecs_task_definition.td: container api runs as 0:0"],
  "ecs-task-not-privileged": ["aws_ecs_task_definition.td: container api is privileged"],
  "ecs-task-readonly-root-filesystem": ["aws_ecs_task_definition.td: container api has a writable root filesystem"],
  "efs-access-point-posix-user": ["aws_efs_access_point.a: no posix_user with uid and gid"],
  "efs-access-point-root-directory": ["aws_efs_access_point.a: root_directory.path is not a subdirectory"],
  "efs-backup-policy": ["aws_efs_file_system.f: no enabled backup policy or backup selection"],
  "efs-customer-managed-key": ["aws_efs_file_system.f: no kms_key_id (AWS-managed key)"],
  "efs-encrypted": ["aws_efs_file_system.f: encrypted is not true"],
  "efs-file-system-policy-tls": ["aws_efs_file_system.f: no file system policy (clients may mount without TLS)"],
  "iam-github-oidc-trust": ["data.aws_iam_policy_document.trust: sub repo:glimpse-technology/* is not limited to one of the configured repositories (glimpse-technology/tracker-infrastructure, glimpse-technology/tracker)"],
  "iam-no-admin-statements": ["data.aws_iam_policy_document.d: an Allow statement grants * (or NotAction) on *"],
  "iam-no-administrator-access": ["aws_iam_role_policy_attachment.a: attaches AdministratorAccess"],
  "iam-no-credentials-exposure": ["data.aws_iam_policy_document.d: allows secretsmanager:GetSecretValue on *"],
  "iam-no-service-wildcard-actions": ["aws_iam_policy.p: allows s3:*"],
  "iam-no-wildcard-passrole": ["aws_iam_role_policy.p: iam:PassRole is allowed on any role"],
  "iam-trust-no-wildcard-principal": ["aws_iam_role.r: trust policy allows principal *"],
  "kms-key-policy": ["aws_kms_key.k: no key policy (the default grants the whole account)"],
  "kms-key-rotation": ["aws_kms_key.k: enable_key_rotation is not true"],
  "lb-access-logs": ["aws_lb.l: access_logs are not enabled"],
  "lb-deletion-protection": ["aws_lb.l: enable_deletion_protection is not true"],
  "lb-https-security-headers": ["aws_lb_listener.s: X-Frame-Options is not DENY or SAMEORIGIN","aws_lb_listener.s: the Server header is not removed"],
  "lb-listener-recommended-policy": ["aws_lb_listener.s: ssl_policy ELBSecurityPolicy-TLS13-1-2-2021-06 is not one of ELB.17's recommended policies"],
  "lb-listener-tls12": ["aws_lb_listener.s: ssl_policy ELBSecurityPolicy-2016-08 allows TLS below 1.2"],
  "lb-multi-az": ["aws_lb.l: only 1 subnet(s)"],
  "lb-not-internet-facing": ["aws_lb.l: the load balancer is internet-facing"],
  "lb-target-group-encrypted": ["aws_lb_target_group.t: protocol HTTP is not encrypted","aws_lb_target_group.t: health check protocol HTTP is not HTTPS"],
  "lb-waf-associated": ["aws_lb.l: no WAF web ACL is associated with this internet-facing load balancer"],
  "logs-customer-managed-key": ["aws_cloudwatch_log_group.l: no kms_key_id"],
  "logs-retention-one-year": ["aws_cloudwatch_log_group.l: retention 30 days is under a year"],
  "logs-retention-set": ["aws_cloudwatch_log_group.l: no retention_in_days"],
  "resource-policies-not-public": ["aws_sns_topic_policy.p: an Allow statement grants principal * without a condition"],
  "s3-access-logging": ["aws_s3_bucket.b: no server access logging"],
  "s3-acls-disabled": ["aws_s3_bucket.b: object ownership is not BucketOwnerEnforced"],
  "s3-kms-encryption": ["aws_s3_bucket.b: default encryption is not aws:kms"],
  "s3-lifecycle": ["aws_s3_bucket.b: no lifecycle configuration"],
  "s3-public-access-block": ["aws_s3_bucket.b: public access block leaves block_public_policy, ignore_public_acls, restrict_public_buckets off"],
  "s3-tls-only": ["aws_s3_bucket.b: no Deny statement on aws:SecureTransport = false"],
  "s3-versioning": ["aws_s3_bucket.b: versioning is not Enabled"],
  "secretsmanager-customer-managed-key": ["aws_secretsmanager_secret.s: no kms_key_id (aws/secretsmanager key)"],
  "secretsmanager-no-literal-value": ["aws_secretsmanager_secret_version.v: secret_string is a literal"],
  "secretsmanager-rotation": ["aws_secretsmanager_secret.s: no automatic rotation"],
  "shared-account-iam-selectors": ["data.aws_iam_policy_document.d: selects arn:aws:ec2:eu-central-1:802732539686:instance/* by aws:ResourceTag/Environment=staging: no tag only this project's resources carry"],
  "shared-account-log-resource-policy": ["aws_cloudwatch_log_resource_policy.p: policy_name \"TrustEventsToStoreLogEvents\" is not in the project's namespace (tracker-<env>-...)","aws_cloudwatch_log_resource_policy.p: grants on \"arn:aws:logs:eu-central-1:802732539686:log-group:/aws/events/*:*\", not on a log group this stack creates"],
  "shared-account-no-account-settings": ["aws_ebs_encryption_by_default.e: aws_ebs_encryption_by_default changes a setting of the whole account (SHR-2): leave it to the account's owners"],
  "shared-account-selectors": ["aws_dlm_lifecycle_policy.p: target tag Environment=staging is not unique to this project: DLM acts on every volume carrying ANY target tag, so each must be one only our resources carry (a tracker:* key or a tracker-<env>-* value)","aws_dlm_lifecycle_policy.p: target tag TrackerRole=database-host-data is not unique to this project: DLM acts on every volume carrying ANY target tag, so each must be one only our resources carry (a tracker:* key or a tracker-<env>-* value)"],
  "sg-no-public-ingress": ["aws_vpc_security_group_ingress_rule.r: aws_vpc_security_group_ingress_rule.r: ingress tcp/5432 from 0.0.0.0/0"],
  "sg-no-ssh": ["aws_vpc_security_group_ingress_rule.r: aws_vpc_security_group_ingress_rule.r: ingress tcp/0-1024 includes SSH port 22"],
  "sg-no-unrestricted-egress": ["aws_vpc_security_group_egress_rule.e: aws_vpc_security_group_egress_rule.e: egress all traffic to 0.0.0.0/0"],
  "sg-rule-descriptions": ["aws_security_group.g: ingress[0]: rule has no description"],
  "sns-encrypted": ["aws_sns_topic.t: encrypted with the AWS-managed alias/aws/sns key"],
  "ssm-sensitive-parameters-secure": ["aws_ssm_parameter.p: /tracker/staging/redis-password looks secret but is String","aws_ssm_parameter.p: /tracker/staging/redis-password has a literal value"],
  "subnet-no-public-ip-on-launch": ["aws_subnet.s: map_public_ip_on_launch = true"],
  "vpc-default-security-group-closed": ["aws_default_security_group.d: the default security group declares ingress rules"],
  "vpc-flow-logs": ["aws_vpc.v: no aws_flow_log references this VPC"],
  "waf-known-bad-inputs": ["aws_wafv2_web_acl.w: Log4JRCE_HEADER of AWSManagedRulesKnownBadInputsRuleSet does not block"],
  "waf-rule-metrics": ["aws_wafv2_web_acl.w: rule known-bad-inputs does not publish CloudWatch metrics"],
  "waf-web-acl-has-rules": ["aws_wafv2_web_acl.w: the web ACL has no rules: it only applies its default action"],
  "waf-web-acl-logging": ["aws_wafv2_web_acl.w: aws_wafv2_web_acl_logging_configuration.l does not redact the authorization header"],
  "workloads-in-private-subnets": ["aws_efs_mount_target.m: placed in public subnet aws_subnet.public"],
};

describe("policy rules: the findings of each broken fixture, word for word", () => {
  it("every rule has its expected findings written out", () => {
    expect(Object.keys(FAIL_FINDINGS).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  for (const rule of RULES) {
    it(`${rule.id}: the broken fixture gets exactly its findings`, () => {
      expect(runRules({ name: "fixture", json: CASES[rule.id]!.fail }, [rule]).map((f) => `${f.address}: ${f.message}`)).toEqual(FAIL_FINDINGS[rule.id]);
    });
  }
});
