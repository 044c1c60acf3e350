/**
 * OBS-2, OBS-3: an alarm per ECS service that fires when one of its tasks fails.
 *
 * ECS publishes no per-service "failed task" metric (AWS/ECS and Container Insights report running,
 * pending and desired counts, not stops), so it is built from ECS's own events, the pattern of
 * AWS's sample `aws-samples/amazon-ecs-stopped-tasks-cwlogs`:
 *
 *   EventBridge rule "ECS Task State Change" of this cluster, lastStatus STOPPED, and either a
 *   failure stop code (TaskFailedToStart, EssentialContainerExited) or a stopped reason beginning
 *   "Task failed" (the scheduler's "Task failed ELB health checks ..." / "... container health
 *   checks", whose stop code is ServiceSchedulerInitiated like an ordinary scale-in)
 *     -> a KMS-encrypted log group `/aws/events/tracker-<env>/ecs-task-failures`
 *        (+ the CloudWatch Logs resource policy that lets EventBridge write to it)
 *     -> one metric filter per service: `{ $.detail.group = "service:<ecs service name>" }`
 *     -> metric `TaskFailures` in `Tracker/<env>`, dimension `ServiceName` = `$.detail.group`
 *        (metric filter dimensions can only take values from the event, so the value is ECS's
 *        deployment group `service:tracker-<env>-<service>`; the pattern pins it per filter)
 *     -> alarm `tracker-<env>-<service>-task-failures`: Sum >= 1 in one minute (a rollback alarm:
 *        its period bounds the rollback time, DLV-2).
 *
 * The log group also keeps every failed task's stop reason and container exit codes, queryable
 * long after ECS forgets stopped tasks (about an hour).
 */
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import { LogDeliveryPolicy } from "./log-delivery-policy";
import { resourceName, serviceLogGroupName, serviceResourceName } from "../config/naming";
import { SERVICE_CATALOG } from "../config/service-catalog";
import type { EnvironmentName, ServiceDefinition, ServiceName } from "../config/types";
import { serviceMetricNamespace, taskFailureAlarmName, taskFailureEventsLogGroupName } from "./names";
import { notifyingAlarm } from "./notifying-alarm";

/** The metric the filters publish. */
export const TASK_FAILURES_METRIC = "TaskFailures";

/** ECS stop codes that mean the task failed rather than was stopped on purpose. */
export const FAILURE_STOP_CODES = ["TaskFailedToStart", "EssentialContainerExited"] as const;

/** The scheduler's stop reasons for failed health checks begin with this. */
export const FAILED_HEALTH_CHECK_REASON_PREFIX = "Task failed";

/** ECS names a service's tasks' group `service:<service name>` in its events. */
export function ecsServiceGroup(env: EnvironmentName, service: ServiceName): string {
  return `service:${serviceResourceName(env, service)}`;
}

export interface TaskFailureAlarmsProps {
  /** The stack's log resource policy (SHR-2: one per stack). @default - a new one */
  readonly logDelivery?: LogDeliveryPolicy;
  readonly environment: EnvironmentName;
  /** The ECS cluster whose task events are watched. */
  readonly clusterArn: string;
  /** The alarm topic (alarm and OK actions). */
  readonly topicArn: string;
  /** Encrypts the events log group (the environment key). */
  readonly kmsKeyArn: string;
  /** Retention of the events log group, in days. */
  readonly retentionDays: number;
  /** @default - the service catalog */
  readonly catalog?: readonly ServiceDefinition[];
}

export class TaskFailureAlarms extends Construct {
  readonly rule: CloudwatchEventRule;
  /** The stack's one CloudWatch Logs resource policy; other log writers (WAF) add to it. */
  readonly logDelivery: LogDeliveryPolicy;
  /** The metric filter of each service. */
  readonly filters: ReadonlyMap<ServiceName, CloudwatchLogMetricFilter>;
  /** The alarm of each service. */
  readonly alarms: ReadonlyMap<ServiceName, CloudwatchMetricAlarm>;
  readonly metricNamespace: string;

