/**
 * Unit prices for the cost estimate (COST-3): the list of exactly the prices the estimator needs,
 * how each is found in the AWS Price List Query API (`pricing:GetProducts`), and the committed,
 * dated snapshot used when there are no credentials (CI, laptops, pull requests from forks).
 *
 * `npm run prices` refreshes the snapshot from the API; `npm run cost` uses the API when AWS
 * credentials are present and the snapshot otherwise.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GetProductsCommand, type Filter, type PricingClient } from "@aws-sdk/client-pricing";

/** The region both environments run in; the snapshot is for it (ACC-3). */
export const PRICED_REGION = "eu-central-1";
/** Usage types of the Price List carry a region prefix: EUC1 is eu-central-1. */
const PREFIX = "EUC1";

export const SNAPSHOT_FILE = join(__dirname, `prices.${PRICED_REGION}.json`);

/** Where one unit price comes from in the Price List Query API. */
export interface PriceQuery {
  readonly serviceCode: string;
  /** TERM_MATCH filters (field -> value) that select exactly one product. */
  readonly filters: Readonly<Record<string, string>>;
}

/** One unit price the estimator uses. */
export interface PriceItem {
  readonly key: string;
  /** What is paid for, e.g. "per vCPU-hour". */
  readonly unit: string;
  /** How to fetch it; absent where the Price List has no such product (Fargate Spot). */
  readonly query?: PriceQuery;
}

const usage = (serviceCode: string, usageType: string, extra: Record<string, string> = {}): PriceQuery => ({
  serviceCode,
  filters: { usagetype: `${PREFIX}-${usageType}`, ...extra },
});

const ec2Instance = (instanceType: string): PriceQuery => ({
  serviceCode: "AmazonEC2",
  filters: {
    instanceType,
    regionCode: PRICED_REGION,
    operatingSystem: "Linux",
    tenancy: "Shared",
    preInstalledSw: "NA",
    capacitystatus: "Used",
    licenseModel: "No License required",
  },
});

/** Graviton burstable types the database host and a NAT instance may use. */
export const PRICED_INSTANCE_TYPES = ["t4g.nano", "t4g.micro", "t4g.small", "t4g.medium", "t4g.large", "t4g.xlarge", "t4g.2xlarge"] as const;

