/**
 * The public Application Load Balancer (EDGE-4..EDGE-6): internet-facing in the public subnets,
 * HTTP 80 answering only with a 301 to HTTPS, HTTPS 443 with an ELB.17-recommended TLS policy and
 * the validated certificate, a fixed 404 for hosts it does not know, and one host-header rule and
 * `ip` target group per public web service of the catalog. The admin panel is limited to
 * `loadBalancer.adminAllowedCidrs` when that list is not empty (everyone else gets 403).
 *
 * DLV-1: each public web service has two target groups of identical shape (the ECS service's
 * primary one and its alternate one for ECS's canary deployments) and exactly one forwarding rule,
 * its production listener rule, which forwards to both with weights (100/0 at creation). ECS moves
 * the weights during a canary and swaps the roles of the groups after each deployment, so Terraform
 * ignores changes to that rule's `action` (it would otherwise put the weights back to 100/0 and
 * send every request to a group that may have no tasks left). The HTTPS
 * listener sets the security headers of `loadBalancer.securityHeaders` (EDGE-8, `security-headers.ts`);
 * the WAF web ACL (EDGE-7) is its own construct (`web-acl.ts`), associated by the stack.
 */
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule, type LbListenerRuleAction } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { Construct } from "constructs";
import { resourceName } from "../config/naming";
import type { EnvironmentDefinition, ServiceDefinition, ServiceName } from "../config/types";
import { AccessLogBucket } from "./access-log-bucket";
import { hostnameOf, proxiedByCloudflare, publicWebServices } from "./hostnames";
import { securityHeaderAttributes } from "./security-headers";
import { targetGroupName } from "./target-group-name";

/**
 * TLS 1.3 plus TLS 1.2 restricted to ECDHE with AES-GCM: "TLS13-1-2-2021-06 or stricter" (EDGE-4)
 * and on the list Security Hub ELB.17 accepts (the plain TLS13-1-2-2021-06 no longer is).
 */
export const HTTPS_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06";

/** The service whose hostname `adminAllowedCidrs` restricts (EDGE-5). */
export const RESTRICTED_SERVICE: ServiceName = "admin";

/** Listener rule priorities: a block of this many per catalog row, in catalog order. */
export const PRIORITY_BLOCK = 10;

/** ALB limit: five condition values per rule, three per condition (one goes to the host). */
export const SOURCE_IPS_PER_RULE = 3;

/**
 * How many `adminAllowedCidrs` fit (validation refuses more): the source-IP values of the admin
 * host's one forwarding rule. One rule, because ECS shifts the weights of exactly one production
 * listener rule per service (DLV-1); a second forwarding rule would keep naming the old target group.
 */
export const MAX_ADMIN_ALLOWED_CIDRS = SOURCE_IPS_PER_RULE;

/** The weights of a production listener rule as Terraform creates it; ECS changes them afterwards. */
export const INITIAL_WEIGHTS = { primary: 100, alternate: 0 } as const;

export interface LoadBalancerProps {
  /** Name, account, hostnames (`dns.hostnames`) and `loadBalancer` settings of the environment. */
  readonly environment: EnvironmentDefinition;
  /** The service catalog; every `public-web` row gets a target group and a host rule. */
  readonly catalog: readonly ServiceDefinition[];
  readonly vpcId: string;
  /** The public subnets, one per availability zone (at least two). */
  readonly publicSubnetIds: readonly string[];
  /** The ALB's security group (`SecurityGroupMatrix.alb`). */
  readonly securityGroupId: string;
  /** The validated certificate (`Certificate.certificateArn`). */
  readonly certificateArn: string;
  /** Seconds an idle connection is kept open. @default 60 */
  readonly idleTimeoutSeconds?: number;
  /** HTTP desync mitigation (ELB.12 accepts `defensive` and `strictest`). @default "defensive" */
  readonly desyncMitigationMode?: "defensive" | "strictest";
  /** Seconds a deregistering target keeps draining (EDGE-6: short, so deploys are quick). @default 30 */
  readonly deregistrationDelaySeconds?: number;
  /** Days access logs are kept, when `loadBalancer.accessLogs` is on. @default - `environment.logRetentionDays` */
  readonly accessLogRetentionDays?: number;
}

interface Route {
  readonly service: ServiceDefinition;
  readonly hostname: string;
  readonly targetGroup: LbTargetGroup;
  readonly alternateTargetGroup: LbTargetGroup;
  readonly basePriority: number;
}

/** A public web service's two target groups, in the roles Terraform creates them in (ECS swaps them). */
export interface TargetGroupPair {
  readonly primary: LbTargetGroup;
  readonly alternate: LbTargetGroup;
}

