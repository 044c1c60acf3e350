/**
 * Recorded exceptions to the policy rules: each names the rule, the stack ("*" for every stack),
 * the resources it covers by their addresses (`type.name`, as Terraform and the findings name
 * them; never a whole resource type, so a new resource of the type is checked), and the reason.
 * `docs/DESIGN.md` ("Security exceptions") lists the same entries for humans.
 *
 * An address that no longer matches a finding is stale and fails the policy suite: delete it
 * (a renamed construct changes its address, so the exception is reviewed again).
 * Keep this list short and honest: every entry is a risk someone decided to accept.
 */
import { ENVIRONMENTS } from "../src/config/environments";
import { environmentStackName } from "../src/config/naming";
export interface ExceptionTarget {
  /** The resources covered, by address (`aws_lb.load-balancer_alb_15AADC07`). */
  readonly addresses: readonly string[];
}

export interface PolicyException {
  readonly ruleId: string;
  /** A stack name (`tracker-staging`) or `*` for every stack. */
  readonly stack: string;
  readonly target: ExceptionTarget;
  readonly reason: string;
}

const ALB = "aws_lb.load-balancer_alb_15AADC07";
const ALB_LOG_BUCKET = "aws_s3_bucket.load-balancer_access-logs_private-bucket_AB84F91D";

