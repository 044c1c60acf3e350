/**
 * No ingress from 0.0.0.0/0 or ::/0 except tcp/80 and tcp/443 (SG-6: only the ALB's web ports
 * are public).
 * Sources: Security Hub EC2.18 ("Security groups should only allow unrestricted incoming traffic
 * for authorized ports", default authorized ports 80 and 443) and EC2.19 (no unrestricted access to
 * high-risk ports); Checkov CKV_AWS_24 (22), CKV_AWS_25 (3389), CKV_AWS_260 (80 - we accept 80 for
 * the HTTP->HTTPS redirect only, see rule alb-http-redirects-to-https), CKV_AWS_277 (all ports),
 * read in checkov's AbsSecurityGroupUnrestrictedIngress; Trivy AVD-AWS-0107
 * (aws-ec2-no-public-ingress-sgr). Rule resources of all three forms are normalized
 * (inline blocks, aws_vpc_security_group_ingress_rule, aws_security_group_rule).
 */
import { SECURITY_GROUP_RULE_TYPES, isOpenCidr, portLabel, securityGroupRules } from "../aws";
import type { Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

const AUTHORIZED_PORTS = [80, 443];

export const rule: Rule = {
  id: "sg-no-public-ingress",
  mirrors: ["EC2.18", "EC2.19", "CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277", "AVD-AWS-0107", "SG-6"],
  description: "Ingress from 0.0.0.0/0 or ::/0 is allowed only on tcp/80 and tcp/443.",
  resourceTypes: SECURITY_GROUP_RULE_TYPES,
  expectedIn: ENVIRONMENT_STACKS,
  check(resource) {
    const out: string[] = [];
    for (const r of securityGroupRules(resource)) {
      if (r.direction !== "ingress") continue;
      const open = r.cidrs.filter(isOpenCidr);
      if (open.length === 0) continue;
      const authorized =
        r.protocol === "tcp" && r.fromPort !== undefined && r.fromPort === r.toPort && AUTHORIZED_PORTS.includes(r.fromPort);
      if (!authorized) out.push(`${r.where}: ingress ${portLabel(r)} from ${open.join(", ")}`);
    }
    return out;
  },
};
