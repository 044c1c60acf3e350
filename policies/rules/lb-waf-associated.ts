/**
 * An internet-facing Application Load Balancer is protected by an AWS WAF web ACL (EDGE-7).
 * Sources: Security Hub ELB.16 ("Application Load Balancers should be associated with an AWS WAF web
 * ACL"); Checkov CKV2_AWS_28 ("Ensure public facing ALB are protected by WAF": graph check of an
 * aws_lb with internal false connected to an aws_wafv2_web_acl_association or aws_wafregional_web_acl_association).
 * Like CKV2_AWS_28, internal load balancers are not required to have one. An environment whose
 * `loadBalancer.waf.enabled` is false carries an exception derived from that switch.
 */
import { isTrue, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "lb-waf-associated",
  mirrors: ["ELB.16", "CKV2_AWS_28", "EDGE-7"],
  description: "An internet-facing application aws_lb has an aws_wafv2_web_acl_association (resource_arn references it).",
  expectedIn: ENVIRONMENT_STACKS,
  resourceTypes: ["aws_lb", "aws_alb"],
  check(lb, ctx) {
    const type = lb.config["load_balancer_type"];
    if ((type !== undefined && type !== "application") || isTrue(lb.config["internal"])) return [];
    const associations = [
      ...ctx.companions(lb, "aws_wafv2_web_acl_association", "resource_arn", ["arn"]),
      ...ctx.companions(lb, "aws_wafregional_web_acl_association", "resource_arn", ["arn"]),
    ];
    return associations.length > 0 ? [] : ["no WAF web ACL is associated with this internet-facing load balancer"];
  },
};