export class LoadBalancer extends Construct {
  readonly loadBalancer: Lb;
  readonly loadBalancerArn: string;
  /** `app/<name>/<id>`, the `LoadBalancer` dimension of ALB CloudWatch metrics. */
  readonly loadBalancerArnSuffix: string;
  /** The ALB's DNS name, the target of the public CNAMEs. */
  readonly dnsName: string;
  /** The ALB's canonical hosted zone ID (for Route 53 aliases). */
  readonly zoneId: string;
  readonly httpListenerArn: string;
  readonly httpsListenerArn: string;
  /** Every host rule of the HTTPS listener. An ECS service must depend on them: AWS refuses a
   * service whose target group is not yet attached to a load balancer. */
  readonly listenerRules: readonly LbListenerRule[];
  /** The access log bucket, when the environment asks for access logs. */
  readonly accessLogBucket?: AccessLogBucket;
  /** The services that have a target group, in catalog order. */
  readonly services: readonly ServiceName[];

  private readonly targetGroups: ReadonlyMap<ServiceName, TargetGroupPair>;
  private readonly productionRules: ReadonlyMap<ServiceName, LbListenerRule>;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const env = props.environment;
    const lbSettings = env.loadBalancer;
    const name = resourceName(env.name, "alb");

    // A source-IP rule sees Cloudflare's addresses on a proxied name, never the client's.
    const admin = props.catalog.find((s) => s.name === RESTRICTED_SERVICE && s.kind === "public-web");
    if (admin && lbSettings.adminAllowedCidrs.length > 0) {
      const hostname = hostnameOf(env.dns, admin.name);
      if (proxiedByCloudflare(hostname, env.dns.zoneName)) {
        throw new Error(
          `edge: ${env.name}.loadBalancer.adminAllowedCidrs cannot restrict ${hostname}: Cloudflare proxies that name, so the ALB sees Cloudflare's addresses; use a hostname two or more levels below ${env.dns.zoneName}`,
        );
      }
    }

    if (lbSettings.accessLogs) {
      this.accessLogBucket = new AccessLogBucket(this, "access-logs", {
        environment: env.name,
        accountId: env.accountId,
        expirationDays: props.accessLogRetentionDays ?? env.logRetentionDays,
      });
    }

    this.loadBalancer = new Lb(this, "alb", {
      name,
      loadBalancerType: "application",
      internal: false,
      ipAddressType: "ipv4",
      subnets: [...props.publicSubnetIds],
      securityGroups: [props.securityGroupId],
      dropInvalidHeaderFields: true,
      desyncMitigationMode: props.desyncMitigationMode ?? "defensive",
      idleTimeout: props.idleTimeoutSeconds ?? 60,
      enableHttp2: true,
      enableDeletionProtection: lbSettings.deletionProtection,
      accessLogs: this.accessLogBucket
        ? { bucket: this.accessLogBucket.bucketName, enabled: true }
        : undefined,
      dependsOn: this.accessLogBucket ? [this.accessLogBucket.policy] : undefined,
      tags: { Name: name },
    });
    this.loadBalancerArn = this.loadBalancer.arn;
    this.loadBalancerArnSuffix = this.loadBalancer.arnSuffix;
    this.dnsName = this.loadBalancer.dnsName;
    this.zoneId = this.loadBalancer.zoneId;

