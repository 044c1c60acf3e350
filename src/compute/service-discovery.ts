/**
 * Internal names (ECS-8): a Cloud Map private DNS namespace on the VPC (`<env>.tracker.internal`),
 * one Cloud Map service per catalog component named by its `discoveryName` (ECS services register
 * their tasks' IPs through `service_registries`), and the data endpoints `db` and `redis`, registered
 * here as instances: the staging host's fixed private IP (A record) or production's external
 * endpoints (CNAME). Nothing uses Compose names, `extra_hosts` or host ports.
 */
import { ServiceDiscoveryInstance } from "@cdktf/provider-aws/lib/service-discovery-instance";
import { ServiceDiscoveryPrivateDnsNamespace } from "@cdktf/provider-aws/lib/service-discovery-private-dns-namespace";
import { ServiceDiscoveryService } from "@cdktf/provider-aws/lib/service-discovery-service";
import { Construct } from "constructs";
import { internalNamespace, resourceName } from "../config/naming";
import { SERVICE_CATALOG } from "../config/service-catalog";
import type { Dependency, EnvironmentName, ServiceDefinition, ServiceName } from "../config/types";

/** The data endpoints other than ECS services that get an internal name. */
export type DataEndpointName = Extract<Dependency, "db" | "redis">;

/** Where a data endpoint is: a fixed private IPv4 address (A record) or another DNS name (CNAME). */
export type EndpointTarget = { readonly ipv4: string } | { readonly cname: string };

/** `db` -> `db.staging.tracker.internal`: the name a container resolves inside the VPC (ECS-8). */
export function internalHostname(env: EnvironmentName, discoveryName: string): string {
  return `${discoveryName}.${internalNamespace(env)}`;
}

/** DNS TTL of the ECS services' A records: short, so replaced tasks are found quickly. */
export const SERVICE_RECORD_TTL_SECONDS = 10;
/** DNS TTL of the data endpoints' records: they change only with the infrastructure. */
export const ENDPOINT_RECORD_TTL_SECONDS = 30;

export interface ServiceDiscoveryProps {
  readonly environment: EnvironmentName;
  /** The VPC the namespace's private hosted zone is associated with. */
  readonly vpcId: string;
  /**
   * The services that get a name (their `discoveryName`).
   * @default SERVICE_CATALOG
   */
  readonly catalog?: readonly ServiceDefinition[];
}

export class ServiceDiscovery extends Construct {
  readonly namespace: ServiceDiscoveryPrivateDnsNamespace;
  /** The namespace's name, e.g. `staging.tracker.internal`. */
  readonly namespaceName: string;
  readonly namespaceId: string;
  /** The Cloud Map service of each catalog component. */
  readonly services: Readonly<Partial<Record<ServiceName, ServiceDiscoveryService>>>;
  /** The Cloud Map services of the data endpoints registered so far. */
  readonly endpoints: Partial<Record<DataEndpointName, ServiceDiscoveryService>> = {};

  private readonly env: EnvironmentName;
  private readonly discoveryNames = new Set<string>();

  constructor(scope: Construct, id: string, props: ServiceDiscoveryProps) {
    super(scope, id);
    this.env = props.environment;
    this.namespaceName = internalNamespace(props.environment);
    this.namespace = new ServiceDiscoveryPrivateDnsNamespace(this, "namespace", {
      name: this.namespaceName,
      vpc: props.vpcId,
      description: `Internal names of the tracker ${props.environment} services (ECS-8)`,
      tags: { Name: resourceName(props.environment, "internal-namespace") },
    });
    this.namespaceId = this.namespace.id;

    const services: Partial<Record<ServiceName, ServiceDiscoveryService>> = {};
    const seen = new Map<string, ServiceName>();
    for (const service of props.catalog ?? SERVICE_CATALOG) {
      const other = seen.get(service.discoveryName);
      if (other) {
        throw new Error(`service discovery: ${service.name} and ${other} share the discovery name "${service.discoveryName}"`);
      }
      seen.set(service.discoveryName, service.name);
      this.discoveryNames.add(service.discoveryName);
      services[service.name] = new ServiceDiscoveryService(this, service.name, {
        name: service.discoveryName,
        description: `${service.name} tasks (registered by ECS)`,
        dnsConfig: {
          namespaceId: this.namespace.id,
          routingPolicy: "MULTIVALUE",
          dnsRecords: [{ type: "A", ttl: SERVICE_RECORD_TTL_SECONDS }],
        },
        // ECS reports task health to Cloud Map; an unhealthy task leaves DNS at once.
        healthCheckCustomConfig: { failureThreshold: 1 },
        tags: { Name: resourceName(props.environment, `discovery-${service.name}`) },
      });
    }
    this.services = services;
  }

  /** The Cloud Map service ARN for an ECS service's `service_registries.registry_arn`. */
  serviceArn(service: ServiceName): string {
    const found = this.services[service];
    if (!found) throw new Error(`service discovery: no Cloud Map service for ${service}`);
    return found.arn;
  }

  /** The name a service is reached by inside the VPC, e.g. `anisette-v3.staging.tracker.internal`. */
  hostnameOf(discoveryName: string): string {
    return internalHostname(this.env, discoveryName);
  }

  /**
   * Makes `<name>.<namespace>` resolve to a data endpoint: an A record for a fixed private IP (the
   * staging database host) or a CNAME for another DNS name (production's Patroni and MemoryDB).
   * Returns the Cloud Map service; call once per name.
   */
  registerEndpoint(name: DataEndpointName, target: EndpointTarget): ServiceDiscoveryService {
    if (this.endpoints[name]) throw new Error(`service discovery: endpoint "${name}" is already registered`);
    if (this.discoveryNames.has(name)) {
      throw new Error(`service discovery: "${name}" is already the discovery name of a catalog service`);
    }
    const isIp = "ipv4" in target;
    const service = new ServiceDiscoveryService(this, `endpoint-${name}`, {
      name,
      description: `${name}: ${isIp ? "the database host's private address" : "an external endpoint"} (ECS-8)`,
      dnsConfig: {
        namespaceId: this.namespace.id,
        // Cloud Map accepts CNAME records only with WEIGHTED routing.
        routingPolicy: isIp ? "MULTIVALUE" : "WEIGHTED",
        dnsRecords: [{ type: isIp ? "A" : "CNAME", ttl: ENDPOINT_RECORD_TTL_SECONDS }],
      },
      tags: { Name: resourceName(this.env, `discovery-${name}`) },
    });
    new ServiceDiscoveryInstance(this, `endpoint-${name}-instance`, {
      serviceId: service.id,
      instanceId: name,
      attributes: isIp ? { AWS_INSTANCE_IPV4: target.ipv4 } : { AWS_INSTANCE_CNAME: target.cname },
    });
    this.endpoints[name] = service;
    return service;
  }
}
