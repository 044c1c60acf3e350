/**
 * EBS volumes are encrypted (DB-2: the database volume).
 * Sources: Security Hub EC2.3 ("Attached Amazon EBS volumes should be encrypted at-rest"); Checkov
 * CKV_AWS_3 (EBSEncryption: encrypted = true); Trivy AVD-AWS-0026 (aws-ec2-enable-volume-encryption).
 */
import { isTrue, type Rule } from "../engine";
import { STAGING_STACK } from "../stacks";

export const rule: Rule = {
  id: "ebs-volume-encrypted",
  mirrors: ["EC2.3", "CKV_AWS_3", "AVD-AWS-0026", "DB-2"],
  description: "aws_ebs_volume.encrypted = true.",
  resourceTypes: ["aws_ebs_volume"],
  expectedIn: [STAGING_STACK],
  check(volume) {
    return isTrue(volume.config["encrypted"]) ? [] : ["encrypted is not true"];
  },
};
