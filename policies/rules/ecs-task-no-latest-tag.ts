/**
 * Images are pinned: no `:latest` tag and no untagged image in a task definition (ECS-11; in CI
 * the tag is a commit SHA). An image given as an expression (variable) passes here; the
 * variable's own default is checked by the services tests.
 * Sources: REQUIREMENTS ECS-11; the common "image uses latest tag" check of Trivy's Kubernetes and
 * Dockerfile rule sets (DS001) applied to ECS.
 */
import type { Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "ecs-task-no-latest-tag",
  mirrors: ["ECS-11", "DS001"],
  description: "No container image ends in :latest or lacks a tag/digest.",
  resourceTypes: ["aws_ecs_task_definition"],
  expectedIn: ENVIRONMENT_STACKS,
  check(td, ctx) {
    const containers = ctx.containerDefinitions(td);
    if (!containers) return ["container_definitions cannot be read"];
    const out: string[] = [];
    for (const c of containers) {
      const image = String(c["image"] ?? "");
      if (image.endsWith("}")) continue; // ends in an expression: the tag is an input
      const last = image.split("/").pop() ?? "";
      if (image.endsWith(":latest")) out.push(`container ${String(c["name"])} uses :latest`);
      else if (!last.includes(":") && !last.includes("@")) out.push(`container ${String(c["name"])} image ${image} has no tag`);
    }
    return out;
  },
};
