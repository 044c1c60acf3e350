/**
 * CFG-4: every problem validation reports, word for word, and the limits each check draws.
 *
 * config-validation.test.ts proves that broken definitions are refused and which field is named;
 * this file pins the whole line an operator reads (field and explanation), that one mistake is one
 * problem (no more, no less), and that the values at each limit are accepted. The expected lines are
 * written out here as the reviewer reads them, never produced by the validator.
 */
import { describe, expect, it } from "vitest";
import { PRODUCTION, STAGING } from "../src/config/environments";
import type { ServiceDefinition } from "../src/config/types";
import { consumersOf, SERVICE_CATALOG } from "../src/config/service-catalog";
import { awsLimitProblems, instanceTypeProblem } from "../src/config/validate-aws-limits";
import { deploymentProblems } from "../src/config/validate-deployment";
import { githubEnvironmentProblem, githubRepositoryProblem } from "../src/config/validate-project";
import { scheduleProblems } from "../src/config/validate-schedule";
import { healthCommandTools, healthCommandUrls, imageContractProblems } from "../src/config/validate-image-contracts";
import { looseVariant, type Loose } from "./support/variants";
import { catalogProblems, ConfigValidationError, crossEnvironmentProblems, environmentProblems, fargateMemoryOptions } from "../src/config/validate";


const stagingProblems = (edit: (env: Loose) => void) => environmentProblems(looseVariant(STAGING, edit));
const productionProblems = (edit: (env: Loose) => void) => environmentProblems(looseVariant(PRODUCTION, edit));

/** The catalog with one service changed. */
function catalogWith(name: string, edit: (service: Loose) => void): ServiceDefinition[] {
  return SERVICE_CATALOG.map((s) => {
    if (s.name !== name) return s;
    const copy = structuredClone(s) as unknown as Loose;
    edit(copy);
    return copy as unknown as ServiceDefinition;
  });
}

