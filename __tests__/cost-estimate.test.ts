/**
 * COST-3: how each priced resource type is costed (scripts/lib/cost-estimate.ts), one small stack per
 * type, with round prices so that every figure and every line of detail can be worked out by hand.
 * 730 hours a month; the default assumptions (20 GB through NAT, 1 LCU, 2 GB of logs per group
 * stored at 0.15 of their size, 1 GB per EFS file system and S3 bucket, 2 GB per ECR repository,
 * snapshots 0.2 of the volume, 1 million WAF requests, Container Insights 13 + 25 per service + 22
 * per task when enhanced, 7 detailed-monitoring metrics).
 */
import { describe, expect, it } from "vitest";
import { byType, estimateStack, formatMarkdown, formatText, type StackEstimate } from "../scripts/lib/cost-estimate";
import type { PriceSnapshot } from "../scripts/lib/prices";

const PRICES: PriceSnapshot = {
  region: "eu-central-1",
  currency: "USD",
  date: "2026-11-29",
  prices: Object.fromEntries(
    Object.entries({
      "fargate.x86.vcpu-hour": 0.04,
      "fargate.x86.gb-hour": 0.005,
      "fargate-spot.x86.vcpu-hour": 0.01,
      "fargate-spot.x86.gb-hour": 0.001,
      "fargate.ephemeral-storage.gb-hour": 0.0001,
      "cloudmap.instance.month": 0.1,
      "cloudwatch.metric.month": 0.3,
      "ec2.t4g.micro.hour": 0.01,
      "ebs.gp3.gb-month": 0.1,
      "ebs.gp3.iops-month": 0.006,
      "ebs.gp3.mibps-month": 0.05,
      "ebs.snapshot.gb-month": 0.05,
      "ec2.detailed-monitoring.metric-month": 0.3,
      "public-ipv4.hour": 0.005,
      "nat-gateway.hour": 0.05,
      "nat-gateway.gb": 0.05,
      "alb.hour": 0.03,
      "alb.lcu-hour": 0.008,
      "vpc-endpoint.interface.hour": 0.01,
      "logs.ingest.gb": 0.6,
      "logs.storage.gb-month": 0.03,
      "cloudwatch.alarm.month": 0.1,
      "kms.key.month": 1,
      "secretsmanager.secret.month": 0.4,
      "efs.standard.gb-month": 0.36,
      "backup.efs-warm.gb-month": 0.06,
      "s3.standard.gb-month": 0.025,
      "ecr.storage.gb-month": 0.1,
      "route53.hosted-zone.month": 0.5,
      "waf.web-acl.month": 5,
      "waf.rule.month": 2,
      "waf.million-requests": 0.6,
    }).map(([key, usd]) => [key, { usd, unit: "-", source: "test" }]),
  ),
};

type Resources = Record<string, Record<string, Record<string, unknown>>>;
const estimate = (resource: Resources) => estimateStack("s", { resource }, PRICES);
/** The one line of an address: its monthly figure (to the cent and beyond) and its detail. */
const line = (e: StackEstimate, address: string) => {
  const l = e.lines.find((x) => x.address === address);
  if (!l) throw new Error(`no line for ${address}: ${JSON.stringify(e)}`);
  return l;
};
const task = (extra: Record<string, unknown> = {}) => ({ cpu: "1024", memory: "2048", ...extra });

