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
import { ENVIRONMENTS, PRODUCTION, PROJECT_DEFINITION, STAGING } from "../src/config/environments";
import { SERVICE_CATALOG } from "../src/config/service-catalog";
import type { EnvironmentDefinition, ProjectDefinition, ServiceDefinition } from "../src/config/types";
import { GRAVITON_INSTANCE_SIZES } from "../src/config/graviton-instance-types";
import { ConfigValidationError, environmentProblems, fargateMemoryOptions, validateEnvironments } from "../src/config/validate";
import { edgeProtectionProblems } from "../src/config/edge-validation";
import { deploymentProblems } from "../src/config/validate-deployment";
import { scheduleProblems } from "../src/config/validate-schedule";
import { awsLimitProblems } from "../src/config/validate-aws-limits";
import { looseVariant, type Loose } from "./support/variants";

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };

/** A deep copy of an environment, changed by `edit`. */
function variant(base: EnvironmentDefinition, edit: (env: Mutable<EnvironmentDefinition>) => void): EnvironmentDefinition {
  const copy = structuredClone(base) as Mutable<EnvironmentDefinition>;
  edit(copy);
  return copy as EnvironmentDefinition;
}


/** The message of the error validation throws for these environments. */
function refusal(
  envs: readonly EnvironmentDefinition[],
  catalog: readonly ServiceDefinition[] = SERVICE_CATALOG,
  project: ProjectDefinition = PROJECT_DEFINITION,
): string {
  try {
    validateEnvironments(envs, catalog, project);
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
    expect(message).toMatch(/staging\.network\.natStrategy: unknown NAT strategy "none"; use "single", "per-az" or "instance"/);
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
      /staging\.dataPlane\.instanceType: "t3\.large" is an x86 instance type; the database host boots an ARM64 \(Graviton\) image/,
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

  it("the limits: octets up to 255, prefixes 0 to 32, the network address only, the whole string", () => {
    expect(parseCidr("10.42.0.0/16")).toEqual({ text: "10.42.0.0/16", start: 0x0a2a0000, end: 0x0a2affff, prefix: 16 });
    expect(parseCidr("0.0.0.0/0")).toEqual({ text: "0.0.0.0/0", start: 0, end: 0xffffffff, prefix: 0 });
    expect(parseCidr("192.168.1.7/32")).toEqual({ text: "192.168.1.7/32", start: 0xc0a80107, end: 0xc0a80107, prefix: 32 });
    expect(parseCidr("255.255.255.255/32")?.end).toBe(0xffffffff);
    for (const bad of ["256.0.0.0/8", "10.256.0.0/16", "10.0.256.0/24", "10.0.0.256/32", "10.0.0.0/33", "1000.0.0.0/8", " 10.0.0.0/8", "10.0.0.0/8 ", "10.0.0/8", "10.0.0.0/", "10.0.0.128/24"]) {
      expect(parseCidr(bad), bad).toBeUndefined();
    }
  });

  it("containment and overlap at the edges: a CIDR contains itself; one shared address is an overlap", () => {
    const vpc = parseCidr("10.42.0.0/16")!;
    expect(cidrContains(vpc, vpc)).toBe(true);
    expect(cidrContains(vpc, parseCidr("10.42.255.255/32")!)).toBe(true);
    expect(cidrContains(vpc, parseCidr("10.42.0.0/15")!)).toBe(false);
    expect(cidrContains(parseCidr("10.42.128.0/17")!, parseCidr("10.42.0.0/24")!)).toBe(false);
    expect(cidrsOverlap(parseCidr("10.42.0.0/24")!, parseCidr("10.42.0.255/32")!)).toBe(true);
    expect(cidrsOverlap(parseCidr("10.42.0.255/32")!, parseCidr("10.42.0.0/24")!)).toBe(true);
    expect(cidrsOverlap(parseCidr("10.42.0.0/24")!, parseCidr("10.42.1.0/24")!)).toBe(false);
    expect(cidrsOverlap(parseCidr("10.42.1.0/24")!, parseCidr("10.42.0.0/24")!)).toBe(false);
  });
});

/** The problems validation reports for this project (with the shipped environments). */
function projectRefusal(edit: Partial<Mutable<ProjectDefinition>>): readonly string[] {
  try {
    validateEnvironments(ENVIRONMENTS, SERVICE_CATALOG, { ...PROJECT_DEFINITION, ...edit } as ProjectDefinition);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return (error as ConfigValidationError).problems;
  }
  throw new Error("validation accepted the project");
}

/** The problems validation reports for these environments. */
function problemsOf(envs: readonly EnvironmentDefinition[]): readonly string[] {
  try {
    validateEnvironments(envs);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return (error as ConfigValidationError).problems;
  }
  return [];
}

const stagingWith = (edit: (env: Mutable<EnvironmentDefinition>) => void) => problemsOf([variant(STAGING, edit), PRODUCTION]);
const stagingHost = (instanceType: string) =>
  stagingWith((e) => {
    if (e.dataPlane.mode === "host") e.dataPlane.instanceType = instanceType;
  });

