/**
 * COST-2: the off-hours schedule of an environment. Outside the hours of `environment.schedule`
 * every ECS service is scaled to zero and the staging database host is stopped; inside them they
 * run again, started in order: the host first, the services `DATABASE_HOST_LEAD_MINUTES` later
 * (PostgreSQL and Valkey are up before the first task connects), and stopped the other way round.
 *
 * - Services: Application Auto Scaling scheduled actions on each service's scalable target set
 *   min = max = 0 at `stop` and back to the environment's counts at `start` (a service without
 *   target-tracking autoscaling gets a scalable target of its own, min = max = its desired count).
 *   From then on Application Auto Scaling owns the count: the ECS service ignores `desired_count`
 *   and the target ignores `min_capacity`/`max_capacity`, or an evening deploy would start every
 *   service again (Terraform would "correct" the scheduled zero back to the configured count).
 * - Database host: EventBridge Scheduler schedules call EC2 StartInstances / StopInstances on exactly
 *   that instance (universal targets), with a role that may do only that.
 * - Alarms: the alarms that fire only because nothing runs (no healthy targets, the ALB's 503s, the
 *   host probe's silence) have their actions disabled at `stop` and enabled again after `start`,
 *   by the same scheduler role (CloudWatch DisableAlarmActions / EnableAlarmActions). Terraform
 *   ignores their `actions_enabled` for the same reason as the counts.
 *
 * The schedulers apply the time zone's daylight-saving changes themselves (cron in local time).
 */
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { AppautoscalingScheduledAction } from "@cdktf/provider-aws/lib/appautoscaling-scheduled-action";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import { SchedulerScheduleGroup } from "@cdktf/provider-aws/lib/scheduler-schedule-group";
import { Construct } from "constructs";
import { Fn, type TerraformResource } from "../cdktf";
import { resourceName, workloadBoundaryArn } from "../config/naming";
import type { EnvironmentDefinition, OffHoursScheduleDefinition, ServiceName, ServiceSizing } from "../config/types";
import { DATABASE_HOST_LEAD_MINUTES, minutesOfDay } from "../config/validate-schedule";

/** What the schedule needs of one ECS service (a `FargateService` satisfies it). */
export interface ScheduledService {
  /** The ECS service resource: the schedule takes `desired_count` over from Terraform. */
  readonly service: TerraformResource & { readonly name: string };
  /** Its target-tracking autoscaling, when it has any: the schedule acts on that scalable target. */
  readonly autoscaling?: { readonly target: AppautoscalingTarget };
}

/** The database host the schedule starts and stops. */
export interface ScheduledDatabaseHost {
  readonly instanceId: string;
  readonly instanceArn: string;
  /** The key of its encrypted volumes: StartInstances needs a grant on it. */
  readonly volumeKmsKeyArn: string;
}

export interface OffHoursScheduleProps {
  readonly environment: EnvironmentDefinition;
  /** The ECS cluster's name (a reference). */
  readonly clusterName: string;
  /** Every service of the environment, by catalog name. */
  readonly services: ReadonlyMap<ServiceName, ScheduledService>;
  /** @default - no host (production's data plane is external) */
  readonly databaseHost?: ScheduledDatabaseHost;
  /** Alarms that fire only because nothing runs: their actions are off outside the schedule. */
  readonly quietAlarms: readonly CloudwatchMetricAlarm[];
  /** Encrypts the schedules' payloads (instance ID, alarm names). */
  readonly kmsKeyArn: string;
}

/** "07:00" -> "cron(0 7 ? * MON-FRI *)" (the format both EventBridge Scheduler and Application Auto Scaling take). */
export function cronAt(minuteOfDay: number, weekdays: string): string {
  return `cron(${minuteOfDay % 60} ${Math.floor(minuteOfDay / 60)} ? * ${weekdays} *)`;
}

