/**
 * Instances are EBS-optimized (dedicated bandwidth to the database volume).
 * Sources: Checkov CKV_AWS_135 (EC2EBSOptimized: ebs_optimized = true). Graviton t4g/m7g types are
 * EBS-optimized by default, but Checkov reads the attribute, so the construct states it.
 */
import { isTrue, type Rule } from "../engine";
import { STAGING_STACK } from "../stacks";

export const rule: Rule = {
  id: "ec2-ebs-optimized",
  mirrors: ["CKV_AWS_135"],
  description: "aws_instance.ebs_optimized = true.",
  resourceTypes: ["aws_instance"],
  expectedIn: [STAGING_STACK],
  check(instance) {
    return isTrue(instance.config["ebs_optimized"]) ? [] : ["ebs_optimized is not true"];
  },
};
