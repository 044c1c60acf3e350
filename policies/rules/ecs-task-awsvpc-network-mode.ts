/**
 * Task definitions use the awsvpc network mode (ECS-3): never host networking, which would share
 * the host's network namespace and bypass task security groups.
 * Sources: Security Hub ECS.1 ("ECS task definitions should have secure networking modes and user
 * definitions": fails for networkMode host with privileged false or user root); Fargate only allows
 * awsvpc, so we require it.
 */
import type { Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "ecs-task-awsvpc-network-mode",
  mirrors: ["ECS.1", "ECS-3"],
  description: "aws_ecs_task_definition.network_mode = awsvpc.",
  resourceTypes: ["aws_ecs_task_definition"],
  expectedIn: ENVIRONMENT_STACKS,
  check(td) {
    const mode = td.config["network_mode"];
    return mode === "awsvpc" ? [] : [`network_mode is ${String(mode ?? "(default bridge)")}`];
  },
};
