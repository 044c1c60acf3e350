/**
 * The public edge (EDGE-1..EDGE-6): certificate and its Cloudflare validation, the ALB, its
 * listeners, rules and target groups, and the public Cloudflare records. A small test stack per
 * environment holds just the edge constructs (stub VPC and subnets, a real ALB security group), each
 * synthesized once for the file.
 */
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider";
import { describe, expect, it } from "vitest";
import { ELB17_POLICIES } from "../policies/rules/lb-listener-recommended-policy";
import { TerraformOutput, TerraformStack, Testing } from "../src/cdktf";
import { PRODUCTION, STAGING } from "../src/config/environments";
import { resourceName } from "../src/config/naming";
import { SERVICE_CATALOG } from "../src/config/service-catalog";
import type { EnvironmentDefinition, ServiceName } from "../src/config/types";
import { Certificate } from "../src/edge/certificate";
import { CloudflareZone } from "../src/edge/cloudflare-zone";
import {
  certificateNames,
  labelsBelowZone,
  proxiedByCloudflare,
  publicHostnames,
  validationRecordDomains,
} from "../src/edge/hostnames";
import { LoadBalancer } from "../src/edge/load-balancer";
import { PublicDnsRecords } from "../src/edge/public-dns-records";
import { securityHeaderAttributes, strictTransportSecurity } from "../src/edge/security-headers";
import { TARGET_GROUP_NAME_MAX, targetGroupName } from "../src/edge/target-group-name";
import { dataSources, only, referencedAddresses, resources, type SynthesizedStack, builtOrFailEachTest } from "./support/synth";
import { ALB_TLS_POLICY, DEREGISTRATION_DELAY_SECONDS, LOG_RETENTION_DAYS, WEB_SERVICES } from "./support/contract";

const VPC_ID = "vpc-0123456789abcdef0";
const SUBNETS = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2", "subnet-0ccccccccccccccc3"];


const PUBLIC_WEB = SERVICE_CATALOG.filter((s) => s.kind === "public-web");

const WITH_ADMIN_CIDRS: EnvironmentDefinition = {
  ...STAGING,
  loadBalancer: {
    ...STAGING.loadBalancer,
    // DLV-1: as many as fit the admin host's one forwarding rule (ECS shifts exactly that rule).
    adminAllowedCidrs: ["203.0.113.0/24", "198.51.100.7/32", "192.0.2.0/28"],
  },
};

interface Edge {
  readonly json: SynthesizedStack;
  readonly env: EnvironmentDefinition;
  readonly lb: LoadBalancer;
}

/** The edge constructs of one environment in a stack of their own, synthesized once. */
function synthEdge(env: EnvironmentDefinition, id: string): Edge {
  const stack = new TerraformStack(Testing.app(), id);
  new AwsProvider(stack, "aws", { region: env.region, allowedAccountIds: [env.accountId] });
  new CloudflareProvider(stack, "cloudflare", {});
  const albGroup = new SecurityGroup(stack, "alb-sg", {
    name: resourceName(env.name, "alb"),
    description: "test ALB group",
    vpcId: VPC_ID,
  });
  const zone = new CloudflareZone(stack, "zone", { zoneName: env.dns.zoneName });
  const certificate = new Certificate(stack, "certificate", {
    environment: env.name,
    hostnames: env.dns.hostnames,
    zoneId: zone.zoneId,
  });
  const lb = new LoadBalancer(stack, "load-balancer", {
    environment: env,
    catalog: SERVICE_CATALOG,
    vpcId: VPC_ID,
    publicSubnetIds: SUBNETS.slice(0, env.availabilityZones.length),
    securityGroupId: albGroup.id,
    certificateArn: certificate.certificateArn,
  });
  new PublicDnsRecords(stack, "public-dns", {
    environment: env.name,
    dns: env.dns,
    zoneId: zone.zoneId,
    target: lb.dnsName,
  });
  // The typed outputs, so that tests can see what they resolve to.
  for (const service of lb.services) {
    new TerraformOutput(stack, `tg-arn-${service}`, { value: lb.targetGroupArn(service) });
    new TerraformOutput(stack, `tg-suffix-${service}`, { value: lb.targetGroupArnSuffixes(service)[0] });
    new TerraformOutput(stack, `tg-alt-suffix-${service}`, { value: lb.targetGroupArnSuffixes(service)[1] });
  }
  new TerraformOutput(stack, "lb-suffix", { value: lb.loadBalancerArnSuffix });
  new TerraformOutput(stack, "lb-dns", { value: lb.dnsName });
  new TerraformOutput(stack, "lb-zone", { value: lb.zoneId });
  new TerraformOutput(stack, "https-listener", { value: lb.httpsListenerArn });
  return { json: JSON.parse(Testing.synth(stack)) as SynthesizedStack, env, lb };
}

// Built while the file is collected; a build that throws fails every test (support/synth.ts).
const { staging, production, restricted } = builtOrFailEachTest(
  () => ({
    staging: synthEdge(STAGING, "edge-staging"),
    production: synthEdge(PRODUCTION, "edge-production"),
    restricted: synthEdge(WITH_ADMIN_CIDRS, "edge-restricted"),
  }),
  {} as { staging: Edge; production: Edge; restricted: Edge },
);

const each = () => [
  ["staging", staging],
  ["production", production],
] as const;