/** Every price the estimator reads; nothing else is in the snapshot. */
export const PRICE_ITEMS: readonly PriceItem[] = [
  { key: "fargate.x86.vcpu-hour", unit: "per vCPU-hour", query: usage("AmazonECS", "Fargate-vCPU-Hours:perCPU") },
  { key: "fargate.x86.gb-hour", unit: "per GB-hour", query: usage("AmazonECS", "Fargate-GB-Hours") },
  { key: "fargate.arm.vcpu-hour", unit: "per vCPU-hour", query: usage("AmazonECS", "Fargate-ARM-vCPU-Hours:perCPU") },
  { key: "fargate.arm.gb-hour", unit: "per GB-hour", query: usage("AmazonECS", "Fargate-ARM-GB-Hours") },
  { key: "fargate.ephemeral-storage.gb-hour", unit: "per GB-hour above 20 GB", query: usage("AmazonECS", "Fargate-EphemeralStorage-GB-Hours") },
  // Fargate Spot prices move with spare capacity and are not products of the Price List API: the
  // snapshot carries the Fargate pricing page's figures of its date, refreshed by hand.
  { key: "fargate-spot.x86.vcpu-hour", unit: "per vCPU-hour" },
  { key: "fargate-spot.x86.gb-hour", unit: "per GB-hour" },
  { key: "fargate-spot.arm.vcpu-hour", unit: "per vCPU-hour" },
  { key: "fargate-spot.arm.gb-hour", unit: "per GB-hour" },
  ...PRICED_INSTANCE_TYPES.map((type) => ({ key: `ec2.${type}.hour`, unit: "per instance-hour", query: ec2Instance(type) })),
  { key: "ebs.gp3.gb-month", unit: "per GB-month", query: usage("AmazonEC2", "EBS:VolumeUsage.gp3") },
  { key: "ebs.gp3.iops-month", unit: "per IOPS-month above 3000", query: usage("AmazonEC2", "EBS:VolumeP-IOPS.gp3") },
  { key: "ebs.gp3.mibps-month", unit: "per MiB/s-month above 125", query: usage("AmazonEC2", "EBS:VolumeP-Throughput.gp3") },
  { key: "ebs.snapshot.gb-month", unit: "per GB-month", query: usage("AmazonEC2", "EBS:SnapshotUsage") },
  { key: "ec2.detailed-monitoring.metric-month", unit: "per metric-month", query: usage("AmazonCloudWatch", "CW:MetricMonitorUsage") },
  { key: "nat-gateway.hour", unit: "per hour", query: usage("AmazonEC2", "NatGateway-Hours") },
  { key: "nat-gateway.gb", unit: "per GB processed", query: usage("AmazonEC2", "NatGateway-Bytes") },
  { key: "public-ipv4.hour", unit: "per address-hour", query: usage("AmazonVPC", "PublicIPv4:InUseAddress") },
  { key: "vpc-endpoint.interface.hour", unit: "per endpoint-AZ-hour", query: usage("AmazonVPC", "VpcEndpoint-Hours") },
  { key: "alb.hour", unit: "per hour", query: usage("AWSELB", "LoadBalancerUsage", { productFamily: "Load Balancer-Application" }) },
  { key: "alb.lcu-hour", unit: "per LCU-hour", query: usage("AWSELB", "LCUUsage", { productFamily: "Load Balancer-Application" }) },
  { key: "logs.ingest.gb", unit: "per GB ingested", query: usage("AmazonCloudWatch", "DataProcessing-Bytes") },
  { key: "logs.storage.gb-month", unit: "per GB-month stored", query: usage("AmazonCloudWatch", "TimedStorage-ByteHrs") },
  { key: "cloudwatch.alarm.month", unit: "per standard alarm-month", query: usage("AmazonCloudWatch", "CW:AlarmMonitorUsage") },
  { key: "cloudwatch.metric.month", unit: "per custom metric-month", query: usage("AmazonCloudWatch", "CW:MetricMonitorUsage") },
  { key: "kms.key.month", unit: "per key-month", query: usage("awskms", "KMS-Keys") },
  { key: "secretsmanager.secret.month", unit: "per secret-month", query: usage("AWSSecretsManager", "AWSSecretsManager-Secrets") },
  { key: "efs.standard.gb-month", unit: "per GB-month", query: usage("AmazonEFS", "TimedStorage-ByteHrs") },
  { key: "backup.efs-warm.gb-month", unit: "per GB-month", query: usage("AWSBackup", "WarmStorage-ByteHrs-EFS") },
  { key: "s3.standard.gb-month", unit: "per GB-month", query: usage("AmazonS3", "TimedStorage-ByteHrs") },
  { key: "ecr.storage.gb-month", unit: "per GB-month", query: usage("AmazonECR", "TimedStorage-ByteHrs") },
  { key: "route53.hosted-zone.month", unit: "per hosted zone-month", query: { serviceCode: "AmazonRoute53", filters: { usagetype: "HostedZone" } } },
  { key: "cloudmap.instance.month", unit: "per registered instance-month", query: usage("AWSCloudMap", "RegisteredResource") },
  { key: "waf.web-acl.month", unit: "per web ACL-month", query: usage("awswaf", "WebACL") },
  { key: "waf.rule.month", unit: "per rule-month", query: usage("awswaf", "Rule") },
  { key: "waf.million-requests", unit: "per million requests", query: usage("awswaf", "Request") },
];

export interface PriceEntry {
  readonly usd: number;
  readonly unit: string;
  /** `price-list-api` or where a hand-kept figure came from. */
  readonly source: string;
}

export interface PriceSnapshot {
  readonly region: string;
  readonly currency: "USD";
  /** ISO date the prices were read. */
  readonly date: string;
  readonly prices: Readonly<Record<string, PriceEntry>>;
}