describe("COST-3: Fargate services", () => {
  it("x86 on-demand tasks, and the ephemeral storage above the free 20 GB", () => {
    const e = estimate({
      aws_ecs_task_definition: { t: task({ ephemeral_storage: { size_in_gib: 30 } }) },
      aws_ecs_service: { svc: { task_definition: "${aws_ecs_task_definition.t.arn}", desired_count: 2, launch_type: "FARGATE" } },
    });
    // task-hour: 1 vCPU x 0.04 + 2 GB x 0.005 = 0.05; 2 x 730 x 0.05 = 73; storage: 2 x 10 GB x 730 h x 0.0001 = 1.46
    expect(line(e, "aws_ecs_service.svc")).toEqual({
      address: "aws_ecs_service.svc",
      type: "aws_ecs_service",
      monthlyUsd: expect.closeTo(74.46, 6),
      detail: "2 fargate x86 task(s) of 1 vCPU/2 GB x 730 h x $0.0500 + 2 x 10 GB extra ephemeral storage",
    });
    expect(e.monthlyUsd).toBe(74.46);
  });

  it("Spot tasks at Spot prices, split by weight; 20 GB of ephemeral storage costs nothing extra", () => {
    const e = estimate({
      aws_ecs_task_definition: { t: task({ ephemeral_storage: { size_in_gib: 20 } }) },
      aws_ecs_service: {
        svc: {
          task_definition: "${aws_ecs_task_definition.t.arn}",
          desired_count: 3,
          capacity_provider_strategy: [
            { capacity_provider: "FARGATE", weight: 1 },
            { capacity_provider: "FARGATE_SPOT", weight: 2 },
          ],
        },
      },
    });
    // on-demand 1 x 730 x 0.05 = 36.5; Spot: 1 x 0.01 + 2 x 0.001 = 0.012 a task-hour, 2 x 730 x 0.012 = 17.52
    expect(line(e, "aws_ecs_service.svc").detail).toBe(
      "1 fargate x86 task(s) of 1 vCPU/2 GB x 730 h x $0.0500 + 2 fargate-spot x86 task(s) of 1 vCPU/2 GB x 730 h x $0.0120",
    );
    expect(line(e, "aws_ecs_service.svc").monthlyUsd).toBeCloseTo(54.02, 6);
  });

  it("a service without a strategy or launch type runs on its cluster's default capacity provider strategy", () => {
    const e = estimate({
      aws_ecs_cluster: { c: {}, other: {} },
      aws_ecs_cluster_capacity_providers: {
        theirs: { cluster_name: "${aws_ecs_cluster.other.name}", default_capacity_provider_strategy: [{ capacity_provider: "FARGATE", weight: 1 }] },
        mine: { cluster_name: "${aws_ecs_cluster.c.name}", default_capacity_provider_strategy: [{ capacity_provider: "FARGATE_SPOT", weight: 1 }] },
      },
      aws_ecs_task_definition: { t: task() },
      aws_ecs_service: { svc: { cluster: "${aws_ecs_cluster.c.arn}", task_definition: "${aws_ecs_task_definition.t.arn}", desired_count: 1 } },
    });
    expect(line(e, "aws_ecs_service.svc").detail).toBe("1 fargate-spot x86 task(s) of 1 vCPU/2 GB x 730 h x $0.0120");
  });

  it("a running service registered in Cloud Map pays an instance per task; a task definition the stack lacks leaves it unpriced", () => {
    const e = estimate({
      aws_ecs_task_definition: { t: task() },
      aws_ecs_service: {
        svc: { task_definition: "${aws_ecs_task_definition.t.arn}", desired_count: 2, launch_type: "FARGATE", service_registries: { registry_arn: "x" } },
        orphan: { task_definition: "${aws_ecs_task_definition.gone.arn}", desired_count: 1 },
      },
    });
    expect(line(e, "aws_ecs_service.svc")).toMatchObject({
      monthlyUsd: expect.closeTo(73.2, 6),
      detail: "2 fargate x86 task(s) of 1 vCPU/2 GB x 730 h x $0.0500 + 2 Cloud Map instance(s) x $0.1000",
    });
    expect(e.unpriced).toEqual([{ address: "aws_ecs_service.orphan", type: "aws_ecs_service", reason: "its task definition is not in this stack" }]);
    const none = estimateStack("s", { resource: { aws_ecs_service: { svc: { task_definition: "${aws_ecs_task_definition.t.arn}" } } } }, PRICES);
    expect(none.unpriced.map((u) => u.reason)).toEqual(["its task definition is not in this stack"]);
  });

  it("a service scaled to zero costs nothing, Cloud Map included", () => {
    const e = estimate({
      aws_ecs_task_definition: { t: task() },
      aws_ecs_service: { svc: { task_definition: "${aws_ecs_task_definition.t.arn}", service_registries: [{ registry_arn: "x" }] } },
    });
    expect(line(e, "aws_ecs_service.svc")).toMatchObject({ monthlyUsd: 0, detail: "0 tasks" });
  });

  it("a task-hour of a dollar or more is shown to the cent", () => {
    const e = estimate({
      aws_ecs_task_definition: { t: task({ cpu: "16384", memory: "122880" }) },
      aws_ecs_service: { svc: { task_definition: "${aws_ecs_task_definition.t.arn}", desired_count: 1 } },
    });
    // 16 x 0.04 + 120 x 0.005 = 1.24
    expect(line(e, "aws_ecs_service.svc").detail).toBe("1 fargate x86 task(s) of 16 vCPU/120 GB x 730 h x $1.24");
  });
});

