/**
 * GitHub Actions' access to one account (ACC-4, CD-1, CD-2, IAM-1..IAM-3): the OIDC provider and
 * four roles, each trusted from exactly one kind of GitHub token:
 * - `tracker-<env>-ci-plan`: plans of pull requests (`repo:<repo>:pull_request`). A pull request
 *   runs its own copy of the workflow, so this role reads configuration and state but never a
 *   secret value (explicit deny) and writes nothing; its plans run with `-refresh=false`.
 * - `tracker-<env>-ci-main-plan`: refreshing plans of the main branch (drift), which read this
 *   environment's secret versions as a refresh must.
 * - `tracker-<env>-ci-deploy`: applies changes; trusted only from `main` and/or the environment's
 *   GitHub environment (production: the environment, behind a manual approval). Scoped to this
 *   project's resources, unable to change any CI role, and every role it creates carries the
 *   workload boundary (IAM-2).
 * - `tracker-<env>-ci-image-push`: the application repositories push images (CD-5).
 */
import { DataAwsIamOpenidConnectProvider } from "@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider";
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { type CiRole, PROJECT, resourceName } from "../config/naming";
import type { EnvironmentDefinition, ProjectDefinition } from "../config/types";
import { configurationReads, deployGuards, deployManagement, noSecretValues, secretRefresh, stateAccess } from "./ci-policies";

const GITHUB_ISSUER = "token.actions.githubusercontent.com";

export interface GithubCiRolesProps {
  readonly environment: EnvironmentDefinition;
  readonly project: ProjectDefinition;
  /** The state bucket's ARN: every CI role reads state; the deploy role writes it and the lock. */
  readonly stateBucketArn: string;
  /** IAM-2: the workload boundary's ARN; the deploy role creates roles only with it. */
  readonly boundaryArn: string;
}

/** The OIDC subjects a role trusts, from `repo:<owner>/<name>:...` (IAM-3: never a wildcard). */
export function ciSubjects(env: EnvironmentDefinition, repo: string): Readonly<Record<Exclude<CiRole, "ci-image-push">, readonly string[]>> {
  return {
    "ci-plan": [`repo:${repo}:pull_request`],
    "ci-main-plan": [`repo:${repo}:ref:refs/heads/main`],
    "ci-deploy": env.ci.deployFrom.map((source) =>
      source === "main-branch" ? `repo:${repo}:ref:refs/heads/main` : `repo:${repo}:environment:${env.name}`,
    ),
  };
}

export class GithubCiRoles extends Construct {
  /** Pull-request plans (IAM-3: no secret value). */
  readonly planRole: IamRole;
  /** Refreshing plans of the main branch. */
  readonly mainPlanRole: IamRole;
  readonly deployRole: IamRole;
  /** CD-5: pushes images to this environment's ECR from the application repositories. */
  readonly imagePushRole: IamRole;
  readonly oidcProviderArn: string;

