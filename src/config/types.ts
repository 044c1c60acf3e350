/**
 * The typed shape of everything that differs between environments (CFG-4), and of the service
 * catalog (ARCHITECTURE.md principle 1). Data only: no constructs are built from here.
 */

export type EnvironmentName = "staging" | "production";

/** Fargate CPU architecture. Graviton (ARM64) unless an image is amd64-only. */
export type CpuArchitecture = "ARM64" | "X86_64";

/**
 * `single`: one NAT gateway for the VPC. `per-az`: one per availability zone (resilient: an AZ's
 * outage takes only its own egress). `instance`: one Graviton NAT instance (cheapest; egress stops
 * for a minute or two while the instance recovers or is replaced).
 */
export type NatStrategy = "single" | "per-az" | "instance";

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
  /** The NAT instance's type with `natStrategy: "instance"` (a Graviton type). @default "t4g.nano" */
  readonly natInstanceType?: string;
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
  /** EDGE-7: the WAFv2 web ACL in front of the ALB. */
  readonly waf: WebAclDefinition;
  /** EDGE-8: the security headers the HTTPS listener adds to every response. */
  readonly securityHeaders: SecurityHeadersDefinition;
}

/**
 * EDGE-7: the AWS WAF web ACL associated with the ALB (AWS managed rule groups for common exploits,
 * known bad inputs and IP reputation, plus a rate limit per client IP), logged to CloudWatch Logs.
 */
export interface WebAclDefinition {
  /** Whether the ALB gets the web ACL (on in production; staging turns it on for a release rehearsal). */
  readonly enabled: boolean;
  /**
   * Requests one client IP may send in any 5-minute window (WAF's rate-based rule, evaluation window
   * 300 s) before WAF blocks it until its rate falls below the limit. AWS accepts 10..2,000,000,000.
   */
  readonly rateLimitPer5Min: number;
  /**
   * Rules of `AWSManagedRulesCommonRuleSet` that only count (log and measure) instead of blocking,
   * e.g. `SizeRestrictions_BODY`, which would block every request body over 8 KB (API uploads).
   */
  readonly countOnlyCommonRules: readonly string[];
  /** Blocked requests in 5 minutes (all rules together) that raise the blocked-request alarm. */
  readonly blockedRequestsAlarmThreshold: number;
}

/** `X-Frame-Options` values the ALB accepts without a URI (`ALLOW-FROM` is obsolete in browsers). */
export type FrameOptions = "DENY" | "SAMEORIGIN";

/**
 * EDGE-8: response headers the HTTPS listener sets (ALB `routing.http.response.*` attributes), so no
 * application has to; the ALB overwrites whatever a target sends for these headers.
 */
export interface SecurityHeadersDefinition {
  /** `Strict-Transport-Security: max-age=<seconds>`. Production: at least one year (31536000). */
  readonly hstsMaxAgeSeconds: number;
  /** Adds `includeSubDomains`: every name below each public hostname is HTTPS-only too. */
  readonly hstsIncludeSubdomains: boolean;
  /**
   * Adds `preload` (asks browsers' built-in HSTS lists to include the names; hard to undo). Only with
   * `includeSubDomains` and a max-age of at least one year, as the preload list requires.
   */
  readonly hstsPreload: boolean;
  /** `X-Frame-Options`: `DENY` (no framing at all) or `SAMEORIGIN`. */
  readonly frameOptions: FrameOptions;
}

/**
 * COST-2: the off-hours schedule. Inside it everything runs; outside it every ECS service is scaled to
 * zero (Application Auto Scaling scheduled actions) and the database host is stopped (EventBridge
 * Scheduler). The host starts `DATABASE_HOST_LEAD_MINUTES` before the services and stops as long
 * after them (`src/compute/off-hours-schedule.ts`). Times are wall-clock times of `timezone`: the
 * schedulers follow its daylight-saving changes.
 */
export interface OffHoursScheduleDefinition {
  /** Whether the environment stops outside the schedule (staging: on; production: off). */
  readonly enabled: boolean;
  /** An IANA time zone, e.g. "Europe/Berlin". */
  readonly timezone: string;
  /** The days it runs, as a cron day-of-week field of day names: "MON-FRI", "MON-SAT", "MON,WED,FRI". */
  readonly weekdays: string;
  /** "HH:MM": the services start (the host 15 minutes earlier). */
  readonly start: string;
  /** "HH:MM": the services stop (the host 15 minutes later). Later than `start` on the same day. */
  readonly stop: string;
}

/**
 * DLV-1: how the public web services (api, frontend, admin) roll out a new revision: ECS's built-in
 * CANARY strategy. ECS starts the new revision's tasks in the alternate target group, shifts
 * `canaryPercent` of the production listener rule's traffic to it, waits `canaryBakeMinutes`, shifts
 * the rest, then keeps the old revision running `bakeMinutes` before stopping it. The service's
 * rollback alarms watch throughout; an alarm puts the traffic back on the old revision.
 */
