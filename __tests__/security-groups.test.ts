/** SG-1..SG-6: the security-group matrix, derived from the service catalog, in both environments. */
import { describe, expect, it } from "vitest";
import { PRODUCTION, STAGING } from "../src/config/environments";
import { resourceName } from "../src/config/naming";
import { resources, synthTracker, type SynthesizedStack } from "./support/synth";
import { WEB_SERVICES } from "./support/contract";

interface Rule {
  direction: "in" | "out";
  group: string;
  port: number;
  peer: string;
  description: string;
}

/** Every rule of a stack, with groups and peers resolved to component names (`alb`, `database`...). */
function rulesOf(stack: SynthesizedStack): Rule[] {
  const groups = new Map(resources(stack, "aws_security_group").map(([n, g]) => [`\${aws_security_group.${n}.id}`, String(g.tags.Name)]));
  const component = (ref: string) => {
    const name = groups.get(ref);
    if (!name) throw new Error(`rule references unknown group ${ref}`);
    return name.replace(/^tracker-(staging|production)-/, "");
  };
  const read = (direction: "in" | "out", type: string) =>
    resources(stack, type).map(([, r]) => {
      expect(r.from_port).toBe(r.to_port);
      expect(r.ip_protocol).toBe("tcp");
      return {
        direction,
        group: component(r.security_group_id),
        port: r.from_port as number,
        peer: r.referenced_security_group_id ? component(r.referenced_security_group_id) : (r.cidr_ipv4 ?? r.cidr_ipv6),
        description: r.description,
      };
    });
  return [...read("in", "aws_vpc_security_group_ingress_rule"), ...read("out", "aws_vpc_security_group_egress_rule")];
}

const staging = synthTracker(STAGING);
const production = synthTracker(PRODUCTION);
const webPorts = Object.values(WEB_SERVICES).map((s) => s.port);