describe("COST-3: Container Insights, billed as custom metrics", () => {
  const withCluster = (value: string | undefined, tasks = 0) => ({
    aws_ecs_cluster: { c: value === undefined ? {} : { setting: [{ name: "containerInsights", value }] } },
    aws_ecs_task_definition: { t: task() },
    aws_ecs_service: {
      a: { cluster: "${aws_ecs_cluster.c.arn}", task_definition: "${aws_ecs_task_definition.t.arn}", desired_count: tasks },
      b: { cluster: "${aws_ecs_cluster.c.arn}", task_definition: "${aws_ecs_task_definition.t.arn}", desired_count: 1 },
      elsewhere: { cluster: "${aws_ecs_cluster.other.arn}", task_definition: "${aws_ecs_task_definition.t.arn}", desired_count: 5 },
      unattached: { task_definition: "${aws_ecs_task_definition.t.arn}", desired_count: 5 },
    },
  });

  it("the containerInsights setting is found among the cluster's other settings", () => {
    const e = estimate({ aws_ecs_cluster: { c: { setting: [{ name: "other", value: "enhanced" }, { name: "containerInsights", value: "disabled" }] } } });
    expect(line(e, "aws_ecs_cluster.c").detail).toBe("Container Insights off");
  });

  it("off (the default, and staging's setting) costs nothing", () => {
    expect(line(estimate(withCluster(undefined)), "aws_ecs_cluster.c")).toMatchObject({ monthlyUsd: 0, detail: "Container Insights off" });
    expect(line(estimate(withCluster("disabled")), "aws_ecs_cluster.c")).toMatchObject({ monthlyUsd: 0, detail: "Container Insights off" });
  });

  it("enabled: 13 cluster metrics and 25 per service of the cluster", () => {
    // 13 + 2 x 25 = 63 metrics x 0.3
    expect(line(estimate(withCluster("enabled", 4)), "aws_ecs_cluster.c")).toMatchObject({
      monthlyUsd: expect.closeTo(18.9, 6),
      detail: "Container Insights (enabled): 63 metrics x $0.3000",
    });
  });

  it("enhanced: and 22 per running task of the cluster", () => {
    // 13 + 2 x 25 + (4 + 1) x 22 = 173 metrics x 0.3
    expect(line(estimate(withCluster("enhanced", 4)), "aws_ecs_cluster.c")).toMatchObject({
      monthlyUsd: expect.closeTo(51.9, 6),
      detail: "Container Insights (enhanced): 173 metrics x $0.3000",
    });
  });

  it("a unit price of a dollar or more is shown to the cent, under a dollar to the hundredth of a cent", () => {
    const dollar = { ...PRICES, prices: { ...PRICES.prices, "cloudwatch.metric.month": { usd: 1, unit: "-", source: "test" } } };
    const e = estimateStack("s", { resource: withCluster("enabled") }, dollar);
    expect(line(e, "aws_ecs_cluster.c").detail).toBe("Container Insights (enabled): 63 metrics x $1.00");
  });

  it("a level it does not know is unpriced, with the level", () => {
    const e = estimate(withCluster("verbose"));
    expect(e.unpriced).toEqual([{ address: "aws_ecs_cluster.c", type: "aws_ecs_cluster", reason: 'Container Insights level "verbose" is not modelled' }]);
  });
});

