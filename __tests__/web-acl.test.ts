/**
 * EDGE-7: the WAF web ACL on the ALB, over the synthesized environment stacks: production (WAF on,
 * its frontend proxied by Cloudflare), staging as shipped (WAF off) and staging switched on for a
 * release rehearsal. Each stack is synthesized once for this file.
 */
import { describe, expect, it } from "vitest";
import { PRODUCTION, STAGING } from "../src/config/environments";
import type { EnvironmentDefinition } from "../src/config/types";
import { MANAGED_RULE_GROUPS } from "../src/config/waf-managed-rules";
import { EXCEPTIONS } from "../policies/exceptions";
import { evaluate } from "../policies/evaluate";
import type { TerraformJson } from "../policies/engine";
import { WebAcl } from "../src/edge/web-acl";
import { LogDeliveryPolicy } from "../src/observability/log-delivery-policy";
import { dataSources, only, resources, synthConstructs, synthTracker, type SynthesizedStack } from "./support/synth";

const STAGING_REHEARSAL: EnvironmentDefinition = {
  ...STAGING,
  loadBalancer: { ...STAGING.loadBalancer, waf: { ...STAGING.loadBalancer.waf, enabled: true } },
};

const production = synthTracker(PRODUCTION);
const staging = synthTracker(STAGING);
const rehearsal = synthTracker(STAGING_REHEARSAL, "staging-waf-rehearsal");

const ref = (type: string, name: string, attribute: string) => `\${${type}.${name}.${attribute}}`;
const acl = (json: SynthesizedStack) => only(json, "aws_wafv2_web_acl");
const ruleNamed = (json: SynthesizedStack, name: string) => {
  const rule = (acl(json)[1]["rule"] as Record<string, any>[]).find((r) => r["name"] === name);
  if (!rule) throw new Error(`no rule ${name}`);
  return rule;
};

/** What WAF does with a `regex_match_statement` on the Host header: lower-case it, then match. */
function hostMatches(statement: Record<string, any>, host: string): boolean {
  const regex = statement["regex_match_statement"];
  expect(regex["field_to_match"]).toEqual({ single_header: { name: "host" } });
  expect(regex["text_transformation"]).toEqual({ priority: 0, type: "LOWERCASE" });
  return new RegExp(regex["regex_string"]).test(host.toLowerCase());
}

