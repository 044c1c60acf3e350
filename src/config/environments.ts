/**
 * The environment definitions: everything that differs between staging and production, in one
 * place (CFG-4). Adding an environment is adding one definition here (and its name to
 * `EnvironmentName`). `validateEnvironments` checks them before any construct is built.
 *
 * Facts about the AWS accounts that the platform team must still check against the consoles are
 * listed, as data, in each definition's `pendingConfirmations` (RUN-2): the deploy preflight
 * (`npm run preflight -- <env>`) reads them and refuses while one that `blocksDeploy` is listed.
 * Remove an entry once its value is checked (and corrected).
 */
import type {
  AuthTokenSettings,
  EnvironmentDefinition,
  ProjectDefinition,
  SecurityHeadersDefinition,
  ServiceSizing,
} from "./types";

export const PROJECT_DEFINITION: ProjectDefinition = {
  name: "tracker",
  githubRepository: "glimpse-technology/tracker-infrastructure",
  githubProductionEnvironment: "production",
  applicationRepositories: ["glimpse-technology/tracker"],
  pendingConfirmations: [
    {
      field: "applicationRepositories",
      check: "the GitHub repositories that build the eight images (their main branch may push to ECR)",
      // Only the bootstrap stack's image-push role uses it; a wrong name makes that repository's
      // push fail visibly, and re-applying the bootstrap stack fixes it.
      blocksDeploy: false,
    },
  ],
};

/** The one region of both environments (ACC-3; checked by validation). */
const REGION = "eu-central-1";

/** Versions of production's Patroni cluster and MemoryDB; staging's host installs the same (DB-5). */
const DATABASE_VERSIONS = {
  postgres: "16",
  timescaledb: "2.17.2",
  postgis: "3.5",
  valkey: "8.0",
} as const;

/** The API's token settings; the same in both environments (CFG-2). */
const AUTH_TOKENS: AuthTokenSettings = { accessTokenExpireMinutes: 30, refreshTokenExpireDays: 7, algorithm: "HS256" };

/**
 * EDGE-7: the web ACL's rules, the same in both environments. The rate limit is listed in
 * production's `pendingConfirmations`.
 */
const WAF_SETTINGS = {
  rateLimitPer5Min: 2000,
  // The API accepts request bodies over 8 KB; the rule would block them all (docs/DESIGN.md, "Edge: WAF").
  countOnlyCommonRules: ["SizeRestrictions_BODY"],
} as const;

/** EDGE-8: one year of HSTS for every public name and what is below it; not preloaded; no framing. */
const SECURITY_HEADERS: SecurityHeadersDefinition = {
  hstsMaxAgeSeconds: 31536000,
  hstsIncludeSubdomains: true,
  hstsPreload: false,
  frameOptions: "DENY",
};

/** COST-2: the working hours of the team that uses staging. */
const OFFICE_HOURS = { timezone: "Europe/Berlin", weekdays: "MON-FRI", start: "07:00", stop: "20:00" } as const;

const small: ServiceSizing = { cpu: 256, memory: 512, desiredCount: 1 };

