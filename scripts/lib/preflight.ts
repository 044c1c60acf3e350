/**
 * The deploy preflight (RUN-2): before any apply of an environment stack, refuse while the
 * environment has values nobody has checked against the account, or a dependency its services
 * could not reach once deployed. Everything is computed from the environment definition; nothing
 * here contacts AWS, so the check runs the same in CI, on a workstation and in the tests.
 *
 * Reachability of an external data plane (production's Patroni cluster and MemoryDB):
 * - every CIDR in `dataPlane.<postgres|redis>.cidrs` must be inside the VPC the services run in
 *   (`network.vpcCidr`: an adopted VPC, or one this stack creates) or inside the `peerCidr` of one
 *   of `network.peerings` (which routes it from the private tiers, created-network.ts). The security
 *   groups allowing those CIDRs is not enough: without a route, packets never leave the VPC.
 * - a host name that only a private hosted zone can resolve (a private-use suffix such as
 *   `.internal`) needs that zone associated with the services' VPC: a created VPC gets it through
 *   the `privateZoneIds` of a peering that reaches the host's CIDRs. In an adopted VPC, the
 *   database's own VPC, the zone is taken to be associated already, and the report says so.
 */
import { parseArgs } from "node:util";
import { ENVIRONMENTS, PROJECT_DEFINITION } from "../../src/config/environments";
import { cidrContains, parseCidr } from "../../src/config/cidr";
import type { EnvironmentDefinition, ExternalDataDefinition, PendingConfirmation, ProjectDefinition } from "../../src/config/types";
import { environmentProblems } from "../../src/config/validate";
import type { Log } from "./runtime";
import { UsageError } from "./runtime";

/** One line of the report. `blocking` findings refuse the deploy; the others are printed as notes. */
export interface PreflightFinding {
  /** `environment.field` (or `project.field`). */
  readonly field: string;
  readonly problem: string;
  /** What the operator does about it. */
  readonly fix: string;
  readonly blocking: boolean;
}

/**
 * DNS suffixes that public DNS never answers, so only a private hosted zone can resolve names under
 * them: `.internal` (reserved by ICANN for private use, 2024), `.local` (mDNS, RFC 6762),
 * `.home.arpa` (RFC 8375), `.localdomain`, and the private suffixes ICANN will not delegate because
 * of name collisions (`.corp`, `.home`, `.lan`, `.intranet`, `.private`).
 */
export const PRIVATE_USE_SUFFIXES = [
  "internal",
  "local",
  "home.arpa",
  "localdomain",
  "corp",
  "home",
  "lan",
  "intranet",
  "private",
] as const;

/** The private-use suffix a host name ends in, if any. */
export function privateUseSuffix(host: string): string | undefined {
  const name = host.toLowerCase().replace(/\.$/, "");
  return PRIVATE_USE_SUFFIXES.find((suffix) => name === suffix || name.endsWith(`.${suffix}`));
}

/** Every finding of one environment: configuration errors, pending confirmations, reachability. */
export function preflightFindings(
  env: EnvironmentDefinition,
  project: ProjectDefinition = PROJECT_DEFINITION,
): PreflightFinding[] {
  return [
    ...environmentProblems(env).map((line) => fromValidation(line)),
    ...confirmationFindings(env.name, env, env.pendingConfirmations ?? []),
    ...confirmationFindings("project", project, project.pendingConfirmations ?? []),
    ...reachabilityFindings(env),
  ];
}

/** Whether the deploy may go ahead: no blocking finding. */
export function preflightPasses(findings: readonly PreflightFinding[]): boolean {
  return findings.every((f) => !f.blocking);
}

/** A validation problem (`environment.field: what is wrong`) as a blocking finding. */
export function fromValidation(line: string): PreflightFinding {
  const colon = line.indexOf(": ");
  return {
    field: colon > 0 ? line.slice(0, colon) : "configuration",
    problem: colon > 0 ? line.slice(colon + 2) : line,
    fix: "correct it in src/config/environments.ts (synth refuses it too)",
    blocking: true,
  };
}

/** The pending confirmations of a definition; an entry naming no field of it is an error in itself. */
export function confirmationFindings(
  prefix: string,
  definition: object,
  pending: readonly PendingConfirmation[],
): PreflightFinding[] {
  return pending.map((entry, i): PreflightFinding => {
    if (!fieldExists(definition, entry.field)) {
      return {
        field: `${prefix}.pendingConfirmations[${i}].field`,
        problem: `"${entry.field}" names no field of the ${prefix === "project" ? "project" : "environment"} definition`,
        fix: "name the field as validation does (e.g. dataPlane.postgres.host)",
        blocking: true,
      };
    }
    return entry.blocksDeploy
      ? {
          field: `${prefix}.${entry.field}`,
          problem: `not confirmed: ${entry.check}`,
          fix: "check it against the account, correct the value in src/config/environments.ts if needed, then remove its pendingConfirmations entry",
          blocking: true,
        }
      : {
          field: `${prefix}.${entry.field}`,
          problem: `not confirmed (does not block this deploy): ${entry.check}`,
          fix: "check it, then remove its pendingConfirmations entry",
          blocking: false,
        };
  });
}

