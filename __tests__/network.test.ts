/** NET-1..NET-6 and PRD-2 over the synthesized environment stacks, both network modes. */
import { PRODUCTION_ADOPTED_BY_TAGS } from "./support/variants";
import { describe, expect, it } from "vitest";
import { PRODUCTION, STAGING } from "../src/config/environments";
import { resourceName } from "../src/config/naming";
import type { EnvironmentDefinition } from "../src/config/types";
import { dataSources, only, resources, synthTracker, type SynthesizedStack } from "./support/synth";
import { LOG_RETENTION_DAYS } from "./support/contract";

const staging = synthTracker(STAGING);
const production = synthTracker(PRODUCTION);

/** Production adopting the VPC its Patroni cluster lives in, found by tags / by IDs (PRD-2). */
const adoptedByTags = PRODUCTION_ADOPTED_BY_TAGS;
const adoptedSubnetIds = {
  public: ["subnet-00000000000000a01", "subnet-00000000000000a02", "subnet-00000000000000a03"],
  application: ["subnet-00000000000000b01", "subnet-00000000000000b02", "subnet-00000000000000b03"],
  data: ["subnet-00000000000000c01", "subnet-00000000000000c02", "subnet-00000000000000c03"],
};
const adoptedByIds: EnvironmentDefinition = {
  ...adoptedByTags,
  network: {
    mode: "adopt",
    vpc: { id: "vpc-0123456789abcdef0" },
    vpcCidr: "10.20.0.0/16",
    flowLogs: false,
    subnets: {
      public: { ids: adoptedSubnetIds.public },
      application: { ids: adoptedSubnetIds.application },
      data: { ids: adoptedSubnetIds.data },
    },
  },
};
const byTags = synthTracker(adoptedByTags, "production-adopted-by-tags");
const byIds = synthTracker(adoptedByIds, "production-adopted-by-ids");

const subnetsOfTier = (stack: SynthesizedStack, tier: string) => resources(stack, "aws_subnet").filter(([, s]) => s.tags?.Tier === tier);
const address = (type: string, name: string) => `${type}.${name}`;

