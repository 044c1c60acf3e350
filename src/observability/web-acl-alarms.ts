/**
 * EDGE-7, OBS-2: the web ACL's alarm, from WAF's own metrics (AWS/WAFV2, reported every minute):
 * `tracker-<env>-waf-blocked-requests` fires when the ACL blocks `threshold` or more requests in
 * 5 minutes, all rules together (`Rule = ALL`). A spike is either an attack or scan the WAF is
 * stopping, or legitimate traffic a rule wrongly blocks (a false positive, e.g. after AWS updates a
 * managed rule group); the person on call tells them apart from the WAF log group.
 *
 * Not a deployment rollback alarm: blocked requests never reach the services, so they say nothing
 * about a new revision.
 */
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import type { EnvironmentName } from "../config/types";
import { wafBlockedRequestsAlarmName } from "./names";
import { notifyingAlarm } from "./notifying-alarm";

export interface WebAclAlarmsProps {
  readonly environment: EnvironmentName;
  /** The region of the regional web ACL (the `Region` dimension). */
  readonly region: string;
  /** The alarm topic (alarm and OK actions). */
  readonly topicArn: string;
  /** The web ACL's metric name (`WebAcl.metricName`), the `WebACL` dimension. */
  readonly webAclMetricName: string;
  /** The WAF log group, named in the alarm's instructions. */
  readonly logGroupName: string;
  /** Blocked requests in 5 minutes that raise the alarm (`loadBalancer.waf.blockedRequestsAlarmThreshold`). */
  readonly threshold: number;
}

export class WebAclAlarms extends Construct {
  readonly blockedRequests: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: WebAclAlarmsProps) {
    super(scope, id);
    const env = props.environment;
    this.blockedRequests = notifyingAlarm(this, "blocked-requests", {
      topicArn: props.topicArn,
      alarmName: wafBlockedRequestsAlarmName(env),
      alarmDescription:
        `The ${env} web ACL (${props.webAclMetricName}) blocked ${props.threshold} or more requests in 5 minutes. ` +
        `To do: in CloudWatch Logs Insights on ${props.logGroupName}, count blocked requests by ` +
        `terminatingRuleId, httpRequest.clientIp and httpRequest.uri. Many addresses or one scanner ` +
        `hitting odd paths: an attack the WAF is stopping, watch it. Real clients on normal API paths: ` +
        `a false positive; switch that rule to count (README, "WAF").`,
      namespace: "AWS/WAFV2",
      metricName: "BlockedRequests",
      dimensions: { WebACL: props.webAclMetricName, Region: props.region, Rule: "ALL" },
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: props.threshold,
      // WAF publishes no datapoint while nothing is blocked.
      treatMissingData: "notBreaching",
    });
  }
}
