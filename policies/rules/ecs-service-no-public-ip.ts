/**
 * ECS services never give tasks a public IP (NET-4, ECS-3).
 * Sources: Security Hub ECS.2 ("ECS services should not have public IP addresses assigned to
 * them automatically"); Checkov CKV_AWS_333 (ECSServicePublicIP: network_configuration.assign_public_ip
 * must not be true).
 */
import { block, isTrue, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "ecs-service-no-public-ip",
  mirrors: ["ECS.2", "CKV_AWS_333", "NET-4"],
  description: "aws_ecs_service network_configuration.assign_public_ip is not true.",
  resourceTypes: ["aws_ecs_service"],
  expectedIn: ENVIRONMENT_STACKS,
  check(service) {
    return isTrue(block(service.config["network_configuration"])?.["assign_public_ip"]) ? ["assign_public_ip = true"] : [];
  },
};