describe.each([
  ["staging", STAGING, staging],
  ["production", PRODUCTION, production],
] as const)("%s network", (name, env, stack) => {
  const def = env.network;
  if (def.mode !== "create") throw new Error("the shipped environments create their network");

  it(`NET-1: a dedicated VPC ${def.vpcCidr} named tracker-${name}-vpc with DNS on`, () => {
    const [, vpc] = only(stack, "aws_vpc");
    expect(vpc).toMatchObject({ cidr_block: def.vpcCidr, enable_dns_hostnames: true, enable_dns_support: true });
    expect(vpc.tags.Name).toBe(resourceName(env.name, "vpc"));
  });

  it("NET-2: three tiers, one subnet per tier in each of at least two AZs, with the configured CIDRs", () => {
    expect(env.availabilityZones.length).toBeGreaterThanOrEqual(2);
    for (const tier of ["public", "application", "data"] as const) {
      const subnets = subnetsOfTier(stack, tier);
      expect(subnets.map(([, s]) => s.availability_zone).sort()).toEqual([...env.availabilityZones].sort());
      expect(subnets.map(([, s]) => s.cidr_block).sort()).toEqual([...def.subnets[tier]].sort());
    }
    expect(resources(stack, "aws_subnet")).toHaveLength(3 * env.availabilityZones.length);
  });

  it("NET-2 / NET-4: no subnet maps public IPs on launch", () => {
    for (const [, subnet] of resources(stack, "aws_subnet")) expect(subnet.map_public_ip_on_launch).toBe(false);
  });

  it("NET-2: only the public subnets route to the internet gateway; private tiers egress through NAT", () => {
    const [igwName] = only(stack, "aws_internet_gateway");
    const igwRef = `\${aws_internet_gateway.${igwName}.id}`;
    const routes = resources(stack, "aws_route");
    const igwRoutes = routes.filter(([, r]) => r.gateway_id === igwRef).map(([, r]) => r);
    // The public tier's default route: everything outside the VPC, IPv4 (the VPC has no IPv6).
    expect(igwRoutes.map((r) => r.destination_cidr_block)).toEqual(["0.0.0.0/0"]);
    const igwTables = igwRoutes.map((r) => r.route_table_id);
    const associations = resources(stack, "aws_route_table_association");
    const tableOf = (subnetName: string) =>
      associations.find(([, a]) => a.subnet_id === `\${aws_subnet.${subnetName}.id}`)?.[1].route_table_id as string;
    for (const [subnetName] of subnetsOfTier(stack, "public")) expect(tableOf(subnetName)).toBe(igwTables[0]);
    for (const tier of ["application", "data"]) {
      for (const [subnetName] of subnetsOfTier(stack, tier)) {
        const table = tableOf(subnetName);
        expect(table).toBeDefined();
        expect(igwTables).not.toContain(table);
        const defaults = routes.filter(([, r]) => r.route_table_id === table && r.destination_cidr_block === "0.0.0.0/0");
        expect(defaults).toHaveLength(1);
        // Through a NAT gateway, or staging's NAT instance's fixed interface (COST-1).
        const natTarget = def.natStrategy === "instance" ? defaults[0]![1].network_interface_id : defaults[0]![1].nat_gateway_id;
        expect(natTarget).toMatch(def.natStrategy === "instance" ? /^\$\{aws_network_interface\./ : /^\$\{aws_nat_gateway\./);
        expect(defaults[0]![1].gateway_id).toBeUndefined();
      }
    }
  });

  it(`NET-3: NAT follows the "${def.natStrategy}" strategy, gateways in public subnets`, () => {
    const nats = resources(stack, "aws_nat_gateway");
    expect(nats).toHaveLength(def.natStrategy === "per-az" ? env.availabilityZones.length : def.natStrategy === "instance" ? 0 : 1);
    const publicRefs = subnetsOfTier(stack, "public").map(([n]) => `\${aws_subnet.${n}.id}`);
    for (const [, nat] of nats) {
      expect(publicRefs).toContain(nat.subnet_id);
      expect(nat.connectivity_type).toBe("public");
    }
    if (def.natStrategy === "per-az") {
      // Each AZ's private routes use the NAT gateway in the same AZ.
      const natAz = new Map(nats.map(([n, nat]) => [address("aws_nat_gateway", n), subnetsOfTier(stack, "public").find(([s]) => nat.subnet_id.includes(s))![1].availability_zone]));
      for (const [, route] of resources(stack, "aws_route").filter(([, r]) => r.nat_gateway_id)) {
        const table = resources(stack, "aws_route_table").find(([t]) => route.route_table_id.includes(`.${t}.`))![1];
        const natAddress = /\$\{(aws_nat_gateway\.[^.]+)\.id\}/.exec(route.nat_gateway_id)![1]!;
        expect(table.tags.Name).toContain(natAz.get(natAddress));
      }
    }
  });

  it("NET-4: no resource asks for a public IP", () => {
    expect(JSON.stringify(stack)).not.toMatch(/"associate_public_ip_address":true|"assign_public_ip":true/);
  });

  it("NET-5: VPC flow logs (ALL traffic) go to a KMS-encrypted log group with the environment's retention", () => {
    const [, flowLog] = only(stack, "aws_flow_log");
    const [groupName, group] = only(stack, "aws_cloudwatch_log_group", (g) => String(g.name).startsWith("/vpc/"));
    expect(flowLog.traffic_type).toBe("ALL");
    // To CloudWatch Logs, aggregated per minute (the default is 10), named like the rest.
    expect(flowLog.log_destination_type).toBe("cloud-watch-logs");
    expect(flowLog.max_aggregation_interval).toBe(60);
    expect(flowLog.tags).toEqual({ Name: `tracker-${name}-flow-log` });
    expect(flowLog.log_destination).toBe(`\${aws_cloudwatch_log_group.${groupName}.arn}`);
    expect(flowLog.vpc_id).toMatch(/^\$\{aws_vpc\./);
    expect(group.retention_in_days).toBe(LOG_RETENTION_DAYS[env.name]);
    expect(group.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(flowLog.iam_role_arn).toMatch(/^\$\{aws_iam_role\./);
    const roleName = /^\$\{aws_iam_role\.([^.]+)\.arn\}$/.exec(flowLog.iam_role_arn)![1];
    expect(resources(stack, "aws_iam_role_policy").filter(([, p]) => p.role === `\${aws_iam_role.${roleName}.id}`).map(([, p]) => p.name)).toEqual(["write-flow-logs"]);
  });

  it("NET-6: an S3 gateway endpoint on every private route table", () => {
    const [, endpoint] = only(stack, "aws_vpc_endpoint");
    expect(endpoint).toMatchObject({ service_name: `com.amazonaws.${env.region}.s3`, vpc_endpoint_type: "Gateway" });
    const privateTables = resources(stack, "aws_route_table").filter(([, t]) => String(t.tags.Name).includes("private"));
    expect([...(endpoint.route_table_ids as string[])].sort()).toEqual(privateTables.map(([n]) => `\${aws_route_table.${n}.id}`).sort());
  });

  it("NET-4: the default security group is emptied", () => {
    const [, sg] = only(stack, "aws_default_security_group");
    expect(sg.ingress ?? []).toEqual([]);
    expect(sg.egress ?? []).toEqual([]);
    expect(sg.vpc_id).toMatch(/^\$\{aws_vpc\./);
    // The console shows the emptied group by this name, not as an anonymous "default".
    expect(sg.tags).toEqual({ Name: `tracker-${name}-default-deny` });
  });
});

/**
 * What an operator finds in the console: every network resource named `tracker-<env>-<what>`, by tier
 * and zone where there is one per zone. Written out per environment (staging: two zones, one NAT
 * instance; production: three zones, a NAT gateway per zone).
 */
describe("NET-1 / NET-2 / NET-3: every network resource by its console name", () => {
  const names = (stack: SynthesizedStack, type: string) => resources(stack, type).map(([, r]) => r.tags?.Name as string).sort();
  const zones = (env: string, what: string, letters: string[]) => letters.map((l) => `tracker-${env}-${what}-eu-central-1${l}`);

  it("NET-2: staging's subnets, route tables, gateway, endpoint and NAT address", () => {
    const tiers = ["application", "data", "public"].flatMap((tier) => zones("staging", tier, ["a", "b"]));
    expect(names(staging, "aws_subnet")).toEqual(tiers);
    expect(names(staging, "aws_route_table")).toEqual([...zones("staging", "private", ["a", "b"]), "tracker-staging-public"]);
    expect(names(staging, "aws_internet_gateway")).toEqual(["tracker-staging-igw"]);
    expect(names(staging, "aws_vpc_endpoint")).toEqual(["tracker-staging-s3"]);
    expect(names(staging, "aws_eip")).toEqual(["tracker-staging-nat"]);
    expect(names(staging, "aws_nat_gateway")).toEqual([]);
  });

  it("NET-2 / NET-3: production's subnets, route tables, gateway, endpoint and one NAT gateway with its address per zone", () => {
    const letters = ["a", "b", "c"];
    expect(names(production, "aws_subnet")).toEqual(["application", "data", "public"].flatMap((tier) => zones("production", tier, letters)));
    expect(names(production, "aws_route_table")).toEqual([...zones("production", "private", letters), "tracker-production-public"]);
    expect(names(production, "aws_internet_gateway")).toEqual(["tracker-production-igw"]);
    expect(names(production, "aws_vpc_endpoint")).toEqual(["tracker-production-s3"]);
    expect(names(production, "aws_eip")).toEqual(zones("production", "nat", letters));
    expect(names(production, "aws_nat_gateway")).toEqual(zones("production", "nat", letters));
  });

  it("NET-3: NAT gateways have VPC addresses and are created after the internet gateway (AWS needs it attached first)", () => {
    const [igwName] = only(production, "aws_internet_gateway");
    for (const [, eip] of resources(production, "aws_eip")) expect(eip.domain).toBe("vpc");
    for (const [, nat] of resources(production, "aws_nat_gateway")) expect(nat.depends_on).toEqual([`aws_internet_gateway.${igwName}`]);
  });

  it("NET-2: the internet gateway is attached to the environment's VPC", () => {
    for (const stack of [staging, production]) {
      const [vpcName] = only(stack, "aws_vpc");
      expect(only(stack, "aws_internet_gateway")[1].vpc_id).toBe(`\${aws_vpc.${vpcName}.id}`);
    }
  });
});

describe("NET-3: the \"single\" NAT strategy", () => {
  const base = STAGING.network;
  if (base.mode !== "create") throw new Error("staging creates its network");
  const { natInstanceType: _type, ...withoutInstanceType } = base;
  const single = synthTracker({ ...STAGING, network: { ...withoutInstanceType, natStrategy: "single" } }, "staging-single-nat");

  it("NET-3: one NAT gateway, in the first zone's public subnet, that every private route table uses; no NAT instance", () => {
    const [natName, nat] = only(single, "aws_nat_gateway");
    const [firstPublic] = only(single, "aws_subnet", (s) => s.tags?.Name === "tracker-staging-public-eu-central-1a");
    expect(nat.subnet_id).toBe(`\${aws_subnet.${firstPublic}.id}`);
    expect(nat.tags).toEqual({ Name: "tracker-staging-nat-eu-central-1a" });
    const privateTables = resources(single, "aws_route_table").filter(([, t]) => String(t.tags.Name).includes("private")).map(([n]) => `\${aws_route_table.${n}.id}`);
    expect(privateTables).toHaveLength(2);
    const defaultRoutes = resources(single, "aws_route").filter(([, r]) => r.destination_cidr_block === "0.0.0.0/0" && privateTables.includes(r.route_table_id));
    expect(defaultRoutes.map(([, r]) => r.nat_gateway_id)).toEqual([`\${aws_nat_gateway.${natName}.id}`, `\${aws_nat_gateway.${natName}.id}`]);
    expect(resources(single, "aws_instance").filter(([, i]) => String(i.tags?.Name).endsWith("-nat"))).toEqual([]);
  });
});

describe("PRD-2: production can adopt an existing VPC", () => {
  it("PRD-2: by tags, one subnet lookup per tier and AZ, and nothing of the network is created", () => {
    const [, vpc] = dataSources(byTags, "aws_vpc")[0]!;
    expect(vpc.tags).toEqual({ Name: "patroni-production" });
    const lookups = dataSources(byTags, "aws_subnet");
    expect(lookups).toHaveLength(9);
    for (const tier of ["public", "application", "data"]) {
      const tierLookups = lookups.filter(([, s]) => s.tags?.["tracker:tier"] === tier);
      expect(tierLookups.map(([, s]) => s.availability_zone).sort()).toEqual([...PRODUCTION.availabilityZones]);
    }
    for (const type of ["aws_vpc", "aws_subnet", "aws_nat_gateway", "aws_internet_gateway", "aws_route_table", "aws_default_security_group"]) {
      expect(resources(byTags, type)).toEqual([]);
    }
    expect(resources(byTags, "aws_flow_log")).toHaveLength(1);
  });

  it("PRD-2: by IDs, and the security groups sit in the adopted VPC", () => {
    const [vpcName, vpc] = dataSources(byIds, "aws_vpc")[0]!;
    expect(vpc.id).toBe("vpc-0123456789abcdef0");
    expect(dataSources(byIds, "aws_subnet").map(([, s]) => s.id).sort()).toEqual(
      [...adoptedSubnetIds.public, ...adoptedSubnetIds.application, ...adoptedSubnetIds.data].sort(),
    );
    for (const [, sg] of resources(byIds, "aws_security_group")) expect(sg.vpc_id).toBe(`\${data.aws_vpc.${vpcName}.id}`);
    expect(resources(byIds, "aws_flow_log")).toEqual([]);
  });
});

describe("PRD-2: what runs in an adopted VPC uses the adopted subnets, tier by tier", () => {
  const lookup = (stack: SynthesizedStack, tier: keyof typeof adoptedSubnetIds, attribute: string) =>
    adoptedSubnetIds[tier].map((id) => `\${data.aws_subnet.${dataSources(stack, "aws_subnet").find(([, s]) => s.id === id)![0]}.${attribute}}`);

  it("PRD-2: the services in the application subnets, the load balancer in the public ones, the anisette file system's mount targets in the data ones", () => {
    const services = resources(byIds, "aws_ecs_service");
    expect(services.length).toBeGreaterThan(0);
    for (const [, service] of services) expect(service.network_configuration.subnets).toEqual(lookup(byIds, "application", "id"));
    expect(only(byIds, "aws_lb")[1].subnets).toEqual(lookup(byIds, "public", "id"));
    expect(resources(byIds, "aws_efs_mount_target").map(([, t]) => t.subnet_id)).toEqual(lookup(byIds, "data", "id"));
  });

  it("DB-3 / PRD-2: a database host in an adopted VPC sits in the first data subnet and admits the adopted application subnets' CIDRs", () => {
    const stagingAdopted: EnvironmentDefinition = { ...STAGING, reservedCidrs: [], network: { ...adoptedByIds.network } };
    const stack = synthTracker(stagingAdopted, "staging-adopted-by-ids");
    const [, host] = resources(stack, "aws_instance").find(([name]) => name.startsWith("database-host"))!;
    const userData = String(host.user_data_base64);
    const subnetReferences = userData.match(/(data\.)?aws_subnet\.[A-Za-z0-9_-]+\.[a-z_]+/g);
    expect(subnetReferences!.map((r) => `\${${r}}`)).toEqual(lookup(stack, "application", "cidr_block"));
    const [, eni] = resources(stack, "aws_network_interface").find(([name]) => name.startsWith("database-host"))!;
    expect(eni.subnet_id).toBe(lookup(stack, "data", "id")[0]);
  });
});

describe("PRD-2: production's new VPC peered with the Patroni VPC", () => {
  const base = PRODUCTION.network;
  if (base.mode !== "create") throw new Error("production creates its network");
  const peered: EnvironmentDefinition = {
    ...PRODUCTION,
    network: {
      ...base,
      peerings: [
        {
          name: "patroni",
          peerVpcId: "vpc-0123456789abcdef0",
          peerCidr: "10.20.0.0/16",
          peerRouteTableIds: ["rtb-0123456789abcdef0", "rtb-0123456789abcdef1"],
          privateZoneIds: ["Z0123456789ABCDEFGHIJ"],
        },
      ],
    },
  };
  const stack = synthTracker(peered, "production-peered");

  it("PRD-2: one same-account peering, accepted, to the configured VPC", () => {
    const [, peering] = only(stack, "aws_vpc_peering_connection");
    expect(peering).toMatchObject({ peer_vpc_id: "vpc-0123456789abcdef0", auto_accept: true, tags: { Name: "tracker-production-peering-patroni" } });
    expect(peering.vpc_id).toMatch(/^\$\{aws_vpc\./);
  });

  it("PRD-2: every private route table routes the peer CIDR through it; the public one does not", () => {
    const [peeringName] = only(stack, "aws_vpc_peering_connection");
    const ref = `\${aws_vpc_peering_connection.${peeringName}.id}`;
    const routes = resources(stack, "aws_route").map(([, r]) => r).filter((r) => r.vpc_peering_connection_id === ref);
    const privateTables = resources(stack, "aws_route_table").filter(([, t]) => String(t.tags.Name).includes("private")).map(([n]) => `\${aws_route_table.${n}.id}`);
    const ours = routes.filter((r) => String(r.route_table_id).startsWith("${"));
    expect(ours.map((r) => r.route_table_id).sort()).toEqual(privateTables.sort());
    for (const r of ours) expect(r.destination_cidr_block).toBe("10.20.0.0/16");
    // Return routes: each peer route table to each application subnet, nothing wider.
    const back = routes.filter((r) => String(r.route_table_id).startsWith("rtb-"));
    expect(back.map((r) => `${r.route_table_id} ${r.destination_cidr_block}`).sort()).toEqual(
      ["rtb-0123456789abcdef0", "rtb-0123456789abcdef1"].flatMap((t) => base.subnets.application.map((c) => `${t} ${c}`)).sort(),
    );
  });

  it("PRD-2: the peer's private hosted zone is associated, so the Patroni name resolves", () => {
    const [, association] = only(stack, "aws_route53_zone_association");
    expect(association.zone_id).toBe("Z0123456789ABCDEFGHIJ");
    expect(association.vpc_id).toMatch(/^\$\{aws_vpc\./);
  });

  it("PRD-2: the shipped definitions peer with nothing until the IDs are confirmed", () => {
    expect(resources(production, "aws_vpc_peering_connection")).toEqual([]);
  });
});
