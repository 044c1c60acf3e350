/**
 * One account's bootstrap (ACC-4): the state bucket every stack of the account keeps its state in,
 * and GitHub Actions' OIDC access. Its own state lives in the same bucket once it exists; the very
 * first apply keeps it in a local file (`localStateDirectory`) and migrates it (README, "First bootstrap").
 */
import { isAbsolute, join } from "node:path";
import type { Construct } from "constructs";
import { GithubCiRoles } from "../src/bootstrap/github-ci-roles";
import { StateBucket } from "../src/bootstrap/state-bucket";
import { WorkloadBoundary } from "../src/bootstrap/workload-boundary";
import { LocalBackend, TerraformOutput, TerraformStack } from "../src/cdktf";
import { bootstrapStackName } from "../src/config/naming";
import { SERVICE_CATALOG } from "../src/config/service-catalog";
import type { EnvironmentDefinition, ProjectDefinition, ServiceDefinition } from "../src/config/types";
import { EnvironmentKey } from "../src/encryption/environment-key";
import { ImageRepositories } from "../src/registry/image-repositories";
import { awsProvider, stateBackend } from "./providers";

export interface BootstrapStackProps {
  readonly environment: EnvironmentDefinition;
  readonly project: ProjectDefinition;
  /**
   * First apply only: keep this stack's state in `<localStateDirectory>/<stack>.tfstate` instead of
   * the state bucket, which does not exist yet. An absolute path: cdktf runs Terraform inside
   * `cdktf.out/stacks/<stack>/`, where a relative path would put the only copy of a new account's
   * state into a build folder (RUN-1). @default - the S3 state backend
   */
  readonly localStateDirectory?: string;
  /** The services whose images get repositories. @default SERVICE_CATALOG */
  readonly catalog?: readonly ServiceDefinition[];
}

export class BootstrapStack extends TerraformStack {
  readonly stateBucket: StateBucket;
  readonly ci: GithubCiRoles;
  /** IAM-2: the permissions boundary of every role the environment stack creates. */
  readonly boundary: WorkloadBoundary;
  readonly repositories: ImageRepositories;

  constructor(scope: Construct, props: BootstrapStackProps, id: string = bootstrapStackName(props.environment.name)) {
    super(scope, id);
    const env = props.environment;
    awsProvider(this, env);
    if (props.localStateDirectory !== undefined) {
      new LocalBackend(this, { path: localStatePath(props.localStateDirectory, id) });
    } else {
      stateBackend(this, env, id);
    }

    this.stateBucket = new StateBucket(this, "state", { accountId: env.accountId });
    this.boundary = new WorkloadBoundary(this, "workload-boundary", { environment: env });
    this.ci = new GithubCiRoles(this, "github-ci", {
      environment: env,
      project: props.project,
      stateBucketArn: this.stateBucket.bucket.arn,
      boundaryArn: this.boundary.arn,
    });
    // ECR-1: the environment's image repositories live here, not in the environment stack: the
    // application repositories push images before the environment's first deploy can start a service.
    const imagesKey = new EnvironmentKey(this, "images-key", {
      environment: env,
      component: "images-key",
      purpose: "container images",
      allowLogsAndAlarms: false,
    });
    this.repositories = new ImageRepositories(this, "repositories", {
      environment: env,
      kmsKeyArn: imagesKey.arn,
      catalog: props.catalog ?? SERVICE_CATALOG,
    });
    new TerraformOutput(this, "state-bucket", { value: this.stateBucket.bucket.bucket });
    new TerraformOutput(this, "plan-role-arn", { value: this.ci.planRole.arn });
    new TerraformOutput(this, "main-plan-role-arn", { value: this.ci.mainPlanRole.arn });
    new TerraformOutput(this, "workload-boundary-arn", { value: this.boundary.arn });
    new TerraformOutput(this, "deploy-role-arn", { value: this.ci.deployRole.arn });
    new TerraformOutput(this, "image-push-role-arn", { value: this.ci.imagePushRole.arn });
  }
}

/** The local state file of a bootstrap stack's first apply: `<directory>/<stack>.tfstate`, absolute. */
export function localStatePath(directory: string, stackName: string): string {
  if (!isAbsolute(directory)) {
    throw new Error(`bootstrap local state: "${directory}" must be an absolute path (Terraform runs in cdktf.out/stacks/<stack>/)`);
  }
  return join(directory, `${stackName}.tfstate`);
}
