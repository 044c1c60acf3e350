/**
 * DLV-1: the infrastructure role ECS assumes to run a public service's canary deployments
 * (`load_balancer.advanced_configuration.role_arn`): it registers the new revision's tasks in the
 * alternate target group, shifts the production listener rule's weights, and deregisters the old
 * tasks. AWS offers the managed policy `AmazonECSInfrastructureRolePolicyForLoadBalancers` for it;
 * that policy may modify every listener and rule and register targets in every target group of the
 * account (a shared account, for staging). This role gets the same actions on this service's own
 * resources only: its two target groups, its production listener rule, and the HTTPS listener that
 * holds the rule. Describe calls have no resource-level permissions and stay on "*".
 *
 * Trust: `ecs.amazonaws.com` with `sts:AssumeRole`, as AWS documents the role (no confused-deputy
 * condition: AWS's documented trust policy for this role has none, and a condition key ECS does not
 * send would deny every deployment). The role carries the workload boundary (IAM-2).
 */
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { trafficShiftRoleName, workloadBoundaryArn } from "../config/naming";
import type { EnvironmentDefinition, ServiceName } from "../config/types";

/** The service principal ECS uses for infrastructure roles. */
export const ECS_SERVICE_PRINCIPAL = "ecs.amazonaws.com";

/** What ECS reads while it shifts traffic (AmazonECSInfrastructureRolePolicyForLoadBalancers, "ELBReadOperations"). */
export const TRAFFIC_SHIFT_READS = [
  "elasticloadbalancing:DescribeListeners",
  "elasticloadbalancing:DescribeRules",
  "elasticloadbalancing:DescribeTargetGroups",
  "elasticloadbalancing:DescribeTargetHealth",
] as const;

export interface TrafficShiftRoleProps {
  readonly environment: EnvironmentDefinition;
  readonly service: ServiceName;
  /** The service's two target groups (primary and alternate). */
  readonly targetGroupArns: readonly [string, string];
  /** The service's production listener rule. */
  readonly productionListenerRuleArn: string;
  /** The HTTPS listener that holds the rule. */
  readonly listenerArn: string;
}

export class TrafficShiftRole extends Construct {
  readonly role: IamRole;
  readonly policy: IamRolePolicy;
  readonly arn: string;
  readonly name: string;

  constructor(scope: Construct, id: string, props: TrafficShiftRoleProps) {
    super(scope, id);
    const env = props.environment;
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          sid: "EcsShiftsTraffic",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: [ECS_SERVICE_PRINCIPAL] }],
        },
      ],
    });
    this.role = new IamRole(this, "role", {
      name: trafficShiftRoleName(env.name, props.service),
      description: `ECS shifts ${props.service}'s traffic between its two target groups during canary deployments (DLV-1)`,
      assumeRolePolicy: trust.json,
      maxSessionDuration: 3600,
      // IAM-2: whatever the policy says, the workload boundary caps it.
      permissionsBoundary: workloadBoundaryArn(env.accountId, env.name),
    });
    const document = new DataAwsIamPolicyDocument(this, "policy-document", {
      statement: [
        // No resource-level permissions exist for Describe*: AWS requires "*".
        { sid: "ReadListenersAndTargets", effect: "Allow", actions: [...TRAFFIC_SHIFT_READS], resources: ["*"] },
        {
          sid: "RegisterTasksInItsTargetGroups",
          effect: "Allow",
          actions: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
          resources: [...props.targetGroupArns],
        },
        { sid: "ShiftItsProductionRule", effect: "Allow", actions: ["elasticloadbalancing:ModifyRule"], resources: [props.productionListenerRuleArn] },
        { sid: "ItsListener", effect: "Allow", actions: ["elasticloadbalancing:ModifyListener"], resources: [props.listenerArn] },
      ],
    });
    this.policy = new IamRolePolicy(this, "policy", { name: "traffic-shift", role: this.role.id, policy: document.json });
    this.arn = this.role.arn;
    this.name = this.role.name;
  }
}
