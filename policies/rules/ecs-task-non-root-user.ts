/**
 * Containers that name a user do not name root. An absent `user` leaves the choice to the image
 * (the application repositories' Dockerfiles set a non-root USER; this suite cannot see images).
 * Sources: Security Hub ECS.1 (a user of root is one of its failing conditions).
 */
import type { Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

const ROOT = /^(root|0)(:.*)?$/;

export const rule: Rule = {
  id: "ecs-task-non-root-user",
  mirrors: ["ECS.1"],
  description: "No container definition sets user to root or 0.",
  resourceTypes: ["aws_ecs_task_definition"],
  expectedIn: ENVIRONMENT_STACKS,
  check(td, ctx) {
    const containers = ctx.containerDefinitions(td);
    if (!containers) return ["container_definitions cannot be read"];
    return containers
      .filter((c) => typeof c["user"] === "string" && ROOT.test(c["user"] as string))
      .map((c) => `container ${String(c["name"])} runs as ${String(c["user"])}`);
  },
};
