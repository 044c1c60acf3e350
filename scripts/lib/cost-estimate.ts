/**
 * The monthly cost of a synthesized stack (COST-3): each resource of `cdk.tf.json` priced as hours
 * (or months) times its unit price, plus the usage the stated assumptions give it. Resource types
 * it cannot price are listed, never dropped; resource types that cost nothing by themselves are
 * named in FREE_TYPES, with the reason.
 *
 * The model is deliberately simple and written out: list prices, on-demand (or Fargate Spot where
 * a service runs on it), no free tier, no savings plans, no tax.
 */
import type { PriceSnapshot } from "./prices";

/** Usage that the resources do not state themselves: the "light traffic" of an environment. */
export interface UsageAssumptions {
  /** Hours in the month everything runs: always on. */
  readonly hoursPerMonth: number;
  /** GB a month through NAT in the whole stack, shared by its NAT gateways. */
  readonly natGbPerMonth: number;
  /** Average load balancer capacity units per hour. */
  readonly albLcuPerHour: number;
  /** GB ingested a month into each CloudWatch log group. */
  readonly logGbPerGroupPerMonth: number;
  /** Stored bytes per ingested byte (CloudWatch Logs bills storage compressed). */
  readonly logStorageRatio: number;
  /** GB held by each EFS file system (and so by its backup). */
  readonly efsGbPerFileSystem: number;
  /** Snapshot storage as a share of the snapshotted volumes' size (incremental, partly full). */
  readonly snapshotShareOfVolume: number;
  /** GB of images each ECR repository holds. */
  readonly ecrGbPerRepository: number;
  /** GB each S3 bucket holds. */
  readonly s3GbPerBucket: number;
  /** Million requests a month through each web ACL. */
  readonly wafMillionRequestsPerMonth: number;
  /**
   * Metrics Container Insights publishes, billed as custom metrics: per cluster (13 at the
   * ClusterName dimension) and per service (15 at ClusterName+ServiceName, 10 at
   * ClusterName+TaskDefinitionFamily) when "enabled"; "enhanced" adds task- and container-level
   * metrics, approximated as 22 per running task (AWS bills enhanced observability by observation;
   * this is an approximation, stated as one).
   */
  readonly containerInsightsMetrics: { readonly perCluster: number; readonly perService: number; readonly perTaskEnhanced: number };
  /** Metrics EC2 detailed monitoring publishes per instance. */
  readonly detailedMonitoringMetricsPerInstance: number;
}

/** The stated assumptions of the issue-13 estimate: light traffic, always on. */
export const DEFAULT_ASSUMPTIONS: UsageAssumptions = {
  hoursPerMonth: 730,
  natGbPerMonth: 20,
  albLcuPerHour: 1,
  logGbPerGroupPerMonth: 2,
  logStorageRatio: 0.15,
  efsGbPerFileSystem: 1,
  snapshotShareOfVolume: 0.2,
  ecrGbPerRepository: 2,
  s3GbPerBucket: 1,
  wafMillionRequestsPerMonth: 1,
  containerInsightsMetrics: { perCluster: 13, perService: 25, perTaskEnhanced: 22 },
  detailedMonitoringMetricsPerInstance: 7,
};

/**
 * Resource types that cost nothing by themselves, and why. Anything neither priced nor listed here
 * is reported as unpriced.
 */
