/**
 * Plain HTTP listeners only redirect to HTTPS (EDGE-4: 80 -> 443, 301).
 * Sources: Security Hub ELB.1 ("Application Load Balancer should be configured to redirect all
 * HTTP requests to HTTPS"); Checkov CKV2_AWS_20 (graph: ALB HTTP listener redirects to HTTPS) and
 * CKV_AWS_2 (ALBListenerHTTPS: protocol HTTPS/TLS/TCP/UDP/GENEVE, or a default_action redirect with
 * protocol HTTPS); Trivy AVD-AWS-0054 (aws-elb-http-not-used). Every HTTP listener of every aws_lb
 * is checked, so a load balancer without one passes.
 */
import { block, blocks, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "alb-http-redirects-to-https",
  mirrors: ["ELB.1", "CKV2_AWS_20", "CKV_AWS_2", "AVD-AWS-0054", "EDGE-4"],
  description: "aws_lb_listener with protocol HTTP has a default redirect action to HTTPS (and nothing else).",
  resourceTypes: ["aws_lb_listener", "aws_alb_listener"],
  expectedIn: ENVIRONMENT_STACKS,
  check(listener) {
    const protocol = String(listener.config["protocol"] ?? (listener.config["certificate_arn"] ? "HTTPS" : "HTTP"));
    if (protocol !== "HTTP") return [];
    const actions = blocks(listener.config["default_action"]);
    const redirects = actions.length > 0 && actions.every((a) => a["type"] === "redirect" && block(a["redirect"])?.["protocol"] === "HTTPS");
    return redirects ? [] : ["HTTP listener does not redirect to HTTPS"];
  },
};
