/**
 * The typed shape of everything that differs between environments (CFG-4), and of the service
 * catalog (ARCHITECTURE.md principle 1). Data only: no constructs are built from here.
 */

export type EnvironmentName = "staging" | "production";

/** Fargate CPU architecture. Graviton (ARM64) unless an image is amd64-only. */
export type CpuArchitecture = "ARM64" | "X86_64";

/** `single`: one NAT gateway for the VPC (cheap). `per-az`: one per availability zone (resilient). */
export type NatStrategy = "single" | "per-az";

/** The three subnet tiers of NET-2, one subnet of each per availability zone. */
export interface SubnetTiers<T> {
  /** ALB and NAT gateways. */
  readonly public: T;
  /** ECS tasks. */
  readonly application: T;
  /** The database host and EFS mount targets. */
  readonly data: T;
}

/** A VPC this stack creates (NET-1). */
export interface CreatedNetworkDefinition {
  readonly mode: "create";
  /** The VPC's IPv4 CIDR; must not overlap `reservedCidrs`. */
  readonly vpcCidr: string;
  /** Subnet CIDRs per tier, one per entry of `availabilityZones`, in the same order. */
  readonly subnets: SubnetTiers<readonly string[]>;
  readonly natStrategy: NatStrategy;
  /**
   * Existing VPCs of the same account and region this VPC is peered with, e.g. the one holding
   * production's Patroni cluster and MemoryDB (PRD-2). @default - none
   */
  readonly peerings?: readonly VpcPeeringDefinition[];
}

/** A same-account, same-region VPC peering with routes on both sides (private tiers only). */
export interface VpcPeeringDefinition {
  /** A short name for the peering's resources, e.g. "patroni". */
  readonly name: string;
  readonly peerVpcId: string;
  /** The peer VPC's CIDR: routed to from this VPC's private tiers; must not overlap this VPC. */
  readonly peerCidr: string;
  /** The peer's route tables that get a route back to this VPC's application subnets. */
  readonly peerRouteTableIds: readonly string[];
  /**
   * Private hosted zones of the peer (e.g. the one that resolves the Patroni endpoint's name) that
   * this VPC must resolve too. @default - none
   */
  readonly privateZoneIds?: readonly string[];
}

/** How to find an existing subnet or VPC: by ID, or by tags (subnets: tags plus the AZ). */
export type ExistingLookup =
  | { readonly ids: readonly string[] }
  | { readonly tags: Readonly<Record<string, string>> };

/**
 * An existing VPC that this stack adopts instead of creating one (PRD-2: production's Patroni
 * cluster already lives in one). Nothing of the adopted network is managed here except what is
 * additive (security groups, flow log).
 */
export interface AdoptedNetworkDefinition {
  readonly mode: "adopt";
  /** The VPC, by ID or by tags. */
  readonly vpc: { readonly id: string } | { readonly tags: Readonly<Record<string, string>> };
  /** The adopted VPC's CIDR as declared by its owners; validated against `reservedCidrs` and subnets. */
  readonly vpcCidr: string;
  /** Per tier: subnet IDs (one per AZ, in AZ order) or tags that find one subnet per AZ. */
  readonly subnets: SubnetTiers<ExistingLookup>;
  /** Whether to add a VPC flow log to the adopted VPC (NET-5). @default true */
  readonly flowLogs?: boolean;
}

export type NetworkDefinition = CreatedNetworkDefinition | AdoptedNetworkDefinition;

/** Public hostnames (EDGE-1), by the public web service that answers on them. */
export interface PublicHostnames {
  readonly frontend: string;
  readonly api: string;
  readonly admin: string;
}

export interface DnsDefinition {
  /** The Cloudflare zone every hostname sits in. */
  readonly zoneName: string;
  readonly hostnames: PublicHostnames;
}

export interface LoadBalancerDefinition {
  /** EDGE-6: production protects its ALB from deletion. */
  readonly deletionProtection: boolean;
  /** EDGE-6: production writes ALB access logs to an S3 bucket. */
  readonly accessLogs: boolean;
  /** EDGE-5: when non-empty, only these source CIDRs reach the admin panel (others get 403). */
  readonly adminAllowedCidrs: readonly string[];
}

/** Target-tracking autoscaling of one service (ECS-7). */
export interface AutoscalingDefinition {
  readonly minCount: number;
  readonly maxCount: number;
  /** Average CPU utilisation the service is scaled to hold, in percent. */
  readonly cpuTargetPercent: number;
}