describe("EDGE-7: the production web ACL", () => {
  const [aclName, webAcl] = acl(production);

  it("EDGE-7: one REGIONAL web ACL named tracker-production-web-acl that allows what no rule blocks", () => {
    expect(webAcl["name"]).toBe("tracker-production-web-acl");
    expect(webAcl["scope"]).toBe("REGIONAL");
    expect(webAcl["default_action"]).toEqual({ allow: {} });
  });

  it("EDGE-7: the three AWS managed rule groups (IP reputation, common rule set, known bad inputs) keep their own block actions", () => {
    const managed = (webAcl["rule"] as Record<string, any>[])
      .filter((r) => r["statement"]["managed_rule_group_statement"])
      .map((r) => ({ name: r["statement"]["managed_rule_group_statement"]["name"], vendor: r["statement"]["managed_rule_group_statement"]["vendor_name"], override: r["override_action"] }));
    expect(managed).toEqual([
      { name: "AWSManagedRulesAmazonIpReputationList", vendor: "AWS", override: { none: {} } },
      { name: "AWSManagedRulesCommonRuleSet", vendor: "AWS", override: { none: {} } },
      { name: "AWSManagedRulesKnownBadInputsRuleSet", vendor: "AWS", override: { none: {} } },
    ]);
  });

  it("EDGE-7: only SizeRestrictions_BODY of the common rule set counts instead of blocking (API bodies over 8 KB)", () => {
    const common = ruleNamed(production, "common-rule-set")["statement"]["managed_rule_group_statement"];
    expect(common["rule_action_override"]).toEqual([{ name: "SizeRestrictions_BODY", action_to_use: { count: {} } }]);
    const others = (webAcl["rule"] as Record<string, any>[]).filter((r) => r["name"] !== "common-rule-set");
    for (const r of others) expect(r["statement"]["managed_rule_group_statement"]?.["rule_action_override"], r["name"]).toBeUndefined();
  });

  it("EDGE-7: a rate-based rule blocks a client IP over 2000 requests in the 5-minute window, except on the Cloudflare-proxied frontend name", () => {
    const rule = ruleNamed(production, "rate-per-client-ip");
    expect(rule["action"]).toEqual({ block: {} });
    const statement = rule["statement"]["rate_based_statement"];
    expect(statement).toMatchObject({ limit: 2000, aggregate_key_type: "IP", evaluation_window_sec: 300 });
    const proxied = statement["scope_down_statement"]["not_statement"]["statement"];
    // The scope-down excludes exactly the proxied frontend; the DNS-only api and admin names stay limited per IP.
    expect(hostMatches(proxied, "tracker.glimpse.technology")).toBe(true);
    expect(hostMatches(proxied, "Tracker.Glimpse.Technology:443")).toBe(true);
    for (const host of ["api.tracker.glimpse.technology", "admin.tracker.glimpse.technology", "xtracker.glimpse.technology", "tracker.glimpse.technology.example.com", "203.0.113.7"]) {
      expect(hostMatches(proxied, host), host).toBe(false);
    }
  });

  it("EDGE-7: the proxied frontend is limited per client by Cloudflare's CF-Connecting-IP at the same limit", () => {
    const rule = ruleNamed(production, "rate-per-cloudflare-client-ip");
    expect(rule["action"]).toEqual({ block: {} });
    const statement = rule["statement"]["rate_based_statement"];
    expect(statement).toMatchObject({
      limit: 2000,
      aggregate_key_type: "FORWARDED_IP",
      evaluation_window_sec: 300,
      forwarded_ip_config: { header_name: "CF-Connecting-IP", fallback_behavior: "MATCH" },
    });
    expect(hostMatches(statement["scope_down_statement"], "tracker.glimpse.technology")).toBe(true);
    expect(hostMatches(statement["scope_down_statement"], "api.tracker.glimpse.technology")).toBe(false);
  });

  it("EDGE-7: rules are evaluated IP reputation, rate limits, common rule set, known bad inputs, with unique priorities", () => {
    const rules = [...(webAcl["rule"] as Record<string, any>[])].sort((a, b) => a["priority"] - b["priority"]);
    expect(rules.map((r) => r["name"])).toEqual(["ip-reputation", "rate-per-client-ip", "rate-per-cloudflare-client-ip", "common-rule-set", "known-bad-inputs"]);
    expect(new Set(rules.map((r) => r["priority"])).size).toBe(rules.length);
  });

  it("EDGE-7: the ACL and every rule publish CloudWatch metrics and sampled requests (WAF.12), under unique metric names", () => {
    const configs = [webAcl["visibility_config"], ...(webAcl["rule"] as Record<string, any>[]).map((r) => r["visibility_config"])];
    for (const v of configs) {
      expect(v).toMatchObject({ cloudwatch_metrics_enabled: true, sampled_requests_enabled: true });
      // AWS: 1-128 of A-Z a-z 0-9 - _, and not the reserved All / Default_Action.
      expect(v["metric_name"]).toMatch(/^[A-Za-z0-9_-]{1,128}$/);
      expect(["All", "Default_Action"]).not.toContain(v["metric_name"]);
    }
    expect(new Set(configs.map((v) => v["metric_name"])).size).toBe(configs.length);
    expect(webAcl["visibility_config"]["metric_name"]).toBe("tracker-production-web-acl");
    // Each rule's metrics are found under the ACL's name and the rule's (the WAF console and the alarms read them).
    expect((webAcl["rule"] as Record<string, any>[]).map((r) => r["visibility_config"]["metric_name"]).sort()).toEqual([
      "tracker-production-web-acl-common-rule-set",
      "tracker-production-web-acl-ip-reputation",
      "tracker-production-web-acl-known-bad-inputs",
      "tracker-production-web-acl-rate-per-client-ip",
      "tracker-production-web-acl-rate-per-cloudflare-client-ip",
    ]);
  });

  it("EDGE-7: every managed rule group of the catalogue has its rule in the ACL (a new group needs a rule and a priority)", () => {
    const managed = (webAcl["rule"] as Record<string, any>[])
      .map((r) => r["statement"]["managed_rule_group_statement"])
      .filter((m) => m !== undefined)
      .map((m) => `${m["vendor_name"]}/${m["name"]}`);
    expect(managed.sort()).toEqual(MANAGED_RULE_GROUPS.map((g) => `AWS/${g.name}`).sort());
  });

  it("EDGE-7: the console says what the ACL protects, and its Name tag is its name", () => {
    expect(webAcl["name"]).toBe("tracker-production-web-acl");
    expect(webAcl["description"]).toBe("Protects the production tracker load balancer (EDGE-7)");
    expect(webAcl["tags"]).toEqual({ Name: "tracker-production-web-acl" });
    expect(webAcl["scope"]).toBe("REGIONAL");
  });

  it("EDGE-7: the rules fit the 1,500 WCU a web ACL gets at its base price", () => {
    // AWS WAF Developer Guide: IP reputation 25, core rule set 700, known bad inputs 200; a rate-based
    // rule 2, plus its scope-down (a regex match 3, its negation 0).
    const used = 25 + 700 + 200 + (2 + 3) + (2 + 3);
    expect(used).toBeLessThanOrEqual(1500);
    expect((webAcl["rule"] as unknown[]).length).toBe(5);
  });

  it("EDGE-7: the ACL is associated with the stack's ALB by reference", () => {
    const [lbName] = only(production, "aws_lb");
    const [, association] = only(production, "aws_wafv2_web_acl_association");
    expect(association["resource_arn"]).toBe(ref("aws_lb", lbName, "arn"));
    expect(association["web_acl_arn"]).toBe(ref("aws_wafv2_web_acl", aclName, "arn"));
  });

  it("EDGE-7: WAF logs go to aws-waf-logs-tracker-production, kept 365 days, encrypted with the environment key, credentials redacted", () => {
    const [groupName, group] = only(production, "aws_cloudwatch_log_group", (g) => String(g["name"]).startsWith("aws-waf-logs-"));
    expect(group["name"]).toBe("aws-waf-logs-tracker-production");
    expect(group["retention_in_days"]).toBe(365);
    const [keyName] = only(production, "aws_kms_key");
    expect(group["kms_key_id"]).toBe(ref("aws_kms_key", keyName, "arn"));
    const [, logging] = only(production, "aws_wafv2_web_acl_logging_configuration");
    expect(logging["resource_arn"]).toBe(ref("aws_wafv2_web_acl", aclName, "arn"));
    // WAF wants the log group ARN without the ":*" suffix, which is what the provider's `arn` is.
    expect(logging["log_destination_configs"]).toEqual([ref("aws_cloudwatch_log_group", groupName, "arn")]);
    expect(logging["redacted_fields"]).toEqual([{ single_header: { name: "authorization" } }, { single_header: { name: "cookie" } }]);
  });

  it("EDGE-7, SHR-2: log delivery is allowed by the stack's one resource policy, scoped to the WAF log group, created before logging starts", () => {
    const [groupName] = only(production, "aws_cloudwatch_log_group", (g) => String(g["name"]).startsWith("aws-waf-logs-"));
    // One policy per stack (the account's 10 per region are shared with other projects).
    const [policyName, policy] = only(production, "aws_cloudwatch_log_resource_policy");
    expect(policy["policy_name"]).toBe("tracker-production-log-delivery");
    const docName = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(policy["policy_document"])?.[1];
    const [, doc] = dataSources(production, "aws_iam_policy_document").find(([n]) => n === docName)!;
    expect(doc["statement"]).toContainEqual(
      expect.objectContaining({
        sid: "WafLogDeliveryToThisGroupOnly",
        principals: [{ type: "Service", identifiers: ["delivery.logs.amazonaws.com"] }],
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [`${ref("aws_cloudwatch_log_group", groupName, "arn")}:*`],
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["951665295205"] }],
      }),
    );
    const [, logging] = only(production, "aws_wafv2_web_acl_logging_configuration");
    expect(logging["depends_on"]).toEqual([`aws_cloudwatch_log_resource_policy.${policyName}`]);
  });

  it("EDGE-7, OBS-2: the blocked-request alarm watches this ACL's metric name in the stack's region", () => {
    const [, alarm] = only(production, "aws_cloudwatch_metric_alarm", (a) => a["alarm_name"] === "tracker-production-waf-blocked-requests");
    expect(alarm["dimensions"]).toEqual({ WebACL: webAcl["visibility_config"]["metric_name"], Region: "eu-central-1", Rule: "ALL" });
    const [topicName] = only(production, "aws_sns_topic");
    expect(alarm["alarm_actions"]).toEqual([ref("aws_sns_topic", topicName, "arn")]);
  });
});