export const STAGING: EnvironmentDefinition = {
  name: "staging",
  accountId: "802732539686",
  region: REGION,
  availabilityZones: ["eu-central-1a", "eu-central-1b"],
  network: {
    mode: "create",
    vpcCidr: "10.42.0.0/16",
    subnets: {
      public: ["10.42.0.0/24", "10.42.1.0/24"],
      application: ["10.42.16.0/20", "10.42.32.0/20"],
      data: ["10.42.64.0/24", "10.42.65.0/24"],
    },
    // COST-1: a Graviton NAT instance instead of a NAT gateway (about $8 instead of $43 a month).
    natStrategy: "instance",
    natInstanceType: "t4g.nano",
  },
  // The staging account is shared with other projects (seed 000): the CIDRs of their VPCs.
  reservedCidrs: ["172.31.0.0/16"],
  dns: {
    zoneName: "glimpse.technology",
    hostnames: {
      frontend: "tracker.staging.glimpse.technology",
      api: "api.tracker.staging.glimpse.technology",
      admin: "admin.tracker.staging.glimpse.technology",
    },
  },
  loadBalancer: {
    deletionProtection: false,
    accessLogs: false,
    adminAllowedCidrs: [],
    // EDGE-7: off to save its fixed monthly cost on test traffic; switch on for a release rehearsal
    // (README, "WAF rehearsal in staging"). The settings are production's so a rehearsal is faithful.
    waf: { ...WAF_SETTINGS, enabled: false, blockedRequestsAlarmThreshold: 50 },
    // EDGE-8: one day of HSTS, so that a staging name can go back to HTTP-only within a day.
    securityHeaders: { ...SECURITY_HEADERS, hstsMaxAgeSeconds: 86400 },
  },
  logRetentionDays: 30,
  ecsExec: true,
  // COST-1: Fargate Spot, and no Container Insights (about $60 a month of custom metrics at this
  // size; ECS's free CPU/memory service metrics and the alarms stay). Turn it on for a rehearsal.
  cluster: { containerInsights: "disabled", fargateCapacity: "spot" },
  // COST-1: staging is meant to stay at or below $130 a month (npm run cost).
  budget: { monthlyLimitUsd: 130 },
  // COST-2: weekdays 07:00-20:00 Berlin time; nights and weekends the services are at zero and the
  // database host is stopped (README "Off-hours schedule": how to wake staging, how to turn it off).
  schedule: { ...OFFICE_HOURS, enabled: true },
  // DLV-1: production's strategy with short bakes, so that a staging release rehearses the same
  // traffic shift and rollback in minutes.
  deployment: { strategy: "CANARY", canaryPercent: 10, canaryBakeMinutes: 2, bakeMinutes: 2 },
  services: {
    api: { cpu: 512, memory: 1024, desiredCount: 1 },
    frontend: small,
    admin: small,
    "tracker-fetcher": { cpu: 256, memory: 512, desiredCount: 1 },
    "unified-geofence": { cpu: 256, memory: 512, desiredCount: 1 },
    "notification-service": small,
    "materialized-view-service": small,
    anisette: small,
  },
  databaseVersions: DATABASE_VERSIONS,
  dataPlane: {
    mode: "host",
    // COST-1: 4 GiB holds PostgreSQL (shared_buffers 1 GiB, effective_cache_size 2 GiB), Valkey
    // (maxmemory 1 GiB) and the OS with its agents (about 0.5 GiB) at staging's load.
    instanceType: "t4g.medium",
    dataVolumeGiB: 40,
    snapshotRetentionDays: 7,
    databaseName: "tracker",
    databaseUser: "tracker",
    detailedMonitoring: false,
  },
  imagesKept: 30,
  authTokens: AUTH_TOKENS,
  ci: { githubOidcProvider: "create", deployFrom: ["main-branch", "github-environment"] },
  pendingConfirmations: [
    {
      field: "region",
      check: "the region of production's Patroni cluster and MemoryDB, which staging mirrors (seed 000; eu-central-1 is assumed)",
      // Staging holds test data only; a wrong region means rebuilding staging, not a broken service.
      blocksDeploy: false,
    },
    {
      field: "reservedCidrs",
      check: "the CIDRs of the other projects' VPCs in the shared staging account (VPC console, every region in use)",
      // An overlap breaks nothing while the VPCs are not connected (no peering, no transit gateway);
      // it has to be known before one is.
      blocksDeploy: false,
    },
    {
      field: "ci.githubOidcProvider",
      check: 'whether another project already created GitHub\'s OIDC provider in this account (IAM → Identity providers); then "existing"',
      // Bootstrap stack only: a wrong value fails its apply (EntityAlreadyExists) before anything depends on it.
      blocksDeploy: false,
    },
  ],
};