describe.each([
  ["staging", staging, STAGING],
  ["production", production, PRODUCTION],
] as const)("%s security groups", (name, stack, env) => {
  const rules = rulesOf(stack);
  const ingress = (group: string) => rules.filter((r) => r.direction === "in" && r.group === group);

  it("SG-1: separate groups for the ALB, application services, workers, anisette and its EFS (and the data plane in staging)", () => {
    const names = resources(stack, "aws_security_group").map(([, g]) => g.tags.Name).sort();
    const nat = env.network.mode === "create" && env.network.natStrategy === "instance" ? ["nat"] : [];
    const expected = ["alb", "application", "workers", "anisette", "anisette-efs", ...(env.dataPlane.mode === "host" ? ["database", "redis"] : []), ...nat];
    expect(names).toEqual(expected.map((c) => resourceName(env.name, c)).sort());
    for (const [, g] of resources(stack, "aws_security_group")) {
      expect(g.vpc_id).toMatch(/^\$\{(data\.)?aws_vpc\./);
      expect(g.ingress).toBeUndefined();
      expect(g.egress).toBeUndefined();
    }
  });

  it("SG-1: a group that must be replaced is created first under a new name: a name prefix, never a fixed name, with create_before_destroy", () => {
    // AWS refuses a second group of the same name in a VPC (InvalidGroup.Duplicate), and destroying a
    // group first fails while a task's interface still uses it (DependencyViolation).
    for (const [, g] of resources(stack, "aws_security_group")) {
      expect(g.name).toBeUndefined();
      expect(g.name_prefix).toBe(`${g.tags.Name}-`);
      expect(g.name_prefix).toMatch(new RegExp(`^tracker-${name}-[a-z-]+-$`));
      expect(g.lifecycle).toEqual({ create_before_destroy: true });
    }
  });

  it("SG-2: the ALB takes 80 and 443 from anywhere (IPv4 and IPv6) and sends only to the web services' ports", () => {
    expect(ingress("alb").map((r) => `${r.port} ${r.peer}`).sort()).toEqual(["443 0.0.0.0/0", "443 ::/0", "80 0.0.0.0/0", "80 ::/0"]);
    const out = rules.filter((r) => r.direction === "out" && r.group === "alb");
    expect(out.map((r) => `${r.port} ${r.peer}`).sort()).toEqual(webPorts.map((p) => `${p} application`).sort());
  });

  it("SG-3: application services accept only the ALB, on their container ports", () => {
    expect(ingress("application").map((r) => `${r.port} ${r.peer}`).sort()).toEqual(webPorts.map((p) => `${p} alb`).sort());
  });

  it("SG-3: workers accept no traffic", () => {
    expect(ingress("workers")).toEqual([]);
  });

  if (name === "staging") {
    it("SG-4: PostgreSQL 5432 and Valkey 6379 only from the application and worker groups, by reference", () => {
      expect(ingress("database").map((r) => `${r.port} ${r.peer}`).sort()).toEqual(["5432 application", "5432 workers"]);
      expect(ingress("redis").map((r) => `${r.port} ${r.peer}`).sort()).toEqual(["6379 application", "6379 workers"]);
    });
  } else {
    it("SG-4 / PRD-2: production reaches Patroni and MemoryDB only on their ports and CIDRs", () => {
      const data = env.dataPlane;
      if (data.mode !== "external") throw new Error("production is external");
      const dataEgress = rules.filter((r) => r.direction === "out" && (r.port === data.postgres.port || r.port === data.redis.port));
      expect(dataEgress.length).toBeGreaterThan(0);
      for (const r of dataEgress) expect([...data.postgres.cidrs, ...data.redis.cidrs]).toContain(r.peer);
      expect(new Set(dataEgress.map((r) => r.group))).toEqual(new Set(["application", "workers"]));
    });
  }

  it("SG-5: anisette only from tracker-fetcher's group on 6969; its EFS 2049 only from anisette", () => {
    expect(ingress("anisette").map((r) => `${r.port} ${r.peer}`)).toEqual(["6969 workers"]);
    expect(ingress("anisette-efs").map((r) => `${r.port} ${r.peer}`)).toEqual(["2049 anisette"]);
  });

  it("SG-6: no ingress from the internet except the ALB's 80/443; no port 22; every rule described", () => {
    for (const r of rules) {
      expect(r.description.length).toBeGreaterThan(5);
      expect(r.port).not.toBe(22);
      if (r.direction === "in" && (r.peer === "0.0.0.0/0" || r.peer === "::/0")) {
        expect(r.group).toBe("alb");
        expect([80, 443]).toContain(r.port);
      }
    }
  });

  it("SG-4: data-plane ingress is by security-group reference, never by CIDR", () => {
    for (const r of rules.filter((r) => r.direction === "in" && r.group !== "alb")) {
      expect(r.peer).not.toMatch(/\//);
    }
  });
});

/**
 * The whole matrix as a reviewer reads it in the plan: every rule of each stack, its direction, group,
 * port, peer (a group or a CIDR) and the description the console shows. Written out here, not derived
 * from the catalog: a rule added, lost or pointed elsewhere fails this list.
 */
describe("SG-1..SG-6: every rule of each environment, written out", () => {
  const matrix = (stack: SynthesizedStack) => rulesOf(stack).map((r) => `${r.direction} ${r.group} ${r.port} ${r.peer} | ${r.description}`).sort();
  const COMMON = [
    "in alb 443 0.0.0.0/0 | HTTPS from the internet (ipv4)",
    "in alb 443 ::/0 | HTTPS from the internet (ipv6)",
    "in alb 80 0.0.0.0/0 | HTTP from the internet (ipv4)",
    "in alb 80 ::/0 | HTTP from the internet (ipv6)",
    "in anisette 6969 workers | anisette from workers",
    "in anisette-efs 2049 anisette | NFS from anisette",
    "in application 3000 alb | From the ALB to frontend on 3000",
    "in application 3001 alb | From the ALB to admin on 3001",
    "in application 8000 alb | From the ALB to api on 8000",
    "out alb 3000 application | To frontend on 3000",
    "out alb 3001 application | To admin on 3001",
    "out alb 8000 application | To api on 8000",
    "out anisette 2049 anisette-efs | NFS to the anisette file system",
    "out anisette 443 0.0.0.0/0 | HTTPS to AWS APIs, ECR and external APIs",
    "out application 443 0.0.0.0/0 | HTTPS to AWS APIs, ECR and external APIs",
    "out workers 443 0.0.0.0/0 | HTTPS to AWS APIs, ECR and external APIs",
    "out workers 6969 anisette | To anisette on 6969",
  ];

  it("SG-1..SG-6 / NET-3: staging: the database host's PostgreSQL and Valkey by group, and the NAT instance admitting each group that goes out", () => {
    expect(matrix(staging)).toEqual(
      [
        ...COMMON,
        "in database 5432 application | PostgreSQL from application",
        "in database 5432 workers | PostgreSQL from workers",
        "in redis 6379 application | Valkey from application",
        "in redis 6379 workers | Valkey from workers",
        "out application 5432 database | PostgreSQL on the database host",
        "out application 6379 redis | Valkey on the database host",
        "out workers 5432 database | PostgreSQL on the database host",
        "out workers 6379 redis | Valkey on the database host",
        "out database 443 0.0.0.0/0 | HTTPS to package repositories and AWS APIs",
        "out database 80 0.0.0.0/0 | HTTP to Debian package mirrors",
        "in nat 443 anisette | Port 443 from anisette, forwarded to the internet",
        "in nat 443 application | Port 443 from application, forwarded to the internet",
        "in nat 443 database | Port 443 from database, forwarded to the internet",
        "in nat 443 workers | Port 443 from workers, forwarded to the internet",
        "in nat 80 database | Port 80 from database, forwarded to the internet",
        "out nat 443 0.0.0.0/0 | Port 443 to the internet: the private subnets' egress (and the instance's package updates)",
        "out nat 80 0.0.0.0/0 | Port 80 to the internet: the private subnets' egress (and the instance's package updates)",
      ].sort(),
    );
  });

  it("SG-1..SG-6 / PRD-2: production: Patroni and MemoryDB by their CIDR and port, no database group, no NAT instance", () => {
    expect(matrix(production)).toEqual(
      [
        ...COMMON,
        "out application 5432 10.20.0.0/16 | PostgreSQL (Patroni) at 10.20.0.0/16",
        "out application 6379 10.20.0.0/16 | Valkey (MemoryDB) at 10.20.0.0/16",
        "out workers 5432 10.20.0.0/16 | PostgreSQL (Patroni) at 10.20.0.0/16",
        "out workers 6379 10.20.0.0/16 | Valkey (MemoryDB) at 10.20.0.0/16",
      ].sort(),
    );
  });
});
