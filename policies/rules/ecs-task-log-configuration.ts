/**
 * Every container ships its logs (ECS-4, OBS-1): a logConfiguration with a log driver.
 * Sources: Security Hub ECS.9 ("ECS task definitions should have a logging configuration": fails
 * when a container definition has no logConfiguration/logDriver).
 */
import type { Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "ecs-task-log-configuration",
  mirrors: ["ECS.9", "ECS-4", "OBS-1"],
  description: "Every container has logConfiguration.logDriver.",
  resourceTypes: ["aws_ecs_task_definition"],
  expectedIn: ENVIRONMENT_STACKS,
  check(td, ctx) {
    const containers = ctx.containerDefinitions(td);
    if (!containers) return ["container_definitions cannot be read"];
    return containers
      .filter((c) => {
        const lc = c["logConfiguration"] as Record<string, unknown> | undefined;
        return !lc || typeof lc["logDriver"] !== "string";
      })
      .map((c) => `container ${String(c["name"])} has no logConfiguration`);
  },
};
