/**
 * DLV-2: the worst-case time, per public service, from a bad revision taking production traffic to
 * that traffic being back on the good revision, computed from the synthesized stack (the
 * `cdk.tf.json` that Terraform applies), not from the constructs' intentions:
 *
 *   detection     the slowest rollback alarm attached to the ECS service (`alarms.alarm_names`):
 *                 its period x its evaluation periods. For a metric-math alarm the period is its
 *                 queries' longest period. This bounds the time from the first bad datapoint to ALARM
 *                 when every datapoint of the bad revision breaches (M of N alarms fire after M <= N
 *                 periods).
 *   ECS rollback  ECS sees the alarm and moves the production listener rule's weights back to the
 *                 target group of the old revision, which is still running during the canary and the
 *                 bake (DLV-1: that is what the bake is for). Assumed: `ECS_ROLLBACK_SECONDS` (ECS
 *                 documents no figure; it polls the alarms and then makes one ModifyRule call).
 *   draining      the bad revision's target group's deregistration delay: requests already in flight
 *                 on the bad tasks may last that long after the shift (read from the target groups the
 *                 service names, the longer of its two).
 *
 * Not counted: CloudWatch's own delay in publishing a minute's ALB metrics, and ECS starting tasks
 * (a bad revision takes no traffic before its tasks pass their health checks). The README states the
 * figure for each environment; `__tests__/canary-deployment.test.ts` holds production under 300 s and
 * `__tests__/rollback-time.test.ts` checks the arithmetic on hand-made stacks.
 */

/** DLV-2 assumption: from an alarm entering ALARM to ECS having shifted the traffic back. */
export const ECS_ROLLBACK_SECONDS = 60;

/** The limit DLV-2 sets for production: five minutes. */
export const PRODUCTION_ROLLBACK_LIMIT_SECONDS = 300;

/** AWS's default deregistration delay, used when a target group does not set one. */
const DEFAULT_DEREGISTRATION_DELAY_SECONDS = 300;

/** A synthesized stack, as far as this reads it. */
export interface SynthesizedJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>> | undefined>;
}

export interface AlarmTime {
  readonly alarmName: string;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  /** period x evaluation periods */
  readonly detectionSeconds: number;
}

export interface RollbackTime {
  /** The ECS service's name, `tracker-<env>-<service>`. */
  readonly serviceName: string;
  /** Every rollback alarm of the service, slowest first. */
  readonly alarms: readonly AlarmTime[];
  readonly detectionSeconds: number;
  readonly ecsRollbackSeconds: number;
  readonly deregistrationDelaySeconds: number;
  /** detection + ECS rollback + draining */
  readonly totalSeconds: number;
}

type Block = Record<string, any>;

function blocksOf(stack: SynthesizedJson, type: string): [string, Block][] {
  return Object.entries(stack.resource?.[type] ?? {}) as [string, Block][];
}

/** The block a `${type.name.attribute}` reference points at; throws when it is not one. */
function referenced(stack: SynthesizedJson, type: string, expression: unknown): Block {
  const match = new RegExp(`^\\$\\{${type}\\.([A-Za-z0-9_-]+)\\.[a-z_]+\\}$`).exec(String(expression));
  const block = match ? stack.resource?.[type]?.[match[1]!] : undefined;
  if (!block) throw new Error(`rollback time: "${String(expression)}" is not a reference to a ${type} of this stack`);
  return block as Block;
}

/** Period x evaluation periods of one alarm, as the synthesized JSON defines it. */
export function alarmTime(alarm: Block): AlarmTime {
  const name = String(alarm["alarm_name"]);
  const queries = (alarm["metric_query"] ?? []) as Block[];
  const periods = [
    alarm["period"],
    ...queries.map((q) => q["metric"]?.["period"] ?? q["period"]),
  ].filter((p): p is number => typeof p === "number");
  if (periods.length === 0) throw new Error(`rollback time: alarm ${name} has no period`);
  const evaluationPeriods = alarm["evaluation_periods"];
  if (typeof evaluationPeriods !== "number") throw new Error(`rollback time: alarm ${name} has no evaluation_periods`);
  const periodSeconds = Math.max(...periods);
  return { alarmName: name, periodSeconds, evaluationPeriods, detectionSeconds: periodSeconds * evaluationPeriods };
}

/** The rollback time of every ECS service behind the load balancer (the public services), by service name. */
export function rollbackTimes(stack: SynthesizedJson, ecsRollbackSeconds: number = ECS_ROLLBACK_SECONDS): RollbackTime[] {
  const alarmsByName = new Map(blocksOf(stack, "aws_cloudwatch_metric_alarm").map(([, a]) => [String(a["alarm_name"]), a] as const));
  const out: RollbackTime[] = [];
  for (const [, service] of blocksOf(stack, "aws_ecs_service")) {
    const balancers = (service["load_balancer"] ?? []) as Block[];
    if (balancers.length === 0) continue;
    const serviceName = String(service["name"]);
    const names = (service["alarms"]?.["alarm_names"] ?? []) as string[];
    if (service["alarms"]?.["rollback"] !== true || names.length === 0) {
      throw new Error(`rollback time: ${serviceName} has no rollback alarms (alarms.rollback), so nothing rolls it back`);
    }
    const alarms = names
      .map((name) => {
        const alarm = alarmsByName.get(name);
        if (!alarm) throw new Error(`rollback time: ${serviceName} names the alarm ${name}, which this stack does not define`);
        return alarmTime(alarm);
      })
      .sort((a, b) => b.detectionSeconds - a.detectionSeconds);
    const groups = balancers.flatMap((lb) => [lb["target_group_arn"], lb["advanced_configuration"]?.["alternate_target_group_arn"]]).filter(
      (arn) => arn !== undefined,
    );
    const delays = groups.map((arn) => {
      const delay = referenced(stack, "aws_lb_target_group", arn)["deregistration_delay"];
      return delay === undefined ? DEFAULT_DEREGISTRATION_DELAY_SECONDS : Number(delay);
    });
    const detectionSeconds = alarms[0]!.detectionSeconds;
    const deregistrationDelaySeconds = Math.max(...delays);
    out.push({
      serviceName,
      alarms,
      detectionSeconds,
      ecsRollbackSeconds,
      deregistrationDelaySeconds,
      totalSeconds: detectionSeconds + ecsRollbackSeconds + deregistrationDelaySeconds,
    });
  }
  return out.sort((a, b) => a.serviceName.localeCompare(b.serviceName));
}

/** One line per service: the arithmetic, for the README and the command line. */
export function formatRollbackTimes(times: readonly RollbackTime[]): string[] {
  return times.map(
    (t) =>
      `${t.serviceName}: ${t.detectionSeconds} s (${t.alarms[0]!.alarmName}: ${t.alarms[0]!.periodSeconds} s x ${t.alarms[0]!.evaluationPeriods}) ` +
      `+ ${t.ecsRollbackSeconds} s (ECS shifts the traffic back) + ${t.deregistrationDelaySeconds} s (deregistration delay) = ${t.totalSeconds} s`,
  );
}
