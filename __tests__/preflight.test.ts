/**
 * RUN-2: the deploy preflight refuses an environment with unconfirmed values or an unreachable
 * dependency, and names environment.field with the fix. The expected values are the operator's:
 * production's Patroni and MemoryDB live in 10.20.0.0/16, outside production's new VPC 10.52.0.0/16.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PRODUCTION, PROJECT_DEFINITION, STAGING } from "../src/config/environments";
import type { CreatedNetworkDefinition, EnvironmentDefinition, VpcPeeringDefinition } from "../src/config/types";
import {
  confirmationFindings,
  fromValidation,
  fieldExists,
  formatReport,
  preflightCommand,
  preflightFindings,
  preflightPasses,
  privateUseSuffix,
  reachabilityFindings,
} from "../scripts/lib/preflight";
import { PRODUCTION_ADOPTED_BY_TAGS } from "./support/variants";

const root = join(__dirname, "..");

function run(argv: string[]): { code: number; lines: string[] } {
  const lines: string[] = [];
  const code = preflightCommand(argv, (line) => lines.push(line));
  return { code, lines };
}

const createdNetwork = PRODUCTION.network as CreatedNetworkDefinition;
const PATRONI_PEERING: VpcPeeringDefinition = {
  name: "patroni",
  peerVpcId: "vpc-0a1b2c3d4e5f60718",
  peerCidr: "10.20.0.0/16",
  peerRouteTableIds: ["rtb-0a1b2c3d4e5f60718"],
  privateZoneIds: ["Z0123456789ABCDEFGHIJ"],
};
function peeredWith(peering: VpcPeeringDefinition): EnvironmentDefinition {
  return { ...PRODUCTION, network: { ...createdNetwork, peerings: [peering] } };
}
/** Production peered with the Patroni/MemoryDB VPC, the private zone of the Patroni name associated. */
const PRODUCTION_PEERED = peeredWith(PATRONI_PEERING);

