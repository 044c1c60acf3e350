/**
 * The security-group matrix (SG-1..SG-6), derived from the service catalog: who listens on which
 * port, and who talks to whom. Rules reference groups, not CIDRs; every rule has a description; the
 * only ingress from the internet is the ALB's 80 and 443; nothing opens port 22.
 */
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { resourceName } from "../config/naming";
import type { DataPlaneDefinition, EnvironmentName, ServiceDefinition, ServiceName } from "../config/types";

export const POSTGRES_PORT = 5432;
export const VALKEY_PORT = 6379;
export const NFS_PORT = 2049;

export interface SecurityGroupMatrixProps {
  readonly environment: EnvironmentName;
  readonly vpcId: string;
  readonly catalog: readonly ServiceDefinition[];
  /** Where PostgreSQL and Valkey live: on our host (groups are created) or external (egress to CIDRs). */
  readonly dataPlane: DataPlaneDefinition;
}

type Peer = { readonly group: SecurityGroup } | { readonly cidrIpv4: string } | { readonly cidrIpv6: string };

export class SecurityGroupMatrix extends Construct {
  /** The public ALB (SG-2). */
  readonly alb: SecurityGroup;
  /** The public web services: api, frontend, admin (SG-3). */
  readonly application: SecurityGroup;
  /** The background workers. */
  readonly workers: SecurityGroup;
  /** One group per private service, e.g. anisette (SG-5). */
  readonly privateServices: Readonly<Partial<Record<ServiceName, SecurityGroup>>>;
  /** One group per EFS file system, by the service that owns it (SG-5). */
  readonly fileSystems: Readonly<Partial<Record<ServiceName, SecurityGroup>>>;
  /** PostgreSQL on the database host (SG-4); absent when the database is external. */
  readonly database?: SecurityGroup;
  /** Valkey on the database host (SG-4); absent when Redis is external (MemoryDB). */
  readonly redis?: SecurityGroup;

  /**
   * Every group that may reach the internet, with the port: what a NAT instance must admit from it
   * (NET-3 "instance"), derived from the egress rules rather than listed again.
   */
  readonly internetEgress: { readonly group: SecurityGroup; readonly port: number }[] = [];

  private readonly env: EnvironmentName;

