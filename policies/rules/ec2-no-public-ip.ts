/**
 * Instances get no public IP (NET-4).
 * Sources: Security Hub EC2.9 ("EC2 instances should not have a public IPv4 address"); Checkov
 * CKV_AWS_88 (EC2PublicIP: associate_public_ip_address not true).
 */
import { isTrue, type Rule } from "../engine";
import { STAGING_STACK } from "../stacks";

export const rule: Rule = {
  id: "ec2-no-public-ip",
  mirrors: ["EC2.9", "CKV_AWS_88", "NET-4"],
  description: "aws_instance.associate_public_ip_address is not true.",
  resourceTypes: ["aws_instance"],
  expectedIn: [STAGING_STACK],
  check(instance) {
    return isTrue(instance.config["associate_public_ip_address"]) ? ["associate_public_ip_address = true"] : [];
  },
};