describe("COST-3: EC2 and EBS", () => {
  it("an instance: its hours, an 8 GB root volume by default, detailed monitoring and a public address when it has them", () => {
    const e = estimate({ aws_instance: { i: { instance_type: "t4g.micro", monitoring: true, associate_public_ip_address: true } } });
    // 730 x 0.01 = 7.3; 8 x 0.1 = 0.8; 7 x 0.3 = 2.1; 730 x 0.005 = 3.65
    expect(line(e, "aws_instance.i")).toMatchObject({
      monthlyUsd: expect.closeTo(13.85, 6),
      detail: "730 h x $0.0100 t4g.micro + 8 GB gp3 root volume + detailed monitoring 7 metrics + 730 h x $0.0050 public IPv4",
    });
    const plain = estimate({ aws_instance: { i: { instance_type: "t4g.micro", root_block_device: { volume_size: 30 } } } });
    expect(line(plain, "aws_instance.i")).toMatchObject({ monthlyUsd: expect.closeTo(10.3, 6), detail: "730 h x $0.0100 t4g.micro + 30 GB gp3 root volume" });
  });

  it("a gp3 volume (the default type): its size, the IOPS above 3000 and the throughput above 125 MiB/s", () => {
    const e = estimate({ aws_ebs_volume: { v: { size: 100, iops: 4000, throughput: 250 }, base: { size: 100, iops: 3000, throughput: 125 } } });
    // 100 x 0.1 = 10; 1000 x 0.006 = 6; 125 x 0.05 = 6.25
    expect(line(e, "aws_ebs_volume.v")).toMatchObject({ monthlyUsd: expect.closeTo(22.25, 6), detail: "100 GB gp3 x $0.1000 + 1000 IOPS above 3000 + 125 MiB/s above 125" });
    expect(line(e, "aws_ebs_volume.base")).toMatchObject({ monthlyUsd: expect.closeTo(10, 6), detail: "100 GB gp3 x $0.1000" });
  });

  it("snapshots when any one of a DLM policy's target tags matches the volume (DLM ORs them)", () => {
    const e = estimate({
      aws_ebs_volume: { hit: { size: 10, type: "gp3", tags: { b: "y" } }, miss: { size: 10, tags: { b: "z" } }, bare: { size: 10 } },
      aws_dlm_lifecycle_policy: { empty: {}, d: { policy_details: [{ target_tags: { a: "x", b: "y" } }] } },
    });
    // 10 x 0.1 = 1; 10 x 0.2 = 2 GB x 0.05 = 0.1
    expect(line(e, "aws_ebs_volume.hit")).toMatchObject({ monthlyUsd: expect.closeTo(1.1, 6), detail: "10 GB gp3 x $0.1000 + 2 GB of snapshots" });
    expect(line(e, "aws_ebs_volume.miss").detail).toBe("10 GB gp3 x $0.1000");
    expect(line(e, "aws_ebs_volume.bare").detail).toBe("10 GB gp3 x $0.1000");
  });

  it("other volume types are unpriced, named", () => {
    expect(estimate({ aws_ebs_volume: { v: { size: 10, type: "io2" } } }).unpriced).toEqual([
      { address: "aws_ebs_volume.v", type: "aws_ebs_volume", reason: "volume type io2 is not modelled" },
    ]);
  });
});

