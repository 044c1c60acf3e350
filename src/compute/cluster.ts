/**
 * The environment's ECS cluster (ECS-1, ECS-9): Container Insights on, Fargate capacity providers
 * with FARGATE as the default strategy, and, when the environment enables ECS Exec, session logging
 * to a dedicated KMS-encrypted log group (`logging = OVERRIDE`) with the session data channel
 * encrypted by the environment key.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcsCluster as EcsClusterResource } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { Construct } from "constructs";
import { clusterName } from "../config/naming";
import type { EnvironmentDefinition } from "../config/types";

/** Where ECS Exec sessions of a cluster are logged and how their data channel is encrypted. */
export interface ExecSessionLogging {
  /** The dedicated log group that receives every ECS Exec session's input and output. */
  readonly logGroupName: string;
  readonly logGroupArn: string;
  /** The KMS key that encrypts the session data channel (task roles need `kms:Decrypt` on it). */
  readonly kmsKeyArn: string;
}

/** What a service needs of its cluster; `EcsCluster` implements it. */
export interface ClusterReference {
  /** The cluster's name (for `service/<cluster>/<service>` autoscaling IDs and alarm dimensions). */
  readonly clusterName: string;
  /** The cluster's ARN (the ECS service's `cluster`). */
  readonly clusterArn: string;
  /** ECS Exec session logging; present exactly when the environment enables ECS Exec (ECS-9). */
  readonly execLogging?: ExecSessionLogging;
}

export interface EcsClusterProps {
  readonly environment: EnvironmentDefinition;
  /** The environment key: encrypts the ECS Exec log group and the Exec session data channel. */
  readonly kmsKeyArn: string;
}

/** ECS-1: one cluster per environment. */
export class EcsCluster extends Construct implements ClusterReference {
  readonly cluster: EcsClusterResource;
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly execLogging?: ExecSessionLogging;
  /** The dedicated ECS Exec log group; absent when the environment disables ECS Exec. */
  readonly execLogGroup?: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: EcsClusterProps) {
    super(scope, id);
    const env = props.environment;
    const name = clusterName(env.name);

    if (env.ecsExec) {
      this.execLogGroup = new CloudwatchLogGroup(this, "exec-log-group", {
        name: execLogGroupName(env),
        retentionInDays: env.logRetentionDays,
        kmsKeyId: props.kmsKeyArn,
      });
      this.execLogging = {
        logGroupName: this.execLogGroup.name,
        logGroupArn: this.execLogGroup.arn,
        kmsKeyArn: props.kmsKeyArn,
      };
    }

    this.cluster = new EcsClusterResource(this, "cluster", {
      name,
      setting: [{ name: "containerInsights", value: env.cluster.containerInsights }],
      ...(this.execLogging
        ? {
            configuration: {
              executeCommandConfiguration: {
                kmsKeyId: this.execLogging.kmsKeyArn,
                logging: "OVERRIDE",
                logConfiguration: {
                  cloudWatchEncryptionEnabled: true,
                  cloudWatchLogGroupName: this.execLogging.logGroupName,
                },
              },
            },
          }
        : {}),
    });

    new EcsClusterCapacityProviders(this, "capacity-providers", {
      clusterName: this.cluster.name,
      capacityProviders: ["FARGATE", "FARGATE_SPOT"],
      defaultCapacityProviderStrategy: [{ capacityProvider: fargateCapacityProvider(env), weight: 1, base: 0 }],
    });

    this.clusterName = this.cluster.name;
    this.clusterArn = this.cluster.arn;
  }
}

/** The capacity provider every service of the environment runs on (COST-1: Spot in staging). */
export function fargateCapacityProvider(env: EnvironmentDefinition): "FARGATE" | "FARGATE_SPOT" {
  return env.cluster.fargateCapacity === "spot" ? "FARGATE_SPOT" : "FARGATE";
}

/**
 * `/ecs/tracker-<env>-cluster/exec`: ECS Exec session logs, beside (not among) the services'
 * `/ecs/tracker-<env>/<service>` groups so no service's log group name can collide with it.
 */
export function execLogGroupName(env: EnvironmentDefinition): string {
  return `/ecs/${clusterName(env.name)}/exec`;
}
