/**
 * Each policy rule's other branches. policy-rules.test.ts gives every rule one broken and one compliant
 * fixture; a rule with several conditions needs one case per condition, or a bug in the others passes.
 * Each case here is one small stack, checked by one rule, with the findings written out as the
 * reviewer expects them (`address: message`), an empty list where the rule must let it pass.
 */
import { describe, expect, it } from "vitest";
import { runRules, type TerraformJson, type TfConfig } from "../policies/engine";
import { RULES } from "../policies/index";

type Resources = Record<string, Record<string, TfConfig>>;
interface Case {
  readonly title: string;
  readonly resource?: Resources;
  readonly data?: Resources;
  /** @default "fixture" (not production, expects no subjects) */
  readonly stack?: string;
  readonly findings: readonly string[];
}

const ref = (address: string, attribute = "id") => `\${${address}.${attribute}}`;
const json = (c: Case): TerraformJson => ({ resource: c.resource ?? {}, ...(c.data ? { data: c.data } : {}) });

/** An HTTPS listener with every security header right (EDGE-8), to break one at a time. */
const secureListener: TfConfig = {
  protocol: "HTTPS",
  ssl_policy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  routing_http_response_strict_transport_security_header_value: "max-age=31536000; includeSubDomains",
  routing_http_response_x_content_type_options_header_value: "nosniff",
  routing_http_response_x_frame_options_header_value: "DENY",
  routing_http_response_server_enabled: false,
};

const doc = (statement: TfConfig[]): Resources => ({ aws_iam_policy_document: { d: { statement } } });
const githubTrust = (conditions: TfConfig[], identifiers = ["arn:aws:iam::802732539686:oidc-provider/token.actions.githubusercontent.com"]) =>
  doc([{ actions: ["sts:AssumeRoleWithWebIdentity"], principals: [{ type: "Federated", identifiers }], condition: conditions }]);
const sub = (values: string[], test = "StringLike") => ({ test, variable: "token.actions.githubusercontent.com:sub", values });
const aud = (values: string[], test = "StringEquals") => ({ test, variable: "token.actions.githubusercontent.com:aud", values });

const knownBadInputs = (group: TfConfig, override: TfConfig = { none: [{}] }): Resources => ({
  aws_wafv2_web_acl: {
    w: {
      rule: [
        {
          name: "known-bad-inputs",
          override_action: [override],
          statement: [{ managed_rule_group_statement: [{ name: "AWSManagedRulesKnownBadInputsRuleSet", vendor_name: "AWS", ...group }] }],
        },
      ],
    },
  },
});

const canaryService = (lb: TfConfig, strategy = "CANARY"): TfConfig => ({
  deployment_configuration: [{ strategy }],
  load_balancer: [{ target_group_arn: ref("aws_lb_target_group.a", "arn"), ...lb }],
});
const advanced = (extra: TfConfig = {}) => ({
  advanced_configuration: [
    {
      alternate_target_group_arn: ref("aws_lb_target_group.b", "arn"),
      production_listener_rule: ref("aws_lb_listener_rule.r", "arn"),
      role_arn: ref("aws_iam_role.t", "arn"),
      ...extra,
    },
  ],
});
const listenerRule = (groups: string[], ignore: string[] = ["action"]): TfConfig => ({
  action: [{ type: "forward", forward: [{ target_group: groups.map((g) => ({ arn: ref(`aws_lb_target_group.${g}`, "arn"), weight: 50 })) }] }],
  lifecycle: { ignore_changes: ignore },
});