describe("COST-3: networking", () => {
  it("NAT gateways share the stack's 20 GB; each pays its hours", () => {
    const e = estimate({ aws_nat_gateway: { a: {}, b: {} } });
    // 730 x 0.05 = 36.5; 10 GB x 0.05 = 0.5
    expect(line(e, "aws_nat_gateway.a")).toMatchObject({ monthlyUsd: expect.closeTo(37, 6), detail: "730 h x $0.0500 NAT gateway + 10 GB processed" });
    expect(line(e, "aws_nat_gateway.b").monthlyUsd).toBeCloseTo(37, 6);
  });

  it("an Elastic IP: a public IPv4 address's hours", () => {
    expect(line(estimate({ aws_eip: { e: {} } }), "aws_eip.e")).toMatchObject({ monthlyUsd: expect.closeTo(3.65, 6), detail: "730 h x $0.0050 public IPv4" });
  });

  it("an ALB: hours and 1 LCU; internet-facing, a public address per subnet; internal, none", () => {
    const e = estimate({
      aws_lb: {
        internal: { internal: true, subnets: ["a", "b"] },
        public: { subnet_mapping: [{ subnet_id: "a" }, { subnet_id: "b" }, { subnet_id: "c" }] },
      },
    });
    // 730 x 0.03 = 21.9; 730 x 0.008 = 5.84; 3 x 730 x 0.005 = 10.95
    expect(line(e, "aws_lb.internal")).toMatchObject({ monthlyUsd: expect.closeTo(27.74, 6), detail: "730 h x $0.0300 ALB + 1 LCU x 730 h x $0.0080" });
    expect(line(e, "aws_lb.public")).toMatchObject({
      monthlyUsd: expect.closeTo(38.69, 6),
      detail: "730 h x $0.0300 ALB + 1 LCU x 730 h x $0.0080 + 3 x 730 h x $0.0050 public IPv4",
    });
    expect(estimate({ aws_lb: { nlb: { load_balancer_type: "network" } } }).unpriced).toEqual([
      { address: "aws_lb.nlb", type: "aws_lb", reason: "load balancer type network is not modelled" },
    ]);
  });

  it("VPC endpoints: gateway endpoints are free; an interface endpoint pays per subnet, at least one", () => {
    const e = estimate({
      aws_vpc_endpoint: { s3: {}, gw: { vpc_endpoint_type: "Gateway" }, two: { vpc_endpoint_type: "Interface", subnet_ids: ["a", "b"] }, none: { vpc_endpoint_type: "Interface" } },
    });
    expect(line(e, "aws_vpc_endpoint.s3")).toMatchObject({ monthlyUsd: 0, detail: "gateway endpoint, free" });
    expect(line(e, "aws_vpc_endpoint.gw")).toMatchObject({ monthlyUsd: 0, detail: "gateway endpoint, free" });
    expect(line(e, "aws_vpc_endpoint.two")).toMatchObject({ monthlyUsd: expect.closeTo(14.6, 6), detail: "2 x 730 h x $0.0100 interface endpoint" });
    expect(line(e, "aws_vpc_endpoint.none")).toMatchObject({ monthlyUsd: expect.closeTo(7.3, 6), detail: "730 h x $0.0100 interface endpoint" });
  });
});

describe("COST-3: logs, metrics and alarms", () => {
  it("a log group stores its retention's worth of logs, at most a year; no retention (never expire) is a year", () => {
    const e = estimate({ aws_cloudwatch_log_group: { year: { retention_in_days: 365 }, forever: {}, two: { retention_in_days: 60 } } });
    // ingest 2 x 0.6 = 1.2; stored 2 x 0.15 x 12 = 3.6 GB x 0.03 = 0.108; 60 days: 0.6 GB x 0.03 = 0.018
    expect(line(e, "aws_cloudwatch_log_group.year")).toMatchObject({ monthlyUsd: expect.closeTo(1.308, 6), detail: "2 GB ingested x $0.6000 + 3.6 GB stored" });
    expect(line(e, "aws_cloudwatch_log_group.forever")).toMatchObject({ monthlyUsd: expect.closeTo(1.308, 6), detail: "2 GB ingested x $0.6000 + 3.6 GB stored" });
    expect(line(e, "aws_cloudwatch_log_group.two")).toMatchObject({ monthlyUsd: expect.closeTo(1.218, 6), detail: "2 GB ingested x $0.6000 + 0.6 GB stored" });
  });

  it("an alarm pays per metric it reads: one, or each metric of its metric queries (expressions are free)", () => {
    const e = estimate({
      aws_cloudwatch_metric_alarm: {
        simple: { metric_name: "CPUUtilization" },
        math: { metric_query: [{ id: "a", metric: { metric_name: "x" } }, { id: "b", metric: { metric_name: "y" } }, { id: "e", expression: "a+b" }] },
      },
    });
    expect(line(e, "aws_cloudwatch_metric_alarm.simple")).toMatchObject({ monthlyUsd: expect.closeTo(0.1, 6), detail: "1 alarm metric(s) x $0.1000" });
    expect(line(e, "aws_cloudwatch_metric_alarm.math")).toMatchObject({ monthlyUsd: expect.closeTo(0.2, 6), detail: "2 alarm metric(s) x $0.1000" });
  });

  it("a metric filter publishes one custom metric per transformation", () => {
    const e = estimate({ aws_cloudwatch_log_metric_filter: { f: { metric_transformation: { name: "x", namespace: "y", value: "1" } } } });
    expect(line(e, "aws_cloudwatch_log_metric_filter.f")).toMatchObject({ monthlyUsd: expect.closeTo(0.3, 6), detail: "1 custom metric(s)" });
  });
});

