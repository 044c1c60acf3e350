/**
 * Load balancers are internal unless they are meant to be the public edge.
 * Sources: Trivy AVD-AWS-0053 (aws-elb-alb-not-public: "Load balancer is exposed to the internet",
 * fails when internal is false; avd_docs/aws/elb/AVD-AWS-0053 in aquasecurity/trivy-checks).
 * The tracker ALB is the public edge by design (EDGE-1): it carries a recorded exception.
 */
import { isTrue, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "lb-not-internet-facing",
  mirrors: ["AVD-AWS-0053"],
  description: "aws_lb.internal = true (internet-facing load balancers need an exception).",
  resourceTypes: ["aws_lb", "aws_alb"],
  expectedIn: ENVIRONMENT_STACKS,
  check(lb) {
    return isTrue(lb.config["internal"]) ? [] : ["the load balancer is internet-facing"];
  },
};