const CASES: Record<string, readonly Case[]> = {
  "lb-listener-recommended-policy": [
    { title: "an HTTPS listener without ssl_policy gets AWS's 2016 default", resource: { aws_lb_listener: { l: { protocol: "HTTPS" } } }, findings: ["aws_lb_listener.l: ssl_policy (default ELBSecurityPolicy-2016-08) is not one of ELB.17's recommended policies"] },
    { title: "a TLS listener on an old policy", resource: { aws_lb_listener: { l: { protocol: "TLS", ssl_policy: "ELBSecurityPolicy-TLS-1-2-2017-01" } } }, findings: ["aws_lb_listener.l: ssl_policy ELBSecurityPolicy-TLS-1-2-2017-01 is not one of ELB.17's recommended policies"] },
    { title: "an aws_alb_listener is checked too; a post-quantum TLS 1.3 policy passes", resource: { aws_alb_listener: { l: { protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09" } } }, findings: [] },
    { title: "HTTP and TCP listeners have no TLS policy", resource: { aws_lb_listener: { h: { protocol: "HTTP" }, t: { protocol: "TCP" }, none: {} } }, findings: [] },
  ],
  "lb-https-security-headers": [
    { title: "every header right", resource: { aws_lb_listener: { l: secureListener } }, findings: [] },
    {
      title: "no HSTS, wrong nosniff, X-Frame-Options ALLOW-FROM, Server header kept",
      resource: {
        aws_lb_listener: {
          l: {
            protocol: "HTTPS",
            routing_http_response_x_content_type_options_header_value: "sniff",
            routing_http_response_x_frame_options_header_value: "ALLOW-FROM https://x",
            routing_http_response_server_enabled: true,
          },
        },
      },
      findings: [
        "aws_lb_listener.l: no Strict-Transport-Security header with a max-age",
        "aws_lb_listener.l: X-Content-Type-Options is not nosniff",
        "aws_lb_listener.l: X-Frame-Options is not DENY or SAMEORIGIN",
        "aws_lb_listener.l: the Server header is not removed",
      ],
    },
    { title: "an HSTS header without max-age", resource: { aws_lb_listener: { l: { ...secureListener, routing_http_response_strict_transport_security_header_value: "includeSubDomains" } } }, findings: ["aws_lb_listener.l: no Strict-Transport-Security header with a max-age"] },
    { title: "SAMEORIGIN passes; a server header not set at all is kept by the ALB", resource: { aws_lb_listener: { l: { ...secureListener, routing_http_response_x_frame_options_header_value: "SAMEORIGIN", routing_http_response_server_enabled: undefined } } }, findings: ["aws_lb_listener.l: the Server header is not removed"] },
    { title: "a short max-age passes in staging", stack: "tracker-staging", resource: { aws_lb_listener: { l: { ...secureListener, routing_http_response_strict_transport_security_header_value: "max-age=300" } } }, findings: [] },
    { title: "a short max-age fails in production", stack: "tracker-production", resource: { aws_lb_listener: { l: { ...secureListener, routing_http_response_strict_transport_security_header_value: "includeSubDomains; max-age=31535999" } } }, findings: ["aws_lb_listener.l: HSTS max-age 31535999 is under one year in production"] },
    { title: "exactly a year passes in production", stack: "tracker-production", resource: { aws_lb_listener: { l: secureListener } }, findings: [] },
    { title: "plain HTTP listeners (the redirect) are not checked", resource: { aws_lb_listener: { l: { protocol: "HTTP" } } }, findings: [] },
  ],
  "sg-no-public-ingress": [
    { title: "one rule open to both address families names both", resource: { aws_security_group: { g: { ingress: [{ protocol: "tcp", from_port: 5432, to_port: 5432, cidr_blocks: ["0.0.0.0/0"], ipv6_cidr_blocks: ["::/0"] }] } } }, findings: ["aws_security_group.g: ingress[0]: ingress tcp/5432 from 0.0.0.0/0, ::/0"] },
    { title: "tcp/443 and tcp/80 from anywhere are the edge", resource: { aws_vpc_security_group_ingress_rule: { a: { ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0" }, b: { ip_protocol: "tcp", from_port: 80, to_port: 80, cidr_ipv6: "::/0" } } }, findings: [] },
    { title: "a range that includes 443, udp/443 and all traffic are not", resource: { aws_security_group: { g: { ingress: [{ protocol: "tcp", from_port: 80, to_port: 443, cidr_blocks: ["0.0.0.0/0"] }, { protocol: "udp", from_port: 443, to_port: 443, ipv6_cidr_blocks: ["::/0"] }, { protocol: "-1", from_port: 0, to_port: 0, cidr_blocks: ["10.0.0.0/0"] }] } } }, findings: ["aws_security_group.g: ingress[0]: ingress tcp/80-443 from 0.0.0.0/0", "aws_security_group.g: ingress[1]: ingress udp/443 from ::/0", "aws_security_group.g: ingress[2]: ingress all traffic from 10.0.0.0/0"] },
    { title: "tcp/22 from anywhere; ingress from a private range and egress to anywhere are not this rule's", resource: { aws_security_group_rule: { ssh: { type: "ingress", protocol: "tcp", from_port: 22, to_port: 22, cidr_blocks: ["0.0.0.0/0", "10.0.0.0/8"] }, vpc: { type: "ingress", protocol: "tcp", from_port: 5432, to_port: 5432, cidr_blocks: ["10.0.0.0/8"] }, out: { type: "egress", protocol: "-1", cidr_blocks: ["0.0.0.0/0"] } } }, findings: ["aws_security_group_rule.ssh: aws_security_group_rule.ssh: ingress tcp/22 from 0.0.0.0/0"] },
    { title: "a tcp rule without ports from anywhere", resource: { aws_vpc_security_group_ingress_rule: { a: { ip_protocol: "tcp", cidr_ipv4: "0.0.0.0/0" } } }, findings: ["aws_vpc_security_group_ingress_rule.a: aws_vpc_security_group_ingress_rule.a: ingress tcp/all ports from 0.0.0.0/0"] },
  ],
  "waf-known-bad-inputs": [
    { title: "no known-bad-inputs rule at all", resource: { aws_wafv2_web_acl: { w: { rule: [{ name: "x", statement: [{ managed_rule_group_statement: [{ name: "AWSManagedRulesCommonRuleSet" }] }] }] } } }, findings: ["aws_wafv2_web_acl.w: no rule uses AWSManagedRulesKnownBadInputsRuleSet (Log4Shell and other known bad inputs pass)"] },
    { title: "the group blocking, with an unrelated rule counted", resource: knownBadInputs({ rule_action_override: [{ name: "Host_localhost_HEADER", action_to_use: [{ count: [{}] }] }] }), findings: [] },
    { title: "the group only counting", resource: knownBadInputs({}, { count: [{}] }), findings: ["aws_wafv2_web_acl.w: the AWSManagedRulesKnownBadInputsRuleSet rule only counts (override_action is not none)"] },
    {
      title: "Log4JRCE rules counted, allowed or excluded; an override to block is fine",
      resource: knownBadInputs({
        rule_action_override: [
          { name: "Log4JRCE_HEADER", action_to_use: [{ count: [{}] }] },
          { name: "Log4JRCE_BODY", action_to_use: [{ allow: [{}] }] },
          { name: "Log4JRCE_URIPATH", action_to_use: [{ block: [{}] }] },
          { name: "Log4JRCE_QUERYSTRING" },
        ],
        excluded_rule: [{ name: "Log4JRCE_URIPATH_RC2" }],
      }),
      findings: [
        "aws_wafv2_web_acl.w: Log4JRCE_HEADER of AWSManagedRulesKnownBadInputsRuleSet does not block",
        "aws_wafv2_web_acl.w: Log4JRCE_BODY of AWSManagedRulesKnownBadInputsRuleSet does not block",
        "aws_wafv2_web_acl.w: Log4JRCE_URIPATH_RC2 of AWSManagedRulesKnownBadInputsRuleSet does not block",
      ],
    },
  ],
  "ecs-service-canary-traffic": [
    { title: "a service behind a load balancer without a deployment configuration", resource: { aws_ecs_service: { s: { load_balancer: canaryService(advanced()).load_balancer } }, aws_lb_listener_rule: { r: listenerRule(["a", "b"]) } }, findings: ["aws_ecs_service.s: deployment_configuration.strategy is not CANARY"] },
    { title: "a production rule that answers itself instead of forwarding", resource: { aws_ecs_service: { s: canaryService(advanced()) }, aws_lb_listener_rule: { r: { action: [{ type: "fixed-response" }], lifecycle: { ignore_changes: ["action"] } } } }, findings: ["aws_ecs_service.s: aws_lb_listener_rule.r does not forward to the service's target_group_arn", "aws_ecs_service.s: aws_lb_listener_rule.r does not forward to the service's alternate_target_group_arn"] },
    { title: "the complete canary wiring", resource: { aws_ecs_service: { s: canaryService(advanced()) }, aws_lb_listener_rule: { r: listenerRule(["a", "b"]) } }, findings: [] },
    { title: "ignore_changes = all also leaves ECS's weights alone", resource: { aws_ecs_service: { s: canaryService(advanced()) }, aws_lb_listener_rule: { r: listenerRule(["b", "a"], ["all"]) } }, findings: [] },
    { title: "no advanced configuration", resource: { aws_ecs_service: { s: canaryService({}) } }, findings: ["aws_ecs_service.s: load_balancer has no advanced_configuration with alternate_target_group_arn, production_listener_rule and role_arn"] },
    { title: "no role for ECS to shift with", resource: { aws_ecs_service: { s: canaryService(advanced({ role_arn: undefined })) } }, findings: ["aws_ecs_service.s: load_balancer has no advanced_configuration with alternate_target_group_arn, production_listener_rule and role_arn"] },
    { title: "no alternate group", resource: { aws_ecs_service: { s: canaryService(advanced({ alternate_target_group_arn: undefined })) } }, findings: ["aws_ecs_service.s: load_balancer has no advanced_configuration with alternate_target_group_arn, production_listener_rule and role_arn"] },
    { title: "no production listener rule", resource: { aws_ecs_service: { s: canaryService(advanced({ production_listener_rule: undefined })) } }, findings: ["aws_ecs_service.s: load_balancer has no advanced_configuration with alternate_target_group_arn, production_listener_rule and role_arn"] },
    { title: "a production listener rule that is a listener, or outside the stack", resource: { aws_ecs_service: { s: canaryService(advanced({ production_listener_rule: ref("aws_lb_listener.l", "arn") })), t: canaryService(advanced({ production_listener_rule: "arn:aws:elasticloadbalancing:eu-central-1:1:listener-rule/app/x/1/2/3" })) }, aws_lb_listener: { l: {} } }, findings: ["aws_ecs_service.s: production_listener_rule does not name an aws_lb_listener_rule of this stack", "aws_ecs_service.t: production_listener_rule does not name an aws_lb_listener_rule of this stack"] },
    { title: "a rule that forwards only to the alternate group", resource: { aws_ecs_service: { s: canaryService(advanced()) }, aws_lb_listener_rule: { r: listenerRule(["b"]) } }, findings: ["aws_ecs_service.s: aws_lb_listener_rule.r does not forward to the service's target_group_arn"] },
    { title: "a service behind no load balancer is not a canary", resource: { aws_ecs_service: { w: { deployment_configuration: [{ strategy: "ROLLING" }] } } }, findings: [] },
  ],
  "iam-github-oidc-trust": [
    { title: "aud misspelled as another claim is no aud", data: githubTrust([sub(["repo:glimpse-technology/tracker:ref:refs/heads/main"]), { test: "StringEquals", variable: "token.actions.githubusercontent.com:audience", values: ["sts.amazonaws.com"] }]), findings: ["data.aws_iam_policy_document.d: aud is not pinned to sts.amazonaws.com with StringEquals"] },
    { title: "GitHub among two identity providers of one statement is still checked", data: githubTrust([aud(["sts.amazonaws.com"])], ["arn:aws:iam::802732539686:oidc-provider/accounts.google.com", "arn:aws:iam::802732539686:oidc-provider/token.actions.githubusercontent.com"]), findings: ["data.aws_iam_policy_document.d: GitHub OIDC trust without a condition on the sub claim"] },
    { title: "another provider, by ARN or by a reference this stack cannot resolve, is not GitHub's", data: githubTrust([], ["arn:aws:iam::802732539686:oidc-provider/accounts.google.com", "${aws_iam_openid_connect_provider.elsewhere.arn}"]), findings: [] },
    {
      title: "a role is checked through its trust document once, on the document; an inline trust on the role",
      data: githubTrust([aud(["sts.amazonaws.com"])]),
      resource: {
        aws_iam_role: {
          via_document: { assume_role_policy: "${data.aws_iam_policy_document.d.json}" },
          inline: { assume_role_policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "sts:AssumeRoleWithWebIdentity", Principal: { Federated: "arn:aws:iam::802732539686:oidc-provider/token.actions.githubusercontent.com" }, Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } } }] }) },
        },
      },
      // documents first: the rule's resource types are data.aws_iam_policy_document, then aws_iam_role
      findings: ["data.aws_iam_policy_document.d: GitHub OIDC trust without a condition on the sub claim", "aws_iam_role.inline: GitHub OIDC trust without a condition on the sub claim"],
    },
    { title: "sub pinned to this repository's environment, aud pinned", data: githubTrust([sub(["repo:glimpse-technology/tracker-infrastructure:environment:production"]), aud(["sts.amazonaws.com"])]), findings: [] },
    { title: "the application repository may be trusted too", data: githubTrust([sub(["repo:glimpse-technology/tracker:ref:refs/heads/main"]), aud(["sts.amazonaws.com"])]), findings: [] },
    { title: "no sub condition", data: githubTrust([aud(["sts.amazonaws.com"])]), findings: ["data.aws_iam_policy_document.d: GitHub OIDC trust without a condition on the sub claim"] },
    {
      title: "a sub of another organisation, or a repository name that only starts like ours",
      data: githubTrust([sub(["repo:someone/tracker-infrastructure:*", "repo:glimpse-technology/tracker-infrastructure-fork:*"]), aud(["sts.amazonaws.com"])]),
      findings: [
        "data.aws_iam_policy_document.d: sub repo:someone/tracker-infrastructure:* is not limited to one of the configured repositories (glimpse-technology/tracker-infrastructure, glimpse-technology/tracker)",
        "data.aws_iam_policy_document.d: sub repo:glimpse-technology/tracker-infrastructure-fork:* is not limited to one of the configured repositories (glimpse-technology/tracker-infrastructure, glimpse-technology/tracker)",
      ],
    },
    { title: "aud missing", data: githubTrust([sub(["repo:glimpse-technology/tracker:*"])]), findings: ["data.aws_iam_policy_document.d: aud is not pinned to sts.amazonaws.com with StringEquals"] },
    { title: "aud with StringLike", data: githubTrust([sub(["repo:glimpse-technology/tracker:*"]), aud(["sts.amazonaws.com"], "StringLike")]), findings: ["data.aws_iam_policy_document.d: aud is not pinned to sts.amazonaws.com with StringEquals"] },
    { title: "aud with a second audience", data: githubTrust([sub(["repo:glimpse-technology/tracker:*"]), aud(["sts.amazonaws.com", "sigstore"])]), findings: ["data.aws_iam_policy_document.d: aud is not pinned to sts.amazonaws.com with StringEquals"] },
    { title: "aud with no value", data: githubTrust([sub(["repo:glimpse-technology/tracker:*"]), aud([])]), findings: ["data.aws_iam_policy_document.d: aud is not pinned to sts.amazonaws.com with StringEquals"] },
    { title: "the provider named by reference to its resource", resource: { aws_iam_openid_connect_provider: { gh: { url: "https://token.actions.githubusercontent.com" } } }, data: githubTrust([aud(["sts.amazonaws.com"])], [ref("aws_iam_openid_connect_provider.gh", "arn")]), findings: ["data.aws_iam_policy_document.d: GitHub OIDC trust without a condition on the sub claim"] },
    { title: "another identity provider, a Deny, and service principals are not GitHub trust", resource: { aws_iam_openid_connect_provider: { other: { url: "https://oidc.eks.example" } } }, data: { aws_iam_policy_document: { d: { statement: [{ principals: [{ type: "Federated", identifiers: [ref("aws_iam_openid_connect_provider.other", "arn")] }] }, { effect: "Deny", principals: [{ type: "Federated", identifiers: ["arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com"] }] }, { principals: [{ type: "Service", identifiers: ["token.actions.githubusercontent.com"] }] }] } } }, findings: [] },
    {
      title: "a role's inline JSON trust policy is read; a role trusting a document is left to the document",
      resource: {
        aws_iam_role: {
          inline: { assume_role_policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Federated: "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com" }, Action: "sts:AssumeRoleWithWebIdentity" }] }) },
          via: { assume_role_policy: ref("data.aws_iam_policy_document.d", "json") },
          broken: { assume_role_policy: ref("aws_iam_policy.p", "policy") },
        },
      },
      data: githubTrust([sub(["repo:glimpse-technology/tracker:*"]), aud(["sts.amazonaws.com"])]),
      findings: ["aws_iam_role.inline: GitHub OIDC trust without a condition on the sub claim", "aws_iam_role.broken: trust policy cannot be read"],
    },
  ],
  "iam-no-credentials-exposure": [
    { title: "secret values of every secret", data: doc([{ actions: ["secretsmanager:GetSecretValue"], resources: ["*"] }]), findings: ["data.aws_iam_policy_document.d: allows secretsmanager:GetSecretValue on *"] },
    { title: "a service wildcard lists at most four, then an ellipsis", data: doc([{ actions: ["iam:*"], resources: ["*"] }]), findings: ["data.aws_iam_policy_document.d: allows iam:CreateAccessKey, iam:UpdateAccessKey, iam:CreateLoginProfile, iam:UpdateLoginProfile, ... on *"] },
    { title: "exactly four: no ellipsis", data: doc([{ actions: ["ssm:GetParameter*", "sts:GetFederationToken"], resources: ["*"] }]), findings: ["data.aws_iam_policy_document.d: allows sts:GetFederationToken, ssm:GetParameter, ssm:GetParameters, ssm:GetParametersByPath on *"] },
    { title: "NotResource is every other resource", data: doc([{ actions: ["rds-db:connect"], not_resources: ["arn:aws:rds-db:*:*:dbuser:x/y"] }]), findings: ["data.aws_iam_policy_document.d: allows rds-db:connect on *"] },
    { title: "one secret by ARN, and a Deny on *, are fine", data: doc([{ actions: ["secretsmanager:GetSecretValue"], resources: ["arn:aws:secretsmanager:eu-central-1:1:secret:tracker/staging/x"] }, { effect: "Deny", actions: ["*"], resources: ["*"] }]), findings: [] },
    { title: "an unreadable policy is a finding, not a pass", resource: { aws_iam_policy: { p: { policy: ref("aws_s3_bucket.b", "policy") } } }, findings: ["aws_iam_policy.p: policy document cannot be read"] },
  ],
  "iam-no-admin-statements": [
    { title: "* among other actions on Resource *", data: doc([{ actions: ["s3:GetObject", "*"], resources: ["*"] }]), findings: ["data.aws_iam_policy_document.d: an Allow statement grants * (or NotAction) on *"] },
    { title: "Action * on Resource *", data: doc([{ actions: ["*"], resources: ["*"] }]), findings: ["data.aws_iam_policy_document.d: an Allow statement grants * (or NotAction) on *"] },
    { title: "Action *:* on Resource *", data: doc([{ actions: ["*:*"], resources: ["*"] }]), findings: ["data.aws_iam_policy_document.d: an Allow statement grants * (or NotAction) on *"] },
    { title: "NotAction on NotResource", data: doc([{ not_actions: ["iam:*"], not_resources: ["arn:aws:s3:::b"] }]), findings: ["data.aws_iam_policy_document.d: an Allow statement grants * (or NotAction) on *"] },
    { title: "* on one resource, a service wildcard on *, and a Deny of * are not admin", data: doc([{ actions: ["*"], resources: ["arn:aws:s3:::b"] }, { actions: ["s3:*"], resources: ["*"] }, { effect: "Deny", actions: ["*"], resources: ["*"] }]), findings: [] },
    { title: "an unreadable policy", resource: { aws_iam_role_policy: { p: { policy: "not json" } } }, findings: ["aws_iam_role_policy.p: policy document cannot be read"] },
  ],
  "alb-http-redirects-to-https": [
    { title: "a network load balancer's TCP listener is not an HTTP listener", resource: { aws_lb_listener: { tcp: { protocol: "TCP", default_action: [{ type: "forward" }] } } }, findings: [] },
    { title: "a redirect without its redirect block, and a forward that carries one, do not redirect", resource: { aws_lb_listener: { bare: { protocol: "HTTP", default_action: [{ type: "redirect" }] }, forward: { protocol: "HTTP", default_action: [{ type: "forward", redirect: [{ protocol: "HTTPS" }] }] } } }, findings: ["aws_lb_listener.bare: HTTP listener does not redirect to HTTPS", "aws_lb_listener.forward: HTTP listener does not redirect to HTTPS"] },
    { title: "a redirect to HTTPS", resource: { aws_lb_listener: { l: { protocol: "HTTP", default_action: [{ type: "redirect", redirect: [{ protocol: "HTTPS", port: "443", status_code: "HTTP_301" }] }] } } }, findings: [] },
    { title: "a redirect to HTTP", resource: { aws_lb_listener: { l: { protocol: "HTTP", default_action: [{ type: "redirect", redirect: [{ protocol: "HTTP" }] }] } } }, findings: ["aws_lb_listener.l: HTTP listener does not redirect to HTTPS"] },
    { title: "no default action; a forward after the redirect", resource: { aws_lb_listener: { none: { protocol: "HTTP" }, mixed: { protocol: "HTTP", default_action: [{ type: "redirect", redirect: [{ protocol: "HTTPS" }] }, { type: "forward" }] } } }, findings: ["aws_lb_listener.none: HTTP listener does not redirect to HTTPS", "aws_lb_listener.mixed: HTTP listener does not redirect to HTTPS"] },
    { title: "without a protocol: HTTP unless it has a certificate", resource: { aws_lb_listener: { plain: { default_action: [{ type: "forward" }] }, tls: { certificate_arn: "arn:aws:acm:x", default_action: [{ type: "forward" }] } } }, findings: ["aws_lb_listener.plain: HTTP listener does not redirect to HTTPS"] },
  ],
  "ecs-task-log-configuration": [
    { title: "a log driver on every container", resource: { aws_ecs_task_definition: { td: { container_definitions: JSON.stringify([{ name: "api", logConfiguration: { logDriver: "awslogs" } }]) } } }, findings: [] },
    { title: "a logConfiguration without a driver", resource: { aws_ecs_task_definition: { td: { container_definitions: JSON.stringify([{ name: "api", logConfiguration: { options: {} } }, { name: "ok", logConfiguration: { logDriver: "awslogs" } }]) } } }, findings: ["aws_ecs_task_definition.td: container api has no logConfiguration"] },
    { title: "definitions it cannot read", resource: { aws_ecs_task_definition: { td: { container_definitions: ref("data.x.y", "json") } } }, findings: ["aws_ecs_task_definition.td: container_definitions cannot be read"] },
  ],
  "s3-kms-encryption": [
    { title: "a rule with only bucket_key_enabled has no default encryption", resource: { aws_s3_bucket: { b: { bucket: "x" } }, aws_s3_bucket_server_side_encryption_configuration: { e: { bucket: ref("aws_s3_bucket.b"), rule: [{ bucket_key_enabled: true }] } } }, findings: ["aws_s3_bucket.b: default encryption is not aws:kms"] },
    { title: "no encryption configuration", resource: { aws_s3_bucket: { b: { bucket: "x" } } }, findings: ["aws_s3_bucket.b: no server-side encryption configuration"] },
    { title: "SSE-S3", resource: { aws_s3_bucket: { b: { bucket: "x" } }, aws_s3_bucket_server_side_encryption_configuration: { e: { bucket: ref("aws_s3_bucket.b"), rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: "AES256" }] }] } } }, findings: ["aws_s3_bucket.b: default encryption is not aws:kms"] },
    { title: "DSSE-KMS counts as KMS", resource: { aws_s3_bucket: { b: { bucket: "x" } }, aws_s3_bucket_server_side_encryption_configuration: { e: { bucket: "x", rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: "aws:kms:dsse" }] }] } } }, findings: [] },
  ],
  "s3-public-access-block": [
    { title: "no block", resource: { aws_s3_bucket: { b: { bucket: "x" } } }, findings: ["aws_s3_bucket.b: no aws_s3_bucket_public_access_block"] },
    { title: "two flags off, one given as the string \"true\"", resource: { aws_s3_bucket: { b: { bucket: "x" } }, aws_s3_bucket_public_access_block: { p: { bucket: "x", block_public_acls: "true", block_public_policy: false, ignore_public_acls: true } } }, findings: ["aws_s3_bucket.b: public access block leaves block_public_policy, restrict_public_buckets off"] },
  ],
  "cloudflare-deep-records-dns-only": [
    { title: "two levels below the zone, proxied", resource: { cloudflare_dns_record: { r: { name: "api.tracker.glimpse.technology", proxied: true } } }, findings: ["cloudflare_dns_record.r: api.tracker.glimpse.technology is proxied but is 2 levels below the zone"] },
    { title: "a trailing dot and the string \"true\" are read as Cloudflare does", resource: { cloudflare_dns_record: { r: { name: "a.b.c.glimpse.technology.", proxied: "true" } } }, findings: ["cloudflare_dns_record.r: a.b.c.glimpse.technology is proxied but is 3 levels below the zone"] },
    { title: "the apex, @ and one level below may be proxied; a deep name DNS-only is fine", resource: { cloudflare_dns_record: { apex: { name: "glimpse.technology", proxied: true }, at: { name: "@", proxied: true }, one: { name: "tracker.glimpse.technology", proxied: true }, deep: { name: "api.tracker.glimpse.technology", proxied: false } } }, findings: [] },
    { title: "a name relative to the zone is counted from the zone", resource: { cloudflare_dns_record: { rel: { name: "api.tracker", proxied: true } } }, findings: ["cloudflare_dns_record.rel: api.tracker is proxied but is 2 levels below the zone"] },
  ],
  "ec2-user-data-no-secrets": [
    { title: "base64 user data without its padding is still decoded", resource: { aws_instance: { i: { user_data_base64: Buffer.from("requirepass s3cr3tvalue").toString("base64").replace(/=+$/, "") } } }, findings: ["aws_instance.i: user_data_base64: password literal (requirepass s3…(11))"] },
    { title: "both attributes are scanned, each named", resource: { aws_instance: { i: { user_data: "export PGPASSWORD=literalpassword", user_data_base64: Buffer.from("requirepass s3cr3tvalue").toString("base64") } } }, findings: ["aws_instance.i: user_data: password literal (PGPASSWORD=li…(15))", "aws_instance.i: user_data_base64: password literal (requirepass s3…(11))"] },
    { title: "a template that reads the secret at boot", resource: { aws_instance: { i: { user_data: "${templatefile(\"x\", { arn = aws_secretsmanager_secret.s.arn })}" } } }, findings: [] },
  ],
  "ecs-task-efs-transit-encryption": [
    { title: "TLS and IAM authorization", resource: { aws_ecs_task_definition: { td: { volume: [{ name: "data", efs_volume_configuration: [{ transit_encryption: "ENABLED", authorization_config: [{ iam: "ENABLED", access_point_id: "fsap-1" }] }] }] } } }, findings: [] },
    { title: "IAM authorization missing only", resource: { aws_ecs_task_definition: { td: { volume: [{ name: "data", efs_volume_configuration: [{ transit_encryption: "ENABLED" }] }] } } }, findings: ["aws_ecs_task_definition.td: volume data: authorization_config.iam is not ENABLED"] },
    { title: "a bind-mount volume has nothing to encrypt", resource: { aws_ecs_task_definition: { td: { volume: [{ name: "tmp" }] } } }, findings: [] },
  ],
  "efs-file-system-policy-tls": [
    ...(
      [
        ["an Allow on SecureTransport false is not a Deny", { Effect: "Allow", Principal: "*", Action: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }],
        ["StringNotEquals false denies the TLS clients instead", { Effect: "Deny", Principal: "*", Action: "*", Condition: { StringNotEquals: { "aws:SecureTransport": "false" } } }],
        ["a Deny on another Bool key", { Effect: "Deny", Principal: "*", Action: "*", Condition: { Bool: { "aws:ViaAWSService": "false" } } }],
        ["a second condition narrows the Deny to one account", { Effect: "Deny", Principal: "*", Action: "*", Condition: { Bool: { "aws:SecureTransport": "false" }, StringEquals: { "aws:PrincipalAccount": "802732539686" } } }],
        ["a Deny for one principal only", { Effect: "Deny", Principal: { AWS: "arn:aws:iam::802732539686:root" }, Action: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }],
      ] as const
    ).map(([title, statement]) => ({
      title,
      resource: { aws_efs_file_system: { f: {} }, aws_efs_file_system_policy: { p: { file_system_id: ref("aws_efs_file_system.f"), policy: JSON.stringify({ Statement: [statement] }) } } },
      findings: ["aws_efs_file_system.f: the file system policy does not deny non-TLS clients"],
    })),
    { title: "no policy", resource: { aws_efs_file_system: { f: {} } }, findings: ["aws_efs_file_system.f: no file system policy (clients may mount without TLS)"] },
    { title: "a policy that allows only", resource: { aws_efs_file_system: { f: {} }, aws_efs_file_system_policy: { p: { file_system_id: ref("aws_efs_file_system.f"), policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "elasticfilesystem:ClientMount", Principal: "*" }] }) } } }, findings: ["aws_efs_file_system.f: the file system policy does not deny non-TLS clients"] },
    { title: "a Deny on SecureTransport true does not deny plaintext", resource: { aws_efs_file_system: { f: {} }, aws_efs_file_system_policy: { p: { file_system_id: ref("aws_efs_file_system.f"), policy: JSON.stringify({ Statement: [{ Effect: "Deny", Action: "*", Principal: "*", Condition: { Bool: { "aws:SecureTransport": "true" } } }] }) } } }, findings: ["aws_efs_file_system.f: the file system policy does not deny non-TLS clients"] },
    { title: "a Deny of non-TLS clients", resource: { aws_efs_file_system: { f: {} }, aws_efs_file_system_policy: { p: { file_system_id: ref("aws_efs_file_system.f"), policy: JSON.stringify({ Statement: [{ Effect: "Deny", Action: "*", Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }] }) } } }, findings: [] },
  ],
  "lb-waf-associated": [
    { title: "without load_balancer_type an ALB is what AWS creates, and it needs a web ACL", resource: { aws_lb: { alb: {} } }, findings: ["aws_lb.alb: no WAF web ACL is associated with this internet-facing load balancer"] },
    { title: "a WAF Classic regional association counts", resource: { aws_lb: { alb: {} }, aws_wafregional_web_acl_association: { a: { resource_arn: ref("aws_lb.alb", "arn") } } }, findings: [] },
    { title: "an internet-facing ALB without a web ACL", resource: { aws_lb: { alb: { load_balancer_type: "application" } } }, findings: ["aws_lb.alb: no WAF web ACL is associated with this internet-facing load balancer"] },
    { title: "associated by reference", resource: { aws_lb: { alb: {} }, aws_wafv2_web_acl_association: { a: { resource_arn: ref("aws_lb.alb", "arn") } } }, findings: [] },
    { title: "an internal ALB, a network load balancer", resource: { aws_lb: { internal: { internal: true }, nlb: { load_balancer_type: "network" } } }, findings: [] },
  ],
  "lb-listener-tls12": [
    { title: "no ssl_policy: the default allows TLS 1.0", resource: { aws_lb_listener: { l: { protocol: "HTTPS" } } }, findings: ["aws_lb_listener.l: no ssl_policy (the default ELBSecurityPolicy-2016-08 allows TLS 1.0)"] },
    { title: "a TLS 1.1 policy on a TLS listener", resource: { aws_lb_listener: { l: { protocol: "TLS", ssl_policy: "ELBSecurityPolicy-TLS-1-1-2017-01" } } }, findings: ["aws_lb_listener.l: ssl_policy ELBSecurityPolicy-TLS-1-1-2017-01 allows TLS below 1.2"] },
    { title: "each family of TLS 1.2+ policies; HTTP listeners are not checked", resource: { aws_lb_listener: { a: { protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-FS-1-2-Res-2020-10" }, b: { protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS-1-2-Ext-2018-06" }, c: { protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }, d: { protocol: "TLS", ssl_policy: "ELBSecurityPolicy-TLS13-1-3-2021-06" }, e: { protocol: "HTTP" } } }, findings: [] },
  ],
  "resource-policies-not-public": [
    { title: "AWS * beside a service principal", resource: { aws_sns_topic_policy: { a: { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com", AWS: "*" }, Action: "sns:Publish" }] }) } } }, findings: ["aws_sns_topic_policy.a: an Allow statement grants principal * without a condition"] },
    { title: "principal * without a condition, as \"*\" or as AWS: *", resource: { aws_sns_topic_policy: { a: { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "sns:Publish" }] }) } }, aws_sqs_queue_policy: { b: { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "sqs:SendMessage" }] }) } } }, findings: ["aws_sns_topic_policy.a: an Allow statement grants principal * without a condition", "aws_sqs_queue_policy.b: an Allow statement grants principal * without a condition"] },
    { title: "principal * narrowed by a condition, a service principal, a Deny", resource: { aws_s3_bucket_policy: { p: { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Condition: { StringEquals: { "aws:SourceAccount": "1" } } }, { Effect: "Allow", Principal: { Service: "*" }, Action: "s3:PutObject" }, { Effect: "Deny", Principal: "*", Action: "s3:*" }] }) } } }, findings: [] },
    { title: "a log resource policy is read from policy_document; an unreadable one is a finding", resource: { aws_cloudwatch_log_resource_policy: { p: { policy_document: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "logs:PutLogEvents" }] }) } }, aws_ecr_repository_policy: { e: { policy: "${aws_iam_policy.x.policy}" } } }, findings: ["aws_ecr_repository_policy.e: policy document cannot be read", "aws_cloudwatch_log_resource_policy.p: an Allow statement grants principal * without a condition"] },
  ],
  "ecs-task-no-secrets-in-environment": [
    { title: "a secret-looking name, and a credential in an innocent name's value", resource: { aws_ecs_task_definition: { td: { container_definitions: JSON.stringify([{ name: "api", environment: [{ name: "JWT_SECRET", value: "x" }, { name: "DATABASE_URL", value: "postgres://u:pa55word@db/x" }, { name: "PORT", value: "8000" }] }]) } } }, findings: ["aws_ecs_task_definition.td: container api: environment JWT_SECRET looks like a secret", "aws_ecs_task_definition.td: container api: environment DATABASE_URL holds a credential-looking value"] },
    { title: "secrets from Secrets Manager, and no environment at all", resource: { aws_ecs_task_definition: { td: { container_definitions: JSON.stringify([{ name: "api", secrets: [{ name: "JWT_SECRET", valueFrom: "arn:aws:secretsmanager:x" }], environment: [{ name: "LOG_LEVEL" }] }, { name: "worker" }]) } } }, findings: [] },
    { title: "definitions it cannot read", resource: { aws_ecs_task_definition: { td: { container_definitions: "${var.x}" } } }, findings: ["aws_ecs_task_definition.td: container_definitions cannot be read"] },
  ],
  "shared-account-log-resource-policy": [
    { title: "a grant on another resource type's ARN is not a grant on our log group", resource: { aws_s3_bucket: { b: {} }, aws_cloudwatch_log_resource_policy: { p: { policy_name: "tracker-staging-events", policy_document: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "logs:PutLogEvents", Resource: "${aws_s3_bucket.b.arn}" }] }) } } }, findings: ['aws_cloudwatch_log_resource_policy.p: grants on "${aws_s3_bucket.b.arn}", not on a log group this stack creates'] },
    { title: "one named policy on this stack's log group", resource: { aws_cloudwatch_log_group: { g: { name: "/aws/events/tracker-staging" } }, aws_cloudwatch_log_resource_policy: { p: { policy_name: "tracker-staging-events", policy_document: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "logs:PutLogEvents", Resource: "${aws_cloudwatch_log_group.g.arn}:*" }, { Effect: "Deny", Action: "logs:*" }] }) } } }, findings: [] },
    { title: "an Allow without Resource, a policy without a name, an unreadable document", resource: { aws_cloudwatch_log_resource_policy: { p: { policy_document: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "logs:PutLogEvents" }] }) } } }, findings: ["aws_cloudwatch_log_resource_policy.p: policy_name undefined is not in the project's namespace (tracker-<env>-...)", "aws_cloudwatch_log_resource_policy.p: an Allow statement without Resource applies to every log group"] },
    { title: "a document it cannot read, and a grant on a looked-up log group", resource: { aws_cloudwatch_log_resource_policy: { a: { policy_name: "tracker-staging-a", policy_document: "${data.x.y.json}" } } }, findings: ["aws_cloudwatch_log_resource_policy.a: policy_document cannot be read"] },
  ],
  "ssm-sensitive-parameters-secure": [
    { title: "a number is a literal too (Terraform stores its text), and insecure_value is never for a secret", resource: { aws_ssm_parameter: { n: { name: "/tracker/staging/pin-secret", type: "SecureString", value: 123456 }, i: { name: "/tracker/staging/api-token", type: "SecureString", insecure_value: "abc" } } }, findings: ["aws_ssm_parameter.n: /tracker/staging/pin-secret has a literal value", "aws_ssm_parameter.i: /tracker/staging/api-token has a literal insecure_value"] },
    { title: "a secret-looking name as a String with a literal", resource: { aws_ssm_parameter: { p: { name: "/tracker/staging/api-token", type: "String", value: "abc" } } }, findings: ["aws_ssm_parameter.p: /tracker/staging/api-token looks secret but is String", "aws_ssm_parameter.p: /tracker/staging/api-token has a literal value"] },
    { title: "a SecureString whose value is a reference", resource: { aws_ssm_parameter: { p: { name: "/tracker/staging/secret-key", type: "SecureString", value: "${random_password.p.result}" } } }, findings: [] },
    { title: "a SecureString with a literal value is still a literal in the state", resource: { aws_ssm_parameter: { p: { name: "/tracker/staging/redis-password", type: "SecureString", value: "literal" } } }, findings: ["aws_ssm_parameter.p: /tracker/staging/redis-password has a literal value"] },
    { title: "a name that is not secret-looking", resource: { aws_ssm_parameter: { p: { name: "/tracker/staging/redis-host", type: "String", value: "cache" } } }, findings: [] },
  ],
  "workloads-in-private-subnets": [
    {
      title: "a service, an instance and a mount target in a public subnet; the private one passes",
      resource: {
        aws_subnet: { pub: { map_public_ip_on_launch: true }, priv: {} },
        aws_ecs_service: { s: { network_configuration: [{ subnets: [ref("aws_subnet.pub"), ref("aws_subnet.priv")] }] }, ok: { network_configuration: [{ subnets: [ref("aws_subnet.priv")] }] } },
        aws_instance: { i: { subnet_id: ref("aws_subnet.pub") } },
        aws_efs_mount_target: { m: { subnet_id: ref("aws_subnet.priv") } },
      },
      findings: ["aws_ecs_service.s: placed in public subnet aws_subnet.pub", "aws_instance.i: placed in public subnet aws_subnet.pub"],
    },
  ],
  "s3-tls-only": [
    {
      title: "a second condition narrows the Deny to requests from one VPC endpoint",
      resource: { aws_s3_bucket: { b: { bucket: "x" } }, aws_s3_bucket_policy: { p: { bucket: "x", policy: JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" }, StringEquals: { "aws:SourceVpce": "vpce-0123" } } }] }) } } },
      findings: ["aws_s3_bucket.b: no Deny statement on aws:SecureTransport = false"],
    },
    { title: "no bucket policy", resource: { aws_s3_bucket: { b: { bucket: "x" } } }, findings: ["aws_s3_bucket.b: no bucket policy (so no TLS-only statement)"] },
    {
      title: "a Deny on SecureTransport for one principal only is not TLS-only",
      resource: { aws_s3_bucket: { b: { bucket: "x" } }, aws_s3_bucket_policy: { p: { bucket: "x", policy: JSON.stringify({ Statement: [{ Effect: "Deny", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }] }) } } },
      findings: ["aws_s3_bucket.b: no Deny statement on aws:SecureTransport = false"],
    },
    {
      title: "an Allow with the condition is not a Deny",
      resource: { aws_s3_bucket: { b: { bucket: "x" } }, aws_s3_bucket_policy: { p: { bucket: ref("aws_s3_bucket.b"), policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }] }) } } },
      findings: ["aws_s3_bucket.b: no Deny statement on aws:SecureTransport = false"],
    },
    {
      title: "a Deny to everyone of plaintext requests",
      resource: { aws_s3_bucket: { b: { bucket: "x" } }, aws_s3_bucket_policy: { p: { bucket: "x", policy: JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": ["false"] } } }] }) } } },
      findings: [],
    },
  ],
  "waf-web-acl-logging": [
    { title: "no logging configuration", resource: { aws_wafv2_web_acl: { w: {} } }, findings: ["aws_wafv2_web_acl.w: no aws_wafv2_web_acl_logging_configuration references this web ACL"] },
    { title: "no destination, authorization not redacted", resource: { aws_wafv2_web_acl: { w: {} }, aws_wafv2_web_acl_logging_configuration: { l: { resource_arn: ref("aws_wafv2_web_acl.w", "arn"), redacted_fields: [{ single_header: [{ name: "cookie" }] }] } } }, findings: ["aws_wafv2_web_acl.w: aws_wafv2_web_acl_logging_configuration.l has no log destination", "aws_wafv2_web_acl.w: aws_wafv2_web_acl_logging_configuration.l does not redact the authorization header"] },
    { title: "a destination and Authorization redacted, in any case", resource: { aws_wafv2_web_acl: { w: {} }, aws_wafv2_web_acl_logging_configuration: { l: { resource_arn: ref("aws_wafv2_web_acl.w", "arn"), log_destination_configs: ["${aws_cloudwatch_log_group.g.arn}"], redacted_fields: [{ single_header: [{ name: "Authorization" }] }] } } }, findings: [] },
  ],
  "lb-target-group-encrypted": [
    { title: "QUIC is encrypted (TLS 1.3 inside)", resource: { aws_lb_target_group: { t: { protocol: "QUIC", health_check: [{ protocol: "HTTPS" }] } } }, findings: [] },
    { title: "HTTP by default, its health check too", resource: { aws_lb_target_group: { t: {} } }, findings: ["aws_lb_target_group.t: protocol HTTP is not encrypted", "aws_lb_target_group.t: health check protocol HTTP is not HTTPS"] },
    { title: "HTTPS with its health check on HTTPS by default", resource: { aws_lb_target_group: { t: { protocol: "HTTPS" } } }, findings: [] },
    { title: "HTTPS with an HTTP health check", resource: { aws_lb_target_group: { t: { protocol: "HTTPS", health_check: [{ protocol: "HTTP" }] } } }, findings: ["aws_lb_target_group.t: health check protocol HTTP is not HTTPS"] },
    { title: "TLS with the health check disabled", resource: { aws_lb_target_group: { t: { protocol: "TLS", health_check: [{ enabled: false }] } } }, findings: [] },
    { title: "Lambda and ALB targets have no protocol to encrypt", resource: { aws_lb_target_group: { l: { target_type: "lambda" }, a: { target_type: "alb", protocol: "TCP" } } }, findings: [] },
  ],
  "waf-rule-metrics": [
    { title: "neither the web ACL nor a rule publishes metrics", resource: { aws_wafv2_web_acl: { w: { visibility_config: [{ cloudwatch_metrics_enabled: false }], rule: [{ name: "a", visibility_config: [{ cloudwatch_metrics_enabled: "true" }] }, { name: "b" }, {}] } } }, findings: ["aws_wafv2_web_acl.w: the web ACL does not publish CloudWatch metrics", "aws_wafv2_web_acl.w: rule b does not publish CloudWatch metrics", "aws_wafv2_web_acl.w: rule ? does not publish CloudWatch metrics"] },
  ],
  "ecs-task-no-latest-tag": [
    { title: "a tag without a digest, and an image that is all expression", resource: { aws_ecs_task_definition: { td: { container_definitions: JSON.stringify([{ name: "a", image: "nginx:1.27" }, { name: "b", image: "${var.image}" }]) } } }, findings: [] },
    { title: "definitions it cannot read", resource: { aws_ecs_task_definition: { td: { container_definitions: "${var.containers}" } } }, findings: ["aws_ecs_task_definition.td: container_definitions cannot be read"] },
    { title: "untagged, :latest, a tag from an expression, a digest, a registry port", resource: { aws_ecs_task_definition: { td: { container_definitions: JSON.stringify([{ name: "a", image: "nginx" }, { name: "b", image: "registry:5000/team/app:latest" }, { name: "c", image: "123.dkr.ecr.eu-central-1.amazonaws.com/x/api:${var.image_tag_api}" }, { name: "d", image: "public.ecr.aws/x/y@sha256:0123" }, { name: "e", image: "registry:5000/team/app" }, { name: "f" }]) } } }, findings: ["aws_ecs_task_definition.td: container a image nginx has no tag", "aws_ecs_task_definition.td: container b uses :latest", "aws_ecs_task_definition.td: container e image registry:5000/team/app has no tag", "aws_ecs_task_definition.td: container f image  has no tag"] },
  ],
  "sg-no-unrestricted-egress": [
    { title: "a range that ends at 443 is not tcp/443; both address families named", resource: { aws_security_group: { g: { egress: [{ protocol: "tcp", from_port: 80, to_port: 443, cidr_blocks: ["0.0.0.0/0"], ipv6_cidr_blocks: ["::/0"] }] } } }, findings: ["aws_security_group.g: egress[0]: egress tcp/80-443 to 0.0.0.0/0, ::/0"] },
    { title: "tcp/443 to anywhere is the one open egress allowed", resource: { aws_vpc_security_group_egress_rule: { a: { ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0" } } }, findings: [] },
    { title: "all traffic, tcp/80, a range and udp/443 to anywhere; egress to the VPC and ingress from anywhere are not this rule's", resource: { aws_security_group: { g: { egress: [{ protocol: "-1", from_port: 0, to_port: 0, cidr_blocks: ["0.0.0.0/0"] }, { protocol: "tcp", from_port: 80, to_port: 80, ipv6_cidr_blocks: ["::/0"] }, { protocol: "tcp", from_port: 443, to_port: 444, cidr_blocks: ["0.0.0.0/0"] }, { protocol: "udp", from_port: 443, to_port: 443, cidr_blocks: ["0.0.0.0/0"] }, { protocol: "tcp", from_port: 5432, to_port: 5432, cidr_blocks: ["10.0.0.0/16"] }], ingress: [{ protocol: "tcp", from_port: 22, to_port: 22, cidr_blocks: ["0.0.0.0/0"] }] } } }, findings: ["aws_security_group.g: egress[0]: egress all traffic to 0.0.0.0/0", "aws_security_group.g: egress[1]: egress tcp/80 to ::/0", "aws_security_group.g: egress[2]: egress tcp/443-444 to 0.0.0.0/0", "aws_security_group.g: egress[3]: egress udp/443 to 0.0.0.0/0"] },
  ],
  "sg-rule-descriptions": [
    { title: "a group and its rules without descriptions, or blank", resource: { aws_security_group: { g: { description: "  ", ingress: [{ protocol: "tcp", from_port: 443, to_port: 443, description: "" }], egress: [{ protocol: "tcp", from_port: 443, to_port: 443, description: "https out" }] } } }, findings: ["aws_security_group.g: the security group has no description", "aws_security_group.g: ingress[0]: rule has no description"] },
    { title: "a separate rule without a description", resource: { aws_vpc_security_group_ingress_rule: { r: { ip_protocol: "tcp", from_port: 443, to_port: 443 } } }, findings: ["aws_vpc_security_group_ingress_rule.r: aws_vpc_security_group_ingress_rule.r: rule has no description"] },
  ],
  "ecs-cluster-exec-logging-encrypted": [
    { title: "OVERRIDE without a log configuration", resource: { aws_ecs_cluster: { c: { configuration: [{ execute_command_configuration: [{ logging: "OVERRIDE", kms_key_id: "k" }] }] } } }, findings: ["aws_ecs_cluster.c: ECS Exec log destination is not encrypted"] },
    { title: "no ECS Exec configuration: nothing to log", resource: { aws_ecs_cluster: { c: {} } }, findings: [] },
    { title: "logging NONE without a key", resource: { aws_ecs_cluster: { c: { configuration: [{ execute_command_configuration: [{ logging: "NONE" }] }] } } }, findings: ["aws_ecs_cluster.c: ECS Exec logging is NONE", "aws_ecs_cluster.c: ECS Exec sessions have no kms_key_id"] },
    { title: "OVERRIDE to an unencrypted destination", resource: { aws_ecs_cluster: { c: { configuration: [{ execute_command_configuration: [{ logging: "OVERRIDE", kms_key_id: "k", log_configuration: [{ cloud_watch_log_group_name: "g", cloud_watch_encryption_enabled: false }] }] }] } } }, findings: ["aws_ecs_cluster.c: ECS Exec log destination is not encrypted"] },
    { title: "OVERRIDE to an encrypted S3 bucket, or DEFAULT logging with a key", resource: { aws_ecs_cluster: { s3: { configuration: [{ execute_command_configuration: [{ logging: "OVERRIDE", kms_key_id: "k", log_configuration: [{ s3_bucket_name: "b", s3_bucket_encryption_enabled: "true" }] }] }] }, def: { configuration: [{ execute_command_configuration: [{ logging: "DEFAULT", kms_key_id: "k" }] }] } } }, findings: [] },
  ],
  "iam-no-administrator-access": [
    { title: "attached by each attachment type and by a role's managed policies, in every partition", resource: { aws_iam_role_policy_attachment: { a: { policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } }, aws_iam_policy_attachment: { b: { policy_arn: "arn:aws-us-gov:iam::aws:policy/AdministratorAccess" } }, aws_iam_role: { r: { managed_policy_arns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/AdministratorAccess"] } }, aws_iam_role_policy_attachments_exclusive: { e: { policy_arns: ["arn:aws-cn:iam::aws:policy/AdministratorAccess"] } } }, findings: ["aws_iam_role_policy_attachment.a: attaches AdministratorAccess", "aws_iam_policy_attachment.b: attaches AdministratorAccess", "aws_iam_role_policy_attachments_exclusive.e: attaches AdministratorAccess", "aws_iam_role.r: attaches AdministratorAccess"] },
    { title: "a customer policy of the same name, and AdministratorAccess-Amplify, are not it", resource: { aws_iam_role_policy_attachment: { a: { policy_arn: "arn:aws:iam::123456789012:policy/AdministratorAccess" }, b: { policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess-Amplify" } } }, findings: [] },
  ],
  "subnet-no-public-ip-on-launch": [
    { title: "a created subnet that maps public IPs, as a boolean or a string", resource: { aws_subnet: { a: { map_public_ip_on_launch: true }, b: { map_public_ip_on_launch: "true" }, c: { map_public_ip_on_launch: false } } }, findings: ["aws_subnet.a: map_public_ip_on_launch = true", "aws_subnet.b: map_public_ip_on_launch = true"] },
    { title: "a lookup whose filter also allows true, or has no value", data: { aws_subnet: { both: { filter: [{ name: "map-public-ip-on-launch", values: ["false", "true"] }] }, empty: { filter: [{ name: "map-public-ip-on-launch", values: [] }] }, other: { filter: [{ name: "tag:Tier", values: ["false"] }] } } }, findings: ["data.aws_subnet.both: the lookup does not require map-public-ip-on-launch = false, so it would adopt a subnet that gives instances public IPs", "data.aws_subnet.empty: the lookup does not require map-public-ip-on-launch = false, so it would adopt a subnet that gives instances public IPs", "data.aws_subnet.other: the lookup does not require map-public-ip-on-launch = false, so it would adopt a subnet that gives instances public IPs"] },
  ],
  "vpc-default-security-group-closed": [
    { title: "a created VPC whose default group is managed and empty", resource: { aws_vpc: { v: {} }, aws_default_security_group: { d: { vpc_id: ref("aws_vpc.v") } } }, findings: [] },
    { title: "a created VPC without it, and a managed default group with rules", resource: { aws_vpc: { v: {} }, aws_default_security_group: { d: { ingress: [{ protocol: "-1", self: true }], egress: [{ protocol: "-1", cidr_blocks: ["0.0.0.0/0"] }] } } }, findings: ["aws_vpc.v: the VPC's default security group is not managed (and so not emptied) by an aws_default_security_group", "aws_default_security_group.d: the default security group declares ingress rules", "aws_default_security_group.d: the default security group declares egress rules"] },
    { title: "an adopted VPC is its owner's", data: { aws_vpc: { v: { id: "vpc-1" } } }, findings: ["data.aws_vpc.v: the adopted VPC's default security group is its owner's: this stack does not manage or empty it"] },
  ],
  "acm-create-before-destroy": [
    { title: "the string \"true\" counts; no lifecycle does not", resource: { aws_acm_certificate: { a: { lifecycle: { create_before_destroy: "true" } }, b: {} } }, findings: ["aws_acm_certificate.b: lifecycle.create_before_destroy is not true"] },
  ],
  "acm-key-algorithm": [
    { title: "no key_algorithm is RSA 2048; ECDSA P-256 and P-384 pass", resource: { aws_acm_certificate: { a: {}, b: { key_algorithm: "EC_prime256v1" }, c: { key_algorithm: "EC_secp384r1" } } }, findings: [] },
    { title: "RSA 1024", resource: { aws_acm_certificate: { a: { key_algorithm: "RSA_1024" } } }, findings: ["aws_acm_certificate.a: key_algorithm RSA_1024 is weaker than RSA 2048"] },
  ],
  "alb-desync-mitigation": [
    { title: "AWS's default (defensive) and strictest pass; a network load balancer has no such mode", resource: { aws_lb: { a: {}, b: { desync_mitigation_mode: "strictest" }, n: { load_balancer_type: "network", desync_mitigation_mode: "monitor" } } }, findings: [] },
    { title: "monitor on an aws_alb", resource: { aws_alb: { a: { desync_mitigation_mode: "monitor" } } }, findings: ["aws_alb.a: desync_mitigation_mode = monitor"] },
  ],
  "alb-drop-invalid-headers": [
    { title: "not set on an application load balancer (AWS's default keeps them); a gateway load balancer is not checked", resource: { aws_lb: { a: {}, g: { load_balancer_type: "gateway" } } }, findings: ["aws_lb.a: drop_invalid_header_fields is not true"] },
    { title: "the string \"true\" counts", resource: { aws_alb: { a: { drop_invalid_header_fields: "true" } } }, findings: [] },
  ],
  "cloudwatch-alarm-actions": [
    { title: "no actions, and actions switched off", resource: { aws_cloudwatch_metric_alarm: { a: {}, b: { alarm_actions: ["${aws_sns_topic.t.arn}"], actions_enabled: "false" } }, aws_cloudwatch_composite_alarm: { c: { alarm_actions: [] } } }, findings: ["aws_cloudwatch_metric_alarm.a: no alarm_actions", "aws_cloudwatch_metric_alarm.b: actions_enabled = false", "aws_cloudwatch_composite_alarm.c: no alarm_actions"] },
    { title: "actions given as one expression", resource: { aws_cloudwatch_metric_alarm: { a: { alarm_actions: "${local.actions}" } } }, findings: [] },
  ],
  "ec2-encrypted-volumes": [
    { title: "every root block listed must be encrypted", resource: { aws_instance: { i: { root_block_device: [{ encrypted: true }, { encrypted: false }] } } }, findings: ["aws_instance.i: root_block_device is not encrypted"] },
    { title: "no root block device (AWS's default is unencrypted), and one of two extra volumes unencrypted", resource: { aws_instance: { i: { ebs_block_device: [{ encrypted: true }, { encrypted: false }] } } }, findings: ["aws_instance.i: root_block_device is not encrypted", "aws_instance.i: ebs_block_device[1] is not encrypted"] },
    { title: "everything encrypted, \"true\" as a string", resource: { aws_instance: { i: { root_block_device: [{ encrypted: "true" }], ebs_block_device: [{ encrypted: true }] } } }, findings: [] },
  ],
  "ec2-imdsv2-required": [
    { title: "tokens optional, or no metadata options, on an instance and a launch template", resource: { aws_instance: { a: { metadata_options: [{ http_tokens: "optional" }] }, b: {} }, aws_launch_template: { t: {} } }, findings: ["aws_instance.a: metadata_options.http_tokens is not required (IMDSv1 allowed)", "aws_instance.b: metadata_options.http_tokens is not required (IMDSv1 allowed)", "aws_launch_template.t: metadata_options.http_tokens is not required (IMDSv1 allowed)"] },
    { title: "the metadata endpoint off entirely", resource: { aws_instance: { a: { metadata_options: [{ http_endpoint: "disabled", http_tokens: "optional" }] } } }, findings: [] },
  ],
  "ec2-no-key-pair": [
    { title: "a key pair names itself", resource: { aws_instance: { a: { key_name: "ops" }, b: {} } }, findings: ["aws_instance.a: key_name ops is set"] },
  ],
  "ecr-immutable-tags": [
    { title: "AWS's default is MUTABLE; IMMUTABLE_WITH_EXCLUSION is immutable", resource: { aws_ecr_repository: { a: {}, b: { image_tag_mutability: "IMMUTABLE_WITH_EXCLUSION" } } }, findings: ["aws_ecr_repository.a: image_tag_mutability is MUTABLE"] },
  ],
  "ecr-kms-encryption": [
    { title: "AES256 by default, KMS with AWS's key, KMS with ours", resource: { aws_ecr_repository: { a: {}, b: { encryption_configuration: [{ encryption_type: "KMS" }] }, c: { encryption_configuration: [{ encryption_type: "KMS", kms_key: "${aws_kms_key.k.arn}" }] } } }, findings: ["aws_ecr_repository.a: encryption_type is not KMS (AES256 default)", "aws_ecr_repository.b: KMS encryption without a customer-managed kms_key"] },
  ],
  "ecr-lifecycle-policy": [
    { title: "by reference or by the repository's name; another repository's policy does not count", resource: { aws_ecr_repository: { a: { name: "tracker-staging/api" }, b: { name: "tracker-staging/admin" }, c: { name: "tracker-staging/web" } }, aws_ecr_lifecycle_policy: { pa: { repository: ref("aws_ecr_repository.a", "name") }, pb: { repository: "tracker-staging/admin" }, other: { repository: "someone/else" } } }, findings: ["aws_ecr_repository.c: no lifecycle policy"] },
  ],
  "ecr-scan-on-push": [
    { title: "a registry rule that scans on push, listed after a manual one", resource: { aws_ecr_repository: { b: {} }, aws_ecr_registry_scanning_configuration: { r: { rule: [{ scan_frequency: "MANUAL" }, { scan_frequency: "SCAN_ON_PUSH" }] } } }, findings: [] },
    { title: "scan on push on the repository, or a registry-wide rule that scans", resource: { aws_ecr_repository: { a: { image_scanning_configuration: [{ scan_on_push: true }] }, b: {} }, aws_ecr_registry_scanning_configuration: { r: { scan_type: "ENHANCED", rule: [{ scan_frequency: "CONTINUOUS_SCAN" }] } } }, findings: [] },
    { title: "a registry rule that scans only manually does not", resource: { aws_ecr_repository: { b: {} }, aws_ecr_registry_scanning_configuration: { r: { rule: [{ scan_frequency: "MANUAL" }] } } }, findings: ["aws_ecr_repository.b: scan_on_push is not enabled"] },
  ],
  "ecs-cluster-container-insights": [
    { title: "enhanced counts; disabled, another setting and none do not", resource: { aws_ecs_cluster: { a: { setting: [{ name: "containerInsights", value: "enhanced" }] }, b: { setting: [{ name: "containerInsights", value: "disabled" }] }, c: { setting: [{ name: "other", value: "enabled" }] }, d: {} } }, findings: ["aws_ecs_cluster.b: containerInsights is not enabled", "aws_ecs_cluster.c: containerInsights is not enabled", "aws_ecs_cluster.d: containerInsights is not enabled"] },
  ],
  "ecs-service-circuit-breaker": [
    { title: "a breaker without rollback, and alarms without rollback", resource: { aws_ecs_service: { s: { deployment_circuit_breaker: [{ enable: true, rollback: false }], alarms: [{ enable: true, rollback: false, alarm_names: ["x"] }] } } }, findings: ["aws_ecs_service.s: deployment circuit breaker with rollback is not enabled", "aws_ecs_service.s: alarm-based rollback is not enabled"] },
    { title: "rollback without enable; nothing at all", resource: { aws_ecs_service: { s: { deployment_circuit_breaker: [{ rollback: true }], alarms: [{ rollback: true }] }, t: {} } }, findings: ["aws_ecs_service.s: deployment circuit breaker with rollback is not enabled", "aws_ecs_service.s: alarm-based rollback is not enabled", "aws_ecs_service.t: deployment circuit breaker with rollback is not enabled", "aws_ecs_service.t: alarm-based rollback is not enabled"] },
  ],
  "ecs-service-no-public-ip": [
    { title: "a public address, none, and a service without network configuration", resource: { aws_ecs_service: { pub: { network_configuration: [{ assign_public_ip: "true" }] }, priv: { network_configuration: [{ assign_public_ip: false }] }, none: {} } }, findings: ["aws_ecs_service.pub: assign_public_ip = true"] },
  ],
  "ecs-service-fargate-latest": [
    { title: "an EC2 capacity provider is not Fargate", resource: { aws_ecs_service: { ec2: { capacity_provider_strategy: [{ capacity_provider: "tracker-ec2" }], platform_version: "1.4.0" } } }, findings: [] },
    { title: "Fargate through a capacity provider pinned to 1.4.0; EC2 services are not Fargate's", resource: { aws_ecs_service: { spot: { capacity_provider_strategy: [{ capacity_provider: "FARGATE_SPOT" }], platform_version: "1.4.0" }, ec2: { launch_type: "EC2", platform_version: "1.4.0" }, latest: { launch_type: "FARGATE" } } }, findings: ["aws_ecs_service.spot: platform_version 1.4.0 is pinned below LATEST"] },
  ],
  "ecs-task-awsvpc-network-mode": [
    { title: "no network_mode is bridge", resource: { aws_ecs_task_definition: { td: {} } }, findings: ["aws_ecs_task_definition.td: network_mode is (default bridge)"] },
  ],
  "ecs-task-distinct-roles": [
    { title: "different roles, or no execution role, pass", resource: { aws_ecs_task_definition: { a: { execution_role_arn: "x", task_role_arn: "y" }, b: { task_role_arn: "y" }, c: {} } }, findings: [] },
  ],
  "ecs-task-no-host-namespaces": [
    { title: "both namespaces shared with the host; task-level ones are fine", resource: { aws_ecs_task_definition: { a: { pid_mode: "host", ipc_mode: "host" }, b: { pid_mode: "task", ipc_mode: "task" } } }, findings: ["aws_ecs_task_definition.a: pid_mode = host", "aws_ecs_task_definition.a: ipc_mode = host"] },
  ],
  "ecs-task-non-root-user": [
    { title: "root by name or by UID, with or without a group; another UID, or 0 as part of a longer number, is not root", resource: { aws_ecs_task_definition: { td: { container_definitions: JSON.stringify([{ name: "a", user: "root" }, { name: "b", user: "0" }, { name: "c", user: "root:1000" }, { name: "d", user: "1000:0" }, { name: "e", user: "100" }, { name: "f" }]) } } }, findings: ["aws_ecs_task_definition.td: container a runs as root", "aws_ecs_task_definition.td: container b runs as 0", "aws_ecs_task_definition.td: container c runs as root:1000"] },
    { title: "definitions it cannot read", resource: { aws_ecs_task_definition: { td: { container_definitions: "${var.x}" } } }, findings: ["aws_ecs_task_definition.td: container_definitions cannot be read"] },
  ],
  "ecs-task-not-privileged": [
    { title: "privileged only when true", resource: { aws_ecs_task_definition: { td: { container_definitions: JSON.stringify([{ name: "a", privileged: false }, { name: "b" }, { name: "c", privileged: true }]) } } }, findings: ["aws_ecs_task_definition.td: container c is privileged"] },
    { title: "definitions it cannot read", resource: { aws_ecs_task_definition: { td: { container_definitions: "${var.x}" } } }, findings: ["aws_ecs_task_definition.td: container_definitions cannot be read"] },
  ],
  "ecs-task-readonly-root-filesystem": [
    { title: "only an explicit true is read-only", resource: { aws_ecs_task_definition: { td: { container_definitions: JSON.stringify([{ name: "a", readonlyRootFilesystem: true }, { name: "b", readonlyRootFilesystem: false }, { name: "c" }]) } } }, findings: ["aws_ecs_task_definition.td: container b has a writable root filesystem", "aws_ecs_task_definition.td: container c has a writable root filesystem"] },
    { title: "definitions it cannot read", resource: { aws_ecs_task_definition: { td: { container_definitions: "${var.x}" } } }, findings: ["aws_ecs_task_definition.td: container_definitions cannot be read"] },
  ],
  "efs-access-point-posix-user": [
    { title: "a gid without a uid", resource: { aws_efs_access_point: { a: { posix_user: [{ gid: 1000 }] } } }, findings: ["aws_efs_access_point.a: no posix_user with uid and gid"] },
    { title: "a uid without a gid, or no posix user; uid 0 is still a user", resource: { aws_efs_access_point: { a: { posix_user: [{ uid: 1000 }] }, b: {}, c: { posix_user: [{ uid: 0, gid: 0 }] } } }, findings: ["aws_efs_access_point.a: no posix_user with uid and gid", "aws_efs_access_point.b: no posix_user with uid and gid"] },
  ],
  "efs-access-point-root-directory": [
    { title: "the file system's root, an empty path, or none; a subdirectory passes", resource: { aws_efs_access_point: { a: { root_directory: [{ path: "/" }] }, b: { root_directory: [{ path: "" }] }, c: {}, d: { root_directory: [{ path: "/anisette" }] } } }, findings: ["aws_efs_access_point.a: root_directory.path is not a subdirectory", "aws_efs_access_point.b: root_directory.path is not a subdirectory", "aws_efs_access_point.c: root_directory.path is not a subdirectory"] },
  ],
  "efs-backup-policy": [
    { title: "a backup policy resource without its block", resource: { aws_efs_file_system: { f: {} }, aws_efs_backup_policy: { p: { file_system_id: ref("aws_efs_file_system.f") } } }, findings: ["aws_efs_file_system.f: no enabled backup policy or backup selection"] },
    { title: "a DISABLED policy is no backup; a backup selection of the file system is", resource: { aws_efs_file_system: { off: {}, selected: {}, none: {} }, aws_efs_backup_policy: { p: { file_system_id: ref("aws_efs_file_system.off"), backup_policy: [{ status: "DISABLED" }] } }, aws_backup_selection: { s: { resources: [ref("aws_efs_file_system.selected", "arn")] } } }, findings: ["aws_efs_file_system.off: no enabled backup policy or backup selection", "aws_efs_file_system.none: no enabled backup policy or backup selection"] },
  ],
  "iam-no-service-wildcard-actions": [
    { title: "a wildcard inside an action name is not a service wildcard", data: doc([{ actions: ["s3:*Object"], resources: ["arn:aws:s3:::b/*"] }]), findings: [] },
    { title: "each service wildcard once, from Allow statements only; a prefix wildcard is not a service wildcard", data: doc([{ actions: ["s3:*", "ecr:*", "ecr:Get*"], resources: ["arn:aws:s3:::b"] }, { actions: ["s3:*"], resources: ["*"] }, { effect: "Deny", actions: ["iam:*"], resources: ["*"] }]), findings: ["data.aws_iam_policy_document.d: allows s3:*", "data.aws_iam_policy_document.d: allows ecr:*"] },
    { title: "an unreadable policy", resource: { aws_iam_policy: { p: { policy: "${var.p}" } } }, findings: ["aws_iam_policy.p: policy document cannot be read"] },
  ],
  "iam-no-wildcard-passrole": [
    { title: "role/* among named roles", data: doc([{ actions: ["iam:PassRole"], resources: ["arn:aws:iam::1:role/tracker-staging-api-task", "arn:aws:iam::1:role/*"] }]), findings: ["data.aws_iam_policy_document.d: iam:PassRole is allowed on any role"] },
    { title: "PassRole on every role: *, role/*, a glob of iam:*, NotResource", data: doc([{ actions: ["iam:PassRole"], resources: ["*"] }, { actions: ["iam:Pass*"], resources: ["arn:aws:iam::1:role/*"] }, { actions: ["iam:*"], not_resources: ["arn:aws:iam::1:role/admin"] }]), findings: ["data.aws_iam_policy_document.d: iam:PassRole is allowed on any role", "data.aws_iam_policy_document.d: iam:PassRole is allowed on any role", "data.aws_iam_policy_document.d: iam:PassRole is allowed on any role"] },
    { title: "PassRole on named roles, or on a prefix of ours, is fine", data: doc([{ actions: ["iam:PassRole"], resources: ["arn:aws:iam::1:role/tracker-staging-api-task", "arn:aws:iam::1:role/tracker-staging-*"] }]), findings: [] },
    { title: "an unreadable policy", resource: { aws_iam_role_policy: { p: { policy: "${var.p}" } } }, findings: ["aws_iam_role_policy.p: policy document cannot be read"] },
  ],
  "iam-trust-no-wildcard-principal": [
    { title: "AWS * beside a service principal, and one account's root (not a wildcard)", resource: { aws_iam_role: { both: { assume_role_policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com", AWS: "*" }, Action: "sts:AssumeRole" }] }) }, account: { assume_role_policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::802732539686:root" }, Action: "sts:AssumeRole" }] }) } } }, findings: ["aws_iam_role.both: trust policy allows principal *"] },
    { title: "AWS: * or * without a condition", resource: { aws_iam_role: { a: { assume_role_policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }] }) }, b: { assume_role_policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }] }) } } }, findings: ["aws_iam_role.a: trust policy allows principal *", "aws_iam_role.b: trust policy allows principal *"] },
    { title: "narrowed by a condition, a service principal, a Deny", resource: { aws_iam_role: { a: { assume_role_policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-1" } } }, { Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }, { Effect: "Deny", Principal: "*", Action: "sts:AssumeRole" }] }) } } }, findings: [] },
    { title: "an unreadable trust policy", resource: { aws_iam_role: { a: { assume_role_policy: "${var.p}" } } }, findings: ["aws_iam_role.a: trust policy cannot be read"] },
  ],
  "kms-key-policy": [
    { title: "a Deny for principal * narrows; AWS * beside a service principal still grants everyone", resource: { aws_kms_key: { deny: { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "kms:*" }, { Effect: "Deny", Principal: "*", Action: "kms:Decrypt" }] }) }, both: { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: "logs.eu-central-1.amazonaws.com", AWS: "*" }, Action: "kms:Decrypt" }] }) } } }, findings: ["aws_kms_key.both: an Allow statement grants principal * without a condition"] },
    { title: "no policy: the default grants the whole account", resource: { aws_kms_key: { k: {} } }, findings: ["aws_kms_key.k: no key policy (the default grants the whole account)"] },
    { title: "principal * narrowed by a condition passes; without one it does not", resource: { aws_kms_key: { ok: { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Condition: { StringEquals: { "kms:CallerAccount": "1" } } }] }) }, open: { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:*" }] }) } } }, findings: ["aws_kms_key.open: an Allow statement grants principal * without a condition"] },
  ],
  "kms-key-rotation": [
    { title: "a symmetric key (the default spec) without rotation; an asymmetric key cannot rotate", resource: { aws_kms_key: { a: {}, b: { customer_master_key_spec: "SYMMETRIC_DEFAULT", enable_key_rotation: false }, rsa: { customer_master_key_spec: "RSA_2048" } } }, findings: ["aws_kms_key.a: enable_key_rotation is not true", "aws_kms_key.b: enable_key_rotation is not true"] },
  ],
  "lb-access-logs": [
    { title: "logs configured but disabled, or enabled without a bucket", resource: { aws_lb: { a: { access_logs: [{ enabled: false, bucket: "b" }] }, b: { access_logs: [{ enabled: true }] }, c: { access_logs: [{ enabled: "true", bucket: "b" }] } } }, findings: ["aws_lb.a: access_logs are not enabled", "aws_lb.b: access_logs are not enabled"] },
  ],
  "lb-multi-az": [
    { title: "one subnet, one mapping, nothing", resource: { aws_lb: { a: { subnets: ["s1"] }, b: { subnet_mapping: [{ subnet_id: "s1" }] }, c: {} } }, findings: ["aws_lb.a: only 1 subnet(s)", "aws_lb.b: only one subnet mapping", "aws_lb.c: no subnets"] },
    { title: "two subnets, two mappings, or subnets from an expression", resource: { aws_lb: { a: { subnets: ["s1", "s2"] }, b: { subnet_mapping: [{ subnet_id: "s1" }, { subnet_id: "s2" }] }, c: { subnets: "${data.aws_subnets.public.ids}" } } }, findings: [] },
  ],
  "logs-retention-one-year": [
    { title: "unset (never expire is not what the control asks), 364 days; 365 and \"3653\" pass", resource: { aws_cloudwatch_log_group: { a: {}, b: { retention_in_days: 364 }, c: { retention_in_days: 365 }, d: { retention_in_days: "3653" } } }, findings: ["aws_cloudwatch_log_group.a: retention unset days is under a year", "aws_cloudwatch_log_group.b: retention 364 days is under a year"] },
  ],
  "logs-retention-set": [
    { title: "0 is never expire; unset too; 1 day is a retention", resource: { aws_cloudwatch_log_group: { a: { retention_in_days: 0 }, b: {}, c: { retention_in_days: 1 } } }, findings: ["aws_cloudwatch_log_group.a: no retention_in_days", "aws_cloudwatch_log_group.b: no retention_in_days"] },
  ],
  "s3-access-logging": [
    { title: "no logging configuration", resource: { aws_s3_bucket: { b: { bucket: "tracker-x" } } }, findings: ["aws_s3_bucket.b: no server access logging"] },
    { title: "logging configured by the bucket's literal name", resource: { aws_s3_bucket: { b: { bucket: "tracker-x" } }, aws_s3_bucket_logging: { l: { bucket: "tracker-x", target_bucket: "tracker-logs" } } }, findings: [] },
  ],
  "s3-lifecycle": [
    { title: "no lifecycle configuration", resource: { aws_s3_bucket: { b: { bucket: "tracker-x" } } }, findings: ["aws_s3_bucket.b: no lifecycle configuration"] },
    { title: "a lifecycle configuration by the bucket's literal name", resource: { aws_s3_bucket: { b: { bucket: "tracker-x" } }, aws_s3_bucket_lifecycle_configuration: { l: { bucket: "tracker-x", rule: [{ id: "expire", status: "Enabled" }] } } }, findings: [] },
  ],
  "s3-acls-disabled": [
    { title: "ownership controls named by the bucket's literal name, without a rule block", resource: { aws_s3_bucket: { b: { bucket: "tracker-x" } }, aws_s3_bucket_ownership_controls: { o: { bucket: "tracker-x" } } }, findings: ["aws_s3_bucket.b: object ownership is not BucketOwnerEnforced"] },
    { title: "BucketOwnerEnforced, by the bucket's literal name", resource: { aws_s3_bucket: { b: { bucket: "tracker-x" } }, aws_s3_bucket_ownership_controls: { o: { bucket: "tracker-x", rule: [{ object_ownership: "BucketOwnerEnforced" }] } } }, findings: [] },
    { title: "ownership controls that still allow ACLs", resource: { aws_s3_bucket: { b: { bucket: "x" } }, aws_s3_bucket_ownership_controls: { o: { bucket: "x", rule: [{ object_ownership: "BucketOwnerPreferred" }] } } }, findings: ["aws_s3_bucket.b: object ownership is not BucketOwnerEnforced"] },
  ],
  "s3-versioning": [
    { title: "Enabled, named by the bucket's literal name; a versioning resource without its block", resource: { aws_s3_bucket: { on: { bucket: "tracker-on" }, bare: { bucket: "tracker-bare" } }, aws_s3_bucket_versioning: { v: { bucket: "tracker-on", versioning_configuration: [{ status: "Enabled" }] }, w: { bucket: "tracker-bare" } } }, findings: ["aws_s3_bucket.bare: versioning is not Enabled"] },
    { title: "versioning Suspended", resource: { aws_s3_bucket: { b: { bucket: "x" } }, aws_s3_bucket_versioning: { v: { bucket: ref("aws_s3_bucket.b"), versioning_configuration: [{ status: "Suspended" }] } } }, findings: ["aws_s3_bucket.b: versioning is not Enabled"] },
  ],
  "secretsmanager-no-literal-value": [
    { title: "each attribute that can hold a literal", resource: { aws_secretsmanager_secret_version: { v: { secret_string: "a", secret_binary: "YQ==", secret_string_wo: "b" } } }, findings: ["aws_secretsmanager_secret_version.v: secret_string is a literal", "aws_secretsmanager_secret_version.v: secret_binary is a literal", "aws_secretsmanager_secret_version.v: secret_string_wo is a literal"] },
    { title: "values from expressions (an ephemeral password)", resource: { aws_secretsmanager_secret_version: { v: { secret_string_wo: "${ephemeral.aws_secretsmanager_random_password.p.random_password}", secret_string_wo_version: 1 } } }, findings: [] },
  ],
  "sg-no-ssh": [
    { title: "a range over 22, all traffic, udp/22 (counted, as Checkov's CKV_AWS_24 does); not icmp, another range, or egress to 22", resource: { aws_security_group: { g: { ingress: [{ protocol: "tcp", from_port: 20, to_port: 30, cidr_blocks: ["10.0.0.0/8"] }, { protocol: "-1", from_port: 0, to_port: 0, self: true }, { protocol: "udp", from_port: 22, to_port: 22 }, { protocol: "icmp", from_port: -1, to_port: -1 }, { protocol: "tcp", from_port: 23, to_port: 443 }], egress: [{ protocol: "tcp", from_port: 22, to_port: 22 }] } } }, findings: ["aws_security_group.g: ingress[0]: ingress tcp/20-30 includes SSH port 22", "aws_security_group.g: ingress[1]: ingress all traffic includes SSH port 22", "aws_security_group.g: ingress[2]: ingress udp/22 includes SSH port 22"] },
  ],
  "sns-encrypted": [
    { title: "no key, and AWS's own key", resource: { aws_sns_topic: { a: {}, b: { kms_master_key_id: "alias/aws/sns" }, c: { kms_master_key_id: "${aws_kms_key.k.arn}" } } }, findings: ["aws_sns_topic.a: no kms_master_key_id", "aws_sns_topic.b: encrypted with the AWS-managed alias/aws/sns key"] },
  ],
  "vpc-flow-logs": [
    { title: "no flow log; one of ACCEPT traffic only; an adopted VPC's flow log by reference", resource: { aws_vpc: { none: {}, accept: {} }, aws_flow_log: { a: { vpc_id: ref("aws_vpc.accept"), traffic_type: "ACCEPT" }, d: { vpc_id: ref("data.aws_vpc.adopted"), traffic_type: "REJECT" } } }, data: { aws_vpc: { adopted: { id: "vpc-1" } } }, findings: ["aws_vpc.none: no aws_flow_log references this VPC", "aws_vpc.accept: the VPC's flow logs capture neither ALL nor REJECT traffic"] },
  ],
  "waf-web-acl-has-rules": [
    { title: "no rules, or an empty rule_json; rules in rule_json count", resource: { aws_wafv2_web_acl: { a: {}, b: { rule_json: " [] " }, c: { rule_json: "   " }, d: { rule_json: '[{"Name":"x"}]' } } }, findings: ["aws_wafv2_web_acl.a: the web ACL has no rules: it only applies its default action", "aws_wafv2_web_acl.b: the web ACL has no rules: it only applies its default action", "aws_wafv2_web_acl.c: the web ACL has no rules: it only applies its default action"] },
  ],
  "shared-account-no-account-settings": [
    { title: "a default security group found through a subnet, not through a VPC of this stack", resource: { aws_subnet: { s: {} }, aws_default_security_group: { sg: { vpc_id: ref("aws_subnet.s", "vpc_id") } } }, findings: ["aws_default_security_group.sg: vpc_id does not reference a VPC this stack creates: it would take over another VPC's defaults (the default VPC's are every project's)"] },
    {
      title: "a VPC's default network ACL and route table: only of a VPC this stack creates",
      resource: {
        aws_vpc: { v: {} },
        aws_default_network_acl: { own: { default_network_acl_id: ref("aws_vpc.v", "default_network_acl_id") }, other: { default_network_acl_id: "acl-0123" } },
        aws_default_route_table: { own: { default_route_table_id: ref("aws_vpc.v", "default_route_table_id") }, adopted: { default_route_table_id: ref("data.aws_vpc.a", "main_route_table_id") } },
      },
      data: { aws_vpc: { a: { id: "vpc-1" } } },
      findings: [
        "aws_default_network_acl.other: default_network_acl_id does not reference a VPC this stack creates: it would take over another VPC's defaults (the default VPC's are every project's)",
        "aws_default_route_table.adopted: default_route_table_id does not reference a VPC this stack creates: it would take over another VPC's defaults (the default VPC's are every project's)",
      ],
    },
    { title: "a DLM policy that is not a default policy; a policy on this stack's own event bus", resource: { aws_dlm_lifecycle_policy: { p: { policy_details: [{ target_tags: { "tracker:snapshot-policy": "x" } }] } }, aws_cloudwatch_event_bus_policy: { own: { event_bus_name: "${aws_cloudwatch_event_bus.b.name}" } } }, findings: [] },
    { title: "a policy on the bus named default", resource: { aws_cloudwatch_event_bus_policy: { p: { event_bus_name: "default" } } }, findings: ["aws_cloudwatch_event_bus_policy.p: a policy on the default event bus is shared by every project's rules"] },
    { title: "an account type the provider has that the list does not name (aws_account_*)", resource: { aws_account_region: { r: {} } }, findings: ["aws_account_region.r: aws_account_region changes a setting of the whole account (SHR-2): leave it to the account's owners"] },
  ],
  "shared-account-selectors": [
    {
      title: "event patterns: $or needs every branch ours; every value of a list ours; a scalar where a list belongs, a null matcher and a top-level list constrain nothing",
      resource: {
        aws_ecs_cluster: { c: {} },
        aws_cloudwatch_event_rule: {
          orOurs: { event_pattern: JSON.stringify({ $or: [{ detail: { clusterArn: ["${aws_ecs_cluster.c.arn}"] } }, { resources: ["${aws_ecs_cluster.c.arn}"] }] }) },
          orMixed: { event_pattern: JSON.stringify({ $or: [{ detail: { clusterArn: ["${aws_ecs_cluster.c.arn}"] } }, { source: ["aws.ecs"] }] }) },
          mixed: { event_pattern: JSON.stringify({ detail: { clusterArn: ["${aws_ecs_cluster.c.arn}", "arn:aws:ecs:eu-central-1:1:cluster/other"] } }) },
          scalar: { event_pattern: JSON.stringify({ source: "aws.ecs", detail: { clusterArn: ["${aws_ecs_cluster.c.arn}"] } }) },
          nullMatcher: { event_pattern: JSON.stringify({ detail: { clusterArn: [null] } }) },
          listOurs: { event_pattern: JSON.stringify([{ detail: { clusterArn: ["${aws_ecs_cluster.c.arn}"] } }]) },
        },
      },
      findings: [
        "aws_cloudwatch_event_rule.orMixed: event_pattern does not constrain events to this project's resources (filter on a resource of this stack, e.g. detail.clusterArn)",
        "aws_cloudwatch_event_rule.mixed: event_pattern does not constrain events to this project's resources (filter on a resource of this stack, e.g. detail.clusterArn)",
        "aws_cloudwatch_event_rule.nullMatcher: event_pattern does not constrain events to this project's resources (filter on a resource of this stack, e.g. detail.clusterArn)",
        "aws_cloudwatch_event_rule.listOurs: event_pattern does not constrain events to this project's resources (filter on a resource of this stack, e.g. detail.clusterArn)",
      ],
    },
    {
      title: "a backup selection narrowed by our tag key with any value; a selection_tag of ours",
      resource: {
        aws_backup_selection: {
          key: { resources: ["*"], condition: [{ string_equals: [{ key: "aws:ResourceTag/tracker:backup", value: "daily" }] }] },
          tag: { selection_tag: [{ type: "STRINGEQUALS", key: "tracker:backup", value: "daily" }] },
        },
      },
      findings: [],
    },
    { title: "an event-based DLM policy selects no volume; a default policy is the other rule's", resource: { aws_dlm_lifecycle_policy: { e: { policy_details: [{ policy_type: "EVENT_BASED_POLICY" }] }, d: { default_policy: "VOLUME", policy_details: [{}] }, n: {} } }, findings: [] },
    {
      title: "a backup selection narrowed by StringLike on our tag key (with the aws:ResourceTag/ prefix); a condition on a shared tag does not narrow",
      resource: {
        aws_backup_selection: {
          ours: { resources: ["*"], condition: [{ string_like: [{ key: "aws:ResourceTag/tracker:backup", value: "tracker-staging-*" }] }] },
          shared: { resources: ["*"], condition: [{ string_equals: [{ key: "aws:ResourceTag/Environment", value: "staging" }] }] },
        },
      },
      findings: ['aws_backup_selection.shared: resources selects "*", which can match other projects\' resources'],
    },
    {
      title: "event patterns: our cluster by a wildcard matcher, a nested field; a multi-key matcher, a suffix, an empty list, an empty $or do not constrain",
      resource: {
        aws_ecs_cluster: { c: {} },
        aws_cloudwatch_event_rule: {
          wildcard: { event_pattern: JSON.stringify({ detail: { clusterArn: [{ wildcard: "arn:aws:ecs:eu-central-1:1:cluster/tracker-staging-*" }] } }) },
          nested: { event_pattern: JSON.stringify({ detail: { resources: { arn: ["${aws_ecs_cluster.c.arn}"] } } }) },
          twokeys: { event_pattern: JSON.stringify({ detail: { clusterArn: [{ prefix: "arn:aws:ecs:eu-central-1:1:cluster/tracker-staging-", suffix: "x" }] } }) },
          suffix: { event_pattern: JSON.stringify({ detail: { clusterArn: [{ suffix: "/tracker-staging-cluster" }] } }) },
          empty: { event_pattern: JSON.stringify({ detail: { clusterArn: [] } }) },
          noor: { event_pattern: JSON.stringify({ $or: [] }) },
          list: { event_pattern: JSON.stringify([{ source: ["aws.ecs"] }]) },
          unreadable: { event_pattern: "${var.pattern}" },
        },
      },
      findings: [
        "aws_cloudwatch_event_rule.twokeys: event_pattern does not constrain events to this project's resources (filter on a resource of this stack, e.g. detail.clusterArn)",
        "aws_cloudwatch_event_rule.suffix: event_pattern does not constrain events to this project's resources (filter on a resource of this stack, e.g. detail.clusterArn)",
        "aws_cloudwatch_event_rule.empty: event_pattern does not constrain events to this project's resources (filter on a resource of this stack, e.g. detail.clusterArn)",
        "aws_cloudwatch_event_rule.noor: event_pattern does not constrain events to this project's resources (filter on a resource of this stack, e.g. detail.clusterArn)",
        "aws_cloudwatch_event_rule.list: event_pattern does not constrain events to this project's resources (filter on a resource of this stack, e.g. detail.clusterArn)",
        "aws_cloudwatch_event_rule.unreadable: event_pattern cannot be read",
      ],
    },
    {
      title: "SSM targets: an instance of the stack by ID, our tag; a resource group of someone else's",
      resource: {
        aws_instance: { db: {} },
        aws_ssm_association: { a: { targets: [{ key: "InstanceIds", values: [ref("aws_instance.db")] }, { key: "tag:tracker:role", values: ["db-host"] }] } },
        aws_ssm_maintenance_window_target: { t: { targets: [{ key: "resource-groups:Name", values: ["ops-fleet"] }] } },
      },
      findings: ["aws_ssm_maintenance_window_target.t: target resource-groups:Name=ops-fleet can match other projects' instances"],
    },
    { title: "a log subscription filter on a log group of the stack", resource: { aws_cloudwatch_log_group: { g: {} }, aws_cloudwatch_log_subscription_filter: { f: { log_group_name: ref("aws_cloudwatch_log_group.g", "name") } } }, findings: [] },
  ],
  "shared-account-iam-selectors": [
    { title: "a KMS key on its default policy has no selector to check", resource: { aws_kms_key: { k: {} } }, findings: [] },
    {
      title: "a role's trust document is checked once, on the document (also with spaces around the reference); its inline policy on the role",
      data: doc([{ actions: ["ecs:UpdateService"], resources: ["*"], condition: [{ test: "ArnLike", variable: "ecs:cluster", values: ["arn:aws:ecs:*:1:cluster/*"] }] }]),
      resource: {
        aws_iam_role: {
          r: {
            assume_role_policy: " ${data.aws_iam_policy_document.d.json} ",
            inline_policy: [{ name: "x", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "ecs:UpdateService", Resource: "*", Condition: { ArnLike: { "ecs:cluster": "arn:aws:ecs:*:1:cluster/inline-*" } } }] }) }],
          },
        },
      },
      findings: [
        "data.aws_iam_policy_document.d: condition ArnLike ecs:cluster \"arn:aws:ecs:*:1:cluster/*\" matches other projects' names too (begin it with this project's prefix)",
        "aws_iam_role.r: condition ArnLike ecs:cluster \"arn:aws:ecs:*:1:cluster/inline-*\" matches other projects' names too (begin it with this project's prefix)",
      ],
    },
    {
      title: "name patterns under ArnLike, ArnEquals and StringLikeIfExists; ours pass; StringEquals is not a pattern",
      data: doc([
        {
          actions: ["ecs:UpdateService"],
          resources: ["*"],
          condition: [
            { test: "ArnLike", variable: "ecs:cluster", values: ["arn:aws:ecs:*:1:cluster/*"] },
            { test: "ArnEquals", variable: "aws:SourceArn", values: ["arn:aws:ecs:eu-central-1:1:service/tracker-staging-cluster/*"] },
            { test: "StringLikeIfExists", variable: "aws:ResourceTag/Name", values: ["db-*"] },
            { test: "StringEquals", variable: "ecs:cluster", values: ["*"] },
          ],
        },
      ]),
      findings: [
        'data.aws_iam_policy_document.d: condition ArnLike ecs:cluster "arn:aws:ecs:*:1:cluster/*" matches other projects\' names too (begin it with this project\'s prefix)',
        'data.aws_iam_policy_document.d: condition StringLikeIfExists aws:ResourceTag/Name "db-*" matches other projects\' names too (begin it with this project\'s prefix)',
        "data.aws_iam_policy_document.d: selects * by aws:ResourceTag/Name=db-*: no tag only this project's resources carry",
      ],
    },
    {
      title: "a tag narrows only what is not ours already: a named volume and our own log groups are not tag selections",
      data: doc([
        { actions: ["ec2:AttachVolume"], resources: ["arn:aws:ec2:eu-central-1:1:volume/vol-0123456789abcdef0"], condition: [{ test: "StringEquals", variable: "aws:ResourceTag/Environment", values: ["staging"] }] },
        { actions: ["logs:PutLogEvents"], resources: ["arn:aws:logs:eu-central-1:1:log-group:/ecs/tracker-staging*"], condition: [{ test: "StringEquals", variable: "aws:ResourceTag/Environment", values: ["staging"] }] },
      ]),
      findings: [],
    },
    {
      title: "every value of the one project tag must be ours; both wildcard resources and both values are named",
      data: doc([
        {
          actions: ["ec2:StartInstances"],
          resources: ["arn:aws:ec2:*:1:instance/*", "arn:aws:ec2:*:1:volume/*"],
          condition: [{ test: "StringEquals", variable: "aws:ResourceTag/tracker:role", values: ["database-host", "*"] }],
        },
      ]),
      findings: ["data.aws_iam_policy_document.d: selects arn:aws:ec2:*:1:instance/*, arn:aws:ec2:*:1:volume/* by aws:ResourceTag/tracker:role=database-host|*: no tag only this project's resources carry"],
    },
    {
      title: "a tag condition with no value, or a wildcard resource without a tag condition, is not a tag selection; a Deny is never a selector",
      data: doc([
        { actions: ["ec2:StartInstances"], resources: ["arn:aws:ec2:*:1:instance/*"], condition: [{ test: "StringEquals", variable: "aws:ResourceTag/tracker:role", values: [] }] },
        { effect: "Deny", actions: ["ec2:*"], resources: ["*"], condition: [{ test: "StringLike", variable: "aws:ResourceTag/Name", values: ["*"] }] },
      ]),
      findings: ["data.aws_iam_policy_document.d: selects arn:aws:ec2:*:1:instance/* by aws:ResourceTag/tracker:role=: no tag only this project's resources carry"],
    },
    {
      title: "policies held by other resource types are read; a document they reference is read once, on its own; an unreadable policy is a finding",
      resource: {
        aws_kms_key: { k: { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: "logs.amazonaws.com" }, Action: "kms:Decrypt", Resource: "*", Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:*:1:log-group:*" } } }] }) } },
        aws_iam_role: { r: { assume_role_policy: "${data.aws_iam_policy_document.d.json}", inline_policy: [{ name: "x", policy: "${var.p}" }] } },
      },
      data: doc([{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] }] }]),
      findings: [
        'aws_iam_role.r: policy cannot be read',
        'aws_kms_key.k: condition ArnLike kms:EncryptionContext:aws:logs:arn "arn:aws:logs:*:1:log-group:*" matches other projects\' names too (begin it with this project\'s prefix)',
      ],
    },
  ],
};

describe("policy rules: one case per branch", () => {
  it("every rule named here exists", () => {
    const ids = new Set(RULES.map((r) => r.id));
    for (const id of Object.keys(CASES)) expect(ids.has(id), id).toBe(true);
  });

  for (const [id, cases] of Object.entries(CASES)) {
    const rule = RULES.find((r) => r.id === id)!;
    for (const c of cases) {
      it(`${id}: ${c.title}`, () => {
        const findings = runRules({ name: c.stack ?? "fixture", json: json(c) }, [rule]).map((f) => `${f.address}: ${f.message}`);
        expect(findings).toEqual(c.findings);
      });
    }
  }
});
