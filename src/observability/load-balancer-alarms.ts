/**
 * OBS-2, OBS-3: the load balancer's alarms, from the ALB's own metrics (AWS/ApplicationELB):
 *
 * - `tracker-<env>-alb-5xx`: 5xx the load balancer itself returned (HTTPCode_ELB_5XX_Count: 502/503/504
 *   when targets fail or none is healthy);
 * - per public service, over both of its target groups (DLV-1: during a canary the new revision is
 *   in whichever group is not live, and ECS swaps the groups' roles after every deployment, so an
 *   alarm on one group would miss every other canary). Metric math combines the groups:
 *   - `tracker-<env>-<service>-target-5xx`: 5xx returned by the service, summed over both groups
 *     (HTTPCode_Target_5XX_Count), in one minute;
 *   - `tracker-<env>-<service>-unhealthy-targets`: a target of either group failing its health check
 *     (UnHealthyHostCount summed over both: >= 1 in the sum is >= 1 in either group);
 *   - `tracker-<env>-<service>-no-healthy-targets`: no healthy target in either group (the sum of
 *     HealthyHostCount < 1), the outage that UnHealthyHostCount misses when crashing tasks are
 *     deregistered rather than unhealthy. (The idle group has no targets; only the sum means anything.)
 *
 * The target 5xx and unhealthy-target alarms are that service's deployment rollback alarms (OBS-3);
 * the no-healthy-targets alarm is not, because the old revision keeps serving while a canary fails
 * (the other two catch that). Their periods are short because they bound the rollback time (DLV-2,
 * `src/compute/rollback-time.ts`): the slowest of them decides how long a bad canary takes traffic.
 */
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import { serviceResourceName } from "../config/naming";
import { SERVICE_CATALOG } from "../config/service-catalog";
import type { EnvironmentName, ServiceDefinition, ServiceName } from "../config/types";
import {
  loadBalancer5xxAlarmName,
  noHealthyTargetsAlarmName,
  target5xxAlarmName,
  unhealthyTargetsAlarmName,
} from "./names";
import { notifyingAlarm } from "./notifying-alarm";

/** The alarms of one public service's target group. */
export interface TargetGroupAlarms {
  readonly target5xx: CloudwatchMetricAlarm;
  readonly unhealthyTargets: CloudwatchMetricAlarm;
  readonly noHealthyTargets: CloudwatchMetricAlarm;
}

export interface LoadBalancerAlarmsProps {
  readonly environment: EnvironmentName;
  /** The alarm topic (alarm and OK actions). */
  readonly topicArn: string;
  /** The ALB's `arn_suffix` (`app/<name>/<id>`), the `LoadBalancer` dimension. */
  readonly loadBalancerArnSuffix: string;
  /**
   * Each public-web service's target groups' `arn_suffix` (`targetgroup/<name>/<id>`), the
   * `TargetGroup` dimension: the primary and the alternate group (DLV-1). Every public-web service
   * of the catalog must have at least one.
   */
  readonly targetGroupArnSuffixes: Readonly<Partial<Record<ServiceName, readonly string[]>>>;
  /** @default - the service catalog */
  readonly catalog?: readonly ServiceDefinition[];
}

const NAMESPACE = "AWS/ApplicationELB";
/** 5xx returned by the load balancer itself in 5 minutes that raise its alarm. */
const LOAD_BALANCER_5XX_THRESHOLD = 5;
/** 5xx returned by one service's targets in one minute that raise its alarm. */
const TARGET_5XX_THRESHOLD = 5;

/** One minute: the period of the per-service alarms, which bound the rollback time (DLV-2). */
export const TARGET_ALARM_PERIOD_SECONDS = 60;

/**
 * The metric queries of an alarm over several target groups: one `m<i>` per group (not returned),
 * and the expression `e` that combines them, the value the alarm compares.
 */
export function acrossTargetGroups(
  metricName: string,
  stat: string,
  targetGroupArnSuffixes: readonly string[],
  loadBalancerArnSuffix: string,
) {
  const ids = targetGroupArnSuffixes.map((_, i) => `m${i}`);
  // FILL: a group without data in a minute (no targets, no requests) counts as 0 next to the other.
  // A sum of counts: ">= 1 in the sum" is ">= 1 in either group", so one form serves every alarm.
  const expression = ids.map((id) => `FILL(${id}, 0)`).join(" + ");
  return [
    { id: "e", expression, label: `${metricName} (sum over ${ids.length} target groups)`, returnData: true },
    ...targetGroupArnSuffixes.map((suffix, i) => ({
      id: ids[i]!,
      returnData: false,
      metric: {
        namespace: NAMESPACE,
        metricName,
        stat,
        period: TARGET_ALARM_PERIOD_SECONDS,
        dimensions: { TargetGroup: suffix, LoadBalancer: loadBalancerArnSuffix },
      },
    })),
  ];
}

