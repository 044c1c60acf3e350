/**
 * OBS-2, OBS-3: the load balancer's alarms, from the ALB's own metrics (AWS/ApplicationELB):
 *
 * - `tracker-<env>-alb-5xx`: 5xx the load balancer itself returned (HTTPCode_ELB_5XX_Count: 502/503/504
 *   when targets fail or none is healthy);
 * - per public service (one target group each):
 *   - `tracker-<env>-<service>-target-5xx`: 5xx returned by the service (HTTPCode_Target_5XX_Count);
 *   - `tracker-<env>-<service>-unhealthy-targets`: a target failing its health check (UnHealthyHostCount);
 *   - `tracker-<env>-<service>-no-healthy-targets`: no healthy target at all (HealthyHostCount < 1), the
 *     outage that UnHealthyHostCount misses when crashing tasks are deregistered rather than unhealthy.
 *
 * The target 5xx and unhealthy-target alarms are that service's deployment rollback alarms (OBS-3);
 * the no-healthy-targets alarm is not, because a rolling deployment with 100 % minimum healthy keeps
 * the old tasks healthy while new ones fail (the other two catch that).
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
   * Each public-web service's target group `arn_suffix` (`targetgroup/<name>/<id>`), the
   * `TargetGroup` dimension. Every public-web service of the catalog must have one.
   */
  readonly targetGroupArnSuffixes: Readonly<Partial<Record<ServiceName, string>>>;
  /** 5xx returned by the load balancer itself in 5 minutes that raise its alarm. @default 5 */
  readonly loadBalancer5xxThreshold?: number;
  /** 5xx returned by one service's targets in 5 minutes that raise its alarm. @default 5 */
  readonly target5xxThreshold?: number;
  /** @default - the service catalog */
  readonly catalog?: readonly ServiceDefinition[];
}

const NAMESPACE = "AWS/ApplicationELB";

export class LoadBalancerAlarms extends Construct {
  readonly loadBalancer5xx: CloudwatchMetricAlarm;
  /** The alarms of each public-web service. */
  readonly targetGroups: ReadonlyMap<ServiceName, TargetGroupAlarms>;

  constructor(scope: Construct, id: string, props: LoadBalancerAlarmsProps) {
    super(scope, id);
    const env = props.environment;
    const publicServices = (props.catalog ?? SERVICE_CATALOG).filter((s) => s.kind === "public-web");
    const missing = publicServices.filter((s) => !props.targetGroupArnSuffixes[s.name]).map((s) => s.name);
    if (missing.length > 0) {
      throw new Error(
        `LoadBalancerAlarms: targetGroupArnSuffixes has no target group for the public-web service(s) ` +
          `${missing.join(", ")}; pass each target group's arn_suffix`,
      );
    }
    const lb = props.loadBalancerArnSuffix;
    const common = { namespace: NAMESPACE, topicArn: props.topicArn } as const;

    const elbThreshold = props.loadBalancer5xxThreshold ?? 5;
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

    const targetThreshold = props.target5xxThreshold ?? 5;
    const groups = new Map<ServiceName, TargetGroupAlarms>();
    for (const service of publicServices) {
      const dimensions = { TargetGroup: props.targetGroupArnSuffixes[service.name]!, LoadBalancer: lb };
      const ecsService = serviceResourceName(env, service.name);
      groups.set(service.name, {
        target5xx: notifyingAlarm(this, `${service.name}-target-5xx`, {
          ...common,
          alarmName: target5xxAlarmName(env, service.name),
          alarmDescription:
            `${ecsService} returned ${targetThreshold} or more 5xx responses through the load balancer in ` +
            `5 minutes. During a deployment this alarm rolls the service back (OBS-3). To do: read the ` +
            `service's logs for the failing requests; if a deployment just finished, roll back to the ` +
            `previous image tags.`,
          metricName: "HTTPCode_Target_5XX_Count",
          dimensions,
          statistic: "Sum",
          period: 300,
          evaluationPeriods: 1,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          threshold: targetThreshold,
          treatMissingData: "notBreaching",
        }),
        unhealthyTargets: notifyingAlarm(this, `${service.name}-unhealthy-targets`, {
          ...common,
          alarmName: unhealthyTargetsAlarmName(env, service.name),
          alarmDescription:
            `At least one target of ${ecsService} failed the load balancer's health check ` +
            `(${service.healthPath ?? "health path"}) in 2 of the last 3 minutes. During a deployment this ` +
            `alarm rolls the service back (OBS-3). To do: check the target group's health reasons and the ` +
            `service's logs and ECS events.`,
          metricName: "UnHealthyHostCount",
          dimensions,
          statistic: "Maximum",
          period: 60,
          evaluationPeriods: 3,
          datapointsToAlarm: 2,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          threshold: 1,
          treatMissingData: "notBreaching",
        }),
        noHealthyTargets: notifyingAlarm(this, `${service.name}-no-healthy-targets`, {
          ...common,
          alarmName: noHealthyTargetsAlarmName(env, service.name),
          alarmDescription:
            `${ecsService} has had no healthy target behind the load balancer for 2 minutes: its hostname ` +
            `answers 503. To do: check the service's running count, stopped tasks and logs; roll back if a ` +
            `deployment caused it.`,
          metricName: "HealthyHostCount",
          dimensions,
          statistic: "Minimum",
          period: 60,
          evaluationPeriods: 2,
          comparisonOperator: "LessThanThreshold",
          threshold: 1,
          // No data: the target group reports no targets at all, which is the same outage.
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
