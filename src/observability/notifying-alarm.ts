/**
 * One CloudWatch metric alarm that notifies the environment's alarm topic both when it fires and
 * when it recovers (OBS-2). Every alarm of the system is made here, so none can be left without
 * an action.
 */
import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmConfig,
} from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { Construct } from "constructs";

export interface NotifyingAlarmProps
  extends Omit<CloudwatchMetricAlarmConfig, "alarmName" | "alarmDescription" | "alarmActions" | "okActions" | "actionsEnabled"> {
  /** `tracker-<env>-<component>-<what>` (see `names.ts`). */
  readonly alarmName: string;
  /** What the alarm means and what the person on call does about it. */
  readonly alarmDescription: string;
  /** The SNS topic that receives ALARM and OK notifications. */
  readonly topicArn: string;
}

export function notifyingAlarm(scope: Construct, id: string, props: NotifyingAlarmProps): CloudwatchMetricAlarm {
  const { topicArn, ...alarm } = props;
  if (alarm.alarmDescription.length > 1024) {
    throw new Error(`alarm ${alarm.alarmName}: the description is longer than CloudWatch's 1024 characters`);
  }
  return new CloudwatchMetricAlarm(scope, id, {
    ...alarm,
    actionsEnabled: true,
    alarmActions: [topicArn],
    okActions: [topicArn],
  });
}