describe("COST-3: storage, keys, secrets, discovery and WAF", () => {
  it("one price each: a KMS key, a secret, an S3 bucket's GB, an ECR repository's GB, a namespace's hosted zone, a registered instance", () => {
    const e = estimate({
      aws_kms_key: { k: {} },
      aws_secretsmanager_secret: { s: {} },
      aws_s3_bucket: { b: {} },
      aws_ecr_repository: { r: {} },
      aws_service_discovery_private_dns_namespace: { n: {} },
      aws_service_discovery_instance: { i: {} },
    });
    expect(e.lines.map((l) => [l.address, l.detail, Number(l.monthlyUsd.toFixed(6))])).toEqual([
      ["aws_kms_key.k", "1 key", 1],
      ["aws_secretsmanager_secret.s", "1 secret", 0.4],
      ["aws_s3_bucket.b", "1 GB standard", 0.025],
      ["aws_ecr_repository.r", "2 GB of images", 0.2],
      ["aws_service_discovery_private_dns_namespace.n", "its Route 53 private hosted zone", 0.5],
      ["aws_service_discovery_instance.i", "1 registered instance", 0.1],
    ]);
    expect(e.monthlyUsd).toBe(2.23);
  });

  it("an EFS file system, and its backup when a backup policy of that file system is ENABLED", () => {
    const e = estimate({
      aws_efs_file_system: { backed: {}, disabled: {}, plain: {}, blockless: {} },
      aws_efs_backup_policy: {
        empty: { file_system_id: "${aws_efs_file_system.blockless.id}" },
        on: { file_system_id: "${aws_efs_file_system.backed.id}", backup_policy: { status: "ENABLED" } },
        off: { file_system_id: "${aws_efs_file_system.disabled.id}", backup_policy: { status: "DISABLED" } },
      },
    });
    expect(line(e, "aws_efs_file_system.backed")).toMatchObject({ monthlyUsd: expect.closeTo(0.42, 6), detail: "1 GB standard + 1 GB backup" });
    expect(line(e, "aws_efs_file_system.disabled")).toMatchObject({ monthlyUsd: expect.closeTo(0.36, 6), detail: "1 GB standard" });
    expect(line(e, "aws_efs_file_system.plain").detail).toBe("1 GB standard");
    expect(line(e, "aws_efs_file_system.blockless").detail).toBe("1 GB standard");
  });

  it("a web ACL: itself, each rule, and a million requests", () => {
    const e = estimate({ aws_wafv2_web_acl: { w: { rule: [{ name: "a" }, { name: "b" }, { name: "c" }] } } });
    // 5 + 3 x 2 + 1 x 0.6
    expect(line(e, "aws_wafv2_web_acl.w")).toMatchObject({ monthlyUsd: expect.closeTo(11.6, 6), detail: "1 web ACL + 3 rule(s) + 1 million requests" });
  });

  it("a price the snapshot lacks is an error naming it and the snapshot's date", () => {
    const { ["kms.key.month"]: _k, ...rest } = PRICES.prices;
    expect(() => estimateStack("s", { resource: { aws_kms_key: { k: {} } } }, { ...PRICES, prices: rest })).toThrow(
      'no price "kms.key.month" in the price list of 2026-11-29',
    );
  });
});