describe("CFG-5: the project's GitHub settings are validated", () => {
  it.each(["glimpse-technology/*", "glimpse-technology/tracker-*", "*/tracker-infrastructure", "glimpse-technology/tracker-infra?tructure"])(
    "CFG-5: a wildcard repository (%s) in the CI roles' trust is refused, naming project.githubRepository",
    (repository) => {
      const problems = projectRefusal({ githubRepository: repository });
      // One problem for the one bad value, not a second "is not owner/name" for the same mistake.
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^project\\.githubRepository: "${repository.replace(/[*?]/g, "\\$&")}" contains a wildcard; name exactly one repository as owner/name`));
      expect(problems[0]).toMatch(/production's deploy role/);
    },
  );

  it("CFG-5: a wildcard repository never reaches a trust policy: buildApp refuses it and writes nothing", () => {
    const outdir = mkdtempSync(join(tmpdir(), "tracker-wildcard-"));
    expect(() => buildApp({ project: { ...PROJECT_DEFINITION, githubRepository: "glimpse-technology/*" }, outdir })).toThrow(
      /project\.githubRepository: "glimpse-technology\/\*" contains a wildcard/,
    );
    expect(readdirSync(outdir)).toEqual([]);
  });

  it.each([
    "https://github.com/glimpse-technology/tracker-infrastructure",
    "https://github.com/glimpse-technology/tracker-infrastructure.git",
    "git@github.com:glimpse-technology/tracker-infrastructure.git",
    "github.com/glimpse-technology/tracker-infrastructure",
  ])("CFG-5: a repository written as a URL (%s) is refused with the owner/name to write instead", (repository) => {
    const problems = projectRefusal({ githubRepository: repository });
    expect(problems).toEqual([
      `project.githubRepository: "${repository}" is a URL; write the repository as owner/name, here "glimpse-technology/tracker-infrastructure" (the CI roles' trust compares GitHub's "repo:owner/name" claim)`,
    ]);
  });

  it("CFG-5: a repository with a .git suffix is refused", () => {
    expect(projectRefusal({ githubRepository: "glimpse-technology/tracker-infrastructure.git" })).toEqual([
      'project.githubRepository: "glimpse-technology/tracker-infrastructure.git" ends in ".git"; write the repository as owner/name without it ("glimpse-technology/tracker-infrastructure")',
    ]);
  });

  it.each(["tracker-infrastructure", "glimpse-technology/tracker/infrastructure", ""])("CFG-5: %j is not owner/name and is refused", (repository) => {
    expect(projectRefusal({ githubRepository: repository })).toEqual([
      `project.githubRepository: "${repository}" is not owner/name (exactly one "/" between the GitHub account and the repository)`,
    ]);
  });

  it.each(["-glimpse/tracker", "glimpse-/tracker", "glimpse--technology/tracker", `${"a".repeat(40)}/tracker`, "glimpse_technology/tracker"])(
    "CFG-5: GitHub's account name rules: %s is refused",
    (repository) => {
      const problems = projectRefusal({ githubRepository: repository });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^project\.githubRepository: .* is not a GitHub account name \(letters, digits and single hyphens, no hyphen at the start or end, at most 39 characters\)$/);
    },
  );

  it.each(["glimpse-technology/.", "glimpse-technology/..", "glimpse-technology/tracker infra", `glimpse-technology/${"r".repeat(101)}`])(
    "CFG-5: GitHub's repository name rules: %s is refused",
    (repository) => {
      const problems = projectRefusal({ githubRepository: repository });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^project\.githubRepository: .* is not a GitHub repository name/);
    },
  );

  it("CFG-5: names at GitHub's limits are accepted", () => {
    for (const repository of [`${"a".repeat(39)}/${"r".repeat(100)}`, "g1-t2/tracker.web_v2-x", "A/B"]) {
      expect(() => validateEnvironments(ENVIRONMENTS, SERVICE_CATALOG, { ...PROJECT_DEFINITION, githubRepository: repository }), repository).not.toThrow();
    }
  });

  it("CFG-5: application repositories are each checked, and listed once (GitHub names ignore case)", () => {
    expect(projectRefusal({ applicationRepositories: ["glimpse-technology/tracker", "Glimpse-Technology/Tracker", "glimpse-technology/*"] })).toEqual([
      'project.applicationRepositories[1]: "Glimpse-Technology/Tracker" is already applicationRepositories[0]; list each repository once',
      expect.stringMatching(/^project\.applicationRepositories\[2\]: "glimpse-technology\/\*" contains a wildcard/),
    ]);
    expect(projectRefusal({ applicationRepositories: [] })).toEqual([
      "project.applicationRepositories: is empty; list the owner/name of every repository that builds the images, or no workflow can push one",
    ]);
  });

  it.each([
    ["", /is empty/],
    ["prod*", /"prod\*" contains a wildcard/],
    ["repo:x", /contains a colon or a control character/],
    [" production", /has leading or trailing spaces/],
    ["p".repeat(256), /is 256 characters long; GitHub allows at most 255/],
    ["prod", /"prod" differs from the production environment's name "production", which the production deploy role's trust names \(repo:glimpse-technology\/tracker-infrastructure:environment:production\); use "production"/],
  ])("CFG-5: the GitHub production environment %j is refused", (environment, message) => {
    const problems = projectRefusal({ githubProductionEnvironment: environment });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^project\.githubProductionEnvironment: /);
    expect(problems[0]).toMatch(message);
  });

  it("CFG-5: the project name is the fixed naming prefix", () => {
    expect(projectRefusal({ name: "tracker2" as "tracker" })).toEqual([
      'project.name: "tracker2" must be "tracker": every name and the Project tag use that prefix (src/config/naming.ts)',
    ]);
  });
});

describe("CFG-5: values AWS would reject at apply are refused at synth", () => {
  it("CFG-5 / DB-1: the committed Graviton list has EC2's real sizes", () => {
    // From the EC2 Instance Types Guide: T4g nano..2xlarge; M7g medium..16xlarge plus metal;
    // Graviton4 (m8g, r8g) adds 24xlarge, 48xlarge and two metal sizes.
    expect(GRAVITON_INSTANCE_SIZES.t4g).toEqual(["nano", "micro", "small", "medium", "large", "xlarge", "2xlarge"]);
    expect(GRAVITON_INSTANCE_SIZES.m7g).toEqual(["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal"]);
    expect(GRAVITON_INSTANCE_SIZES.r8g).toEqual([
      "medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge", "metal-24xl", "metal-48xl",
    ]);
    for (const type of ["t4g.nano", "m7g.metal", "r8g.metal-48xl", "c6gd.16xlarge", "x2gd.medium", "m8g.48xlarge"]) {
      expect(stagingHost(type), type).toEqual([]);
    }
  });

  it.each([
    ["t4g.4xlarge", "t4g comes in nano, micro, small, medium, large, xlarge, 2xlarge (not 4xlarge)"],
    ["m7g.24xlarge", "m7g comes in medium, large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge, metal (not 24xlarge)"],
    ["r8g.metal", "r8g comes in medium, large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge, 24xlarge, 48xlarge, metal-24xl, metal-48xl (not metal)"],
    ["t4g.nano2", "t4g comes in nano, micro, small, medium, large, xlarge, 2xlarge (not nano2)"],
  ])("CFG-5 / DB-1: the instance type %s does not exist and is refused with the family's real sizes", (type, sizes) => {
    expect(stagingHost(type)).toEqual([`staging.dataPlane.instanceType: "${type}" does not exist: ${sizes}`]);
  });

  it.each(["t3.large", "m7i.xlarge", "c7a.large", "m5.large", "r6i.2xlarge"])("CFG-5 / DB-1: the x86 type %s gets its own message", (type) => {
    const problems = stagingHost(type);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^staging\\.dataPlane\\.instanceType: "${type.replace(".", "\\.")}" is an x86 instance type; the database host boots an ARM64 \\(Graviton\\) image, so use a Graviton type such as t4g\\.large`));
  });

  it.each(["c7gn.large", "a1.large", "g5g.xlarge", "hpc7g.4xlarge", "im4gn.large"])("CFG-5 / DB-1: the Graviton type %s of a family unfit for the database host is refused", (type) => {
    const problems = stagingHost(type);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/is not a Graviton family for a database host; use one of t4g, m6g, /);
  });

  it.each(["T4G.LARGE", "t4g-large", "large", ""])("CFG-5 / DB-1: %j is not an instance type at all", (type) => {
    expect(stagingHost(type)).toEqual([`staging.dataPlane.instanceType: "${type}" is not an EC2 instance type (family.size, lower case, e.g. t4g.large)`]);
  });

  it("CFG-5: a region AWS does not have, or of another partition, is refused", () => {
    const problems = stagingWith((e) => {
      e.region = "eu-centrall-1";
      e.availabilityZones = ["eu-centrall-1a", "eu-centrall-1b"];
    });
    expect(problems).toContain(
      'staging.region: "eu-centrall-1" is not a region of the commercial AWS partition (the ARNs here are arn:aws:...); e.g. eu-central-1',
    );
    const china = stagingWith((e) => {
      e.region = "cn-north-1";
      e.availabilityZones = ["cn-north-1a", "cn-north-1b"];
    });
    expect(china).toContain('staging.region: "cn-north-1" is not a region of the commercial AWS partition (the ARNs here are arn:aws:...); e.g. eu-central-1');
  });

  it("CFG-5 / EDGE-2: a certificate domain name longer than ACM's 64 characters is refused", () => {
    const at = (length: number) =>
      stagingWith((e) => (e.dns.hostnames.frontend = `${"a".repeat(length - ".staging.glimpse.technology".length)}.staging.glimpse.technology`));
    expect(at(64)).toEqual([]);
    const name = `${"a".repeat(65 - ".staging.glimpse.technology".length)}.staging.glimpse.technology`;
    expect(at(65)).toEqual([
      `staging.dns.hostnames.frontend: "${name}" is 65 characters; it is the certificate's domain name, which ACM limits to 64`,
    ]);
  });

  it("CFG-5 / CFG-2: token settings the API cannot use are refused", () => {
    expect(
      stagingWith((e) => {
        e.authTokens = { accessTokenExpireMinutes: 0, refreshTokenExpireDays: 1.5, algorithm: "RS256" as "HS256" };
      }),
    ).toEqual([
      "staging.authTokens.accessTokenExpireMinutes: must be a whole number of minutes >= 1, got 0",
      "staging.authTokens.refreshTokenExpireDays: must be a whole number of days >= 1, got 1.5",
      'staging.authTokens.algorithm: "RS256" is not an HMAC algorithm the secret key can sign with; use HS256, HS384 or HS512',
    ]);
    expect(stagingWith((e) => (e.authTokens = { accessTokenExpireMinutes: 10080, refreshTokenExpireDays: 7, algorithm: "HS256" }))).toEqual([
      "staging.authTokens.accessTokenExpireMinutes: 10080 minutes is not shorter than the refresh token (7 days); an access token must expire first",
    ]);
  });

  it("CFG-5 / ACC-4: CI trust settings IAM or GitHub cannot honour are refused", () => {
    expect(stagingWith((e) => (e.ci.deployFrom = []))).toEqual([
      'staging.ci.deployFrom: is empty: the deploy role would trust no workflow; use "main-branch" and/or "github-environment"',
    ]);
    expect(
      stagingWith((e) => {
        e.ci.deployFrom = ["main-branch", "main-branch", "tag" as "main-branch"];
        e.ci.githubOidcProvider = "maybe" as "create";
      }),
    ).toEqual([
      'staging.ci.githubOidcProvider: "maybe" is neither "create" nor "existing"',
      'staging.ci.deployFrom[1]: "main-branch" is listed twice',
      'staging.ci.deployFrom[2]: "tag" is neither "main-branch" nor "github-environment"',
    ]);
  });

  it("CFG-5 / PRD-2: an external database name that is not a PostgreSQL identifier is refused", () => {
    const problems = problemsOf([
      STAGING,
      variant(PRODUCTION, (e) => {
        if (e.dataPlane.mode === "external") e.dataPlane.postgres.databaseName = "tracker-db";
      }),
    ]);
    expect(problems).toEqual(['production.dataPlane.postgres.databaseName: "tracker-db" is not a plain PostgreSQL identifier']);
  });

  it("CFG-5 / ECS-7: fractional autoscaling bounds are refused", () => {
    const problems = problemsOf([STAGING, variant(PRODUCTION, (e) => (e.services.api.autoscaling = { minCount: 1.5, maxCount: 8, cpuTargetPercent: 60 }))]);
    expect(problems).toEqual(["production.services.api.autoscaling: minCount and maxCount must be whole numbers of tasks, got 1.5..8"]);
  });

  it("CFG-5: one bad value is one problem, and every bad value is reported in one pass", () => {
    const problems = stagingWith((e) => {
      if (e.dataPlane.mode === "host") e.dataPlane.instanceType = "t3.large";
      e.logRetentionDays = 45;
      e.accountId = "12345";
    });
    expect(problems.map((p) => p.split(":")[0])).toEqual(["staging.accountId", "staging.logRetentionDays", "staging.dataPlane.instanceType"]);
  });
});