    const http = new LbListener(this, "http", {
      loadBalancerArn: this.loadBalancer.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
      tags: { Name: resourceName(env.name, "alb-http") },
    });
    const https = new LbListener(this, "https", {
      loadBalancerArn: this.loadBalancer.arn,
      port: 443,
      protocol: "HTTPS",
      sslPolicy: HTTPS_SSL_POLICY,
      certificateArn: props.certificateArn,
      // EDGE-8: HSTS, nosniff, X-Frame-Options and no Server header on every HTTPS response.
      ...securityHeaderAttributes(lbSettings.securityHeaders),
      defaultAction: [
        { type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "not found", statusCode: "404" } },
      ],
      tags: { Name: resourceName(env.name, "alb-https") },
    });
    this.httpListenerArn = http.arn;
    this.httpsListenerArn = https.arn;

    // --- one target group and host rule per public web service, priorities from catalog order ---
    const targetGroups = new Map<ServiceName, TargetGroupPair>();
    const routes: Route[] = [];
    for (const service of publicWebServices(props.catalog)) {
      const port = service.port;
      const healthPath = service.healthPath;
      if (port === undefined || healthPath === undefined) {
        throw new Error(`edge: public web service "${service.name}" needs a port and a healthPath in the catalog`);
      }
      const identity = { port, protocol: "HTTP", targetType: "ip" };
      // DLV-1: the alternate group is the primary's twin (same port, health check, draining), so
      // that ECS can move a service between them in either direction.
      const group = (id: string, role: "primary" | "alternate") =>
        new LbTargetGroup(this, id, {
          name: targetGroupName(env.name, service.name, identity, role),
          port,
          protocol: identity.protocol,
          protocolVersion: "HTTP1",
          targetType: identity.targetType,
          ipAddressType: "ipv4",
          vpcId: props.vpcId,
          deregistrationDelay: String(props.deregistrationDelaySeconds ?? 30),
          healthCheck: {
            enabled: true,
            protocol: "HTTP",
            port: "traffic-port",
            path: healthPath,
            matcher: "200-399",
            interval: 15,
            timeout: 5,
            healthyThreshold: 2,
            unhealthyThreshold: 3,
          },
          tags: { Name: resourceName(env.name, role === "primary" ? service.name : `${service.name}-alt`) },
          lifecycle: { createBeforeDestroy: true },
        });
      const targetGroup = group(`target-group-${service.name}`, "primary");
      const alternateTargetGroup = group(`target-group-${service.name}-alternate`, "alternate");
      targetGroups.set(service.name, { primary: targetGroup, alternate: alternateTargetGroup });
      const index = props.catalog.indexOf(service);
      routes.push({
        service,
        hostname: hostnameOf(env.dns, service.name),
        targetGroup,
        alternateTargetGroup,
        basePriority: (index + 1) * PRIORITY_BLOCK,
      });
    }
    this.targetGroups = targetGroups;
    this.services = [...targetGroups.keys()];

    const rules: LbListenerRule[] = [];
    const productionRules = new Map<ServiceName, LbListenerRule>();
    const rule = (ruleId: string, priority: number, hostname: string, action: LbListenerRuleAction, sourceIps?: string[]) => {
      // DLV-1: ECS owns the weights of a forwarding rule once it exists; Terraform keeps the rest.
      const forwards = action.type === "forward";
      const created = new LbListenerRule(this, ruleId, {
        listenerArn: https.arn,
        priority,
        condition: [{ hostHeader: { values: [hostname] } }, ...(sourceIps ? [{ sourceIp: { values: sourceIps } }] : [])],
        action: [action],
        tags: { Name: resourceName(env.name, ruleId) },
        ...(forwards ? { lifecycle: { ignoreChanges: ["action"] } } : {}),
      });
      rules.push(created);
      return created;
    };
    for (const route of routes) {
      const name = route.service.name;
      const forward: LbListenerRuleAction = {
        type: "forward",
        forward: {
          targetGroup: [
            { arn: route.targetGroup.arn, weight: INITIAL_WEIGHTS.primary },
            { arn: route.alternateTargetGroup.arn, weight: INITIAL_WEIGHTS.alternate },
          ],
        },
      };
      const allowed = name === RESTRICTED_SERVICE ? lbSettings.adminAllowedCidrs : [];
      if (allowed.length === 0) {
        productionRules.set(name, rule(`${name}-host`, route.basePriority, route.hostname, forward));
        continue;
      }
      if (allowed.length > MAX_ADMIN_ALLOWED_CIDRS) {
        throw new Error(
          `edge: ${env.name}.loadBalancer.adminAllowedCidrs has ${allowed.length} CIDRs; at most ${MAX_ADMIN_ALLOWED_CIDRS} fit the one listener rule ECS shifts (DLV-1)`,
        );
      }
      productionRules.set(name, rule(`${name}-allowed-0`, route.basePriority, route.hostname, forward, [...allowed]));
      rule(`${name}-forbidden`, route.basePriority + 1, route.hostname, {
        type: "fixed-response",
        fixedResponse: { contentType: "text/plain", messageBody: "forbidden", statusCode: "403" },
      });
    }
    this.productionRules = productionRules;
    this.listenerRules = rules;
  }

  /** The primary target group ARN of a public web service, for the ECS service's `load_balancer` block. */
  targetGroupArn(service: ServiceName): string {
    return this.targetGroup(service).arn;
  }

  /** `targetgroup/<name>/<id>` of both target groups, the `TargetGroup` dimensions of ALB CloudWatch metrics. */
  targetGroupArnSuffixes(service: ServiceName): readonly [string, string] {
    const pair = this.targetGroupPair(service);
    return [pair.primary.arnSuffix, pair.alternate.arnSuffix];
  }

  /** The primary target group of a public web service; throws for a service without one. */
  targetGroup(service: ServiceName): LbTargetGroup {
    return this.targetGroupPair(service).primary;
  }

  /** Both target groups of a public web service (DLV-1); throws for a service without them. */
  targetGroupPair(service: ServiceName): TargetGroupPair {
    const pair = this.targetGroups.get(service);
    if (!pair) throw new Error(`edge: service "${service}" has no target group (only public web services do: ${this.services.join(", ")})`);
    return pair;
  }

  /** The one rule that forwards a public web service's traffic, whose weights ECS shifts (DLV-1). */
  productionListenerRule(service: ServiceName): LbListenerRule {
    const found = this.productionRules.get(service);
    if (!found) throw new Error(`edge: service "${service}" has no production listener rule (only public web services do: ${this.services.join(", ")})`);
    return found;
  }
}
