/**
 * OBS-2, OBS-3: every alarm of one environment, derived from the service catalog, all notifying the
 * environment's alarm topic. Composes the one-concern constructs of this folder and answers the
 * question the ECS services ask: which alarms roll my deployment back (`deploymentAlarmNames`).
 */
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import { SERVICE_CATALOG } from "../config/service-catalog";
import type { EnvironmentDefinition, EnvironmentName, ServiceDefinition, ServiceName } from "../config/types";
import { ConnectivityAlarms } from "./connectivity-alarms";
import { DatabaseHostAlarms, type DatabaseHostAlarmsProps } from "./database-host-alarms";
import { LoadBalancerAlarms } from "./load-balancer-alarms";
import { target5xxAlarmName, taskFailureAlarmName, unhealthyTargetsAlarmName } from "./names";
import type { ServiceLogGroupSource } from "./service-log-groups";
import type { LogDeliveryPolicy } from "./log-delivery-policy";
import { TaskFailureAlarms } from "./task-failure-alarms";
import { WebAclAlarms } from "./web-acl-alarms";

/** The database host the alarms watch (its probe's metrics are DATABASE_HOST_METRICS, as the host publishes them). */
export type DatabaseHostAlarmTarget = Omit<DatabaseHostAlarmsProps, "environment" | "topicArn">;

/** The WAF web ACL the blocked-request alarm watches (EDGE-7). */
export interface WebAclAlarmTarget {
  /** The ACL's metric name (`WebAcl.metricName`). */
  readonly metricName: string;
  /** Its log group's name, for the alarm's instructions. */
  readonly logGroupName: string;
}

/** The load balancer the alarms watch, by its CloudWatch dimensions. */
export interface LoadBalancerAlarmTarget {
  /** The ALB's `arn_suffix`. */
  readonly arnSuffix: string;
  /** Each public-web service's target groups' `arn_suffix` (primary and alternate, DLV-1). */
  readonly targetGroupArnSuffixes: Readonly<Partial<Record<ServiceName, readonly string[]>>>;
}

export interface TrackerAlarmsProps {
  readonly environment: EnvironmentDefinition;
  /** The alarm topic (`AlarmTopic.topicArn`). */
  readonly topicArn: string;
  /** The environment key: encrypts the ECS task-failure events log group. */
  readonly kmsKeyArn: string;
  /** The ECS cluster whose failed tasks are counted. */
  readonly clusterArn: string;
  /** The services' log groups (`ServiceLogGroups`). */
  readonly logGroups: ServiceLogGroupSource;
  readonly loadBalancer: LoadBalancerAlarmTarget;
  /** The web ACL in front of the ALB. @default - no WAF alarm (the environment's WAF is off) */
  readonly webAcl?: WebAclAlarmTarget;
  /** The stack's one log resource policy (SHR-2). @default - the task-failure alarms make one */
  readonly logDelivery?: LogDeliveryPolicy;
  /** The staging database host. @default - no host alarms (production has no database host) */
  readonly databaseHost?: DatabaseHostAlarmTarget;
  /** @default - the service catalog */
  readonly catalog?: readonly ServiceDefinition[];
}

export class TrackerAlarms extends Construct {
  readonly taskFailures: TaskFailureAlarms;
  readonly connectivity: ConnectivityAlarms;
  readonly loadBalancer: LoadBalancerAlarms;
  /** Absent when no web ACL is given. */
  readonly webAcl?: WebAclAlarms;
  /** Absent when no database host instance is given. */
  readonly databaseHost?: DatabaseHostAlarms;
  private readonly catalog: readonly ServiceDefinition[];
  private readonly environmentName: EnvironmentName;