/** `${type.name.attr}` of a resource found by its properties. */
const ref = (type: string, name: string, attribute: string) => `\${${type}.${name}.${attribute}}`;

/** The service whose target group a `${aws_lb_target_group.x.arn}` reference names. */
function serviceOfTargetGroupRef(json: SynthesizedStack, expression: string): string {
  const address = referencedAddresses(expression)[0];
  const [, name] = address!.split(".");
  const tg = json.resource?.["aws_lb_target_group"]?.[name!] as Record<string, any> | undefined;
  if (!tg) throw new Error(`no target group at ${address}`);
  return String(tg["tags"]["Name"]).replace(/^tracker-(staging|production)-/, "");
}

/**
 * DLV-1: a forwarding rule's targets as `service:role=weight` (role `primary` or `alt`, from the
 * target group's Name tag), so that a test can state the whole forward in one line.
 */
function forwardOf(json: SynthesizedStack, rule: Record<string, any>): string[] {
  const groups = rule["action"][0]["forward"]["target_group"] as { arn: string; weight: number }[];
  return groups.map((g) => {
    const name = serviceOfTargetGroupRef(json, g.arn);
    return name.endsWith("-alt") ? `${name.slice(0, -4)}:alt=${g.weight}` : `${name}:primary=${g.weight}`;
  });
}

function hostOf(rule: Record<string, any>): string[] {
  return rule["condition"].flatMap((c: any) => c["host_header"]?.["values"] ?? []);
}

function sourceIpsOf(rule: Record<string, any>): string[] {
  return rule["condition"].flatMap((c: any) => c["source_ip"]?.["values"] ?? []);
}

describe("EDGE-1: public hostnames", () => {
  it("EDGE-1: staging's names sit under tracker.staging.glimpse.technology, the frontend at its apex", () => {
    expect(STAGING.dns.hostnames).toEqual({
      frontend: "tracker.staging.glimpse.technology",
      api: "api.tracker.staging.glimpse.technology",
      admin: "admin.tracker.staging.glimpse.technology",
    });
    for (const hostname of publicHostnames(STAGING.dns)) {
      expect(hostname === "tracker.staging.glimpse.technology" || hostname.endsWith(".tracker.staging.glimpse.technology")).toBe(true);
    }
  });

  it("EDGE-1: production has its own names, none shared with or below staging's", () => {
    const staged = new Set(publicHostnames(STAGING.dns));
    for (const hostname of publicHostnames(PRODUCTION.dns)) {
      expect(staged.has(hostname)).toBe(false);
      expect(hostname.endsWith("staging.glimpse.technology")).toBe(false);
    }
  });

  it("EDGE-1: every public web service of the catalog has a hostname in every environment", () => {
    for (const env of [STAGING, PRODUCTION]) {
      expect(Object.keys(env.dns.hostnames).sort()).toEqual(PUBLIC_WEB.map((s) => s.name).sort());
    }
  });
});

