/**
 * OBS-2: database and Redis connectivity failures, seen from the services that use them.
 *
 * Every service whose catalog entry talks to `db` (or `redis`) gets metric filters on its own log
 * group that count the connection errors its Python clients write (libpq through psycopg2,
 * psycopg 3 and SQLAlchemy; asyncpg; redis-py). All filters of a dependency publish to one metric
 * without dimensions (`DatabaseConnectionErrors`, `RedisConnectionErrors` in `Tracker/<env>`), so
 * CloudWatch sums them across services, and one alarm per dependency watches the sum. Metric filters
 * on unstructured text cannot carry dimensions (dimension values must come from JSON or delimited
 * fields), so a per-service split is read in the logs, not the metric; the alarm description says how.
 *
 * The patterns are conservative: each names a message that only that dependency's client writes.
 * Generic socket errors ("Connection refused", "Connection reset by peer", bare "ConnectionError" or
 * "OperationalError") are left out: requests and aiohttp (tracker-fetcher -> anisette) write them
 * too, and SQLAlchemy's OperationalError also wraps statement timeouts and deadlocks.
 */
import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import { resourceName, serviceLogGroupName } from "../config/naming";
import type { EnvironmentName, ServiceDefinition, ServiceName } from "../config/types";
import { type ConnectivityDependency, connectionErrorsAlarmName, serviceMetricNamespace } from "./names";
import { notifyingAlarm } from "./notifying-alarm";
import type { ServiceLogGroupSource } from "./service-log-groups";

/** The metric each dependency's filters publish to. */
export const CONNECTION_ERROR_METRICS: Readonly<Record<ConnectivityDependency, string>> = {
  db: "DatabaseConnectionErrors",
  redis: "RedisConnectionErrors",
};

/** One CloudWatch Logs filter pattern (one metric filter per pattern and service). */
export interface ConnectionErrorPattern {
  /** Stable short name, part of the metric filter's name. */
  readonly id: string;
  /** A CloudWatch Logs filter pattern (`?"a" ?"b"` is a or b; `"a" "b"` is a and b). */
  readonly pattern: string;
}

const anyOf = (terms: readonly string[]): string => terms.map((t) => `?"${t}"`).join(" ");

/**
 * The filter patterns of one dependency, listening on `port` (the port appears in the messages of
 * the clients that say nothing else specific).
 */
export function connectionErrorPatterns(dependency: ConnectivityDependency, port: number): readonly ConnectionErrorPattern[] {
  if (dependency === "db") {
    return [
      {
        // libpq's own messages (psycopg2, psycopg 3, SQLAlchemy over either), and asyncpg's errors.
        id: "postgres-client",
        pattern: anyOf([
          "could not connect to server", // libpq <= 13
          "connection to server at", // libpq >= 14: connection to server at "db" (10.0.0.1), port 5432 failed: ...
          "server closed the connection unexpectedly",
          "could not translate host name",
          "SSL connection has been closed unexpectedly",
          "too many clients already",
          "password authentication failed for user",
          "CannotConnectNowError", // asyncpg: the database system is starting up / shutting down
          "ConnectionDoesNotExistError", // asyncpg: connection was closed in the middle of operation
        ]),
      },
      {
        // asyncpg's refused/unreachable connection is a bare OSError naming the address and port.
        id: "asyncpg-connect",
        pattern: `"Connect call failed" ", ${port})"`,
      },
    ];
  }
  return [
    {
      // redis-py (sync and asyncio) exception classes as a traceback's last line names them, and
      // its messages when a service logs only str(error).
      id: "redis-client",
      pattern: anyOf([
        "redis.exceptions.ConnectionError",
        "redis.exceptions.TimeoutError",
        "redis.exceptions.AuthenticationError",
        "Error connecting to",
        "Timeout connecting to server",
        "Connection closed by server",
      ]),
    },
    {
      // redis-py with an errno: "Error 111 connecting to redis:6379. Connection refused."
      id: "redis-errno",
      pattern: `"connecting to" ":${port}"`,
    },
  ];
}

