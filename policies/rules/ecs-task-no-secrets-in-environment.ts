/**
 * Secrets reach containers through `secrets` (Secrets Manager / SSM ARNs, CFG-3), never through
 * plaintext `environment`: no secret-looking variable name, no credential-looking value.
 * Sources: Security Hub ECS.8 ("Secrets should not be passed as container environment variables":
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, ECS_ENGINE_AUTH_DATA); Trivy AVD-AWS-0036
 * (aws-ecs-no-plaintext-secrets: scans environment for secret-looking names/values). We apply the
 * broader name check of policies/secret-scan.ts.
 */
import type { Rule } from "../engine";
import { isSecretLookingName, scanText } from "../secret-scan";
import { ENVIRONMENT_STACKS } from "../stacks";

export const rule: Rule = {
  id: "ecs-task-no-secrets-in-environment",
  mirrors: ["ECS.8", "AVD-AWS-0036", "CFG-3"],
  description: "No container environment entry has a secret-looking name or a credential-looking value.",
  resourceTypes: ["aws_ecs_task_definition"],
  expectedIn: ENVIRONMENT_STACKS,
  check(td, ctx) {
    const containers = ctx.containerDefinitions(td);
    if (!containers) return ["container_definitions cannot be read"];
    const out: string[] = [];
    for (const c of containers) {
      const env = Array.isArray(c["environment"]) ? (c["environment"] as Record<string, unknown>[]) : [];
      for (const e of env) {
        const name = String(e["name"] ?? "");
        if (isSecretLookingName(name)) out.push(`container ${String(c["name"])}: environment ${name} looks like a secret`);
        else if (typeof e["value"] === "string" && scanText(`${name}=${e["value"]}`, "").length > 0) {
          out.push(`container ${String(c["name"])}: environment ${name} holds a credential-looking value`);
        }
      }
    }
    return out;
  },
};
