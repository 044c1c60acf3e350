/**
 * EFS access points confine clients to their own directory, not the file system root (EFS-1).
 * Sources: Security Hub EFS.3 ("EFS access points should enforce a root directory": fails when
 * root_directory.path is "/" or absent).
 */
import { block, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "efs-access-point-root-directory",
  mirrors: ["EFS.3", "EFS-1"],
  description: "aws_efs_access_point.root_directory.path is set and not /.",
  resourceTypes: ["aws_efs_access_point"],
  expectedIn: ENVIRONMENT_STACKS,
  check(ap) {
    const path = block(ap.config["root_directory"])?.["path"];
    return typeof path === "string" && path !== "/" && path !== "" ? [] : ["root_directory.path is not a subdirectory"];
  },
};