/** The four moments of a schedule, each a cron expression in the schedule's time zone. */
export function scheduleMoments(definition: OffHoursScheduleDefinition): {
  hostStart: string;
  servicesStart: string;
  servicesStop: string;
  hostStop: string;
} {
  const start = minutesOfDay(definition.start)!;
  const stop = minutesOfDay(definition.stop)!;
  return {
    hostStart: cronAt(start - DATABASE_HOST_LEAD_MINUTES, definition.weekdays),
    servicesStart: cronAt(start, definition.weekdays),
    servicesStop: cronAt(stop, definition.weekdays),
    hostStop: cronAt(stop + DATABASE_HOST_LEAD_MINUTES, definition.weekdays),
  };
}

/** The counts a service runs with inside the schedule: its autoscaling range, or its fixed count. */
export function scheduledCapacity(sizing: ServiceSizing): { min: number; max: number } {
  return sizing.autoscaling
    ? { min: sizing.autoscaling.minCount, max: sizing.autoscaling.maxCount }
    : { min: sizing.desiredCount, max: sizing.desiredCount };
}

/** Adds attributes to a resource's `lifecycle.ignore_changes`, keeping what it already ignores. */
function ignoreChanges(resource: TerraformResource, attributes: readonly string[]): void {
  const current = resource.lifecycle?.ignoreChanges;
  if (current === "all") return;
  resource.lifecycle = { ...resource.lifecycle, ignoreChanges: [...new Set([...(current ?? []), ...attributes])] };
}

export class OffHoursSchedule extends Construct {
  readonly group: SchedulerScheduleGroup;
  readonly role: IamRole;
  /** The scalable target each service's scheduled actions act on. */
  readonly targets: ReadonlyMap<ServiceName, AppautoscalingTarget>;

