/**
 * ECS-4, OBS-1: one CloudWatch log group per service of the catalog, `/ecs/tracker-<env>/<service>`,
 * with the environment's retention, encrypted with the environment key. The task definitions
 * (awslogs driver) and the connectivity metric filters take their group from `logGroup(service)`.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Construct } from "constructs";
import { serviceLogGroupName } from "../config/naming";
import { SERVICE_CATALOG } from "../config/service-catalog";
import type { EnvironmentName, ServiceDefinition, ServiceName } from "../config/types";

/** A log group, by the references other resources need. */
export interface LogGroupReference {
  /** The group's name (a reference, so consumers are created after the group). */
  readonly name: string;
  /** The group's ARN, without the `:*` suffix. */
  readonly arn: string;
}

/** What consumers need of the services' log groups; `ServiceLogGroups` implements it. */
export interface ServiceLogGroupSource {
  logGroup(service: ServiceName): LogGroupReference;
}

export interface ServiceLogGroupsProps {
  readonly environment: EnvironmentName;
  /** Days the log events are kept (the environment's `logRetentionDays`). */
  readonly retentionDays: number;
  /** The environment key; its policy lets CloudWatch Logs use it for this account's log groups. */
  readonly kmsKeyArn: string;
  /** @default - the service catalog */
  readonly catalog?: readonly ServiceDefinition[];
}

export class ServiceLogGroups extends Construct implements ServiceLogGroupSource {
  /** The log group resources, by service. */
  readonly groups: ReadonlyMap<ServiceName, CloudwatchLogGroup>;

  constructor(scope: Construct, id: string, props: ServiceLogGroupsProps) {
    super(scope, id);
    const groups = new Map<ServiceName, CloudwatchLogGroup>();
    for (const service of props.catalog ?? SERVICE_CATALOG) {
      groups.set(
        service.name,
        new CloudwatchLogGroup(this, service.name, {
          name: serviceLogGroupName(props.environment, service.name),
          retentionInDays: props.retentionDays,
          kmsKeyId: props.kmsKeyArn,
        }),
      );
    }
    this.groups = groups;
  }

  /** The log group of one service; throws for a service that is not in the catalog. */
  logGroup(service: ServiceName): LogGroupReference {
    const group = this.groups.get(service);
    if (!group) throw new Error(`ServiceLogGroups: no log group for service "${service}" (not in the catalog)`);
    return { name: group.name, arn: group.arn };
  }
}
