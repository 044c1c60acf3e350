/**
 * Alarms notify someone (OBS-2: all alarms go to the environment's SNS topic) and are enabled.
 * Sources: Security Hub CloudWatch.15 ("CloudWatch alarms should have specified actions
 * configured": alarm actions present and ActionsEnabled); Checkov CKV_AWS_319
 * (CloudWatchAlarmsEnabled: actions_enabled not false).
 */
import { isFalse, stringList, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "cloudwatch-alarm-actions",
  mirrors: ["CloudWatch.15", "CKV_AWS_319", "OBS-2"],
  description: "aws_cloudwatch_metric_alarm has alarm_actions and actions_enabled is not false.",
  resourceTypes: ["aws_cloudwatch_metric_alarm", "aws_cloudwatch_composite_alarm"],
  expectedIn: ENVIRONMENT_STACKS,
  check(alarm) {
    const out: string[] = [];
    const actions = alarm.config["alarm_actions"];
    // A string (an expression such as "${var.topics}") is a list of one here.
    if (stringList(actions).length === 0) out.push("no alarm_actions");
    if (isFalse(alarm.config["actions_enabled"])) out.push("actions_enabled = false");
    return out;
  },
};