describe("EDGE-7: the per-environment switch", () => {
  it("EDGE-7: staging as shipped has no web ACL, association, WAF logs or WAF alarm", () => {
    for (const type of ["aws_wafv2_web_acl", "aws_wafv2_web_acl_association", "aws_wafv2_web_acl_logging_configuration"]) {
      expect(resources(staging, type), type).toEqual([]);
    }
    expect(resources(staging, "aws_cloudwatch_log_group").filter(([, g]) => String(g["name"]).startsWith("aws-waf-logs-"))).toEqual([]);
    expect(resources(staging, "aws_cloudwatch_metric_alarm").filter(([, a]) => String(a["alarm_name"]).includes("waf"))).toEqual([]);
  });

  it("EDGE-7: switched on for a rehearsal, staging gets production's rules; with no proxied name, one rate rule covers every request per client IP", () => {
    const [, webAcl] = acl(rehearsal);
    expect(webAcl["name"]).toBe("tracker-staging-web-acl");
    const rules = webAcl["rule"] as Record<string, any>[];
    expect(rules.map((r) => r["name"])).toEqual(["ip-reputation", "rate-per-client-ip", "common-rule-set", "known-bad-inputs"]);
    expect(ruleNamed(rehearsal, "rate-per-client-ip")["statement"]).toEqual({
      rate_based_statement: { limit: 2000, aggregate_key_type: "IP", evaluation_window_sec: 300 },
    });
    const [, group] = only(rehearsal, "aws_cloudwatch_log_group", (g) => String(g["name"]).startsWith("aws-waf-logs-"));
    expect(group).toMatchObject({ name: "aws-waf-logs-tracker-staging", retention_in_days: 30 });
    const [, alarm] = only(rehearsal, "aws_cloudwatch_metric_alarm", (a) => a["alarm_name"] === "tracker-staging-waf-blocked-requests");
    expect(alarm["threshold"]).toBe(50);
  });

  it("EDGE-7: the ELB.16 exception exists exactly for the environments whose WAF is off, and a rehearsal needs none", () => {
    const wafExceptions = EXCEPTIONS.filter((e) => e.ruleId === "lb-waf-associated");
    expect(wafExceptions.map((e) => e.stack)).toEqual(["tracker-staging"]);
    // Staging as shipped: the finding exists and the exception covers it.
    const shipped = evaluate([{ name: "tracker-staging", json: staging as TerraformJson }]);
    expect(shipped.excepted.filter((x) => x.finding.ruleId === "lb-waf-associated")).toHaveLength(1);
    // Rehearsal: no ELB.16 finding; the same exception would be stale, which is why it is derived from
    // the switch. The only new finding is the WAF log group's staging retention (30 days), which the
    // staging retention exception covers too once STAGING itself is switched (it is derived likewise).
    const rehearsed = evaluate([{ name: "tracker-staging", json: rehearsal as TerraformJson }]);
    expect(rehearsed.failures.map((f) => `${f.ruleId} ${f.address}`)).toEqual([
      "logs-retention-one-year aws_cloudwatch_log_group.web-acl_log-group_64640BE7",
    ]);
    expect(rehearsed.excepted.filter((x) => x.finding.ruleId === "lb-waf-associated")).toEqual([]);
    expect(rehearsed.stale.filter((e) => e.stack === "tracker-staging").map((e) => e.ruleId)).toEqual(["lb-waf-associated"]);
    // Production: the ALB passes ELB.16 without any exception.
    const prod = evaluate([{ name: "tracker-production", json: production as TerraformJson }]);
    expect(prod.excepted.filter((x) => x.finding.ruleId.startsWith("waf-") || x.finding.ruleId === "lb-waf-associated")).toEqual([]);
    expect(prod.failures).toEqual([]);
  });
});

