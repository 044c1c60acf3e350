/**
 * EFS volumes are mounted with TLS and IAM authorization (EFS-2).
 * Sources: Checkov CKV_AWS_97 (ECSTaskDefinitionEFSVolumeEncryption, read: every
 * volume.efs_volume_configuration must set transit_encryption = ENABLED); Trivy AVD-AWS-0035
 * (aws-ecs-enable-in-transit-encryption; its good example also sets authorization_config.iam).
 */
import { block, blocks, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "ecs-task-efs-transit-encryption",
  mirrors: ["CKV_AWS_97", "AVD-AWS-0035", "EFS-2"],
  description: "Every EFS volume of a task definition has transit_encryption ENABLED and IAM authorization.",
  resourceTypes: ["aws_ecs_task_definition"],
  expectedIn: ENVIRONMENT_STACKS,
  check(td) {
    const out: string[] = [];
    for (const volume of blocks(td.config["volume"])) {
      const efs = block(volume["efs_volume_configuration"]);
      if (!efs) continue;
      const name = String(volume["name"]);
      if (efs["transit_encryption"] !== "ENABLED") out.push(`volume ${name}: transit_encryption is not ENABLED`);
      if (block(efs["authorization_config"])?.["iam"] !== "ENABLED") out.push(`volume ${name}: authorization_config.iam is not ENABLED`);
    }
    return out;
  },
};