/** The committed snapshot, checked to hold every price the estimator needs. */
export function loadSnapshot(path: string = SNAPSHOT_FILE): PriceSnapshot {
  const snapshot = JSON.parse(readFileSync(path, "utf8")) as PriceSnapshot;
  const missing = PRICE_ITEMS.filter((item) => typeof snapshot.prices[item.key]?.usd !== "number").map((i) => i.key);
  if (missing.length > 0) throw new Error(`price snapshot ${path} lacks ${missing.join(", ")}: run npm run prices`);
  return snapshot;
}

/** The USD price of the product's on-demand term, its first tier (beginRange 0). */
export function onDemandUsd(productJson: string): number | undefined {
  const product = JSON.parse(productJson) as {
    terms?: { OnDemand?: Record<string, { priceDimensions?: Record<string, { beginRange?: string; pricePerUnit?: { USD?: string } }> }> };
  };
  for (const term of Object.values(product.terms?.OnDemand ?? {})) {
    const dimensions = Object.values(term.priceDimensions ?? {});
    const first = dimensions.find((d) => (d.beginRange ?? "0") === "0") ?? dimensions[0];
    const usd = first?.pricePerUnit?.USD;
    if (usd !== undefined && Number.isFinite(Number(usd))) return Number(usd);
  }
  return undefined;
}

/** Reads one price from the API; an error names the item and what matched. */
export async function fetchPrice(client: PricingClient, item: PriceItem): Promise<number> {
  if (!item.query) throw new Error(`${item.key}: not in the Price List API`);
  const filters: Filter[] = Object.entries(item.query.filters).map(([Field, Value]) => ({ Type: "TERM_MATCH", Field, Value }));
  const answer = await client.send(new GetProductsCommand({ ServiceCode: item.query.serviceCode, Filters: filters, MaxResults: 10 }));
  const products: string[] = (answer.PriceList ?? []).map((p: unknown) => (typeof p === "string" ? p : JSON.stringify(p)));
  const usd = products.map(onDemandUsd).filter((p): p is number => p !== undefined);
  if (usd.length === 0) throw new Error(`${item.key}: no on-demand price among ${products.length} product(s) of ${item.query.serviceCode}`);
  if (new Set(usd).size > 1) throw new Error(`${item.key}: ${usd.length} different prices matched (${usd.join(", ")}); the filters are not specific enough`);
  return usd[0]!;
}

/**
 * A snapshot with every API-backed price read fresh, and the hand-kept ones (Fargate Spot) carried
 * over from `previous`. Any price the API does not give is an error: a snapshot is never partial.
 */
export async function refreshSnapshot(client: PricingClient, previous: PriceSnapshot, today: string): Promise<PriceSnapshot> {
  const prices: Record<string, PriceEntry> = {};
  const failures: string[] = [];
  for (const item of PRICE_ITEMS) {
    if (!item.query) {
      const kept = previous.prices[item.key];
      if (kept) prices[item.key] = kept;
      else failures.push(`${item.key}: not in the Price List API and not in the previous snapshot`);
      continue;
    }
    try {
      prices[item.key] = { usd: await fetchPrice(client, item), unit: item.unit, source: "price-list-api" };
    } catch (err) {
      failures.push((err as Error).message);
    }
  }
  if (failures.length > 0) throw new Error(`prices: ${failures.length} price(s) could not be read:\n  ${failures.join("\n  ")}`);
  return { region: PRICED_REGION, currency: "USD", date: today, prices };
}

/**
 * Prices read live from the API for one estimate; the snapshot's hand-kept entries (Spot) fill the
 * rest. Fails at the first price it cannot read (an access-denied fails them all alike).
 */
export async function livePrices(client: PricingClient, snapshot: PriceSnapshot, today: string): Promise<PriceSnapshot> {
  const prices: Record<string, PriceEntry> = { ...snapshot.prices };
  for (const item of PRICE_ITEMS.filter((i) => i.query)) {
    try {
      prices[item.key] = { usd: await fetchPrice(client, item), unit: item.unit, source: "price-list-api" };
    } catch (err) {
      throw new Error(`${item.key}: ${(err as Error).message}`);
    }
  }
  return { region: PRICED_REGION, currency: "USD", date: today, prices };
}
