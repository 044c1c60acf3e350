/**
 * Deployments stop and roll back by themselves (ECS-6): circuit breaker with rollback, and
 * CloudWatch-alarm rollback.
 * Sources: REQUIREMENTS ECS-6 and CD-4; AWS's ECS deployment best practice (the deployment circuit
 * breaker). No scanner has this as a control; it is a project rule.
 */
import { block, isTrue, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "ecs-service-circuit-breaker",
  mirrors: ["ECS-6", "CD-4"],
  description: "aws_ecs_service has deployment_circuit_breaker {enable, rollback} and alarms {enable, rollback}.",
  resourceTypes: ["aws_ecs_service"],
  expectedIn: ENVIRONMENT_STACKS,
  check(service) {
    const out: string[] = [];
    const breaker = block(service.config["deployment_circuit_breaker"]);
    if (!isTrue(breaker?.["enable"]) || !isTrue(breaker?.["rollback"])) out.push("deployment circuit breaker with rollback is not enabled");
    const alarms = block(service.config["alarms"]);
    if (!isTrue(alarms?.["enable"]) || !isTrue(alarms?.["rollback"])) out.push("alarm-based rollback is not enabled");
    return out;
  },
};
