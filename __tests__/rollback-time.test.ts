/**
 * DLV-2: the rollback-time arithmetic (src/compute/rollback-time.ts) on small hand-made stacks: which
 * alarm is the slowest, which target group drains longest, AWS's 300 s default deregistration delay,
 * and the errors that name what the stack lacks. The synthesized stacks' figures are checked in
 * canary-deployment.test.ts.
 */
import { describe, expect, it } from "vitest";
import { alarmTime, formatRollbackTimes, rollbackTimes, type SynthesizedJson } from "../src/compute/rollback-time";

const alarm = (name: string, period: number, evaluationPeriods: number) => ({ alarm_name: name, period, evaluation_periods: evaluationPeriods });

function stack(overrides: { service?: Record<string, unknown>; groups?: Record<string, Record<string, unknown>>; alarms?: Record<string, unknown>[] } = {}): SynthesizedJson {
  return {
    resource: {
      aws_cloudwatch_metric_alarm: Object.fromEntries(
        (overrides.alarms ?? [alarm("tracker-x-web-5xx", 60, 2), alarm("tracker-x-web-task-failures", 300, 1)]).map((a, i) => [`a${i}`, a]),
      ),
      aws_lb_target_group: overrides.groups ?? { blue: { deregistration_delay: "30" }, green: { deregistration_delay: 45 } },
      aws_ecs_service: {
        web: {
          name: "tracker-x-web",
          load_balancer: [{ target_group_arn: "${aws_lb_target_group.blue.arn}", advanced_configuration: { alternate_target_group_arn: "${aws_lb_target_group.green.arn}" } }],
          alarms: { rollback: true, enable: true, alarm_names: ["tracker-x-web-5xx", "tracker-x-web-task-failures"] },
          ...overrides.service,
        },
        worker: { name: "tracker-x-worker" },
      },
    },
  };
}

describe("DLV-2: rollback time of a hand-made stack", () => {
  it("the slowest alarm, the ECS shift, the longer draining of the two target groups; services without a load balancer are left out", () => {
    expect(rollbackTimes(stack())).toEqual([
      {
        serviceName: "tracker-x-web",
        alarms: [
          { alarmName: "tracker-x-web-task-failures", periodSeconds: 300, evaluationPeriods: 1, detectionSeconds: 300 },
          { alarmName: "tracker-x-web-5xx", periodSeconds: 60, evaluationPeriods: 2, detectionSeconds: 120 },
        ],
        detectionSeconds: 300,
        ecsRollbackSeconds: 60,
        deregistrationDelaySeconds: 45,
        totalSeconds: 405,
      },
    ]);
    expect(rollbackTimes(stack(), 10)[0]!.totalSeconds).toBe(355);
  });

  it("a service behind one target group (no canary's alternate) drains for that group's delay only", () => {
    const single = stack({ service: { load_balancer: [{ target_group_arn: "${aws_lb_target_group.blue.arn}" }] } });
    expect(rollbackTimes(single)[0]!.deregistrationDelaySeconds).toBe(30);
  });

  it("a target group without deregistration_delay drains for AWS's default 300 s", () => {
    expect(rollbackTimes(stack({ groups: { blue: {}, green: { deregistration_delay: 45 } } }))[0]!.deregistrationDelaySeconds).toBe(300);
  });

  it("one line per service with the arithmetic, services in name order", () => {
    const two = stack();
    two.resource!["aws_ecs_service"]!["api"] = { ...two.resource!["aws_ecs_service"]!["web"], name: "tracker-x-api" };
    expect(formatRollbackTimes(rollbackTimes(two))).toEqual([
      "tracker-x-api: 300 s (tracker-x-web-task-failures: 300 s x 1) + 60 s (ECS shifts the traffic back) + 45 s (deregistration delay) = 405 s",
      "tracker-x-web: 300 s (tracker-x-web-task-failures: 300 s x 1) + 60 s (ECS shifts the traffic back) + 45 s (deregistration delay) = 405 s",
    ]);
  });

  it("a service that nothing rolls back, an alarm the stack lacks, a target group it lacks: errors that name them", () => {
    expect(() => rollbackTimes(stack({ service: { alarms: { rollback: false, alarm_names: ["tracker-x-web-5xx"] } } }))).toThrow(
      "rollback time: tracker-x-web has no rollback alarms (alarms.rollback), so nothing rolls it back",
    );
    expect(() => rollbackTimes(stack({ service: { alarms: { rollback: true, alarm_names: [] } } }))).toThrow("tracker-x-web has no rollback alarms");
    expect(() => rollbackTimes(stack({ service: { alarms: undefined } }))).toThrow("tracker-x-web has no rollback alarms");
    expect(() => rollbackTimes(stack({ alarms: [alarm("tracker-x-web-5xx", 60, 2)] }))).toThrow(
      "rollback time: tracker-x-web names the alarm tracker-x-web-task-failures, which this stack does not define",
    );
    expect(() => rollbackTimes(stack({ groups: { blue: {} } }))).toThrow(
      'rollback time: "${aws_lb_target_group.green.arn}" is not a reference to a aws_lb_target_group of this stack',
    );
    expect(() =>
      rollbackTimes(stack({ service: { load_balancer: [{ target_group_arn: "arn:aws:elasticloadbalancing:eu-central-1:1:targetgroup/x/1" }] } })),
    ).toThrow('rollback time: "arn:aws:elasticloadbalancing:eu-central-1:1:targetgroup/x/1" is not a reference to a aws_lb_target_group of this stack');
    // A stack without any target group at all says the same, rather than failing on a missing key.
    const withoutGroups = stack();
    delete (withoutGroups.resource as Record<string, unknown>)["aws_lb_target_group"];
    expect(() => rollbackTimes(withoutGroups)).toThrow(
      'rollback time: "${aws_lb_target_group.blue.arn}" is not a reference to a aws_lb_target_group of this stack',
    );
  });

  it("an alarm's period: its own, or its metric queries' longest; without a period or evaluation periods it is an error", () => {
    expect(alarmTime({ alarm_name: "m", evaluation_periods: 3, metric_query: [{ id: "a", metric: { period: 60 } }, { id: "b", period: 300 }, { id: "e", expression: "a+b" }] })).toEqual({
      alarmName: "m",
      periodSeconds: 300,
      evaluationPeriods: 3,
      detectionSeconds: 900,
    });
    expect(() => alarmTime({ alarm_name: "m", evaluation_periods: 1, metric_query: [{ id: "e", expression: "1" }] })).toThrow("rollback time: alarm m has no period");
    expect(() => alarmTime({ alarm_name: "m", period: 60 })).toThrow("rollback time: alarm m has no evaluation_periods");
    expect(() => alarmTime({ alarm_name: "m", period: 60, evaluation_periods: "2" })).toThrow("rollback time: alarm m has no evaluation_periods");
  });
});
