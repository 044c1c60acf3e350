/**
 * One account's bootstrap (ACC-4): the state bucket every stack of the account keeps its state in,
 * and GitHub Actions' OIDC access. Its own state lives in the same bucket once it exists; the very
 * first apply keeps it local (`localState`) and migrates it (README, "First bootstrap").
 */
import type { Construct } from "constructs";
import { GithubCiRoles } from "../src/bootstrap/github-ci-roles";
import { StateBucket } from "../src/bootstrap/state-bucket";
import { LocalBackend, TerraformOutput, TerraformStack } from "../src/cdktf";
import { bootstrapStackName } from "../src/config/naming";
import type { EnvironmentDefinition, ProjectDefinition } from "../src/config/types";
import { awsProvider, stateBackend } from "./providers";

export interface BootstrapStackProps {
  readonly environment: EnvironmentDefinition;
  readonly project: ProjectDefinition;
  /** Keep this stack's state on local disk (first apply only). @default false */
  readonly localState?: boolean;
}

export class BootstrapStack extends TerraformStack {
  readonly stateBucket: StateBucket;
  readonly ci: GithubCiRoles;

  constructor(scope: Construct, props: BootstrapStackProps, id: string = bootstrapStackName(props.environment.name)) {
    super(scope, id);
    const env = props.environment;
    awsProvider(this, env);
    if (props.localState) new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    else stateBackend(this, env, id);

    this.stateBucket = new StateBucket(this, "state", { accountId: env.accountId });
    this.ci = new GithubCiRoles(this, "github-ci", {
      environment: env,
      project: props.project,
      stateBucketArn: this.stateBucket.bucket.arn,
    });
    new TerraformOutput(this, "state-bucket", { value: this.stateBucket.bucket.bucket });
    new TerraformOutput(this, "plan-role-arn", { value: this.ci.planRole.arn });
    new TerraformOutput(this, "deploy-role-arn", { value: this.ci.deployRole.arn });
    new TerraformOutput(this, "image-push-role-arn", { value: this.ci.imagePushRole.arn });
  }
}
