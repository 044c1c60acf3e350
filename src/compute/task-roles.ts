/**
 * IAM for ECS tasks (ECS-10): a role that only ECS tasks of this account can assume, and
 * `PolicyGrants`, the accumulator through which a construct grants exactly what it hands to a
 * container (ARCHITECTURE.md principle 2, "grants follow references"). A grant is recorded in the
 * same call that adds the reference; the policy is written from the grants once, at the end.
 */
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { workloadBoundaryArn } from "../config/naming";
import type { EnvironmentDefinition } from "../config/types";

/** An IAM condition, as `aws_iam_policy_document` writes it. */
export interface GrantCondition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

/** One Allow statement. */
export interface Grant {
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions: readonly GrantCondition[];
}

/**
 * Allow statements keyed by `sid`. Granting the same `sid` again adds resources and condition
 * values to it (a statement's actions are fixed by its first grant). No action may contain `*`.
 */
export class PolicyGrants {
  private readonly grants = new Map<string, { actions: string[]; resources: string[]; conditions: Map<string, GrantCondition> }>();

  allow(sid: string, actions: readonly string[], resources: readonly string[], conditions: readonly GrantCondition[] = []): void {
    for (const action of actions) {
      if (action.includes("*")) throw new Error(`PolicyGrants ${sid}: wildcard action "${action}" is not allowed (ECS-10)`);
    }
    if (resources.length === 0) throw new Error(`PolicyGrants ${sid}: a grant needs at least one resource`);
    let grant = this.grants.get(sid);
    if (!grant) {
      grant = { actions: [...actions], resources: [], conditions: new Map() };
      this.grants.set(sid, grant);
    } else if (grant.actions.join() !== [...actions].join()) {
      throw new Error(`PolicyGrants ${sid}: granted again with different actions`);
    }
    for (const r of resources) if (!grant.resources.includes(r)) grant.resources.push(r);
    for (const c of conditions) {
      const key = `${c.test}|${c.variable}`;
      const existing = grant.conditions.get(key);
      const values = existing ? [...existing.values, ...c.values.filter((v) => !existing.values.includes(v))] : [...c.values];
      grant.conditions.set(key, { test: c.test, variable: c.variable, values });
    }
  }

  get isEmpty(): boolean {
    return this.grants.size === 0;
  }

  /** The statements, in the order their `sid`s were first granted. */
  get statements(): readonly Grant[] {
    return [...this.grants.entries()].map(([sid, g]) => ({
      sid,
      actions: g.actions,
      resources: g.resources,
      conditions: [...g.conditions.values()],
    }));
  }
}

export interface EcsTaskRoleProps {
  readonly environment: EnvironmentDefinition;
  /** The role's name, e.g. `resourceName(env, "api-execution")`. */
  readonly roleName: string;
  readonly description: string;
}

/** A role that ECS tasks of the environment's account (and only those) can assume. */
export class EcsTaskRole extends Construct {
  readonly role: IamRole;
  readonly arn: string;
  readonly name: string;
  private attachCalled = false;

  constructor(scope: Construct, id: string, props: EcsTaskRoleProps) {
    super(scope, id);
    const env = props.environment;
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          sid: "EcsTasksOfThisAccount",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] }],
          condition: [
            // Confused-deputy guard: only ECS acting for this account. (aws:SourceArn is left out:
            // it is documented for task roles, not for the execution role ECS uses at task start.)
            { test: "StringEquals", variable: "aws:SourceAccount", values: [env.accountId] },
          ],
        },
      ],
    });
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: trust.json,
      maxSessionDuration: 3600,
      // IAM-2: what the deploy role creates is capped by the account's workload boundary.
      permissionsBoundary: workloadBoundaryArn(env.accountId, env.name),
    });
    this.arn = this.role.arn;
    this.name = this.role.name;
  }

  /**
   * Writes the grants as the role's inline policy (once). Nothing is written when nothing is
   * granted: a task role of a service that calls no AWS API has no policy at all.
   */
  attach(grants: PolicyGrants): IamRolePolicy | undefined {
    if (this.attachCalled) throw new Error(`${this.node.path}: the policy is already attached`);
    this.attachCalled = true;
    if (grants.isEmpty) return undefined;
    const document = new DataAwsIamPolicyDocument(this, "policy-document", {
      statement: grants.statements.map((g) => ({
        sid: g.sid,
        effect: "Allow",
        actions: [...g.actions],
        resources: [...g.resources],
        ...(g.conditions.length > 0
          ? { condition: g.conditions.map((c) => ({ test: c.test, variable: c.variable, values: [...c.values] })) }
          : {}),
      })),
    });
    return new IamRolePolicy(this, "policy", {
      name: "least-privilege",
      role: this.role.id,
      policy: document.json,
    });
  }
}
