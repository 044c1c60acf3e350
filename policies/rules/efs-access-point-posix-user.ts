/**
 * EFS access points force a fixed POSIX identity (EFS-1: fixed POSIX user).
 * Sources: Security Hub EFS.4 ("EFS access points should enforce a user identity": posix_user
 * with uid and gid).
 */
import { block, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "efs-access-point-posix-user",
  mirrors: ["EFS.4", "EFS-1"],
  description: "aws_efs_access_point.posix_user sets uid and gid.",
  resourceTypes: ["aws_efs_access_point"],
  expectedIn: ENVIRONMENT_STACKS,
  check(ap) {
    const user = block(ap.config["posix_user"]);
    return user && user["uid"] !== undefined && user["gid"] !== undefined ? [] : ["no posix_user with uid and gid"];
  },
};