describe("RUN-2: deploy preflight", () => {
  it("RUN-2: production is refused for its unconfirmed values and for the unrouted Patroni/MemoryDB network, each naming environment.field", () => {
    const { code, lines } = run(["production"]);
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/^preflight production: REFUSED/);
    const failures = lines.filter((l) => l.startsWith("  FAIL "));
    // Unconfirmed values: the Patroni and MemoryDB endpoints, their CIDRs, the region.
    expect(failures).toContainEqual(expect.stringMatching(/^ {2}FAIL production\.dataPlane\.postgres\.host: not confirmed: /));
    expect(failures).toContainEqual(expect.stringMatching(/^ {2}FAIL production\.dataPlane\.redis\.host: not confirmed: /));
    expect(failures).toContainEqual(expect.stringMatching(/^ {2}FAIL production\.region: not confirmed: /));
    // Unreachable: 10.20.0.0/16 is outside 10.52.0.0/16 and there is no peering.
    expect(failures).toContainEqual(
      expect.stringMatching(/^ {2}FAIL production\.dataPlane\.postgres\.cidrs\[0\]: 10\.20\.0\.0\/16 is not routed from the services.*10\.52\.0\.0\/16/),
    );
    expect(failures).toContainEqual(expect.stringMatching(/^ {2}FAIL production\.dataPlane\.redis\.cidrs\[0\]: 10\.20\.0\.0\/16 is not routed/));
    // The Patroni name is under .internal: without an associated private zone it does not resolve.
    expect(failures).toContainEqual(
      expect.stringMatching(/^ {2}FAIL production\.dataPlane\.postgres\.host: "patroni\.tracker-production\.internal" is a private name/),
    );
    // Every problem line is followed by its fix.
    for (const failure of failures) {
      expect(lines[lines.indexOf(failure) + 1]).toMatch(/^ {7}fix: \S/);
    }
    expect(lines.join("\n")).toMatch(/fix: peer with the VPC that holds it \(network\.peerings: peerVpcId, a peerCidr covering 10\.20\.0\.0\/16/);
  });

  it("RUN-2: staging passes (its database host is in its own VPC; its open confirmations do not block a deploy) and lists them as notes", () => {
    const { code, lines } = run(["staging"]);
    expect(code).toBe(0);
    expect(lines[0]).toMatch(/^preflight staging: OK/);
    expect(lines.some((l) => l.includes("FAIL"))).toBe(false);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}NOTE staging\.reservedCidrs: not confirmed \(does not block this deploy\)/));
    expect(reachabilityFindings(STAGING)).toEqual([]);
  });

  it("RUN-2: a production peered with 10.20.0.0/16 and associating the Patroni zone passes the reachability part", () => {
    expect(reachabilityFindings(PRODUCTION_PEERED)).toEqual([]);
    // ... and only the confirmations are left to refuse it.
    const blocking = preflightFindings(PRODUCTION_PEERED).filter((f) => f.blocking);
    expect(blocking.length).toBeGreaterThan(0);
    expect(blocking.every((f) => f.problem.startsWith("not confirmed: "))).toBe(true);
    // Confirmed and peered: nothing blocks.
    expect(preflightPasses(preflightFindings({ ...PRODUCTION_PEERED, pendingConfirmations: [] }))).toBe(true);
  });

  it("RUN-2: a peering that routes 10.20.0.0/16 but associates no private zone still leaves the .internal name unresolvable", () => {
    const noZone = peeredWith({ ...PATRONI_PEERING, privateZoneIds: [] });
    const findings = reachabilityFindings(noZone);
    expect(findings.map((f) => f.field)).toEqual(["production.dataPlane.postgres.host"]);
    // MemoryDB's endpoint is a public name (amazonaws.com resolving to private addresses): no zone needed.
    expect(findings.some((f) => f.field.includes("redis"))).toBe(false);
  });

  it("RUN-2: a peering that covers only part of the database network does not count", () => {
    const partial = peeredWith({ ...PATRONI_PEERING, peerCidr: "10.20.0.0/17" });
    expect(reachabilityFindings(partial).map((f) => f.field)).toEqual([
      "production.dataPlane.postgres.cidrs[0]",
      "production.dataPlane.postgres.host",
      "production.dataPlane.redis.cidrs[0]",
    ]);
  });

  it("RUN-2: deploying into the adopted Patroni VPC (10.20.0.0/16) reaches both; the private name is a note, not a refusal", () => {
    const findings = reachabilityFindings(PRODUCTION_ADOPTED_BY_TAGS);
    expect(findings.filter((f) => f.blocking)).toEqual([]);
    expect(findings.map((f) => f.field)).toEqual(["production.dataPlane.postgres.host"]);
  });

  it("RUN-2: a pending confirmation naming no field of the definition is itself refused", () => {
    const typo: EnvironmentDefinition = {
      ...STAGING,
      pendingConfirmations: [{ field: "dataPlane.postgress.host", check: "x", blocksDeploy: false }],
    };
    const findings = preflightFindings(typo);
    expect(findings).toContainEqual(expect.objectContaining({ field: "staging.pendingConfirmations[0].field", blocking: true }));
    expect(fieldExists(PRODUCTION, "dataPlane.postgres.cidrs[0]")).toBe(true);
    expect(fieldExists(PRODUCTION, "dataPlane.postgres.cidrs[1]")).toBe(false);
  });

  it("RUN-2: every pending confirmation of the shipped definitions names a real field", () => {
    for (const env of [STAGING, PRODUCTION]) {
      for (const entry of env.pendingConfirmations ?? []) expect(fieldExists(env, entry.field), `${env.name}.${entry.field}`).toBe(true);
    }
    for (const entry of PROJECT_DEFINITION.pendingConfirmations ?? []) expect(fieldExists(PROJECT_DEFINITION, entry.field)).toBe(true);
  });

  it("RUN-2: no 'confirm' comment is left in the environment definitions: open facts are data the preflight reads", () => {
    const source = readFileSync(join(root, "src/config/environments.ts"), "utf8");
    expect(source.match(/\/\/\s*confirm\b/gi) ?? []).toEqual([]);
  });

  it("RUN-2: no environment named is a usage error that says to name one", () => {
    expect(() => preflightCommand([], () => {})).toThrow(/name one environment/);
  });

  it("RUN-2: deploy.yml runs the preflight for each environment before its plan and before its apply", () => {
    const workflow = parse(readFileSync(join(root, ".github/workflows/deploy.yml"), "utf8"));
    // Staging plans and applies in one job (cdktf deploy); production plans (DLV-3) and, after the
    // approval, applies the saved plan: each of those jobs refuses first.
    const jobs = [
      { job: "staging", environment: "staging", change: /cdktf deploy/ },
      { job: "production-plan", environment: "production", change: /terraform[^\n]* plan /s },
      { job: "production", environment: "production", change: /terraform[^\n]* apply /s },
    ];
    for (const { job, environment, change } of jobs) {
      const steps: { name?: string; run?: string; uses?: string }[] = workflow.jobs[job].steps;
      const preflight = steps.findIndex((s) => /npm run preflight -- "\$ENVIRONMENT"/.test(s.run ?? ""));
      const changing = steps.findIndex((s) => change.test(s.run ?? ""));
      expect(preflight, `${job}: preflight step`).toBeGreaterThanOrEqual(0);
      expect(changing, `${job}: its plan/apply step`).toBeGreaterThan(preflight);
      expect(workflow.jobs[job].env.ENVIRONMENT).toBe(environment);
    }
  });

  it("RUN-2: the report is one verdict line, then problem/fix pairs, blocking problems first", () => {
    const lines = formatReport("x", [
      { field: "x.a", problem: "note", fix: "f1", blocking: false },
      { field: "x.b", problem: "bad", fix: "f2", blocking: true },
    ]);
    expect(lines).toEqual([
      "preflight x: REFUSED, 1 problem(s) block the deploy",
      "  FAIL x.b: bad",
      "       fix: f2",
      "  NOTE x.a: note",
      "       fix: f1",
    ]);
  });
});