  constructor(scope: Construct, id: string, props: OffHoursScheduleProps) {
    super(scope, id);
    const env = props.environment;
    const definition = env.schedule;
    if (!definition.enabled) {
      throw new Error(`OffHoursSchedule: ${env.name}.schedule.enabled is false; build the schedule only for an environment that has one`);
    }
    const name = (component: string) => resourceName(env.name, component);
    const moments = scheduleMoments(definition);
    const timezone = definition.timezone;

    // --- services: scheduled scaling -----------------------------------------------------------------
    const targets = new Map<ServiceName, AppautoscalingTarget>();
    for (const [service, scheduled] of props.services) {
      const sizing = env.services[service];
      const capacity = scheduledCapacity(sizing);
      const target =
        scheduled.autoscaling?.target ??
        new AppautoscalingTarget(this, `${service}-target`, {
          serviceNamespace: "ecs",
          scalableDimension: "ecs:service:DesiredCount",
          resourceId: `service/${props.clusterName}/${scheduled.service.name}`,
          minCapacity: capacity.min,
          maxCapacity: capacity.max,
        });
      // Application Auto Scaling owns the count from now on (see the file's comment).
      ignoreChanges(scheduled.service, ["desired_count"]);
      ignoreChanges(target, ["min_capacity", "max_capacity"]);
      targets.set(service, target);
      const action = (moment: "start" | "stop", schedule: string, min: number, max: number) =>
        new AppautoscalingScheduledAction(this, `${service}-${moment}`, {
          name: name(`${service}-off-hours-${moment}`),
          serviceNamespace: target.serviceNamespace,
          scalableDimension: target.scalableDimension,
          resourceId: target.resourceId,
          schedule,
          timezone,
          scalableTargetAction: { minCapacity: String(min), maxCapacity: String(max) },
        });
      action("stop", moments.servicesStop, 0, 0);
      action("start", moments.servicesStart, capacity.min, capacity.max);
    }
    this.targets = targets;

    // --- the scheduler's role: start/stop exactly the host, silence exactly these alarms -----------
    this.group = new SchedulerScheduleGroup(this, "group", { name: name("off-hours") });
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["scheduler.amazonaws.com"] }],
          // Confused deputy: only this account's schedules act with the role.
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [env.accountId] }],
        },
      ],
    });
    this.role = new IamRole(this, "role", {
      name: name("off-hours-scheduler"),
      description: `EventBridge Scheduler starts and stops the ${env.name} database host and quiets its off-hours alarms (COST-2)`,
      assumeRolePolicy: trust.json,
      // IAM-2: capped by the account's workload boundary (bootstrap stack).
      permissionsBoundary: workloadBoundaryArn(env.accountId, env.name),
    });
    const quiet = props.quietAlarms;
    const statements: DataAwsIamPolicyDocumentStatement[] = [
      {
        // The schedules' payloads are encrypted with the environment key; Scheduler decrypts them with this role.
        sid: "ReadTheSchedulePayloads",
        effect: "Allow",
        actions: ["kms:Decrypt"],
        resources: [props.kmsKeyArn],
      },
    ];
    if (props.databaseHost) {
      const host = props.databaseHost;
      const region = env.region;
      statements.push(
        {
          sid: "StartAndStopTheDatabaseHost",
          effect: "Allow",
          actions: ["ec2:StartInstances", "ec2:StopInstances"],
          resources: [host.instanceArn],
        },
        {
          // StartInstances of an instance whose EBS volumes use a customer-managed key: EC2 creates a
          // grant on the key for the volumes, with the caller's permission (EC2 API reference, StartInstances).
          sid: "GrantForTheEncryptedVolumes",
          effect: "Allow",
          actions: ["kms:CreateGrant"],
          resources: [host.volumeKmsKeyArn],
          condition: [
            { test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] },
            { test: "StringEquals", variable: "kms:ViaService", values: [`ec2.${region}.amazonaws.com`] },
          ],
        },
      );
    }
    if (quiet.length > 0) {
      statements.push({
        sid: "QuietTheOffHoursAlarms",
        effect: "Allow",
        actions: ["cloudwatch:DisableAlarmActions", "cloudwatch:EnableAlarmActions"],
        resources: quiet.map((a) => a.arn),
      });
    }
    const policy = new DataAwsIamPolicyDocument(this, "policy-document", { statement: statements });
    const rolePolicy = new IamRolePolicy(this, "policy", { name: name("off-hours-scheduler"), role: this.role.id, policy: policy.json });

    const schedule = (component: string, description: string, expression: string, targetArn: string, input: Record<string, unknown>) =>
      new SchedulerSchedule(this, component, {
        name: name(component),
        groupName: this.group.name,
        description,
        scheduleExpression: expression,
        scheduleExpressionTimezone: timezone,
        flexibleTimeWindow: { mode: "OFF" },
        kmsKeyArn: props.kmsKeyArn,
        state: "ENABLED",
        target: {
          arn: targetArn,
          roleArn: this.role.arn,
          input: Fn.jsonencode(input),
          // A start or stop that AWS throttles is retried for up to an hour, then dropped.
          retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 10 },
        },
        // The role must be able to act when the first schedule fires.
        dependsOn: [rolePolicy],
      });
    if (props.databaseHost) {
      const ids = { InstanceIds: [props.databaseHost.instanceId] };
      schedule(
        "db-host-start",
        `Starts the ${env.name} database host ${DATABASE_HOST_LEAD_MINUTES} minutes before the services (COST-2)`,
        moments.hostStart,
        "arn:aws:scheduler:::aws-sdk:ec2:startInstances",
        ids,
      );
      schedule(
        "db-host-stop",
        `Stops the ${env.name} database host ${DATABASE_HOST_LEAD_MINUTES} minutes after the services (COST-2)`,
        moments.hostStop,
        "arn:aws:scheduler:::aws-sdk:ec2:stopInstances",
        ids,
      );
    }
    if (quiet.length > 0) {
      for (const alarm of quiet) ignoreChanges(alarm, ["actions_enabled"]);
      const names = { AlarmNames: quiet.map((a) => a.alarmName) };
      const awake = minutesOfDay(definition.start)! + DATABASE_HOST_LEAD_MINUTES;
      schedule(
        "alarms-quiet",
        `Disables the actions of the ${env.name} alarms that fire only because nothing runs (COST-2)`,
        moments.servicesStop,
        "arn:aws:scheduler:::aws-sdk:cloudwatch:disableAlarmActions",
        names,
      );
      schedule(
        "alarms-awake",
        `Enables them again ${DATABASE_HOST_LEAD_MINUTES} minutes after the services start (COST-2)`,
        cronAt(awake, definition.weekdays),
        "arn:aws:scheduler:::aws-sdk:cloudwatch:enableAlarmActions",
        names,
      );
    }
  }
}
