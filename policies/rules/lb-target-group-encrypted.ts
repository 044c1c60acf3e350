/**
 * Target groups use an encrypted protocol to their targets, and encrypted health checks.
 * Sources: Security Hub ELB.22 ("ELB target groups should use encrypted transport protocols":
 * HTTPS, TLS or QUIC; not applicable to lambda/alb targets) and ELB.21 ("target groups should use
 * encrypted health check protocols": HTTPS), read in the Security Hub user guide's elb-controls.
 * The tracker terminates TLS at the ALB and speaks HTTP to tasks inside private subnets: a recorded
 * exception, reviewed when the services can serve TLS themselves.
 */
import { block, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "lb-target-group-encrypted",
  mirrors: ["ELB.22", "ELB.21"],
  description: "aws_lb_target_group protocol and health-check protocol are HTTPS/TLS.",
  resourceTypes: ["aws_lb_target_group", "aws_alb_target_group"],
  expectedIn: ENVIRONMENT_STACKS,
  check(tg) {
    const type = tg.config["target_type"] ?? "instance";
    if (type === "lambda" || type === "alb") return [];
    const out: string[] = [];
    const protocol = String(tg.config["protocol"] ?? "HTTP");
    if (!["HTTPS", "TLS", "QUIC"].includes(protocol)) out.push(`protocol ${protocol} is not encrypted`);
    const hc = block(tg.config["health_check"]);
    const hcProtocol = String(hc?.["protocol"] ?? (protocol === "HTTPS" ? "HTTPS" : "HTTP"));
    if (hc?.["enabled"] !== false && hcProtocol !== "HTTPS") out.push(`health check protocol ${hcProtocol} is not HTTPS`);
    return out;
  },
};
