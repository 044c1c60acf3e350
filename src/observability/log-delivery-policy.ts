/**
 * The stack's one CloudWatch Logs resource policy (SHR-1, SHR-2): AWS services that write to this
 * environment's log groups without a role (EventBridge for the ECS task failures, WAF's log
 * delivery) are each allowed here, on their own log group only. An account holds at most 10 such
 * policies per region, shared by every project of the staging account, so the stack uses one.
 */
import { CloudwatchLogResourcePolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-resource-policy";
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { Construct } from "constructs";
import type { TerraformResource } from "../cdktf";
import { resourceName } from "../config/naming";
import type { EnvironmentName } from "../config/types";

export interface LogDeliveryPolicyProps {
  readonly environment: EnvironmentName;
}

export class LogDeliveryPolicy extends Construct {
  readonly resource: CloudwatchLogResourcePolicy;
  private readonly document: DataAwsIamPolicyDocument;
  private readonly statements: DataAwsIamPolicyDocumentStatement[] = [];

  constructor(scope: Construct, id: string, props: LogDeliveryPolicyProps) {
    super(scope, id);
    // Its statements come from allow(), one per writer.
    this.document = new DataAwsIamPolicyDocument(this, "document", {});
    this.resource = new CloudwatchLogResourcePolicy(this, "policy", {
      policyName: resourceName(props.environment, "log-delivery"),
      policyDocument: this.document.json,
    });
  }

  /** Adds a statement; each `dependent` (what writes through it) waits for the policy. */
  allow(statement: DataAwsIamPolicyDocumentStatement, ...dependents: TerraformResource[]): void {
    this.statements.push(statement);
    this.document.putStatement([...this.statements]);
    // depends_on names the resource as `type.name` (not an interpolation).
    const address = `${this.resource.terraformResourceType}.${this.resource.friendlyUniqueId}`;
    for (const dependent of dependents) dependent.dependsOn = [...(dependent.dependsOn ?? []), address];
  }
}
