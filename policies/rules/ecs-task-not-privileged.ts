/**
 * No container runs privileged.
 * Sources: Security Hub ECS.4 ("ECS containers should run as non-privileged"); Checkov
 * CKV_AWS_334 (ECSContainerPrivilege). Note: the Checkov rule as read in
 * checkov/terraform/checks/resource/aws/ECSContainerPrivilege.py tests `container.get("privilege")`
 * while the ECS key is `privileged`, so it never fires; we check the real key.
 * (Likewise CKV_AWS_335 looks for `pidMode` inside each container, where ECS never puts it; see
 * rule ecs-task-no-host-namespaces.) Unreadable container definitions are a finding.
 */
import type { Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "ecs-task-not-privileged",
  mirrors: ["ECS.4", "CKV_AWS_334"],
  description: "No container definition sets privileged: true.",
  resourceTypes: ["aws_ecs_task_definition"],
  expectedIn: ENVIRONMENT_STACKS,
  check(td, ctx) {
    const containers = ctx.containerDefinitions(td);
    if (!containers) return ["container_definitions cannot be read"];
    return containers.filter((c) => c["privileged"] === true).map((c) => `container ${String(c["name"])} is privileged`);
  },
};
