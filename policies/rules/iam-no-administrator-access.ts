/**
 * No role, user or group gets the AWS managed AdministratorAccess policy.
 * Sources: Checkov CKV_AWS_274 ("Disallow IAM roles, users, and groups from using the AWS
 * AdministratorAccess policy": policy attachments and managed_policy_arns).
 */
import { stringList, type Rule } from "../engine";
import { EVERY_STACK } from "../stacks";

const ADMIN = /^arn:aws[\w-]*:iam::aws:policy\/AdministratorAccess$/;

export const rule: Rule = {
  id: "iam-no-administrator-access",
  mirrors: ["CKV_AWS_274", "ECS-10"],
  description: "AdministratorAccess is not attached (policy attachments, managed_policy_arns).",
  resourceTypes: [
    "aws_iam_role_policy_attachment",
    "aws_iam_policy_attachment",
    "aws_iam_user_policy_attachment",
    "aws_iam_group_policy_attachment",
    "aws_iam_role_policy_attachments_exclusive",
    "aws_iam_role",
  ],
  expectedIn: EVERY_STACK,
  check(resource) {
    const arns = [
      ...stringList(resource.config["policy_arn"]),
      ...stringList(resource.config["managed_policy_arns"]),
      ...stringList(resource.config["policy_arns"]),
    ];
    return arns.filter((a) => ADMIN.test(a)).map(() => "attaches AdministratorAccess");
  },
};
