/**
 * Workloads and file systems live in private subnets (NET-2, NET-4, ECS-3): ECS services, EC2
 * instances and EFS mount targets never sit in a subnet routed to the internet gateway.
 * Sources: Security Hub EFS.6 ("EFS mount targets should not be associated with a public subnet":
 * a subnet whose route table routes to an internet gateway); REQUIREMENTS NET-2/NET-4/ECS-3 for
 * services and the database host. Subnets are judged through aws_route_table_association ->
 * aws_route_table -> route to aws_internet_gateway.
 */
import { isPublicSubnet } from "../aws";
import { block, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "workloads-in-private-subnets",
  mirrors: ["EFS.6", "NET-2", "NET-4", "ECS-3"],
  description: "aws_ecs_service, aws_instance and aws_efs_mount_target subnets have no route to an internet gateway.",
  resourceTypes: ["aws_ecs_service", "aws_instance", "aws_efs_mount_target"],
  expectedIn: ENVIRONMENT_STACKS,
  check(resource, ctx) {
    const value =
      resource.type === "aws_ecs_service" ? block(resource.config["network_configuration"])?.["subnets"] : resource.config["subnet_id"];
    return ctx
      .referenced(value)
      .filter((s) => s.type === "aws_subnet" && isPublicSubnet(s, ctx))
      .map((s) => `placed in public subnet ${s.address}`);
  },
};
