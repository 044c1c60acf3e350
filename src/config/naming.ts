/**
 * Every name the system uses, derived from the environment and component (ACC-5: names follow
 * `tracker-<env>-<component>`). Stacks, constructs, scripts and tests all take names from here,
 * so that nothing spells a name twice.
 */
import type { EnvironmentName, ParameterName, SecretName, ServiceName } from "./types";

export const PROJECT = "tracker";

/** `tracker-<env>-<component>`, the name of any AWS resource of an environment. */
export function resourceName(env: EnvironmentName, component: string): string {
  return `${PROJECT}-${env}-${component}`;
}

/** The stack of one environment, e.g. `tracker-staging`. */
export function environmentStackName(env: EnvironmentName): string {
  return `${PROJECT}-${env}`;
}

/** The bootstrap stack of one account, e.g. `tracker-bootstrap-staging`. */
export function bootstrapStackName(env: EnvironmentName): string {
  return `${PROJECT}-bootstrap-${env}`;
}

/**
 * IAM-2: the permissions boundary every role of an environment carries, created by the bootstrap
 * stack of the environment's account (`tracker-<env>-workload-boundary`).
 */
export function workloadBoundaryName(env: EnvironmentName): string {
  return resourceName(env, "workload-boundary");
}

/** IAM-2: the boundary's ARN, e.g. `arn:aws:iam::123456789012:policy/tracker-staging-workload-boundary`. */
export function workloadBoundaryArn(accountId: string, env: EnvironmentName): string {
  return `arn:aws:iam::${accountId}:policy/${workloadBoundaryName(env)}`;
}

/**
 * DLV-1: the infrastructure role ECS assumes to shift a public service's traffic during a canary,
 * e.g. `tracker-staging-api-traffic-shift`. The deploy role may pass only roles of this pattern to
 * `ecs.amazonaws.com`.
 */
export const TRAFFIC_SHIFT_ROLE_SUFFIX = "traffic-shift";
export function trafficShiftRoleName(env: EnvironmentName, service: ServiceName): string {
  return resourceName(env, `${service}-${TRAFFIC_SHIFT_ROLE_SUFFIX}`);
}

/** The names of the CI roles (IAM-2: all start `tracker-<env>-ci-`, which the deploy role may not touch). */
export const CI_ROLES = ["ci-plan", "ci-main-plan", "ci-deploy", "ci-image-push"] as const;
export type CiRole = (typeof CI_ROLES)[number];

/** The state bucket of an account: named after the account (ACC-2). */
export function stateBucketName(accountId: string): string {
  return `${PROJECT}-terraform-state-${accountId}`;
}

/** The state key of a stack: one key per stack, never shared (ACC-2). */
export function stateKey(stackName: string): string {
  return `${stackName}/terraform.tfstate`;
}

export function clusterName(env: EnvironmentName): string {
  return resourceName(env, "cluster");
}

/** The ECS service and task-definition family of a component. */
export function serviceResourceName(env: EnvironmentName, service: ServiceName): string {
  return resourceName(env, service);
}

/** ECS-4: `/ecs/tracker-<env>/<service>`. */
export function serviceLogGroupName(env: EnvironmentName, service: ServiceName): string {
  return `/ecs/${PROJECT}-${env}/${service}`;
}

/** ECR repository of one image in one environment's account. */
export function repositoryName(env: EnvironmentName, repository: string): string {
  return `${PROJECT}-${env}/${repository}`;
}

/** CFG-1: `tracker/<env>/<name>`. */
export function secretName(env: EnvironmentName, name: SecretName): string {
  return `${PROJECT}/${env}/${name}`;
}

/** CFG-2: `/tracker/<env>/<name>`. */
export function parameterName(env: EnvironmentName, name: ParameterName | string): string {
  return `/${PROJECT}/${env}/${name}`;
}

/** The private DNS namespace internal names live in (ECS-8), e.g. `staging.tracker.internal`. */
export function internalNamespace(env: EnvironmentName): string {
  return `${env}.${PROJECT}.internal`;
}

/** `postgres-password` -> `POSTGRES_PASSWORD`: the environment variable a container sees (CFG-3). */
export function environmentVariableName(name: SecretName | ParameterName): string {
  return name.toUpperCase().replace(/-/g, "_");
}

/** The Terraform variable that carries a service's image tag (ECS-11), e.g. `image_tag_tracker_fetcher`. */
export function imageTagVariableName(service: ServiceName): string {
  return `image_tag_${service.replace(/-/g, "_")}`;
}

/** The tags every resource carries (ACC-5), set as provider default tags. */
export function defaultTags(env: EnvironmentName): Record<string, string> {
  return { Project: PROJECT, Environment: env, ManagedBy: "cdktf" };
}

/**
 * The folders of an environment's log groups: each log group is named `<folder>/tracker-<env>...`
 * (`/ecs/tracker-<env>/<service>`, `/ecs/tracker-<env>-cluster/exec`,
 * `/aws/events/tracker-<env>/...`, `/vpc/tracker-<env>-flow-logs`).
 */
export const LOG_GROUP_FOLDERS = ["/ecs", "/aws/events", "/vpc"] as const;

/**
 * ARN patterns (`ArnLike`) matching every log group of an environment and no other project's (SHR-1):
 * what the environment key lets CloudWatch Logs encrypt.
 */
export function logGroupArnPatterns(env: EnvironmentName, region: string, accountId: string): string[] {
  const group = (name: string) => `arn:aws:logs:${region}:${accountId}:log-group:${name}`;
  return [
    ...LOG_GROUP_FOLDERS.map((folder) => group(`${folder}/${PROJECT}-${env}*`)),
    // EDGE-7: WAF requires its log group's name to start with `aws-waf-logs-`.
    group(`aws-waf-logs-${PROJECT}-${env}*`),
  ];
}
