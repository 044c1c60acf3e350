/**
 * The service catalog: the single source of truth about the eight components (ARCHITECTURE.md
 * principle 1, ECS-2). Security-group rules, IAM grants, listener rules, log groups,
 * service-discovery names and alarms are derived from this table; adding a service is adding a row
 * here (and its size in each environment definition).
 *
 * Contract with the application repositories (documented in the README):
 * - web services answer `GET <healthPath>` with 2xx on their port;
 * - workers touch `/tmp/worker-heartbeat` at least once a minute while they are able to process jobs;
 *   their container health check fails when the file is older than two minutes.
 */
import type { ServiceDefinition, ServiceName } from "./types";

/** A worker is healthy while its heartbeat file is fresh (ECS-5 readiness for workers). */
const WORKER_HEARTBEAT = ["CMD-SHELL", "find /tmp/worker-heartbeat -mmin -2 | grep -q . || exit 1"];

const httpHealth = (port: number, path: string): readonly string[] => [
  "CMD-SHELL",
  `curl -fsS -o /dev/null http://127.0.0.1:${port}${path} || exit 1`,
];

/** Clients of PostgreSQL or Redis verify the server's TLS certificate with this CA (DB-6). */
const TLS_CA = "database-ca-certificate" as const;
const POSTGRES_PARAMETERS = ["postgres-host", "postgres-port", "postgres-db", "postgres-user"] as const;
const REDIS_PARAMETERS = ["redis-host", "redis-port", "redis-user", "redis-tls", "redis-cluster"] as const;

export const SERVICE_CATALOG: readonly ServiceDefinition[] = [
  {
    name: "api",
    kind: "public-web",
    port: 8000,
    discoveryName: "api",
    healthPath: "/health",
    healthCommand: httpHealth(8000, "/health"),
    repository: "api",
    architecture: "ARM64",
    secrets: ["postgres-password", "redis-password", "secret-key"],
    parameters: [
      "api-url",
      ...POSTGRES_PARAMETERS,
      ...REDIS_PARAMETERS,
      "access-token-expire-minutes",
      "refresh-token-expire-days",
      "algorithm",
      TLS_CA,
    ],
    talksTo: ["db", "redis"],
  },
  {
    name: "frontend",
    kind: "public-web",
    port: 3000,
    discoveryName: "frontend",
    healthPath: "/healthz",
    healthCommand: httpHealth(3000, "/healthz"),
    repository: "frontend",
    architecture: "ARM64",
    secrets: [],
    parameters: ["api-url"],
    talksTo: [],
  },
  {
    name: "admin",
    kind: "public-web",
    port: 3001,
    discoveryName: "admin",
    healthPath: "/healthz",
    healthCommand: httpHealth(3001, "/healthz"),
    repository: "admin",
    architecture: "ARM64",
    secrets: [],
    parameters: ["api-url"],
    talksTo: [],
  },
  {
    name: "tracker-fetcher",
    kind: "worker",
    discoveryName: "tracker-fetcher",
    healthCommand: WORKER_HEARTBEAT,
    repository: "tracker-fetcher",
    architecture: "ARM64",
    secrets: ["postgres-password", "redis-password"],
    parameters: [...POSTGRES_PARAMETERS, ...REDIS_PARAMETERS, TLS_CA, "anisette-url"],
    talksTo: ["db", "redis", "anisette"],
  },
  {
    name: "unified-geofence",
    kind: "worker",
    discoveryName: "unified-geofence",
    healthCommand: WORKER_HEARTBEAT,
    repository: "unified-geofence",
    architecture: "ARM64",
    secrets: ["postgres-password", "redis-password"],
    parameters: [...POSTGRES_PARAMETERS, ...REDIS_PARAMETERS, TLS_CA],
    talksTo: ["db", "redis"],
  },
  {
    name: "notification-service",
    kind: "worker",
    discoveryName: "notification-service",
    healthCommand: WORKER_HEARTBEAT,
    repository: "notification-service",
    architecture: "ARM64",
    secrets: ["postgres-password", "redis-password"],
    parameters: [...POSTGRES_PARAMETERS, ...REDIS_PARAMETERS, TLS_CA],
    talksTo: ["db", "redis"],
  },
  {
    name: "materialized-view-service",
    kind: "worker",
    discoveryName: "materialized-view-service",
    healthCommand: WORKER_HEARTBEAT,
    repository: "materialized-view-service",
    architecture: "ARM64",
    secrets: ["postgres-password"],
    parameters: [...POSTGRES_PARAMETERS, TLS_CA],
    talksTo: ["db"],
  },
  {
    // Anisette v3 server: Apple anisette data for tracker-fetcher. Its provisioning state must
    // survive restarts, hence EFS at /data (EFS-1, EFS-2). The upstream image is published for
    // amd64 only, so this one service runs on X86_64 (ECS-3's stated exception).
    name: "anisette",
    kind: "private-service",
    port: 6969,
    discoveryName: "anisette-v3",
    healthCommand: [
      "CMD-SHELL",
      "wget -q -O /dev/null http://127.0.0.1:6969/ || exit 1",
    ],
    repository: "anisette",
    architecture: "X86_64",
    secrets: [],
    parameters: [],
    talksTo: [],
    storage: { efsMountPath: "/data" },
  },
];

export const SERVICE_NAMES: readonly ServiceName[] = SERVICE_CATALOG.map((s) => s.name);

export function serviceDefinition(name: ServiceName): ServiceDefinition {
  const found = SERVICE_CATALOG.find((s) => s.name === name);
  if (!found) throw new Error(`service catalog: no service named "${name}"`);
  return found;
}

/** The services that consume a dependency, e.g. who talks to `db` (SG-4) or to `anisette` (SG-5). */
export function consumersOf(dependency: ServiceDefinition["talksTo"][number]): readonly ServiceDefinition[] {
  return SERVICE_CATALOG.filter((s) => s.talksTo.includes(dependency));
}
