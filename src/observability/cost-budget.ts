/**
 * COST-4: the environment's monthly cost budget. AWS Budgets counts only costs tagged
 * `Project=tracker` (the provider's default tag, ACC-5), so in the staging account, which other
 * projects share, it never counts their spending. Actual spend passing 80 % and 100 % of the limit,
 * and a forecast passing 100 %, notify the environment's alarm topic (OBS-2).
 *
 * Budgets sees a tag only after it is activated as a cost-allocation tag in the account's Billing
 * console (README, "Budget"); until then the filtered budget reads $0.
 */
import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { Construct } from "constructs";
import { PROJECT, resourceName } from "../config/naming";
import type { EnvironmentName } from "../config/types";

/** Budgets names a user-defined cost-allocation tag `user:<key>$<value>`. */
export const PROJECT_COST_FILTER = `user:Project$${PROJECT}`;

export interface CostBudgetProps {
  readonly environment: EnvironmentName;
  /** The monthly limit in USD (the environment's `budget.monthlyLimitUsd`). */
  readonly monthlyLimitUsd: number;
  /** The environment's alarm topic; its policy and key let budgets.amazonaws.com publish. */
  readonly topicArn: string;
}

export class CostBudget extends Construct {
  readonly budget: BudgetsBudget;

  constructor(scope: Construct, id: string, props: CostBudgetProps) {
    super(scope, id);
    const notify = (notificationType: "ACTUAL" | "FORECASTED", threshold: number) => ({
      notificationType,
      comparisonOperator: "GREATER_THAN",
      threshold,
      thresholdType: "PERCENTAGE",
      subscriberSnsTopicArns: [props.topicArn],
    });
    this.budget = new BudgetsBudget(this, "budget", {
      name: resourceName(props.environment, "monthly-cost"),
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: props.monthlyLimitUsd.toFixed(2),
      limitUnit: "USD",
      costFilter: [{ name: "TagKeyValue", values: [PROJECT_COST_FILTER] }],
      notification: [notify("ACTUAL", 80), notify("ACTUAL", 100), notify("FORECASTED", 100)],
    });
  }
}
