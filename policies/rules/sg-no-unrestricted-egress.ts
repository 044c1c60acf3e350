/**
 * Egress to the internet (0.0.0.0/0, ::/0) is limited to tcp/443; no "all traffic anywhere" rule.
 * Tasks and the database host reach ECR, Secrets Manager, SSM, CloudWatch Logs and package mirrors
 * over HTTPS through NAT, so 443 to the world is needed; everything else goes to security groups
 * or VPC CIDRs. This is looser than Trivy AVD-AWS-0104 (aws-ec2-no-public-egress-sgr, which flags
 * any public egress) and stricter than Checkov CKV_AWS_382 ("no unrestricted egress", all ports).
 * Sources: trivy-checks avd_docs/aws/ec2/AVD-AWS-0104; checkov AbsSecurityGroupUnrestrictedEgress.
 */
import { SECURITY_GROUP_RULE_TYPES, isOpenCidr, portLabel, securityGroupRules } from "../aws";
import type { Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "sg-no-unrestricted-egress",
  mirrors: ["AVD-AWS-0104", "CKV_AWS_382"],
  description: "Egress to 0.0.0.0/0 or ::/0 only on tcp/443.",
  resourceTypes: SECURITY_GROUP_RULE_TYPES,
  expectedIn: ENVIRONMENT_STACKS,
  check(resource) {
    const out: string[] = [];
    for (const r of securityGroupRules(resource)) {
      if (r.direction !== "egress") continue;
      const open = r.cidrs.filter(isOpenCidr);
      if (open.length === 0) continue;
      const https = r.protocol === "tcp" && r.fromPort === 443 && r.toPort === 443;
      if (!https) out.push(`${r.where}: egress ${portLabel(r)} to ${open.join(", ")}`);
    }
    return out;
  },
};