export const PRODUCTION: EnvironmentDefinition = {
  name: "production",
  accountId: "951665295205",
  region: REGION,
  availabilityZones: ["eu-central-1a", "eu-central-1b", "eu-central-1c"],
  network: {
    mode: "create",
    vpcCidr: "10.52.0.0/16",
    subnets: {
      public: ["10.52.0.0/24", "10.52.1.0/24", "10.52.2.0/24"],
      application: ["10.52.16.0/20", "10.52.32.0/20", "10.52.48.0/20"],
      data: ["10.52.64.0/24", "10.52.65.0/24", "10.52.66.0/24"],
    },
    natStrategy: "per-az",
  },
  // 10.20.0.0/16: the VPC that holds the Patroni cluster and MemoryDB (to be confirmed, below).
  reservedCidrs: ["172.31.0.0/16", "10.20.0.0/16"],
  dns: {
    zoneName: "glimpse.technology",
    hostnames: {
      frontend: "tracker.glimpse.technology",
      api: "api.tracker.glimpse.technology",
      admin: "admin.tracker.glimpse.technology",
    },
  },
  loadBalancer: {
    deletionProtection: true,
    accessLogs: true,
    adminAllowedCidrs: [],
    waf: { ...WAF_SETTINGS, enabled: true, blockedRequestsAlarmThreshold: 200 },
    securityHeaders: SECURITY_HEADERS,
  },
  logRetentionDays: 365,
  ecsExec: false,
  cluster: { containerInsights: "enhanced", fargateCapacity: "on-demand" },
  alarmEmail: "platform-alerts@glimpse.technology",
  budget: { monthlyLimitUsd: 600 },
  // COST-2: production runs around the clock.
  schedule: { ...OFFICE_HOURS, enabled: false },
  // DLV-1: 10 % of production traffic to the new revision for 5 minutes, then all of it; the old
  // revision stays up 5 more minutes so that an alarm can still switch straight back.
  deployment: { strategy: "CANARY", canaryPercent: 10, canaryBakeMinutes: 5, bakeMinutes: 5 },
  services: {
    api: {
      cpu: 1024,
      memory: 2048,
      desiredCount: 2,
      autoscaling: { minCount: 2, maxCount: 8, cpuTargetPercent: 60 },
    },
    frontend: {
      cpu: 512,
      memory: 1024,
      desiredCount: 2,
      autoscaling: { minCount: 2, maxCount: 4, cpuTargetPercent: 60 },
    },
    admin: { cpu: 256, memory: 512, desiredCount: 2 },
    "tracker-fetcher": { cpu: 512, memory: 1024, desiredCount: 1 },
    "unified-geofence": { cpu: 512, memory: 1024, desiredCount: 1 },
    "notification-service": { cpu: 512, memory: 1024, desiredCount: 1 },
    "materialized-view-service": { cpu: 512, memory: 1024, desiredCount: 1 },
    anisette: { cpu: 256, memory: 512, desiredCount: 1 },
  },
  databaseVersions: DATABASE_VERSIONS,
  dataPlane: {
    mode: "external",
    postgres: {
      host: "patroni.tracker-production.internal",
      port: 5432,
      databaseName: "tracker",
      databaseUser: "tracker",
      cidrs: ["10.20.0.0/16"],
    },
    redis: {
      host: "clustercfg.tracker-production.memorydb.eu-central-1.amazonaws.com",
      port: 6379,
      user: "tracker",
      cidrs: ["10.20.0.0/16"],
    },
  },
  imagesKept: 100,
  authTokens: AUTH_TOKENS,
  ci: { githubOidcProvider: "create", deployFrom: ["github-environment"] },
  // Every entry but the WAF limit blocks the deploy: a wrong value leaves the services without their database, or puts
  // the VPC where it cannot be peered with the database's (replacing a VPC replaces everything in it).
  pendingConfirmations: [
    {
      // A limit below the busiest legitimate client address blocks real users (mobile carriers' NAT
      // puts many behind one IP); WAF's metrics show it, and it is changed without downtime.
      field: "loadBalancer.waf.rateLimitPer5Min",
      check: "the API's busiest legitimate client address's requests per 5 minutes stay below the WAF rate limit (2000)",
      blocksDeploy: false,
    },
    {
      field: "region",
      check: "the region of the Patroni cluster and MemoryDB (peering and MemoryDB endpoints are regional; eu-central-1 is assumed)",
      blocksDeploy: true,
    },
    {
      field: "reservedCidrs",
      check: "the CIDR of the VPC that holds the Patroni cluster and MemoryDB (10.20.0.0/16 is assumed), and of every other VPC in the account",
      blocksDeploy: true,
    },
    {
      field: "dataPlane.postgres.host",
      check: "the Patroni cluster's client endpoint (leader VIP or HAProxy name) and the private hosted zone that resolves it",
      blocksDeploy: true,
    },
    {
      field: "dataPlane.postgres.cidrs",
      check: "the subnets the Patroni client endpoint answers from",
      blocksDeploy: true,
    },
    {
      field: "dataPlane.redis.host",
      check: "the MemoryDB cluster's configuration endpoint (MemoryDB console → cluster → Cluster endpoint)",
      blocksDeploy: true,
    },
    {
      field: "dataPlane.redis.cidrs",
      check: "the subnets of the MemoryDB cluster's subnet group",
      blocksDeploy: true,
    },
  ],
};

export const ENVIRONMENTS: readonly EnvironmentDefinition[] = [STAGING, PRODUCTION];
