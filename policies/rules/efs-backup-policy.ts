/**
 * EFS file systems are backed up (EFS-1: backups on).
 * Sources: Security Hub EFS.2 ("Amazon EFS volumes should be in backup plans"); Checkov
 * CKV2_AWS_18 (EFS in an AWS Backup plan). Satisfied by an aws_efs_backup_policy with status
 * ENABLED (EFS automatic backups, which is an AWS Backup plan) or an aws_backup_selection naming it.
 */
import { block, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "efs-backup-policy",
  mirrors: ["EFS.2", "CKV2_AWS_18", "EFS-1"],
  description: "The file system has an enabled aws_efs_backup_policy or an aws_backup_selection.",
  resourceTypes: ["aws_efs_file_system"],
  expectedIn: ENVIRONMENT_STACKS,
  check(fs, ctx) {
    const policies = ctx.companions(fs, "aws_efs_backup_policy", "file_system_id");
    if (policies.some((p) => block(p.config["backup_policy"])?.["status"] === "ENABLED")) return [];
    const selections = ctx.companions(fs, "aws_backup_selection", "resources");
    return selections.length > 0 ? [] : ["no enabled backup policy or backup selection"];
  },
};
