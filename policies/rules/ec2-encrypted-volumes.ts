/**
 * Instance root and attached block devices are encrypted (DB-1).
 * Sources: Checkov CKV_AWS_8 (LaunchConfigurationEBSEncryption / instance root_block_device and
 * ebs_block_device encrypted); Trivy AVD-AWS-0131 (aws-ec2-enable-at-rest-encryption).
 */
import { blocks, isTrue, type Rule } from "../engine";
import { STAGING_STACK } from "../stacks";

export const rule: Rule = {
  id: "ec2-encrypted-volumes",
  mirrors: ["CKV_AWS_8", "AVD-AWS-0131", "DB-1"],
  description: "aws_instance root_block_device and ebs_block_device set encrypted = true.",
  resourceTypes: ["aws_instance"],
  expectedIn: [STAGING_STACK],
  check(instance) {
    const out: string[] = [];
    const root = blocks(instance.config["root_block_device"]);
    if (root.length === 0 || !root.every((b) => isTrue(b["encrypted"]))) out.push("root_block_device is not encrypted");
    blocks(instance.config["ebs_block_device"]).forEach((b, i) => {
      if (!isTrue(b["encrypted"])) out.push(`ebs_block_device[${i}] is not encrypted`);
    });
    return out;
  },
};
