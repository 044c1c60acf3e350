/**
 * Validation of the environment definitions and the service catalog (CFG-4, ARCHITECTURE.md
 * principle 4). It runs before any construct is built; on failure it throws one
 * `ConfigValidationError` whose message names every `environment.field` that is wrong and how.
 */
import { cidrContains, cidrsOverlap, parseCidr, type Ipv4Cidr } from "./cidr";
import { edgeProtectionProblems } from "./edge-validation";
import { crossEnvironmentDeploymentProblems, deploymentProblems } from "./validate-deployment";
import { PROJECT_DEFINITION } from "./environments";
import { SERVICE_CATALOG } from "./service-catalog";
import { awsLimitProblems } from "./validate-aws-limits";
import { imageContractProblems } from "./validate-image-contracts";
import { projectProblems } from "./validate-project";
import { scheduleProblems } from "./validate-schedule";
import type {
  EnvironmentDefinition,
  ProjectDefinition,
  ExistingLookup,
  ServiceDefinition,
  ServiceSizing,
  SubnetTiers,
} from "./types";

export class ConfigValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration, nothing was synthesized:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigValidationError";
  }
}

/** The retention values CloudWatch Logs accepts. */
export const CLOUDWATCH_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Valid Fargate memory (MiB) per CPU unit value. */
export function fargateMemoryOptions(cpu: number): readonly number[] {
  const range = (from: number, to: number, step: number) =>
    Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
  switch (cpu) {
    case 256:
      return [512, 1024, 2048];
    case 512:
      return range(1024, 4096, 1024);
    case 1024:
      return range(2048, 8192, 1024);
    case 2048:
      return range(4096, 16384, 1024);
    case 4096:
      return range(8192, 30720, 1024);
    case 8192:
      return range(16384, 61440, 4096);
    case 16384:
      return range(32768, 122880, 8192);
    default:
      return [];
  }
}

const TIERS = ["public", "application", "data"] as const satisfies readonly (keyof SubnetTiers<unknown>)[];
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;

