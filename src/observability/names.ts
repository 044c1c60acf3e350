/**
 * The names of the observability resources (ACC-5: `tracker-<env>-<component>-<what>`), built from
 * `config/naming.ts`. Constructs, `deploymentAlarmNames` and the tests take them from here, so an
 * alarm the ECS services' `alarms` block names is the alarm that exists (OBS-3).
 */
import { PROJECT, resourceName } from "../config/naming";
import type { Dependency, EnvironmentName, ServiceName } from "../config/types";

/** The namespace of the metrics the metric filters publish: `Tracker/<env>`. */
export function serviceMetricNamespace(env: EnvironmentName): string {
  return `Tracker/${env}`;
}

/** The SNS topic every alarm notifies (OBS-2). */
export function alarmTopicName(env: EnvironmentName): string {
  return resourceName(env, "alarms");
}

/** Where EventBridge writes the ECS task failures: `/aws/events/tracker-<env>/ecs-task-failures`. */
export function taskFailureEventsLogGroupName(env: EnvironmentName): string {
  return `/aws/events/${PROJECT}-${env}/ecs-task-failures`;
}

/** A service's failed-task alarm, e.g. `tracker-staging-api-task-failures`. */
export function taskFailureAlarmName(env: EnvironmentName, service: ServiceName): string {
  return resourceName(env, `${service}-task-failures`);
}

/** A public service's target 5xx alarm, e.g. `tracker-staging-api-target-5xx`. */
export function target5xxAlarmName(env: EnvironmentName, service: ServiceName): string {
  return resourceName(env, `${service}-target-5xx`);
}

/** A public service's unhealthy-target alarm, e.g. `tracker-staging-api-unhealthy-targets`. */
export function unhealthyTargetsAlarmName(env: EnvironmentName, service: ServiceName): string {
  return resourceName(env, `${service}-unhealthy-targets`);
}

/** A public service's no-healthy-target alarm, e.g. `tracker-staging-api-no-healthy-targets`. */
export function noHealthyTargetsAlarmName(env: EnvironmentName, service: ServiceName): string {
  return resourceName(env, `${service}-no-healthy-targets`);
}

/** The load balancer's own 5xx alarm: `tracker-<env>-alb-5xx`. */
export function loadBalancer5xxAlarmName(env: EnvironmentName): string {
  return resourceName(env, "alb-5xx");
}

/** The components a connectivity alarm is about: `db` -> `database`, `redis` -> `redis`. */
export type ConnectivityDependency = Extract<Dependency, "db" | "redis">;

const DEPENDENCY_COMPONENT: Readonly<Record<ConnectivityDependency, string>> = { db: "database", redis: "redis" };

/** `tracker-<env>-database-connection-errors`, `tracker-<env>-redis-connection-errors`. */
export function connectionErrorsAlarmName(env: EnvironmentName, dependency: ConnectivityDependency): string {
  return resourceName(env, `${DEPENDENCY_COMPONENT[dependency]}-connection-errors`);
}

/** The database host's alarms: `tracker-<env>-db-host-<what>`. */
export function databaseHostAlarmName(
  env: EnvironmentName,
  what: "postgres-down" | "valkey-down" | "data-volume-usage" | "status-check-failed",
): string {
  return resourceName(env, `db-host-${what}`);
}

/** EDGE-7: the web ACL's blocked-request alarm, `tracker-<env>-waf-blocked-requests`. */
export function wafBlockedRequestsAlarmName(env: EnvironmentName): string {
  return resourceName(env, "waf-blocked-requests");
}
