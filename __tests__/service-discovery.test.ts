import { describe, expect, it } from "vitest";
import { ServiceDiscoveryInstance } from "@cdktf/provider-aws/lib/service-discovery-instance";
import { ServiceDiscoveryPrivateDnsNamespace } from "@cdktf/provider-aws/lib/service-discovery-private-dns-namespace";
import { ServiceDiscoveryService } from "@cdktf/provider-aws/lib/service-discovery-service";
import { ServiceDiscovery } from "../src/compute/service-discovery";
import { PRODUCTION, STAGING } from "../src/config/environments";
import { SERVICE_CATALOG } from "../src/config/service-catalog";
import type { EnvironmentDefinition } from "../src/config/types";
import { only, referenceOf, resources, synthConstructs, type SynthesizedStack } from "./support/synth";

/** The staging database host's fixed private address (a stub of what the host construct gives). */
const DATABASE_HOST_IP = "10.42.64.10";

function build(env: EnvironmentDefinition): { json: SynthesizedStack; discovery: ServiceDiscovery } {
  let discovery!: ServiceDiscovery;
  const json = synthConstructs(env, (stack) => {
    discovery = new ServiceDiscovery(stack, "discovery", { environment: env.name, vpcId: "vpc-stub" });
    const data = env.dataPlane;
    if (data.mode === "host") {
      discovery.registerEndpoint("db", { ipv4: DATABASE_HOST_IP });
      discovery.registerEndpoint("redis", { ipv4: DATABASE_HOST_IP });
    } else {
      discovery.registerEndpoint("db", { cname: data.postgres.host });
      discovery.registerEndpoint("redis", { cname: data.redis.host });
    }
  });
  return { json, discovery };
}

// Synthesized once per environment for the whole file.
const built = { staging: build(STAGING), production: build(PRODUCTION) };

/** The internal DNS names: each catalog row's `discoveryName`. */
const SERVICE_NAMES = SERVICE_CATALOG.map((s) => s.discoveryName);

