/**
 * No policy lets its holder mint or read long-lived or third-party credentials on any resource.
 * Sources: Checkov CKV_AWS_287 ("IAM policies does not allow credentials exposure", built on
 * Cloudsplaining's credentials-exposure action list). We use the credential-minting subset below;
 * ecr:GetAuthorizationToken, which Cloudsplaining lists, is left out on purpose: it only works on
 * "*", yields a 12-hour registry token, and every ECS execution role needs it (ECS-10).
 */
import type { Rule } from "../engine";
import { IDENTITY_POLICY_TYPES, declaredStatements, grants, onAnyResource } from "../iam";
import { EVERY_STACK } from "../stacks";

export const CREDENTIAL_ACTIONS: readonly string[] = [
  "iam:CreateAccessKey",
  "iam:UpdateAccessKey",
  "iam:CreateLoginProfile",
  "iam:UpdateLoginProfile",
  "iam:CreateServiceSpecificCredential",
  "iam:ResetServiceSpecificCredential",
  "iam:UploadSSHPublicKey",
  "sts:GetFederationToken",
  "sso:GetRoleCredentials",
  "redshift:GetClusterCredentials",
  "rds-db:connect",
  "lightsail:GetInstanceAccessDetails",
  "lightsail:GetRelationalDatabaseMasterUserPassword",
  "cognito-identity:GetOpenIdTokenForDeveloperIdentity",
  "secretsmanager:GetSecretValue",
  "ssm:GetParameter",
  "ssm:GetParameters",
  "ssm:GetParametersByPath",
];

export const rule: Rule = {
  id: "iam-no-credentials-exposure",
  mirrors: ["CKV_AWS_287", "ECS-10"],
  description: "No Allow of credential-exposing actions (access keys, secret values, ...) on Resource *.",
  resourceTypes: IDENTITY_POLICY_TYPES,
  expectedIn: EVERY_STACK,
  check(resource, ctx) {
    const statements = declaredStatements(resource, ctx);
    if (!statements) return ["policy document cannot be read"];
    const out: string[] = [];
    for (const s of statements) {
      if (!onAnyResource(s)) continue;
      const exposed = CREDENTIAL_ACTIONS.filter((a) => grants(s, a));
      if (exposed.length > 0) out.push(`allows ${exposed.slice(0, 4).join(", ")}${exposed.length > 4 ? ", ..." : ""} on *`);
    }
    return out;
  },
};