/** Whether `path` (`a.b.c`, `a.b[0]`) names a present value of `value`. */
export function fieldExists(value: unknown, path: string): boolean {
  const parts = path.split(".").flatMap((part) => {
    const match = /^([A-Za-z][A-Za-z0-9]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) return [undefined];
    const indexes = [...match[2]!.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    return [match[1]!, ...indexes];
  });
  let current: unknown = value;
  for (const part of parts) {
    if (part === undefined || current === null || typeof current !== "object") return false;
    if (!(part in (current as Record<string | number, unknown>))) return false;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current !== undefined;
}

/** Whether the services could reach each external data-plane dependency (nothing to check for a host). */
export function reachabilityFindings(env: EnvironmentDefinition): PreflightFinding[] {
  if (env.dataPlane.mode !== "external") return [];
  const findings: PreflightFinding[] = [];
  for (const key of ["postgres", "redis"] as const) {
    findings.push(...dependencyFindings(env, key, env.dataPlane[key]));
  }
  return findings;
}

function dependencyFindings(
  env: EnvironmentDefinition,
  key: "postgres" | "redis",
  dependency: ExternalDataDefinition["postgres"] | ExternalDataDefinition["redis"],
): PreflightFinding[] {
  const findings: PreflightFinding[] = [];
  const network = env.network;
  const field = `${env.name}.dataPlane.${key}`;
  const vpc = parseCidr(network.vpcCidr);
  const peerings = network.mode === "create" ? (network.peerings ?? []) : [];
  /** The peerings whose CIDR covers at least one of the dependency's CIDRs. */
  const reaching = new Set<number>();

  dependency.cidrs.forEach((text, i) => {
    const cidr = parseCidr(text);
    if (!cidr || !vpc) return; // configuration validation names it
    if (cidrContains(vpc, cidr)) return;
    const covering = peerings.findIndex((p) => {
      const peer = parseCidr(p.peerCidr);
      return peer !== undefined && cidrContains(peer, cidr);
    });
    if (covering >= 0) {
      reaching.add(covering);
      return;
    }
    findings.push({
      field: `${field}.cidrs[${i}]`,
      problem:
        `${text} is not routed from the services: it is outside their VPC (network.vpcCidr ${network.vpcCidr})` +
        (network.mode === "create" ? " and no network.peerings[].peerCidr covers it" : "") +
        `, so ${dependency.host}:${dependency.port} is unreachable although the security groups allow it`,
      fix:
        network.mode === "create"
          ? `peer with the VPC that holds it (network.peerings: peerVpcId, a peerCidr covering ${text}, peerRouteTableIds, privateZoneIds), or deploy into that VPC (network.mode "adopt")`
          : `deploy into the VPC that holds ${text}, or correct dataPlane.${key}.cidrs`,
      blocking: true,
    });
  });

  const suffix = privateUseSuffix(dependency.host);
  if (suffix !== undefined) {
    if (network.mode === "adopt") {
      findings.push({
        field: `${field}.host`,
        problem: `"${dependency.host}" is a private name (.${suffix}); the adopted VPC is taken to resolve it (its private hosted zone associated there, as for the database's own clients)`,
        fix: "nothing, if `nslookup` of the name answers from an instance in that VPC",
        blocking: false,
      });
    } else if (![...reaching].some((i) => (peerings[i]!.privateZoneIds ?? []).length > 0)) {
      findings.push({
        field: `${field}.host`,
        problem:
          `"${dependency.host}" is a private name (.${suffix}) that only a Route 53 private hosted zone resolves, ` +
          `and no peering that reaches dataPlane.${key}.cidrs associates one with the services' VPC`,
        fix: "add the ID of the private hosted zone that resolves it to the privateZoneIds of the network.peerings entry that reaches the database",
        blocking: true,
      });
    }
  }
  return findings;
}

/** The report: a verdict line, then one line per finding (blocking first). */
export function formatReport(environment: string, findings: readonly PreflightFinding[]): string[] {
  const blocking = findings.filter((f) => f.blocking);
  const notes = findings.filter((f) => !f.blocking);
  const lines = [
    blocking.length > 0
      ? `preflight ${environment}: REFUSED, ${blocking.length} problem(s) block the deploy`
      : `preflight ${environment}: OK, nothing blocks the deploy` + (notes.length > 0 ? ` (${notes.length} note(s))` : ""),
  ];
  for (const f of blocking) lines.push(`  FAIL ${f.field}: ${f.problem}`, `       fix: ${f.fix}`);
  for (const f of notes) lines.push(`  NOTE ${f.field}: ${f.problem}`, `       fix: ${f.fix}`);
  return lines;
}

export const PREFLIGHT_USAGE = [
  "Usage: npm run preflight -- <environment>",
  "",
  "Refuses (exit 1) while the environment has values nobody has confirmed against the account",
  "(pendingConfirmations in src/config/environments.ts that block a deploy) or an external",
  "dependency its services could not reach (a data-plane CIDR outside the VPC and every peering,",
  "a private database name whose hosted zone is not associated). Prints one line per problem,",
  "naming environment.field and the fix. Contacts nothing; exit 0 when the deploy may go ahead,",
  "2 on a usage error.",
  "",
  `environments: ${ENVIRONMENTS.map((e) => e.name).join(", ")}`,
  "",
  "Options:",
  "  -h, --help   this text",
  "",
  "Example:",
  "  npm run preflight -- production",
];

/** `npm run preflight -- <env>`: prints the report; returns the exit code. */
export function preflightCommand(
  argv: readonly string[],
  log: Log,
  environments: readonly EnvironmentDefinition[] = ENVIRONMENTS,
  project: ProjectDefinition = PROJECT_DEFINITION,
): number {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { help: { type: "boolean", short: "h" } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    PREFLIGHT_USAGE.forEach((line) => log(line));
    return 0;
  }
  const names = environments.map((e) => e.name);
  if (positionals.length !== 1) throw new UsageError(`name one environment (one of: ${names.join(", ")})`);
  const env = environments.find((e) => e.name === positionals[0]);
  if (!env) throw new UsageError(`unknown environment "${positionals[0]}" (one of: ${names.join(", ")})`);
  const findings = preflightFindings(env, project);
  formatReport(env.name, findings).forEach((line) => log(line));
  return preflightPasses(findings) ? 0 : 1;
}