  constructor(scope: Construct, id: string, props: TrackerAlarmsProps) {
    super(scope, id);
    const env = props.environment;
    this.catalog = props.catalog ?? SERVICE_CATALOG;
    this.environmentName = env.name;
    const dataPlane = env.dataPlane;

    this.taskFailures = new TaskFailureAlarms(this, "task-failures", {
      environment: env.name,
      clusterArn: props.clusterArn,
      topicArn: props.topicArn,
      kmsKeyArn: props.kmsKeyArn,
      retentionDays: env.logRetentionDays,
      catalog: this.catalog,
      ...(props.logDelivery ? { logDelivery: props.logDelivery } : {}),
    });
    this.connectivity = new ConnectivityAlarms(this, "connectivity", {
      environment: env.name,
      logGroups: props.logGroups,
      topicArn: props.topicArn,
      // The staging host listens on the default ports; production's endpoints are configuration.
      databasePort: dataPlane.mode === "external" ? dataPlane.postgres.port : 5432,
      redisPort: dataPlane.mode === "external" ? dataPlane.redis.port : 6379,
      catalog: this.catalog,
    });
    this.loadBalancer = new LoadBalancerAlarms(this, "load-balancer", {
      environment: env.name,
      topicArn: props.topicArn,
      loadBalancerArnSuffix: props.loadBalancer.arnSuffix,
      targetGroupArnSuffixes: props.loadBalancer.targetGroupArnSuffixes,
      catalog: this.catalog,
    });
    if (props.webAcl) {
      this.webAcl = new WebAclAlarms(this, "web-acl", {
        environment: env.name,
        region: env.region,
        topicArn: props.topicArn,
        webAclMetricName: props.webAcl.metricName,
        logGroupName: props.webAcl.logGroupName,
        threshold: env.loadBalancer.waf.blockedRequestsAlarmThreshold,
      });
    }
    if (props.databaseHost) {
      this.databaseHost = new DatabaseHostAlarms(this, "database-host", {
        ...props.databaseHost,
        environment: env.name,
        topicArn: props.topicArn,
      });
    }
  }

  /**
   * OBS-3, ECS-6: the alarms that roll a deployment of `service` back (the ECS service's
   * `alarms.alarm_names`): its failed-task alarm, and for a public-web service its target 5xx and
   * unhealthy-target alarms. Stable strings (`tracker-<env>-<service>-task-failures`, ...), each the
   * name of an alarm this construct creates.
   */
  deploymentAlarmNames(service: ServiceName): string[] {
    return this.deploymentAlarmSpecs(service).map((s) => s.name);
  }

  /**
   * The same alarms as resources, for the ECS service's `dependsOn`: the names are plain strings, so
   * without it Terraform could create the service before its alarms exist.
   */
  deploymentAlarms(service: ServiceName): CloudwatchMetricAlarm[] {
    return this.deploymentAlarmSpecs(service).map((s) => s.alarm);
  }

  /** Every alarm of the environment. */
  get all(): CloudwatchMetricAlarm[] {
    return [
      ...this.taskFailures.alarms.values(),
      ...this.connectivity.alarms.values(),
      this.loadBalancer.loadBalancer5xx,
      ...[...this.loadBalancer.targetGroups.values()].flatMap((t) => [t.target5xx, t.unhealthyTargets, t.noHealthyTargets]),
      ...(this.webAcl ? [this.webAcl.blockedRequests] : []),
      ...(this.databaseHost?.all ?? []),
    ];
  }

  /**
   * COST-2: the alarms that fire merely because the environment is stopped outside its off-hours
   * schedule: no healthy target behind a public service (missing data is breaching), the load
   * balancer's own 5xx (it answers 503 without targets), and the host probe's silence (breaching).
   * The task-failure, unhealthy-target, target-5xx and connectivity alarms treat missing data as
   * not breaching and stay on: a scale-in is not a failure (stop code ServiceSchedulerInitiated).
   */
  get offHoursAlarms(): CloudwatchMetricAlarm[] {
    return [
      this.loadBalancer.loadBalancer5xx,
      ...[...this.loadBalancer.targetGroups.values()].map((t) => t.noHealthyTargets),
      ...(this.databaseHost ? [this.databaseHost.postgresDown, this.databaseHost.valkeyDown] : []),
    ];
  }

  private deploymentAlarmSpecs(service: ServiceName): { name: string; alarm: CloudwatchMetricAlarm }[] {
    const definition = this.catalog.find((s) => s.name === service);
    if (!definition) throw new Error(`TrackerAlarms: no service "${service}" in the catalog`);
    const env = this.environmentName;
    const specs = [{ name: taskFailureAlarmName(env, service), alarm: this.taskFailures.alarm(service) }];
    if (definition.kind === "public-web") {
      const target = this.loadBalancer.targetGroup(service);
      specs.push(
        { name: target5xxAlarmName(env, service), alarm: target.target5xx },
        { name: unhealthyTargetsAlarmName(env, service), alarm: target.unhealthyTargets },
      );
    }
    return specs;
  }
}
