/**
 * The service catalog: the single source of truth about the components (ARCHITECTURE.md
 * principle 1, ECS-2). Security-group rules, IAM grants, listener rules, log groups,
 * service-discovery names and alarms are derived from this table, and `ServiceName` from its rows'
 * names; adding a service is adding a row here (and its size in each environment definition), then
 * `npm run generate` (README, "Adding a service").
 *
 * Each row's `image` states what its image provides that the task definition relies on (IMG-1):
 * the tools the health command starts, the user, the paths it writes, the arguments it needs.
 * The task definition is derived from it, and validation (`validate.ts`) holds the health command
 * to the row's own port, path and tools. The contract with the application repositories is in the
 * README ("Contract for the application images"):
 * - web services answer `GET <healthPath>` with 2xx on their port, and have `sh` and `curl`;
 * - workers touch `/tmp/worker-heartbeat` at least once a minute while they are able to process jobs;
 *   their container health check fails when the file is older than two minutes (`sh`, `find`, `grep`);
 * - every image writes only to its scratch paths (and its storage), and declares `VOLUME` for each
 *   `ephemeral` scratch path, owned by its (non-root) user.
 */
import type { ImageContract, ServiceDefinition, ServiceName } from "./types";

/** The workers' heartbeat file; the health check fails when it is older than two minutes (ECS-5). */
export const WORKER_HEARTBEAT_FILE = "/tmp/worker-heartbeat";

/** A worker is healthy while its heartbeat file is fresh (ECS-5 readiness for workers). */
const WORKER_HEARTBEAT = ["CMD-SHELL", `find ${WORKER_HEARTBEAT_FILE} -mmin -2 | grep -q . || exit 1`];

/** An HTTP health check of the service's own port and path, with curl (IMG-1). */
const httpHealth = (port: number, path: string): readonly string[] => [
  "CMD-SHELL",
  `curl -fsS -o /dev/null http://127.0.0.1:${port}${path} || exit 1`,
];

/** The images built from the application repositories by `build-image.yml` (CD-5). */
const applicationImage = (repository: string, tools: readonly string[]): ImageContract => ({
  source: `the ${repository} application repository, built by .github/workflows/build-image.yml`,
  tools,
  scratchPaths: [{ path: "/tmp", volume: "ephemeral" }],
});
const WEB_TOOLS = ["sh", "curl"] as const;
const WORKER_TOOLS = ["sh", "find", "grep"] as const;

/**
 * anisette-v3-server (github.com/Dadoum/anisette-v3-server, `Dockerfile` and `source/app.d`), run
 * unchanged. Its runtime stage is `debian:stable-slim` plus `ca-certificates` and `curl` (no
 * `wget`); it runs as `Alcoholic`, the image's first `useradd` user, uid/gid 1000, from `WORKDIR
 * /opt`, with `ENTRYPOINT ["/opt/anisette-v3-server"]`, listening on 0.0.0.0:6969. Its state:
 * - `--adi-path` (default `~/.config/anisette-v3`): `device.json`, `adi.pb` (the provisioning) and
 *   `lib/` (Apple's libCoreADI.so and libstoreservicescore.so, downloaded at the first start);
 *   this must survive restarts, so it is pointed at the EFS mount;
 * - `<working directory>/provisioning`: one directory per v3 request, removed after it; scratch.
 * `GET /` answers 200 with anisette v1 headers (JSON) from the provisioned state.
 */
const ANISETTE_PORT = 6969;
const ANISETTE_STATE = "/data";

/** Clients of PostgreSQL or Redis verify the server's TLS certificate with this CA (DB-6). */
const TLS_CA = "database-ca-certificate" as const;
const POSTGRES_PARAMETERS = ["postgres-host", "postgres-port", "postgres-db", "postgres-user"] as const;
const REDIS_PARAMETERS = ["redis-host", "redis-port", "redis-user", "redis-tls", "redis-cluster"] as const;

const CATALOG_ROWS = [
  {
    name: "api",
    kind: "public-web",
    port: 8000,
    discoveryName: "api",
    healthPath: "/health",
    healthCommand: httpHealth(8000, "/health"),
    repository: "api",
    image: applicationImage("api", WEB_TOOLS),
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
    image: applicationImage("frontend", WEB_TOOLS),
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
    image: applicationImage("admin", WEB_TOOLS),
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
    image: applicationImage("tracker-fetcher", WORKER_TOOLS),
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
    image: applicationImage("unified-geofence", WORKER_TOOLS),
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
    image: applicationImage("notification-service", WORKER_TOOLS),
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
    image: applicationImage("materialized-view-service", WORKER_TOOLS),
    architecture: "ARM64",
    secrets: ["postgres-password"],
    parameters: [...POSTGRES_PARAMETERS, TLS_CA],
    talksTo: ["db"],
  },
  {
    // Anisette v3 server: Apple anisette data for tracker-fetcher. Its provisioning state must
    // survive restarts, hence EFS at /data (EFS-1, EFS-2). The upstream workflow publishes
    // linux/386, amd64 and arm64/v8; this service runs X86_64 (ECS-3's stated exception), and the
    // Apple libraries in /data/lib are for that architecture (see docs/DESIGN.md before changing it).
    name: "anisette",
    kind: "private-service",
    port: ANISETTE_PORT,
    discoveryName: "anisette-v3",
    healthPath: "/",
    healthCommand: httpHealth(ANISETTE_PORT, "/"),
    repository: "anisette",
    image: {
      source: "github.com/Dadoum/anisette-v3-server: Dockerfile (runtime stage) and source/app.d",
      tools: ["sh", "curl"],
      user: { uid: 1000, gid: 1000 },
      // WORKDIR /opt: the v3 endpoints create and remove /opt/provisioning/<id>. The image declares
      // no VOLUME, so an ephemeral bind mount would be root-owned and unwritable for uid 1000.
      scratchPaths: [{ path: "/opt/provisioning", volume: "tmpfs", sizeMiB: 16 }],
      command: ["--adi-path", ANISETTE_STATE],
    },
    architecture: "X86_64",
    secrets: [],
    parameters: [],
    talksTo: [],
    storage: { efsMountPath: ANISETTE_STATE },
  },
] as const satisfies readonly ServiceDefinition<string>[];

/** The names of the catalog's rows; `ServiceName` (types.ts) is this type. */
export type CatalogServiceName = (typeof CATALOG_ROWS)[number]["name"];

export const SERVICE_CATALOG: readonly ServiceDefinition[] = CATALOG_ROWS;

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
