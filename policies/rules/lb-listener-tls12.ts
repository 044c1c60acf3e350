/**
 * HTTPS/TLS listeners negotiate TLS 1.2 or later.
 * Sources: Checkov CKV_AWS_103 (AppLoadBalancerTLS12, read in
 * checkov/terraform/checks/resource/aws/AppLoadBalancerTLS12.py: HTTPS/TLS listeners pass when
 * ssl_policy starts with ELBSecurityPolicy-FS-1-2 or ELBSecurityPolicy-TLS-1-2; HTTP passes only
 * when redirecting to HTTPS). That version does not know the TLS13 policy family, which also floors
 * at TLS 1.2, so we accept `ELBSecurityPolicy-TLS13-1-2-*` and `-TLS13-1-3-*` too. Trivy
 * AVD-AWS-0047 (aws-elb-use-secure-tls-policy) flags the outdated TLS 1.0/1.1 policies. A listener
 * without ssl_policy gets ELBSecurityPolicy-2016-08 (TLS 1.0) and fails.
 */
import type { Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

const TLS12_PREFIXES = [
  "ELBSecurityPolicy-FS-1-2",
  "ELBSecurityPolicy-TLS-1-2",
  "ELBSecurityPolicy-TLS13-1-2",
  "ELBSecurityPolicy-TLS13-1-3",
];

export const rule: Rule = {
  id: "lb-listener-tls12",
  mirrors: ["CKV_AWS_103", "AVD-AWS-0047", "EDGE-4"],
  description: "HTTPS/TLS listeners use a TLS 1.2+ security policy.",
  resourceTypes: ["aws_lb_listener", "aws_alb_listener"],
  expectedIn: ENVIRONMENT_STACKS,
  check(listener) {
    const protocol = String(listener.config["protocol"] ?? "");
    if (protocol !== "HTTPS" && protocol !== "TLS") return [];
    const policy = listener.config["ssl_policy"];
    if (typeof policy !== "string") return ["no ssl_policy (the default ELBSecurityPolicy-2016-08 allows TLS 1.0)"];
    return TLS12_PREFIXES.some((p) => policy.startsWith(p)) ? [] : [`ssl_policy ${policy} allows TLS below 1.2`];
  },
};