describe("EDGE-2: certificate validated in Cloudflare", () => {
  it("EDGE-2: one certificate per environment whose names are exactly the environment's hostnames", () => {
    for (const [, { json, env }] of each()) {
      const [, cert] = only(json, "aws_acm_certificate");
      expect(cert["domain_name"]).toBe(env.dns.hostnames.frontend);
      expect([cert["domain_name"], ...cert["subject_alternative_names"]].sort()).toEqual([...publicHostnames(env.dns)].sort());
      expect(cert["subject_alternative_names"]).not.toContain(cert["domain_name"]);
      expect(cert["validation_method"]).toBe("DNS");
      // ECDSA P-256: smaller handshakes than RSA 2048, and every browser and the ALB's TLS policy support it.
      expect(cert["key_algorithm"]).toBe("EC_prime256v1");
      expect(cert["tags"]).toEqual({ Name: `tracker-${env.name}-certificate` });
      expect(cert["options"]["certificate_transparency_logging_preference"]).toBe("ENABLED");
      expect(cert["lifecycle"]["create_before_destroy"]).toBe(true);
    }
  });

  it("EDGE-2: the Cloudflare zone is looked up by name (v5 filter)", () => {
    for (const [, { json, env }] of each()) {
      const zones = dataSources(json, "cloudflare_zone");
      expect(zones).toHaveLength(1);
      expect(zones[0]![1]["filter"]).toEqual({ name: env.dns.zoneName });
    }
  });

  it("EDGE-2: one validation CNAME per hostname, keyed by the static name, DNS-only, without trailing dots", () => {
    for (const [, { json, env }] of each()) {
      const [certName] = only(json, "aws_acm_certificate");
      const [zoneName] = dataSources(json, "cloudflare_zone")[0]!;
      const validation = resources(json, "cloudflare_dns_record").filter(([, r]) => String(r["name"]).includes("domain_validation_options"));
      expect(validation).toHaveLength(publicHostnames(env.dns).length);
      const keys = validation.map(([, r]) => {
        const name = String(r["name"]);
        expect(name).toContain(`aws_acm_certificate.${certName}.domain_validation_options`);
        expect(name).toMatch(/^\$\{trimsuffix\(.*\.resource_record_name, "\."\)\}$/);
        expect(String(r["content"])).toMatch(/^\$\{trimsuffix\(.*\.resource_record_value, "\."\)\}$/);
        expect(r["type"]).toBe("CNAME");
        expect(r["proxied"]).toBe(false);
        // A minute: a re-issued certificate validates quickly (Cloudflare's minimum for DNS-only records is 60).
        expect(r["ttl"]).toBe(60);
        // Whoever opens the record in Cloudflare's dashboard learns what it is and that Terraform owns it.
        expect(r["comment"]).toBe(`ACM DNS validation of tracker-${env.name}-certificate, managed by cdktf`);
        expect(r["zone_id"]).toBe(`\${data.cloudflare_zone.${zoneName}.id}`);
        // The map is keyed by domain_name and indexed by a literal hostname: known at plan time.
        const key = /\["([^"]+)"\]\.resource_record_name/.exec(name)?.[1];
        expect(/val\.domain_name => val/.test(name)).toBe(true);
        expect(String(r["content"])).toContain(`["${key}"].resource_record_value`);
        return key;
      });
      expect(keys.sort()).toEqual([...publicHostnames(env.dns)].sort());
    }
  });

  it("EDGE-2: each validation record's Terraform address names its hostname, so it stays put when others are added", () => {
    for (const [, { json, env }] of each()) {
      const addresses = resources(json, "cloudflare_dns_record")
        .filter(([, r]) => String(r["name"]).includes("domain_validation_options"))
        .map(([address]) => address.replace(/_[0-9A-F]{8}$/, ""));
      expect(addresses.sort()).toEqual(
        publicHostnames(env.dns).map((h) => `certificate_validation-${h.replace(/\./g, "-")}`).sort(),
      );
    }
  });

  it("EDGE-2: names that share a validation record (apex and wildcard) get one record", () => {
    expect(validationRecordDomains(["example.com", "*.example.com", "api.example.com"])).toEqual(["example.com", "api.example.com"]);
    expect(validationRecordDomains(["*.example.com", "example.com"])).toEqual(["example.com"]);
    expect(validationRecordDomains(["*.example.com"])).toEqual(["*.example.com"]);
    expect(validationRecordDomains(["a.example.com", "a.example.com"])).toEqual(["a.example.com"]);
    expect(certificateNames(STAGING.dns.hostnames)).toEqual({
      domainName: "tracker.staging.glimpse.technology",
      subjectAlternativeNames: ["admin.tracker.staging.glimpse.technology", "api.tracker.staging.glimpse.technology"],
    });
  });

  it("EDGE-2: aws_acm_certificate_validation waits for exactly the Cloudflare validation records", () => {
    for (const [, { json }] of each()) {
      const [certName] = only(json, "aws_acm_certificate");
      const [, validation] = only(json, "aws_acm_certificate_validation");
      expect(validation["certificate_arn"]).toBe(ref("aws_acm_certificate", certName, "arn"));
      const records = resources(json, "cloudflare_dns_record")
        .filter(([, r]) => String(r["name"]).includes("domain_validation_options"))
        .map(([name]) => ref("cloudflare_dns_record", name, "name"));
      expect([...validation["validation_record_fqdns"]].sort()).toEqual(records.sort());
    }
  });

  it("EDGE-2: the HTTPS listener uses the certificate ARN of the validation resource, not the certificate's", () => {
    for (const [, { json }] of each()) {
      const [validationName] = only(json, "aws_acm_certificate_validation");
      const [, https] = only(json, "aws_lb_listener", (l) => l["port"] === 443);
      expect(https["certificate_arn"]).toBe(ref("aws_acm_certificate_validation", validationName, "certificate_arn"));
    }
  });
});