export interface CanaryDeploymentDefinition {
  /** The same in every environment (DLV-1: staging rehearses production's rollout). */
  readonly strategy: "CANARY";
  /** Percent of production traffic the canary gets first: 0.1 to 100 in steps of 0.1 (ECS). */
  readonly canaryPercent: number;
  /** Minutes the canary serves its share before ECS shifts the rest: whole minutes, 0 to 1440. */
  readonly canaryBakeMinutes: number;
  /**
   * Minutes the old revision keeps running after all traffic moved, so that an alarm can still put
   * the traffic back on it at once: whole minutes, 0 to 1440.
   */
  readonly bakeMinutes: number;
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
  /**
   * EC2 detailed (1-minute) monitoring of the host. Status checks, and so the recover alarm (DB-8),
   * are 1-minute metrics without it.
   */
  readonly detailedMonitoring: boolean;
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
  /** The cluster's cost and observability levers (ECS-1, COST-1). */
  readonly cluster: ClusterDefinition;
  /** Alarm notifications go to this address when set (OBS-2). @default - no subscription */
  readonly alarmEmail?: string;
  /** COST-4: the monthly cost budget, alerting the alarm topic at 80 %, 100 % and forecast 100 %. */
  readonly budget: { readonly monthlyLimitUsd: number };
  /** COST-2: the hours the environment runs; outside them its services and database host are stopped. */
  readonly schedule: OffHoursScheduleDefinition;
  /** DLV-1: the rollout of the public web services (workers keep rolling updates, ECS-6). */
  readonly deployment: CanaryDeploymentDefinition;
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

export interface ClusterDefinition {
  /**
   * Container Insights: `enhanced` adds task- and container-level metrics; `enabled` cluster- and
   * service-level metrics; `disabled` leaves ECS's free service CPU/memory metrics only.
   */
  readonly containerInsights: "enhanced" | "enabled" | "disabled";
  /**
   * Where the services' tasks run: `on-demand` (FARGATE) or `spot` (FARGATE_SPOT: about 70 % cheaper;
   * AWS may stop a task with two minutes' notice, and ECS starts a replacement).
   */
  readonly fargateCapacity: "on-demand" | "spot";
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

/**
 * A service's name, derived from the catalog's rows (`src/config/service-catalog.ts`): adding a row
 * adds the name; there is no second list to keep by hand.
 */
export type ServiceName = import("./service-catalog").CatalogServiceName;

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

/** A POSIX identity: the uid and gid a process runs as, or an EFS access point enforces. */
export interface PosixIdentity {
  readonly uid: number;
  readonly gid: number;
}

/**
 * How a scratch path (written, lost when the task stops) is provided with a read-only root (IMG-1):
 * - `ephemeral`: a bind mount on the task's Fargate ephemeral storage. AWS creates it owned by root,
 *   mode 0755, unless the image declares `VOLUME <path>` owned by its user (ECS then copies the
 *   image's directory, ownership included). Images that run as non-root must declare it.
 * - `tmpfs`: a memory-backed tmpfs (`linuxParameters.tmpfs`, on Fargate since 2026-01), world-writable
 *   with the sticky bit (the kernel's default mode 1777), its size counted against the task's
 *   memory. For images that declare no `VOLUME` for a path they write.
 */
export type ScratchVolume = "ephemeral" | "tmpfs";

export interface ScratchPath {
  /** Absolute path inside the container. */
  readonly path: string;
  readonly volume: ScratchVolume;
  /** The tmpfs size in MiB (`tmpfs` only). */
  readonly sizeMiB?: number;
}

/**
 * What the image provides that the task definition relies on (IMG-1). The task definition is derived
 * from it (user, command, scratch volumes); validation checks the health command against it.
 */
export interface ImageContract {
  /** Where the image and these facts come from (a repository and its Dockerfile). */
  readonly source: string;
  /**
   * Executables in the image that the health command may start (`sh` for `CMD-SHELL`). Only what
   * the task definition relies on needs listing; what is listed must exist in the image.
   */
  readonly tools: readonly string[];
  /**
   * The uid:gid the image runs as; the task definition sets `user` to it, and an EFS access point
   * for the service writes as it. Required with `storage`.
   * @default - the image's own `USER` (which the README's contract requires to be non-root)
   */
  readonly user?: PosixIdentity;
  /**
   * Every path the process writes that may be lost when the task stops; the root file system is
   * read-only. State that must survive restarts goes to `storage.efsMountPath` instead.
   */
  readonly scratchPaths: readonly ScratchPath[];
  /**
   * Arguments appended to the image's `ENTRYPOINT` (ECS `command`).
   * @default - the image's own `CMD`
   */
  readonly command?: readonly string[];
}

/**
 * One row of the service catalog. `N` is the name's type: the catalog's own rows are checked as
 * `ServiceDefinition<string>` (their names then define `ServiceName`); everywhere else a row's name
 * is a `ServiceName`.
 */
export interface ServiceDefinition<N extends string = ServiceName> {
  readonly name: N;
  readonly kind: ServiceKind;
  /** The container port (public-web and private-service only). */
  readonly port?: number;
  /** The internal DNS name other services use (ECS-8). */
  readonly discoveryName: string;
  /**
   * The HTTP path health checks request on `port` (services with a port): the ALB's for public web
   * services, and the container health check's (IMG-1: validation holds the command to it).
   */
  readonly healthPath?: string;
  /**
   * The container health check (ECS-5), an ECS `healthCheck.command`. It may start only the image's
   * `tools`, and checks the row's own `port` and `healthPath` (IMG-1).
   */
  readonly healthCommand: readonly string[];
  /** What the image provides that the task definition relies on (IMG-1). */
  readonly image: ImageContract;
  /** The ECR repository's short name; the full name is derived per environment. */
  readonly repository: string;
  readonly architecture: CpuArchitecture;
  readonly secrets: readonly SecretName[];
  readonly parameters: readonly ParameterName[];
  readonly talksTo: readonly Dependency[];
  /**
   * Persistent storage mounted into the container (EFS-2): the one path whose contents survive
   * restarts. The image's `user` owns it through the EFS access point. @default - none
   */
  readonly storage?: { readonly efsMountPath: string };
}
