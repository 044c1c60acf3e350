/**
 * IAM-1..IAM-3: the access matrix. Every role of the synthesized stacks (CI roles of the bootstrap
 * stacks, task/execution/host/flow-log/snapshot roles of the environment stacks) is evaluated by an
 * IAM policy evaluator (`@cloud-copilot/iam-simulate`) over its real policies, trust policy and
 * permissions boundary: requests it must be allowed (what it needs to work) and requests it must be
 * denied (escalation, other projects' data, secrets it has no business with). Each row says why.
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { describe, expect, it } from "vitest";
import { PROJECT_DEFINITION, PRODUCTION, STAGING } from "../src/config/environments";
import type { EnvironmentDefinition } from "../src/config/types";
import {
  assume,
  boundariesOf,
  documentNameOf,
  evaluate,
  renderPolicy,
  rolesOf,
  type Decision,
  type EvaluatedRole,
  type PolicyJson,
  type Request,
} from "./support/iam-evaluator";
import { only, synthBootstrap, synthTracker } from "./support/synth";

const REPO = "glimpse-technology/tracker-infrastructure";
const ISSUER = "token.actions.githubusercontent.com";
const ALLOW: Decision = "Allowed";
const DENY = "denied" as const;
type Expect = typeof ALLOW | typeof DENY;

interface World {
  readonly env: EnvironmentDefinition;
  readonly other: EnvironmentDefinition;
  readonly ci: Map<string, EvaluatedRole>;
  readonly workload: Map<string, EvaluatedRole>;
  readonly boundary: PolicyJson;
  readonly boundaryArn: string;
  /** The environment key's key policy: KMS requires the key policy to allow, too. */
  readonly keyPolicy: PolicyJson;
}

function world(env: EnvironmentDefinition, other: EnvironmentDefinition): World {
  const bootstrap = synthBootstrap(env);
  const boundaries = boundariesOf(bootstrap, env);
  const tracker = synthTracker(env);
  const [, key] = only(tracker, "aws_kms_key");
  const boundaryArn = `arn:aws:iam::${env.accountId}:policy/tracker-${env.name}-workload-boundary`;
  return {
    env,
    other,
    ci: rolesOf(bootstrap, env, boundaries),
    workload: rolesOf(tracker, env, boundaries),
    keyPolicy: renderPolicy(tracker, env, documentNameOf(key.policy)),
    boundary: boundaries.get(boundaryArn)!,
    boundaryArn,
  };
}

const worlds = [world(STAGING, PRODUCTION), world(PRODUCTION, STAGING)];

function role(roles: Map<string, EvaluatedRole>, name: string): EvaluatedRole {
  const found = roles.get(name);
  if (!found) throw new Error(`no role ${name}; roles: ${[...roles.keys()].join(", ")}`);
  return found;
}

async function decide(w: World, r: EvaluatedRole, request: Request): Promise<Expect> {
  // A request on a key is evaluated with the key policy as well, as KMS does.
  const onKey = request.action.startsWith("kms:") && request.resource.includes(":key/");
  const decision = await evaluate(r, w.env.accountId, request, onKey ? w.keyPolicy : undefined);
  return decision === "Allowed" ? ALLOW : DENY;
}

/** A GitHub OIDC token's claims. */
const token = (sub: string) => ({ [`${ISSUER}:sub`]: sub, [`${ISSUER}:aud`]: "sts.amazonaws.com" });