/** Validates one environment; returns its problems, each prefixed `<env>.<field>`. */
export function environmentProblems(env: EnvironmentDefinition, catalog: readonly ServiceDefinition[] = SERVICE_CATALOG): string[] {
  const problems: string[] = [];
  const at = (field: string, message: string) => problems.push(`${env.name}.${field}: ${message}`);

  if (!/^\d{12}$/.test(env.accountId)) at("accountId", `"${env.accountId}" is not a 12-digit AWS account ID`);
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(env.region)) at("region", `"${env.region}" is not an AWS region name`);

  // Availability zones (NET-2)
  const azs = env.availabilityZones;
  if (azs.length < 2) at("availabilityZones", `needs at least two availability zones, got ${azs.length}`);
  if (new Set(azs).size !== azs.length) at("availabilityZones", "lists the same zone twice");
  for (const az of azs) {
    if (!az.startsWith(env.region) || !/^[a-z]$/.test(az.slice(env.region.length))) {
      at("availabilityZones", `"${az}" is not a zone of region ${env.region}`);
    }
  }

  // CIDRs (NET-1, NET-2)
  const reserved: Ipv4Cidr[] = [];
  env.reservedCidrs.forEach((text, i) => {
    const c = parseCidr(text);
    if (!c) at(`reservedCidrs[${i}]`, `"${text}" is not a valid IPv4 CIDR`);
    else reserved.push(c);
  });
  const vpc = parseCidr(env.network.vpcCidr);
  if (!vpc) {
    at("network.vpcCidr", `"${env.network.vpcCidr}" is not a valid IPv4 CIDR (network address/prefix)`);
  } else {
    if (vpc.prefix < 16 || vpc.prefix > 28) at("network.vpcCidr", `a VPC must be between /16 and /28, got /${vpc.prefix}`);
    for (const r of reserved) {
      if (cidrsOverlap(vpc, r)) {
        at("network.vpcCidr", `${vpc.text} overlaps ${r.text}, which reservedCidrs says is already used in account ${env.accountId}`);
      }
    }
  }

  const network = env.network;
  if (network.mode === "create") {
    if (!["single", "per-az", "instance"].includes(network.natStrategy)) {
      at("network.natStrategy", `unknown NAT strategy "${String(network.natStrategy)}"; use "single", "per-az" or "instance"`);
    }
    if (network.natInstanceType !== undefined && network.natStrategy !== "instance") {
      at("network.natInstanceType", `is set but natStrategy is "${network.natStrategy}"; remove it or use natStrategy "instance"`);
    }
    if (network.natInstanceType !== undefined && !/^t4g\.(nano|micro|small|medium|large|xlarge|2xlarge)$/.test(network.natInstanceType)) {
      at("network.natInstanceType", `"${network.natInstanceType}" is not a Graviton burstable type (t4g.nano ... t4g.2xlarge)`);
    }
    (network.peerings ?? []).forEach((peering, i) => {
      const field = `network.peerings[${i}]`;
      if (!/^[a-z][a-z0-9-]{0,30}$/.test(peering.name)) at(`${field}.name`, `"${peering.name}" must be a short lower-case name`);
      if (!/^vpc-[0-9a-f]{8,17}$/.test(peering.peerVpcId)) at(`${field}.peerVpcId`, `"${peering.peerVpcId}" is not a VPC ID`);
      const peer = parseCidr(peering.peerCidr);
      if (!peer) at(`${field}.peerCidr`, `"${peering.peerCidr}" is not a valid IPv4 CIDR`);
      else if (vpc && cidrsOverlap(vpc, peer)) at(`${field}.peerCidr`, `${peer.text} overlaps the VPC ${vpc.text}; peered VPCs must not overlap`);
      if (peering.peerRouteTableIds.length === 0) at(`${field}.peerRouteTableIds`, "needs the peer's route tables, or its subnets cannot answer");
      peering.peerRouteTableIds.forEach((id, j) => {
        if (!/^rtb-[0-9a-f]{8,17}$/.test(id)) at(`${field}.peerRouteTableIds[${j}]`, `"${id}" is not a route table ID`);
      });
      (peering.privateZoneIds ?? []).forEach((id, j) => {
        if (!/^Z[0-9A-Z]{4,31}$/.test(id)) at(`${field}.privateZoneIds[${j}]`, `"${id}" is not a Route 53 hosted zone ID`);
      });
    });
    const all: { field: string; cidr: Ipv4Cidr }[] = [];
    for (const tier of TIERS) {
      const list = network.subnets[tier];
      if (list.length !== azs.length) {
        at(`network.subnets.${tier}`, `needs one subnet per availability zone (${azs.length}), got ${list.length}`);
      }
      list.forEach((text, i) => {
        const field = `network.subnets.${tier}[${i}]`;
        const c = parseCidr(text);
        if (!c) {
          at(field, `"${text}" is not a valid IPv4 CIDR`);
          return;
        }
        if (c.prefix > 28) at(field, `${text} is smaller than /28, the smallest subnet AWS allows`);
        if (vpc && !cidrContains(vpc, c)) at(field, `${text} is outside the VPC ${vpc.text}`);
        for (const other of all) {
          if (cidrsOverlap(other.cidr, c)) at(field, `${text} overlaps ${other.field} (${other.cidr.text})`);
        }
        all.push({ field, cidr: c });
      });
    }
  } else {
    for (const tier of TIERS) {
      const lookup: ExistingLookup = network.subnets[tier];
      if ("ids" in lookup) {
        if (lookup.ids.length !== azs.length) {
          at(`network.subnets.${tier}.ids`, `needs one subnet ID per availability zone (${azs.length}), got ${lookup.ids.length}`);
        }
        lookup.ids.forEach((id, i) => {
          if (!/^subnet-[0-9a-f]{8,17}$/.test(id)) at(`network.subnets.${tier}.ids[${i}]`, `"${id}" is not a subnet ID`);
        });
      } else if (Object.keys(lookup.tags).length === 0) {
        at(`network.subnets.${tier}.tags`, "needs at least one tag to find the subnets by");
      }
    }
    if ("id" in network.vpc && !/^vpc-[0-9a-f]{8,17}$/.test(network.vpc.id)) {
      at("network.vpc.id", `"${network.vpc.id}" is not a VPC ID`);
    }
    if ("tags" in network.vpc && Object.keys(network.vpc.tags).length === 0) {
      at("network.vpc.tags", "needs at least one tag to find the VPC by");
    }
  }

  // DNS (EDGE-1)
  const zone = env.dns.zoneName;
  if (!HOSTNAME.test(zone)) at("dns.zoneName", `"${zone}" is not a DNS zone name`);
  const seen = new Map<string, string>();
  for (const [service, hostname] of Object.entries(env.dns.hostnames)) {
    const field = `dns.hostnames.${service}`;
    if (!HOSTNAME.test(hostname)) at(field, `"${hostname}" is not a valid lower-case hostname`);
    else if (hostname !== zone && !hostname.endsWith(`.${zone}`)) {
      at(field, `"${hostname}" is outside the Cloudflare zone ${zone}`);
    }
    const previous = seen.get(hostname);
    if (previous) at(field, `"${hostname}" is also the hostname of ${previous}; each service needs its own`);
    seen.set(hostname, service);
  }

  // Load balancer (EDGE-5)
  env.loadBalancer.adminAllowedCidrs.forEach((text, i) => {
    if (!parseCidr(text)) at(`loadBalancer.adminAllowedCidrs[${i}]`, `"${text}" is not a valid IPv4 CIDR`);
  });
  const admin = env.dns.hostnames.admin;
  // A name outside the zone is reported above, once; Cloudflare proxies only names inside it.
  const adminInZone = admin.endsWith(`.${zone}`);
  if (env.loadBalancer.adminAllowedCidrs.length > 0 && adminInZone && admin.slice(0, -(zone.length + 1)).split(".").length <= 1) {
    // EDGE-3 proxies names one level below the zone; the ALB would then see Cloudflare's addresses.
    at("loadBalancer.adminAllowedCidrs", `cannot restrict ${admin}: Cloudflare proxies that name, so the ALB never sees the client's address; put the admin panel two or more levels below ${zone}`);
  }
  // Web ACL and security headers (EDGE-7, EDGE-8)
  problems.push(...edgeProtectionProblems(env));

  // Logs (ECS-4, NET-5)
  if (!(CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(env.logRetentionDays)) {
    at("logRetentionDays", `${env.logRetentionDays} is not a CloudWatch Logs retention; use one of ${CLOUDWATCH_RETENTION_DAYS.join(", ")}`);
  }
  if (env.alarmEmail !== undefined && !EMAIL.test(env.alarmEmail)) {
    at("alarmEmail", `"${env.alarmEmail}" is not an email address`);
  }
  if (!Number.isFinite(env.budget.monthlyLimitUsd) || env.budget.monthlyLimitUsd <= 0 || env.budget.monthlyLimitUsd > 1_000_000) {
    at("budget.monthlyLimitUsd", `must be a positive amount of USD up to 1000000, got ${env.budget.monthlyLimitUsd}`);
  }
  if (!Number.isInteger(env.imagesKept) || env.imagesKept < 1 || env.imagesKept > 1000) {
    at("imagesKept", `must be a whole number from 1 to 1000, got ${env.imagesKept}`);
  }

  // Services (ECS-3, ECS-7)
  for (const service of catalog) {
    const sizing: ServiceSizing | undefined = env.services[service.name];
    const field = `services.${service.name}`;
    if (!sizing) {
      at(field, "is missing: every service of the catalog needs a size in every environment");
      continue;
    }
    const memoryOptions = fargateMemoryOptions(sizing.cpu);
    if (memoryOptions.length === 0) {
      at(`${field}.cpu`, `${sizing.cpu} is not a Fargate CPU value; use 256, 512, 1024, 2048, 4096, 8192 or 16384`);
    } else if (!memoryOptions.includes(sizing.memory)) {
      at(`${field}.memory`, `${sizing.memory} MiB is not valid with ${sizing.cpu} CPU units on Fargate; use one of ${memoryOptions.join(", ")}`);
    }
    if (!Number.isInteger(sizing.desiredCount) || sizing.desiredCount < 0) {
      at(`${field}.desiredCount`, `must be a whole number >= 0, got ${sizing.desiredCount}`);
    }
    const scaling = sizing.autoscaling;
    if (scaling) {
      if (service.kind !== "public-web") at(`${field}.autoscaling`, "only public web services autoscale on CPU; size workers with desiredCount");
      if (scaling.minCount < 1 || scaling.minCount > scaling.maxCount) {
        at(`${field}.autoscaling`, `needs 1 <= minCount <= maxCount, got ${scaling.minCount}..${scaling.maxCount}`);
      }
      if (sizing.desiredCount < scaling.minCount || sizing.desiredCount > scaling.maxCount) {
        at(`${field}.desiredCount`, `${sizing.desiredCount} is outside the autoscaling range ${scaling.minCount}..${scaling.maxCount}`);
      }
      if (scaling.cpuTargetPercent < 10 || scaling.cpuTargetPercent > 90) {
        at(`${field}.autoscaling.cpuTargetPercent`, `must be between 10 and 90, got ${scaling.cpuTargetPercent}`);
      }
    }
  }
  for (const name of Object.keys(env.services)) {
    if (!catalog.some((s) => s.name === name)) at(`services.${name}`, "is not a service of the catalog");
  }

  // Database versions (DB-5)
  const v = env.databaseVersions;
  if (!/^\d{2}$/.test(v.postgres)) at("databaseVersions.postgres", `"${v.postgres}" is not a PostgreSQL major version`);
  if (!/^\d+\.\d+\.\d+$/.test(v.timescaledb)) at("databaseVersions.timescaledb", `"${v.timescaledb}" must be an exact version x.y.z`);
  if (!/^\d+\.\d+$/.test(v.postgis)) at("databaseVersions.postgis", `"${v.postgis}" must be major.minor`);
  if (!/^\d+\.\d+$/.test(v.valkey)) at("databaseVersions.valkey", `"${v.valkey}" must be major.minor`);

  // Data plane (DB-*, PRD-2)
  const data = env.dataPlane;
  if (data.mode === "host") {
    // The instance type is checked against the types EC2 really has (validate-aws-limits.ts).
    if (!Number.isInteger(data.dataVolumeGiB) || data.dataVolumeGiB < 10 || data.dataVolumeGiB > 16384) {
      at("dataPlane.dataVolumeGiB", `must be a whole number of GiB from 10 to 16384, got ${data.dataVolumeGiB}`);
    }
    if (!Number.isInteger(data.snapshotRetentionDays) || data.snapshotRetentionDays < 1 || data.snapshotRetentionDays > 1000) {
      at("dataPlane.snapshotRetentionDays", `must be from 1 to 1000, got ${data.snapshotRetentionDays}`);
    }
    for (const field of ["databaseName", "databaseUser"] as const) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(data[field])) at(`dataPlane.${field}`, `"${data[field]}" is not a plain PostgreSQL identifier`);
    }
  } else {
    for (const kind of ["postgres", "redis"] as const) {
      const endpoint = data[kind];
      if (!HOSTNAME.test(endpoint.host)) at(`dataPlane.${kind}.host`, `"${endpoint.host}" is not a hostname`);
      if (!Number.isInteger(endpoint.port) || endpoint.port < 1 || endpoint.port > 65535) {
        at(`dataPlane.${kind}.port`, `${endpoint.port} is not a TCP port`);
      }
      if (endpoint.cidrs.length === 0) at(`dataPlane.${kind}.cidrs`, "needs the CIDRs the endpoint lives in");
      const user = kind === "postgres" ? data.postgres.databaseUser : data.redis.user;
      const userField = kind === "postgres" ? "databaseUser" : "user";
      if (!/^[A-Za-z_][A-Za-z0-9_-]{0,62}$/.test(user)) at(`dataPlane.${kind}.${userField}`, `"${user}" is not a valid user name`);
      endpoint.cidrs.forEach((text, i) => {
        const c = parseCidr(text);
        if (!c) at(`dataPlane.${kind}.cidrs[${i}]`, `"${text}" is not a valid IPv4 CIDR`);
        else if (c.prefix < 8) at(`dataPlane.${kind}.cidrs[${i}]`, `${text} is too wide for a database endpoint`);
      });
    }
  }
  return problems;
}

