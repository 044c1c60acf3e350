/**
 * The default security group of each VPC is taken over and emptied (no ingress, no egress), so
 * nothing that lands in it by accident can talk.
 * Sources: Checkov CKV2_AWS_12 (graph check: aws_vpc must have an aws_default_security_group with
 * no ingress/egress); Security Hub EC2.2 ("VPC default security groups should not allow inbound or
 * outbound traffic"); Trivy AVD-AWS-0173 (docs: "Configuring all VPC default security groups to
 * restrict all traffic").
 * An adopted VPC (`data.aws_vpc`) is followed too: its default security group belongs to the VPC's
 * owner and is not emptied here, which is reported so that adopting a VPC is a recorded decision.
 */
import { blocks, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "vpc-default-security-group-closed",
  mirrors: ["CKV2_AWS_12", "EC2.2", "AVD-AWS-0173"],
  description: "Each created VPC has an aws_default_security_group with no ingress and no egress rules.",
  resourceTypes: ["aws_vpc", "aws_default_security_group", "data.aws_vpc"],
  expectedIn: ENVIRONMENT_STACKS,
  check(resource, ctx) {
    if (resource.type === "data.aws_vpc") {
      return ["the adopted VPC's default security group is its owner's: this stack does not manage or empty it"];
    }
    if (resource.type === "aws_default_security_group") {
      const open = ["ingress", "egress"].filter((k) => blocks(resource.config[k]).length > 0);
      return open.map((k) => `the default security group declares ${k} rules`);
    }
    return ctx.companions(resource, "aws_default_security_group", "vpc_id").length > 0
      ? []
      : ["the VPC's default security group is not managed (and so not emptied) by an aws_default_security_group"];
  },
};
