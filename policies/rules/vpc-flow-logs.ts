/**
 * Every VPC has a flow log capturing at least rejected traffic (NET-5).
 * Sources: Checkov CKV2_AWS_11 (graph check: aws_vpc connected to an aws_flow_log); Security Hub
 * EC2.6 ("VPC flow logging should be enabled in all VPCs", trafficType REJECT by default, ALL passes);
 * Trivy AVD-AWS-0178 (aws-ec2-require-vpc-flow-logs-for-all-vpcs, docs read in aquasecurity/trivy-checks).
 */
import type { Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "vpc-flow-logs",
  mirrors: ["CKV2_AWS_11", "EC2.6", "AVD-AWS-0178", "NET-5"],
  description: "Every VPC (created or adopted) has an aws_flow_log with traffic_type ALL or REJECT.",
  resourceTypes: ["aws_vpc", "data.aws_vpc"],
  expectedIn: ENVIRONMENT_STACKS,
  check(vpc, ctx) {
    const logs = ctx.companions(vpc, "aws_flow_log", "vpc_id");
    if (logs.length === 0) return ["no aws_flow_log references this VPC"];
    const good = logs.some((l) => ["ALL", "REJECT"].includes(String(l.config["traffic_type"] ?? "")));
    return good ? [] : ["the VPC's flow logs capture neither ALL nor REJECT traffic"];
  },
};