/** Size and count of one service in one environment (ECS-3, ECS-7). */
export interface ServiceSizing {
  /** Fargate CPU units (256, 512, 1024, 2048, 4096, 8192, 16384). */
  readonly cpu: number;
  /** Fargate memory in MiB; must be valid for `cpu`. */
  readonly memory: number;
  readonly desiredCount: number;
  /** @default - fixed at `desiredCount` */
  readonly autoscaling?: AutoscalingDefinition;
}

/** The versions of the database stack, pinned to production's Patroni cluster (DB-5). */
export interface DatabaseVersions {
  /** PostgreSQL major version, e.g. "16". */
  readonly postgres: string;
  /** TimescaleDB version, e.g. "2.17.2". */
  readonly timescaledb: string;
  /** PostGIS major.minor, e.g. "3.5". */
  readonly postgis: string;
  /** Valkey major.minor, e.g. "8.0" (MemoryDB's engine version in production). */
  readonly valkey: string;
}

/** Staging: one EC2 host runs PostgreSQL + TimescaleDB + PostGIS and Valkey (DB-1..DB-8). */
export interface DatabaseHostDefinition {
  readonly mode: "host";
  /** A Graviton (ARM64) instance type, e.g. "t4g.large". */
  readonly instanceType: string;
  /** Size of the separate gp3 data volume in GiB. */
  readonly dataVolumeGiB: number;
  /** How many daily snapshots of the data volume are kept. */
  readonly snapshotRetentionDays: number;
  /** The application's database name. */
  readonly databaseName: string;
  /** The application's database role. */
  readonly databaseUser: string;
}

/** Production: the Patroni cluster and MemoryDB already exist; the stack only points at them (PRD-2). */
export interface ExternalDataDefinition {
  readonly mode: "external";
  readonly postgres: {
    /** The Patroni cluster's client endpoint (its leader VIP or HAProxy name). */
    readonly host: string;
    readonly port: number;
    readonly databaseName: string;
    readonly databaseUser: string;
    /** Where the cluster lives, so application egress can be limited to it. */
    readonly cidrs: readonly string[];
  };
  readonly redis: {
    /** MemoryDB cluster configuration endpoint. */
    readonly host: string;
    readonly port: number;
    /** The application's MemoryDB ACL user (its password is the `redis-password` secret). */
    readonly user: string;
    readonly cidrs: readonly string[];
  };
}

export type DataPlaneDefinition = DatabaseHostDefinition | ExternalDataDefinition;

export interface EnvironmentDefinition {
  readonly name: EnvironmentName;
  /** The AWS account this environment (and only this one) acts on (ACC-1). 12 digits. */
  readonly accountId: string;
  readonly region: string;
  /** The availability zones used, at least two (NET-2). */
  readonly availabilityZones: readonly string[];
  readonly network: NetworkDefinition;
  /** CIDRs already used in this account by other projects; the VPC must not overlap them (NET-1). */
  readonly reservedCidrs: readonly string[];
  readonly dns: DnsDefinition;
  readonly loadBalancer: LoadBalancerDefinition;
  /** Retention of the services' and flow logs' CloudWatch log groups, in days (ECS-4, NET-5). */
  readonly logRetentionDays: number;
  /** ECS Exec for debugging (ECS-9). */
  readonly ecsExec: boolean;
  /** Alarm notifications go to this address when set (OBS-2). @default - no subscription */
  readonly alarmEmail?: string;
  /** Size, count and scaling of every service (ECS-3, ECS-7). */
  readonly services: Readonly<Record<ServiceName, ServiceSizing>>;
  readonly databaseVersions: DatabaseVersions;
  readonly dataPlane: DataPlaneDefinition;
  /** ECR lifecycle: how many images each repository keeps (ECR-1). */
  readonly imagesKept: number;
  /** The API's token settings, published in Parameter Store (CFG-2). */
  readonly authTokens: AuthTokenSettings;
  /** CI access to this account (ACC-4). */
  readonly ci: CiDefinition;
  /**
   * Values of this definition that the platform team has not yet checked against the account
   * (RUN-2). The deploy preflight (`npm run preflight -- <env>`) refuses while an entry that
   * `blocksDeploy` is listed; remove an entry once its value is checked. @default - every value is confirmed
   */
  readonly pendingConfirmations?: readonly PendingConfirmation[];
}