describe.each(["staging", "production"] as const)("service discovery (%s)", (envName) => {
  const { json, discovery } = built[envName];
  const [nsName, namespace] = only(json, ServiceDiscoveryPrivateDnsNamespace.tfResourceType);
  const namespaceId = referenceOf(ServiceDiscoveryPrivateDnsNamespace.tfResourceType, nsName, "id");
  const services = resources(json, ServiceDiscoveryService.tfResourceType);
  const byName = (name: string) => {
    const found = services.filter(([, s]) => s.name === name);
    expect(found, `one Cloud Map service named ${name}`).toHaveLength(1);
    return found[0]!;
  };

  it("ECS-8: a private DNS namespace <env>.tracker.internal on the VPC", () => {
    expect(namespace.name).toBe(`${envName}.tracker.internal`);
    expect(namespace.vpc).toBe("vpc-stub");
    expect(discovery.namespaceName).toBe(`${envName}.tracker.internal`);
  });

  it("ECS-8: every internal name resolves: each catalog service plus db and redis, nothing else", () => {
    expect(services.map(([, s]) => s.name).sort()).toEqual([...SERVICE_NAMES, "db", "redis"].sort());
  });

  it("ECS-8: the Cloud Map console says what each name is and who registers it", () => {
    expect(namespace.description).toBe(`Internal names of the tracker ${envName} services (ECS-8)`);
    expect(namespace.tags).toEqual({ Name: `tracker-${envName}-internal-namespace` });
    const endpoint = envName === "staging" ? "the database host's private address" : "an external endpoint";
    expect(Object.fromEntries(services.map(([, s]) => [s.name, s.description]))).toEqual({
      ...Object.fromEntries(SERVICE_CATALOG.map((s) => [s.discoveryName, `${s.name} tasks (registered by ECS)`])),
      db: `db: ${endpoint} (ECS-8)`,
      redis: `redis: ${endpoint} (ECS-8)`,
    });
  });

  it("ECS-8: each service's name is an A record set (MULTIVALUE, TTL 10-30 s) whose health ECS reports", () => {
    for (const name of SERVICE_NAMES) {
      const [, service] = byName(name);
      expect(service.dns_config.namespace_id).toBe(namespaceId);
      expect(service.dns_config.routing_policy).toBe("MULTIVALUE");
      expect(service.dns_config.dns_records).toHaveLength(1);
      expect(service.dns_config.dns_records[0].type).toBe("A");
      expect(service.dns_config.dns_records[0].ttl).toBeGreaterThanOrEqual(10);
      expect(service.dns_config.dns_records[0].ttl).toBeLessThanOrEqual(30);
      expect(service.health_check_custom_config).toEqual({ failure_threshold: 1 });
      expect(service.tags).toEqual({ Name: `tracker-${envName}-discovery-${SERVICE_CATALOG.find((s) => s.discoveryName === name)!.name}` });
    }
    // Named after the service, not after its DNS name.
    expect(byName("anisette-v3")[1].tags).toEqual({ Name: `tracker-${envName}-discovery-anisette` });
  });

  it("ECS-8: serviceArn gives each catalog service's Cloud Map service ARN for its service_registries", () => {
    for (const service of SERVICE_CATALOG) {
      expect(discovery.serviceArn(service.name)).toMatch(/^\$\{TfToken\[/);
      expect(discovery.services[service.name]).toBeDefined();
    }
    expect(discovery.hostnameOf("anisette-v3")).toBe(`anisette-v3.${envName}.tracker.internal`);
  });

  it("ECS-8: an endpoint cannot be registered twice", () => {
    expect(() => discovery.registerEndpoint("db", { ipv4: "10.0.0.1" })).toThrow(/already registered/);
  });
});

describe("service discovery: db and redis", () => {
  const instances = (json: SynthesizedStack, serviceName: string) => {
    const [name] = only(json, ServiceDiscoveryService.tfResourceType, (s) => s.name === serviceName);
    return resources(json, ServiceDiscoveryInstance.tfResourceType)
      .filter(([, i]) => i.service_id === referenceOf(ServiceDiscoveryService.tfResourceType, name, "id"))
      .map(([, i]) => i);
  };

  it("ECS-8: staging's db and redis are A records to the database host's private IP", () => {
    const json = built.staging.json;
    for (const name of ["db", "redis"]) {
      const [, service] = only(json, ServiceDiscoveryService.tfResourceType, (s) => s.name === name);
      expect(service.dns_config.dns_records).toEqual([expect.objectContaining({ type: "A" })]);
      // A records of a fixed address: MULTIVALUE (WEIGHTED is for the CNAMEs below).
      expect(service.dns_config.routing_policy).toBe("MULTIVALUE");
      expect(service.tags).toEqual({ Name: `tracker-staging-discovery-${name}` });
      expect(instances(json, name)).toEqual([{ instance_id: name, service_id: expect.any(String), attributes: { AWS_INSTANCE_IPV4: DATABASE_HOST_IP } }]);
    }
  });

  it("ECS-8, PRD-2: production's db and redis are CNAMEs to the Patroni and MemoryDB endpoints of its definition", () => {
    const json = built.production.json;
    const data = PRODUCTION.dataPlane;
    if (data.mode !== "external") throw new Error("production's data plane is external");
    for (const [name, host] of [
      ["db", data.postgres.host],
      ["redis", data.redis.host],
    ] as const) {
      const [, service] = only(json, ServiceDiscoveryService.tfResourceType, (s) => s.name === name);
      expect(service.dns_config.dns_records).toEqual([expect.objectContaining({ type: "CNAME" })]);
      // Cloud Map accepts CNAME records only with WEIGHTED routing.
      expect(service.dns_config.routing_policy).toBe("WEIGHTED");
      expect(service.health_check_custom_config).toBeUndefined();
      expect(instances(json, name)).toEqual([{ instance_id: name, service_id: expect.any(String), attributes: { AWS_INSTANCE_CNAME: host } }]);
    }
  });

  it("ECS-8: a catalog whose services share a discovery name is refused", () => {
    expect(() =>
      synthConstructs(STAGING, (stack) => {
        new ServiceDiscovery(stack, "discovery", {
          environment: "staging",
          vpcId: "vpc-stub",
          catalog: [SERVICE_CATALOG[0]!, { ...SERVICE_CATALOG[1]!, discoveryName: SERVICE_CATALOG[0]!.discoveryName }],
        });
      }),
    ).toThrow(/share the discovery name "api"/);
  });
});