const ADOPTED_NETWORK = {
  mode: "adopt",
  vpc: { id: "vpc-0123456789abcdef0" },
  vpcCidr: "10.52.0.0/16",
  subnets: {
    public: { ids: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1", "subnet-0123456789abcdef2"] },
    application: { tags: { Tier: "application" } },
    data: { tags: { Tier: "data" } },
  },
};

describe("CFG-4: the shipped definitions have no problem", () => {
  it("CFG-4: staging, production and the catalog report nothing", () => {
    expect(environmentProblems(STAGING)).toEqual([]);
    expect(environmentProblems(PRODUCTION)).toEqual([]);
    expect(catalogProblems(SERVICE_CATALOG)).toEqual([]);
    expect(crossEnvironmentProblems([STAGING, PRODUCTION])).toEqual([]);
  });
});

describe("CFG-4 / ACC-1: account, region and zones", () => {
  it.each([["12345"], ["8027325396861"], ["80273253968a"], [" 802732539686"]])("ACC-1: account ID %j", (accountId) => {
    expect(stagingProblems((e) => (e.accountId = accountId))).toEqual([`staging.accountId: "${accountId}" is not a 12-digit AWS account ID`]);
  });

  it("ACC-1: a region that is not a region name also makes its zones foreign", () => {
    expect(stagingProblems((e) => (e.region = "eu-central"))).toEqual([
      'staging.region: "eu-central" is not an AWS region name',
      'staging.availabilityZones: "eu-central-1a" is not a zone of region eu-central',
      'staging.availabilityZones: "eu-central-1b" is not a zone of region eu-central',
    ]);
    expect(stagingProblems((e) => (e.region = "EU-CENTRAL-1"))[0]).toBe('staging.region: "EU-CENTRAL-1" is not an AWS region name');
  });

  it("ACC-1: a region name with text before or after it is not one; a region of several words is", () => {
    const regionLines = (region: string) => stagingProblems((e) => (e.region = region)).filter((p) => p.startsWith("staging.region:"));
    expect(regionLines("xeu-central-1")).toEqual(['staging.region: "xeu-central-1" is not an AWS region name']);
    expect(regionLines("eu-central-1x")).toEqual(['staging.region: "eu-central-1x" is not an AWS region name']);
    expect(regionLines("eu-central-12")).toEqual(['staging.region: "eu-central-12" is not an AWS region name']);
    // The shape fits; only the partition is wrong, which validate-aws-limits.ts names (tested below).
    expect(regionLines("us-gov-west-1")).toEqual([]);
  });

  it("NET-2: one zone is too few, and each tier then has a subnet too many", () => {
    expect(stagingProblems((e) => (e.availabilityZones = ["eu-central-1a"]))).toEqual([
      "staging.availabilityZones: needs at least two availability zones, got 1",
      "staging.network.subnets.public: needs one subnet per availability zone (1), got 2",
      "staging.network.subnets.application: needs one subnet per availability zone (1), got 2",
      "staging.network.subnets.data: needs one subnet per availability zone (1), got 2",
    ]);
  });

  it("NET-2: a zone listed twice, a zone with two letters, a zone of another region", () => {
    expect(stagingProblems((e) => (e.availabilityZones = ["eu-central-1a", "eu-central-1a"]))).toEqual([
      "staging.availabilityZones: lists the same zone twice",
    ]);
    expect(stagingProblems((e) => (e.availabilityZones = ["eu-central-1a", "eu-central-1ab"]))).toEqual([
      'staging.availabilityZones: "eu-central-1ab" is not a zone of region eu-central-1',
    ]);
    expect(stagingProblems((e) => (e.availabilityZones = ["eu-west-1a", "eu-central-1b"]))).toEqual([
      'staging.availabilityZones: "eu-west-1a" is not a zone of region eu-central-1',
    ]);
  });
});

describe("CFG-4 / NET-1 / NET-2 / NET-3: the network the stack creates", () => {
  it("NET-1: a VPC CIDR that is not a network address", () => {
    // 10.42.1.0/16 has host bits set: AWS would take 10.42.0.0/16, not what was written.
    const problems = stagingProblems((e) => (e.network.vpcCidr = "10.42.1.0/16"));
    expect(problems[0]).toBe('staging.network.vpcCidr: "10.42.1.0/16" is not a valid IPv4 CIDR (network address/prefix)');
    // Without a VPC to compare with, the subnets are still each checked, not reported as outside it.
    expect(problems).toHaveLength(1);
  });

  it("NET-1: AWS allows VPCs from /16 to /28", () => {
    expect(stagingProblems((e) => (e.network.vpcCidr = "10.42.0.0/15"))).toEqual([
      "staging.network.vpcCidr: a VPC must be between /16 and /28, got /15",
    ]);
    const at28 = stagingProblems((e) => (e.network.vpcCidr = "10.42.0.0/28"));
    expect(at28.filter((p) => p.startsWith("staging.network.vpcCidr"))).toEqual([]);
    const at29 = stagingProblems((e) => (e.network.vpcCidr = "10.42.0.0/29"));
    expect(at29.filter((p) => p.startsWith("staging.network.vpcCidr"))).toEqual(["staging.network.vpcCidr: a VPC must be between /16 and /28, got /29"]);
  });

  it("NET-1: an unparsable reserved CIDR is one problem, and the others still count", () => {
    expect(stagingProblems((e) => (e.reservedCidrs = ["nonsense", "10.42.0.0/24"]))).toEqual([
      'staging.reservedCidrs[0]: "nonsense" is not a valid IPv4 CIDR',
      "staging.network.vpcCidr: 10.42.0.0/16 overlaps 10.42.0.0/24, which reservedCidrs says is already used in account 802732539686",
    ]);
  });

  it("NET-3: an unknown NAT strategy, with the instance type it no longer uses", () => {
    expect(stagingProblems((e) => (e.network.natStrategy = "nat-gateway"))).toEqual([
      'staging.network.natStrategy: unknown NAT strategy "nat-gateway"; use "single", "per-az" or "instance"',
      'staging.network.natInstanceType: is set but natStrategy is "nat-gateway"; remove it or use natStrategy "instance"',
    ]);
  });

  it("NET-3: a NAT instance type is only for the instance strategy, and must be a Graviton burstable type", () => {
    expect(stagingProblems((e) => (e.network.natStrategy = "single"))).toEqual([
      'staging.network.natInstanceType: is set but natStrategy is "single"; remove it or use natStrategy "instance"',
    ]);
    expect(stagingProblems((e) => (e.network.natInstanceType = "t3.nano"))).toEqual([
      'staging.network.natInstanceType: "t3.nano" is not a Graviton burstable type (t4g.nano ... t4g.2xlarge)',
    ]);
    for (const type of ["t4g.nano", "t4g.2xlarge"]) expect(stagingProblems((e) => (e.network.natInstanceType = type))).toEqual([]);
    expect(stagingProblems((e) => (e.network.natInstanceType = "t4g.4xlarge"))).toHaveLength(1);
    expect(stagingProblems((e) => delete e.network.natInstanceType)).toEqual([]);
    expect(stagingProblems((e) => ((e.network.natStrategy = "per-az"), delete e.network.natInstanceType))).toEqual([]);
  });

  it("PRD-2: a well-formed peering has no problem", () => {
    const peering = {
      name: "patroni",
      peerVpcId: "vpc-0123456789abcdef0",
      peerCidr: "10.20.0.0/16",
      peerRouteTableIds: ["rtb-0123456789abcdef0", "rtb-01234567"],
      privateZoneIds: ["Z0123456789ABCDEFGHIJ"],
    };
    expect(productionProblems((e) => (e.network.peerings = [peering]))).toEqual([]);
  });

  it("PRD-2: each malformed part of a peering is its own problem", () => {
    const problems = productionProblems(
      (e) =>
        (e.network.peerings = [
          { name: "patroni", peerVpcId: "vpc-0123456789abcdef0", peerCidr: "10.20.0.0/16", peerRouteTableIds: ["rtb-0123456789abcdef0"] },
          { name: "Peer_1", peerVpcId: "vpc-xyz", peerCidr: "10.52.8.0/24", peerRouteTableIds: [], privateZoneIds: ["z123"] },
          { name: "memorydb", peerVpcId: "vpc-0123456789abcdef0", peerCidr: "10.20.0.0/33", peerRouteTableIds: ["rtb-12"] },
        ]),
    );
    expect(problems).toEqual([
      'production.network.peerings[1].name: "Peer_1" must be a short lower-case name',
      'production.network.peerings[1].peerVpcId: "vpc-xyz" is not a VPC ID',
      "production.network.peerings[1].peerCidr: 10.52.8.0/24 overlaps the VPC 10.52.0.0/16; peered VPCs must not overlap",
      "production.network.peerings[1].peerRouteTableIds: needs the peer's route tables, or its subnets cannot answer",
      'production.network.peerings[1].privateZoneIds[0]: "z123" is not a Route 53 hosted zone ID',
      'production.network.peerings[2].peerCidr: "10.20.0.0/33" is not a valid IPv4 CIDR',
      'production.network.peerings[2].peerRouteTableIds[0]: "rtb-12" is not a route table ID',
    ]);
  });

  it("PRD-2: peering names are short lower-case names, up to 31 characters", () => {
    const named = (name: string) =>
      productionProblems(
        (e) => (e.network.peerings = [{ name, peerVpcId: "vpc-0123456789abcdef0", peerCidr: "10.20.0.0/16", peerRouteTableIds: ["rtb-0123456789abcdef0"] }]),
      );
    expect(named(`p${"a".repeat(30)}`)).toEqual([]);
    expect(named(`p${"a".repeat(31)}`)).toEqual([`production.network.peerings[0].name: "p${"a".repeat(31)}" must be a short lower-case name`]);
    expect(named("1peer")).toHaveLength(1);
  });

  it("NET-2: a subnet smaller than /28, outside the VPC, overlapping another, or unparsable", () => {
    expect(stagingProblems((e) => (e.network.subnets.public[0] = "10.42.0.0/29"))).toEqual([
      "staging.network.subnets.public[0]: 10.42.0.0/29 is smaller than /28, the smallest subnet AWS allows",
    ]);
    expect(stagingProblems((e) => (e.network.subnets.public[0] = "10.42.0.0/28"))).toEqual([]);
    expect(stagingProblems((e) => (e.network.subnets.data[1] = "10.43.65.0/24"))).toEqual([
      "staging.network.subnets.data[1]: 10.43.65.0/24 is outside the VPC 10.42.0.0/16",
    ]);
    expect(stagingProblems((e) => (e.network.subnets.data[1] = "10.42.16.0/24"))).toEqual([
      "staging.network.subnets.data[1]: 10.42.16.0/24 overlaps network.subnets.application[0] (10.42.16.0/20)",
    ]);
    expect(stagingProblems((e) => (e.network.subnets.application[0] = "10.42.16.0/40"))).toEqual([
      'staging.network.subnets.application[0]: "10.42.16.0/40" is not a valid IPv4 CIDR',
    ]);
  });
});

describe("CFG-4 / PRD-2: a network the stack adopts", () => {
  it("PRD-2: a well-formed adopted network has no problem, by ID or by tags", () => {
    expect(productionProblems((e) => (e.network = structuredClone(ADOPTED_NETWORK)))).toEqual([]);
    expect(productionProblems((e) => (e.network = { ...structuredClone(ADOPTED_NETWORK), vpc: { tags: { Name: "tracker" } } }))).toEqual([]);
  });

  it("PRD-2: wrong subnet counts, malformed IDs and empty tag lookups, each named", () => {
    const problems = productionProblems((e) => {
      e.network = structuredClone(ADOPTED_NETWORK);
      e.network.vpc = { id: "vpc-12" };
      e.network.subnets.public.ids = ["subnet-0123456789abcdef0", "subnet-XYZ"];
      e.network.subnets.application = { tags: {} };
    });
    expect(problems).toEqual([
      "production.network.subnets.public.ids: needs one subnet ID per availability zone (3), got 2",
      'production.network.subnets.public.ids[1]: "subnet-XYZ" is not a subnet ID',
      "production.network.subnets.application.tags: needs at least one tag to find the subnets by",
      'production.network.vpc.id: "vpc-12" is not a VPC ID',
    ]);
    expect(productionProblems((e) => (e.network = { ...structuredClone(ADOPTED_NETWORK), vpc: { tags: {} } }))).toEqual([
      "production.network.vpc.tags: needs at least one tag to find the VPC by",
    ]);
  });

  it("NET-1: an adopted VPC's CIDR is still checked against the CIDRs already used in the account", () => {
    expect(productionProblems((e) => (e.network = { ...structuredClone(ADOPTED_NETWORK), vpcCidr: "10.20.0.0/16" }))).toEqual([
      "production.network.vpcCidr: 10.20.0.0/16 overlaps 10.20.0.0/16, which reservedCidrs says is already used in account 951665295205",
    ]);
  });
});

describe("CFG-4 / EDGE-1 / EDGE-5: names and the admin allow-list", () => {
  it("EDGE-1: a zone name with capitals is not a zone name, and every hostname is then outside it", () => {
    expect(stagingProblems((e) => (e.dns.zoneName = "Glimpse.Technology"))).toEqual([
      'staging.dns.zoneName: "Glimpse.Technology" is not a DNS zone name',
      'staging.dns.hostnames.frontend: "tracker.staging.glimpse.technology" is outside the Cloudflare zone Glimpse.Technology',
      'staging.dns.hostnames.api: "api.tracker.staging.glimpse.technology" is outside the Cloudflare zone Glimpse.Technology',
      'staging.dns.hostnames.admin: "admin.tracker.staging.glimpse.technology" is outside the Cloudflare zone Glimpse.Technology',
    ]);
  });

  it("EDGE-1: an invalid hostname, a hostname used twice, and the zone apex itself", () => {
    expect(stagingProblems((e) => (e.dns.hostnames.api = "API.tracker.staging.glimpse.technology"))).toEqual([
      'staging.dns.hostnames.api: "API.tracker.staging.glimpse.technology" is not a valid lower-case hostname',
    ]);
    expect(stagingProblems((e) => (e.dns.hostnames.admin = "api.tracker.staging.glimpse.technology"))).toEqual([
      'staging.dns.hostnames.admin: "api.tracker.staging.glimpse.technology" is also the hostname of api; each service needs its own',
    ]);
    expect(stagingProblems((e) => (e.dns.hostnames.frontend = "glimpse.technology"))).toEqual([]);
  });

  it("EDGE-5: an allow-list CIDR that does not parse", () => {
    expect(stagingProblems((e) => (e.loadBalancer.adminAllowedCidrs = ["203.0.113.0/24", "203.0.113.0/33"]))).toEqual([
      'staging.loadBalancer.adminAllowedCidrs[1]: "203.0.113.0/33" is not a valid IPv4 CIDR',
    ]);
  });

  it("EDGE-5: an allow-list needs the admin name two or more levels below the zone", () => {
    const allowList = (admin: string) =>
      stagingProblems((e) => {
        e.dns.hostnames.admin = admin;
        e.loadBalancer.adminAllowedCidrs = ["203.0.113.0/24"];
      });
    expect(allowList("admin.glimpse.technology")).toEqual([
      "staging.loadBalancer.adminAllowedCidrs: cannot restrict admin.glimpse.technology: Cloudflare proxies that name, so the ALB never sees the client's address; put the admin panel two or more levels below glimpse.technology",
    ]);
    expect(allowList("admin.tracker.glimpse.technology")).toEqual([]);
    // A name outside the zone is one problem (Cloudflare does not proxy it), however short.
    expect(allowList("a.example.org")).toEqual(['staging.dns.hostnames.admin: "a.example.org" is outside the Cloudflare zone glimpse.technology']);
    expect(allowList("admin.tracker.example.org")).toEqual(['staging.dns.hostnames.admin: "admin.tracker.example.org" is outside the Cloudflare zone glimpse.technology']);
    // Without an allow-list, a proxied admin name is fine.
    expect(stagingProblems((e) => (e.dns.hostnames.admin = "admin.glimpse.technology"))).toEqual([]);
  });
});

describe("CFG-4 / OBS-1 / COST-1: logs, alarm e-mail, budget and images kept", () => {
  it("OBS-1: a retention CloudWatch does not offer, with every value it does", () => {
    expect(stagingProblems((e) => (e.logRetentionDays = 31))).toEqual([
      "staging.logRetentionDays: 31 is not a CloudWatch Logs retention; use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
    ]);
    for (const days of [1, 3653]) expect(stagingProblems((e) => (e.logRetentionDays = days))).toEqual([]);
  });

  it("OBS-2: an alarm address that is not an e-mail address", () => {
    expect(productionProblems((e) => (e.alarmEmail = "ops@localhost"))).toEqual(['production.alarmEmail: "ops@localhost" is not an email address']);
    expect(productionProblems((e) => (e.alarmEmail = "ops team@glimpse.technology"))).toHaveLength(1);
    expect(productionProblems((e) => (e.alarmEmail = "Ops@Glimpse.Technology"))).toEqual([]);
  });

  it.each([[0], [-1], [1_000_001], [Number.NaN], [Number.POSITIVE_INFINITY]])("COST-1: a monthly budget of %s USD", (limit) => {
    expect(stagingProblems((e) => (e.budget.monthlyLimitUsd = limit))).toEqual([
      `staging.budget.monthlyLimitUsd: must be a positive amount of USD up to 1000000, got ${limit}`,
    ]);
  });

  it("COST-1: a budget of a cent, or of a million USD, is accepted", () => {
    for (const limit of [0.01, 1_000_000]) expect(stagingProblems((e) => (e.budget.monthlyLimitUsd = limit))).toEqual([]);
  });

  it.each([[0], [1001], [1.5]])("REG-2: %s images kept", (kept) => {
    expect(stagingProblems((e) => (e.imagesKept = kept))).toEqual([`staging.imagesKept: must be a whole number from 1 to 1000, got ${kept}`]);
  });

  it("REG-2: 1 and 1000 images kept are accepted", () => {
    for (const kept of [1, 1000]) expect(stagingProblems((e) => (e.imagesKept = kept))).toEqual([]);
  });
});

describe("CFG-4 / EDGE-7: the web ACL's alarm threshold", () => {
  it("EDGE-7: one blocked request is the lowest threshold, and accepted; zero and fractions are not", () => {
    expect(productionProblems((e) => (e.loadBalancer.waf.blockedRequestsAlarmThreshold = 1))).toEqual([]);
    for (const threshold of [0, 2.5]) {
      expect(productionProblems((e) => (e.loadBalancer.waf.blockedRequestsAlarmThreshold = threshold))).toEqual([
        `production.loadBalancer.waf.blockedRequestsAlarmThreshold: must be a whole number of blocked requests >= 1, got ${threshold}`,
      ]);
    }
  });
});

describe("CFG-4 / ECS-3 / ECS-7: service sizes and autoscaling", () => {
  it("ECS-2: a service of the catalog without a size, and a size for a service the catalog lacks", () => {
    expect(stagingProblems((e) => delete e.services.api)).toEqual([
      "staging.services.api: is missing: every service of the catalog needs a size in every environment",
    ]);
    expect(stagingProblems((e) => (e.services["worker-x"] = { cpu: 256, memory: 512, desiredCount: 1 }))).toEqual([
      "staging.services.worker-x: is not a service of the catalog",
    ]);
  });

  it("ECS-3: a CPU value Fargate does not have, and a memory size it does not pair with that CPU", () => {
    expect(stagingProblems((e) => (e.services.api.cpu = 300))).toEqual([
      "staging.services.api.cpu: 300 is not a Fargate CPU value; use 256, 512, 1024, 2048, 4096, 8192 or 16384",
    ]);
    expect(stagingProblems((e) => (e.services.api.memory = 3000))).toEqual([
      "staging.services.api.memory: 3000 MiB is not valid with 512 CPU units on Fargate; use one of 1024, 2048, 3072, 4096",
    ]);
  });

  it.each([[-1], [1.5]])("ECS-3: a desired count of %s", (count) => {
    expect(stagingProblems((e) => (e.services.admin = { ...e.services.admin, desiredCount: count }))).toEqual([
      `staging.services.admin.desiredCount: must be a whole number >= 0, got ${count}`,
    ]);
  });

  it("ECS-3: a desired count of 0 (a service kept but stopped) is accepted", () => {
    // (staging's small services share one sizing object: a copy changes admin's alone)
    expect(stagingProblems((e) => (e.services.admin = { ...e.services.admin, desiredCount: 0 }))).toEqual([]);
  });

  it("ECS-7: a worker does not autoscale on CPU", () => {
    expect(stagingProblems((e) => (e.services["tracker-fetcher"].autoscaling = { minCount: 1, maxCount: 2, cpuTargetPercent: 60 }))).toEqual([
      "staging.services.tracker-fetcher.autoscaling: only public web services autoscale on CPU; size workers with desiredCount",
    ]);
  });

  it("ECS-7: bounds from 1 to max, a desired count inside them, a target from 10 to 90 %", () => {
    const scaling = (desiredCount: number, minCount: number, maxCount: number, cpuTargetPercent: number) =>
      productionProblems((e) => {
        e.services.api.desiredCount = desiredCount;
        e.services.api.autoscaling = { minCount, maxCount, cpuTargetPercent };
      });
    expect(scaling(1, 0, 2, 60)).toEqual(["production.services.api.autoscaling: needs 1 <= minCount <= maxCount, got 0..2"]);
    expect(scaling(3, 3, 2, 60)).toEqual([
      "production.services.api.autoscaling: needs 1 <= minCount <= maxCount, got 3..2",
      "production.services.api.desiredCount: 3 is outside the autoscaling range 3..2",
    ]);
    expect(scaling(1, 2, 8, 60)).toEqual(["production.services.api.desiredCount: 1 is outside the autoscaling range 2..8"]);
    expect(scaling(9, 2, 8, 60)).toEqual(["production.services.api.desiredCount: 9 is outside the autoscaling range 2..8"]);
    expect(scaling(2, 2, 8, 9)).toEqual(["production.services.api.autoscaling.cpuTargetPercent: must be between 10 and 90, got 9"]);
    expect(scaling(2, 2, 8, 91)).toEqual(["production.services.api.autoscaling.cpuTargetPercent: must be between 10 and 90, got 91"]);
    // The limits themselves are accepted.
    expect(scaling(1, 1, 1, 10)).toEqual([]);
    expect(scaling(8, 2, 8, 90)).toEqual([]);
    expect(scaling(2, 2, 8, 60)).toEqual([]);
  });
});

describe("CFG-4 / DB-5: database versions", () => {
  it("DB-5: each version in the form its engine names it", () => {
    expect(
      stagingProblems((e) => {
        e.databaseVersions = { postgres: "16.4", timescaledb: "2.17", postgis: "3", valkey: "8" };
      }),
    ).toEqual([
      'staging.databaseVersions.postgres: "16.4" is not a PostgreSQL major version',
      'staging.databaseVersions.timescaledb: "2.17" must be an exact version x.y.z',
      'staging.databaseVersions.postgis: "3" must be major.minor',
      'staging.databaseVersions.valkey: "8" must be major.minor',
    ]);
    expect(stagingProblems((e) => (e.databaseVersions = { postgres: "17", timescaledb: "2.19.10", postgis: "3.10", valkey: "8.1" }))).toEqual([]);
  });
});

describe("CFG-4 / DB-1 / DB-4: the staging database host", () => {
  it.each([[9], [16385], [10.5]])("DB-1: a data volume of %s GiB", (size) => {
    expect(stagingProblems((e) => (e.dataPlane.dataVolumeGiB = size))).toEqual([
      `staging.dataPlane.dataVolumeGiB: must be a whole number of GiB from 10 to 16384, got ${size}`,
    ]);
  });

  it("DB-1: 10 GiB and 16384 GiB (EBS gp3's limits) are accepted", () => {
    for (const size of [10, 16384]) expect(stagingProblems((e) => (e.dataPlane.dataVolumeGiB = size))).toEqual([]);
  });

  it.each([[0], [1001], [1.5]])("DB-4: %s days of snapshots", (days) => {
    expect(stagingProblems((e) => (e.dataPlane.snapshotRetentionDays = days))).toEqual([
      `staging.dataPlane.snapshotRetentionDays: must be from 1 to 1000, got ${days}`,
    ]);
  });

  it("DB-4: 1 and 1000 days (Data Lifecycle Manager's count limits) are accepted", () => {
    for (const days of [1, 1000]) expect(stagingProblems((e) => (e.dataPlane.snapshotRetentionDays = days))).toEqual([]);
  });

  it("DB-1: the database and its user are plain PostgreSQL identifiers (no quoting in the host scripts)", () => {
    expect(stagingProblems((e) => ((e.dataPlane.databaseName = "Tracker"), (e.dataPlane.databaseUser = "1tracker")))).toEqual([
      'staging.dataPlane.databaseName: "Tracker" is not a plain PostgreSQL identifier',
      'staging.dataPlane.databaseUser: "1tracker" is not a plain PostgreSQL identifier',
    ]);
    expect(stagingProblems((e) => (e.dataPlane.databaseName = `_${"a".repeat(62)}`))).toEqual([]);
    expect(stagingProblems((e) => (e.dataPlane.databaseName = `_${"a".repeat(63)}`))).toHaveLength(1);
  });
});

describe("CFG-4 / PRD-2: production's external database and Valkey", () => {
  it("PRD-2: a host that is not a hostname, a port outside 1..65535, no CIDRs, a user with a space", () => {
    expect(
      productionProblems((e) => {
        e.dataPlane.postgres.host = "Patroni";
        e.dataPlane.postgres.port = 0;
        e.dataPlane.redis.cidrs = [];
        e.dataPlane.redis.user = "tracker user";
      }),
    ).toEqual([
      'production.dataPlane.postgres.host: "Patroni" is not a hostname',
      "production.dataPlane.postgres.port: 0 is not a TCP port",
      "production.dataPlane.redis.cidrs: needs the CIDRs the endpoint lives in",
      'production.dataPlane.redis.user: "tracker user" is not a valid user name',
    ]);
  });

  it.each([[65536], [5432.5]])("PRD-2: port %s is not a TCP port", (port) => {
    expect(productionProblems((e) => (e.dataPlane.redis.port = port))).toEqual([`production.dataPlane.redis.port: ${port} is not a TCP port`]);
  });

  it("PRD-2: ports 1 and 65535 are accepted", () => {
    for (const port of [1, 65535]) expect(productionProblems((e) => (e.dataPlane.postgres.port = port))).toEqual([]);
  });

  it("PRD-2: the PostgreSQL user's field is databaseUser, Valkey's is user", () => {
    expect(productionProblems((e) => (e.dataPlane.postgres.databaseUser = "-x"))).toEqual([
      'production.dataPlane.postgres.databaseUser: "-x" is not a valid user name',
    ]);
    expect(productionProblems((e) => (e.dataPlane.redis.user = "Tracker_app-1"))).toEqual([]);
  });

  it("PRD-2: an endpoint CIDR that does not parse, or is wider than /8", () => {
    expect(productionProblems((e) => (e.dataPlane.postgres.cidrs = ["10.20.0.0/16", "10.20.0.1/16", "10.0.0.0/7"]))).toEqual([
      'production.dataPlane.postgres.cidrs[1]: "10.20.0.1/16" is not a valid IPv4 CIDR',
      "production.dataPlane.postgres.cidrs[2]: 10.0.0.0/7 is too wide for a database endpoint",
    ]);
    expect(productionProblems((e) => (e.dataPlane.redis.cidrs = ["10.0.0.0/8"]))).toEqual([]);
  });
});

describe("ARCHITECTURE principle 1: the catalog's own consistency, word for word", () => {
  it("a name twice, a discovery name already taken", () => {
    const twice = [...SERVICE_CATALOG, SERVICE_CATALOG.find((s) => s.name === "admin")!];
    expect(catalogProblems(twice)).toEqual(["catalog.admin.name: appears twice", 'catalog.admin.discoveryName: "admin" is already taken']);
    expect(catalogProblems(catalogWith("frontend", (s) => (s.discoveryName = "redis")))).toEqual([
      'catalog.frontend.discoveryName: "redis" is already taken',
    ]);
  });

  it("ports: none for a worker, 1..65535 for the others", () => {
    expect(catalogProblems(catalogWith("notification-service", (s) => (s.port = 8080)))).toEqual([
      "catalog.notification-service.port: a worker accepts no traffic and has no port",
    ]);
    for (const port of [undefined, 0, 65536]) {
      expect(catalogProblems(catalogWith("anisette", (s) => (s.port = port)))).toEqual(["catalog.anisette.port: needs a TCP port"]);
    }
    for (const port of [1, 65535]) expect(catalogProblems(catalogWith("anisette", (s) => (s.port = port)))).toEqual([]);
  });

  it("a public web service's health path and every health command's form", () => {
    expect(catalogProblems(catalogWith("frontend", (s) => (s.healthPath = "health")))).toEqual([
      "catalog.frontend.healthPath: a public web service needs an HTTP health path",
    ]);
    expect(catalogProblems(catalogWith("frontend", (s) => delete s.healthPath))).toEqual([
      "catalog.frontend.healthPath: a public web service needs an HTTP health path",
    ]);
    expect(catalogProblems(catalogWith("tracker-fetcher", (s) => (s.healthCommand = ["NONE"])))).toEqual([
      'catalog.tracker-fetcher.healthCommand: must start with "CMD" or "CMD-SHELL"',
    ]);
    expect(catalogProblems(catalogWith("tracker-fetcher", (s) => (s.healthCommand = ["CMD", "true"])))).toEqual([]);
  });

  it("what a service talks to needs its password, its CA certificate, and anisette in the catalog", () => {
    expect(catalogProblems(catalogWith("unified-geofence", (s) => (s.secrets = ["postgres-password"])))).toEqual([
      "catalog.unified-geofence.secrets: talks to redis but does not get redis-password",
    ]);
    expect(catalogProblems(catalogWith("materialized-view-service", (s) => (s.secrets = [])))).toEqual([
      "catalog.materialized-view-service.secrets: talks to db but does not get postgres-password",
    ]);
    expect(catalogProblems(catalogWith("materialized-view-service", (s) => (s.parameters = s.parameters.filter((p: string) => p !== "database-ca-certificate"))))).toEqual([
      "catalog.materialized-view-service.parameters: talks to db or redis over TLS but does not get database-ca-certificate to verify them",
    ]);
    const redisOnly = catalogWith("unified-geofence", (s) => {
      s.talksTo = ["redis"];
      s.secrets = ["redis-password"];
      s.parameters = [];
    });
    expect(catalogProblems(redisOnly)).toEqual([
      "catalog.unified-geofence.parameters: talks to db or redis over TLS but does not get database-ca-certificate to verify them",
    ]);
    expect(catalogProblems(SERVICE_CATALOG.filter((s) => s.name !== "anisette"))).toEqual(["catalog.tracker-fetcher.talksTo: anisette is not in the catalog"]);
  });
});

describe("ACC-3: rules across environments, word for word", () => {
  it("ACC-1: no environments, an environment twice, two environments in one account", () => {
    expect(crossEnvironmentProblems([])).toEqual(["environments: none are defined"]);
    expect(crossEnvironmentProblems([STAGING, STAGING])).toEqual([
      "staging.name: defined twice",
      "staging.accountId: 802732539686 is also staging's account; each environment has its own",
    ]);
    expect(crossEnvironmentProblems([STAGING, looseVariant(PRODUCTION, (e) => (e.accountId = STAGING.accountId))])).toEqual([
      "production.accountId: 802732539686 is also staging's account; each environment has its own",
    ]);
  });

  it("ACC-3: region, zone and database versions are staging's and production's alike", () => {
    const apart = looseVariant(PRODUCTION, (e) => {
      e.region = "eu-west-1";
      e.dns.zoneName = "glimpse.tech";
      e.databaseVersions = { postgres: "17", timescaledb: "2.17.2", postgis: "3.4", valkey: "8.0" };
    });
    expect(crossEnvironmentProblems([STAGING, apart])).toEqual([
      'production.region: "eu-west-1" differs from staging\'s "eu-central-1"; all environments share one region',
      'production.dns.zoneName: "glimpse.tech" differs from staging\'s "glimpse.technology"',
      'production.databaseVersions.postgres: "17" differs from staging\'s "16"; staging must run production\'s versions',
      'production.databaseVersions.postgis: "3.4" differs from staging\'s "3.5"; staging must run production\'s versions',
    ]);
  });

  it("EDGE-1: a hostname of two environments is named from both sides", () => {
    const shared = looseVariant(PRODUCTION, (e) => (e.dns.hostnames.admin = "admin.tracker.staging.glimpse.technology"));
    expect(crossEnvironmentProblems([STAGING, shared])).toEqual([
      'production.dns.hostnames.admin: "admin.tracker.staging.glimpse.technology" is also used by staging; environments need separate names',
    ]);
    expect(crossEnvironmentProblems([STAGING, shared, looseVariant(STAGING, (e) => ((e.name = "demo"), (e.accountId = "111122223333")))])).toContain(
      'demo.dns.hostnames.frontend: "tracker.staging.glimpse.technology" is also used by staging; environments need separate names',
    );
  });
});

describe("CFG-4: the one error an operator reads", () => {
  it("CFG-4: says nothing was synthesized and lists each problem on its own line", () => {
    const error = new ConfigValidationError(["staging.a: first", "production.b: second"]);
    expect(error.message).toBe("Invalid configuration, nothing was synthesized:\n  - staging.a: first\n  - production.b: second");
    expect(error.name).toBe("ConfigValidationError");
    expect(error.problems).toEqual(["staging.a: first", "production.b: second"]);
  });
});

describe("ECS-3: every row of Fargate's CPU and memory table (AWS ECS developer guide, task size)", () => {
  // GiB ranges as AWS documents them: 0.5/1/2 GB; 1-4 GB, 2-8 GB, 4-16 GB and 8-30 GB in 1 GB steps;
  // 16-60 GB in 4 GB steps; 32-120 GB in 8 GB steps.
  it.each([
    [256, 512, 2048, 3],
    [512, 1024, 4096, 4],
    [1024, 2048, 8192, 7],
    [2048, 4096, 16384, 13],
    [4096, 8192, 30720, 23],
    [8192, 16384, 61440, 12],
    [16384, 32768, 122880, 12],
  ])("ECS-3: %i CPU units take %i to %i MiB, %i sizes", (cpu, first, last, count) => {
    const options = fargateMemoryOptions(cpu);
    expect([options[0], options.at(-1), options.length]).toEqual([first, last, count]);
  });

  it("ECS-3: a CPU value Fargate does not have takes no memory size", () => {
    expect(fargateMemoryOptions(3072)).toEqual([]);
  });
});

describe("ARCHITECTURE principle 1: who talks to what, from the catalog", () => {
  it("ECS-8: the consumers of the database, Valkey and anisette", () => {
    const names = (dependency: "db" | "redis" | "anisette") => consumersOf(dependency).map((s) => s.name);
    expect(names("db")).toEqual(["api", "tracker-fetcher", "unified-geofence", "notification-service", "materialized-view-service"]);
    expect(names("redis")).toEqual(["api", "tracker-fetcher", "unified-geofence", "notification-service"]);
    expect(names("anisette")).toEqual(["tracker-fetcher"]);
  });
});

describe("CFG-5: values AWS would reject, at their edges", () => {
  it("CFG-5: a region of the right shape in another partition is named; a wrong shape is validate.ts's to report", () => {
    const region = (name: string) => awsLimitProblems(looseVariant(STAGING, (e) => (e.region = name))).filter((p) => p.startsWith("staging.region"));
    expect(region("us-gov-west-1")).toEqual(['staging.region: "us-gov-west-1" is not a region of the commercial AWS partition (the ARNs here are arn:aws:...); e.g. eu-central-1']);
    expect(region("xeu-central-1")).toEqual([]);
    expect(region("eu-central-1x")).toEqual([]);
  });

  it("DB-1: an instance type with text before or after family.size is not an instance type", () => {
    for (const type of ["9t4g.large", "t4g.large!"]) {
      expect(instanceTypeProblem(type)).toBe(`"${type}" is not an EC2 instance type (family.size, lower case, e.g. t4g.large)`);
    }
  });

  it("DB-1: a Graviton family not in the list, even of a two-digit generation, is told apart from an x86 one", () => {
    // A future m10g is a Graviton family the list does not have yet, not an x86 type.
    expect(instanceTypeProblem("m10g.large")).toMatch(/^"m10g\.large": m10g is not a Graviton family for a database host; use one of t4g, m6g, /);
    expect(instanceTypeProblem("c7gn.large")).toMatch(/^"c7gn\.large": c7gn is not a Graviton family for a database host; /);
    expect(instanceTypeProblem("a1.large")).toMatch(/^"a1\.large": a1 is not a Graviton family for a database host; /);
    expect(instanceTypeProblem("m7i.large")).toMatch(/^"m7i\.large" is an x86 instance type; the database host boots an ARM64 \(Graviton\) image/);
  });

  it("CFG-2 / ACC-4: HS384 signs as well as HS256 and HS512; an account whose GitHub OIDC provider exists already is accepted", () => {
    for (const algorithm of ["HS256", "HS384", "HS512"]) {
      expect(awsLimitProblems(looseVariant(STAGING, (e) => (e.authTokens = { ...e.authTokens, algorithm })))).toEqual([]);
    }
    expect(awsLimitProblems(looseVariant(PRODUCTION, (e) => (e.ci = { ...e.ci, githubOidcProvider: "existing" })))).toEqual([]);
  });

  it("DLV-1: a canary share that is not a number (NaN, or the text of one) is refused", () => {
    const percent = (canaryPercent: unknown) =>
      deploymentProblems(looseVariant(STAGING, (e) => (e.deployment = { ...e.deployment, canaryPercent })));
    expect(percent(Number.NaN)).toEqual(["staging.deployment.canaryPercent: must be a percentage from 0.1 to 100 in steps of 0.1, got NaN"]);
    expect(percent("10")).toEqual(["staging.deployment.canaryPercent: must be a percentage from 0.1 to 100 in steps of 0.1, got 10"]);
    expect(percent(Number.POSITIVE_INFINITY)).toEqual(["staging.deployment.canaryPercent: must be a percentage from 0.1 to 100 in steps of 0.1, got Infinity"]);
    expect(percent(10)).toEqual([]);
  });

  it("CFG-2: tokens of one minute and one day are the shortest accepted", () => {
    expect(awsLimitProblems(looseVariant(STAGING, (e) => (e.authTokens = { accessTokenExpireMinutes: 1, refreshTokenExpireDays: 1, algorithm: "HS512" })))).toEqual([]);
  });
});

describe("IMG-1: what a health command starts and requests, as sh and curl read it", () => {
  const ROOT_API_CHECK = "curl -fsS -o /dev/null http://127.0.0.1:8000/health || exit 1";

  it("IMG-1: the exec form starts its first argument, named by its last path segment; a form without arguments starts nothing", () => {
    expect(healthCommandTools(["CMD", "/usr/bin/curl", "-f", "http://127.0.0.1:8000/health"])).toEqual(["curl"]);
    expect(healthCommandTools(["CMD"])).toEqual([]);
    expect(healthCommandTools(["NONE"])).toEqual([]);
    expect(healthCommandTools([])).toEqual([]);
  });

  it("IMG-1: the shell form starts sh and the first word of every stage, builtins and reserved words left out", () => {
    expect(healthCommandTools(["CMD-SHELL", ROOT_API_CHECK])).toEqual(["sh", "curl"]);
    // The workers' heartbeat check: find starts with "fi" and is still a command.
    expect(healthCommandTools(["CMD-SHELL", "find /tmp/worker-heartbeat -mmin -2 | grep -q . || exit 1"])).toEqual(["sh", "find", "grep"]);
    // Docker joins the shell form's arguments with spaces.
    expect(healthCommandTools(["CMD-SHELL", "curl", "-fsS", "http://127.0.0.1:8000/health", "||", "wget", "-q", "-O-", "http://127.0.0.1:8000/health"])).toEqual(["sh", "curl", "wget"]);
    expect(healthCommandTools(["CMD-SHELL", "{ ! curl -f http://127.0.0.1:8000/health; } || exit 1"])).toEqual(["sh", "curl"]);
    expect(healthCommandTools(["CMD-SHELL", "(nc -z 127.0.0.1 8000)"])).toEqual(["sh", "nc"]);
    expect(healthCommandTools(["CMD-SHELL", "{ (curl -fsS http://127.0.0.1:8000/health); } || exit 1"])).toEqual(["sh", "curl"]);
    expect(healthCommandTools(["CMD-SHELL", "if test -f /tmp/ready; then curl -f http://127.0.0.1:8000/health; elif pgrep api; then exit 0; else false; fi"])).toEqual([
      "sh",
      "curl",
      "pgrep",
    ]);
    expect(healthCommandTools(["CMD-SHELL", "until nc -z 127.0.0.1 8000; do sleep 1; done"])).toEqual(["sh", "nc", "sleep"]);
    // The command after a reserved word is still started: wget here is a tool the image must have.
    expect(healthCommandTools(["CMD-SHELL", "if ! wget -q http://127.0.0.1:8000/health; then exit 1; fi"])).toEqual(["sh", "wget"]);
    expect(healthCommandTools(["CMD-SHELL", "while { pgrep -x api; }; do exit 0; done"])).toEqual(["sh", "pgrep"]);
    // Separators with nothing between them, and trailing blanks, start nothing.
    expect(healthCommandTools(["CMD-SHELL", "curl -f http://127.0.0.1:8000/health ;  ; "])).toEqual(["sh", "curl"]);
  });

  it("IMG-1: leading assignments are not the command; a word that is not a shell name is", () => {
    expect(healthCommandTools(["CMD-SHELL", "LANG=C _X1=y curl -f http://127.0.0.1:8000/health"])).toEqual(["sh", "curl"]);
    expect(healthCommandTools(["CMD-SHELL", "A=1; curl -f http://127.0.0.1:8000/health"])).toEqual(["sh", "curl"]);
    // sh names start with a letter or underscore: 1X=y is run as a command, and it is not in any image.
    expect(healthCommandTools(["CMD-SHELL", "1X=y curl -f http://127.0.0.1:8000/health"])).toEqual(["sh", "1X=y"]);
  });

  it("IMG-1: URLs: the port is the URL's own, else 80 for http and 443 for https; the path is / when absent", () => {
    expect(healthCommandUrls(["CMD-SHELL", ROOT_API_CHECK])).toEqual([{ host: "127.0.0.1", port: 8000, path: "/health" }]);
    expect(healthCommandUrls(["CMD", "curl", "http://localhost", "https://[::1]/ready"])).toEqual([
      { host: "localhost", port: 80, path: "/" },
      { host: "[::1]", port: 443, path: "/ready" },
    ]);
    expect(healthCommandUrls(["CMD-SHELL", "curl -fsS 'https://127.0.0.1:8443/health?deep=1' | grep -q ok"])).toEqual([
      { host: "127.0.0.1", port: 8443, path: "/health?deep=1" },
    ]);
    expect(healthCommandUrls(["CMD-SHELL", "true"])).toEqual([]);
  });
});

describe("IMG-1: every problem of an image contract, line by line", () => {
  const row = (name: string, edit: (service: Loose) => void) => imageContractProblems(catalogWith(name, edit).filter((s) => s.name === name));

  it("IMG-1: the shipped catalog has no problem", () => {
    expect(imageContractProblems(SERVICE_CATALOG)).toEqual([]);
  });

  it("IMG-1: an image without tools says so", () => {
    expect(row("api", (s) => ((s["image"] as Loose)["tools"] = []))).toEqual([
      'catalog.api.healthCommand: runs "sh", which the image does not provide (image.tools: none)',
      'catalog.api.healthCommand: runs "curl", which the image does not provide (image.tools: none)',
    ]);
  });

  it("IMG-1: a health path without its leading slash, and a service without a health path, are one line each", () => {
    expect(row("api", (s) => (s["healthPath"] = "health"))).toEqual([
      "catalog.api.healthPath: a service with a port needs the HTTP path its health checks request",
      "catalog.api.healthCommand: checks path /health, but the service's healthPath is health",
    ]);
    expect(row("anisette", (s) => { delete s["healthPath"]; s["healthCommand"] = ["CMD-SHELL", "curl -fsS http://127.0.0.1:6969/v3/status || exit 1"]; })).toEqual([
      "catalog.anisette.healthPath: a service with a port needs the HTTP path its health checks request",
    ]);
    expect(row("anisette", (s) => { delete s["healthPath"]; s["healthCommand"] = ["CMD-SHELL", "true"]; })).toEqual([
      "catalog.anisette.healthPath: a service with a port needs the HTTP path its health checks request",
      "catalog.anisette.healthCommand: requests no http://127.0.0.1:6969/; a service with a port is checked on its own port and healthPath",
    ]);
  });

  it("IMG-1: an exec-form check with the URL as its own argument is read, and held to the row's port", () => {
    expect(row("anisette", (s) => (s["healthCommand"] = ["CMD", "curl", "-fsS", "http://127.0.0.1:6969/"]))).toEqual([]);
    expect(row("anisette", (s) => (s["healthCommand"] = ["CMD", "curl", "-fsS", "https://127.0.0.1/"]))).toEqual([
      "catalog.anisette.healthCommand: checks port 443, but the service listens on port 6969",
    ]);
  });

  it("IMG-1: scratch paths: relative, trailing slash, blanks, dot segments and duplicates are refused; dots inside a name are not", () => {
    const scratch = (path: string) => row("api", (s) => ((s["image"] as Loose)["scratchPaths"] = [{ path, volume: "ephemeral" }]));
    for (const path of ["tmp/cache", "/tmp/", "/tmp cache", "/tmp/../etc", "/tmp/./cache", "//tmp"]) {
      expect(scratch(path)).toEqual([`catalog.api.image.scratchPaths[0]: "${path}" is not a normalized absolute path (and not "/")`]);
    }
    for (const path of ["/var/cache/app.d", "/home/app/.cache", "/tmp/a_b-c"]) expect(scratch(path)).toEqual([]);
    expect(row("api", (s) => ((s["image"] as Loose)["scratchPaths"] = [{ path: "/tmp", volume: "ephemeral" }, { path: "/tmp", volume: "ephemeral" }]))).toEqual([
      "catalog.api.image.scratchPaths[0]: /tmp overlaps image.scratchPaths[1] /tmp",
    ]);
    // A sibling that shares only a prefix of its name does not overlap.
    expect(row("api", (s) => ((s["image"] as Loose)["scratchPaths"] = [{ path: "/tmp", volume: "ephemeral" }, { path: "/tmpcache", volume: "ephemeral" }]))).toEqual([]);
    expect(row("anisette", (s) => ((s["image"] as Loose)["scratchPaths"] = [{ path: "/data", volume: "tmpfs", sizeMiB: 16 }]))).toEqual([
      "catalog.anisette.image.scratchPaths[0]: /data overlaps the persistent storage at /data; state that must survive restarts goes there, scratch elsewhere",
    ]);
  });

  it("IMG-1: a worker whose heartbeat lies on its persistent storage has a writable heartbeat", () => {
    const onStorage = (s: Loose) => {
      (s["image"] as Loose)["scratchPaths"] = [];
      (s["image"] as Loose)["user"] = { uid: 1000, gid: 1000 };
      s["storage"] = { efsMountPath: "/tmp" };
    };
    expect(row("notification-service", onStorage)).toEqual([]);
  });
});

describe("CFG-5: a repository reference, as an operator might paste it", () => {
  const URL = (value: string, suggestion?: string) =>
    `"${value}" is a URL; write the repository as owner/name${suggestion ? `, here "${suggestion}"` : ""} (the CI roles' trust compares GitHub's "repo:owner/name" claim)`;

  it("CFG-5: URLs of other hosts, with a leading blank, by scp syntax, or GitHub's host alone are URLs", () => {
    expect(githubRepositoryProblem("https://gitlab.com/glimpse/tracker")).toBe(URL("https://gitlab.com/glimpse/tracker"));
    expect(githubRepositoryProblem(" https://gitlab.com/glimpse/tracker")).toBe(URL(" https://gitlab.com/glimpse/tracker"));
    expect(githubRepositoryProblem("ssh://git@gitlab.com/glimpse/tracker.git")).toBe(URL("ssh://git@gitlab.com/glimpse/tracker.git"));
    expect(githubRepositoryProblem("git@gitlab.com:glimpse/tracker.git")).toBe(URL("git@gitlab.com:glimpse/tracker.git"));
    expect(githubRepositoryProblem("git clone git@gitlab.com:glimpse/tracker")).toBe(URL("git clone git@gitlab.com:glimpse/tracker"));
    expect(githubRepositoryProblem("www.github.com/glimpse/tracker")).toBe(URL("www.github.com/glimpse/tracker", "glimpse/tracker"));
    expect(githubRepositoryProblem("GitHub.com")).toBe(URL("GitHub.com"));
  });

  it("CFG-5: names that only contain github.com or .git are repository names", () => {
    for (const value of ["glimpse/github.company", "glimpse/notgithub.com", "glimpse/site.gitops", "glimpse/tracker.github.io"]) {
      expect(githubRepositoryProblem(value), value).toBeUndefined();
    }
    expect(githubRepositoryProblem("glimpse/x.gitx.git")).toBe('"glimpse/x.gitx.git" ends in ".git"; write the repository as owner/name without it ("glimpse/x.gitx")');
  });
});

describe("IMG-1: image users, tool names and tmpfs sizes, at their limits", () => {
  const row = (name: string, edit: (service: Loose) => void) => imageContractProblems(catalogWith(name, edit).filter((s) => s.name === name));
  const user = (uid: number, gid: number) => row("anisette", (s) => ((s["image"] as Loose)["user"] = { uid, gid }));
  const tmpfs = (sizeMiB: number) => row("anisette", (s) => ((s["image"] as Loose)["scratchPaths"] = [{ path: "/opt/provisioning", volume: "tmpfs", sizeMiB }]));

  it("IMG-1: uid 0 is root (one line); gid 0 and the largest id are accepted; past it, or a fraction, is not an id", () => {
    expect(user(0, 1000)).toEqual(["catalog.anisette.image.user.uid: 0 is root; images run as a non-root user"]);
    expect(user(1000, 0)).toEqual([]);
    expect(user(2147483647, 2147483647)).toEqual([]);
    expect(user(2147483648, 1000)).toEqual(["catalog.anisette.image.user.uid: 2147483648 is not a POSIX uid"]);
    expect(user(1000, 1.5)).toEqual(["catalog.anisette.image.user.gid: 1.5 is not a POSIX gid"]);
  });

  it("IMG-1: a tmpfs of 1 MiB is sized; 0, a fraction or a negative size is not", () => {
    expect(tmpfs(1)).toEqual([]);
    for (const size of [0, 1.5, -16]) {
      expect(tmpfs(size), String(size)).toEqual([
        "catalog.anisette.image.scratchPaths[0]: a tmpfs needs sizeMiB, a positive whole number of MiB (it counts against the task's memory)",
      ]);
    }
  });

  it("IMG-1: an empty tool name, a name with a blank or a path is refused", () => {
    for (const tools of [["sh", "curl", ""], ["sh", "curl", "my tool"], ["sh", "curl", "bin/x"]]) {
      expect(row("anisette", (s) => ((s["image"] as Loose)["tools"] = tools)), tools.join(",")).toEqual([
        "catalog.anisette.image.tools: lists executable names, without paths or spaces",
      ]);
    }
  });
});

describe("COST-2: the off-hours times, one problem per mistake", () => {
  const times = (start: string, stop: string) => scheduleProblems(looseVariant(STAGING, (e) => (e.schedule = { ...e.schedule, start, stop })));

  it("COST-2: a stop equal to the start is not after it (one line, not also 'too short')", () => {
    expect(times("08:00", "08:00")).toEqual(["staging.schedule.stop: 08:00 is not after start 08:00; the schedule runs within one day"]);
  });

  it("COST-2: when one time does not parse, only that time is reported (the other is not judged against it)", () => {
    expect(times("8am", "23:50")).toEqual(['staging.schedule.start: "8am" is not a 24-hour time HH:MM']);
    expect(times("00:05", "late")).toEqual(['staging.schedule.stop: "late" is not a 24-hour time HH:MM']);
  });
});

describe("COST-2: the off-hours days, single days and ranges mixed", () => {
  const days = (weekdays: string) => scheduleProblems(looseVariant(STAGING, (e) => (e.schedule = { ...e.schedule, weekdays })));

  it("COST-2: single days in any order and forward ranges are accepted; each backward range is one line", () => {
    expect(days("SAT,MON-FRI,SUN")).toEqual([]);
    expect(days("WED")).toEqual([]);
    expect(days("SAT-SAT")).toEqual([]);
    expect(days("WED,FRI-MON,TUE")).toEqual([
      'staging.schedule.weekdays: the range FRI-MON runs backwards (days run SUN to SAT); list the days, e.g. "SUN-MON,FRI-SAT"',
    ]);
  });
});

/**
 * Every identifier and version validation checks is the whole value, not a part of it: a valid value
 * with text before it, or after it, is refused with the field's own line. (A check that found a valid
 * ID somewhere inside the text would let "vpc-0123abcd, vpc-..." or a trailing blank reach Terraform.)
 */
describe("CFG-4: identifiers and versions are matched as a whole", () => {
  const PEERING = { name: "patroni", peerVpcId: "vpc-0123456789abcdef0", peerCidr: "10.20.0.0/16", peerRouteTableIds: ["rtb-0123456789abcdef0"], privateZoneIds: ["Z0123456789ABC"] };
  const withPeering = (edit: (p: Loose) => void) => (e: Loose) => {
    const peering: Loose = structuredClone(PEERING);
    edit(peering);
    e.network.peerings = [peering];
  };
  const cases: [string, string, string, (value: string) => string[]][] = [
    ["staging.accountId", "802732539686", "is not a 12-digit AWS account ID", (v) => stagingProblems((e) => (e.accountId = v))],
    ["staging.network.natInstanceType", "t4g.nano", "is not a Graviton burstable type (t4g.nano ... t4g.2xlarge)", (v) => stagingProblems((e) => (e.network.natInstanceType = v))],
    ["production.network.peerings[0].name", "patroni", "must be a short lower-case name", (v) => productionProblems(withPeering((p) => (p.name = v)))],
    ["production.network.peerings[0].peerVpcId", "vpc-0123456789abcdef0", "is not a VPC ID", (v) => productionProblems(withPeering((p) => (p.peerVpcId = v)))],
    ["production.network.peerings[0].peerRouteTableIds[0]", "rtb-0123456789abcdef0", "is not a route table ID", (v) => productionProblems(withPeering((p) => (p.peerRouteTableIds = [v])))],
    ["production.network.peerings[0].privateZoneIds[0]", "Z0123456789ABC", "is not a Route 53 hosted zone ID", (v) => productionProblems(withPeering((p) => (p.privateZoneIds = [v])))],
    ["production.network.vpc.id", "vpc-0123456789abcdef0", "is not a VPC ID", (v) => productionProblems((e) => (e.network = { ...structuredClone(ADOPTED_NETWORK), vpc: { id: v } }))],
    [
      "production.network.subnets.public.ids[0]",
      "subnet-0123456789abcdef0",
      "is not a subnet ID",
      (v) =>
        productionProblems((e) => {
          e.network = structuredClone(ADOPTED_NETWORK);
          e.network.subnets.public.ids[0] = v;
        }),
    ],
    ["staging.databaseVersions.postgres", "17", "is not a PostgreSQL major version", (v) => stagingProblems((e) => (e.databaseVersions.postgres = v))],
    ["staging.databaseVersions.timescaledb", "2.17.2", "must be an exact version x.y.z", (v) => stagingProblems((e) => (e.databaseVersions.timescaledb = v))],
    ["staging.databaseVersions.postgis", "3.5", "must be major.minor", (v) => stagingProblems((e) => (e.databaseVersions.postgis = v))],
    ["staging.databaseVersions.valkey", "8.1", "must be major.minor", (v) => stagingProblems((e) => (e.databaseVersions.valkey = v))],
    // Parts of several digits, as later releases will have them.
    ["staging.databaseVersions.timescaledb", "12.34.56", "must be an exact version x.y.z", (v) => stagingProblems((e) => (e.databaseVersions.timescaledb = v))],
    ["staging.databaseVersions.postgis", "10.12", "must be major.minor", (v) => stagingProblems((e) => (e.databaseVersions.postgis = v))],
    ["staging.databaseVersions.valkey", "10.12", "must be major.minor", (v) => stagingProblems((e) => (e.databaseVersions.valkey = v))],
    ["staging.dataPlane.databaseName", "tracker", "is not a plain PostgreSQL identifier", (v) => stagingProblems((e) => (e.dataPlane.databaseName = v))],
    ["production.dataPlane.postgres.databaseUser", "tracker", "is not a valid user name", (v) => productionProblems((e) => (e.dataPlane.postgres.databaseUser = v))],
    ["production.dataPlane.redis.user", "tracker", "is not a valid user name", (v) => productionProblems((e) => (e.dataPlane.redis.user = v))],
    ["production.dataPlane.postgres.host", "patroni.tracker-production.internal", "is not a hostname", (v) => productionProblems((e) => (e.dataPlane.postgres.host = v))],
    ["production.alarmEmail", "ops@glimpse.technology", "is not an email address", (v) => productionProblems((e) => (e.alarmEmail = v))],
  ];

  it.each(cases)("CFG-4: %s: the valid %j is accepted, and refused with text before or after it", (field, valid, message, problems) => {
    const linesOf = (value: string) => problems(value).filter((p) => p.startsWith(`${field}:`));
    expect(linesOf(valid)).toEqual([]);
    for (const value of [` ${valid}`, `${valid}!`, `${valid} `]) {
      expect(linesOf(value), JSON.stringify(value)).toEqual([`${field}: "${value}" ${message}`]);
    }
  });
});

describe("ACC-4: the GitHub environment that guards production", () => {
  it("ACC-4: GitHub's limit of 255 characters is accepted; 256 is one too many", () => {
    expect(githubEnvironmentProblem("p".repeat(255))).toBeUndefined();
    expect(githubEnvironmentProblem("p".repeat(256))).toBe("is 256 characters long; GitHub allows at most 255");
  });
});