describe("RUN-2: the preflight's pieces, with the operator's text", () => {
  it("RUN-2: private-use suffixes that public DNS never answers, whatever the case or a trailing dot", () => {
    expect(privateUseSuffix("patroni.tracker-production.internal")).toBe("internal");
    expect(privateUseSuffix("DB.Example.LAN.")).toBe("lan");
    expect(privateUseSuffix("router.home.arpa")).toBe("home.arpa");
    expect(privateUseSuffix("internal")).toBe("internal");
    expect(privateUseSuffix("db.example.com")).toBeUndefined();
    expect(privateUseSuffix("db.notinternal")).toBeUndefined();
    expect(privateUseSuffix("internal.example.com")).toBeUndefined();
  });

  it("RUN-2: field paths with nested indexes; a malformed part, a missing key or a value that is not an object is absent", () => {
    const value = { a: { b: [[1, 2], [3]], c: null, d: 0 } };
    expect(fieldExists(value, "a.b[0][1]")).toBe(true);
    expect(fieldExists(value, "a.b[1][1]")).toBe(false);
    expect(fieldExists(value, "a.c")).toBe(true);
    expect(fieldExists(value, "a.d")).toBe(true);
    expect(fieldExists(value, "a.c.x")).toBe(false);
    expect(fieldExists(value, "a.d.x")).toBe(false);
    expect(fieldExists(value, "a..b")).toBe(false);
    expect(fieldExists(value, "a.1b")).toBe(false);
    expect(fieldExists(value, "a.b[x]")).toBe(false);
    expect(fieldExists(value, "a.e")).toBe(false);
    const twelve = { list: Array.from({ length: 12 }, (_, i) => i), gone: undefined };
    expect(fieldExists(twelve, "list[11]")).toBe(true);
    expect(fieldExists(twelve, "list[12]")).toBe(false);
    expect(fieldExists(twelve, "gone")).toBe(false);
  });

  it("RUN-2: a pending confirmation: blocking, a note, or a field that does not exist, each with its text", () => {
    const definition = { dataPlane: { postgres: { host: "db" } } };
    expect(
      confirmationFindings("production", definition, [
        { field: "dataPlane.postgres.host", check: "the Patroni endpoint", blocksDeploy: true },
        { field: "dataPlane.postgres.host", check: "the port", blocksDeploy: false },
        { field: "dataPlane.postgress.host", check: "x", blocksDeploy: true },
      ]),
    ).toEqual([
      {
        field: "production.dataPlane.postgres.host",
        problem: "not confirmed: the Patroni endpoint",
        fix: "check it against the account, correct the value in src/config/environments.ts if needed, then remove its pendingConfirmations entry",
        blocking: true,
      },
      {
        field: "production.dataPlane.postgres.host",
        problem: "not confirmed (does not block this deploy): the port",
        fix: "check it, then remove its pendingConfirmations entry",
        blocking: false,
      },
      {
        field: "production.pendingConfirmations[2].field",
        problem: '"dataPlane.postgress.host" names no field of the environment definition',
        fix: "name the field as validation does (e.g. dataPlane.postgres.host)",
        blocking: true,
      },
    ]);
    expect(confirmationFindings("project", {}, [{ field: "x", check: "y", blocksDeploy: false }])[0]!.problem).toBe('"x" names no field of the project definition');
  });

  it("RUN-2: a configuration error found by validation blocks the deploy, named by its field", () => {
    const broken: EnvironmentDefinition = { ...STAGING, pendingConfirmations: [], region: "mars-1" };
    const findings = preflightFindings(broken, { ...PROJECT_DEFINITION, pendingConfirmations: [] });
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0]).toMatchObject({ field: "staging.region", fix: "correct it in src/config/environments.ts (synth refuses it too)", blocking: true });
    expect(findings[0]!.problem).not.toMatch(/^staging\.region/);
  });

  it("RUN-2: the unrouted-CIDR finding's full text, for a created VPC and for an adopted one", () => {
    const unrouted = reachabilityFindings(PRODUCTION).find((f) => f.field === "production.dataPlane.postgres.cidrs[0]")!;
    expect(unrouted.problem).toBe(
      "10.20.0.0/16 is not routed from the services: it is outside their VPC (network.vpcCidr 10.52.0.0/16) and no network.peerings[].peerCidr covers it, " +
        "so patroni.tracker-production.internal:5432 is unreachable although the security groups allow it",
    );
    expect(unrouted.fix).toBe(
      "peer with the VPC that holds it (network.peerings: peerVpcId, a peerCidr covering 10.20.0.0/16, peerRouteTableIds, privateZoneIds), or deploy into that VPC (network.mode \"adopt\")",
    );
    const zone = reachabilityFindings(peeredWith({ ...PATRONI_PEERING, privateZoneIds: [] })).find((f) => f.field === "production.dataPlane.postgres.host")!;
    expect(zone).toEqual({
      field: "production.dataPlane.postgres.host",
      problem:
        '"patroni.tracker-production.internal" is a private name (.internal) that only a Route 53 private hosted zone resolves, ' +
        "and no peering that reaches dataPlane.postgres.cidrs associates one with the services' VPC",
      fix: "add the ID of the private hosted zone that resolves it to the privateZoneIds of the network.peerings entry that reaches the database",
      blocking: true,
    });
    const adopted = reachabilityFindings(PRODUCTION_ADOPTED_BY_TAGS)[0]!;
    expect(adopted).toEqual({
      field: "production.dataPlane.postgres.host",
      problem:
        '"patroni.tracker-production.internal" is a private name (.internal); the adopted VPC is taken to resolve it (its private hosted zone associated there, as for the database\'s own clients)',
      fix: "nothing, if `nslookup` of the name answers from an instance in that VPC",
      blocking: false,
    });
  });

  it("RUN-2: in an adopted VPC a database network outside it cannot be peered from here: the fix says to deploy into its VPC", () => {
    const elsewhere: EnvironmentDefinition = {
      ...PRODUCTION_ADOPTED_BY_TAGS,
      dataPlane: PRODUCTION.dataPlane.mode === "external" ? { ...PRODUCTION.dataPlane, redis: { ...PRODUCTION.dataPlane.redis, cidrs: ["10.30.0.0/24"] } } : PRODUCTION.dataPlane,
    };
    expect(reachabilityFindings(elsewhere).filter((f) => f.blocking)).toEqual([
      {
        field: "production.dataPlane.redis.cidrs[0]",
        problem:
          "10.30.0.0/24 is not routed from the services: it is outside their VPC (network.vpcCidr 10.20.0.0/16), " +
          "so clustercfg.tracker-production.memorydb.eu-central-1.amazonaws.com:6379 is unreachable although the security groups allow it",
        fix: "deploy into the VPC that holds 10.30.0.0/24, or correct dataPlane.redis.cidrs",
        blocking: true,
      },
    ]);
  });

  it("RUN-2: a peering without privateZoneIds at all resolves no private name; definitions without pendingConfirmations have none", () => {
    const { privateZoneIds: _zones, ...withoutZones } = PATRONI_PEERING;
    expect(reachabilityFindings(peeredWith(withoutZones)).map((f) => f.field)).toEqual(["production.dataPlane.postgres.host"]);
    const { pendingConfirmations: _env, ...envWithout } = PRODUCTION_PEERED;
    const { pendingConfirmations: _project, ...projectWithout } = PROJECT_DEFINITION;
    expect(preflightFindings(envWithout as EnvironmentDefinition, projectWithout as typeof PROJECT_DEFINITION)).toEqual([]);
  });

  it("RUN-2: a validation line names its field before the first ': '; one without a field is the configuration's", () => {
    expect(fromValidation("staging.region: mars-1 is not a commercial region: pick one of ...")).toEqual({
      field: "staging.region",
      problem: "mars-1 is not a commercial region: pick one of ...",
      fix: "correct it in src/config/environments.ts (synth refuses it too)",
      blocking: true,
    });
    expect(fromValidation("no environment is defined")).toMatchObject({ field: "configuration", problem: "no environment is defined" });
    expect(fromValidation(": starts with a separator")).toMatchObject({ field: "configuration", problem: ": starts with a separator" });
  });

  it("RUN-2: a CIDR that is not one is left to configuration validation, which names it; reachability adds nothing for it", () => {
    const broken: EnvironmentDefinition = {
      ...PRODUCTION_PEERED,
      dataPlane: PRODUCTION.dataPlane.mode === "external" ? { ...PRODUCTION.dataPlane, redis: { ...PRODUCTION.dataPlane.redis, cidrs: ["10.20.0.0/33"] } } : PRODUCTION.dataPlane,
    };
    expect(reachabilityFindings(broken)).toEqual([]);
    // A peering whose peerCidr is not a CIDR reaches nothing (validation names it).
    expect(reachabilityFindings(peeredWith({ ...PATRONI_PEERING, peerCidr: "10.20.0.0" })).map((f) => f.field)).toEqual([
      "production.dataPlane.postgres.cidrs[0]",
      "production.dataPlane.postgres.host",
      "production.dataPlane.redis.cidrs[0]",
    ]);
    expect(reachabilityFindings({ ...PRODUCTION, network: { ...createdNetwork, vpcCidr: "10.52.0.0/99" } }).filter((f) => f.field.includes("cidrs"))).toEqual([]);
  });

  it("RUN-2: a clean report says OK, with the number of notes when there are any", () => {
    expect(formatReport("staging", [])).toEqual(["preflight staging: OK, nothing blocks the deploy"]);
    expect(formatReport("staging", [{ field: "f", problem: "p", fix: "x", blocking: false }])[0]).toBe("preflight staging: OK, nothing blocks the deploy (1 note(s))");
  });

  it("RUN-2: the command: --help prints the usage, an unknown or a second environment is a usage error naming the known ones", () => {
    expect(run(["staging"]).code).toBe(0);
    const help = run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.lines[0]).toBe("Usage: npm run preflight -- <environment>");
    expect(help.lines).toContain("environments: staging, production");
    expect(() => preflightCommand(["qa"], () => {})).toThrow('unknown environment "qa" (one of: staging, production)');
    expect(() => preflightCommand(["staging", "production"], () => {})).toThrow("name one environment (one of: staging, production)");
  });
});
