/**
 * What CloudWatch does with an alarm's configuration, as far as this project's alarms use it
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html,
 * "Evaluating an alarm" and "Configuring how CloudWatch alarms treat missing data"):
 * the last `evaluation_periods` periods are looked at; each datapoint (the period's statistic)
 * breaches or not by `comparison_operator` and `threshold`; a missing datapoint counts as
 * breaching (`breaching`), not breaching (`notBreaching`) or is skipped (`missing`/`ignore`);
 * the alarm is in ALARM when at least `datapoints_to_alarm` (default: `evaluation_periods`) of
 * them breach. Tests feed it the synthesized alarm and a series of datapoints, so they check what
 * the alarm will do rather than restate its attributes.
 */
export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";

/** One period's statistic, or `undefined` when the metric sent no data in that period. */
export type Datapoint = number | undefined;

export interface SynthesizedAlarm {
  readonly comparison_operator: string;
  readonly threshold: number;
  readonly evaluation_periods: number;
  readonly datapoints_to_alarm?: number;
  readonly treat_missing_data?: string;
}

function breaches(operator: string, value: number, threshold: number): boolean {
  switch (operator) {
    case "GreaterThanOrEqualToThreshold":
      return value >= threshold;
    case "GreaterThanThreshold":
      return value > threshold;
    case "LessThanThreshold":
      return value < threshold;
    case "LessThanOrEqualToThreshold":
      return value <= threshold;
    default:
      throw new Error(`comparison operator ${operator} is not modelled`);
  }
}

/** The alarm's state after the given datapoints (oldest first; only the last `evaluation_periods` count). */
export function alarmState(alarm: SynthesizedAlarm, datapoints: readonly Datapoint[]): AlarmState {
  const window = datapoints.slice(-alarm.evaluation_periods);
  if (window.length < alarm.evaluation_periods) throw new Error(`give at least ${alarm.evaluation_periods} datapoints`);
  const missing = alarm.treat_missing_data ?? "missing";
  const verdicts = window.flatMap((d): boolean[] => {
    if (d !== undefined) return [breaches(alarm.comparison_operator, d, alarm.threshold)];
    if (missing === "breaching") return [true];
    if (missing === "notBreaching") return [false];
    return [];
  });
  if (verdicts.length === 0) return "INSUFFICIENT_DATA";
  const needed = alarm.datapoints_to_alarm ?? alarm.evaluation_periods;
  return verdicts.filter(Boolean).length >= needed ? "ALARM" : "OK";
}
