/**
 * Fargate services run on the LATEST platform version (security patches of the platform).
 * Sources: Security Hub ECS.10 ("ECS Fargate services should run on the latest Fargate platform
 * version"); Checkov CKV_AWS_332 (ECSServiceFargateLatest). An absent platform_version means
 * LATEST for Fargate and passes.
 */
import { blocks, type Rule } from "../engine";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "ecs-service-fargate-latest",
  mirrors: ["ECS.10", "CKV_AWS_332"],
  description: "Fargate aws_ecs_service.platform_version is LATEST or absent.",
  resourceTypes: ["aws_ecs_service"],
  expectedIn: ENVIRONMENT_STACKS,
  check(service) {
    const fargate =
      service.config["launch_type"] === "FARGATE" ||
      blocks(service.config["capacity_provider_strategy"]).some((s) => String(s["capacity_provider"]).startsWith("FARGATE"));
    if (!fargate) return [];
    const version = service.config["platform_version"] ?? "LATEST";
    return version === "LATEST" ? [] : [`platform_version ${String(version)} is pinned below LATEST`];
  },
};
