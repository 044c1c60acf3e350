/**
 * OBS-2, DB-8: the staging database host's alarms, from the probe the host runs every minute
 * (`src/data/database-host/files/health-probe.sh`: namespace `Tracker/DatabaseHost`, dimension
 * `Environment=<env>`, metrics PostgresUp, ValkeyUp, DataVolumeUsedPercent) and EC2's status checks.
 *
 * - `tracker-<env>-db-host-postgres-down`, `...-valkey-down`: the probe reported 0, or nothing, for 3
 *   minutes. Missing data is breaching: a host that stops publishing is a failing host.
 * - `tracker-<env>-db-host-data-volume-usage`: the data volume is fuller than the threshold.
 * - `tracker-<env>-db-host-status-check-failed`: EC2's combined StatusCheckFailed (instance or system)
 *   for 2 minutes. It notifies only; the EC2 recover action on the system check is the database host's
 *   own alarm (DB-8), built with the host.
 */
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import type { EnvironmentName } from "../config/types";
import { databaseHostAlarmName } from "./names";
import { notifyingAlarm } from "./notifying-alarm";

/** The metric names of the host's probe. */
export interface DatabaseHostProbeMetrics {
  /** @default "PostgresUp" */
  readonly postgresUp?: string;
  /** @default "ValkeyUp" */
  readonly valkeyUp?: string;
  /** @default "DataVolumeUsedPercent" */
  readonly dataVolumeUsedPercent?: string;
}

export interface DatabaseHostAlarmsProps {
  readonly environment: EnvironmentName;
  /** The alarm topic (alarm and OK actions). */
  readonly topicArn: string;
  /** The database host's EC2 instance ID (the `InstanceId` dimension of AWS/EC2 status checks). */
  readonly instanceId: string;
  /** The probe's namespace. @default "Tracker/DatabaseHost" */
  readonly probeNamespace?: string;
  /** The probe metrics' dimensions. @default { Environment: <env> } (what health-probe.sh publishes) */
  readonly probeDimensions?: Readonly<Record<string, string>>;
  /** @default - the names health-probe.sh publishes */
  readonly probeMetrics?: DatabaseHostProbeMetrics;
  /** The probe's period in seconds. @default 60 */
  readonly probePeriodSeconds?: number;
  /** Data volume usage, in percent, above which the disk alarm fires. @default 85 */
  readonly dataVolumeThresholdPercent?: number;
}

export class DatabaseHostAlarms extends Construct {
  readonly postgresDown: CloudwatchMetricAlarm;
  readonly valkeyDown: CloudwatchMetricAlarm;
  readonly dataVolumeUsage: CloudwatchMetricAlarm;
  readonly statusCheckFailed: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: DatabaseHostAlarmsProps) {
    super(scope, id);
    const env = props.environment;
    const namespace = props.probeNamespace ?? "Tracker/DatabaseHost";
    const dimensions = { ...(props.probeDimensions ?? { Environment: env }) };
    const period = props.probePeriodSeconds ?? 60;
    const diskThreshold = props.dataVolumeThresholdPercent ?? 85;
    const metrics = {
      postgresUp: props.probeMetrics?.postgresUp ?? "PostgresUp",
      valkeyUp: props.probeMetrics?.valkeyUp ?? "ValkeyUp",
      dataVolumeUsedPercent: props.probeMetrics?.dataVolumeUsedPercent ?? "DataVolumeUsedPercent",
    };
    const common = { topicArn: props.topicArn } as const;
    const minutes = (n: number) => `${(n * period) / 60} minute${n * period === 60 ? "" : "s"}`;

    const down = (what: "postgres" | "valkey", metricName: string, text: string) =>
      notifyingAlarm(this, `${what}-down`, {
        ...common,
        alarmName: databaseHostAlarmName(env, `${what}-down`),
        alarmDescription:
          `${text} on the ${env} database host (${props.instanceId}) has not answered its probe, or the probe ` +
          `has published nothing, for ${minutes(3)}. To do: open a shell with SSM Session Manager, check ` +
          `systemctl status and journalctl of the service and the tracker-db-health timer; check the host's ` +
          `status-check alarm.`,
        namespace,
        metricName,
        dimensions,
        statistic: "Minimum",
        period,
        evaluationPeriods: 3,
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
        treatMissingData: "breaching",
      });
    this.postgresDown = down("postgres", metrics.postgresUp, "PostgreSQL");
    this.valkeyDown = down("valkey", metrics.valkeyUp, "Valkey");

    this.dataVolumeUsage = notifyingAlarm(this, "data-volume-usage", {
      ...common,
      alarmName: databaseHostAlarmName(env, "data-volume-usage"),
      alarmDescription:
        `The ${env} database host's data volume is more than ${diskThreshold} % full. To do: find what grows ` +
        `(WAL, tables, Valkey persistence); grow the EBS volume (dataVolumeGiB in the environment definition) ` +
        `and the filesystem before it fills, which stops PostgreSQL.`,
      namespace,
      metricName: metrics.dataVolumeUsedPercent,
      dimensions,
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: diskThreshold,
      // Silence is the down alarms' business.
      treatMissingData: "notBreaching",
    });

    this.statusCheckFailed = notifyingAlarm(this, "status-check-failed", {
      ...common,
      alarmName: databaseHostAlarmName(env, "status-check-failed"),
      alarmDescription:
        `The ${env} database host (${props.instanceId}) failed its EC2 status checks (instance or system) ` +
        `for 2 minutes. A system failure is recovered automatically by the host's recover alarm; an ` +
        `instance failure is not. To do: check the instance's status checks and system log in the EC2 ` +
        `console; reboot it if the instance check keeps failing (the data volume survives).`,
      namespace: "AWS/EC2",
      metricName: "StatusCheckFailed",
      dimensions: { InstanceId: props.instanceId },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 2,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      treatMissingData: "notBreaching",
    });
  }

  /** Every alarm of the host. */
  get all(): readonly CloudwatchMetricAlarm[] {
    return [this.postgresDown, this.valkeyDown, this.dataVolumeUsage, this.statusCheckFailed];
  }
}
