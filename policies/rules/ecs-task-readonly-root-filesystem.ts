/**
 * Containers mount their root filesystem read-only (writes go to declared volumes or tmpfs).
 * Sources: Security Hub ECS.5 ("ECS task definitions should configure containers to be limited to
 * read-only access to root filesystems"); Checkov CKV_AWS_336 (ECSContainerReadOnlyRoot, read:
 * fails when any container lacks readonlyRootFilesystem: true).
 */
import type { Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "ecs-task-readonly-root-filesystem",
  mirrors: ["ECS.5", "CKV_AWS_336"],
  description: "Every container sets readonlyRootFilesystem: true.",
  resourceTypes: ["aws_ecs_task_definition"],
  expectedIn: ENVIRONMENT_STACKS,
  check(td, ctx) {
    const containers = ctx.containerDefinitions(td);
    if (!containers) return ["container_definitions cannot be read"];
    return containers
      .filter((c) => c["readonlyRootFilesystem"] !== true)
      .map((c) => `container ${String(c["name"])} has a writable root filesystem`);
  },
};