  constructor(scope: Construct, id: string, props: SecurityGroupMatrixProps) {
    super(scope, id);
    this.env = props.environment;
    const group = (component: string, description: string) =>
      new SecurityGroup(this, component, {
        // A prefix, not a fixed name: a change AWS cannot make in place (the description, say) replaces
        // the group, created before the old one is destroyed (which fails while tasks still use it),
        // and a VPC never holds two groups of one name (InvalidGroup.Duplicate). The console and
        // every test read the Name tag.
        namePrefix: `${resourceName(props.environment, component)}-`,
        description,
        vpcId: props.vpcId,
        tags: { Name: resourceName(props.environment, component) },
        lifecycle: { createBeforeDestroy: true },
      });

    this.alb = group("alb", "Public ALB: HTTP and HTTPS from the internet, to the web services only");
    this.application = group("application", "Public web services (api, frontend, admin): from the ALB only");
    this.workers = group("workers", "Background workers: no ingress");
    const privateServices: Partial<Record<ServiceName, SecurityGroup>> = {};
    const fileSystems: Partial<Record<ServiceName, SecurityGroup>> = {};
    for (const service of props.catalog) {
      if (service.kind === "private-service") {
        privateServices[service.name] = group(service.name, `${service.name}: from its consumers only`);
      }
      if (service.storage) {
        fileSystems[service.name] = group(`${service.name}-efs`, `${service.name} EFS: NFS from ${service.name} only`);
      }
    }
    this.privateServices = privateServices;
    this.fileSystems = fileSystems;

    // SG-2: the ALB, open to the internet on 80 and 443 (IPv4 and IPv6) and nothing else.
    for (const port of [80, 443]) {
      for (const cidr of [{ cidrIpv4: "0.0.0.0/0" }, { cidrIpv6: "::/0" }]) {
        const family = "cidrIpv4" in cidr ? "ipv4" : "ipv6";
        this.ingress(this.alb, `internet-${port}-${family}`, port, cidr, `HTTP${port === 443 ? "S" : ""} from the internet (${family})`);
      }
    }

    // SG-2/SG-3: ALB -> each public web service's container port.
    const webPorts = new Map<number, string[]>();
    for (const s of props.catalog.filter((s) => s.kind === "public-web")) {
      webPorts.set(s.port!, [...(webPorts.get(s.port!) ?? []), s.name]);
    }
    for (const [port, names] of webPorts) {
      const who = names.join(", ");
      this.egress(this.alb, `to-application-${port}`, port, { group: this.application }, `To ${who} on ${port}`);
      this.ingress(this.application, `from-alb-${port}`, port, { group: this.alb }, `From the ALB to ${who} on ${port}`);
    }

    // SG-4: PostgreSQL and Valkey, from the services that use them.
    const consumersOf = (dep: ServiceDefinition["talksTo"][number]) =>
      uniqueGroups(props.catalog.filter((s) => s.talksTo.includes(dep)).map((s) => this.groupOf(s)));
    const data = props.dataPlane;
    if (data.mode === "host") {
      this.database = group("database", "Staging database host: PostgreSQL from the ECS services that use it");
      this.redis = group("redis", "Staging Valkey on the database host: from the ECS services that use it");
      const endpoints = [
        { dep: "db" as const, target: this.database, port: POSTGRES_PORT, label: "PostgreSQL" },
        { dep: "redis" as const, target: this.redis, port: VALKEY_PORT, label: "Valkey" },
      ];
      for (const { dep, target, port, label } of endpoints) {
        for (const consumer of consumersOf(dep)) {
          const from = this.componentOf(consumer);
          this.ingress(target, `from-${from}`, port, { group: consumer }, `${label} from ${from}`);
          this.egress(consumer, `to-${dep}`, port, { group: target }, `${label} on the database host`);
        }
      }
      // The host installs packages and calls AWS APIs through NAT.
      this.egress(this.database, "https-out", 443, { cidrIpv4: "0.0.0.0/0" }, "HTTPS to package repositories and AWS APIs");
      this.egress(this.database, "http-out", 80, { cidrIpv4: "0.0.0.0/0" }, "HTTP to Debian package mirrors");
    } else {
      const endpoints = [
        { dep: "db" as const, port: data.postgres.port, cidrs: data.postgres.cidrs, label: "PostgreSQL (Patroni)" },
        { dep: "redis" as const, port: data.redis.port, cidrs: data.redis.cidrs, label: "Valkey (MemoryDB)" },
      ];
      for (const { dep, port, cidrs, label } of endpoints) {
        for (const consumer of consumersOf(dep)) {
          cidrs.forEach((cidr, i) => {
            this.egress(consumer, `to-${dep}-${i}`, port, { cidrIpv4: cidr }, `${label} at ${cidr}`);
          });
        }
      }
    }

    // SG-5: private services from their consumers; EFS from its owner only.
    for (const service of props.catalog) {
      const target = privateServices[service.name];
      if (target) {
        const consumers = uniqueGroups(
          props.catalog.filter((s) => s.talksTo.includes(service.name as ServiceDefinition["talksTo"][number])).map((s) => this.groupOf(s)),
        );
        for (const consumer of consumers) {
          const from = this.componentOf(consumer);
          this.ingress(target, `from-${from}`, service.port!, { group: consumer }, `${service.name} from ${from}`);
          this.egress(consumer, `to-${service.name}`, service.port!, { group: target }, `To ${service.name} on ${service.port}`);
        }
      }
      const efs = fileSystems[service.name];
      if (efs) {
        const owner = this.groupOf(service);
        this.ingress(efs, `from-${service.name}`, NFS_PORT, { group: owner }, `NFS from ${service.name}`);
        this.egress(owner, `to-${service.name}-efs`, NFS_PORT, { group: efs }, `NFS to the ${service.name} file system`);
      }
    }

    // Every ECS task pulls images, reads secrets and calls external HTTPS APIs through NAT.
    for (const tasks of uniqueGroups(props.catalog.map((s) => this.groupOf(s)))) {
      this.egress(tasks, "https-out", 443, { cidrIpv4: "0.0.0.0/0" }, "HTTPS to AWS APIs, ECR and external APIs");
    }
  }

  /** The security group an ECS service's tasks run in. */
  groupOf(service: ServiceDefinition): SecurityGroup {
    switch (service.kind) {
      case "public-web":
        return this.application;
      case "worker":
        return this.workers;
      case "private-service": {
        const g = this.privateServices[service.name];
        if (!g) throw new Error(`security groups: no group for private service ${service.name}`);
        return g;
      }
    }
  }

  private componentOf(group: SecurityGroup): string {
    // The construct ID of each group is its component name.
    return group.node.id;
  }

  private ingress(target: SecurityGroup, id: string, port: number, peer: Peer, description: string): void {
    new VpcSecurityGroupIngressRule(this, `${target.node.id}-in-${id}`, {
      securityGroupId: target.id,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      description,
      ...peerProps(peer),
      tags: { Name: resourceName(this.env, `${target.node.id}-in-${id}`) },
    });
  }

  private egress(source: SecurityGroup, id: string, port: number, peer: Peer, description: string): void {
    if ("cidrIpv4" in peer && peer.cidrIpv4 === "0.0.0.0/0") this.internetEgress.push({ group: source, port });
    new VpcSecurityGroupEgressRule(this, `${source.node.id}-out-${id}`, {
      securityGroupId: source.id,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      description,
      ...peerProps(peer),
      tags: { Name: resourceName(this.env, `${source.node.id}-out-${id}`) },
    });
  }
}

function peerProps(peer: Peer): { referencedSecurityGroupId?: string; cidrIpv4?: string; cidrIpv6?: string } {
  if ("group" in peer) return { referencedSecurityGroupId: peer.group.id };
  return peer;
}

function uniqueGroups(groups: SecurityGroup[]): SecurityGroup[] {
  return [...new Set(groups)];
}
