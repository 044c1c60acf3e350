/**
 * CFG-4, ACC-3, NET-1, NET-2, NET-3, ECS-3, EDGE-1: invalid configuration is refused before anything
 * is built, with one error naming `environment.field` and what is wrong.
 */
import { mkdtempSync, readdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildApp } from "../stacks/app";
import { parseCidr, cidrsOverlap, cidrContains } from "../src/config/cidr";
import { ENVIRONMENTS, PRODUCTION, STAGING } from "../src/config/environments";
import { SERVICE_CATALOG } from "../src/config/service-catalog";
import type { EnvironmentDefinition, ServiceDefinition } from "../src/config/types";
import { ConfigValidationError, fargateMemoryOptions, validateEnvironments } from "../src/config/validate";

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };

/** A deep copy of an environment, changed by `edit`. */
function variant(base: EnvironmentDefinition, edit: (env: Mutable<EnvironmentDefinition>) => void): EnvironmentDefinition {
  const copy = structuredClone(base) as Mutable<EnvironmentDefinition>;
  edit(copy);
  return copy as EnvironmentDefinition;
}

/** The message of the error validation throws for these environments. */
function refusal(envs: readonly EnvironmentDefinition[], catalog: readonly ServiceDefinition[] = SERVICE_CATALOG): string {
  try {
    validateEnvironments(envs, catalog);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return (error as Error).message;
  }
  throw new Error("validation accepted the configuration");
}

const withStaging = (edit: (env: Mutable<EnvironmentDefinition>) => void) => refusal([variant(STAGING, edit), PRODUCTION]);
const withProduction = (edit: (env: Mutable<EnvironmentDefinition>) => void) => refusal([STAGING, variant(PRODUCTION, edit)]);

