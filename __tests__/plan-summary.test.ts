/**
 * CD-1: the pull-request plan summary (scripts/lib/plan-summary.ts) read from `terraform show -json`
 * as Terraform writes it: `resource_changes[].change.actions` is `["create"]`, `["update"]`,
 * `["delete"]`, `["delete","create"]` or `["create","delete"]` (a replacement, destroy-first or
 * create_before_destroy), `["no-op"]` or `["read"]`; data sources have `mode: "data"`. The expected
 * comment text is written out as a reviewer reads it on the pull request.
 */
import { describe, expect, it } from "vitest";
import { countPlan, renderStackSection, type PlanJson } from "../scripts/lib/plan-summary";

const change = (address: string, actions: string[], mode = "managed") => ({ address, mode, change: { actions } });

const plan: PlanJson = {
  resource_changes: [
    change("aws_ecs_service.api", ["update"]),
    change("aws_ecs_task_definition.api", ["delete", "create"]),
    change("aws_lb_listener_certificate.www", ["create", "delete"]),
    change("aws_cloudwatch_log_group.new", ["create"]),
    change("aws_security_group_rule.old", ["delete"]),
    change("aws_vpc.main", ["no-op"]),
    change("data.aws_iam_policy_document.x", ["read"], "data"),
    change("data.aws_caller_identity.current", ["create"], "data"),
    { mode: "managed", change: { actions: ["create"] } },
    { address: "aws_s3_bucket.noop", mode: "managed" },
  ],
};

describe("CD-1: counting a plan the way Terraform's Plan: line does", () => {
  it("replacements count as one add and one destroy, either order; data sources and no-ops do not count", () => {
    expect(countPlan(plan)).toEqual({
      add: 4,
      change: 1,
      destroy: 3,
      replace: 2,
      addresses: {
        create: ["aws_cloudwatch_log_group.new", "?"],
        update: ["aws_ecs_service.api"],
        replace: ["aws_ecs_task_definition.api", "aws_lb_listener_certificate.www"],
        delete: ["aws_security_group_rule.old"],
      },
    });
  });

  it("an empty plan counts nothing", () => {
    expect(countPlan({})).toEqual({ add: 0, change: 0, destroy: 0, replace: 0, addresses: { create: [], update: [], replace: [], delete: [] } });
  });
});