/** The catalog's own consistency (ARCHITECTURE.md principle 1). */
export function catalogProblems(catalog: readonly ServiceDefinition[]): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const discovery = new Set<string>(["db", "redis"]);
  for (const s of catalog) {
    const at = (field: string, message: string) => problems.push(`catalog.${s.name}.${field}: ${message}`);
    if (names.has(s.name)) at("name", "appears twice");
    names.add(s.name);
    if (discovery.has(s.discoveryName)) at("discoveryName", `"${s.discoveryName}" is already taken`);
    discovery.add(s.discoveryName);
    if (s.kind === "worker" && s.port !== undefined) at("port", "a worker accepts no traffic and has no port");
    if (s.kind !== "worker" && (s.port === undefined || s.port < 1 || s.port > 65535)) at("port", "needs a TCP port");
    if (s.kind === "public-web" && !s.healthPath?.startsWith("/")) at("healthPath", "a public web service needs an HTTP health path");
    if (s.healthCommand[0] !== "CMD" && s.healthCommand[0] !== "CMD-SHELL") at("healthCommand", 'must start with "CMD" or "CMD-SHELL"');
    if (s.talksTo.includes("db") && !s.secrets.includes("postgres-password")) at("secrets", "talks to db but does not get postgres-password");
    if (s.talksTo.includes("redis") && !s.secrets.includes("redis-password")) at("secrets", "talks to redis but does not get redis-password");
    if (s.talksTo.includes("anisette") && !catalog.some((c) => c.name === "anisette")) at("talksTo", "anisette is not in the catalog");
    if ((s.talksTo.includes("db") || s.talksTo.includes("redis")) && !s.parameters.includes("database-ca-certificate")) {
      at("parameters", "talks to db or redis over TLS but does not get database-ca-certificate to verify them");
    }
  }
  return problems;
}