  constructor(scope: Construct, id: string, props: GithubCiRolesProps) {
    super(scope, id);
    const env = props.environment;
    const repo = props.project.githubRepository;
    const arn = (service: string, resource: string) => `arn:aws:${service}:${env.region}:${env.accountId}:${resource}`;

    this.oidcProviderArn =
      env.ci.githubOidcProvider === "create"
        ? new IamOpenidConnectProvider(this, "github-oidc", {
            url: `https://${GITHUB_ISSUER}`,
            clientIdList: ["sts.amazonaws.com"],
            tags: { Name: resourceName(env.name, "github-oidc") },
          }).arn
        : new DataAwsIamOpenidConnectProvider(this, "github-oidc", { url: `https://${GITHUB_ISSUER}` }).arn;

    // Exact subjects (StringEquals): a wildcard would let any ref, or any repository, in.
    const trust = (name: string, subjects: readonly string[]) =>
      new DataAwsIamPolicyDocument(this, `${name}-trust`, {
        statement: [
          {
            actions: ["sts:AssumeRoleWithWebIdentity"],
            principals: [{ type: "Federated", identifiers: [this.oidcProviderArn] }],
            condition: [
              { test: "StringEquals", variable: `${GITHUB_ISSUER}:aud`, values: ["sts.amazonaws.com"] },
              { test: "StringEquals", variable: `${GITHUB_ISSUER}:sub`, values: [...subjects] },
            ],
          },
        ],
      });
    const policy = (role: IamRole, name: string, statement: DataAwsIamPolicyDocumentStatement[]) =>
      new IamRolePolicy(this, `${name}-policy`, {
        name,
        role: role.id,
        policy: new DataAwsIamPolicyDocument(this, name, { statement }).json,
      });
    const subjects = ciSubjects(env, repo);

    // Pull requests: configuration and state reads; no secret value, no write (IAM-3).
    this.planRole = new IamRole(this, "plan-role", {
      name: resourceName(env.name, "ci-plan"),
      description: `cdktf plan of ${repo} pull requests against ${env.name} (read-only, no secret values)`,
      assumeRolePolicy: trust("plan", subjects["ci-plan"]).json,
      maxSessionDuration: 3600,
    });
    policy(this.planRole, "pull-request-plan", [
      ...configurationReads(env),
      ...stateAccess(props.stateBucketArn, false),
      ...noSecretValues(),
    ]);

    // Main branch: a refreshing plan (drift), which reads the secret versions' values.
    this.mainPlanRole = new IamRole(this, "main-plan-role", {
      name: resourceName(env.name, "ci-main-plan"),
      description: `Refreshing cdktf plan of ${repo} main against ${env.name} (read-only)`,
      assumeRolePolicy: trust("main-plan", subjects["ci-main-plan"]).json,
      maxSessionDuration: 3600,
    });
    policy(this.mainPlanRole, "main-plan", [
      ...configurationReads(env),
      ...stateAccess(props.stateBucketArn, false),
      ...secretRefresh(env),
    ]);

    // Deploy: main and/or the GitHub environment only; this project's resources only (IAM-2).
    this.deployRole = new IamRole(this, "deploy-role", {
      name: resourceName(env.name, "ci-deploy"),
      description: `cdktf deploy of ${repo} to ${env.name}`,
      assumeRolePolicy: trust("deploy", subjects["ci-deploy"]).json,
      maxSessionDuration: 3600,
    });
    policy(this.deployRole, "deploy-read", [
      ...configurationReads(env),
      ...stateAccess(props.stateBucketArn, true),
      ...secretRefresh(env),
    ]);
    policy(this.deployRole, "deploy-manage", deployManagement(env, props.boundaryArn));
    policy(this.deployRole, "deploy-guards", deployGuards(env, props.boundaryArn));

    // CD-5: application repositories push images through this repository's reusable workflow.
    // A reusable workflow's token names the *calling* repository, so this role trusts the app
    // repositories' main branch. (AWS evaluates only the standard `aud` and `sub` claims of GitHub's
    // tokens, so `job_workflow_ref` cannot be a condition; the role can do nothing but push images.)
    const pushTrust = new DataAwsIamPolicyDocument(this, "image-push-trust", {
      statement: [
        {
          actions: ["sts:AssumeRoleWithWebIdentity"],
          principals: [{ type: "Federated", identifiers: [this.oidcProviderArn] }],
          condition: [
            { test: "StringEquals", variable: `${GITHUB_ISSUER}:aud`, values: ["sts.amazonaws.com"] },
            {
              test: "StringEquals",
              variable: `${GITHUB_ISSUER}:sub`,
              values: props.project.applicationRepositories.map((app) => `repo:${app}:ref:refs/heads/main`),
            },
          ],
        },
      ],
    });
    this.imagePushRole = new IamRole(this, "image-push-role", {
      name: resourceName(env.name, "ci-image-push"),
      description: `Image pushes of the application repositories to ${env.name}'s ECR`,
      assumeRolePolicy: pushTrust.json,
      maxSessionDuration: 3600,
    });
    const push = new DataAwsIamPolicyDocument(this, "image-push", {
      statement: [
        // GetAuthorizationToken has no resource type: AWS accepts only "*" for it.
        { sid: "EcrLogin", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
        {
          sid: "PushThisEnvironmentsImages",
          actions: [
            "ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
            "ecr:CompleteLayerUpload", "ecr:PutImage", "ecr:BatchGetImage", "ecr:DescribeImages",
          ],
          resources: [arn("ecr", `repository/${PROJECT}-${env.name}/*`)],
        },
      ],
    });
    new IamRolePolicy(this, "image-push-policy", { name: "push-images", role: this.imagePushRole.id, policy: push.json });
  }
}
