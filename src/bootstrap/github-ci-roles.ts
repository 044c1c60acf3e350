/**
 * GitHub Actions' access to one account (ACC-4, CD-1, CD-2): the OIDC provider and two roles.
 * - `tracker-<env>-ci-plan`: read-only, for `cdktf plan` on pull requests of this repository.
 * - `tracker-<env>-ci-deploy`: applies changes; trusted only from `main` and/or the environment's
 *   GitHub environment (production: the environment, behind a manual approval).
 */
import { DataAwsIamOpenidConnectProvider } from "@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { PROJECT, resourceName } from "../config/naming";
import type { EnvironmentDefinition, ProjectDefinition } from "../config/types";

const GITHUB_ISSUER = "token.actions.githubusercontent.com";

export interface GithubCiRolesProps {
  readonly environment: EnvironmentDefinition;
  readonly project: ProjectDefinition;
  /** The state bucket's ARN: both roles read state and take the lock file. */
  readonly stateBucketArn: string;
}

export class GithubCiRoles extends Construct {
  readonly planRole: IamRole;
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

    const trust = (name: string, subjects: string[]) =>
      new DataAwsIamPolicyDocument(this, `${name}-trust`, {
        statement: [
          {
            actions: ["sts:AssumeRoleWithWebIdentity"],
            principals: [{ type: "Federated", identifiers: [this.oidcProviderArn] }],
            condition: [
              { test: "StringEquals", variable: `${GITHUB_ISSUER}:aud`, values: ["sts.amazonaws.com"] },
              { test: "StringLike", variable: `${GITHUB_ISSUER}:sub`, values: subjects },
            ],
          },
        ],
      });

    // Plan: any pull request or branch of this repository, read-only.
    this.planRole = new IamRole(this, "plan-role", {
      name: resourceName(env.name, "ci-plan"),
      description: `cdktf plan of ${repo} against ${env.name} (read-only)`,
      assumeRolePolicy: trust("plan", [`repo:${repo}:*`]).json,
      maxSessionDuration: 3600,
    });
    new IamRolePolicyAttachment(this, "plan-read-only", {
      role: this.planRole.name,
      policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
    });

    // Deploy: main and/or the GitHub environment only.
    const subjects = env.ci.deployFrom.map((source) =>
      source === "main-branch" ? `repo:${repo}:ref:refs/heads/main` : `repo:${repo}:environment:${env.name}`,
    );
    this.deployRole = new IamRole(this, "deploy-role", {
      name: resourceName(env.name, "ci-deploy"),
      description: `cdktf deploy of ${repo} to ${env.name}`,
      assumeRolePolicy: trust("deploy", subjects).json,
      maxSessionDuration: 3600,
    });
    // Everything but IAM and Organizations; IAM is granted below, limited to this project's names.
    new IamRolePolicyAttachment(this, "deploy-power-user", {
      role: this.deployRole.name,
      policyArn: "arn:aws:iam::aws:policy/PowerUserAccess",
    });
    const iam = (resource: string) => `arn:aws:iam::${env.accountId}:${resource}`;
    const deployIam = new DataAwsIamPolicyDocument(this, "deploy-iam", {
      statement: [
        {
          sid: "ManageThisProjectsRolesAndPolicies",
          actions: [
            "iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy",
            "iam:TagRole", "iam:UntagRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
            "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy",
            "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:ListInstanceProfilesForRole",
            "iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:GetInstanceProfile",
            "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:TagInstanceProfile", "iam:UntagInstanceProfile",
            "iam:CreatePolicy", "iam:DeletePolicy", "iam:GetPolicy", "iam:GetPolicyVersion",
            "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:ListPolicyVersions", "iam:TagPolicy", "iam:UntagPolicy",
          ],
          resources: [
            iam(`role/${PROJECT}-${env.name}-*`),
            iam(`instance-profile/${PROJECT}-${env.name}-*`),
            iam(`policy/${PROJECT}-${env.name}-*`),
          ],
        },
        {
          sid: "PassThisProjectsRolesToAwsServices",
          actions: ["iam:PassRole"],
          resources: [iam(`role/${PROJECT}-${env.name}-*`)],
          condition: [
            {
              test: "StringEquals",
              variable: "iam:PassedToService",
              values: ["ecs-tasks.amazonaws.com", "ec2.amazonaws.com", "vpc-flow-logs.amazonaws.com", "dlm.amazonaws.com"],
            },
          ],
        },
        {
          sid: "CreateServiceLinkedRolesOfTheServicesUsed",
          actions: ["iam:CreateServiceLinkedRole"],
          resources: [iam("role/aws-service-role/*")],
          condition: [
            {
              test: "StringEquals",
              variable: "iam:AWSServiceName",
              values: [
                "ecs.amazonaws.com", "elasticloadbalancing.amazonaws.com", "application-autoscaling.amazonaws.com",
                "ecs.application-autoscaling.amazonaws.com", "elasticfilesystem.amazonaws.com", "servicediscovery.amazonaws.com",
              ],
            },
          ],
        },
      ],
    });
    new IamRolePolicy(this, "deploy-iam-policy", { name: "manage-project-iam", role: this.deployRole.id, policy: deployIam.json });

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

    // Both roles use the state bucket and take the S3 lock file (use_lockfile).
    const statePrefix = `${props.stateBucketArn}/${PROJECT}-*`;
    const stateAccess = (readOnly: boolean) =>
      new DataAwsIamPolicyDocument(this, `${readOnly ? "plan" : "deploy"}-state`, {
        statement: [
          { sid: "ListStateBucket", actions: ["s3:ListBucket"], resources: [props.stateBucketArn] },
          { sid: "ReadState", actions: ["s3:GetObject"], resources: [statePrefix] },
          {
            sid: readOnly ? "TakeTheLockFile" : "WriteStateAndLock",
            actions: ["s3:PutObject", "s3:DeleteObject"],
            resources: [readOnly ? `${statePrefix}.tflock` : statePrefix],
          },
          {
            // The plan refreshes secret versions, which needs their values.
            sid: "ReadThisEnvironmentsSecretsForRefresh",
            actions: ["secretsmanager:GetSecretValue"],
            resources: [arn("secretsmanager", `secret:${PROJECT}/${env.name}/*`)],
          },
          {
            // The secrets are encrypted with the environment's key; reading them (refresh) needs it,
            // through Secrets Manager only.
            sid: "DecryptSecretsForRefresh",
            actions: ["kms:Decrypt"],
            resources: [arn("kms", "key/*")],
            condition: [
              { test: "StringEquals", variable: "kms:ViaService", values: [`secretsmanager.${env.region}.amazonaws.com`] },
              { test: "StringLike", variable: "kms:EncryptionContext:SecretARN", values: [arn("secretsmanager", `secret:${PROJECT}/${env.name}/*`)] },
            ],
          },
          {
            // Every plan opens the ephemeral random passwords of the secrets (src/runtime-config/secrets.ts).
            // GetRandomPassword has no resource type, so AWS accepts only "*" here; it reads nothing.
            sid: "GenerateEphemeralPasswords",
            actions: ["secretsmanager:GetRandomPassword"],
            resources: ["*"],
          },
        ],
      });
    new IamRolePolicy(this, "plan-state-policy", { name: "terraform-state", role: this.planRole.id, policy: stateAccess(true).json });
    new IamRolePolicy(this, "deploy-state-policy", { name: "terraform-state", role: this.deployRole.id, policy: stateAccess(false).json });
  }
}