describe("EDGE-3: public Cloudflare records", () => {
  it("EDGE-3: exactly one CNAME per hostname, pointing at the ALB's DNS name", () => {
    for (const [, { json, env }] of each()) {
      const [lbName] = only(json, "aws_lb");
      const records = resources(json, "cloudflare_dns_record").filter(([, r]) => !String(r["name"]).includes("domain_validation_options"));
      expect(records.map(([, r]) => r["name"]).sort()).toEqual([...publicHostnames(env.dns)].sort());
      for (const [, r] of records) {
        expect(r["type"]).toBe("CNAME");
        expect(r["content"]).toBe(ref("aws_lb", lbName, "dns_name"));
      }
      // The dashboard says which service and which stack a record belongs to, and that Terraform owns it.
      expect(Object.fromEntries(records.map(([, r]) => [r["name"], r["comment"]]))).toEqual({
        [env.dns.hostnames.frontend]: `frontend of tracker-${env.name} -> ALB, managed by cdktf`,
        [env.dns.hostnames.api]: `api of tracker-${env.name} -> ALB, managed by cdktf`,
        [env.dns.hostnames.admin]: `admin of tracker-${env.name} -> ALB, managed by cdktf`,
      });
    }
  });

  it("EDGE-3: only names one level below the zone are proxied (TTL auto); deeper names are DNS-only (TTL 300)", () => {
    const proxiedOf = (json: SynthesizedStack) =>
      Object.fromEntries(
        resources(json, "cloudflare_dns_record")
          .filter(([, r]) => !String(r["name"]).includes("domain_validation_options"))
          .map(([, r]) => [r["name"], { proxied: r["proxied"], ttl: r["ttl"] }]),
      );
    expect(proxiedOf(staging.json)).toEqual({
      "tracker.staging.glimpse.technology": { proxied: false, ttl: 300 },
      "api.tracker.staging.glimpse.technology": { proxied: false, ttl: 300 },
      "admin.tracker.staging.glimpse.technology": { proxied: false, ttl: 300 },
    });
    expect(proxiedOf(production.json)).toEqual({
      "tracker.glimpse.technology": { proxied: true, ttl: 1 },
      "api.tracker.glimpse.technology": { proxied: false, ttl: 300 },
      "admin.tracker.glimpse.technology": { proxied: false, ttl: 300 },
    });
  });

  it("EDGE-3: the proxying rule: apex and first level are covered by the universal certificate, nothing deeper", () => {
    expect(labelsBelowZone("glimpse.technology", "glimpse.technology")).toBe(0);
    expect(labelsBelowZone("tracker.glimpse.technology", "glimpse.technology")).toBe(1);
    expect(labelsBelowZone("api.tracker.staging.glimpse.technology", "glimpse.technology")).toBe(3);
    expect(proxiedByCloudflare("glimpse.technology", "glimpse.technology")).toBe(true);
    expect(proxiedByCloudflare("tracker.glimpse.technology", "glimpse.technology")).toBe(true);
    expect(proxiedByCloudflare("Tracker.Glimpse.Technology.", "glimpse.technology")).toBe(true);
    expect(proxiedByCloudflare("api.tracker.glimpse.technology", "glimpse.technology")).toBe(false);
    expect(proxiedByCloudflare("tracker.staging.glimpse.technology", "glimpse.technology")).toBe(false);
    expect(proxiedByCloudflare("api.tracker.staging.glimpse.technology", "glimpse.technology")).toBe(false);
    expect(() => proxiedByCloudflare("tracker.example.com", "glimpse.technology")).toThrow(/not inside the zone glimpse.technology/);
    expect(() => proxiedByCloudflare("xglimpse.technology", "glimpse.technology")).toThrow(/not inside the zone/);
    // Fully qualified names (a trailing dot) count the same, on either side.
    expect(labelsBelowZone("api.tracker.glimpse.technology.", "glimpse.technology.")).toBe(2);
    expect(labelsBelowZone("glimpse.technology", "glimpse.technology.")).toBe(0);
    expect(labelsBelowZone("Tracker.Glimpse.Technology", "glimpse.technology")).toBe(1);
  });
});

describe("EDGE-4: listeners", () => {
  it("EDGE-4: exactly two listeners: HTTP 80 redirects to HTTPS 443 with a 301 and nothing else", () => {
    for (const [, { json }] of each()) {
      const [lbName] = only(json, "aws_lb");
      const listeners = resources(json, "aws_lb_listener");
      expect(listeners.map(([, l]) => l["port"]).sort()).toEqual([443, 80]);
      const [, http] = only(json, "aws_lb_listener", (l) => l["port"] === 80);
      expect(http["protocol"]).toBe("HTTP");
      expect(http["load_balancer_arn"]).toBe(ref("aws_lb", lbName, "arn"));
      expect(http["default_action"]).toEqual([
        { type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } },
      ]);
    }
  });

  it("EDGE-4: HTTPS uses a TLS 1.2+ policy that Security Hub ELB.17 accepts", () => {
    expect(ELB17_POLICIES).toContain(ALB_TLS_POLICY);
    for (const [, { json }] of each()) {
      const [, https] = only(json, "aws_lb_listener", (l) => l["port"] === 443);
      expect(https["protocol"]).toBe("HTTPS");
      expect(https["ssl_policy"]).toBe(ALB_TLS_POLICY);
      expect(ELB17_POLICIES).toContain(https["ssl_policy"]);
      expect(https["ssl_policy"]).toMatch(/^ELBSecurityPolicy-TLS13-1-[23]-/);
    }
  });

  it("EDGE-4: unknown hosts get a fixed 404", () => {
    for (const [, { json }] of each()) {
      const [, https] = only(json, "aws_lb_listener", (l) => l["port"] === 443);
      expect(https["default_action"]).toEqual([
        { type: "fixed-response", fixed_response: { content_type: "text/plain", message_body: "not found", status_code: "404" } },
      ]);
    }
  });
});

