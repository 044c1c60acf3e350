/**
 * A service behind the load balancer deploys as a canary whose traffic ECS shifts (DLV-1): its
 * deployment strategy is CANARY; its load balancer block names an alternate target group, a
 * production listener rule and the role ECS shifts with; that rule forwards to both target groups,
 * and Terraform ignores changes to the rule's `action` so that it never puts back weights ECS moved
 * (a plan after a release would otherwise send all traffic to a group that may be empty).
 * Sources: REQUIREMENTS DLV-1; AWS ECS developer guide, "Application Load Balancer resources for
 * blue/green, linear, and canary deployments". No scanner has this as a control; it is a project rule.
 */
import { block, blocks, stringList, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "ecs-service-canary-traffic",
  mirrors: ["DLV-1"],
  description:
    "aws_ecs_service with a load balancer uses strategy CANARY with advanced_configuration (alternate target group, production listener rule, role); the rule forwards to both groups and ignores changes to its action.",
  expectedIn: ENVIRONMENT_STACKS,
  resourceTypes: ["aws_ecs_service"],
  check(service, context) {
    const balancers = blocks(service.config["load_balancer"]);
    if (balancers.length === 0) return [];
    const out: string[] = [];
    if (block(service.config["deployment_configuration"])?.["strategy"] !== "CANARY") out.push("deployment_configuration.strategy is not CANARY");
    for (const lb of balancers) {
      const advanced = block(lb["advanced_configuration"]);
      if (!advanced?.["alternate_target_group_arn"] || !advanced["production_listener_rule"] || !advanced["role_arn"]) {
        out.push("load_balancer has no advanced_configuration with alternate_target_group_arn, production_listener_rule and role_arn");
        continue;
      }
      const rule = context.resolve(advanced["production_listener_rule"]);
      if (!rule || rule.type !== "aws_lb_listener_rule") {
        out.push("production_listener_rule does not name an aws_lb_listener_rule of this stack");
        continue;
      }
      const ignored = stringList(block(rule.config["lifecycle"])?.["ignore_changes"]);
      if (!ignored.includes("action") && !ignored.includes("all")) out.push(`${rule.address} does not ignore changes to its action (ECS owns the weights)`);
      const forwarded = blocks(rule.config["action"]).flatMap((a) => blocks(block(a["forward"])?.["target_group"]).map((g) => g["arn"]));
      for (const [what, arn] of [["target_group_arn", lb["target_group_arn"]], ["alternate_target_group_arn", advanced["alternate_target_group_arn"]]] as const) {
        if (!forwarded.includes(arn)) out.push(`${rule.address} does not forward to the service's ${what}`);
      }
    }
    return out;
  },
};
