/**
 * Target-tracking autoscaling of one ECS service on its average CPU (ECS-7). Built only for the
 * services whose environment sizing asks for it; the service then ignores `desired_count` changes so
 * that Terraform does not fight Application Auto Scaling.
 */
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { Construct } from "constructs";
import { resourceName } from "../config/naming";
import type { AutoscalingDefinition, EnvironmentName, ServiceName } from "../config/types";

export interface ServiceAutoscalingProps {
  readonly environment: EnvironmentName;
  readonly service: ServiceName;
  /** The cluster's name (a reference, so the target waits for the cluster). */
  readonly clusterName: string;
  /** The ECS service's name (a reference, so the target waits for the service). */
  readonly serviceName: string;
  readonly scaling: AutoscalingDefinition;
}

/** Seconds after a scale-in before another: slow to give capacity back. */
const SCALE_IN_COOLDOWN_SECONDS = 300;
/** Seconds after a scale-out before another: quick to add capacity. */
const SCALE_OUT_COOLDOWN_SECONDS = 60;

export class ServiceAutoscaling extends Construct {
  readonly target: AppautoscalingTarget;
  readonly policy: AppautoscalingPolicy;

  constructor(scope: Construct, id: string, props: ServiceAutoscalingProps) {
    super(scope, id);
    this.target = new AppautoscalingTarget(this, "target", {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/${props.clusterName}/${props.serviceName}`,
      minCapacity: props.scaling.minCount,
      maxCapacity: props.scaling.maxCount,
    });
    this.policy = new AppautoscalingPolicy(this, "cpu", {
      name: resourceName(props.environment, `${props.service}-cpu-target`),
      policyType: "TargetTrackingScaling",
      serviceNamespace: this.target.serviceNamespace,
      scalableDimension: this.target.scalableDimension,
      resourceId: this.target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
        targetValue: props.scaling.cpuTargetPercent,
        scaleInCooldown: SCALE_IN_COOLDOWN_SECONDS,
        scaleOutCooldown: SCALE_OUT_COOLDOWN_SECONDS,
      },
    });
  }
}