export interface ConnectivityAlarmsProps {
  readonly environment: EnvironmentName;
  /** The services' log groups (ECS-4). */
  readonly logGroups: ServiceLogGroupSource;
  /** The alarm topic (alarm and OK actions). */
  readonly topicArn: string;
  /** The PostgreSQL port the services connect to (it appears in some clients' messages). */
  readonly databasePort: number;
  /** The Redis (Valkey) port the services connect to. */
  readonly redisPort: number;
  /** The services whose logs are watched (those that talk to each dependency). */
  readonly catalog: readonly ServiceDefinition[];
}

/** Matching log lines, summed over all services, in 5 minutes that raise a connectivity alarm. */
const CONNECTION_ERRORS_THRESHOLD = 5;

export class ConnectivityAlarms extends Construct {
  /** The alarm of each dependency that at least one service uses. */
  readonly alarms: ReadonlyMap<ConnectivityDependency, CloudwatchMetricAlarm>;
  /** Every metric filter, by dependency and service. */
  readonly filters: ReadonlyMap<ConnectivityDependency, ReadonlyMap<ServiceName, readonly CloudwatchLogMetricFilter[]>>;
  readonly metricNamespace: string;

  constructor(scope: Construct, id: string, props: ConnectivityAlarmsProps) {
    super(scope, id);
    const env = props.environment;
    const catalog = props.catalog;
    const threshold = CONNECTION_ERRORS_THRESHOLD;
    this.metricNamespace = serviceMetricNamespace(env);
    const ports: Record<ConnectivityDependency, number> = { db: props.databasePort, redis: props.redisPort };
    const label: Record<ConnectivityDependency, string> = { db: "the database (PostgreSQL)", redis: "Redis (Valkey)" };

    const alarms = new Map<ConnectivityDependency, CloudwatchMetricAlarm>();
    const filters = new Map<ConnectivityDependency, Map<ServiceName, CloudwatchLogMetricFilter[]>>();
    for (const dependency of ["db", "redis"] as const) {
      const consumers = catalog.filter((s) => s.talksTo.includes(dependency));
      if (consumers.length === 0) continue;
      const metricName = CONNECTION_ERROR_METRICS[dependency];
      const byService = new Map<ServiceName, CloudwatchLogMetricFilter[]>();
      for (const service of consumers) {
        const logGroup = props.logGroups.logGroup(service.name);
        byService.set(
          service.name,
          connectionErrorPatterns(dependency, ports[dependency]).map(
            (p) =>
              new CloudwatchLogMetricFilter(this, `${service.name}-${p.id}`, {
                name: resourceName(env, `${service.name}-${p.id}-connection-errors`),
                logGroupName: logGroup.name,
                pattern: p.pattern,
                metricTransformation: { name: metricName, namespace: this.metricNamespace, value: "1", unit: "Count" },
              }),
          ),
        );
      }
      filters.set(dependency, byService);

      const groups = consumers.map((s) => serviceLogGroupName(env, s.name));
      alarms.set(
        dependency,
        notifyingAlarm(this, `${dependency}-alarm`, {
          alarmName: connectionErrorsAlarmName(env, dependency),
          alarmDescription:
            `Services logged ${threshold} or more errors connecting to ${label[dependency]} in 5 minutes ` +
            `(sum over ${consumers.map((s) => s.name).join(", ")}). To do: find which service and which ` +
            `error with CloudWatch Logs Insights over ${groups.join(", ")} ` +
            `(fields @timestamp, @log, @message | filter @message like /onnect/ | sort @timestamp desc); then check the ` +
            `${dependency === "db" ? "database" : "Redis"} endpoint, its security group and, in staging, the ` +
            `database host's alarms.`,
          namespace: this.metricNamespace,
          metricName,
          statistic: "Sum",
          period: 300,
          evaluationPeriods: 1,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          threshold,
          treatMissingData: "notBreaching",
          topicArn: props.topicArn,
        }),
      );
    }
    this.alarms = alarms;
    this.filters = filters;
  }
}