describe("EDGE-8: security headers at the edge", () => {
  const headerKeys = (listener: Record<string, any>) => Object.keys(listener).filter((k) => k.startsWith("routing_http_response_"));

  it("EDGE-8: production's HTTPS listener sends one year of HSTS with includeSubDomains (no preload), nosniff, DENY, and no Server header", () => {
    const [, https] = only(production.json, "aws_lb_listener", (l) => l["port"] === 443);
    expect(https["routing_http_response_strict_transport_security_header_value"]).toBe("max-age=31536000; includeSubDomains");
    expect(https["routing_http_response_x_content_type_options_header_value"]).toBe("nosniff");
    expect(https["routing_http_response_x_frame_options_header_value"]).toBe("DENY");
    expect(https["routing_http_response_server_enabled"]).toBe(false);
    // Exactly these four: no CORS or CSP header is imposed on every application by the ALB.
    expect(headerKeys(https).sort()).toEqual([
      "routing_http_response_server_enabled",
      "routing_http_response_strict_transport_security_header_value",
      "routing_http_response_x_content_type_options_header_value",
      "routing_http_response_x_frame_options_header_value",
    ]);
  });

  it("EDGE-8: staging's HTTPS listener sends the same headers with one day of HSTS", () => {
    const [, https] = only(staging.json, "aws_lb_listener", (l) => l["port"] === 443);
    expect(https["routing_http_response_strict_transport_security_header_value"]).toBe("max-age=86400; includeSubDomains");
    expect(https["routing_http_response_x_content_type_options_header_value"]).toBe("nosniff");
    expect(https["routing_http_response_x_frame_options_header_value"]).toBe("DENY");
    expect(https["routing_http_response_server_enabled"]).toBe(false);
  });

  it("EDGE-8: the HTTP listener only redirects and sets no response headers (HSTS over plain HTTP is ignored by browsers)", () => {
    for (const [, { json }] of each()) {
      const [, http] = only(json, "aws_lb_listener", (l) => l["port"] === 80);
      expect(headerKeys(http)).toEqual([]);
    }
  });

  it("EDGE-8: HSTS directives follow the definition: preload only when configured, includeSubDomains only when asked", () => {
    const base = { hstsMaxAgeSeconds: 63072000, hstsIncludeSubdomains: true, hstsPreload: true, frameOptions: "SAMEORIGIN" } as const;
    expect(strictTransportSecurity(base)).toBe("max-age=63072000; includeSubDomains; preload");
    expect(strictTransportSecurity({ ...base, hstsPreload: false, hstsIncludeSubdomains: false, hstsMaxAgeSeconds: 0 })).toBe("max-age=0");
    expect(securityHeaderAttributes(base).routingHttpResponseXFrameOptionsHeaderValue).toBe("SAMEORIGIN");
  });
});

describe("EDGE-5: host rules", () => {
  it("EDGE-5: each hostname forwards to its own service's target group, and nothing else has a rule", () => {
    for (const [, { json, env }] of each()) {
      const [httpsName] = only(json, "aws_lb_listener", (l) => l["port"] === 443);
      const rules = resources(json, "aws_lb_listener_rule");
      const routing = rules.map(([, r]) => {
        expect(r["listener_arn"]).toBe(ref("aws_lb_listener", httpsName, "arn"));
        expect(sourceIpsOf(r)).toEqual([]);
        // One condition: the host header (no source-IP condition without an allow-list).
        expect(r["condition"]).toEqual([{ host_header: { values: hostOf(r) } }]);
        expect(r["action"]).toHaveLength(1);
        expect(r["action"][0]["type"]).toBe("forward");
        return [hostOf(r).join(","), forwardOf(json, r).join(" ")];
      });
      // DLV-1: each host's one rule forwards to its service's two groups, all traffic on the primary.
      expect(Object.fromEntries(routing)).toEqual({
        [env.dns.hostnames.frontend]: "frontend:primary=100 frontend:alt=0",
        [env.dns.hostnames.api]: "api:primary=100 api:alt=0",
        [env.dns.hostnames.admin]: "admin:primary=100 admin:alt=0",
      });
      expect(routing).toHaveLength(PUBLIC_WEB.length);
    }
  });

  it("EDGE-5: priorities are unique and follow the catalog order", () => {
    for (const [, { json, env }] of [...each(), ["restricted", restricted] as const]) {
      const rules = resources(json, "aws_lb_listener_rule").map(([, r]) => r);
      const priorities = rules.map((r) => r["priority"] as number);
      expect(new Set(priorities).size).toBe(priorities.length);
      const firstPriorityOf = (service: ServiceName) => {
        const host = env.dns.hostnames[service as keyof typeof env.dns.hostnames];
        return Math.min(...rules.filter((r) => hostOf(r).includes(host)).map((r) => r["priority"] as number));
      };
      const order = PUBLIC_WEB.map((s) => firstPriorityOf(s.name));
      expect([...order].sort((a, b) => a - b)).toEqual(order);
    }
  });

  it("EDGE-5: with an allow-list, admin forwards only from those CIDRs and answers everyone else 403", () => {
    const { json, env } = restricted;
    const adminHost = env.dns.hostnames.admin;
    const adminRules = resources(json, "aws_lb_listener_rule")
      .map(([, r]) => r)
      .filter((r) => hostOf(r).includes(adminHost));
    const allowed = adminRules.filter((r) => r["action"][0]["type"] === "forward");
    const denied = adminRules.filter((r) => r["action"][0]["type"] === "fixed-response");
    expect(allowed.length + denied.length).toBe(adminRules.length);
    // Every CIDR exactly once, in the one forwarding rule (DLV-1: the rule ECS shifts), within ALB limits.
    expect(allowed).toHaveLength(1);
    expect(allowed.flatMap(sourceIpsOf).sort()).toEqual(["192.0.2.0/28", "198.51.100.7/32", "203.0.113.0/24"]);
    for (const r of allowed) {
      expect(sourceIpsOf(r).length + hostOf(r).length).toBeLessThanOrEqual(5);
      expect(forwardOf(json, r)).toEqual(["admin:primary=100", "admin:alt=0"]);
    }
    expect(denied).toHaveLength(1);
    const deny = denied[0]!;
    expect(sourceIpsOf(deny)).toEqual([]);
    expect(hostOf(deny)).toEqual([adminHost]);
    expect(deny["action"][0]["fixed_response"]).toEqual({ content_type: "text/plain", message_body: "forbidden", status_code: "403" });
    expect(Math.max(...allowed.map((r) => r["priority"]))).toBeLessThan(deny["priority"]);
    // The other hosts are not restricted.
    for (const r of resources(json, "aws_lb_listener_rule").map(([, r]) => r).filter((r) => !hostOf(r).includes(adminHost))) {
      expect(sourceIpsOf(r)).toEqual([]);
      expect(r["action"][0]["type"]).toBe("forward");
    }
  });

  it("EDGE-5: an allow-list on a Cloudflare-proxied admin name is refused (the ALB would see Cloudflare's addresses)", () => {
    const env: EnvironmentDefinition = {
      ...WITH_ADMIN_CIDRS,
      dns: { ...WITH_ADMIN_CIDRS.dns, hostnames: { ...WITH_ADMIN_CIDRS.dns.hostnames, admin: "tracker-admin.glimpse.technology" } },
    };
    const stack = new TerraformStack(Testing.app(), "edge-proxied-admin");
    expect(
      () =>
        new LoadBalancer(stack, "load-balancer", {
          environment: env,
          catalog: SERVICE_CATALOG,
          vpcId: VPC_ID,
          publicSubnetIds: SUBNETS.slice(0, 2),
          securityGroupId: "sg-0123456789abcdef0",
          certificateArn: "arn:aws:acm:eu-central-1:802732539686:certificate/x",
        }),
    ).toThrow(/adminAllowedCidrs cannot restrict tracker-admin\.glimpse\.technology: Cloudflare proxies that name/);
  });
});

