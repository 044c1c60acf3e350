/**
 * EDGE-7: the AWS WAF web ACL in front of the ALB (scope REGIONAL), associated with it by reference.
 *
 * Rules, in evaluation order (lower priority first; the first terminating match wins):
 * 1. `ip-reputation`: AWSManagedRulesAmazonIpReputationList (addresses known for bots and attacks);
 * 2. `rate-per-client-ip`: a rate-based rule per client IP (`aggregate_key_type = IP`), limit
 *    `waf.rateLimitPer5Min` requests in a 300 s evaluation window; a client over it is blocked until
 *    its rate falls below the limit. For hostnames Cloudflare proxies (EDGE-3) the connection comes
 *    from Cloudflare's addresses, which many clients share, so those names are scoped out of this
 *    rule and limited by 3.;
 * 3. `rate-per-cloudflare-client-ip` (only when a public hostname is proxied): the same limit per
 *    client address from Cloudflare's `CF-Connecting-IP` header, for the proxied names only;
 * 4. `common-rule-set`: AWSManagedRulesCommonRuleSet, with `waf.countOnlyCommonRules` switched to
 *    count (e.g. SizeRestrictions_BODY, which blocks every body over 8 KB);
 * 5. `known-bad-inputs`: AWSManagedRulesKnownBadInputsRuleSet (Log4j, deserialization, ...).
 * Everything else is allowed (default action). Every rule and the ACL publish CloudWatch metrics
 * (Security Hub WAF.12) and keep sampled requests.
 *
 * Logging (Security Hub WAF.11): every request's WAF record goes to the CloudWatch log group
 * `aws-waf-logs-tracker-<env>` (WAF requires the `aws-waf-logs-` prefix) with the environment's
 * retention and key; the `authorization` and `cookie` headers are redacted. Delivery is allowed by a
 * log resource policy of our own, scoped to that group, so WAF does not create or grow the shared
 * account-wide `AWSWAF-LOGS` policy (SHR-2).
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Wafv2WebAcl, type Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Construct } from "constructs";
import type { LogDeliveryPolicy } from "../observability/log-delivery-policy";
import { PROJECT, resourceName } from "../config/naming";
import type { EnvironmentDefinition, EnvironmentName } from "../config/types";
import {
  COMMON_RULE_SET,
  RATE_LIMIT_WINDOW_SECONDS,
  type ManagedRuleGroupName,
} from "../config/waf-managed-rules";
import { proxiedByCloudflare, publicHostnames } from "./hostnames";

/** WAF delivers logs only to destinations whose name starts with this. */
export const WAF_LOG_PREFIX = "aws-waf-logs-";

/** Headers whose values never reach the WAF logs (credentials and sessions). Lower case, as WAF requires. */
export const REDACTED_HEADERS = ["authorization", "cookie"] as const;

/** The header Cloudflare sets to the address of the client it proxies for. */
export const CLOUDFLARE_CLIENT_IP_HEADER = "CF-Connecting-IP";

/** `tracker-<env>-web-acl`: the web ACL's name and its metric name (the `WebACL` metric dimension). */
export function webAclName(env: EnvironmentName): string {
  return resourceName(env, "web-acl");
}

/** `aws-waf-logs-tracker-<env>`: the WAF log group. */
export function wafLogGroupName(env: EnvironmentName): string {
  return `${WAF_LOG_PREFIX}${PROJECT}-${env}`;
}

/** The web ACL's rule names, also the last part of each rule's metric name. */
export const WAF_RULE_NAMES = {
  ipReputation: "ip-reputation",
  ratePerClientIp: "rate-per-client-ip",
  ratePerCloudflareClientIp: "rate-per-cloudflare-client-ip",
  commonRuleSet: "common-rule-set",
  knownBadInputs: "known-bad-inputs",
} as const;

const MANAGED_RULE_NAME: Readonly<Record<ManagedRuleGroupName, string>> = {
  AWSManagedRulesAmazonIpReputationList: WAF_RULE_NAMES.ipReputation,
  AWSManagedRulesCommonRuleSet: WAF_RULE_NAMES.commonRuleSet,
  AWSManagedRulesKnownBadInputsRuleSet: WAF_RULE_NAMES.knownBadInputs,
};

const PRIORITY = {
  ipReputation: 10,
  ratePerClientIp: 20,
  ratePerCloudflareClientIp: 21,
  commonRuleSet: 30,
  knownBadInputs: 40,
} as const;

export interface WebAclProps {
  /** Name, region, account, hostnames, `logRetentionDays` and `loadBalancer.waf` of the environment. */
  readonly environment: EnvironmentDefinition;
  /** The ALB the web ACL protects (`LoadBalancer.loadBalancerArn`). */
  readonly loadBalancerArn: string;
  /** The environment key that encrypts the WAF log group. */
  readonly kmsKeyArn: string;
  /** Days WAF log records are kept. @default - `environment.logRetentionDays` */
  readonly logRetentionDays?: number;
  /** The stack's one CloudWatch Logs resource policy (SHR-2); WAF's log delivery is allowed there. */
  readonly logDelivery: LogDeliveryPolicy;
}

export class WebAcl extends Construct {
  readonly webAcl: Wafv2WebAcl;
  readonly webAclArn: string;
  /** The ACL's metric name: the `WebACL` dimension of its `AWS/WAFV2` metrics. */
  readonly metricName: string;
  readonly logGroup: CloudwatchLogGroup;
  readonly association: Wafv2WebAclAssociation;
  readonly logging: Wafv2WebAclLoggingConfiguration;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const env = props.environment;
    const settings = env.loadBalancer.waf;
    const name = webAclName(env.name);
    const visibility = (metricName: string) => ({
      cloudwatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });

    const managedRule = (group: ManagedRuleGroupName, priority: number): Wafv2WebAclRule => {
      const counted = group === COMMON_RULE_SET ? settings.countOnlyCommonRules : [];
      const ruleName = MANAGED_RULE_NAME[group];
      return {
        name: ruleName,
        priority,
        // The group's own actions apply (block), apart from the rules overridden to count below.
        overrideAction: { none: {} },
        statement: {
          managed_rule_group_statement: {
            name: group,
            vendor_name: "AWS",
            ...(counted.length > 0
              ? { rule_action_override: counted.map((rule) => ({ name: rule, action_to_use: { count: {} } })) }
              : {}),
          },
        },
        visibilityConfig: visibility(`${name}-${ruleName}`),
      };
    };

    // Hostnames Cloudflare proxies: WAF sees Cloudflare's addresses, not the client's.
    const proxied = publicHostnames(env.dns).filter((h) => proxiedByCloudflare(h, env.dns.zoneName));
    const proxiedHost = proxied.length > 0 ? { regex_match_statement: hostIsOneOf(proxied) } : undefined;
    const rateLimit = (scopeDown: object | undefined, forwarded: boolean) => ({
      rate_based_statement: {
        limit: settings.rateLimitPer5Min,
        evaluation_window_sec: RATE_LIMIT_WINDOW_SECONDS,
        aggregate_key_type: forwarded ? "FORWARDED_IP" : "IP",
        // An invalid address in the header matches (is blocked); a missing header skips the rule.
        ...(forwarded ? { forwarded_ip_config: { header_name: CLOUDFLARE_CLIENT_IP_HEADER, fallback_behavior: "MATCH" } } : {}),
        ...(scopeDown ? { scope_down_statement: scopeDown } : {}),
      },
    });
    const rules: Wafv2WebAclRule[] = [
      managedRule("AWSManagedRulesAmazonIpReputationList", PRIORITY.ipReputation),
      {
        name: WAF_RULE_NAMES.ratePerClientIp,
        priority: PRIORITY.ratePerClientIp,
        action: { block: {} },
        statement: rateLimit(proxiedHost ? { not_statement: { statement: proxiedHost } } : undefined, false),
        visibilityConfig: visibility(`${name}-${WAF_RULE_NAMES.ratePerClientIp}`),
      },
      ...(proxiedHost
        ? [
            {
              name: WAF_RULE_NAMES.ratePerCloudflareClientIp,
              priority: PRIORITY.ratePerCloudflareClientIp,
              action: { block: {} },
              statement: rateLimit(proxiedHost, true),
              visibilityConfig: visibility(`${name}-${WAF_RULE_NAMES.ratePerCloudflareClientIp}`),
            },
          ]
        : []),
      managedRule("AWSManagedRulesCommonRuleSet", PRIORITY.commonRuleSet),
      managedRule("AWSManagedRulesKnownBadInputsRuleSet", PRIORITY.knownBadInputs),
    ];
    // Every managed group of the catalogue (config/waf-managed-rules.ts) must have a rule here, with a
    // priority: __tests__/web-acl.test.ts "every managed rule group of the catalogue has its rule" checks it.

    this.metricName = name;
    this.webAcl = new Wafv2WebAcl(this, "web-acl", {
      name,
      description: `Protects the ${env.name} tracker load balancer (EDGE-7)`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rule: rules,
      visibilityConfig: visibility(this.metricName),
      tags: { Name: name },
    });
    this.webAclArn = this.webAcl.arn;

    this.association = new Wafv2WebAclAssociation(this, "association", {
      resourceArn: props.loadBalancerArn,
      webAclArn: this.webAcl.arn,
    });

    // --- logging -------------------------------------------------------------------------------
    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: wafLogGroupName(env.name),
      retentionInDays: props.logRetentionDays ?? env.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    this.logging = new Wafv2WebAclLoggingConfiguration(this, "logging", {
      resourceArn: this.webAcl.arn,
      logDestinationConfigs: [this.logGroup.arn],
      redactedFields: REDACTED_HEADERS.map((header) => ({ singleHeader: { name: header } })),
    });
    // The stack's one log resource policy (SHR-2) lets WAF's log delivery write to this group only.
    // Scoped by the resource and the source account; no aws:SourceArn (its documented value is the
    // whole account's `arn:aws:logs:<region>:<account>:*`, which selects nothing more narrowly).
    props.logDelivery.allow(
      {
        sid: "WafLogDeliveryToThisGroupOnly",
        principals: [{ type: "Service", identifiers: ["delivery.logs.amazonaws.com"] }],
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [`${this.logGroup.arn}:*`],
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [env.accountId] }],
      },
      this.logging,
    );
  }
}

/** A regex match of the Host header (lower-cased, optional :443) against exactly these names. */
function hostIsOneOf(hostnames: readonly string[]): object {
  const alternatives = hostnames.map((h) => h.replace(/[.]/g, "\\.")).join("|");
  return {
    regex_string: `^(${alternatives})(:443)?$`,
    field_to_match: { single_header: { name: "host" } },
    text_transformation: { priority: 0, type: "LOWERCASE" },
  };
}