export const FREE_TYPES: Readonly<Record<string, string>> = {
  aws_acm_certificate: "public ACM certificates are free",
  aws_acm_certificate_validation: "a wait, not a resource",
  aws_appautoscaling_policy: "no charge for Application Auto Scaling",
  aws_appautoscaling_target: "no charge for Application Auto Scaling",
  aws_appautoscaling_scheduled_action: "no charge for Application Auto Scaling",
  aws_budgets_budget: "budgets without actions are free",
  aws_cloudwatch_event_rule: "AWS service events on the default bus are free",
  aws_cloudwatch_event_target: "part of its rule",
  aws_cloudwatch_log_resource_policy: "a policy",
  aws_default_security_group: "security groups are free",
  aws_dlm_lifecycle_policy: "DLM is free; its snapshots are priced with the volumes they target",
  aws_ecr_lifecycle_policy: "a policy",
  aws_ecs_cluster_capacity_providers: "configuration of the cluster",
  aws_ecs_task_definition: "priced through the services that run it",
  aws_efs_access_point: "no charge",
  aws_efs_backup_policy: "priced with its file system",
  aws_efs_file_system_policy: "a policy",
  aws_efs_mount_target: "no charge",
  aws_flow_log: "priced through its log group",
  aws_iam_instance_profile: "IAM is free",
  aws_iam_openid_connect_provider: "IAM is free",
  aws_iam_policy: "IAM is free",
  aws_iam_role: "IAM is free",
  aws_iam_role_policy: "IAM is free",
  aws_iam_role_policy_attachment: "IAM is free",
  aws_internet_gateway: "no charge (data transfer aside)",
  aws_kms_alias: "aliases are free",
  aws_lb_listener: "priced with its load balancer",
  aws_lb_listener_rule: "priced with its load balancer",
  aws_lb_target_group: "priced with its load balancer",
  aws_network_interface: "no charge (its public address, if any, is priced)",
  aws_route: "no charge",
  aws_route_table: "no charge",
  aws_route_table_association: "no charge",
  aws_route53_zone_association: "no charge",
  aws_s3_bucket_lifecycle_configuration: "configuration of its bucket",
  aws_s3_bucket_ownership_controls: "configuration of its bucket",
  aws_s3_bucket_policy: "configuration of its bucket",
  aws_s3_bucket_public_access_block: "configuration of its bucket",
  aws_s3_bucket_server_side_encryption_configuration: "configuration of its bucket",
  aws_s3_bucket_versioning: "configuration of its bucket",
  aws_scheduler_schedule: "the first 14 million invocations a month are free",
  aws_scheduler_schedule_group: "no charge",
  aws_secretsmanager_secret_version: "priced with its secret",
  aws_security_group: "security groups are free",
  aws_service_discovery_service: "its registered instances are priced",
  aws_sns_topic: "light use is within SNS's free requests",
  aws_sns_topic_policy: "a policy",
  aws_sns_topic_subscription: "the first 1,000 e-mail notifications a month are free",
  aws_ssm_parameter: "standard parameters are free",
  aws_subnet: "no charge",
  aws_vpc: "no charge",
  aws_vpc_peering_connection: "no charge (data transfer aside)",
  aws_vpc_security_group_egress_rule: "security groups are free",
  aws_vpc_security_group_ingress_rule: "security groups are free",
  aws_wafv2_web_acl_association: "priced with its web ACL",
  aws_wafv2_web_acl_logging_configuration: "priced through its log group",
  cloudflare_dns_record: "Cloudflare, not AWS",
};

export interface CostLine {
  readonly address: string;
  readonly type: string;
  readonly monthlyUsd: number;
  /** How the figure was made, e.g. "730 h x $0.052". */
  readonly detail: string;
}

export interface StackEstimate {
  readonly stack: string;
  readonly monthlyUsd: number;
  readonly lines: readonly CostLine[];
  /** Resources of types neither priced nor known to be free. */
  readonly unpriced: readonly { readonly address: string; readonly type: string; readonly reason: string }[];
  readonly priceDate: string;
}

type Resource = Record<string, unknown>;
interface StackJson {
  readonly resource?: Record<string, Record<string, Resource>>;
}