/** Cross-environment rules: staging mirrors production in region and naming (ACC-3). */
export function crossEnvironmentProblems(envs: readonly EnvironmentDefinition[]): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const env of envs) {
    if (names.has(env.name)) problems.push(`${env.name}.name: defined twice`);
    names.add(env.name);
  }
  const [first, ...rest] = envs;
  if (!first) return ["environments: none are defined"];
  for (const env of rest) {
    if (env.region !== first.region) {
      problems.push(`${env.name}.region: "${env.region}" differs from ${first.name}'s "${first.region}"; all environments share one region`);
    }
    if (env.dns.zoneName !== first.dns.zoneName) {
      problems.push(`${env.name}.dns.zoneName: "${env.dns.zoneName}" differs from ${first.name}'s "${first.dns.zoneName}"`);
    }
    for (const key of ["postgres", "timescaledb", "postgis", "valkey"] as const) {
      if (env.databaseVersions[key] !== first.databaseVersions[key]) {
        problems.push(`${env.name}.databaseVersions.${key}: "${env.databaseVersions[key]}" differs from ${first.name}'s "${first.databaseVersions[key]}"; staging must run production's versions`);
      }
    }
    for (const [service, hostname] of Object.entries(env.dns.hostnames)) {
      for (const other of envs.filter((o) => o !== env)) {
        if (Object.values(other.dns.hostnames).includes(hostname)) {
          problems.push(`${env.name}.dns.hostnames.${service}: "${hostname}" is also used by ${other.name}; environments need separate names`);
        }
      }
    }
  }
  const accounts = new Map<string, string>();
  for (const env of envs) {
    const other = accounts.get(env.accountId);
    if (other) problems.push(`${env.name}.accountId: ${env.accountId} is also ${other}'s account; each environment has its own`);
    accounts.set(env.accountId, env.name);
  }
  return problems;
}

/** Validates the catalog, every environment and the project; throws one error listing every problem. */
export function validateEnvironments(
  envs: readonly EnvironmentDefinition[],
  catalog: readonly ServiceDefinition[] = SERVICE_CATALOG,
  project: ProjectDefinition = PROJECT_DEFINITION,
): void {
  const problems = [
    ...catalogProblems(catalog),
    ...imageContractProblems(catalog),
    ...envs.flatMap((env) => environmentProblems(env, catalog)),
    ...envs.flatMap((env) => awsLimitProblems(env)),
    ...envs.flatMap((env) => scheduleProblems(env)),
    ...envs.flatMap((env) => deploymentProblems(env)),
    ...crossEnvironmentProblems(envs),
    ...crossEnvironmentDeploymentProblems(envs),
    ...projectProblems(project, envs),
  ];
  if (problems.length > 0) throw new ConfigValidationError(problems);
}