describe("CD-1: one stack's section of the comment", () => {
  it("counts, the addresses by kind (replacements first), and the full plan folded", () => {
    expect(renderStackSection({ stack: "tracker-staging", environment: "staging", plan, planText: "Terraform will perform the following actions:" })).toBe(
      [
        "### `tracker-staging` (staging)",
        "",
        "**4 to add, 1 to change, 3 to destroy** (of which 2 replaced)",
        "",
        "- :warning: Replace (2): `aws_ecs_task_definition.api`, `aws_lb_listener_certificate.www`",
        "- :wastebasket: Destroy (1): `aws_security_group_rule.old`",
        "- :sparkles: Create (2): `aws_cloudwatch_log_group.new`, `?`",
        "- :pencil2: Update (1): `aws_ecs_service.api`",
        "",
        "<details><summary>Full plan</summary>",
        "",
        "```hcl",
        "Terraform will perform the following actions:",
        "```",
        "",
        "</details>",
        "",
      ].join("\n"),
    );
  });

  it("no changes: says so, with no address list; no replacement: no 'of which'", () => {
    expect(renderStackSection({ stack: "tracker-production", environment: "production", plan: {}, planText: "No changes." })).toBe(
      [
        "### `tracker-production` (production)",
        "",
        "**No changes.** The infrastructure matches the configuration.",
        "",
        "<details><summary>Full plan</summary>",
        "",
        "```hcl",
        "No changes.",
        "```",
        "",
        "</details>",
        "",
      ].join("\n"),
    );
    const one = renderStackSection({ stack: "s", environment: "staging", plan: { resource_changes: [change("aws_sns_topic.t", ["update"])] }, planText: "" });
    expect(one).toContain("\n**0 to add, 1 to change, 0 to destroy**\n");
    // Counts that would cancel out are still changes.
    const addAndDestroy = { resource_changes: [change("aws_sns_topic.a", ["create"]), change("aws_sns_topic.b", ["delete"])] };
    expect(renderStackSection({ stack: "s", environment: "staging", plan: addAndDestroy, planText: "" })).toContain("\n**1 to add, 0 to change, 1 to destroy**\n");
    const addAndChange = { resource_changes: [change("aws_sns_topic.a", ["create"]), change("aws_sns_topic.b", ["update"])] };
    expect(renderStackSection({ stack: "s", environment: "staging", plan: addAndChange, planText: "" })).toContain("\n**1 to add, 1 to change, 0 to destroy**\n");
  });

  it("the cost difference, when there is one, comes before the plan", () => {
    const md = renderStackSection({ stack: "s", environment: "staging", plan: {}, planText: "p", costText: "+ $12.00/month" });
    expect(md).toContain(
      "<details><summary>Cost difference (Infracost)</summary>\n\n```\n+ $12.00/month\n```\n\n</details>\n\n<details><summary>Full plan</summary>",
    );
  });

  it("at most 50 addresses of a kind are listed, then an ellipsis; the count is still the whole", () => {
    const many = Array.from({ length: 51 }, (_, i) => change(`aws_route53_record.r${i}`, ["create"]));
    const md = renderStackSection({ stack: "s", environment: "staging", plan: { resource_changes: many }, planText: "" });
    const line = md.split("\n").find((l) => l.startsWith("- :sparkles: Create"))!;
    expect(line.startsWith("- :sparkles: Create (51): `aws_route53_record.r0`, ")).toBe(true);
    expect(line.endsWith("`aws_route53_record.r49`, ...")).toBe(true);
    expect(line).not.toContain("r50");
    const fifty = renderStackSection({ stack: "s", environment: "staging", plan: { resource_changes: many.slice(0, 50) }, planText: "" });
    expect(fifty).toContain("`aws_route53_record.r49`\n");
  });

  it("a plan holding backticks cannot close its block early: the fence is one tick longer than its longest run", () => {
    const md = renderStackSection({ stack: "s", environment: "staging", plan: {}, planText: "a ```` b ` c" });
    expect(md).toContain("`````hcl\na ```` b ` c\n`````");
    const short = renderStackSection({ stack: "s", environment: "staging", plan: {}, planText: "a ` b" });
    expect(short).toContain("```hcl\na ` b\n```");
  });

  it("a plan longer than the limit (28,000 characters by default) is cut with a note saying where the rest is", () => {
    const exact = renderStackSection({ stack: "s", environment: "staging", plan: {}, planText: "x".repeat(28_000) });
    expect(exact).not.toContain("truncated");
    const over = renderStackSection({ stack: "s", environment: "staging", plan: {}, planText: "x".repeat(28_005) });
    expect(over).toContain(`${"x".repeat(28_000)}\n... (truncated: 5 more characters; the full plan is in the job log and artifact)\n`);
    const small = renderStackSection({ stack: "s", environment: "staging", plan: {}, planText: "abcdef", maxPlanChars: 4 });
    expect(small).toContain("abcd\n... (truncated: 2 more characters; the full plan is in the job log and artifact)");
  });

  it("a failed plan: the last 80 lines of the output, folded, and no counts", () => {
    const output = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join("\n");
    const md = renderStackSection({ stack: "tracker-staging", environment: "staging", plan, planText: output, failed: true });
    expect(md).toBe(
      [
        "### `tracker-staging` (staging)",
        "",
        "**:x: Plan failed.** The end of the output:",
        "",
        "<details><summary>Output</summary>",
        "",
        "```",
        Array.from({ length: 80 }, (_, i) => `line ${i + 21}`).join("\n"),
        "```",
        "",
        "</details>",
        "",
      ].join("\n"),
    );
    // No plan JSON (the plan command itself failed) reads the same way.
    expect(renderStackSection({ stack: "s", environment: "staging", planText: "Error: x" })).toContain("**:x: Plan failed.**");
  });
});