describe.each(worlds)("$env.name", (w) => {
  const { env, other } = w;
  const A = env.accountId;
  const R = env.region;
  const E = env.name;
  const oidc = `arn:aws:iam::${A}:oidc-provider/${ISSUER}`;
  const arn = (service: string, resource: string) => `arn:aws:${service}:${R}:${A}:${resource}`;
  const iam = (resource: string) => `arn:aws:iam::${A}:${resource}`;
  const stateBucket = `arn:aws:s3:::tracker-terraform-state-${A}`;
  const ownSecret = arn("secretsmanager", `secret:tracker/${E}/postgres-password-AbCdEf`);
  const otherProjectsSecret = arn("secretsmanager", "secret:billing/prod/db-password-XyZ123");
  const viaSecretsManager = { "kms:ViaService": `secretsmanager.${R}.amazonaws.com`, "kms:EncryptionContext:SecretARN": ownSecret };
  const key = arn("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab");

  describe("IAM-3: who can assume the CI roles", () => {
    const deployFromMain = env.ci.deployFrom.includes("main-branch");
    // [role, subject, expected, why]
    const rows: [string, string, Expect, string][] = [
      ["ci-plan", `repo:${REPO}:pull_request`, ALLOW, "pull-request plans use the PR plan role"],
      ["ci-main-plan", `repo:${REPO}:pull_request`, DENY, "a pull request never gets the role that reads secrets"],
      ["ci-deploy", `repo:${REPO}:pull_request`, DENY, "a pull request never deploys"],
      ["ci-plan", `repo:${REPO}:ref:refs/heads/main`, DENY, "main-branch work uses its own roles"],
      ["ci-main-plan", `repo:${REPO}:ref:refs/heads/main`, ALLOW, "refreshing (drift) plans of main"],
      ["ci-main-plan", `repo:${REPO}:ref:refs/heads/feature`, DENY, "any other branch is a pull request's code"],
      ["ci-deploy", `repo:${REPO}:ref:refs/heads/main`, deployFromMain ? ALLOW : DENY, "staging deploys from main; production only from its environment"],
      ["ci-deploy", `repo:${REPO}:environment:${E}`, env.ci.deployFrom.includes("github-environment") ? ALLOW : DENY, "the approved GitHub environment"],
      ["ci-deploy", `repo:${REPO}:environment:${other.name}`, other.name === E ? ALLOW : DENY, "the other environment's approval does not count here"],
      ["ci-deploy", `repo:${REPO}:ref:refs/heads/feature`, DENY, "a feature branch never deploys"],
      ["ci-plan", "repo:someone-else/tracker-infrastructure:pull_request", DENY, "another repository gets nothing"],
      ["ci-deploy", "repo:glimpse-technology/other-repo:ref:refs/heads/main", DENY, "another repository of the organization gets nothing"],
      ["ci-deploy", `repo:${REPO}:*`, DENY, "a wildcard subject is only a string, never a pattern"],
      ["ci-image-push", `repo:${PROJECT_DEFINITION.applicationRepositories[0]}:ref:refs/heads/main`, ALLOW, "application repositories push images from main"],
      ["ci-image-push", `repo:${PROJECT_DEFINITION.applicationRepositories[0]}:pull_request`, DENY, "never from an application pull request"],
      ["ci-image-push", `repo:${REPO}:pull_request`, DENY, "this repository's pull requests push nothing"],
    ];
    it.each(rows)(`IAM-3: %s from %s -> %s (%s)`, (name, sub, expected) => {
      const decision = assume(role(w.ci, `tracker-${E}-${name}`), A, oidc, "sts:AssumeRoleWithWebIdentity", token(sub));
      expect(decision === "Allowed" ? ALLOW : DENY).toBe(expected);
    });

    it("IAM-3: a token for another audience is refused even with the right subject", () => {
      const claims = { ...token(`repo:${REPO}:pull_request`), [`${ISSUER}:aud`]: "https://example.com" };
      expect(assume(role(w.ci, `tracker-${E}-ci-plan`), A, oidc, "sts:AssumeRoleWithWebIdentity", claims)).not.toBe("Allowed");
    });

    it("IAM-1: the OIDC claims really reach the trust evaluation (the public simulator drops them)", async () => {
      const plan = role(w.ci, `tracker-${E}-ci-plan`);
      // The harness: the right subject is allowed and a wrong one denied, so the claim is compared.
      expect(assume(plan, A, oidc, "sts:AssumeRoleWithWebIdentity", token(`repo:${REPO}:pull_request`))).toBe("Allowed");
      expect(assume(plan, A, oidc, "sts:AssumeRoleWithWebIdentity", token(`repo:${REPO}:ref:refs/heads/main`))).toBe("ImplicitlyDenied");
      expect(assume(plan, A, oidc, "sts:AssumeRoleWithWebIdentity", {})).toBe("ImplicitlyDenied");
      // Why the harness does not use runSimulation for trust: it ignores GitHub's claims.
      const dropped = await runSimulation(
        {
          request: { principal: oidc, action: "sts:AssumeRoleWithWebIdentity", resource: { resource: plan.arn, accountId: A }, contextVariables: token(`repo:${REPO}:pull_request`) },
          identityPolicies: [],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy: plan.trust,
        },
        {},
      );
      expect(dropped.resultType === "single" && dropped.result.ignoredContextKeys).toEqual([`${ISSUER}:sub`, `${ISSUER}:aud`]);
    });
  });

  describe("IAM-1/IAM-3: the pull-request plan role", () => {
    // [action, resource, context, expected, why]
    const rows: [string, string, Record<string, string>, Expect, string][] = [
      ["s3:GetObject", `${stateBucket}/tracker-${E}/terraform.tfstate`, {}, ALLOW, "the plan reads the environment's state"],
      ["s3:GetObject", `${stateBucket}/tracker-${E}/terraform.tfstate.tflock`, {}, ALLOW, "and can see the lock"],
      ["s3:ListBucket", stateBucket, {}, ALLOW, "the backend lists the state bucket"],
      ["s3:PutObject", `${stateBucket}/tracker-${E}/terraform.tfstate`, {}, DENY, "a plan never writes state"],
      ["s3:PutObject", `${stateBucket}/tracker-${E}/terraform.tfstate.tflock`, {}, DENY, "PR plans run -lock=false: no lock write either"],
      ["s3:DeleteObject", `${stateBucket}/tracker-${E}/terraform.tfstate`, {}, DENY, "nor deletes it"],
      ["s3:GetObject", `arn:aws:s3:::tracker-terraform-state-${other.accountId}/tracker-${other.name}/terraform.tfstate`, {}, DENY, "the other environment's state"],
      ["s3:GetObject", "arn:aws:s3:::billing-exports/2024/invoices.csv", {}, DENY, "another project's object in the shared account"],
      ["secretsmanager:GetSecretValue", ownSecret, {}, DENY, "IAM-3: not even this environment's secrets"],
      ["secretsmanager:GetSecretValue", otherProjectsSecret, {}, DENY, "nor another project's"],
      ["kms:Decrypt", key, viaSecretsManager, DENY, "IAM-3: no decryption of a secret through Secrets Manager"],
      ["kms:Decrypt", key, { "kms:ViaService": `ssm.${R}.amazonaws.com` }, DENY, "nor of a SecureString parameter"],
      ["secretsmanager:DescribeSecret", ownSecret, {}, ALLOW, "refresh of aws_secretsmanager_secret (metadata only)"],
      ["secretsmanager:GetRandomPassword", "*", {}, ALLOW, "the ephemeral passwords are opened at every plan"],
      ["ssm:GetParameter", arn("ssm", `parameter/tracker/${E}/api-url`), {}, ALLOW, "refresh of this environment's parameters"],
      ["ssm:GetParameter", arn("ssm", "parameter/billing/prod/api-key"), {}, DENY, "another project's parameter"],
      ["ssm:GetParameter", `arn:aws:ssm:${R}::parameter/aws/service/debian/release/12/latest/arm64`, {}, ALLOW, "the AMI data source reads AWS's public parameter"],
      ["ec2:DescribeVpcs", "*", {}, ALLOW, "configuration reads for refresh"],
      ["ecs:DescribeServices", arn("ecs", `service/tracker-${E}-cluster/tracker-${E}-api`), {}, ALLOW, "the running image tags are read from ECS"],
      ["iam:GetRole", iam(`role/tracker-${E}-api-task`), {}, ALLOW, "refresh of the project's roles"],
      ["dynamodb:GetItem", arn("dynamodb", "table/billing-customers"), {}, DENY, "no data reads of other services"],
      ["dynamodb:Scan", arn("dynamodb", "table/billing-customers"), {}, DENY, "no data reads of other services"],
      ["logs:GetLogEvents", arn("logs", "log-group:/aws/lambda/billing:log-stream:x"), {}, DENY, "log contents are data"],
      ["ec2:RunInstances", arn("ec2", "instance/*"), {}, DENY, "a plan changes nothing"],
      ["iam:PutRolePolicy", iam(`role/tracker-${E}-ci-plan`), {}, DENY, "a plan cannot grant itself anything"],
    ];
    it.each(rows)(`IAM-3: %s on %s -> %s`, async (action, resource, context, expected) => {
      expect(await decide(w, role(w.ci, `tracker-${E}-ci-plan`), { action, resource, context })).toBe(expected);
    });
  });

  describe("IAM-1: the main-branch (refreshing) plan role", () => {
    const rows: [string, string, Record<string, string>, Expect, string][] = [
      ["s3:GetObject", `${stateBucket}/tracker-${E}/terraform.tfstate`, {}, ALLOW, "reads the state"],
      ["s3:PutObject", `${stateBucket}/tracker-${E}/terraform.tfstate`, {}, DENY, "a plan never writes state"],
      ["secretsmanager:GetSecretValue", ownSecret, {}, ALLOW, "refresh of the secret versions reads their values"],
      ["kms:Decrypt", key, viaSecretsManager, ALLOW, "through Secrets Manager, for this environment's secrets"],
      ["kms:Decrypt", key, {}, DENY, "never directly"],
      ["secretsmanager:GetSecretValue", otherProjectsSecret, {}, DENY, "never another project's secret"],
      ["secretsmanager:PutSecretValue", ownSecret, {}, DENY, "a plan writes nothing"],
    ];
    it.each(rows)(`IAM-1: %s on %s -> %s`, async (action, resource, context, expected) => {
      expect(await decide(w, role(w.ci, `tracker-${E}-ci-main-plan`), { action, resource, context })).toBe(expected);
    });
  });

  describe("IAM-1/IAM-2: the deploy role", () => {
    const boundary = { "iam:PermissionsBoundary": w.boundaryArn };
    const rows: [string, string, Record<string, string>, Expect, string][] = [
      ["s3:PutObject", `${stateBucket}/tracker-${E}/terraform.tfstate`, {}, ALLOW, "writes the state"],
      ["s3:PutObject", `${stateBucket}/tracker-${E}/terraform.tfstate.tflock`, {}, ALLOW, "and takes the lock"],
      ["s3:GetObject", `arn:aws:s3:::tracker-terraform-state-${other.accountId}/tracker-${other.name}/terraform.tfstate`, {}, DENY, "never the other environment's state"],
      ["secretsmanager:GetSecretValue", ownSecret, {}, ALLOW, "refresh of the secret versions"],
      ["secretsmanager:GetSecretValue", otherProjectsSecret, {}, DENY, "another project's secret in the shared account"],
      ["secretsmanager:DeleteSecret", otherProjectsSecret, {}, DENY, "nor deletes it"],
      ["s3:GetObject", "arn:aws:s3:::billing-exports/2024/invoices.csv", {}, DENY, "another project's object"],
      ["s3:DeleteBucket", "arn:aws:s3:::billing-exports", {}, DENY, "another project's bucket"],
      // IAM-2: escalation.
      ["iam:PutRolePolicy", iam(`role/tracker-${E}-ci-deploy`), boundary, DENY, "IAM-2: never its own policies, even naming the boundary"],
      ["iam:AttachRolePolicy", iam(`role/tracker-${E}-ci-deploy`), { ...boundary, "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" }, DENY, "IAM-2: no administrator for itself"],
      ["iam:UpdateAssumeRolePolicy", iam(`role/tracker-${E}-ci-plan`), {}, DENY, "IAM-2: never another CI role's trust"],
      ["iam:PutRolePolicy", iam(`role/tracker-${E}-ci-main-plan`), boundary, DENY, "IAM-2: never the main plan role's policies"],
      ["iam:DeleteRolePolicy", iam(`role/tracker-${E}-ci-image-push`), boundary, DENY, "IAM-2: never the image push role"],
      ["iam:DeleteRole", iam(`role/tracker-${E}-ci-plan`), {}, DENY, "IAM-2: never deletes a CI role"],
      ["iam:TagRole", iam(`role/tracker-${E}-ci-deploy`), {}, DENY, "IAM-2: nor retags one"],
      ["iam:CreateRole", iam(`role/tracker-${E}-escalate`), {}, DENY, "IAM-2: no role without the boundary"],
      ["iam:CreateRole", iam(`role/tracker-${E}-escalate`), { "iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess" }, DENY, "IAM-2: nor with another boundary"],
      ["iam:PutRolePolicy", iam(`role/tracker-${E}-api-task`), {}, DENY, "IAM-2: a role's policy only while it has the boundary"],
      ["iam:DeleteRolePermissionsBoundary", iam(`role/tracker-${E}-api-task`), {}, DENY, "IAM-2: never removes the boundary"],
      ["iam:CreatePolicyVersion", w.boundaryArn, {}, DENY, "IAM-2: never rewrites the boundary"],
      ["iam:DeletePolicy", w.boundaryArn, {}, DENY, "IAM-2: nor deletes it"],
      ["iam:CreatePolicy", iam(`policy/tracker-${E}-anything`), {}, DENY, "no customer-managed policies at all"],
      ["iam:CreateUser", iam("user/backdoor"), {}, DENY, "no users"],
      ["iam:CreateAccessKey", iam("user/admin"), {}, DENY, "no keys"],
      ["iam:PassRole", iam(`role/tracker-${E}-api-task`), { "iam:PassedToService": "ecs-tasks.amazonaws.com" }, ALLOW, "task roles to ECS"],
      ["iam:PassRole", iam(`role/tracker-${E}-api-task`), { "iam:PassedToService": "lambda.amazonaws.com" }, DENY, "not to a service the project does not use"],
      ["iam:PassRole", iam(`role/tracker-${E}-ci-deploy`), { "iam:PassedToService": "ec2.amazonaws.com" }, DENY, "IAM-2: never a CI role, to anyone"],
      ["iam:PassRole", iam("role/billing-admin"), { "iam:PassedToService": "ec2.amazonaws.com" }, DENY, "never another project's role"],
      ["iam:PutRolePolicy", iam("role/billing-admin"), boundary, DENY, "never another project's role"],
      // SHR-1: other projects' resources in the shared account.
      ["ec2:TerminateInstances", arn("ec2", "instance/i-0123456789abcdef0"), { "aws:ResourceTag/Project": "billing" }, DENY, "an instance tagged for another project"],
      ["ec2:TerminateInstances", arn("ec2", "instance/i-0123456789abcdef0"), { "aws:ResourceTag/Project": "tracker" }, ALLOW, "this project's host"],
      ["ec2:DeleteVolume", arn("ec2", "volume/vol-0123456789abcdef0"), { "aws:ResourceTag/Project": "billing" }, DENY, "another project's volume"],
      ["ec2:DeleteSecurityGroup", arn("ec2", "security-group/sg-0123456789abcdef0"), { "aws:ResourceTag/Project": "billing" }, DENY, "another project's security group"],
      ["kms:ScheduleKeyDeletion", key, { "aws:ResourceTag/Project": "billing" }, DENY, "another project's key"],
      ["kms:ScheduleKeyDeletion", key, { "aws:ResourceTag/Project": "tracker" }, ALLOW, "this project's key"],
      ["kms:CreateKey", "*", { "aws:RequestTag/Project": "billing" }, DENY, "keys are created for this project only"],
      ["elasticfilesystem:DeleteFileSystem", arn("elasticfilesystem", "file-system/fs-01234567"), { "aws:ResourceTag/Project": "billing" }, DENY, "another project's file system"],
      ["ecs:DeleteService", arn("ecs", "service/billing-cluster/billing-api"), {}, DENY, "another project's ECS service"],
      ["ecs:UpdateService", arn("ecs", `service/tracker-${E}-cluster/tracker-${E}-api`), {}, ALLOW, "rollback updates this environment's services"],
      ["logs:DeleteLogGroup", arn("logs", "log-group:/aws/lambda/billing"), {}, DENY, "another project's log group"],
      ["sns:DeleteTopic", arn("sns", "billing-alerts"), {}, DENY, "another project's topic"],
      ["ssm:DeleteParameter", arn("ssm", "parameter/billing/prod/api-url"), {}, DENY, "another project's parameter"],
      ["ecr:DeleteRepository", arn("ecr", "repository/billing/api"), {}, DENY, "another project's repository"],
      ["cloudwatch:DeleteAlarms", arn("cloudwatch", "alarm:billing-5xx"), {}, DENY, "another project's alarm"],
      ["events:DeleteRule", arn("events", "rule/billing-nightly"), {}, DENY, "another project's rule"],
      ["elasticloadbalancing:DeleteLoadBalancer", arn("elasticloadbalancing", "loadbalancer/app/billing-alb/0123456789abcdef"), {}, DENY, "another project's load balancer"],
      ["organizations:LeaveOrganization", "*", {}, DENY, "nothing outside the stacks' services"],
    ];
    it.each(rows)(`IAM-2: %s on %s -> %s`, async (action, resource, context, expected) => {
      expect(await decide(w, role(w.ci, `tracker-${E}-ci-deploy`), { action, resource, context })).toBe(expected);
    });
  });

  describe("CD-5: the image push role", () => {
    const rows: [string, string, Expect, string][] = [
      ["ecr:PutImage", arn("ecr", `repository/tracker-${E}/api`), ALLOW, "pushes this environment's images"],
      ["ecr:GetAuthorizationToken", "*", ALLOW, "logs in to ECR"],
      ["ecr:PutImage", arn("ecr", "repository/billing/api"), DENY, "never another project's repository"],
      ["ecr:DeleteRepository", arn("ecr", `repository/tracker-${E}/api`), DENY, "pushes, nothing else"],
      ["secretsmanager:GetSecretValue", ownSecret, DENY, "no secrets"],
      ["s3:GetObject", `${stateBucket}/tracker-${E}/terraform.tfstate`, DENY, "no state"],
    ];
    it.each(rows)(`IAM-1: %s on %s -> %s`, async (action, resource, expected) => {
      expect(await decide(w, role(w.ci, `tracker-${E}-ci-image-push`), { action, resource })).toBe(expected);
    });
  });
});