const money = (usd: number) => `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
const round2 = (usd: number) => Math.round(usd * 100) / 100;

/** `${aws_x.name.attr}` -> "aws_x.name" (the first reference in a string). */
function referencedAddress(value: unknown, type: string): string | undefined {
  if (typeof value !== "string") return undefined;
  const match = new RegExp(`\\$\\{${type}\\.([\\w-]+)\\.`).exec(value);
  return match ? `${type}.${match[1]}` : undefined;
}

function asArray<T>(value: unknown): T[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as T[];
}

/** Prices every resource of one synthesized stack. */
export function estimateStack(
  stack: string,
  json: StackJson,
  prices: PriceSnapshot,
  assumptions: UsageAssumptions = DEFAULT_ASSUMPTIONS,
): StackEstimate {
  const resources = json.resource ?? {};
  const all = (type: string) => Object.entries(resources[type] ?? {});
  const get = (address: string | undefined): Resource | undefined => {
    if (!address) return undefined;
    const [type, name] = address.split(".") as [string, string];
    return resources[type]?.[name];
  };
  const price = (key: string): number => {
    const entry = prices.prices[key];
    if (!entry) throw new Error(`no price "${key}" in the price list of ${prices.date}`);
    return entry.usd;
  };
  const hours = assumptions.hoursPerMonth;
  const lines: CostLine[] = [];
  const unpriced: { address: string; type: string; reason: string }[] = [];
  const add = (address: string, type: string, parts: readonly (readonly [string, number])[]) => {
    const monthlyUsd = parts.reduce((sum, [, usd]) => sum + usd, 0);
    lines.push({ address, type, monthlyUsd, detail: parts.map(([text]) => text).join(" + ") });
  };
  const perHour = (label: string, key: string, count = 1): readonly [string, number] => [
    `${count === 1 ? "" : `${count} x `}${hours} h x ${money(price(key))} ${label}`.trim(),
    count * hours * price(key),
  ];

  const natCount = all("aws_nat_gateway").length;
  const servicesPerCluster = new Map<string, number>();
  const tasksPerCluster = new Map<string, number>();
  for (const [, service] of all("aws_ecs_service")) {
    const cluster = referencedAddress(service["cluster"], "aws_ecs_cluster");
    if (!cluster) continue;
    servicesPerCluster.set(cluster, (servicesPerCluster.get(cluster) ?? 0) + 1);
    tasksPerCluster.set(cluster, (tasksPerCluster.get(cluster) ?? 0) + Number(service["desired_count"] ?? 0));
  }

  for (const [type, byName] of Object.entries(resources)) {
    for (const [name, r] of Object.entries(byName)) {
      const address = `${type}.${name}`;
      switch (type) {
        case "aws_ecs_service": {
          const task = get(referencedAddress(r["task_definition"], "aws_ecs_task_definition"));
          if (!task) {
            unpriced.push({ address, type, reason: "its task definition is not in this stack" });
            break;
          }
          const count = Number(r["desired_count"] ?? 0);
          const vcpu = Number(task["cpu"]) / 1024;
          const gb = Number(task["memory"]) / 1024;
          const arch = (task["runtime_platform"] as { cpu_architecture?: string } | undefined)?.cpu_architecture === "ARM64" ? "arm" : "x86";
          const shares = capacityShares(r, count, (clusterRef) => {
            const providers = all("aws_ecs_cluster_capacity_providers").find(
              ([, p]) => referencedAddress(p["cluster_name"], "aws_ecs_cluster") === clusterRef,
            )?.[1];
            return asArray<{ capacity_provider: string; weight?: number; base?: number }>(providers?.["default_capacity_provider_strategy"]);
          });
          const parts: [string, number][] = [];
          for (const [provider, tasks] of shares) {
            if (tasks === 0) continue;
            const family = provider === "FARGATE_SPOT" ? "fargate-spot" : "fargate";
            const taskHour = vcpu * price(`${family}.${arch}.vcpu-hour`) + gb * price(`${family}.${arch}.gb-hour`);
            parts.push([`${round2(tasks)} ${family} ${arch} task(s) of ${vcpu} vCPU/${gb} GB x ${hours} h x ${money(taskHour)}`, tasks * hours * taskHour]);
          }
          const extraStorage = Math.max(0, Number((task["ephemeral_storage"] as { size_in_gib?: number } | undefined)?.size_in_gib ?? 20) - 20);
          if (extraStorage > 0) {
            parts.push([`${count} x ${extraStorage} GB extra ephemeral storage`, count * extraStorage * hours * price("fargate.ephemeral-storage.gb-hour")]);
          }
          if (asArray(r["service_registries"]).length > 0 && count > 0) {
            parts.push([`${count} Cloud Map instance(s) x ${money(price("cloudmap.instance.month"))}`, count * price("cloudmap.instance.month")]);
          }
          add(address, type, parts.length > 0 ? parts : [["0 tasks", 0]]);
          break;
        }
        case "aws_ecs_cluster": {
          const setting = asArray<{ name: string; value: string }>(r["setting"]).find((s) => s.name === "containerInsights")?.value ?? "disabled";
          if (setting === "disabled") {
            add(address, type, [["Container Insights off", 0]]);
          } else if (setting === "enabled" || setting === "enhanced") {
            const m = assumptions.containerInsightsMetrics;
            const services = servicesPerCluster.get(address) ?? 0;
            const tasks = setting === "enhanced" ? (tasksPerCluster.get(address) ?? 0) : 0;
            const metrics = m.perCluster + services * m.perService + tasks * m.perTaskEnhanced;
            add(address, type, [[`Container Insights (${setting}): ${metrics} metrics x ${money(price("cloudwatch.metric.month"))}`, metrics * price("cloudwatch.metric.month")]]);
          } else {
            unpriced.push({ address, type, reason: `Container Insights level "${setting}" is not modelled` });
          }
          break;
        }
        case "aws_instance": {
          const instanceType = String(r["instance_type"]);
          if (!prices.prices[`ec2.${instanceType}.hour`]) {
            unpriced.push({ address, type, reason: `no price for instance type ${instanceType}` });
            break;
          }
          const parts: (readonly [string, number])[] = [perHour(instanceType, `ec2.${instanceType}.hour`)];
          const root = r["root_block_device"] as { volume_size?: number; volume_type?: string } | undefined;
          const rootGb = Number(root?.volume_size ?? 8);
          parts.push([`${rootGb} GB gp3 root volume`, rootGb * price("ebs.gp3.gb-month")]);
          if (r["monitoring"] === true) {
            const metrics = assumptions.detailedMonitoringMetricsPerInstance;
            parts.push([`detailed monitoring ${metrics} metrics`, metrics * price("ec2.detailed-monitoring.metric-month")]);
          }
          if (r["associate_public_ip_address"] === true) parts.push(perHour("public IPv4", "public-ipv4.hour"));
          add(address, type, parts);
          break;
        }
        case "aws_ebs_volume": {
          if ((r["type"] ?? "gp3") !== "gp3") {
            unpriced.push({ address, type, reason: `volume type ${String(r["type"])} is not modelled` });
            break;
          }
          const size = Number(r["size"]);
          const iops = Math.max(0, Number(r["iops"] ?? 3000) - 3000);
          const throughput = Math.max(0, Number(r["throughput"] ?? 125) - 125);
          const parts: [string, number][] = [[`${size} GB gp3 x ${money(price("ebs.gp3.gb-month"))}`, size * price("ebs.gp3.gb-month")]];
          if (iops > 0) parts.push([`${iops} IOPS above 3000`, iops * price("ebs.gp3.iops-month")]);
          if (throughput > 0) parts.push([`${throughput} MiB/s above 125`, throughput * price("ebs.gp3.mibps-month")]);
          const snapshotted = all("aws_dlm_lifecycle_policy").some(([, policy]) => targetsVolume(policy, r));
          if (snapshotted) {
            const gb = size * assumptions.snapshotShareOfVolume;
            parts.push([`${round2(gb)} GB of snapshots`, gb * price("ebs.snapshot.gb-month")]);
          }
          add(address, type, parts);
          break;
        }
        case "aws_nat_gateway":
          add(address, type, [
            perHour("NAT gateway", "nat-gateway.hour"),
            [`${round2(assumptions.natGbPerMonth / natCount)} GB processed`, (assumptions.natGbPerMonth / natCount) * price("nat-gateway.gb")],
          ]);
          break;
        case "aws_eip":
          add(address, type, [perHour("public IPv4", "public-ipv4.hour")]);
          break;
        case "aws_lb": {
          if ((r["load_balancer_type"] ?? "application") !== "application") {
            unpriced.push({ address, type, reason: `load balancer type ${String(r["load_balancer_type"])} is not modelled` });
            break;
          }
          const parts: (readonly [string, number])[] = [
            perHour("ALB", "alb.hour"),
            [`${assumptions.albLcuPerHour} LCU x ${hours} h x ${money(price("alb.lcu-hour"))}`, assumptions.albLcuPerHour * hours * price("alb.lcu-hour")],
          ];
          // An internet-facing ALB holds one public IPv4 address in each of its subnets.
          if (r["internal"] !== true) {
            const zones = Math.max(asArray(r["subnets"]).length, asArray(r["subnet_mapping"]).length);
            parts.push(perHour("public IPv4", "public-ipv4.hour", zones));
          }
          add(address, type, parts);
          break;
        }
        case "aws_vpc_endpoint": {
          if ((r["vpc_endpoint_type"] ?? "Gateway") === "Gateway") {
            add(address, type, [["gateway endpoint, free", 0]]);
          } else {
            add(address, type, [perHour("interface endpoint", "vpc-endpoint.interface.hour", Math.max(1, asArray(r["subnet_ids"]).length))]);
          }
          break;
        }
        case "aws_cloudwatch_log_group": {
          const ingest = assumptions.logGbPerGroupPerMonth;
          const retentionMonths = Math.min(Number(r["retention_in_days"] ?? 0) / 30 || 12, 12);
          const stored = ingest * assumptions.logStorageRatio * retentionMonths;
          add(address, type, [
            [`${ingest} GB ingested x ${money(price("logs.ingest.gb"))}`, ingest * price("logs.ingest.gb")],
            [`${round2(stored)} GB stored`, stored * price("logs.storage.gb-month")],
          ]);
          break;
        }
        case "aws_cloudwatch_metric_alarm": {
          const queries = asArray<{ metric?: unknown }>(r["metric_query"]).filter((q) => q.metric !== undefined).length;
          const metrics = Math.max(1, queries);
          add(address, type, [[`${metrics} alarm metric(s) x ${money(price("cloudwatch.alarm.month"))}`, metrics * price("cloudwatch.alarm.month")]]);
          break;
        }
        case "aws_cloudwatch_log_metric_filter": {
          const metrics = asArray(r["metric_transformation"]).length;
          add(address, type, [[`${metrics} custom metric(s)`, metrics * price("cloudwatch.metric.month")]]);
          break;
        }
        case "aws_kms_key":
          add(address, type, [["1 key", price("kms.key.month")]]);
          break;
        case "aws_secretsmanager_secret":
          add(address, type, [["1 secret", price("secretsmanager.secret.month")]]);
          break;
        case "aws_efs_file_system": {
          const gb = assumptions.efsGbPerFileSystem;
          const backedUp = all("aws_efs_backup_policy").some(
            ([, policy]) =>
              referencedAddress(policy["file_system_id"], "aws_efs_file_system") === address &&
              (policy["backup_policy"] as { status?: string } | undefined)?.status === "ENABLED",
          );
          const parts: [string, number][] = [[`${gb} GB standard`, gb * price("efs.standard.gb-month")]];
          if (backedUp) parts.push([`${gb} GB backup`, gb * price("backup.efs-warm.gb-month")]);
          add(address, type, parts);
          break;
        }
        case "aws_s3_bucket":
          add(address, type, [[`${assumptions.s3GbPerBucket} GB standard`, assumptions.s3GbPerBucket * price("s3.standard.gb-month")]]);
          break;
        case "aws_ecr_repository":
          add(address, type, [[`${assumptions.ecrGbPerRepository} GB of images`, assumptions.ecrGbPerRepository * price("ecr.storage.gb-month")]]);
          break;
        case "aws_service_discovery_private_dns_namespace":
          add(address, type, [["its Route 53 private hosted zone", price("route53.hosted-zone.month")]]);
          break;
        case "aws_service_discovery_instance":
          add(address, type, [["1 registered instance", price("cloudmap.instance.month")]]);
          break;
        case "aws_wafv2_web_acl": {
          const rules = asArray(r["rule"]).length;
          add(address, type, [
            ["1 web ACL", price("waf.web-acl.month")],
            [`${rules} rule(s)`, rules * price("waf.rule.month")],
            [`${assumptions.wafMillionRequestsPerMonth} million requests`, assumptions.wafMillionRequestsPerMonth * price("waf.million-requests")],
          ]);
          break;
        }
        default:
          if (!(type in FREE_TYPES)) unpriced.push({ address, type, reason: "resource type not modelled" });
      }
    }
  }
  const monthlyUsd = round2(lines.reduce((sum, l) => sum + l.monthlyUsd, 0));
  return { stack, monthlyUsd, lines, unpriced, priceDate: prices.date };
}

/**
 * How many of a service's tasks run on each capacity provider: its own strategy, else its
 * launch type, else the cluster's default strategy. `base` tasks first, the rest by weight.
 */
export function capacityShares(
  service: Resource,
  count: number,
  clusterDefault: (clusterAddress: string | undefined) => readonly { capacity_provider: string; weight?: number; base?: number }[],
): Map<string, number> {
  let strategy = asArray<{ capacity_provider: string; weight?: number; base?: number }>(service["capacity_provider_strategy"]);
  if (strategy.length === 0 && typeof service["launch_type"] === "string") strategy = [{ capacity_provider: String(service["launch_type"]), weight: 1 }];
  if (strategy.length === 0) strategy = [...clusterDefault(referencedAddress(service["cluster"], "aws_ecs_cluster"))];
  if (strategy.length === 0) strategy = [{ capacity_provider: "FARGATE", weight: 1 }];
  const shares = new Map<string, number>();
  let left = count;
  for (const s of strategy) {
    const base = Math.min(left, s.base ?? 0);
    if (base > 0) shares.set(s.capacity_provider, (shares.get(s.capacity_provider) ?? 0) + base);
    left -= base;
  }
  const weights = strategy.reduce((sum, s) => sum + (s.weight ?? 0), 0);
  for (const s of strategy) {
    const share = weights > 0 ? (left * (s.weight ?? 0)) / weights : 0;
    shares.set(s.capacity_provider, (shares.get(s.capacity_provider) ?? 0) + share);
  }
  return shares;
}

/** DLM ORs its target tags: a volume is targeted when any one of them matches its tags. */
function targetsVolume(policy: Resource, volume: Resource): boolean {
  const details = asArray<{ target_tags?: Record<string, string> }>(policy["policy_details"])[0];
  const tags = { ...((volume["tags"] as Record<string, string> | undefined) ?? {}) };
  return Object.entries(details?.target_tags ?? {}).some(([key, value]) => tags[key] === value);
}

/** Totals by resource type, largest first. */
export function byType(estimate: StackEstimate): { type: string; count: number; monthlyUsd: number }[] {
  const totals = new Map<string, { count: number; monthlyUsd: number }>();
  for (const line of estimate.lines) {
    const t = totals.get(line.type) ?? { count: 0, monthlyUsd: 0 };
    totals.set(line.type, { count: t.count + 1, monthlyUsd: t.monthlyUsd + line.monthlyUsd });
  }
  return [...totals]
    .map(([type, t]) => ({ type, count: t.count, monthlyUsd: round2(t.monthlyUsd) }))
    .filter((t) => t.monthlyUsd > 0)
    .sort((a, b) => b.monthlyUsd - a.monthlyUsd || a.type.localeCompare(b.type));
}

const signed = (usd: number) => `${usd > 0 ? "+" : usd < 0 ? "-" : "±"}$${Math.abs(usd).toFixed(2)}`;

/** Plain text, one block per stack (the terminal). */
export function formatText(estimates: readonly StackEstimate[], baseline?: ReadonlyMap<string, number>): string {
  const out: string[] = [];
  for (const e of estimates) {
    const before = baseline?.get(e.stack);
    const change = baseline ? (before === undefined ? " (new stack)" : ` (${signed(round2(e.monthlyUsd - before))} against the baseline)`) : "";
    out.push(`${e.stack}: $${e.monthlyUsd.toFixed(2)} a month${change}, prices of ${e.priceDate}`);
    for (const t of byType(e)) out.push(`  ${t.type.padEnd(40)} ${String(t.count).padStart(3)}  $${t.monthlyUsd.toFixed(2).padStart(8)}`);
    for (const u of e.unpriced) out.push(`  NOT PRICED ${u.address}: ${u.reason}`);
  }
  return out.join("\n");
}

/** The pull-request comment's section: a table of stacks with their change, then the detail. */
export function formatMarkdown(estimates: readonly StackEstimate[], baseline?: ReadonlyMap<string, number>): string {
  const rows = estimates.map((e) => {
    const before = baseline?.get(e.stack);
    const change = !baseline ? "" : before === undefined ? " | new" : ` | ${signed(round2(e.monthlyUsd - before))}`;
    return `| \`${e.stack}\` | $${e.monthlyUsd.toFixed(2)}${change} |`;
  });
  const header = baseline ? "| Stack | Monthly estimate | Change against main |\n|---|---:|---:|" : "| Stack | Monthly estimate |\n|---|---:|";
  const details = estimates.map((e) => {
    const types = byType(e).map((t) => `| ${t.type} | ${t.count} | $${t.monthlyUsd.toFixed(2)} |`);
    const unpriced = e.unpriced.length > 0 ? `\n\nNot priced: ${e.unpriced.map((u) => `\`${u.address}\` (${u.reason})`).join(", ")}` : "";
    return `<details><summary>${e.stack}: by resource type</summary>\n\n| Type | Count | Monthly |\n|---|---:|---:|\n${types.join("\n")}${unpriced}\n\n</details>`;
  });
  const date = estimates[0]?.priceDate ?? "";
  return [
    "### Estimated monthly cost",
    "",
    header,
    ...rows,
    "",
    `List prices of eu-central-1 (${date}), always on, light traffic (the assumptions in scripts/lib/cost-estimate.ts).`,
    "",
    ...details,
  ].join("\n");
}
