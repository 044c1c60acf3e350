/**
 * Validation of the edge protections of one environment (EDGE-7 web ACL, EDGE-8 security headers):
 * values AWS would reject at apply, and values a production edge must not have. Part of
 * `environmentProblems`; each problem is prefixed `<env>.loadBalancer.<field>`.
 */
import type { EnvironmentDefinition } from "./types";
import { COMMON_RULE_SET_RULES, RATE_LIMIT_RANGE } from "./waf-managed-rules";

/** One year, the least HSTS max-age production takes (and the HSTS preload list requires). */
export const ONE_YEAR_SECONDS = 31_536_000;

const FRAME_OPTIONS: readonly string[] = ["DENY", "SAMEORIGIN"];

export function edgeProtectionProblems(env: EnvironmentDefinition): string[] {
  const problems: string[] = [];
  const at = (field: string, message: string) => problems.push(`${env.name}.loadBalancer.${field}: ${message}`);
  const production = env.name === "production";

  // EDGE-7: the web ACL
  const waf = env.loadBalancer.waf;
  if (production && !waf.enabled) at("waf.enabled", "must be true in production (EDGE-7: the production ALB is behind AWS WAF)");
  const limit = waf.rateLimitPer5Min;
  if (!Number.isInteger(limit) || limit < RATE_LIMIT_RANGE.min || limit > RATE_LIMIT_RANGE.max) {
    at(
      "waf.rateLimitPer5Min",
      `must be a whole number of requests per client IP in 5 minutes from ${RATE_LIMIT_RANGE.min} to ${RATE_LIMIT_RANGE.max}, got ${limit}`,
    );
  }
  const seen = new Set<string>();
  waf.countOnlyCommonRules.forEach((name, i) => {
    if (!(COMMON_RULE_SET_RULES as readonly string[]).includes(name)) {
      at(`waf.countOnlyCommonRules[${i}]`, `"${name}" is not a rule of AWSManagedRulesCommonRuleSet; use one of ${COMMON_RULE_SET_RULES.join(", ")}`);
    }
    if (seen.has(name)) at(`waf.countOnlyCommonRules[${i}]`, `"${name}" is listed twice`);
    seen.add(name);
  });
  const threshold = waf.blockedRequestsAlarmThreshold;
  if (!Number.isInteger(threshold) || threshold < 1) {
    at("waf.blockedRequestsAlarmThreshold", `must be a whole number of blocked requests >= 1, got ${threshold}`);
  }

  // EDGE-8: the security headers
  const headers = env.loadBalancer.securityHeaders;
  const maxAge = headers.hstsMaxAgeSeconds;
  if (!Number.isInteger(maxAge) || maxAge < 0) {
    at("securityHeaders.hstsMaxAgeSeconds", `must be a whole number of seconds >= 0, got ${maxAge}`);
  } else if (production && maxAge < ONE_YEAR_SECONDS) {
    at("securityHeaders.hstsMaxAgeSeconds", `production needs at least one year (${ONE_YEAR_SECONDS}) of HSTS, got ${maxAge}`);
  }
  if (headers.hstsPreload && (!headers.hstsIncludeSubdomains || maxAge < ONE_YEAR_SECONDS)) {
    at(
      "securityHeaders.hstsPreload",
      `the HSTS preload list requires includeSubDomains and a max-age of at least ${ONE_YEAR_SECONDS}; set hstsIncludeSubdomains and hstsMaxAgeSeconds, or turn preload off`,
    );
  }
  if (!FRAME_OPTIONS.includes(headers.frameOptions)) {
    at("securityHeaders.frameOptions", `"${String(headers.frameOptions)}" is not an X-Frame-Options value; use DENY or SAMEORIGIN`);
  }
  return problems;
}
