/**
 * ECS clusters have Container Insights on (ECS-1).
 * Sources: Checkov CKV_AWS_65 (ECSClusterContainerInsights: a setting named containerInsights with
 * value enabled; "enhanced" is the newer, richer mode); Security Hub ECS.12 ("ECS clusters should
 * use Container Insights"); Trivy AVD-AWS-0034 (aws-ecs-enable-container-insight).
 */
import { blocks, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "ecs-cluster-container-insights",
  mirrors: ["CKV_AWS_65", "ECS.12", "AVD-AWS-0034", "ECS-1"],
  description: "aws_ecs_cluster has setting containerInsights = enabled or enhanced.",
  resourceTypes: ["aws_ecs_cluster"],
  expectedIn: ENVIRONMENT_STACKS,
  check(cluster) {
    const on = blocks(cluster.config["setting"]).some(
      (s) => s["name"] === "containerInsights" && ["enabled", "enhanced"].includes(String(s["value"])),
    );
    return on ? [] : ["containerInsights is not enabled"];
  },
};
