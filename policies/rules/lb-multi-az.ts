/**
 * Load balancers span at least two Availability Zones (NET-2).
 * Sources: Security Hub ELB.13 ("Application, Network and Gateway Load Balancers should span
 * multiple Availability Zones", minimum 2). A subnet list given as one unresolved expression
 * cannot be counted here and passes (the network tests prove two AZs).
 */
import { blocks, isToken, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "lb-multi-az",
  mirrors: ["ELB.13", "NET-2"],
  description: "aws_lb lists at least two subnets.",
  resourceTypes: ["aws_lb", "aws_alb"],
  expectedIn: ENVIRONMENT_STACKS,
  check(lb) {
    const subnets = lb.config["subnets"];
    const mappings = blocks(lb.config["subnet_mapping"]);
    if (Array.isArray(subnets)) return subnets.length >= 2 ? [] : [`only ${subnets.length} subnet(s)`];
    if (isToken(subnets)) return [];
    if (mappings.length > 0) return mappings.length >= 2 ? [] : ["only one subnet mapping"];
    return ["no subnets"];
  },
};
