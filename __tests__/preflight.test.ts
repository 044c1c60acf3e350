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
  fieldExists,
  formatReport,
  preflightCommand,
  preflightFindings,
  preflightPasses,
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
