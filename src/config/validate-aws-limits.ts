/**
 * Values of an environment definition that AWS would reject at apply (CFG-5), checked at synth so
 * that a typo fails in a second on the laptop rather than halfway through `terraform apply`. The
 * rules that `validate.ts` already held (CIDRs, Fargate sizes, retention, ...) stay there; this file
 * adds the ones that need a list of what AWS really offers or a documented AWS limit.
 */
import { MAX_ADMIN_ALLOWED_CIDRS } from "../edge/load-balancer";
import { AWS_COMMERCIAL_REGIONS } from "./aws-regions";
import { GRAVITON_INSTANCE_SIZES, GRAVITON_INSTANCE_TYPES } from "./graviton-instance-types";
import type { EnvironmentDefinition } from "./types";

/** ACM: the certificate's domain name (its Common Name) is at most 64 characters (RFC 5280). */
export const ACM_DOMAIN_NAME_MAX = 64;

const SIZES: Readonly<Record<string, readonly string[] | undefined>> = GRAVITON_INSTANCE_SIZES;

/** The one problem with an EC2 instance type for the database host, or undefined when it is allowed. */
export function instanceTypeProblem(value: string): string | undefined {
  if (GRAVITON_INSTANCE_TYPES.includes(value)) return undefined;
  const match = /^([a-z][a-z0-9-]*)\.([a-z0-9-]+)$/.exec(value);
  if (!match) return `"${value}" is not an EC2 instance type (family.size, lower case, e.g. t4g.large)`;
  const [, family = "", size = ""] = match;
  const sizes = SIZES[family];
  if (sizes) return `"${value}" does not exist: ${family} comes in ${sizes.join(", ")} (not ${size})`;
  const families = Object.keys(GRAVITON_INSTANCE_SIZES).join(", ");
  // Graviton families left out of the list on purpose: a1 (first generation) and the specialised ones.
  if (family === "a1" || /^[a-z]+\d+g[a-z]*$/.test(family)) {
    return `"${value}": ${family} is not a Graviton family for a database host; use one of ${families}`;
  }
  return `"${value}" is an x86 instance type; the database host boots an ARM64 (Graviton) image, so use a Graviton type such as t4g.large or m7g.large (families ${families})`;
}

/** Validates what AWS would reject at apply; returns problems prefixed `<env>.<field>`. */
export function awsLimitProblems(env: EnvironmentDefinition): string[] {
  const problems: string[] = [];
  const at = (field: string, message: string) => problems.push(`${env.name}.${field}: ${message}`);
  const wholeAtLeast = (value: number, min: number) => Number.isInteger(value) && value >= min;

  // A region name of the right shape that AWS does not have (validate.ts refuses the wrong shape).
  if (/^[a-z]{2}(-[a-z]+)+-\d$/.test(env.region) && !AWS_COMMERCIAL_REGIONS.includes(env.region)) {
    at("region", `"${env.region}" is not a region of the commercial AWS partition (the ARNs here are arn:aws:...); e.g. eu-central-1`);
  }

  // DB-1: the database host's instance type exists and is ARM64.
  if (env.dataPlane.mode === "host") {
    const problem = instanceTypeProblem(env.dataPlane.instanceType);
    if (problem) at("dataPlane.instanceType", problem);
  } else if (!/^[a-z_][a-z0-9_]{0,62}$/.test(env.dataPlane.postgres.databaseName)) {
    at("dataPlane.postgres.databaseName", `"${env.dataPlane.postgres.databaseName}" is not a plain PostgreSQL identifier`);
  }

  // EDGE-2: ACM refuses a certificate whose domain name (the frontend hostname) is longer than 64.
  const certificateName = env.dns.hostnames.frontend;
  if (certificateName.length > ACM_DOMAIN_NAME_MAX) {
    at("dns.hostnames.frontend", `"${certificateName}" is ${certificateName.length} characters; it is the certificate's domain name, which ACM limits to ${ACM_DOMAIN_NAME_MAX}`);
  }

  // EDGE-5, DLV-1: the allow-list is the source-IP condition of the admin host's one forwarding
  // rule, the rule whose weights ECS shifts during a canary.
  const allowed = env.loadBalancer.adminAllowedCidrs.length;
  if (allowed > MAX_ADMIN_ALLOWED_CIDRS) {
    at("loadBalancer.adminAllowedCidrs", `has ${allowed} CIDRs; at most ${MAX_ADMIN_ALLOWED_CIDRS} fit the admin host's one listener rule (ALB rules take five condition values each, and ECS shifts the traffic of one rule per service, DLV-1); merge them into wider CIDRs`);
  }

  // ECS-7: Application Auto Scaling takes whole task counts.
  for (const [service, sizing] of Object.entries(env.services)) {
    const scaling = sizing.autoscaling;
    if (scaling && (!Number.isInteger(scaling.minCount) || !Number.isInteger(scaling.maxCount))) {
      at(`services.${service}.autoscaling`, `minCount and maxCount must be whole numbers of tasks, got ${scaling.minCount}..${scaling.maxCount}`);
    }
  }

  // CFG-2: the token settings the API reads from Parameter Store.
  const tokens = env.authTokens;
  if (!wholeAtLeast(tokens.accessTokenExpireMinutes, 1)) {
    at("authTokens.accessTokenExpireMinutes", `must be a whole number of minutes >= 1, got ${tokens.accessTokenExpireMinutes}`);
  }
  if (!wholeAtLeast(tokens.refreshTokenExpireDays, 1)) {
    at("authTokens.refreshTokenExpireDays", `must be a whole number of days >= 1, got ${tokens.refreshTokenExpireDays}`);
  } else if (tokens.accessTokenExpireMinutes >= tokens.refreshTokenExpireDays * 24 * 60) {
    at("authTokens.accessTokenExpireMinutes", `${tokens.accessTokenExpireMinutes} minutes is not shorter than the refresh token (${tokens.refreshTokenExpireDays} days); an access token must expire first`);
  }
  if (!["HS256", "HS384", "HS512"].includes(tokens.algorithm)) {
    at("authTokens.algorithm", `"${String(tokens.algorithm)}" is not an HMAC algorithm the secret key can sign with; use HS256, HS384 or HS512`);
  }

  // ACC-4: the CI roles' trust.
  const ci = env.ci;
  if (ci.githubOidcProvider !== "create" && ci.githubOidcProvider !== "existing") {
    at("ci.githubOidcProvider", `"${String(ci.githubOidcProvider)}" is neither "create" nor "existing"`);
  }
  if (ci.deployFrom.length === 0) {
    at("ci.deployFrom", 'is empty: the deploy role would trust no workflow; use "main-branch" and/or "github-environment"');
  }
  ci.deployFrom.forEach((source, i) => {
    if (source !== "main-branch" && source !== "github-environment") {
      at(`ci.deployFrom[${i}]`, `"${String(source)}" is neither "main-branch" nor "github-environment"`);
    } else if (ci.deployFrom.indexOf(source) !== i) {
      at(`ci.deployFrom[${i}]`, `"${source}" is listed twice`);
    }
  });
  return problems;
}
