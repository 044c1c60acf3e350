/**
 * The execution role (pull image, write logs, read secrets) and the task role (what the app
 * calls) are different roles (ECS-10).
 * Sources: Checkov CKV_AWS_249 (ECSTaskDefinitionRoleCheck, read: fails when execution_role_arn ==
 * task_role_arn).
 */
import type { Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "ecs-task-distinct-roles",
  mirrors: ["CKV_AWS_249", "ECS-10"],
  description: "execution_role_arn and task_role_arn differ.",
  resourceTypes: ["aws_ecs_task_definition"],
  expectedIn: ENVIRONMENT_STACKS,
  check(td) {
    const exec = td.config["execution_role_arn"];
    const task = td.config["task_role_arn"];
    return exec !== undefined && exec === task ? ["execution_role_arn equals task_role_arn"] : [];
  },
};