describe("EDGE-6: load balancer and target groups", () => {
  it("EDGE-6: an internet-facing IPv4 ALB in the public subnets with the ALB group, dropping invalid headers, desync defensive", () => {
    for (const [, { json, env }] of each()) {
      const [sgName] = only(json, "aws_security_group");
      const [, lb] = only(json, "aws_lb");
      expect(lb["name"]).toBe(resourceName(env.name, "alb"));
      expect(lb["load_balancer_type"]).toBe("application");
      expect(lb["internal"]).toBe(false);
      expect(lb["ip_address_type"]).toBe("ipv4");
      expect(lb["subnets"]).toEqual(SUBNETS.slice(0, env.availabilityZones.length));
      expect(lb["security_groups"]).toEqual([ref("aws_security_group", sgName, "id")]);
      expect(lb["drop_invalid_header_fields"]).toBe(true);
      expect(["defensive", "strictest"]).toContain(lb["desync_mitigation_mode"]);
      expect(lb["idle_timeout"]).toBe(60);
    }
  });

  it("EDGE-6: deletion protection and access logs in production only", () => {
    const [, stagingLb] = only(staging.json, "aws_lb");
    expect(stagingLb["enable_deletion_protection"]).toBe(false);
    expect(stagingLb["access_logs"]).toBeUndefined();
    expect(resources(staging.json, "aws_s3_bucket")).toEqual([]);

    const json = production.json;
    const [, lb] = only(json, "aws_lb");
    expect(lb["enable_deletion_protection"]).toBe(true);
    const [bucketName, bucket] = only(json, "aws_s3_bucket");
    expect(bucket["bucket"]).toBe(`tracker-production-alb-logs-${PRODUCTION.accountId}`);
    expect(bucket["force_destroy"]).toBe(false);
    // The console's bucket list and the cost explorer show the Name tag (the provider's default tags
    // add Project and Environment).
    expect(bucket["tags"]).toEqual({ Name: `tracker-production-alb-logs-${PRODUCTION.accountId}` });
    expect(lb["access_logs"]).toEqual({ bucket: ref("aws_s3_bucket", bucketName, "id"), enabled: true });
    const [policyName, policy] = only(json, "aws_s3_bucket_policy");
    expect(policy["bucket"]).toBe(ref("aws_s3_bucket", bucketName, "id"));
    // ELB checks it may write when logging is switched on: the ALB waits for the policy.
    expect(lb["depends_on"]).toEqual([`aws_s3_bucket_policy.${policyName}`]);
  });

  it("EDGE-6: the access log bucket is SSE-S3, private, owner-enforced, versioned, expiring, TLS-only and writable by ELB", () => {
    const json = production.json;
    const [bucketName] = only(json, "aws_s3_bucket");
    const bucketRef = ref("aws_s3_bucket", bucketName, "id");
    const [, sse] = only(json, "aws_s3_bucket_server_side_encryption_configuration");
    expect(sse["bucket"]).toBe(bucketRef);
    expect(sse["rule"][0]["apply_server_side_encryption_by_default"]["sse_algorithm"]).toBe("AES256");
    const [, pab] = only(json, "aws_s3_bucket_public_access_block");
    expect(pab).toMatchObject({ bucket: bucketRef, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(only(json, "aws_s3_bucket_ownership_controls")[1]["rule"]["object_ownership"]).toBe("BucketOwnerEnforced");
    expect(only(json, "aws_s3_bucket_versioning")[1]["versioning_configuration"]["status"]).toBe("Enabled");
    const [, lifecycle] = only(json, "aws_s3_bucket_lifecycle_configuration");
    expect(lifecycle["rule"]).toEqual([
      {
        id: "expire-access-logs",
        status: "Enabled",
        filter: [{ prefix: "" }],
        expiration: [{ days: LOG_RETENTION_DAYS.production }],
        noncurrent_version_expiration: [{ noncurrent_days: 7 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
    // Bucket keys are a KMS feature; SSE-S3 has none to enable.
    expect(sse["rule"][0]["bucket_key_enabled"]).toBeUndefined();
    expect(only(json, "aws_s3_bucket")[1]["force_destroy"]).toBe(false);

    const documents = dataSources(json, "aws_iam_policy_document");
    expect(documents).toHaveLength(1);
    const statements = documents[0]![1]["statement"] as Record<string, any>[];
    const [elbAccountName] = dataSources(json, "aws_elb_service_account")[0]!;
    const writers = statements.filter((s) => s["effect"] === "Allow");
    expect(writers.map((s) => s["principals"][0]["identifiers"][0]).sort()).toEqual(
      [`\${data.aws_elb_service_account.${elbAccountName}.arn}`, "logdelivery.elasticloadbalancing.amazonaws.com"].sort(),
    );
    // Each statement's Sid says which writer it admits: the region's ELB account, or the log-delivery service.
    expect(Object.fromEntries(writers.map((s) => [s["sid"], s["principals"]]))).toEqual({
      ElbAccountWritesAccessLogs: [{ type: "AWS", identifiers: [`\${data.aws_elb_service_account.${elbAccountName}.arn}`] }],
      ElbLogDeliveryWritesAccessLogs: [{ type: "Service", identifiers: ["logdelivery.elasticloadbalancing.amazonaws.com"] }],
    });
    for (const s of writers) {
      expect(s["actions"]).toEqual(["s3:PutObject"]);
      expect(s["resources"]).toEqual([`\${aws_s3_bucket.${bucketName}.arn}/AWSLogs/${PRODUCTION.accountId}/*`]);
    }
    const deny = statements.find((s) => s["effect"] === "Deny")!;
    expect(deny["condition"]).toEqual([{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }]);
  });

  it("EDGE-6: the console names of the ALB, its listeners and rules; HTTP/2 to clients, HTTP/1.1 over IPv4 to the targets", () => {
    for (const [, { json, env }] of each()) {
      const p = `tracker-${env.name}`;
      const [, lb] = only(json, "aws_lb");
      expect(lb["tags"]).toEqual({ Name: `${p}-alb` });
      expect(lb["enable_http2"]).toBe(true);
      expect(Object.fromEntries(resources(json, "aws_lb_listener").map(([, l]) => [l["port"], l["tags"]]))).toEqual({
        80: { Name: `${p}-alb-http` },
        443: { Name: `${p}-alb-https` },
      });
      expect(resources(json, "aws_lb_listener_rule").map(([, r]) => r["tags"]["Name"]).sort()).toEqual(
        [`${p}-admin-host`, `${p}-api-host`, `${p}-frontend-host`],
      );
      for (const [, tg] of resources(json, "aws_lb_target_group")) {
        // The tasks speak HTTP/1.1 (gRPC or HTTP/2 targets would need another protocol version).
        expect(tg["protocol_version"]).toBe("HTTP1");
        expect(tg["ip_address_type"]).toBe("ipv4");
      }
    }
    // With an allow-list, the admin host has its forwarding rule and its 403 rule.
    const names = resources(restricted.json, "aws_lb_listener_rule").map(([, r]) => r["tags"]["Name"]).sort();
    expect(names).toEqual(["tracker-staging-admin-allowed-0", "tracker-staging-admin-forbidden", "tracker-staging-api-host", "tracker-staging-frontend-host"]);
  });

  it("EDGE-6, DLV-1: two ip target groups per public web service (primary and canary twin): catalog port, catalog health path, 30 s deregistration", () => {
    for (const [, { json, env }] of each()) {
      const groups = resources(json, "aws_lb_target_group").map(([, tg]) => tg);
      expect(groups.map((tg) => tg["tags"]["Name"]).sort()).toEqual(
        PUBLIC_WEB.flatMap((s) => [resourceName(env.name, s.name), resourceName(env.name, `${s.name}-alt`)]).sort(),
      );
      for (const service of PUBLIC_WEB) {
        for (const component of [service.name, `${service.name}-alt`]) {
          const tg = groups.find((g) => g["tags"]["Name"] === resourceName(env.name, component))!;
          expect(tg["target_type"]).toBe("ip");
          expect(tg["protocol"]).toBe("HTTP");
          const contract = WEB_SERVICES[service.name as keyof typeof WEB_SERVICES];
          expect(tg["port"]).toBe(contract.port);
          expect(tg["vpc_id"]).toBe(VPC_ID);
          expect(String(tg["deregistration_delay"])).toBe(String(DEREGISTRATION_DELAY_SECONDS));
          expect(tg["health_check"]).toEqual({
            enabled: true, path: contract.healthPath, port: "traffic-port", protocol: "HTTP", matcher: "200-399",
            interval: 15, timeout: 5, healthy_threshold: 2, unhealthy_threshold: 3,
          });
          expect(tg["name"].length).toBeLessThanOrEqual(TARGET_GROUP_NAME_MAX);
          expect(tg["lifecycle"]["create_before_destroy"]).toBe(true);
        }
      }
      // Twins, never the same name (the alternate's fingerprint covers its role).
      expect(new Set(groups.map((g) => g["name"])).size).toBe(groups.length);
    }
  });

  it("DLV-1: Terraform ignores changes to the forwarding rules' action (ECS owns the weights); other rules are fully managed", () => {
    for (const [, { json }] of [...each(), ["restricted", restricted] as const]) {
      for (const [, r] of resources(json, "aws_lb_listener_rule")) {
        if (r["action"][0]["type"] === "forward") expect(r["lifecycle"]).toEqual({ ignore_changes: ["action"] });
        else expect(r["lifecycle"]).toBeUndefined();
      }
    }
    // The construct hands out exactly those rules as the services' production rules.
    for (const service of PUBLIC_WEB) {
      const rule = staging.lb.productionListenerRule(service.name);
      expect(rule.priorityInput).toBe((SERVICE_CATALOG.indexOf(service) + 1) * 10);
    }
    expect(() => staging.lb.productionListenerRule("tracker-fetcher")).toThrow(
      'edge: service "tracker-fetcher" has no production listener rule (only public web services do: api, frontend, admin)',
    );
  });

  it("EDGE-6, DLV-1: the target groups keep these names (a new name replaces the group under a running ECS service)", () => {
    for (const [, { json, env }] of each()) {
      const p = `tracker-${env.name}`;
      expect(Object.fromEntries(resources(json, "aws_lb_target_group").map(([, tg]) => [tg["tags"]["Name"], tg["name"]]))).toEqual({
        [`${p}-frontend`]: `${p}-frontend-a0fd`,
        [`${p}-frontend-alt`]: `${p}-frontend-5122`,
        [`${p}-api`]: `${p}-api-3123`,
        [`${p}-api-alt`]: `${p}-api-9e2a`,
        [`${p}-admin`]: `${p}-admin-4abe`,
        [`${p}-admin-alt`]: `${p}-admin-4f86`,
      });
    }
  });

  it("EDGE-6: target group names fit 32 characters, are stable, and change when a replacing setting changes", () => {
    const identity = { port: 3000, protocol: "HTTP", targetType: "ip" };
    // DLV-1: the alternate twin has the same base (one scheme in every environment) and its own fingerprint.
    expect(targetGroupName("staging", "api", identity, "alternate")).toMatch(/^tracker-staging-api-[0-9a-f]{4}$/);
    expect(targetGroupName("staging", "api", identity, "alternate")).not.toBe(targetGroupName("staging", "api", identity));
    expect(targetGroupName("production", "frontend", identity, "alternate")).toMatch(/^tracker-production-frontend-[0-9a-f]{4}$/);
    expect(targetGroupName("production", "frontend", identity, "alternate")).not.toBe(targetGroupName("production", "frontend", identity));
    const name = targetGroupName("production", "frontend", identity);
    expect(name).toMatch(/^tracker-production-frontend-[0-9a-f]{4}$/);
    expect(name.length).toBeLessThanOrEqual(32);
    expect(targetGroupName("production", "frontend", identity)).toBe(name);
    expect(targetGroupName("production", "frontend", { ...identity, port: 3001 })).not.toBe(name);
    const long = targetGroupName("production", "materialized-view-service", identity);
    expect(long.length).toBeLessThanOrEqual(32);
    expect(long).toMatch(/^tracker-production-material-[0-9a-f]{4}$/);
    // A cut that ends on a dash drops it: no "--" before the fingerprint.
    const cutAtDash = targetGroupName("production", "unified-geofence", identity);
    expect(cutAtDash).toMatch(/^tracker-production-unified-[0-9a-f]{4}$/);
    expect(cutAtDash.length).toBeLessThanOrEqual(32);
  });

  it("EDGE-6: the typed outputs resolve to the right resources", () => {
    for (const [, { json }] of each()) {
      const [lbName] = only(json, "aws_lb");
      const [httpsName] = only(json, "aws_lb_listener", (l) => l["port"] === 443);
      const outputs = json.output ?? {};
      expect(outputs["lb-suffix"]?.["value"]).toBe(ref("aws_lb", lbName, "arn_suffix"));
      expect(outputs["lb-dns"]?.["value"]).toBe(ref("aws_lb", lbName, "dns_name"));
      expect(outputs["lb-zone"]?.["value"]).toBe(ref("aws_lb", lbName, "zone_id"));
      expect(outputs["https-listener"]?.["value"]).toBe(ref("aws_lb_listener", httpsName, "arn"));
      for (const service of PUBLIC_WEB) {
        expect(serviceOfTargetGroupRef(json, String(outputs[`tg-arn-${service.name}`]?.["value"]))).toBe(service.name);
        expect(String(outputs[`tg-suffix-${service.name}`]?.["value"])).toMatch(/^\$\{aws_lb_target_group\.[^.]+\.arn_suffix\}$/);
      }
      expect(Object.keys(outputs).filter((k) => k.startsWith("tg-arn-")).sort()).toEqual(PUBLIC_WEB.map((s) => `tg-arn-${s.name}`).sort());
    }
    expect(staging.lb.services).toEqual(PUBLIC_WEB.map((s) => s.name));
    // listenerRules (what the ECS services wait for) are exactly the listener rule resources.
    for (const { lb, json } of [staging, restricted]) {
      expect(lb.listenerRules.map((r) => r.friendlyUniqueId).sort()).toEqual(resources(json, "aws_lb_listener_rule").map(([name]) => name).sort());
    }
    expect(() => staging.lb.targetGroupArn("tracker-fetcher")).toThrow(
      'edge: service "tracker-fetcher" has no target group (only public web services do: api, frontend, admin)',
    );
  });
});
