/**
 * ECS-4 / OBS-2 / SHR-1 / ECR-1: the customer-managed KMS keys, as a reviewer reads them in the plan: the
 * environment key of each tracker stack (secrets, logs, alarm topic, file systems) and the images key
 * of each bootstrap stack (ECR). Rotation on, a 30-day deletion window, never destroyed by Terraform,
 * an alias by the project's naming, and a key policy that delegates to IAM in the account and lets only
 * the services that encrypt on our behalf use the key, each bound to this account.
 */
import { describe, expect, it } from "vitest";
import { PRODUCTION, STAGING } from "../src/config/environments";
import type { EnvironmentDefinition } from "../src/config/types";
import { dataSources, only, resources, synthBootstrap, synthTracker, type SynthesizedStack } from "./support/synth";

function policyDocument(stack: SynthesizedStack, reference: string): Record<string, any> {
  const name = /\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}/.exec(reference)?.[1];
  const found = dataSources(stack, "aws_iam_policy_document").find(([n]) => n === name);
  if (!found) throw new Error(`no policy document for ${reference}`);
  return found[1];
}

const ACCOUNT_ADMINISTERS = (account: string) => ({
  sid: "AccountAdministersThroughIam",
  principals: [{ type: "AWS", identifiers: [`arn:aws:iam::${account}:root`] }],
  actions: ["kms:*"],
  resources: ["*"],
});

describe.each([
  ["staging", STAGING, "eu-central-1", "802732539686"],
  ["production", PRODUCTION, "eu-central-1", "951665295205"],
] as [string, EnvironmentDefinition, string, string][])("%s", (name, env, region, account) => {
  it(`SHR-1: the definition's account and region are the ones this test writes out (${name})`, () => {
    expect([env.region, env.accountId]).toEqual([region, account]);
  });

  describe("ECS-4 / OBS-2: the environment key", () => {
    const tracker = synthTracker(env);
    const [keyName, key] = only(tracker, "aws_kms_key");
    const [, alias] = only(tracker, "aws_kms_alias");

    it("ECS-4 / OBS-2: rotated yearly, 30 days to cancel a deletion, never destroyed by Terraform, named and described", () => {
      expect(key["enable_key_rotation"]).toBe(true);
      expect(key["deletion_window_in_days"]).toBe(30);
      expect(key["lifecycle"]).toEqual({ prevent_destroy: true });
      expect(key["description"]).toBe(`Encrypts the ${name} tracker secrets, logs, alarm topic and file systems`);
      expect(key["tags"]).toEqual({ Name: `tracker-${name}-key` });
      expect(alias).toEqual({ name: `alias/tracker-${name}-key`, target_key_id: `\${aws_kms_key.${keyName}.key_id}` });
    });

    it("SHR-1 / ECS-4 / OBS-2 / COST-4: the key policy: IAM in the account; CloudWatch Logs for this environment's log groups; alarms and budgets from this account", () => {
      const logGroup = (group: string) => `arn:aws:logs:${region}:${account}:log-group:${group}`;
      expect(policyDocument(tracker, key["policy"])["statement"]).toEqual([
        ACCOUNT_ADMINISTERS(account),
        {
          sid: "CloudWatchLogsEncryptsThisEnvironmentsLogGroups",
          principals: [{ type: "Service", identifiers: [`logs.${region}.amazonaws.com`] }],
          actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          resources: ["*"],
          condition: [
            {
              test: "ArnLike",
              variable: "kms:EncryptionContext:aws:logs:arn",
              values: [logGroup(`/ecs/tracker-${name}*`), logGroup(`/aws/events/tracker-${name}*`), logGroup(`/vpc/tracker-${name}*`), logGroup(`aws-waf-logs-tracker-${name}*`)],
            },
          ],
        },
        {
          sid: "CloudWatchAlarmsPublishToTheEncryptedTopic",
          principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
          actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
          resources: ["*"],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [account] }],
        },
        {
          sid: "BudgetsPublishToTheEncryptedTopic",
          principals: [{ type: "Service", identifiers: ["budgets.amazonaws.com"] }],
          actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
          resources: ["*"],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [account] }],
        },
      ]);
    });
  });

  describe("ECR-1: the images key", () => {
    const bootstrap = synthBootstrap(env);
    const [keyName, key] = only(bootstrap, "aws_kms_key");
    const [, alias] = only(bootstrap, "aws_kms_alias");

    it("ECR-1: its own key for container images, rotated, protected, and used by ECR through IAM only", () => {
      expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
      expect(key["description"]).toBe(`Encrypts the ${name} tracker container images`);
      expect(alias).toEqual({ name: `alias/tracker-${name}-images-key`, target_key_id: `\${aws_kms_key.${keyName}.key_id}` });
      // No service principal: ECR uses the key through the caller's IAM permissions and grants.
      expect(policyDocument(bootstrap, key["policy"])["statement"]).toEqual([ACCOUNT_ADMINISTERS(account)]);
      expect(resources(bootstrap, "aws_kms_key")).toHaveLength(1);
    });
  });
});
