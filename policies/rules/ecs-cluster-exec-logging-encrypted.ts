/**
 * ECS Exec sessions (ECS-9: on in staging) are logged, and encrypted with the environment's key.
 * Sources: Checkov CKV_AWS_223 (ECSClusterLoggingEnabled: configuration.execute_command_configuration
 * .logging must not be NONE) and CKV_AWS_224 (ECSClusterLoggingEncryptedWithCMK: a kms_key_id and
 * encrypted log destinations: cloud_watch_encryption_enabled or s3_bucket_encryption_enabled).
 * A cluster without an execute_command_configuration passes (ECS Exec then uses the DEFAULT
 * logging of the task's awslogs configuration).
 */
import { block, isTrue, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "ecs-cluster-exec-logging-encrypted",
  mirrors: ["CKV_AWS_223", "CKV_AWS_224", "ECS-9"],
  description: "aws_ecs_cluster execute_command_configuration logs (not NONE) with a KMS key and encrypted destinations.",
  resourceTypes: ["aws_ecs_cluster"],
  expectedIn: ENVIRONMENT_STACKS,
  check(cluster) {
    const exec = block(block(cluster.config["configuration"])?.["execute_command_configuration"]);
    if (!exec) return [];
    const out: string[] = [];
    if (exec["logging"] === "NONE") out.push("ECS Exec logging is NONE");
    if (!exec["kms_key_id"]) out.push("ECS Exec sessions have no kms_key_id");
    if (exec["logging"] === "OVERRIDE") {
      const log = block(exec["log_configuration"]);
      if (!isTrue(log?.["cloud_watch_encryption_enabled"]) && !isTrue(log?.["s3_bucket_encryption_enabled"])) {
        out.push("ECS Exec log destination is not encrypted");
      }
    }
    return out;
  },
};
