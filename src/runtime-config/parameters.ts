/**
 * The non-secret runtime configuration of CFG-2, one Parameter Store `String` parameter per
 * `ParameterName` under `/tracker/<env>/`. Every value is derived from the environment definition
 * and the service catalog (PRD-2: production's endpoints come from its `dataPlane` and are
 * published as they are), so nothing is spelled twice; `parameterValues` is a pure function so that docs and tests read the same values.
 */
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { Construct } from "constructs";
import { parameterName } from "../config/naming";
import { SERVICE_CATALOG } from "../config/service-catalog";
import type { EnvironmentDefinition, ParameterName, ServiceDefinition } from "../config/types";
import { internalHostname } from "../compute/service-discovery";
import { POSTGRES_PORT, VALKEY_PORT } from "../network/security-groups";

/**
 * DB-9: the Redis cluster flag (`redis-cluster`) of every environment. Production's MemoryDB only
 * runs in cluster mode; the staging host runs Valkey in cluster mode too (`cluster-enabled yes` in
 * `src/data/database-host/files/valkey/valkey.conf`, one node owning all 16384 slots), so that the
 * services use the same cluster client on both. One value, never one per data plane.
 */
export const REDIS_CLUSTER_MODE = true;

/** The catalog service whose internal URL is published as `anisette-url`. */
const ANISETTE = "anisette";

/**
 * The value of every parameter in one environment. A `Record` over `ParameterName`: adding a name to
 * the type without a value here does not compile.
 */
export function parameterValues(
  env: EnvironmentDefinition,
  catalog: readonly ServiceDefinition[] = SERVICE_CATALOG,
): Record<ParameterName, string> {
  const data = env.dataPlane;
  // Staging: the host behind the internal names `db` and `redis` (ECS-8). Production: the external
  // endpoints themselves (PRD-2), not their `db`/`redis` CNAMEs, so that TLS hostname verification
  // against the Patroni and MemoryDB certificates works (docs/DESIGN.md "Internal names").
  const postgres =
    data.mode === "host"
      ? { host: internalHostname(env.name, "db"), port: POSTGRES_PORT, db: data.databaseName, user: data.databaseUser }
      : { host: data.postgres.host, port: data.postgres.port, db: data.postgres.databaseName, user: data.postgres.databaseUser };
  const redis =
    data.mode === "host"
      ? // DB-6: the staging Valkey authenticates its `default` user with requirepass.
        { host: internalHostname(env.name, "redis"), port: VALKEY_PORT, user: "default" }
      : { host: data.redis.host, port: data.redis.port, user: data.redis.user };
  const anisette = catalog.find((s) => s.name === ANISETTE);
  if (!anisette?.port) {
    throw new Error(`runtime parameters: the service catalog has no "${ANISETTE}" service with a port (anisette-url)`);
  }
  return {
    "api-url": `https://${env.dns.hostnames.api}`,
    "postgres-host": postgres.host,
    "postgres-port": String(postgres.port),
    "postgres-db": postgres.db,
    "postgres-user": postgres.user,
    "redis-host": redis.host,
    "redis-port": String(redis.port),
    "redis-user": redis.user,
    // DB-6: Valkey on the staging host and MemoryDB both require TLS.
    "redis-tls": "true",
    // DB-9: MemoryDB and the staging host's Valkey are both cluster-mode endpoints.
    "redis-cluster": String(REDIS_CLUSTER_MODE),
    "access-token-expire-minutes": String(env.authTokens.accessTokenExpireMinutes),
    "refresh-token-expire-days": String(env.authTokens.refreshTokenExpireDays),
    algorithm: env.authTokens.algorithm,
    "anisette-url": `http://${internalHostname(env.name, anisette.discoveryName)}:${anisette.port}`,
    // DB-6: staging's host publishes its own CA at boot (the parameter is the host's, see
    // RuntimeParametersProps.owned); Patroni's and MemoryDB's certificates chain to public CAs.
    "database-ca-certificate": data.mode === "host" ? "PEM, published by the database host at its first boot" : "system",
  };
}

export interface RuntimeParametersProps {
  readonly environment: EnvironmentDefinition;
  /**
   * The service catalog (the anisette row gives `anisette-url`).
   * @default SERVICE_CATALOG
   */
  readonly catalog?: readonly ServiceDefinition[];
  /**
   * Parameters another construct owns and writes (e.g. the database host's CA certificate); they are
   * handed out by reference and not created here.
   * @default - every parameter is created here
   */
  readonly owned?: Readonly<Partial<Record<ParameterName, RuntimeParameter>>>;
}

/** One parameter as the task definitions and IAM grants need it. */
export interface RuntimeParameter {
  readonly arn: string;
  readonly name: string;
}

export class RuntimeParameters extends Construct {
  /** Every parameter of CFG-2, by its short name. */
  readonly parameters: Readonly<Record<ParameterName, RuntimeParameter>>;
  /** The values written, by short name (plain strings, known at synth time). */
  readonly values: Readonly<Record<ParameterName, string>>;

  constructor(scope: Construct, id: string, props: RuntimeParametersProps) {
    super(scope, id);
    const env = props.environment;
    this.values = parameterValues(env, props.catalog ?? SERVICE_CATALOG);
    const parameters = {} as Record<ParameterName, RuntimeParameter>;
    for (const short of Object.keys(this.values) as ParameterName[]) {
      const owned = props.owned?.[short];
      if (owned) {
        parameters[short] = owned;
        continue;
      }
      const name = parameterName(env.name, short);
      const parameter = new SsmParameter(this, short, {
        name,
        type: "String",
        tier: "Standard",
        value: this.values[short],
        description: `tracker ${env.name} runtime configuration (CFG-2): ${short}`,
      });
      parameters[short] = { arn: parameter.arn, name };
    }
    this.parameters = parameters;
  }
}