describe("EDGE-7: more than one Cloudflare-proxied name", () => {
  // Production with its API one level below the zone too: both proxied names are Cloudflare's.
  const TWO_PROXIED: EnvironmentDefinition = {
    ...PRODUCTION,
    dns: { ...PRODUCTION.dns, hostnames: { ...PRODUCTION.dns.hostnames, api: "api.glimpse.technology" } },
  };
  const json = synthConstructs(TWO_PROXIED, (stack) => {
    new WebAcl(stack, "web-acl", {
      environment: TWO_PROXIED,
      loadBalancerArn: "arn:aws:elasticloadbalancing:eu-central-1:951665295205:loadbalancer/app/tracker-production-alb/0123456789abcdef",
      kmsKeyArn: "arn:aws:kms:eu-central-1:951665295205:key/stub",
      logDelivery: new LogDeliveryPolicy(stack, "log-delivery", { environment: "production" }),
    });
  });

  it("EDGE-7: the per-Cloudflare-client rate rule matches either proxied name, and the plain one neither", () => {
    const statement = ruleNamed(json, "rate-per-cloudflare-client-ip")["statement"]["rate_based_statement"]["scope_down_statement"];
    expect(statement["regex_match_statement"]["regex_string"]).toBe("^(tracker\\.glimpse\\.technology|api\\.glimpse\\.technology)(:443)?$");
    expect(hostMatches(statement, "tracker.glimpse.technology")).toBe(true);
    expect(hostMatches(statement, "API.glimpse.technology:443")).toBe(true);
    expect(hostMatches(statement, "admin.tracker.glimpse.technology")).toBe(false);
  });
});
