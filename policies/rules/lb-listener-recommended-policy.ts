/**
 * HTTPS/TLS listeners use one of the security policies Security Hub ELB.17 recommends.
 * ELB.17 accepts fewer policies than Checkov CKV_AWS_103: its `sslPolicies` parameter (not
 * customizable) is, in the current Security Hub user guide (elb-controls, "[ELB.17] Application and
 * Network Load Balancers with listeners should use recommended security policies"):
 *   ELBSecurityPolicy-TLS13-1-3-2021-06, ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04,
 *   ELBSecurityPolicy-TLS13-1-2-Res-2021-06, ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04,
 *   ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09, ELBSecurityPolicy-TLS13-1-3-PQ-2025-09,
 *   ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09, ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09.
 * An earlier revision of the same page also listed ELBSecurityPolicy-TLS13-1-2-2021-06 and
 * ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04; the current one no longer does, so the console default
 * ELBSecurityPolicy-TLS13-1-2-2021-06 FAILS ELB.17 today: use ELBSecurityPolicy-TLS13-1-2-Res-2021-06
 * (TLS 1.2 restricted to ECDHE+AES-GCM, plus TLS 1.3), which is "TLS13-1-2-2021-06 or stricter" (EDGE-4).
 */
import type { Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const ELB17_POLICIES: readonly string[] = [
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
];

export const rule: Rule = {
  id: "lb-listener-recommended-policy",
  mirrors: ["ELB.17", "EDGE-4"],
  description: "HTTPS/TLS listeners use an ELB.17-recommended security policy.",
  resourceTypes: ["aws_lb_listener", "aws_alb_listener"],
  expectedIn: ENVIRONMENT_STACKS,
  check(listener) {
    const protocol = String(listener.config["protocol"] ?? "");
    if (protocol !== "HTTPS" && protocol !== "TLS") return [];
    const policy = listener.config["ssl_policy"];
    return typeof policy === "string" && ELB17_POLICIES.includes(policy)
      ? []
      : [`ssl_policy ${String(policy ?? "(default ELBSecurityPolicy-2016-08)")} is not one of ELB.17's recommended policies`];
  },
};
