/**
 * Tasks do not share the host's process or IPC namespace.
 * Sources: Security Hub ECS.3 ("ECS task definitions should not share the host's process
 * namespace"); Checkov CKV_AWS_335 (ECSContainerHostProcess). As read in
 * checkov/terraform/checks/resource/aws/ECSContainerHostProcess.py, Checkov looks for `pidMode`
 * inside each container definition, but ECS sets it on the task (`pid_mode` in Terraform), so that
 * check cannot fire on real Terraform; we check the task attributes.
 */
import type { Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "ecs-task-no-host-namespaces",
  mirrors: ["ECS.3", "CKV_AWS_335"],
  description: "aws_ecs_task_definition pid_mode and ipc_mode are not host.",
  resourceTypes: ["aws_ecs_task_definition"],
  expectedIn: ENVIRONMENT_STACKS,
  check(td) {
    return ["pid_mode", "ipc_mode"].filter((k) => td.config[k] === "host").map((k) => `${k} = host`);
  },
};