  constructor(scope: Construct, id: string, props: TaskFailureAlarmsProps) {
    super(scope, id);
    const env = props.environment;
    this.metricNamespace = serviceMetricNamespace(env);

    const logGroup = new CloudwatchLogGroup(this, "events-log-group", {
      name: taskFailureEventsLogGroupName(env),
      retentionInDays: props.retentionDays,
      kmsKeyId: props.kmsKeyArn,
    });

    // JSON.stringify keeps a token in clusterArn as its `${...}` placeholder, which Terraform
    // interpolates inside the pattern string.
    this.rule = new CloudwatchEventRule(this, "rule", {
      name: resourceName(env, "ecs-task-failures"),
      description: `Failed tasks of the ${env} ECS cluster, to ${taskFailureEventsLogGroupName(env)} (OBS-2)`,
      eventPattern: JSON.stringify({
        source: ["aws.ecs"],
        "detail-type": ["ECS Task State Change"],
        detail: {
          clusterArn: [props.clusterArn],
          lastStatus: ["STOPPED"],
          $or: [
            { stopCode: [...FAILURE_STOP_CODES] },
            { stoppedReason: [{ prefix: FAILED_HEALTH_CHECK_REASON_PREFIX }] },
          ],
        },
      }),
    });

    // EventBridge writes to CloudWatch Logs through the log group's resource policy (no role).
    // This is the policy of the EventBridge user guide, narrowed from `/aws/events/*` to this one
    // group. No aws:SourceArn condition: see docs/DESIGN.md "Alarms" (a policy that silently stops
    // delivery would leave the alarms quiet, since missing data is not breaching).
    this.logDelivery = props.logDelivery ?? new LogDeliveryPolicy(this, "log-delivery", { environment: env });
    const target = new CloudwatchEventTarget(this, "target", {
      rule: this.rule.name,
      targetId: "ecs-task-failures-log-group",
      arn: logGroup.arn,
    });
    this.logDelivery.allow(
      {
        sid: "EventBridgeWritesEcsTaskFailures",
        principals: [{ type: "Service", identifiers: ["events.amazonaws.com", "delivery.logs.amazonaws.com"] }],
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [`${logGroup.arn}:*`],
      },
      target,
    );

    const filters = new Map<ServiceName, CloudwatchLogMetricFilter>();
    const alarms = new Map<ServiceName, CloudwatchMetricAlarm>();
    for (const service of props.catalog ?? SERVICE_CATALOG) {
      const group = ecsServiceGroup(env, service.name);
      filters.set(
        service.name,
        new CloudwatchLogMetricFilter(this, `${service.name}-filter`, {
          name: resourceName(env, `${service.name}-task-failures`),
          logGroupName: logGroup.name,
          pattern: `{ $.detail.group = "${group}" }`,
          metricTransformation: {
            name: TASK_FAILURES_METRIC,
            namespace: this.metricNamespace,
            value: "1",
            unit: "Count",
            // Dimension values come from the event; the pattern pins this one to `group`.
            dimensions: { ServiceName: "$.detail.group" },
          },
        }),
      );
      alarms.set(
        service.name,
        notifyingAlarm(this, `${service.name}-alarm`, {
          alarmName: taskFailureAlarmName(env, service.name),
          alarmDescription:
            `A task of the ECS service ${serviceResourceName(env, service.name)} failed (stopped with a failure ` +
            `stop code or failed its health checks) in the last minute. During a deployment this alarm rolls ` +
            `the service back (OBS-3). To do: read the stopped reason and exit codes in ` +
            `${taskFailureEventsLogGroupName(env)} and the service's logs in ${serviceLogGroupName(env, service.name)}; ` +
            `check the service's events in the ECS console.`,
          namespace: this.metricNamespace,
          metricName: TASK_FAILURES_METRIC,
          dimensions: { ServiceName: group },
          statistic: "Sum",
          // DLV-2: a rollback alarm; one minute keeps the worst-case rollback under five minutes.
          period: 60,
          evaluationPeriods: 1,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          threshold: 1,
          treatMissingData: "notBreaching",
          topicArn: props.topicArn,
        }),
      );
    }
    this.filters = filters;
    this.alarms = alarms;
  }

  /** The failed-task alarm of one service. */
  alarm(service: ServiceName): CloudwatchMetricAlarm {
    const alarm = this.alarms.get(service);
    if (!alarm) throw new Error(`TaskFailureAlarms: no alarm for service "${service}" (not in the catalog)`);
    return alarm;
  }
}
