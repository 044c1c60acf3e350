/**
 * EDGE-7: facts about the AWS managed rule groups the web ACL uses (AWS WAF Developer Guide,
 * "AWS Managed Rules rule groups list"). Data only; `edge/web-acl.ts` builds the rules from it and
 * validation checks the configured count-only overrides against it.
 */

/** The managed rule groups of the web ACL, in evaluation order, each with what it stops. */
export const MANAGED_RULE_GROUPS = [
  {
    name: "AWSManagedRulesAmazonIpReputationList",
    purpose: "addresses Amazon threat intelligence lists as bots, scanners and attack sources",
  },
  {
    name: "AWSManagedRulesCommonRuleSet",
    purpose: "common exploits (OWASP Top 10 style: XSS, path traversal, SSRF to instance metadata, oversized parts)",
  },
  {
    name: "AWSManagedRulesKnownBadInputsRuleSet",
    purpose: "request patterns known to be malicious (Log4j/JNDI lookups, Java deserialization, localhost Host headers)",
  },
] as const;

export type ManagedRuleGroupName = (typeof MANAGED_RULE_GROUPS)[number]["name"];

/** The managed rule group whose single rules `waf.countOnlyCommonRules` may switch to count. */
export const COMMON_RULE_SET: ManagedRuleGroupName = "AWSManagedRulesCommonRuleSet";

/** The rules of `AWSManagedRulesCommonRuleSet` (core rule set), by the names rule_action_override takes. */
export const COMMON_RULE_SET_RULES = [
  "NoUserAgent_HEADER",
  "UserAgent_BadBots_HEADER",
  "SizeRestrictions_QUERYSTRING",
  "SizeRestrictions_Cookie_HEADER",
  "SizeRestrictions_BODY",
  "SizeRestrictions_URIPATH",
  "EC2MetaDataSSRF_BODY",
  "EC2MetaDataSSRF_COOKIE",
  "EC2MetaDataSSRF_URIPATH",
  "EC2MetaDataSSRF_QUERYARGUMENTS",
  "GenericLFI_QUERYARGUMENTS",
  "GenericLFI_URIPATH",
  "GenericLFI_BODY",
  "RestrictedExtensions_URIPATH",
  "RestrictedExtensions_QUERYARGUMENTS",
  "GenericRFI_QUERYARGUMENTS",
  "GenericRFI_BODY",
  "GenericRFI_URIPATH",
  "CrossSiteScripting_COOKIE",
  "CrossSiteScripting_QUERYARGUMENTS",
  "CrossSiteScripting_BODY",
  "CrossSiteScripting_URIPATH",
] as const;

/** The range AWS accepts for a rate-based statement's `limit`. */
export const RATE_LIMIT_RANGE = { min: 10, max: 2_000_000_000 } as const;

/** The rate-based rule's evaluation window: the limit counts requests of the last 5 minutes. */
export const RATE_LIMIT_WINDOW_SECONDS = 300;
