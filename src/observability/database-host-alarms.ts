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
import { DATABASE_HOST_METRICS as PROBE } from "../data/database-host/user-data";
import { databaseHostAlarmName } from "./names";
import { notifyingAlarm } from "./notifying-alarm";

/** The probe's timer runs every minute (systemd/tracker-db-health.timer: OnUnitActiveSec=1min). */
const PROBE_PERIOD_SECONDS = 60;

/** Data volume usage, in percent, above which the disk alarm fires. */
const DATA_VOLUME_THRESHOLD_PERCENT = 85;

export interface DatabaseHostAlarmsProps {
  readonly environment: EnvironmentName;
  /** The alarm topic (alarm and OK actions). */
  readonly topicArn: string;
  /** The database host's EC2 instance ID (the `InstanceId` dimension of AWS/EC2 status checks). */
  readonly instanceId: string;
}

export class DatabaseHostAlarms extends Construct {
  readonly postgresDown: CloudwatchMetricAlarm;
  readonly valkeyDown: CloudwatchMetricAlarm;
  readonly dataVolumeUsage: CloudwatchMetricAlarm;
  readonly statusCheckFailed: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: DatabaseHostAlarmsProps) {
    super(scope, id);
    const env = props.environment;
    const namespace = PROBE.namespace;
    const dimensions = { [PROBE.dimensionName]: env };
    const diskThreshold = DATA_VOLUME_THRESHOLD_PERCENT;
    const common = { topicArn: props.topicArn } as const;

    const down = (what: "postgres" | "valkey", metricName: string, text: string) =>
      notifyingAlarm(this, `${what}-down`, {
        ...common,
        alarmName: databaseHostAlarmName(env, `${what}-down`),
        alarmDescription:
          `${text} on the ${env} database host (${props.instanceId}) has not answered its probe, or the probe ` +
          `has published nothing, for 3 minutes. To do: open a shell with SSM Session Manager, check ` +
          `systemctl status and journalctl of the service and the tracker-db-health timer; check the host's ` +
          `status-check alarm.`,
        namespace,
        metricName,
        dimensions,
        statistic: "Minimum",
        period: PROBE_PERIOD_SECONDS,
        evaluationPeriods: 3,
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
        treatMissingData: "breaching",
      });
    this.postgresDown = down("postgres", PROBE.postgresUp, "PostgreSQL");
    this.valkeyDown = down("valkey", PROBE.valkeyUp, "Valkey");

    this.dataVolumeUsage = notifyingAlarm(this, "data-volume-usage", {
      ...common,
      alarmName: databaseHostAlarmName(env, "data-volume-usage"),
      alarmDescription:
        `The ${env} database host's data volume is more than ${diskThreshold} % full. To do: find what grows ` +
        `(WAL, tables, Valkey persistence); grow the EBS volume (dataVolumeGiB in the environment definition) ` +
        `and the filesystem before it fills, which stops PostgreSQL.`,
      namespace,
      metricName: PROBE.dataVolumeUsedPercent,
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
