/**
 * HTTPS listeners set the security headers of EDGE-8 through the ALB's response-header attributes:
 * HSTS with a max-age (at least one year in production), `X-Content-Type-Options: nosniff`,
 * `X-Frame-Options` DENY or SAMEORIGIN, and no `Server` header.
 * Sources: EDGE-8; the checks mirror what the OWASP Secure Headers Project and Mozilla Observatory
 * score for these headers (no scanner inspects the ALB listener attributes).
 */
import { asNumber, isFalse, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

const ONE_YEAR = 31_536_000;

export const rule: Rule = {
  id: "lb-https-security-headers",
  mirrors: ["EDGE-8"],
  description:
    "HTTPS aws_lb_listener sets routing_http_response_strict_transport_security_header_value (max-age, >= 1 year in production), x_content_type_options nosniff, x_frame_options DENY/SAMEORIGIN and server_enabled = false.",
  expectedIn: ENVIRONMENT_STACKS,
  resourceTypes: ["aws_lb_listener", "aws_alb_listener"],
  check(listener, ctx) {
    if (listener.config["protocol"] !== "HTTPS") return [];
    const problems: string[] = [];
    const hsts = listener.config["routing_http_response_strict_transport_security_header_value"];
    const maxAge = typeof hsts === "string" ? asNumber(/(?:^|;)\s*max-age=(\d+)/i.exec(hsts)?.[1]) : undefined;
    if (maxAge === undefined) problems.push("no Strict-Transport-Security header with a max-age");
    else if (ctx.isProduction && maxAge < ONE_YEAR) problems.push(`HSTS max-age ${maxAge} is under one year in production`);
    if (listener.config["routing_http_response_x_content_type_options_header_value"] !== "nosniff") {
      problems.push("X-Content-Type-Options is not nosniff");
    }
    if (!["DENY", "SAMEORIGIN"].includes(String(listener.config["routing_http_response_x_frame_options_header_value"] ?? ""))) {
      problems.push("X-Frame-Options is not DENY or SAMEORIGIN");
    }
    if (!isFalse(listener.config["routing_http_response_server_enabled"])) problems.push("the Server header is not removed");
    return problems;
  },
};