export class LoadBalancerAlarms extends Construct {
  readonly loadBalancer5xx: CloudwatchMetricAlarm;
  /** The alarms of each public-web service. */
  readonly targetGroups: ReadonlyMap<ServiceName, TargetGroupAlarms>;

  constructor(scope: Construct, id: string, props: LoadBalancerAlarmsProps) {
    super(scope, id);
    const env = props.environment;
    const publicServices = (props.catalog ?? SERVICE_CATALOG).filter((s) => s.kind === "public-web");
    const missing = publicServices.filter((s) => (props.targetGroupArnSuffixes[s.name] ?? []).length === 0).map((s) => s.name);
    if (missing.length > 0) {
      throw new Error(
        `LoadBalancerAlarms: targetGroupArnSuffixes has no target group for the public-web service(s) ` +
          `${missing.join(", ")}; pass each target group's arn_suffix`,
      );
    }
    const lb = props.loadBalancerArnSuffix;
    const common = { namespace: NAMESPACE, topicArn: props.topicArn } as const;

    const elbThreshold = LOAD_BALANCER_5XX_THRESHOLD;
    this.loadBalancer5xx = notifyingAlarm(this, "alb-5xx", {
      ...common,
      alarmName: loadBalancer5xxAlarmName(env),
      alarmDescription:
        `The ${env} load balancer itself returned ${elbThreshold} or more 5xx responses in 5 minutes ` +
        `(502/503/504: targets failing, timing out or none healthy). To do: check which target group's ` +
        `alarms are also firing (unhealthy or no healthy targets), then that service's tasks and logs.`,
      metricName: "HTTPCode_ELB_5XX_Count",
      dimensions: { LoadBalancer: lb },
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: elbThreshold,
      treatMissingData: "notBreaching",
    });

    const targetThreshold = TARGET_5XX_THRESHOLD;
    const groups = new Map<ServiceName, TargetGroupAlarms>();
    for (const service of publicServices) {
      const suffixes = props.targetGroupArnSuffixes[service.name]!;
      const ecsService = serviceResourceName(env, service.name);
      const groupsText = suffixes.length > 1 ? `its ${suffixes.length} target groups (live and canary)` : "its target group";
      groups.set(service.name, {
        target5xx: notifyingAlarm(this, `${service.name}-target-5xx`, {
          topicArn: props.topicArn,
          alarmName: target5xxAlarmName(env, service.name),
          alarmDescription:
            `${ecsService} returned ${targetThreshold} or more 5xx responses through the load balancer in ` +
            `one minute, summed over ${groupsText}. During a deployment (canary and bake included) this ` +
            `alarm rolls the service back (OBS-3, DLV-1). To do: read the service's logs for the failing ` +
            `requests; if a deployment just finished, roll back to the previous image tags.`,
          metricQuery: acrossTargetGroups("HTTPCode_Target_5XX_Count", "Sum", suffixes, lb),
          evaluationPeriods: 1,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          threshold: targetThreshold,
          treatMissingData: "notBreaching",
        }),
        unhealthyTargets: notifyingAlarm(this, `${service.name}-unhealthy-targets`, {
          topicArn: props.topicArn,
          alarmName: unhealthyTargetsAlarmName(env, service.name),
          alarmDescription:
            `At least one target of ${ecsService} (in either target group) failed the load balancer's ` +
            `health check (${service.healthPath ?? "health path"}) in 2 of the last 3 minutes. During a ` +
            `deployment (canary and bake included) this alarm rolls the service back (OBS-3, DLV-1). To do: ` +
            `check the target groups' health reasons and the service's logs and ECS events.`,
          metricQuery: acrossTargetGroups("UnHealthyHostCount", "Maximum", suffixes, lb),
          evaluationPeriods: 3,
          datapointsToAlarm: 2,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          threshold: 1,
          treatMissingData: "notBreaching",
        }),
        noHealthyTargets: notifyingAlarm(this, `${service.name}-no-healthy-targets`, {
          topicArn: props.topicArn,
          alarmName: noHealthyTargetsAlarmName(env, service.name),
          alarmDescription:
            `${ecsService} has had no healthy target behind the load balancer (in any of ${groupsText}) for ` +
            `2 minutes: its hostname answers 503. To do: check the service's running count, stopped tasks ` +
            `and logs; roll back if a deployment caused it.`,
          metricQuery: acrossTargetGroups("HealthyHostCount", "Minimum", suffixes, lb),
          evaluationPeriods: 2,
          comparisonOperator: "LessThanThreshold",
          threshold: 1,
          // No data: the target groups report no targets at all, which is the same outage.
          treatMissingData: "breaching",
        }),
      });
    }
    this.targetGroups = groups;
  }

  /** The alarms of one public-web service; throws for any other service. */
  targetGroup(service: ServiceName): TargetGroupAlarms {
    const alarms = this.targetGroups.get(service);
    if (!alarms) throw new Error(`LoadBalancerAlarms: "${service}" is not a public-web service of the catalog`);
    return alarms;
  }
}
