/**
 * No subnet hands out public IPs automatically (NET-4: no task or host gets a public IP; public
 * subnets host only the ALB and NAT, which have their own addresses).
 * Sources: Security Hub EC2.15 ("EC2 subnets should not automatically assign public IP
 * addresses"); Checkov CKV_AWS_130 (SubnetPublicIP: map_public_ip_on_launch must not be true);
 * Trivy AVD-AWS-0164 (aws-ec2-no-public-ip-subnet).
 * Adopted subnets (`data.aws_subnet`) are not configured here, so their lookup must require
 * `map-public-ip-on-launch = false` (an EC2 DescribeSubnets filter): a subnet that maps public IPs
 * then fails the plan instead of being adopted.
 */
import { blocks, isTrue, stringList, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "subnet-no-public-ip-on-launch",
  mirrors: ["EC2.15", "CKV_AWS_130", "AVD-AWS-0164", "NET-4"],
  description: "aws_subnet.map_public_ip_on_launch is not true; data.aws_subnet lookups require map-public-ip-on-launch = false.",
  resourceTypes: ["aws_subnet", "data.aws_subnet"],
  expectedIn: ENVIRONMENT_STACKS,
  check(subnet) {
    if (subnet.kind === "data") {
      const pinned = blocks(subnet.config["filter"]).some((f) => {
        const values = stringList(f["values"]);
        return f["name"] === "map-public-ip-on-launch" && values.length > 0 && values.every((v) => v === "false");
      });
      return pinned
        ? []
        : ["the lookup does not require map-public-ip-on-launch = false, so it would adopt a subnet that gives instances public IPs"];
    }
    return isTrue(subnet.config["map_public_ip_on_launch"]) ? ["map_public_ip_on_launch = true"] : [];
  },
};