describe("CFG-4: environment definitions are validated", () => {
  it("CFG-4: the shipped definitions and catalog are valid", () => {
    expect(() => validateEnvironments(ENVIRONMENTS)).not.toThrow();
  });

  it("CFG-4: an unparsable VPC CIDR is refused, naming the field", () => {
    const network = STAGING.network;
    expect(network.mode).toBe("create");
    expect(withStaging((e) => ((e.network as { vpcCidr: string }).vpcCidr = "10.42.0.0/33"))).toMatch(
      /staging\.network\.vpcCidr: "10\.42\.0\.0\/33" is not a valid IPv4 CIDR/,
    );
    expect(withStaging((e) => ((e.network as { vpcCidr: string }).vpcCidr = "10.42.1.0/16"))).toMatch(/staging\.network\.vpcCidr/);
  });

  it("NET-1: a VPC overlapping a CIDR already used in the account is refused", () => {
    expect(withStaging((e) => e.reservedCidrs.push("10.42.128.0/20"))).toMatch(
      /staging\.network\.vpcCidr: 10\.42\.0\.0\/16 overlaps 10\.42\.128\.0\/20, which reservedCidrs says is already used in account 802732539686/,
    );
  });

  it("NET-1: an unparsable reserved CIDR is refused", () => {
    expect(withStaging((e) => e.reservedCidrs.push("172.300.0.0/16"))).toMatch(/staging\.reservedCidrs\[1\]: "172\.300\.0\.0\/16" is not a valid IPv4 CIDR/);
  });

  it("NET-2: overlapping subnets are refused", () => {
    const message = withStaging((e) => {
      if (e.network.mode === "create") e.network.subnets.data[1] = "10.42.16.0/24";
    });
    expect(message).toMatch(/staging\.network\.subnets\.data\[1\]: 10\.42\.16\.0\/24 overlaps network\.subnets\.application\[0\] \(10\.42\.16\.0\/20\)/);
  });

  it("NET-2: subnets outside the VPC are refused", () => {
    const message = withStaging((e) => {
      if (e.network.mode === "create") e.network.subnets.public[0] = "10.43.0.0/24";
    });
    expect(message).toMatch(/staging\.network\.subnets\.public\[0\]: 10\.43\.0\.0\/24 is outside the VPC 10\.42\.0\.0\/16/);
  });

  it("NET-2: fewer than two availability zones are refused", () => {
    const message = withStaging((e) => {
      e.availabilityZones = ["eu-central-1a"];
      if (e.network.mode === "create") {
        e.network.subnets = { public: ["10.42.0.0/24"], application: ["10.42.16.0/20"], data: ["10.42.64.0/24"] };
      }
    });
    expect(message).toMatch(/staging\.availabilityZones: needs at least two availability zones, got 1/);
  });

  it("NET-2: a subnet count that does not match the zones is refused", () => {
    expect(withStaging((e) => e.network.mode === "create" && e.network.subnets.data.pop())).toMatch(
      /staging\.network\.subnets\.data: needs one subnet per availability zone \(2\), got 1/,
    );
  });

  it("NET-2: a zone outside the region is refused", () => {
    expect(withStaging((e) => (e.availabilityZones[1] = "eu-west-1b"))).toMatch(/staging\.availabilityZones: "eu-west-1b" is not a zone of region eu-central-1/);
  });

  it("ACC-1: an account ID that is not 12 digits is refused", () => {
    expect(withStaging((e) => (e.accountId = "80273253968"))).toMatch(/staging\.accountId: "80273253968" is not a 12-digit AWS account ID/);
  });

  it("ACC-1: two environments in one account are refused", () => {
    expect(withProduction((e) => (e.accountId = STAGING.accountId))).toMatch(/production\.accountId: 802732539686 is also staging's account/);
  });

  it("ACC-3: staging and production in different regions are refused", () => {
    const message = withProduction((e) => {
      e.region = "eu-west-1";
      e.availabilityZones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
    });
    expect(message).toMatch(/production\.region: "eu-west-1" differs from staging's "eu-central-1"; all environments share one region/);
  });

  it("ACC-3 / DB-5: staging running other database versions than production is refused", () => {
    expect(withStaging((e) => (e.databaseVersions.timescaledb = "2.14.0"))).toMatch(
      /production\.databaseVersions\.timescaledb: "2\.17\.2" differs from staging's "2\.14\.0"/,
    );
  });

  it("EDGE-1: a hostname outside the Cloudflare zone is refused", () => {
    expect(withStaging((e) => (e.dns.hostnames.api = "api.tracker.example.com"))).toMatch(
      /staging\.dns\.hostnames\.api: "api\.tracker\.example\.com" is outside the Cloudflare zone glimpse\.technology/,
    );
  });

  it("EDGE-1: a hostname that only ends in the zone's text is refused", () => {
    expect(withStaging((e) => (e.dns.hostnames.api = "apiglimpse.technology"))).toMatch(/staging\.dns\.hostnames\.api: .* is outside the Cloudflare zone/);
  });

  it("EDGE-1: duplicate hostnames within an environment are refused", () => {
    expect(withStaging((e) => (e.dns.hostnames.admin = e.dns.hostnames.frontend))).toMatch(
      /staging\.dns\.hostnames\.admin: "tracker\.staging\.glimpse\.technology" is also the hostname of frontend/,
    );
  });

  it("EDGE-1: a hostname shared between environments is refused", () => {
    expect(withProduction((e) => (e.dns.hostnames.api = STAGING.dns.hostnames.api))).toMatch(
      /production\.dns\.hostnames\.api: "api\.tracker\.staging\.glimpse\.technology" is also used by staging/,
    );
  });

  it("NET-3: an unknown NAT strategy is refused", () => {
    const message = withStaging((e) => {
      if (e.network.mode === "create") (e.network as { natStrategy: string }).natStrategy = "none";
    });
    expect(message).toMatch(/staging\.network\.natStrategy: unknown NAT strategy "none"; use "single" or "per-az"/);
  });

  it("ECS-3: an invalid Fargate CPU/memory pair is refused", () => {
    expect(withStaging((e) => (e.services.api = { cpu: 256, memory: 4096, desiredCount: 1 }))).toMatch(
      /staging\.services\.api\.memory: 4096 MiB is not valid with 256 CPU units on Fargate; use one of 512, 1024, 2048/,
    );
    expect(withStaging((e) => (e.services.api = { cpu: 300, memory: 1024, desiredCount: 1 }))).toMatch(
      /staging\.services\.api\.cpu: 300 is not a Fargate CPU value/,
    );
  });

  it("ECS-3: Fargate memory options follow AWS's table", () => {
    expect(fargateMemoryOptions(512)).toEqual([1024, 2048, 3072, 4096]);
    expect(fargateMemoryOptions(4096)).toContain(30720);
    expect(fargateMemoryOptions(8192)).toEqual([16384, 20480, 24576, 28672, 32768, 36864, 40960, 45056, 49152, 53248, 57344, 61440]);
    expect(fargateMemoryOptions(16384).at(-1)).toBe(122880);
  });

  it("ECS-7: autoscaling bounds that do not contain the desired count are refused", () => {
    expect(withProduction((e) => (e.services.api.desiredCount = 10))).toMatch(/production\.services\.api\.desiredCount: 10 is outside the autoscaling range 2\.\.8/);
    expect(withProduction((e) => (e.services["tracker-fetcher"].autoscaling = { minCount: 1, maxCount: 2, cpuTargetPercent: 50 }))).toMatch(
      /production\.services\.tracker-fetcher\.autoscaling: only public web services autoscale/,
    );
  });

  it("ECS-2: a service of the catalog without a size is refused", () => {
    expect(withStaging((e) => delete (e.services as Partial<typeof e.services>).anisette)).toMatch(
      /staging\.services\.anisette: is missing: every service of the catalog needs a size in every environment/,
    );
  });

  it("OBS-1: a log retention CloudWatch does not offer is refused", () => {
    expect(withStaging((e) => (e.logRetentionDays = 45))).toMatch(/staging\.logRetentionDays: 45 is not a CloudWatch Logs retention/);
  });

  it("DB-1: a database host that is not Graviton is refused", () => {
    expect(withStaging((e) => e.dataPlane.mode === "host" && (e.dataPlane.instanceType = "t3.large"))).toMatch(
      /staging\.dataPlane\.instanceType: "t3\.large" is not a Graviton \(ARM64\) instance type/,
    );
  });

  it("PRD-2: an external endpoint without a valid port or CIDR is refused", () => {
    const message = withProduction((e) => {
      if (e.dataPlane.mode === "external") {
        e.dataPlane.postgres.port = 70000;
        e.dataPlane.redis.cidrs = ["10.20.0.0/40"];
      }
    });
    expect(message).toMatch(/production\.dataPlane\.postgres\.port: 70000 is not a TCP port/);
    expect(message).toMatch(/production\.dataPlane\.redis\.cidrs\[0\]: "10\.20\.0\.0\/40" is not a valid IPv4 CIDR/);
  });

  it("EDGE-5: an invalid admin allow-list CIDR is refused", () => {
    expect(withStaging((e) => e.loadBalancer.adminAllowedCidrs.push("office"))).toMatch(/staging\.loadBalancer\.adminAllowedCidrs\[0\]: "office" is not a valid IPv4 CIDR/);
  });

  it("EDGE-5: an admin allow-list on a name Cloudflare proxies is refused", () => {
    expect(withProduction((e) => {
      e.dns.hostnames.admin = "admin.glimpse.technology";
      e.loadBalancer.adminAllowedCidrs = ["203.0.113.0/24"];
    })).toMatch(/production\.loadBalancer\.adminAllowedCidrs: cannot restrict admin\.glimpse\.technology: Cloudflare proxies that name/);
  });

  it("PRD-2: a peering that overlaps the VPC or names malformed IDs is refused", () => {
    const message = withProduction((e) => {
      if (e.network.mode === "create") {
        e.network.peerings = [{ name: "patroni", peerVpcId: "vpc-1", peerCidr: "10.52.128.0/20", peerRouteTableIds: ["rtb-x"], privateZoneIds: ["zone"] }];
      }
    });
    expect(message).toMatch(/production\.network\.peerings\[0\]\.peerVpcId: "vpc-1" is not a VPC ID/);
    expect(message).toMatch(/production\.network\.peerings\[0\]\.peerCidr: 10\.52\.128\.0\/20 overlaps the VPC 10\.52\.0\.0\/16/);
    expect(message).toMatch(/production\.network\.peerings\[0\]\.peerRouteTableIds\[0\]: "rtb-x" is not a route table ID/);
    expect(message).toMatch(/production\.network\.peerings\[0\]\.privateZoneIds\[0\]: "zone" is not a Route 53 hosted zone ID/);
  });

  it("PRD-2: an adopted network with malformed IDs is refused", () => {
    const message = withProduction((e) => {
      e.network = {
        mode: "adopt",
        vpc: { id: "vpc-12" },
        vpcCidr: "10.20.0.0/16",
        subnets: { public: { ids: ["subnet-0123456789abcdef0"] }, application: { tags: {} }, data: { tags: { Tier: "data" } } },
      } as Mutable<EnvironmentDefinition>["network"];
      e.reservedCidrs = [];
    });
    expect(message).toMatch(/production\.network\.vpc\.id: "vpc-12" is not a VPC ID/);
    expect(message).toMatch(/production\.network\.subnets\.public\.ids: needs one subnet ID per availability zone \(3\), got 1/);
    expect(message).toMatch(/production\.network\.subnets\.application\.tags: needs at least one tag/);
  });

  it("CFG-4: every problem is reported at once, not only the first", () => {
    const message = withStaging((e) => {
      e.accountId = "123";
      e.logRetentionDays = 2;
    });
    expect(message).toMatch(/staging\.accountId/);
    expect(message).toMatch(/staging\.logRetentionDays/);
  });

  it("ARCHITECTURE principle 1: an inconsistent service catalog is refused", () => {
    const broken = SERVICE_CATALOG.map((s) => (s.name === "unified-geofence" ? { ...s, secrets: [], port: 9000 } : s));
    const message = refusal(ENVIRONMENTS, broken);
    expect(message).toMatch(/catalog\.unified-geofence\.port: a worker accepts no traffic and has no port/);
    expect(message).toMatch(/catalog\.unified-geofence\.secrets: talks to db but does not get postgres-password/);
    const clash = SERVICE_CATALOG.map((s) => (s.name === "admin" ? { ...s, discoveryName: "db" } : s));
    expect(refusal(ENVIRONMENTS, clash)).toMatch(/catalog\.admin\.discoveryName: "db" is already taken/);
  });

  it("CFG-4: nothing is written to the output directory when synth is refused", () => {
    const outdir = mkdtempSync(join(tmpdir(), "tracker-refused-"));
    const bad = variant(STAGING, (e) => (e.accountId = "not-an-account"));
    expect(() => buildApp({ environments: [bad, PRODUCTION], outdir }).synth()).toThrow(ConfigValidationError);
    expect(readdirSync(outdir)).toEqual([]);
    expect(existsSync(join(outdir, "stacks"))).toBe(false);
  });
});

describe("EDGE-7, EDGE-8: web ACL and security header settings are validated", () => {
  it("EDGE-7: production without the WAF is refused", () => {
    expect(withProduction((e) => (e.loadBalancer.waf.enabled = false))).toMatch(
      /production\.loadBalancer\.waf\.enabled: must be true in production \(EDGE-7/,
    );
  });

  it("EDGE-7: staging may switch the WAF on (a release rehearsal) or off", () => {
    expect(() => validateEnvironments([variant(STAGING, (e) => (e.loadBalancer.waf.enabled = true)), PRODUCTION])).not.toThrow();
    expect(STAGING.loadBalancer.waf.enabled).toBe(false);
    expect(PRODUCTION.loadBalancer.waf.enabled).toBe(true);
  });

  it("EDGE-7: a rate limit outside AWS's 10..2,000,000,000 requests per 5 minutes, or not whole, is refused", () => {
    const message = /staging\.loadBalancer\.waf\.rateLimitPer5Min: must be a whole number of requests per client IP in 5 minutes from 10 to 2000000000, got /;
    expect(withStaging((e) => (e.loadBalancer.waf.rateLimitPer5Min = 9))).toMatch(new RegExp(message.source + "9"));
    expect(withStaging((e) => (e.loadBalancer.waf.rateLimitPer5Min = 2_000_000_001))).toMatch(new RegExp(message.source + "2000000001"));
    expect(withStaging((e) => (e.loadBalancer.waf.rateLimitPer5Min = 100.5))).toMatch(new RegExp(message.source + "100\\.5"));
    for (const edge of [10, 2_000_000_000]) {
      expect(() => validateEnvironments([variant(STAGING, (e) => (e.loadBalancer.waf.rateLimitPer5Min = edge)), PRODUCTION])).not.toThrow();
    }
  });

  it("EDGE-7: a count-only override that is not a rule of the core rule set, or listed twice, is refused", () => {
    expect(withStaging((e) => e.loadBalancer.waf.countOnlyCommonRules.push("SizeRestriction_BODY"))).toMatch(
      /staging\.loadBalancer\.waf\.countOnlyCommonRules\[1\]: "SizeRestriction_BODY" is not a rule of AWSManagedRulesCommonRuleSet; use one of NoUserAgent_HEADER, /,
    );
    expect(withStaging((e) => e.loadBalancer.waf.countOnlyCommonRules.push("SizeRestrictions_BODY"))).toMatch(
      /staging\.loadBalancer\.waf\.countOnlyCommonRules\[1\]: "SizeRestrictions_BODY" is listed twice/,
    );
  });

  it("EDGE-7: a blocked-request alarm threshold below 1 is refused", () => {
    expect(withProduction((e) => (e.loadBalancer.waf.blockedRequestsAlarmThreshold = 0))).toMatch(
      /production\.loadBalancer\.waf\.blockedRequestsAlarmThreshold: must be a whole number of blocked requests >= 1, got 0/,
    );
  });

  it("EDGE-8: a negative or fractional HSTS max-age is refused", () => {
    expect(withStaging((e) => (e.loadBalancer.securityHeaders.hstsMaxAgeSeconds = -1))).toMatch(
      /staging\.loadBalancer\.securityHeaders\.hstsMaxAgeSeconds: must be a whole number of seconds >= 0, got -1/,
    );
    expect(withStaging((e) => (e.loadBalancer.securityHeaders.hstsMaxAgeSeconds = 1.5))).toMatch(/hstsMaxAgeSeconds: must be a whole number of seconds >= 0, got 1\.5/);
    expect(() => validateEnvironments([variant(STAGING, (e) => (e.loadBalancer.securityHeaders.hstsMaxAgeSeconds = 0)), PRODUCTION])).not.toThrow();
  });

  it("EDGE-8: production with less than one year of HSTS is refused", () => {
    expect(withProduction((e) => (e.loadBalancer.securityHeaders.hstsMaxAgeSeconds = 31535999))).toMatch(
      /production\.loadBalancer\.securityHeaders\.hstsMaxAgeSeconds: production needs at least one year \(31536000\) of HSTS, got 31535999/,
    );
  });

  it("EDGE-8: preload without includeSubDomains or with under a year of max-age is refused", () => {
    const message = /staging\.loadBalancer\.securityHeaders\.hstsPreload: the HSTS preload list requires includeSubDomains and a max-age of at least 31536000/;
    expect(withStaging((e) => (e.loadBalancer.securityHeaders.hstsPreload = true))).toMatch(message); // staging: one day
    expect(
      withProduction((e) => {
        e.loadBalancer.securityHeaders.hstsPreload = true;
        e.loadBalancer.securityHeaders.hstsIncludeSubdomains = false;
      }),
    ).toMatch(/production\.loadBalancer\.securityHeaders\.hstsPreload: the HSTS preload list requires/);
    expect(() => validateEnvironments([STAGING, variant(PRODUCTION, (e) => (e.loadBalancer.securityHeaders.hstsPreload = true))])).not.toThrow();
  });

  it("EDGE-8: an X-Frame-Options value other than DENY or SAMEORIGIN is refused", () => {
    expect(withStaging((e) => ((e.loadBalancer.securityHeaders as { frameOptions: string }).frameOptions = "ALLOW-FROM https://example.com"))).toMatch(
      /staging\.loadBalancer\.securityHeaders\.frameOptions: "ALLOW-FROM https:\/\/example\.com" is not an X-Frame-Options value; use DENY or SAMEORIGIN/,
    );
  });
});

describe("CIDR arithmetic", () => {
  it("parses, contains and overlaps", () => {
    const vpc = parseCidr("10.42.0.0/16")!;
    expect(vpc.end - vpc.start + 1).toBe(65536);
    expect(parseCidr("255.255.255.0/24")?.start).toBe(0xffffff00);
    expect(parseCidr("10.42.0.1/16")).toBeUndefined();
    expect(parseCidr("10.42.0.0")).toBeUndefined();
    expect(cidrContains(vpc, parseCidr("10.42.255.0/24")!)).toBe(true);
    expect(cidrContains(vpc, parseCidr("10.43.0.0/24")!)).toBe(false);
    expect(cidrsOverlap(parseCidr("10.0.0.0/8")!, vpc)).toBe(true);
    expect(cidrsOverlap(parseCidr("10.43.0.0/16")!, vpc)).toBe(false);
  });
});
