/**
 * Instances have detailed (1-minute) monitoring, which the status-check recovery alarm (DB-8)
 * reacts to faster.
 * Sources: Checkov CKV_AWS_126 (EC2DetailedMonitoringEnabled: monitoring = true).
 */
import { isTrue, type Rule } from "../engine";
import { STAGING_STACK } from "../stacks";

export const rule: Rule = {
  id: "ec2-detailed-monitoring",
  mirrors: ["CKV_AWS_126", "DB-8"],
  description: "aws_instance.monitoring = true.",
  resourceTypes: ["aws_instance"],
  expectedIn: [STAGING_STACK],
  check(instance) {
    return isTrue(instance.config["monitoring"]) ? [] : ["monitoring is not true"];
  },
};