describe("CFG-5 / EDGE-5 / DLV-1: the admin allow-list fits the admin host's one listener rule", () => {
  it("CFG-5 / EDGE-5 / DLV-1: 3 CIDRs fit, 4 are refused at synth instead of failing inside the load balancer construct", () => {
    const cidrs = (n: number) => Array.from({ length: n }, (_, i) => `203.0.${i}.0/24`);
    // The admin name must be two levels below the zone, or Cloudflare's proxy hides the client (EDGE-5).
    // One rule (host + 3 source IPs), because ECS shifts the weights of exactly one rule per service.
    expect(stagingWith((e) => (e.loadBalancer.adminAllowedCidrs = cidrs(3)))).toEqual([]);
    expect(stagingWith((e) => (e.loadBalancer.adminAllowedCidrs = cidrs(4)))).toEqual([
      "staging.loadBalancer.adminAllowedCidrs: has 4 CIDRs; at most 3 fit the admin host's one listener rule (ALB rules take five condition values each, and ECS shifts the traffic of one rule per service, DLV-1); merge them into wider CIDRs",
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// IMG-1: each row's health command and writable paths match its image contract
// ---------------------------------------------------------------------------------------------

describe("IMG-1: the catalog's image contracts are validated", () => {
  /** The refusal message for the shipped catalog with one row changed. */
  const withRow = (name: ServiceDefinition["name"], edit: (row: ServiceDefinition) => ServiceDefinition) =>
    refusal(ENVIRONMENTS, SERVICE_CATALOG.map((s) => (s.name === name ? edit(s) : s)));
  const anisette = SERVICE_CATALOG.find((s) => s.name === "anisette")!;

  it("IMG-1: the shipped contracts pass; anisette's states the upstream image's facts", () => {
    expect(() => validateEnvironments(ENVIRONMENTS)).not.toThrow();
    expect(anisette.image.tools).toContain("curl");
    expect(anisette.image.tools).not.toContain("wget");
    expect(anisette.image.user).toEqual({ uid: 1000, gid: 1000 });
    expect(anisette.image.command).toEqual(["--adi-path", "/data"]);
    expect(anisette.storage).toEqual({ efsMountPath: "/data" });
    expect(anisette.image.scratchPaths).toEqual([{ path: "/opt/provisioning", volume: "tmpfs", sizeMiB: 16 }]);
  });

  it("IMG-1: a health command using a tool the image does not provide is refused (anisette's former wget check)", () => {
    const message = withRow("anisette", (s) => ({ ...s, healthCommand: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:6969/ || exit 1"] }));
    expect(message).toContain('catalog.anisette.healthCommand: runs "wget", which the image does not provide (image.tools: sh, curl)');
    // The exec form names its executable by path.
    expect(withRow("anisette", (s) => ({ ...s, healthCommand: ["CMD", "/usr/bin/wget", "-q", "http://127.0.0.1:6969/"] }))).toContain(
      'catalog.anisette.healthCommand: runs "wget", which the image does not provide (image.tools: sh, curl)',
    );
    // CMD-SHELL needs a shell in the image.
    expect(withRow("api", (s) => ({ ...s, image: { ...s.image, tools: ["curl"] } }))).toContain(
      'catalog.api.healthCommand: runs "sh", which the image does not provide (image.tools: curl)',
    );
  });

  it("IMG-1: a health command checking another port than the row's is refused", () => {
    expect(withRow("anisette", (s) => ({ ...s, healthCommand: ["CMD-SHELL", "curl -fsS http://127.0.0.1:8080/ || exit 1"] }))).toContain(
      "catalog.anisette.healthCommand: checks port 8080, but the service listens on port 6969",
    );
    // No port in the URL is port 80.
    expect(withRow("frontend", (s) => ({ ...s, healthCommand: ["CMD-SHELL", "curl -fsS http://localhost/healthz || exit 1"] }))).toContain(
      "catalog.frontend.healthCommand: checks port 80, but the service listens on port 3000",
    );
  });

  it("IMG-1: a health command checking another path than the row's healthPath is refused", () => {
    expect(withRow("api", (s) => ({ ...s, healthCommand: ["CMD-SHELL", "curl -fsS -o /dev/null http://127.0.0.1:8000/healthz || exit 1"] }))).toContain(
      "catalog.api.healthCommand: checks path /healthz, but the service's healthPath is /health",
    );
  });

  it("IMG-1: a health command requesting another host than the container itself is refused", () => {
    expect(withRow("admin", (s) => ({ ...s, healthCommand: ["CMD-SHELL", "curl -fsS http://admin.example.org:3001/healthz || exit 1"] }))).toContain(
      "catalog.admin.healthCommand: requests host admin.example.org; a container health check runs inside the task and must request 127.0.0.1",
    );
  });

  it("IMG-1: a service with a port whose health command checks no URL, or that has no healthPath, is refused", () => {
    expect(withRow("api", (s) => ({ ...s, healthCommand: ["CMD-SHELL", "true"] }))).toContain(
      "catalog.api.healthCommand: requests no http://127.0.0.1:8000/health; a service with a port is checked on its own port and healthPath",
    );
    const { healthPath: _path, ...withoutPath } = anisette;
    expect(refusal(ENVIRONMENTS, SERVICE_CATALOG.map((s) => (s.name === "anisette" ? withoutPath : s)))).toContain(
      "catalog.anisette.healthPath: a service with a port needs the HTTP path its health checks request",
    );
  });

  it("IMG-1: a worker whose health command requests a URL is refused (a worker has no port)", () => {
    const message = withRow("tracker-fetcher", (s) => ({
      ...s,
      healthCommand: ["CMD-SHELL", "curl -fsS http://127.0.0.1:8080/health || exit 1"],
      image: { ...s.image, tools: ["sh", "curl"] },
    }));
    expect(message).toContain("catalog.tracker-fetcher.healthCommand: requests 127.0.0.1:8080/health, but a worker has no port to check");
  });

  it("IMG-1: a worker whose heartbeat file is on no writable path is refused", () => {
    expect(withRow("notification-service", (s) => ({ ...s, image: { ...s.image, scratchPaths: [] } }))).toContain(
      "catalog.notification-service.image.scratchPaths: the health command reads /tmp/worker-heartbeat, which the worker writes, but no writable path holds it",
    );
  });

  it("IMG-1: scratch paths must be absolute, distinct, apart from the persistent storage, and sized when tmpfs", () => {
    const scratch = (paths: ServiceDefinition["image"]["scratchPaths"]) => (s: ServiceDefinition) => ({ ...s, image: { ...s.image, scratchPaths: paths } });
    expect(withRow("api", scratch([{ path: "tmp", volume: "ephemeral" }]))).toContain(
      'catalog.api.image.scratchPaths[0]: "tmp" is not a normalized absolute path (and not "/")',
    );
    expect(withRow("api", scratch([{ path: "/", volume: "ephemeral" }]))).toContain(
      'catalog.api.image.scratchPaths[0]: "/" is not a normalized absolute path (and not "/")',
    );
    expect(withRow("api", scratch([{ path: "/tmp", volume: "ephemeral" }, { path: "/tmp/cache", volume: "ephemeral" }]))).toContain(
      "catalog.api.image.scratchPaths[0]: /tmp overlaps image.scratchPaths[1] /tmp/cache",
    );
    expect(withRow("anisette", scratch([{ path: "/data/tmp", volume: "tmpfs", sizeMiB: 16 }]))).toContain(
      "catalog.anisette.image.scratchPaths[0]: /data/tmp overlaps the persistent storage at /data; state that must survive restarts goes there, scratch elsewhere",
    );
    expect(withRow("anisette", scratch([{ path: "/opt/provisioning", volume: "tmpfs" }]))).toContain(
      "catalog.anisette.image.scratchPaths[0]: a tmpfs needs sizeMiB, a positive whole number of MiB (it counts against the task's memory)",
    );
    expect(withRow("api", scratch([{ path: "/tmp", volume: "ephemeral", sizeMiB: 64 }]))).toContain(
      "catalog.api.image.scratchPaths[0]: sizeMiB applies to tmpfs only; an ephemeral bind mount shares the task's ephemeral storage",
    );
  });

  it("IMG-1: an image user that is root or not a POSIX id is refused, and storage needs the user", () => {
    expect(withRow("anisette", (s) => ({ ...s, image: { ...s.image, user: { uid: 0, gid: 0 } } }))).toContain(
      "catalog.anisette.image.user.uid: 0 is root; images run as a non-root user",
    );
    expect(withRow("anisette", (s) => ({ ...s, image: { ...s.image, user: { uid: 1000, gid: -1 } } }))).toContain(
      "catalog.anisette.image.user.gid: -1 is not a POSIX gid",
    );
    const { user: _user, ...withoutUser } = anisette.image;
    expect(withRow("anisette", (s) => ({ ...s, image: withoutUser }))).toContain(
      "catalog.anisette.image.user: a service with storage needs the image's uid and gid: the EFS access point writes as them",
    );
  });

  it("IMG-1: tools are executable names and command arguments are not empty", () => {
    expect(withRow("admin", (s) => ({ ...s, image: { ...s.image, tools: ["sh", "/usr/bin/curl"] } }))).toContain(
      "catalog.admin.image.tools: lists executable names, without paths or spaces",
    );
    expect(withRow("anisette", (s) => ({ ...s, image: { ...s.image, command: ["--adi-path", ""] } }))).toContain(
      "catalog.anisette.image.command: has an empty argument",
    );
  });
});

/**
 * CFG-4 / CFG-5: the messages an operator reads, in full. Each broken definition below breaks many
 * fields at once; every problem is reported (validation does not stop at the first), in order, with
 * `environment.field` and what is wrong, exactly as written here.
 */
describe("CFG-4: every problem of a broken definition is reported, each exactly as the operator reads it", () => {
  it("CFG-4: a staging definition broken in 41 ways gets 41 lines, one per problem, in the order of the definition", () => {
    const env = looseVariant(STAGING, (s) => {
      s.accountId = "80273253968";
      s.availabilityZones = ["eu-central-1a", "eu-central-1a", "eu-west-1b"];
      s.reservedCidrs = ["10.42.0.0/33", "10.42.16.0/20"];
      s.network.natStrategy = "single";
      s.network.peerings = [{ name: "Patroni!", peerVpcId: "vpc-1", peerCidr: "10.42.1.0/24", peerRouteTableIds: [], privateZoneIds: ["z123"] }];
      s.network.subnets.public = ["10.42.0.0/29", "10.43.0.0/24", "nope"];
      s.dns.hostnames.api = "API.example.com";
      s.dns.hostnames.frontend = "tracker.example.org";
      s.loadBalancer.adminAllowedCidrs = ["1.2.3.4/40"];
      s.logRetentionDays = 45;
      s.alarmEmail = "alerts@";
      s.budget.monthlyLimitUsd = 0;
      s.imagesKept = 1001;
      s.services.api = { cpu: 256, memory: 4096, desiredCount: 0, autoscaling: { minCount: 2, maxCount: 1, cpuTargetPercent: 95 } };
      s.services.anisette = { cpu: 300, memory: 512, desiredCount: 1.5, autoscaling: { minCount: 1, maxCount: 2, cpuTargetPercent: 9 } };
      delete s.services["tracker-fetcher"];
      s.services["report-generator"] = { cpu: 256, memory: 512, desiredCount: 1 };
      s.databaseVersions = { postgres: "17.1", timescaledb: "2.17", postgis: "3", valkey: "8" };
      s.dataPlane.dataVolumeGiB = 9;
      s.dataPlane.snapshotRetentionDays = 0;
      s.dataPlane.databaseName = "Tracker";
      s.dataPlane.databaseUser = "1user";
    });
    expect(environmentProblems(env)).toEqual([
      'staging.accountId: "80273253968" is not a 12-digit AWS account ID',
      "staging.availabilityZones: lists the same zone twice",
      'staging.availabilityZones: "eu-west-1b" is not a zone of region eu-central-1',
      'staging.reservedCidrs[0]: "10.42.0.0/33" is not a valid IPv4 CIDR',
      "staging.network.vpcCidr: 10.42.0.0/16 overlaps 10.42.16.0/20, which reservedCidrs says is already used in account 80273253968",
      'staging.network.natInstanceType: is set but natStrategy is "single"; remove it or use natStrategy "instance"',
      'staging.network.peerings[0].name: "Patroni!" must be a short lower-case name',
      'staging.network.peerings[0].peerVpcId: "vpc-1" is not a VPC ID',
      "staging.network.peerings[0].peerCidr: 10.42.1.0/24 overlaps the VPC 10.42.0.0/16; peered VPCs must not overlap",
      "staging.network.peerings[0].peerRouteTableIds: needs the peer's route tables, or its subnets cannot answer",
      'staging.network.peerings[0].privateZoneIds[0]: "z123" is not a Route 53 hosted zone ID',
      "staging.network.subnets.public[0]: 10.42.0.0/29 is smaller than /28, the smallest subnet AWS allows",
      "staging.network.subnets.public[1]: 10.43.0.0/24 is outside the VPC 10.42.0.0/16",
      'staging.network.subnets.public[2]: "nope" is not a valid IPv4 CIDR',
      "staging.network.subnets.application: needs one subnet per availability zone (3), got 2",
      "staging.network.subnets.data: needs one subnet per availability zone (3), got 2",
      'staging.dns.hostnames.frontend: "tracker.example.org" is outside the Cloudflare zone glimpse.technology',
      'staging.dns.hostnames.api: "API.example.com" is not a valid lower-case hostname',
      'staging.loadBalancer.adminAllowedCidrs[0]: "1.2.3.4/40" is not a valid IPv4 CIDR',
      "staging.logRetentionDays: 45 is not a CloudWatch Logs retention; use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
      'staging.alarmEmail: "alerts@" is not an email address',
      "staging.budget.monthlyLimitUsd: must be a positive amount of USD up to 1000000, got 0",
      "staging.imagesKept: must be a whole number from 1 to 1000, got 1001",
      "staging.services.api.memory: 4096 MiB is not valid with 256 CPU units on Fargate; use one of 512, 1024, 2048",
      "staging.services.api.autoscaling: needs 1 <= minCount <= maxCount, got 2..1",
      "staging.services.api.desiredCount: 0 is outside the autoscaling range 2..1",
      "staging.services.api.autoscaling.cpuTargetPercent: must be between 10 and 90, got 95",
      "staging.services.tracker-fetcher: is missing: every service of the catalog needs a size in every environment",
      "staging.services.anisette.cpu: 300 is not a Fargate CPU value; use 256, 512, 1024, 2048, 4096, 8192 or 16384",
      "staging.services.anisette.desiredCount: must be a whole number >= 0, got 1.5",
      "staging.services.anisette.autoscaling: only public web services autoscale on CPU; size workers with desiredCount",
      "staging.services.anisette.autoscaling.cpuTargetPercent: must be between 10 and 90, got 9",
      "staging.services.report-generator: is not a service of the catalog",
      'staging.databaseVersions.postgres: "17.1" is not a PostgreSQL major version',
      'staging.databaseVersions.timescaledb: "2.17" must be an exact version x.y.z',
      'staging.databaseVersions.postgis: "3" must be major.minor',
      'staging.databaseVersions.valkey: "8" must be major.minor',
      "staging.dataPlane.dataVolumeGiB: must be a whole number of GiB from 10 to 16384, got 9",
      "staging.dataPlane.snapshotRetentionDays: must be from 1 to 1000, got 0",
      'staging.dataPlane.databaseName: "Tracker" is not a plain PostgreSQL identifier',
      'staging.dataPlane.databaseUser: "1user" is not a plain PostgreSQL identifier',
    ]);
  });

  it("CFG-4: the limits themselves are accepted (budget 1000000, 1000 images, 16384 GiB, 1000 days of snapshots, autoscaling 1..1 at 90 %)", () => {
    const env = looseVariant(STAGING, (s) => {
      s.budget.monthlyLimitUsd = 1_000_000;
      s.imagesKept = 1000;
      s.dataPlane.dataVolumeGiB = 16384;
      s.dataPlane.snapshotRetentionDays = 1000;
      s.services.api = { cpu: 256, memory: 512, desiredCount: 1, autoscaling: { minCount: 1, maxCount: 1, cpuTargetPercent: 90 } };
    });
    expect(environmentProblems(env)).toEqual([]);
  });

  it("CFG-4: one step past each limit is refused", () => {
    const env = looseVariant(STAGING, (s) => {
      s.budget.monthlyLimitUsd = 1_000_000.01;
      s.imagesKept = 0;
      s.dataPlane.dataVolumeGiB = 16385;
      s.dataPlane.snapshotRetentionDays = 1001;
      s.services.api = { cpu: 256, memory: 512, desiredCount: 3, autoscaling: { minCount: 1, maxCount: 2, cpuTargetPercent: 10 } };
    });
    expect(environmentProblems(env)).toEqual([
      "staging.budget.monthlyLimitUsd: must be a positive amount of USD up to 1000000, got 1000000.01",
      "staging.imagesKept: must be a whole number from 1 to 1000, got 0",
      "staging.services.api.desiredCount: 3 is outside the autoscaling range 1..2",
      "staging.dataPlane.dataVolumeGiB: must be a whole number of GiB from 10 to 16384, got 16385",
      "staging.dataPlane.snapshotRetentionDays: must be from 1 to 1000, got 1001",
    ]);
  });

  it("CFG-4: a NAT strategy that does not exist, and a NAT instance type that is not Graviton burstable", () => {
    const env = looseVariant(STAGING, (s) => {
      s.network.natStrategy = "gateway";
      s.network.natInstanceType = "t3.nano";
    });
    expect(environmentProblems(env)).toEqual([
      'staging.network.natStrategy: unknown NAT strategy "gateway"; use "single", "per-az" or "instance"',
      'staging.network.natInstanceType: is set but natStrategy is "gateway"; remove it or use natStrategy "instance"',
      'staging.network.natInstanceType: "t3.nano" is not a Graviton burstable type (t4g.nano ... t4g.2xlarge)',
    ]);
  });

  it("PRD-2: production with a bad region, one zone and unusable Patroni/MemoryDB endpoints", () => {
    const env = looseVariant(PRODUCTION, (p) => {
      p.region = "eu-central";
      p.availabilityZones = ["eu-central-1a"];
      for (const kind of ["postgres", "redis"]) Object.assign(p.dataPlane[kind], { host: "not a host", port: 70000, cidrs: ["10.20.0.0/99"] });
    });
    expect(environmentProblems(env)).toEqual([
      'production.region: "eu-central" is not an AWS region name',
      "production.availabilityZones: needs at least two availability zones, got 1",
      'production.availabilityZones: "eu-central-1a" is not a zone of region eu-central',
      "production.network.subnets.public: needs one subnet per availability zone (1), got 3",
      "production.network.subnets.application: needs one subnet per availability zone (1), got 3",
      "production.network.subnets.data: needs one subnet per availability zone (1), got 3",
      'production.dataPlane.postgres.host: "not a host" is not a hostname',
      "production.dataPlane.postgres.port: 70000 is not a TCP port",
      'production.dataPlane.postgres.cidrs[0]: "10.20.0.0/99" is not a valid IPv4 CIDR',
      'production.dataPlane.redis.host: "not a host" is not a hostname',
      "production.dataPlane.redis.port: 70000 is not a TCP port",
      'production.dataPlane.redis.cidrs[0]: "10.20.0.0/99" is not a valid IPv4 CIDR',
    ]);
  });
});

describe("CFG-4: the edge, deployment, schedule and AWS-limit checks, each message in full", () => {
  it("EDGE-7 / EDGE-8: production without WAF, with unknown or repeated count-only rules, a zero alarm threshold, HSTS a second short of a year, preload without includeSubDomains, and an unknown frame option", () => {
    const env = looseVariant(PRODUCTION, (p) => {
      p.loadBalancer.waf = { ...p.loadBalancer.waf, enabled: false, rateLimitPer5Min: 99, countOnlyCommonRules: ["SizeRestrictions_BODY", "NoSuchRule", "SizeRestrictions_BODY"], blockedRequestsAlarmThreshold: 0 };
      p.loadBalancer.securityHeaders = { ...p.loadBalancer.securityHeaders, hstsMaxAgeSeconds: 31_535_999, hstsPreload: true, hstsIncludeSubdomains: false, frameOptions: "ALLOW-FROM x" };
    });
    expect(edgeProtectionProblems(env)).toEqual(EDGE_PROD);
  });

  it("EDGE-7 / EDGE-8: a rate limit above WAF's maximum and a negative HSTS age (staging may run without WAF and with a short HSTS)", () => {
    const env = looseVariant(STAGING, (s) => {
      s.loadBalancer.securityHeaders = { ...s.loadBalancer.securityHeaders, hstsMaxAgeSeconds: -1 };
      s.loadBalancer.waf = { ...s.loadBalancer.waf, rateLimitPer5Min: 2_000_000_001 };
    });
    expect(edgeProtectionProblems(env)).toEqual(EDGE_STAGING);
  });

  it("DLV-1: deployment strategy, canary share and bake times", () => {
    const with_ = (deployment: Loose) => deploymentProblems(looseVariant(STAGING, (s) => (s.deployment = deployment)));
    expect(with_({ strategy: "BLUE_GREEN", canaryPercent: 10.05, canaryBakeMinutes: 0, bakeMinutes: 1441 })).toEqual(DEP);
    expect(with_({ strategy: "CANARY", canaryPercent: 100, canaryBakeMinutes: 1440, bakeMinutes: 0 })).toEqual(DEP2);
    expect(with_({ strategy: "CANARY", canaryPercent: 0.1, canaryBakeMinutes: 1, bakeMinutes: 0 })).toEqual([]);
    expect(with_({ strategy: "CANARY", canaryPercent: 0.05, canaryBakeMinutes: 2.5, bakeMinutes: -1 })).toEqual(DEP4);
  });

  it("COST-2: the off-hours schedule's time zone, days and times", () => {
    const with_ = (schedule: Loose) => scheduleProblems(looseVariant(STAGING, (s) => (s.schedule = { ...s.schedule, ...schedule })));
    expect(with_({ timezone: "Mars/Olympus", weekdays: "FRI-MON", start: "25:00", stop: "7:60" })).toEqual(SCHED);
    expect(with_({ weekdays: "MONDAY", start: "20:00", stop: "07:00" })).toEqual(SCHED2);
    expect(with_({ start: "07:00", stop: "07:29" })).toEqual(SCHED3);
    expect(with_({ start: "23:50", stop: "23:59" })).toEqual(SCHED4);
    expect(with_({ start: "07:00", stop: "07:30" })).toEqual([]);
  });

  it("CFG-5: what AWS would refuse: a region that does not exist, an x86 host, a 69-character certificate name, five admin CIDRs, fractional task counts, token lifetimes, the OIDC provider and deploy sources", () => {
    const env = looseVariant(STAGING, (a) => {
      a.region = "eu-north-9";
      a.dataPlane.instanceType = "m5.large";
      a.dns.hostnames.frontend = `${"x".repeat(50)}.glimpse.technology`;
      a.loadBalancer.adminAllowedCidrs = ["1.0.0.0/8", "2.0.0.0/8", "3.0.0.0/8", "4.0.0.0/8", "5.0.0.0/8"];
      a.services.api = { ...a.services.api, autoscaling: { minCount: 1.5, maxCount: 2, cpuTargetPercent: 50 } };
      a.authTokens = { accessTokenExpireMinutes: 0, refreshTokenExpireDays: 0.5, algorithm: "RS256" };
      a.ci = { githubOidcProvider: "maybe", deployFrom: ["main-branch", "tag", "main-branch"] };
    });
    expect(awsLimitProblems(env)).toEqual(AWS);
  });

  it("CFG-5: an access token as long as the refresh token (one minute shorter is fine), no deploy source, and a bad external database name", () => {
    expect(
      awsLimitProblems(looseVariant(STAGING, (a) => {
        a.authTokens = { ...a.authTokens, accessTokenExpireMinutes: 2 * 24 * 60, refreshTokenExpireDays: 2 };
        a.ci = { ...a.ci, deployFrom: [] };
      })),
    ).toEqual(AWS2);
    expect(awsLimitProblems(looseVariant(STAGING, (a) => (a.authTokens = { ...a.authTokens, accessTokenExpireMinutes: 2 * 24 * 60 - 1, refreshTokenExpireDays: 2 })))).toEqual([]);
    expect(awsLimitProblems(looseVariant(PRODUCTION, (a) => (a.dataPlane.postgres.databaseName = "Bad-Name")))).toEqual(AWS3);
  });
});

const EDGE_PROD = [
  "production.loadBalancer.waf.enabled: must be true in production (EDGE-7: the production ALB is behind AWS WAF)",
  "production.loadBalancer.waf.countOnlyCommonRules[1]: \"NoSuchRule\" is not a rule of AWSManagedRulesCommonRuleSet; use one of NoUserAgent_HEADER, UserAgent_BadBots_HEADER, SizeRestrictions_QUERYSTRING, SizeRestrictions_Cookie_HEADER, SizeRestrictions_BODY, SizeRestrictions_URIPATH, EC2MetaDataSSRF_BODY, EC2MetaDataSSRF_COOKIE, EC2MetaDataSSRF_URIPATH, EC2MetaDataSSRF_QUERYARGUMENTS, GenericLFI_QUERYARGUMENTS, GenericLFI_URIPATH, GenericLFI_BODY, RestrictedExtensions_URIPATH, RestrictedExtensions_QUERYARGUMENTS, GenericRFI_QUERYARGUMENTS, GenericRFI_BODY, GenericRFI_URIPATH, CrossSiteScripting_COOKIE, CrossSiteScripting_QUERYARGUMENTS, CrossSiteScripting_BODY, CrossSiteScripting_URIPATH",
  "production.loadBalancer.waf.countOnlyCommonRules[2]: \"SizeRestrictions_BODY\" is listed twice",
  "production.loadBalancer.waf.blockedRequestsAlarmThreshold: must be a whole number of blocked requests >= 1, got 0",
  "production.loadBalancer.securityHeaders.hstsMaxAgeSeconds: production needs at least one year (31536000) of HSTS, got 31535999",
  "production.loadBalancer.securityHeaders.hstsPreload: the HSTS preload list requires includeSubDomains and a max-age of at least 31536000; set hstsIncludeSubdomains and hstsMaxAgeSeconds, or turn preload off",
  "production.loadBalancer.securityHeaders.frameOptions: \"ALLOW-FROM x\" is not an X-Frame-Options value; use DENY or SAMEORIGIN",
];
const EDGE_STAGING = [
  "staging.loadBalancer.waf.rateLimitPer5Min: must be a whole number of requests per client IP in 5 minutes from 10 to 2000000000, got 2000000001",
  "staging.loadBalancer.securityHeaders.hstsMaxAgeSeconds: must be a whole number of seconds >= 0, got -1",
];
const DEP = [
  "staging.deployment.strategy: \"BLUE_GREEN\" is not supported; the public services deploy with ECS's built-in \"CANARY\" strategy (DLV-1)",
  "staging.deployment.canaryPercent: must be a percentage from 0.1 to 100 in steps of 0.1, got 10.05",
  "staging.deployment.bakeMinutes: must be whole minutes from 0 to 1440, got 1441",
  "staging.deployment.canaryBakeMinutes: must be at least 1 minute: with 0 the canary share is skipped and the rollback alarms never see it",
];
const DEP2 = [
  "staging.deployment.canaryPercent: 100 sends all traffic to the new revision at once, which is no canary; use a small share such as 10",
];
const DEP4 = [
  "staging.deployment.canaryPercent: must be a percentage from 0.1 to 100 in steps of 0.1, got 0.05",
  "staging.deployment.canaryBakeMinutes: must be whole minutes from 0 to 1440, got 2.5",
  "staging.deployment.bakeMinutes: must be whole minutes from 0 to 1440, got -1",
];
const SCHED = [
  "staging.schedule.timezone: \"Mars/Olympus\" is not an IANA time zone (e.g. \"Europe/Berlin\")",
  "staging.schedule.weekdays: the range FRI-MON runs backwards (days run SUN to SAT); list the days, e.g. \"SUN-MON,FRI-SAT\"",
  "staging.schedule.start: \"25:00\" is not a 24-hour time HH:MM",
  "staging.schedule.stop: \"7:60\" is not a 24-hour time HH:MM",
];
const SCHED2 = [
  "staging.schedule.weekdays: \"MONDAY\" is not a cron day-of-week field of day names (e.g. \"MON-FRI\" or \"MON,WED,FRI\")",
  "staging.schedule.stop: 07:00 is not after start 20:00; the schedule runs within one day",
];
const SCHED3 = [
  "staging.schedule.stop: 07:29 is less than 30 minutes after start 07:00; the alarms wake 15 minutes after the start",
];
const SCHED4 = [
  "staging.schedule.stop: 23:59 is less than 30 minutes after start 23:50; the alarms wake 15 minutes after the start",
  "staging.schedule.stop: 23:59 leaves no 15 minutes before midnight for the database host to stop after the services",
];
const AWS = [
  "staging.region: \"eu-north-9\" is not a region of the commercial AWS partition (the ARNs here are arn:aws:...); e.g. eu-central-1",
  "staging.dataPlane.instanceType: \"m5.large\" is an x86 instance type; the database host boots an ARM64 (Graviton) image, so use a Graviton type such as t4g.large or m7g.large (families t4g, m6g, m6gd, m7g, m7gd, m8g, m8gd, c6g, c6gd, c7g, c7gd, c8g, c8gd, r6g, r6gd, r7g, r7gd, r8g, r8gd, x2gd, x8g)",
  "staging.dns.hostnames.frontend: \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.glimpse.technology\" is 69 characters; it is the certificate's domain name, which ACM limits to 64",
  "staging.loadBalancer.adminAllowedCidrs: has 5 CIDRs; at most 3 fit the admin host's one listener rule (ALB rules take five condition values each, and ECS shifts the traffic of one rule per service, DLV-1); merge them into wider CIDRs",
  "staging.services.api.autoscaling: minCount and maxCount must be whole numbers of tasks, got 1.5..2",
  "staging.authTokens.accessTokenExpireMinutes: must be a whole number of minutes >= 1, got 0",
  "staging.authTokens.refreshTokenExpireDays: must be a whole number of days >= 1, got 0.5",
  "staging.authTokens.algorithm: \"RS256\" is not an HMAC algorithm the secret key can sign with; use HS256, HS384 or HS512",
  "staging.ci.githubOidcProvider: \"maybe\" is neither \"create\" nor \"existing\"",
  "staging.ci.deployFrom[1]: \"tag\" is neither \"main-branch\" nor \"github-environment\"",
  "staging.ci.deployFrom[2]: \"main-branch\" is listed twice",
];
const AWS2 = [
  "staging.authTokens.accessTokenExpireMinutes: 2880 minutes is not shorter than the refresh token (2 days); an access token must expire first",
  "staging.ci.deployFrom: is empty: the deploy role would trust no workflow; use \"main-branch\" and/or \"github-environment\"",
];
const AWS3 = [
  "production.dataPlane.postgres.databaseName: \"Bad-Name\" is not a plain PostgreSQL identifier",
];
