/**
 * No subnet hands out public IPs automatically (NET-4: no task or host gets a public IP; public
 * subnets host only the ALB and NAT, which have their own addresses).
 * Sources: Security Hub EC2.15 ("EC2 subnets should not automatically assign public IP
 * addresses"); Checkov CKV_AWS_130 (SubnetPublicIP: map_public_ip_on_launch must not be true);
 * Trivy AVD-AWS-0164 (aws-ec2-no-public-ip-subnet).
 */
import { isTrue, type Rule } from "../engine";

export const rule: Rule = {
  id: "subnet-no-public-ip-on-launch",
  mirrors: ["EC2.15", "CKV_AWS_130", "AVD-AWS-0164", "NET-4"],
  description: "aws_subnet.map_public_ip_on_launch is not true.",
  resourceTypes: ["aws_subnet"],
  check(subnet) {
    return isTrue(subnet.config["map_public_ip_on_launch"]) ? ["map_public_ip_on_launch = true"] : [];
  },
};
