/**
 * An EC2 status-check alarm with an EC2 action (DB-8, NET-3): two failed 1-minute checks in a row
 * make EC2 act on the instance itself: `recover` (system check: onto healthy hardware, same
 * instance ID, interfaces and volumes) or `reboot` (instance check). Status checks are 1-minute
 * metrics with or without detailed monitoring. Missing data (a stopped instance) is not a failure.
 */
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { Construct } from "constructs";

export interface InstanceStatusAlarmProps {
  readonly alarmName: string;
  readonly description: string;
  readonly instanceId: string;
  readonly region: string;
  /** `System` pairs with `recover`, `Instance` with `reboot`. */
  readonly check: "System" | "Instance";
  readonly action: "recover" | "reboot";
  /** Topics notified when it fires and clears. @default - none */
  readonly notify?: readonly string[];
}

export function instanceStatusAlarm(scope: Construct, id: string, props: InstanceStatusAlarmProps): CloudwatchMetricAlarm {
  const notify = [...(props.notify ?? [])];
  return new CloudwatchMetricAlarm(scope, id, {
    alarmName: props.alarmName,
    alarmDescription: props.description,
    namespace: "AWS/EC2",
    metricName: `StatusCheckFailed_${props.check}`,
    dimensions: { InstanceId: props.instanceId },
    statistic: "Maximum",
    period: 60,
    evaluationPeriods: 2,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    threshold: 1,
    treatMissingData: "missing",
    alarmActions: [`arn:aws:automate:${props.region}:ec2:${props.action}`, ...notify],
    ...(notify.length > 0 ? { okActions: notify } : {}),
  });
}