describe("COST-3: the report", () => {
  const e = estimate({
    aws_kms_key: { a: {}, b: {} },
    aws_secretsmanager_secret: { s: {} },
    aws_eip: { e: {} },
    aws_vpc_endpoint: { gw: {} },
    aws_memorydb_cluster: { m: {} },
  });

  it("totals by type, largest first, free lines left out", () => {
    expect(byType(e)).toEqual([
      { type: "aws_eip", count: 1, monthlyUsd: 3.65 },
      { type: "aws_kms_key", count: 2, monthlyUsd: 2 },
      { type: "aws_secretsmanager_secret", count: 1, monthlyUsd: 0.4 },
    ]);
    const ordered = estimate({ aws_s3_bucket: { b: {} }, aws_ecr_repository: { r: {} }, aws_kms_key: { k: {} } });
    const tied = estimateStack("t", { resource: { aws_secretsmanager_secret: { s: {} }, aws_kms_key: { k: {} } } }, {
      ...PRICES,
      prices: { ...PRICES.prices, "secretsmanager.secret.month": { usd: 1, unit: "-", source: "test" } },
    });
    expect(byType(ordered).map((t) => t.type)).toEqual(["aws_kms_key", "aws_ecr_repository", "aws_s3_bucket"]);
    expect(byType(tied).map((t) => t.type)).toEqual(["aws_kms_key", "aws_secretsmanager_secret"]);
  });

  it("as text: the stack, its total and price date, a line per type, and what it could not price", () => {
    expect(formatText([e])).toBe(
      [
        "s: $6.05 a month, prices of 2026-11-29",
        `  ${"aws_eip".padEnd(40)}   1  $    3.65`,
        `  ${"aws_kms_key".padEnd(40)}   2  $    2.00`,
        `  ${"aws_secretsmanager_secret".padEnd(40)}   1  $    0.40`,
        "  NOT PRICED aws_memorydb_cluster.m: resource type not modelled",
      ].join("\n"),
    );
  });

  it("as text against a baseline: up, down, unchanged, or a new stack", () => {
    const first = (text: string) => text.split("\n")[0];
    expect(first(formatText([e], new Map([["s", 5]])))).toBe("s: $6.05 a month (+$1.05 against the baseline), prices of 2026-11-29");
    expect(first(formatText([e], new Map([["s", 7.1]])))).toBe("s: $6.05 a month (-$1.05 against the baseline), prices of 2026-11-29");
    expect(first(formatText([e], new Map([["s", 6.05]])))).toBe("s: $6.05 a month (±$0.00 against the baseline), prices of 2026-11-29");
    expect(first(formatText([e], new Map()))).toBe("s: $6.05 a month (new stack), prices of 2026-11-29");
  });

  it("as the pull request's Markdown: a table of stacks, the change against main, and the detail folded", () => {
    expect(formatMarkdown([e], new Map([["s", 5]]))).toBe(
      [
        "### Estimated monthly cost",
        "",
        "| Stack | Monthly estimate | Change against main |",
        "|---|---:|---:|",
        "| `s` | $6.05 | +$1.05 |",
        "",
        "List prices of eu-central-1 (2026-11-29), always on, light traffic (the assumptions in scripts/lib/cost-estimate.ts).",
        "",
        "<details><summary>s: by resource type</summary>",
        "",
        "| Type | Count | Monthly |",
        "|---|---:|---:|",
        "| aws_eip | 1 | $3.65 |",
        "| aws_kms_key | 2 | $2.00 |",
        "| aws_secretsmanager_secret | 1 | $0.40 |",
        "",
        "Not priced: `aws_memorydb_cluster.m` (resource type not modelled)",
        "",
        "</details>",
      ].join("\n"),
    );
    const plain = formatMarkdown([e]);
    expect(plain).toContain("| Stack | Monthly estimate |\n|---|---:|\n| `s` | $6.05 |\n");
    expect(formatMarkdown([e], new Map())).toContain("| `s` | $6.05 | new |");
    const priced = estimate({ aws_kms_key: { k: {} } });
    expect(formatMarkdown([priced])).toContain("| aws_kms_key | 1 | $1.00 |\n\n</details>");
    expect(formatMarkdown([])).toContain("List prices of eu-central-1 (), always on");
    const two = estimate({ aws_memorydb_cluster: { m: {} }, aws_lb: { nlb: { load_balancer_type: "network" } } });
    expect(formatMarkdown([two])).toContain(
      "Not priced: `aws_memorydb_cluster.m` (resource type not modelled), `aws_lb.nlb` (load balancer type network is not modelled)",
    );
  });
});
