/**
 * COST-4: a monthly cost budget per environment, filtered to this project's cost-allocation tag (the
 * staging account is shared: other projects' spending must not count), alerting the environment's
 * alarm topic, which Budgets must be allowed to publish to and encrypt for.
 */
import { describe, expect, it } from "vitest";
import { STAGING } from "../src/config/environments";
import { ConfigValidationError, validateEnvironments } from "../src/config/validate";
import { PRODUCTION } from "../src/config/environments";
import { environment, only, referenceOf, resources, synthTracker } from "./support/synth";

const ACCOUNTS = { staging: "802732539686", production: "951665295205" } as const;
const LIMITS = { staging: "130.00", production: "600.00" } as const;

describe.each(["staging", "production"] as const)("COST-4: the %s budget", (name) => {
  const stack = synthTracker(environment(name));
  const [, budget] = only(stack, "aws_budgets_budget");
  const [topicName] = only(stack, "aws_sns_topic");
  const topicArn = referenceOf("aws_sns_topic", topicName, "arn");

  it("COST-4: a monthly USD cost budget named after the environment, with its limit", () => {
    expect(budget).toMatchObject({ name: `tracker-${name}-monthly-cost`, budget_type: "COST", time_unit: "MONTHLY", limit_unit: "USD", limit_amount: LIMITS[name] });
  });

  it("COST-4/SHR-1: counts only costs tagged Project=tracker (Budgets' user:<key>$<value> form)", () => {
    expect(budget["cost_filter"]).toEqual([{ name: "TagKeyValue", values: ["user:Project$tracker"] }]);
  });

  it("COST-4: actual spend over 80 % and 100 % and a forecast over 100 % notify the alarm topic, by reference", () => {
    const notifications = budget["notification"] as Record<string, unknown>[];
    expect(notifications.map((n) => `${n["notification_type"]} ${n["comparison_operator"]} ${n["threshold"]} ${n["threshold_type"]}`).sort()).toEqual([
      "ACTUAL GREATER_THAN 100 PERCENTAGE",
      "ACTUAL GREATER_THAN 80 PERCENTAGE",
      "FORECASTED GREATER_THAN 100 PERCENTAGE",
    ]);
    for (const n of notifications) expect(n["subscriber_sns_topic_arns"]).toEqual([topicArn]);
  });

  it("COST-4: the topic policy lets this account's budgets publish, and the topic's key lets Budgets encrypt", () => {
    const [, topicPolicy] = only(stack, "aws_sns_topic_policy");
    const policyDocName = /data\.aws_iam_policy_document\.([\w-]+)\.json/.exec(String(topicPolicy["policy"]))![1]!;
    const doc = stack.data!["aws_iam_policy_document"]![policyDocName] as { statement: Record<string, any>[] };
    const budgets = doc.statement.find((s) => s["principals"]?.[0]?.identifiers?.includes("budgets.amazonaws.com"));
    expect(budgets?.["actions"]).toEqual(["sns:Publish"]);
    expect(budgets?.["condition"]).toEqual(
      expect.arrayContaining([{ test: "StringEquals", variable: "aws:SourceAccount", values: [ACCOUNTS[name]] }]),
    );

    const [, topic] = only(stack, "aws_sns_topic");
    const keyName = /aws_kms_key\.([\w-]+)\.arn/.exec(String(topic["kms_master_key_id"]))![1]!;
    const keyPolicyDoc = /data\.aws_iam_policy_document\.([\w-]+)\.json/.exec(String(resources(stack, "aws_kms_key").find(([n]) => n === keyName)![1]["policy"]))![1]!;
    const keyDoc = stack.data!["aws_iam_policy_document"]![keyPolicyDoc] as { statement: Record<string, any>[] };
    const kms = keyDoc.statement.find((s) => s["principals"]?.[0]?.identifiers?.includes("budgets.amazonaws.com"));
    expect(kms?.["actions"]).toEqual(expect.arrayContaining(["kms:Decrypt", "kms:GenerateDataKey*"]));
    expect(kms?.["condition"]).toEqual([{ test: "StringEquals", variable: "aws:SourceAccount", values: [ACCOUNTS[name]] }]);
  });
});

describe("COST-4: the budget's limit is validated", () => {
  it.each([0, -5, Number.NaN])("a limit of %s is refused, naming the field", (limit) => {
    const bad = { ...STAGING, budget: { monthlyLimitUsd: limit } };
    expect(() => validateEnvironments([bad, PRODUCTION])).toThrow(ConfigValidationError);
    expect(() => validateEnvironments([bad, PRODUCTION])).toThrow(`staging.budget.monthlyLimitUsd: must be a positive amount of USD up to 1000000, got ${limit}`);
  });
});
