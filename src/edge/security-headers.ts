/**
 * EDGE-8: the security headers of every HTTPS response, set by the ALB's HTTPS listener
 * (`routing.http.response.*` listener attributes, `aws_lb_listener.routing_http_response_*` in
 * provider 6.x), not by the applications: the ALB inserts them into the responses of the HTTPS
 * listener and drops its `Server` header, so every service gets the same headers without code. The
 * HTTP listener only redirects to HTTPS (browsers ignore HSTS over plain HTTP), so it sets none.
 */
import type { LbListenerConfig } from "@cdktf/provider-aws/lib/lb-listener";
import type { SecurityHeadersDefinition } from "../config/types";

/** The only value `X-Content-Type-Options` has: browsers do not guess a response's type. */
export const CONTENT_TYPE_OPTIONS = "nosniff";

/** `max-age=<s>[; includeSubDomains][; preload]`, the `Strict-Transport-Security` value. */
export function strictTransportSecurity(headers: SecurityHeadersDefinition): string {
  return [
    `max-age=${headers.hstsMaxAgeSeconds}`,
    ...(headers.hstsIncludeSubdomains ? ["includeSubDomains"] : []),
    ...(headers.hstsPreload ? ["preload"] : []),
  ].join("; ");
}

type SecurityHeaderAttributes = Required<
  Pick<
    LbListenerConfig,
    | "routingHttpResponseStrictTransportSecurityHeaderValue"
    | "routingHttpResponseXContentTypeOptionsHeaderValue"
    | "routingHttpResponseXFrameOptionsHeaderValue"
    | "routingHttpResponseServerEnabled"
  >
>;

/** The HTTPS listener's response-header attributes for an environment's `securityHeaders`. */
export function securityHeaderAttributes(headers: SecurityHeadersDefinition): SecurityHeaderAttributes {
  return {
    routingHttpResponseStrictTransportSecurityHeaderValue: strictTransportSecurity(headers),
    routingHttpResponseXContentTypeOptionsHeaderValue: CONTENT_TYPE_OPTIONS,
    routingHttpResponseXFrameOptionsHeaderValue: headers.frameOptions,
    // false: the ALB removes the `Server` header (the default, true, sends `Server: awselb/2.0`).
    routingHttpResponseServerEnabled: false,
  };
}