export const EXCEPTIONS: readonly PolicyException[] = [
  {
    ruleId: "logs-retention-one-year",
    stack: "tracker-staging",
    target: {
      addresses: [
        "aws_cloudwatch_log_group.alarms_task-failures_events-log-group_F71593D8",
        "aws_cloudwatch_log_group.cluster_exec-log-group_6631E3E9",
        "aws_cloudwatch_log_group.log-groups_admin_08C46767",
        "aws_cloudwatch_log_group.log-groups_anisette_36D1EF47",
        "aws_cloudwatch_log_group.log-groups_api_83F48447",
        "aws_cloudwatch_log_group.log-groups_frontend_A9D924A7",
        "aws_cloudwatch_log_group.log-groups_materialized-view-service_9B4A0A50",
        "aws_cloudwatch_log_group.log-groups_notification-service_C9B30C81",
        "aws_cloudwatch_log_group.log-groups_tracker-fetcher_32310037",
        "aws_cloudwatch_log_group.log-groups_unified-geofence_75D114A5",
        "aws_cloudwatch_log_group.network_flow-logs_log-group_B0C6373D",
        // EDGE-7: the WAF's log group, while staging's WAF is switched on for a rehearsal.
        ...(ENVIRONMENTS.find((env) => env.name === "staging")?.loadBalancer.waf.enabled ? ["aws_cloudwatch_log_group.web-acl_log-group_64640BE7"] : []),
      ],
    },
    reason:
      "Staging keeps logs for 30 days (STAGING.logRetentionDays) to save cost: it holds no production data and " +
      "only production pays for a year of logs. Production keeps 365 days and passes CKV_AWS_338 / CloudWatch.16.",
  },
  {
    ruleId: "sg-no-unrestricted-egress",
    stack: "tracker-staging",
    target: { addresses: ["aws_vpc_security_group_egress_rule.security-groups_database-out-http-out_737A9844"] },
    reason:
      "The staging database host installs packages with apt from the Ubuntu ports mirrors and the PostgreSQL/" +
      "TimescaleDB repositories, which are served over plain HTTP (port 80); integrity comes from apt's signed " +
      "Release files, not from TLS. Only the database host's group has it, only outbound, and only tcp/80.",
  },
  {
    ruleId: "s3-access-logging",
    stack: "*",
    target: { addresses: ["aws_s3_bucket.state_private-bucket_6EC1470A"] },
    reason:
      "The Terraform state bucket is read and written only by the two CI roles (and the operator at first " +
      "bootstrap); server access logs would need a second, itself unlogged, bucket per account. CloudTrail " +
      "records who assumed the roles; the bucket is versioned, so every state write is kept.",
  },
  {
    ruleId: "lb-not-internet-facing",
    stack: "*",
    target: { addresses: [ALB] },
    reason:
      "The ALB is the public edge by design (EDGE-1): the frontend, API and admin hostnames answer on it from " +
      "the internet. Its security group admits only 80 (redirect) and 443, it drops invalid headers and uses an " +
      "ELB.17 TLS policy; everything behind it is in private subnets.",
  },
  {
    ruleId: "lb-target-group-encrypted",
    stack: "*",
    target: {
      addresses: [
        "aws_lb_target_group.load-balancer_target-group-admin_995D8188",
        "aws_lb_target_group.load-balancer_target-group-api_176B6E5E",
        "aws_lb_target_group.load-balancer_target-group-frontend_19EFF6AD",
        // DLV-1: each public service's canary twin.
        "aws_lb_target_group.load-balancer_target-group-admin-alternate_BA533967",
        "aws_lb_target_group.load-balancer_target-group-api-alternate_5258B8E4",
        "aws_lb_target_group.load-balancer_target-group-frontend-alternate_D807A55A",
      ],
    },
    reason:
      "TLS terminates at the ALB; the ALB speaks HTTP to the Fargate tasks over the VPC's private application " +
      "subnets, where only the ALB's security group may reach the container ports (SG-3). The application " +
      "images serve plain HTTP; end-to-end TLS would need certificates in every image. Revisit if a service " +
      "handles data that must be encrypted inside the VPC.",
  },
  {
    ruleId: "secretsmanager-rotation",
    stack: "*",
    target: {
      addresses: [
        "aws_secretsmanager_secret.secrets_postgres-password_97BAB641",
        "aws_secretsmanager_secret.secrets_redis-password_E9D9A7F7",
        "aws_secretsmanager_secret.secrets_secret-key_F55BEDE5",
        // Production with provided credentials (PRD-2): the Patroni/MemoryDB owners' values.
        "aws_secretsmanager_secret.provided_postgres_password",
        "aws_secretsmanager_secret.provided_redis_password",
      ],
    },
    reason:
      "No rotation Lambda: each value is generated by AWS (ephemeral aws_secretsmanager_random_password, written " +
      "write-only) and rotated deliberately by bumping its generation (docs/DESIGN.md, Secrets), because the " +
      "consumers must follow in step: the PostgreSQL role and Valkey requirepass on the database host, the " +
      "Patroni/MemoryDB owners in production, and every token signed with the secret key.",
  },
  {
    ruleId: "lb-deletion-protection",
    stack: "tracker-staging",
    target: { addresses: [ALB] },
    reason:
      "Staging skips what only production pays for: staging's ALB is disposable and recreated freely " +
      "(STAGING.loadBalancer.deletionProtection = false). Production's ALB has deletion protection (EDGE-6).",
  },
  {
    ruleId: "lb-access-logs",
    stack: "tracker-staging",
    target: { addresses: [ALB] },
    reason:
      "Staging skips what only production pays for: no ALB access-log bucket in staging " +
      "(STAGING.loadBalancer.accessLogs = false); its requests are test traffic. Production writes access logs (EDGE-6).",
  },
  // EDGE-7: one entry per environment whose WAF switch is off (staging by default); it disappears, with
  // the finding it covers, when the environment's `loadBalancer.waf.enabled` is turned on.
  ...ENVIRONMENTS.filter((env) => !env.loadBalancer.waf.enabled).map(
    (env): PolicyException => ({
      ruleId: "lb-waf-associated",
      stack: environmentStackName(env.name),
      target: { addresses: [ALB] },
      reason:
        `Staging skips what only production pays for: ${env.name}'s ALB has no WAF web ACL ` +
        `(${env.name}.loadBalancer.waf.enabled = false) because its traffic is test traffic and the ACL costs a fixed ` +
        "monthly fee. Switching it on for a release rehearsal removes this exception. Production's ALB has the web ACL (EDGE-7).",
    }),
  ),
  {
    ruleId: "s3-kms-encryption",
    stack: "tracker-production",
    target: { addresses: [ALB_LOG_BUCKET] },
    reason:
      "ALB access logs can only be delivered to buckets encrypted with SSE-S3 (Amazon S3-managed keys); SSE-KMS " +
      "is not supported for this destination (see aws/aws-cdk#21947 and the validation added by aws/aws-cdk#29382), " +
      "so the access-log bucket uses AES256.",
  },
  {
    ruleId: "s3-access-logging",
    stack: "tracker-production",
    target: { addresses: [ALB_LOG_BUCKET] },
    reason:
      "This bucket is itself the log destination (ALB access logs); logging it would need another bucket, " +
      "which would need its own. It is private (public access blocked, TLS-only policy), versioned and expires logs.",
  },
  {
    ruleId: "ecs-cluster-container-insights",
    stack: "tracker-staging",
    target: { addresses: ["aws_ecs_cluster.cluster_A4C38409"] },
    reason:
      "COST-1: Container Insights bills its metrics as custom metrics, about $60 a month for staging's eight services, " +
      "half of staging's $130 budget. Staging keeps ECS's free service CPU/memory metrics, the task-failure, 5xx and " +
      "unhealthy-target alarms and every log (STAGING.cluster.containerInsights = \"disabled\"; set \"enabled\" for a " +
      "performance rehearsal). Production runs enhanced Container Insights (ECS-1).",
  },
  {
    ruleId: "ec2-detailed-monitoring",
    stack: "tracker-staging",
    target: { addresses: ["aws_instance.database-host_instance_32547EBB", "aws_instance.network_nat-instance_866B6A7F"] },
    reason:
      "COST-1: detailed (1-minute) EC2 monitoring costs $2.10 a month per instance. The status checks that drive the " +
      "database host's and the NAT instance's recover alarms (DB-8, NET-3) are 1-minute metrics without it, and the " +
      "host publishes its own PostgreSQL/Valkey/disk metrics every minute (STAGING.dataPlane.detailedMonitoring = false).",
  },
  {
    ruleId: "ec2-instance-profile",
    stack: "tracker-staging",
    target: { addresses: ["aws_instance.network_nat-instance_866B6A7F"] },
    reason:
      "The NAT instance calls no AWS API: it forwards packets configured by its own boot script. An instance profile " +
      "would only add credentials that could be stolen from an internet-facing instance. Debug it by replacing it.",
  },
  {
    ruleId: "sg-no-unrestricted-egress",
    stack: "tracker-staging",
    target: { addresses: ["aws_vpc_security_group_egress_rule.network_nat-instance_out-80_7FFFE0B9"] },
    reason:
      "The NAT instance is the private subnets' way to the internet (NET-3 \"instance\", COST-1): its egress is the " +
      "internet by definition, limited to tcp/80 and tcp/443, and it forwards only what this project's groups send on " +
      "those ports (its ingress rules, by group reference). Port 80 is the database host's apt repositories (see the host's own exception).",
  },
  {
    ruleId: "vpc-default-security-group-closed",
    stack: "tracker-production",
    target: { addresses: ["data.aws_vpc.network_vpc_4E8F0223"] },
    reason:
      "Only when production adopts an existing VPC (network.mode = adopt, PRD-2): that VPC and its default " +
      "security group belong to its owner (the Patroni cluster's VPC), and emptying it from this stack could cut " +
      "off whatever the owner placed in it. None of this stack's resources use the default group (each task, " +
      "the ALB and the EFS mount targets have their own). A VPC this stack creates has its default group emptied.",
  },
];