/** A value of the configuration that still has to be checked against the real account (RUN-2). */
export interface PendingConfirmation {
  /**
   * The field, as validation names it: relative to the environment (`dataPlane.postgres.host`,
   * `reservedCidrs`) or, in `ProjectDefinition`, relative to the project (`applicationRepositories`).
   */
  readonly field: string;
  /** What to check, and where. */
  readonly check: string;
  /**
   * Whether deploying the environment stack with a wrong value would leave its services broken or
   * force replacing what holds its data or traffic (then the preflight refuses). `false` for values
   * that only the bootstrap stack uses (a wrong one fails that apply visibly and is fixed by
   * re-applying it) or whose error harms nothing deployed (the preflight lists them as notes).
   */
  readonly blocksDeploy: boolean;
}

/** How the API signs and expires its tokens (CFG-2: `access-token-expire-minutes`, ...). */
export interface AuthTokenSettings {
  readonly accessTokenExpireMinutes: number;
  readonly refreshTokenExpireDays: number;
  /** The JWT signing algorithm; `secret-key` is an HMAC key, so an HS* algorithm. */
  readonly algorithm: "HS256" | "HS384" | "HS512";
}

export interface CiDefinition {
  /**
   * An account holds one IAM OIDC provider per issuer URL. `create` makes GitHub's; `existing` uses
   * the one another project already made in a shared account.
   */
  readonly githubOidcProvider: "create" | "existing";
  /**
   * Which GitHub workflow runs may assume the deploy role: the `main` branch and/or the GitHub
   * environment named after this environment (production: the environment only, behind approval).
   */
  readonly deployFrom: readonly ("main-branch" | "github-environment")[];
}

/** Settings that belong to the project rather than to one environment. */
export interface ProjectDefinition {
  /** The naming prefix and `Project` tag (ACC-5). */
  readonly name: "tracker";
  /** `owner/name` of the GitHub repository whose workflows may assume the CI roles (ACC-4). */
  readonly githubRepository: string;
  /** The GitHub environment whose deployments may assume the production deploy role. */
  readonly githubProductionEnvironment: string;
  /**
   * `owner/name` of the application repositories whose `main` branch may push images through the
   * reusable `build-image.yml` workflow (CD-5) with the `tracker-<env>-ci-image-push` role.
   */
  readonly applicationRepositories: readonly string[];
  /** Project values not yet checked (RUN-2), see `EnvironmentDefinition.pendingConfirmations`. @default - none */
  readonly pendingConfirmations?: readonly PendingConfirmation[];
}

// ---------------------------------------------------------------------------------------------
// The service catalog's types
// ---------------------------------------------------------------------------------------------

export type ServiceName =
  | "api"
  | "frontend"
  | "admin"
  | "tracker-fetcher"
  | "unified-geofence"
  | "notification-service"
  | "materialized-view-service"
  | "anisette";

/**
 * `public-web`: behind the ALB on a hostname. `private-service`: answers other services inside the
 * VPC, never the ALB. `worker`: accepts no traffic at all.
 */
export type ServiceKind = "public-web" | "private-service" | "worker";

/** The Secrets Manager secrets of CFG-1, by their short name (`tracker/<env>/<name>`). */
export type SecretName = "postgres-password" | "secret-key" | "redis-password";

/** The Parameter Store parameters of CFG-2, by their short name (`/tracker/<env>/<name>`). */
export type ParameterName =
  | "api-url"
  | "postgres-host"
  | "postgres-port"
  | "postgres-db"
  | "postgres-user"
  | "redis-host"
  | "redis-port"
  | "redis-user"
  | "redis-tls"
  | "redis-cluster"
  | "access-token-expire-minutes"
  | "refresh-token-expire-days"
  | "algorithm"
  | "anisette-url"
  /** The CA that verifies PostgreSQL and Redis TLS: the staging host's own CA (PEM), or `system` (public CAs). */
  | "database-ca-certificate";

/** What a service connects to; security-group rules are derived from it (SG-4, SG-5). */
export type Dependency = "db" | "redis" | "anisette";

export interface ServiceDefinition {
  readonly name: ServiceName;
  readonly kind: ServiceKind;
  /** The container port (public-web and private-service only). */
  readonly port?: number;
  /** The internal DNS name other services use (ECS-8). */
  readonly discoveryName: string;
  /** The ALB health check path (public-web only). */
  readonly healthPath?: string;
  /** The container health check (ECS-5), an ECS `healthCheck.command`. */
  readonly healthCommand: readonly string[];
  /** The ECR repository's short name; the full name is derived per environment. */
  readonly repository: string;
  readonly architecture: CpuArchitecture;
  readonly secrets: readonly SecretName[];
  readonly parameters: readonly ParameterName[];
  readonly talksTo: readonly Dependency[];
  /** Persistent storage mounted into the container (EFS-2). @default - none */
  readonly storage?: { readonly efsMountPath: string };
}
