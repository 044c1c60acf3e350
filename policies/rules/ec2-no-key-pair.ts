/**
 * Instances have no SSH key pair: shell access is SSM Session Manager only (DB-1, SG-4).
 * Sources: REQUIREMENTS DB-1; AWS Foundational best practice behind Security Hub SSM.1 (instances
 * managed by Systems Manager) rather than SSH.
 */
import type { Rule } from "../engine";
import { STAGING_STACK } from "../stacks";

export const rule: Rule = {
  id: "ec2-no-key-pair",
  mirrors: ["DB-1", "SG-4"],
  description: "aws_instance.key_name is not set.",
  resourceTypes: ["aws_instance"],
  expectedIn: [STAGING_STACK],
  check(instance) {
    return instance.config["key_name"] ? [`key_name ${String(instance.config["key_name"])} is set`] : [];
  },
};
