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
  resolveAttribute,
  rolesOf,
  type EvaluatedRole,
  type PolicyJson,
  type Request,
} from "./support/iam-evaluator";
import { only, resources, synthBootstrap, synthTracker } from "./support/synth";

const REPO = "glimpse-technology/tracker-infrastructure";
const ISSUER = "token.actions.githubusercontent.com";
const ALLOW = "Allowed" as const;
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
  /** The environment key's ARN and the database host's, as the evaluator resolves their references. */
  readonly keyArn: string;
  readonly hostArn?: string;
}

function world(env: EnvironmentDefinition, other: EnvironmentDefinition): World {
  const bootstrap = synthBootstrap(env);
  const boundaries = boundariesOf(bootstrap, env);
  const tracker = synthTracker(env);
  const [keyName, key] = only(tracker, "aws_kms_key");
  const host = resources(tracker, "aws_instance").find(([name]) => name.startsWith("database-host"));
  const boundaryArn = `arn:aws:iam::${env.accountId}:policy/tracker-${env.name}-workload-boundary`;
  return {
    env,
    other,
    ci: rolesOf(bootstrap, env, boundaries),
    workload: rolesOf(tracker, env, boundaries),
    keyPolicy: renderPolicy(tracker, env, documentNameOf(key.policy)),
    boundary: boundaries.get(boundaryArn)!,
    boundaryArn,
    keyArn: resolveAttribute(tracker, env, `aws_kms_key.${keyName}.arn`),
    ...(host ? { hostArn: resolveAttribute(tracker, env, `aws_instance.${host[0]}.arn`) } : {}),
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

/** A policy that allows everything: next to it, only Denies and a boundary still decide. */
const EVERYTHING = { name: "everything", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } satisfies PolicyJson };

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
  // The resources the per-type tables below ask about, named as the stacks name them.
  const cluster = `tracker-${E}-cluster`;
  const alb = `app/tracker-${E}-alb/0123456789abcdef`;
  const bucket = `arn:aws:s3:::tracker-${E}-alb-logs-${A}`;
  const fileSystem = arn("elasticfilesystem", "file-system/fs-01234567");
  const webAcl = arn("wafv2", `regional/webacl/tracker-${E}-web-acl/0123abcd-0123-4567-89ab-0123456789ab`);
  const secret = (name: string) => arn("secretsmanager", `secret:tracker/${E}/${name}-AbCdEf`);
  // The request context of a role change that names the workload boundary.
  const boundary = { "iam:PermissionsBoundary": w.boundaryArn };

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
      ["scheduler:GetSchedule", arn("scheduler", `schedule/tracker-${E}-off-hours/tracker-${E}-db-host-start`), {}, ALLOW, "COST-2: refresh of the off-hours schedules"],
      ["scheduler:GetScheduleGroup", arn("scheduler", `schedule-group/tracker-${E}-off-hours`), {}, ALLOW, "and of their group"],
      ["scheduler:ListTagsForResource", arn("scheduler", `schedule-group/tracker-${E}-off-hours`), {}, ALLOW, "and of the group's tags"],
      ["scheduler:GetSchedule", arn("scheduler", "schedule/default/billing-nightly-export"), {}, DENY, "another project's schedule"],
      ["budgets:ViewBudget", `arn:aws:budgets::${A}:budget/tracker-${E}-monthly-cost`, {}, ALLOW, "COST-4: refresh of this environment's budget"],
      ["budgets:ViewBudget", `arn:aws:budgets::${A}:budget/billing-monthly`, {}, DENY, "another project's budget"],
      ["iam:GetInstanceProfile", iam(`instance-profile/tracker-${E}-db-host`), {}, ALLOW, "refresh of the project's instance profiles"],
      ["iam:GetPolicy", iam(`policy/tracker-${E}-workload-boundary`), {}, ALLOW, "and its managed policies (the workload boundary)"],
      ["iam:GetPolicy", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", {}, ALLOW, "and the AWS managed policies it attaches"],
      ["iam:GetOpenIDConnectProvider", iam("oidc-provider/token.actions.githubusercontent.com"), {}, ALLOW, "and GitHub's OIDC provider"],
      ["iam:GetPolicy", iam("policy/billing-admin"), {}, DENY, "not another project's policy"],
      ["s3:GetBucketPolicy", `arn:aws:s3:::tracker-${E}-alb-logs-${A}`, {}, ALLOW, "refresh of the access-log bucket's configuration"],
      ["s3:GetLifecycleConfiguration", `arn:aws:s3:::tracker-${E}-alb-logs-${A}`, {}, ALLOW, "and its lifecycle rules"],
      ["s3:GetBucketPolicy", "arn:aws:s3:::billing-exports", {}, DENY, "not another project's bucket"],
      ["dynamodb:GetItem", arn("dynamodb", "table/billing-customers"), {}, DENY, "no data reads of other services"],
      ["dynamodb:Scan", arn("dynamodb", "table/billing-customers"), {}, DENY, "no data reads of other services"],
      ["logs:GetLogEvents", arn("logs", "log-group:/aws/lambda/billing:log-stream:x"), {}, DENY, "log contents are data"],
      ["ec2:RunInstances", arn("ec2", "instance/*"), {}, DENY, "a plan changes nothing"],
      ["iam:PutRolePolicy", iam(`role/tracker-${E}-ci-plan`), {}, DENY, "a plan cannot grant itself anything"],
    ];
    it.each(rows)(`IAM-3: %s on %s -> %s`, async (action, resource, context, expected) => {
      expect(await decide(w, role(w.ci, `tracker-${E}-ci-plan`), { action, resource, context })).toBe(expected);
    });

    it("IAM-3: secret values are denied explicitly (a grant added later cannot open them), not merely left out", async () => {
      const plan = role(w.ci, `tracker-${E}-ci-plan`);
      // (BatchGetSecretValue has no resource-level permissions: AWS evaluates it on "*".)
      for (const [action, resource] of [["secretsmanager:GetSecretValue", ownSecret], ["secretsmanager:BatchGetSecretValue", "*"]] as const) {
        expect(await evaluate(plan, A, { action, resource, context: {} }), action).toBe("ExplicitlyDenied");
      }
      expect(await evaluate(plan, A, { action: "kms:Decrypt", resource: key, context: viaSecretsManager }, w.keyPolicy)).toBe("ExplicitlyDenied");
      // SecureString parameters are secrets too.
      expect(await evaluate(plan, A, { action: "kms:Decrypt", resource: key, context: { "kms:ViaService": `ssm.${R}.amazonaws.com` } }, w.keyPolicy)).toBe("ExplicitlyDenied");
      // The Denies name those two paths only: a decryption through another service is merely not granted.
      expect(await evaluate(plan, A, { action: "kms:Decrypt", resource: key, context: { "kms:ViaService": `ec2.${R}.amazonaws.com` } }, w.keyPolicy)).toBe("ImplicitlyDenied");
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
    const rows: [string, string, Record<string, string>, Expect, string][] = [
      ["s3:PutObject", `${stateBucket}/tracker-${E}/terraform.tfstate`, {}, ALLOW, "writes the state"],
      ["s3:PutObject", `${stateBucket}/tracker-${E}/terraform.tfstate.tflock`, {}, ALLOW, "and takes the lock"],
      ["s3:GetObject", `arn:aws:s3:::tracker-terraform-state-${other.accountId}/tracker-${other.name}/terraform.tfstate`, {}, DENY, "never the other environment's state"],
      ["secretsmanager:GetSecretValue", ownSecret, {}, ALLOW, "refresh of the secret versions"],
      ["secretsmanager:GetSecretValue", otherProjectsSecret, {}, DENY, "another project's secret in the shared account"],
      ["secretsmanager:DeleteSecret", otherProjectsSecret, {}, DENY, "nor deletes it"],
      ["s3:GetObject", "arn:aws:s3:::billing-exports/2024/invoices.csv", {}, DENY, "another project's object"],
      ["s3:DeleteBucket", "arn:aws:s3:::billing-exports", {}, DENY, "another project's bucket"],
      ["kms:CreateKey", "*", {}, DENY, "SHR-1: a key is created only tagged Project=tracker (so that it is ours to manage later)"],
      ["kms:ScheduleKeyDeletion", key, {}, DENY, "SHR-1: an untagged key (another project's, in the shared account) is never deleted"],
      ["kms:ScheduleKeyDeletion", key, { "aws:ResourceTag/Project": "tracker" }, ALLOW, "this project's keys are"],
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
      ["iam:PassRole", iam(`role/tracker-${E}-off-hours-scheduler`), { "iam:PassedToService": "scheduler.amazonaws.com" }, ALLOW, "COST-2: the scheduler role to EventBridge Scheduler"],
      ["scheduler:CreateSchedule", arn("scheduler", "schedule/billing-nightly/billing-export"), {}, DENY, "COST-2: never another project's schedule"],
      ["scheduler:DeleteScheduleGroup", arn("scheduler", "schedule-group/default"), {}, DENY, "COST-2: nor the account's default group"],
      ["scheduler:UpdateSchedule", arn("scheduler", `schedule/tracker-${other.name}-off-hours/tracker-${other.name}-db-host-start`), {}, DENY, "COST-2: nor the other environment's"],
      ["iam:PassRole", iam(`role/tracker-${E}-api-traffic-shift`), { "iam:PassedToService": "ecs.amazonaws.com" }, ALLOW, "DLV-1: the canary's traffic-shift role to ECS itself"],
      ["iam:PassRole", iam(`role/tracker-${E}-admin-traffic-shift`), { "iam:PassedToService": "ecs.amazonaws.com" }, ALLOW, "DLV-1: each public service's"],
      ["iam:PassRole", iam(`role/tracker-${E}-api-task`), { "iam:PassedToService": "ecs.amazonaws.com" }, DENY, "DLV-1: only the traffic-shift roles go to ECS itself, not a task role"],
      ["iam:PassRole", iam(`role/tracker-${E}-db-host`), { "iam:PassedToService": "ecs.amazonaws.com" }, DENY, "DLV-1: nor the host's role"],
      ["iam:PassRole", iam("role/billing-api-traffic-shift"), { "iam:PassedToService": "ecs.amazonaws.com" }, DENY, "DLV-1: never another project's role"],
      ["iam:PassRole", iam(`role/tracker-${E}-api-traffic-shift`), { "iam:PassedToService": "lambda.amazonaws.com" }, DENY, "DLV-1: the traffic-shift roles go to ECS, not to a service the project does not use"],
      ["iam:CreateServiceLinkedRole", iam("role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"), { "iam:AWSServiceName": "ecs.amazonaws.com" }, ALLOW, "ECS's service-linked role, created on first use in a new account"],
      ["iam:CreateServiceLinkedRole", iam("role/aws-service-role/elasticfilesystem.amazonaws.com/AWSServiceRoleForAmazonElasticFileSystem"), { "iam:AWSServiceName": "elasticfilesystem.amazonaws.com" }, ALLOW, "EFS's"],
      ["iam:CreateServiceLinkedRole", iam("role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS"), { "iam:AWSServiceName": "rds.amazonaws.com" }, DENY, "not for a service the project does not use"],
      ["iam:CreateRole", iam(`role/tracker-${E}-api-traffic-shift`), boundary, ALLOW, "DLV-1: creates the traffic-shift role with the boundary"],
      ["iam:PutRolePolicy", iam(`role/tracker-${E}-api-traffic-shift`), boundary, ALLOW, "DLV-1: and writes its policy"],
      ["elasticloadbalancing:CreateTargetGroup", arn("elasticloadbalancing", `targetgroup/tracker-${E}-api-alt-0a1b/0123456789abcdef`), {}, ALLOW, "DLV-1: the alternate target group"],
      ["elasticloadbalancing:ModifyRule", arn("elasticloadbalancing", `listener-rule/app/tracker-${E}-alb/0123456789abcdef/0123456789abcdef/0123456789abcdef`), {}, ALLOW, "DLV-1: the weighted production rules"],
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
      ["ecs:StopServiceDeployment", arn("ecs", `service-deployment/tracker-${E}-cluster/tracker-${E}-api/abc123`), {}, ALLOW, "DLV-1: rollback stops a canary in progress"],
      ["ecs:StopServiceDeployment", arn("ecs", "service-deployment/billing-cluster/billing-api/abc123"), {}, DENY, "DLV-1: never another project's deployment"],
      ["ecs:ListServiceDeployments", arn("ecs", `service/tracker-${E}-cluster/tracker-${E}-api`), {}, ALLOW, "DLV-1: and finds it first"],
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

  describe("IAM-2 / SHR-1: the deploy role's guards deny on their own, whatever its grants become", () => {
    // The deploy role's Deny statements next to an Allow of everything: each guard must deny
    // explicitly, so that a grant added later cannot open what it closes, and must deny nothing the
    // deploy needs. (With the real grants most of these requests are also simply not granted.)
    const deploy = role(w.ci, `tracker-${E}-ci-deploy`);
    const guarded: EvaluatedRole = { ...deploy, policies: [...deploy.policies.filter((p) => p.name === "deploy-guards"), EVERYTHING] };
    const otherBoundary = { "iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess" };
    const X = "ExplicitlyDenied" as const;
    const ciRoleChanges = [
      "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy",
      "iam:UpdateAssumeRolePolicy", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription",
      "iam:TagRole", "iam:UntagRole", "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary",
      "iam:CreateRole", "iam:PassRole",
    ];
    const boundaryChanges = ["iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy", "iam:TagPolicy", "iam:UntagPolicy"];
    // [action, resource, context, expected, why]
    const rows: [string, string, Record<string, string>, "Allowed" | typeof X, string][] = [
      ...["ci-plan", "ci-main-plan", "ci-deploy", "ci-image-push"].flatMap((ci) =>
        // (IAM's reference gives TagRole, UntagRole and PassRole no iam:PermissionsBoundary key.)
        ciRoleChanges.map((action): [string, string, Record<string, string>, typeof X, string] => [
          action, iam(`role/tracker-${E}-${ci}`), ["iam:TagRole", "iam:UntagRole", "iam:PassRole"].includes(action) ? {} : boundary, X,
          `never changes the CI role ${ci}, even naming the boundary`,
        ]),
      ),
      ...boundaryChanges.map((action): [string, string, Record<string, string>, typeof X, string] => [action, w.boundaryArn, {}, X, "never changes the boundary"]),
      ["iam:GetPolicy", w.boundaryArn, {}, ALLOW, "but reads it, as a refresh does"],
      ["iam:DeleteRolePermissionsBoundary", iam(`role/tracker-${E}-api-task`), {}, X, "never takes the boundary off a role of its own"],
      ["iam:CreateRole", iam(`role/tracker-${E}-escalate`), {}, X, "no role without the boundary"],
      ["iam:CreateRole", iam(`role/tracker-${E}-escalate`), otherBoundary, X, "nor with another boundary"],
      ["iam:PutRolePermissionsBoundary", iam(`role/tracker-${E}-api-task`), otherBoundary, X, "nor swaps it for another"],
      ["iam:CreateRole", iam(`role/tracker-${E}-api-traffic-shift`), boundary, ALLOW, "a role of its own with the boundary"],
      ["iam:PutRolePolicy", iam(`role/tracker-${E}-api-task`), boundary, ALLOW, "and its policy"],
      ["iam:PassRole", iam(`role/tracker-${E}-api-task`), { "iam:PassedToService": "ecs-tasks.amazonaws.com" }, ALLOW, "and passes it"],
      ["ec2:TerminateInstances", arn("ec2", "instance/i-0123456789abcdef0"), { "aws:ResourceTag/Project": "billing" }, X, "SHR-1: never touches a resource tagged for another project"],
      ["ec2:TerminateInstances", arn("ec2", "instance/i-0123456789abcdef0"), { "aws:ResourceTag/Project": "tracker" }, ALLOW, "this project's"],
      ["ec2:TerminateInstances", arn("ec2", "instance/i-0123456789abcdef0"), {}, ALLOW, "an untagged resource is left to the grants' scoping"],
      ["kms:CreateKey", "*", { "aws:RequestTag/Project": "billing" }, X, "SHR-1: never tags anything for another project"],
      ["kms:CreateKey", "*", { "aws:RequestTag/Project": "tracker" }, ALLOW, "tags for this project"],
      ["kms:CreateKey", "*", {}, ALLOW, "a request without the tag is left to the grants"],
    ];
    it.each(rows)(`IAM-2: %s on %s -> %s`, async (action, resource, context, expected) => {
      expect(await evaluate(guarded, A, { action, resource, context })).toBe(expected);
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

  describe("IAM-1: the environment's own roles", () => {
    const workload = (suffix: string) => role(w.workload, `tracker-${E}-${suffix}`);
    const parameter = (name: string) => arn("ssm", `parameter/tracker/${E}/${name}`);

    it("IAM-2: every role of the environment stack carries the workload boundary", () => {
      expect([...w.workload.values()].filter((r) => r.boundary === undefined).map((r) => r.name)).toEqual([]);
      expect(w.workload.size).toBeGreaterThanOrEqual(16);
    });

    it("IAM-2: the boundary caps, it does not cut: every grant of every role passes it", async () => {
      const refused: string[] = [];
      for (const r of w.workload.values()) {
        for (const { policy } of r.policies) {
          for (const st of policy.Statement.filter((x) => x.Effect === "Allow")) {
            // The conditions of a grant are the caller's business; the boundary must allow the action on the resource.
            const actions = [st.Action].flat() as string[];
            const targets = ([st.Resource].flat() as string[]).map((x) => x.replace(/(log-group:[^:]+):\*$/, "$1:log-stream:example").replace(/\*$/, "example"));
            for (const action of actions.filter((a) => !a.includes("*"))) {
              let evaluated = 0;
              for (const resource of targets) {
                const capped = { ...r, policies: [{ name: "all", policy: { Version: "2012-10-17" as const, Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] } }] };
                // A grant may list resource types an action does not act on (a log group's ARN
                // with and without ":*"): the simulator refuses those pairs, the others are checked.
                // An action AWS authorizes only on "*" is checked on "*".
                const keyPolicy = resource.includes(":key/") ? w.keyPolicy : undefined;
                const decision = await evaluate(capped, A, { action, resource: resource === "example" ? "*" : resource }, keyPolicy).catch((e: Error) => {
                  if (e.message.includes("no.resource.types")) return undefined;
                  if (e.message.includes("must.use.wildcard")) return evaluate(capped, A, { action, resource: "*" });
                  throw e;
                });
                if (decision === undefined) continue;
                evaluated += 1;
                if (decision !== "Allowed") refused.push(`${r.name} ${action} ${resource}`);
              }
              if (evaluated === 0) refused.push(`${r.name} ${action}: no resource of the grant could be evaluated`);
            }
          }
        }
      }
      expect(refused).toEqual([]);
    });

    describe("IAM-2: what the boundary caps, whatever a role of the stack is granted", () => {
      // A role granted everything, with the boundary: what is left is the boundary's own reach.
      const capped: EvaluatedRole = {
        name: "capped",
        arn: iam(`role/tracker-${E}-capped`),
        trust: { Version: "2012-10-17", Statement: [] },
        policies: [EVERYTHING],
        boundary: w.boundary,
      };
      const otherEnvironment = (service: string, resource: string) => `arn:aws:${service}:${R}:${other.accountId}:${resource}`;
      // [action, resource, expected, why]
      const rows: [string, string, Expect, string][] = [
        ["iam:CreateRole", iam(`role/tracker-${E}-x`), DENY, "no IAM at all"],
        ["iam:PassRole", iam(`role/tracker-${E}-ci-deploy`), DENY, "nor passes a role"],
        ["organizations:LeaveOrganization", "*", DENY, "no Organizations"],
        ["s3:GetObject", `${stateBucket}/tracker-${E}/terraform.tfstate`, DENY, "no Terraform state"],
        ["secretsmanager:GetSecretValue", secret("secret-key"), ALLOW, "this environment's secrets"],
        ["secretsmanager:GetSecretValue", otherProjectsSecret, DENY, "never another project's"],
        ["secretsmanager:GetSecretValue", otherEnvironment("secretsmanager", `secret:tracker/${other.name}/secret-key-AbCdEf`), DENY, "nor the other environment's"],
        ["secretsmanager:PutSecretValue", secret("secret-key"), DENY, "reads a secret, never writes one"],
        ["ssm:GetParameter", parameter("postgres-host"), ALLOW, "this environment's parameters"],
        ["ssm:GetParameter", arn("ssm", "parameter/billing/prod/api-key"), DENY, "never another project's"],
        ["ssm:GetParameter", arn("ssm", `parameter/tracker/${other.name}/postgres-host`), DENY, "nor one under the other environment's name"],
        ["ec2:StartInstances", arn("ec2", "instance/i-0123456789abcdef0"), ALLOW, "COST-2: the scheduler starts the host"],
        ["ec2:TerminateInstances", arn("ec2", "instance/i-0123456789abcdef0"), DENY, "but nothing ends an instance"],
        ["ec2:StartInstances", `arn:aws:ec2:us-east-1:${A}:instance/i-0123456789abcdef0`, DENY, "and only in the environment's region"],
        ["cloudwatch:DisableAlarmActions", arn("cloudwatch", `alarm:tracker-${E}-db-host-status-check`), ALLOW, "COST-2: quiets this environment's alarms"],
        ["cloudwatch:DisableAlarmActions", arn("cloudwatch", "alarm:billing-5xx"), DENY, "never another project's"],
        ["elasticloadbalancing:ModifyRule", arn("elasticloadbalancing", `listener-rule/app/tracker-${E}-alb/0123456789abcdef/0123456789abcdef/0123456789abcdef`), ALLOW, "DLV-1: shifts this load balancer's traffic"],
        ["elasticloadbalancing:ModifyRule", arn("elasticloadbalancing", "listener-rule/app/billing-alb/0123456789abcdef/0123456789abcdef/0123456789abcdef"), DENY, "never another project's"],
        ["elasticloadbalancing:RegisterTargets", arn("elasticloadbalancing", `targetgroup/tracker-${E}-api-alt-0a1b/0123456789abcdef`), ALLOW, "DLV-1: registers tasks in its target groups"],
        ["elasticloadbalancing:RegisterTargets", arn("elasticloadbalancing", "targetgroup/billing-api/0123456789abcdef"), DENY, "never another project's"],
        ["events:PutRule", arn("events", "rule/AwsDataLifecycleRule.managed-cwe.0123456789abcdef"), ALLOW, "Data Lifecycle Manager's own event rules"],
        ["events:PutRule", arn("events", "rule/billing-nightly"), DENY, "no other rule"],
      ];
      it.each(rows)(`IAM-2: %s on %s -> %s`, async (action, resource, expected) => {
        expect(await decide(w, capped, { action, resource })).toBe(expected);
      });
    });

    // [role, action, resource, context, expected, why]
    const rows: [string, string, string, Record<string, string>, Expect, string][] = [
      ["api-execution", "secretsmanager:GetSecretValue", secret("secret-key"), {}, ALLOW, "the API's container gets its signing key at start"],
      ["api-execution", "ssm:GetParameters", parameter("postgres-host"), {}, ALLOW, "and its parameters"],
      ["api-execution", "ecr:BatchGetImage", arn("ecr", `repository/tracker-${E}/api`), {}, ALLOW, "pulls its own image"],
      ["api-execution", "ecr:BatchGetImage", arn("ecr", "repository/billing/api"), {}, DENY, "never another project's image"],
      ["api-execution", "ecr:GetAuthorizationToken", "*", {}, ALLOW, "ECS logs in to ECR for the API's image"],
      ["api-execution", "ecr:GetDownloadUrlForLayer", arn("ecr", `repository/tracker-${E}/api`), {}, ALLOW, "downloads its image's layers (CannotPullContainerError without)"],
      ["api-execution", "ecr:BatchCheckLayerAvailability", arn("ecr", `repository/tracker-${E}/api`), {}, ALLOW, "checks its layers"],
      ["api-execution", "logs:CreateLogStream", arn("logs", `log-group:/ecs/tracker-${E}/api:log-stream:api/api/0123456789abcdef`), {}, ALLOW, "awslogs opens the task's stream in the API's log group"],
      ["api-execution", "logs:PutLogEvents", arn("logs", `log-group:/ecs/tracker-${E}/api:log-stream:api/api/0123456789abcdef`), {}, ALLOW, "and writes the container's output"],
      ["api-execution", "logs:PutLogEvents", arn("logs", `log-group:/ecs/tracker-${E}/frontend:log-stream:frontend/frontend/0123`), {}, DENY, "never into another service's log group"],
      ["frontend-execution", "secretsmanager:GetSecretValue", secret("postgres-password"), {}, DENY, "the frontend gets no database password"],
      ["frontend-execution", "secretsmanager:GetSecretValue", secret("secret-key"), {}, DENY, "nor the API's signing key"],
      ["anisette-execution", "secretsmanager:GetSecretValue", secret("redis-password"), {}, DENY, "anisette uses no secret"],
      ["api-execution", "secretsmanager:GetSecretValue", otherProjectsSecret, {}, DENY, "another project's secret"],
      ["api-execution", "secretsmanager:GetSecretValue", `arn:aws:secretsmanager:${R}:${other.accountId}:secret:tracker/${other.name}/secret-key-AbCdEf`, {}, DENY, "the other environment's secret"],
      ["api-task", "iam:PassRole", iam(`role/tracker-${E}-ci-deploy`), { "iam:PassedToService": "ecs-tasks.amazonaws.com" }, DENY, "IAM-2: a task role can do nothing with IAM"],
      ["api-task", "s3:GetObject", `${stateBucket}/tracker-${E}/terraform.tfstate`, {}, DENY, "the state is not the application's"],
      ["anisette-task", "elasticfilesystem:ClientWrite", arn("elasticfilesystem", "file-system/fs-01234567"), {}, DENY, "EFS only through its own file system (the stack's ARN, not any)"],
      ["flow-logs", "logs:PutLogEvents", arn("logs", `log-group:/vpc/tracker-${E}-flow-logs:log-stream:eni-1`), {}, ALLOW, "flow logs write their log group"],
      ["flow-logs", "logs:PutLogEvents", arn("logs", "log-group:/aws/lambda/billing:log-stream:x"), {}, DENY, "and no other"],
      ["flow-logs", "secretsmanager:GetSecretValue", secret("secret-key"), {}, DENY, "flow logs read no secret"],
    ];
    if (env.dataPlane.mode !== "external") {
      rows.push(
        ["db-host", "secretsmanager:GetSecretValue", secret("postgres-password"), {}, ALLOW, "the host sets PostgreSQL's password"],
        ["db-host", "secretsmanager:GetSecretValue", secret("secret-key"), {}, DENY, "but never the API's signing key"],
        ["db-host", "ssm:GetParameter", arn("ssm", "parameter/billing/prod/api-key"), {}, DENY, "IAM-2: the boundary cuts AmazonSSMManagedInstanceCore's account-wide parameter reads"],
        ["db-host", "ssm:UpdateInstanceInformation", "*", {}, ALLOW, "Session Manager registers the host"],
        ["db-host", "iam:CreateRole", iam(`role/tracker-${E}-x`), {}, DENY, "the host cannot create roles"],
        // DLM: minimal rows (its KMS grants may change with SHR work).
        ["db-snapshots", "ec2:CreateSnapshot", arn("ec2", "volume/vol-0123456789abcdef0"), {}, ALLOW, "DLM snapshots the data volume"],
        ["db-snapshots", "ec2:TerminateInstances", arn("ec2", "instance/i-0123456789abcdef0"), {}, DENY, "and does nothing else to instances"],
        ["db-snapshots", "secretsmanager:GetSecretValue", secret("postgres-password"), {}, DENY, "nor reads secrets"],
      );
    }
    if (env.ecsExec) {
      const session = arn("logs", `log-group:/ecs/tracker-${E}-cluster/exec:log-stream:ecs-execute-command-0123456789abcdef`);
      rows.push(
        ["api-task", "ssmmessages:CreateControlChannel", "*", {}, ALLOW, "ECS-9: the Exec agent opens its control channel"],
        ["api-task", "ssmmessages:OpenDataChannel", "*", {}, ALLOW, "ECS-9: and the session's data channel"],
        ["api-task", "logs:CreateLogStream", session, {}, ALLOW, "ECS-9: the session is logged to the cluster's Exec log group"],
        ["api-task", "logs:PutLogEvents", session, {}, ALLOW, "ECS-9: line by line"],
        ["api-task", "logs:DescribeLogStreams", session, {}, ALLOW, "ECS-9: the agent finds its stream"],
        ["api-task", "logs:DescribeLogGroups", "*", {}, ALLOW, "ECS-9: and checks that the group is encrypted before it starts a session"],
        ["api-task", "kms:Decrypt", w.keyArn, {}, ALLOW, "ECS-9: the session's data channel is encrypted with the environment key"],
        ["api-task", "logs:PutLogEvents", arn("logs", `log-group:/ecs/tracker-${E}/api:log-stream:api/api/0123`), {}, DENY, "ECS-9: a task cannot write into its service log as if it were ECS"],
      );
    }
    if (env.schedule.enabled && env.dataPlane.mode === "host") {
      const host = w.hostArn!;
      const ec2 = { "kms:ViaService": `ec2.${R}.amazonaws.com`, "kms:GrantIsForAWSResource": "true" };
      rows.push(
        ["off-hours-scheduler", "ec2:StartInstances", host, {}, ALLOW, "COST-2: starts the database host in the morning"],
        ["off-hours-scheduler", "ec2:StopInstances", host, {}, ALLOW, "COST-2: and stops it at night"],
        ["off-hours-scheduler", "ec2:StartInstances", arn("ec2", "instance/i-0123456789abcdef0"), {}, DENY, "COST-2: no other instance (another project's in the shared account)"],
        ["off-hours-scheduler", "ec2:StopInstances", arn("ec2", "instance/i-0123456789abcdef0"), {}, DENY, "COST-2: nor stops one"],
        ["off-hours-scheduler", "ec2:TerminateInstances", host, {}, DENY, "COST-2: never terminates the host"],
        ["off-hours-scheduler", "kms:CreateGrant", w.keyArn, ec2, ALLOW, "COST-2: EC2 grants itself the key of the encrypted volumes at start"],
        ["off-hours-scheduler", "kms:CreateGrant", w.keyArn, { "kms:ViaService": `ec2.${R}.amazonaws.com` }, DENY, "COST-2: only a grant for an AWS resource"],
        ["off-hours-scheduler", "cloudwatch:DisableAlarmActions", arn("cloudwatch", `alarm:tracker-${E}-db-host-postgres-down`), {}, ALLOW, "COST-2: quiets the host probe's alarm at night"],
        ["off-hours-scheduler", "cloudwatch:EnableAlarmActions", arn("cloudwatch", `alarm:tracker-${E}-api-no-healthy-targets`), {}, ALLOW, "COST-2: and wakes the alarms in the morning"],
        ["off-hours-scheduler", "cloudwatch:DisableAlarmActions", arn("cloudwatch", `alarm:tracker-${E}-api-task-failures`), {}, DENY, "COST-2: never a failure alarm that must stay on"],
        ["off-hours-scheduler", "cloudwatch:DisableAlarmActions", arn("cloudwatch", "alarm:billing-5xx"), {}, DENY, "COST-2: nor another project's alarm"],
        ["off-hours-scheduler", "secretsmanager:GetSecretValue", secret("postgres-password"), {}, DENY, "COST-2: reads no secret"],
      );
    }
    it.each(rows)(`IAM-1: %s %s on %s -> %s`, async (name, action, resource, context, expected) => {
      expect(await decide(w, workload(name), { action, resource, context })).toBe(expected);
    });

    // [role, service principal, expected, why]
    const trust: [string, string, string, Expect, string][] = [
      ["api-execution", "ecs-tasks.amazonaws.com", A, ALLOW, "ECS starts the API's tasks"],
      ["api-execution", "ecs-tasks.amazonaws.com", "111122223333", DENY, "confused deputy: ECS acting for another account"],
      ["api-task", "ec2.amazonaws.com", A, DENY, "a task role is for ECS tasks only"],
      ["flow-logs", "vpc-flow-logs.amazonaws.com", A, ALLOW, "VPC flow logs deliver with it"],
      ["flow-logs", "vpc-flow-logs.amazonaws.com", "111122223333", DENY, "for this account only"],
      ...(env.dataPlane.mode !== "external"
        ? ([
            ["db-host", "ec2.amazonaws.com", A, ALLOW, "the host's instance profile"],
            ["db-snapshots", "dlm.amazonaws.com", A, ALLOW, "Data Lifecycle Manager takes the snapshots"],
            ["db-snapshots", "ecs-tasks.amazonaws.com", A, DENY, "nothing else assumes the snapshot role"],
          ] as [string, string, string, Expect, string][])
        : []),
      ...(env.schedule.enabled
        ? ([
            ["off-hours-scheduler", "scheduler.amazonaws.com", A, ALLOW, "COST-2: EventBridge Scheduler acts with it"],
            ["off-hours-scheduler", "scheduler.amazonaws.com", "111122223333", DENY, "COST-2: for this account's schedules only"],
            ["off-hours-scheduler", "events.amazonaws.com", A, DENY, "COST-2: no other service"],
          ] as [string, string, string, Expect, string][])
        : []),
    ];
    it.each(trust)("IAM-1: %s assumed by %s for %s -> %s", (name, principal, sourceAccount, expected) => {
      const decision = assume(workload(name), A, principal, "sts:AssumeRole", { "aws:SourceAccount": sourceAccount });
      expect(decision === "Allowed" ? ALLOW : DENY).toBe(expected);
    });
  });

  describe("DLV-1: the traffic-shift roles ECS assumes during a canary", () => {
    const tracker = synthTracker(env);
    /** The ARN (as the evaluator builds it) of the resource of a type whose properties match. */
    const arnOf = (type: string, where: (r: Record<string, any>) => boolean) => {
      const found = resources(tracker, type).filter(([, r]) => where(r));
      if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
      return resolveAttribute(tracker, env, `${type}.${found[0]![0]}.arn`);
    };
    const hostRule = (service: "api" | "frontend" | "admin") =>
      arnOf("aws_lb_listener_rule", (r) => JSON.stringify(r["condition"]).includes(`"${env.dns.hostnames[service]}"`) && r["action"][0]["type"] === "forward");
    const group = (component: string) => arnOf("aws_lb_target_group", (g) => g["tags"]["Name"] === `tracker-${E}-${component}`);
    const https = arnOf("aws_lb_listener", (l) => l["port"] === 443);
    const http = arnOf("aws_lb_listener", (l) => l["port"] === 80);
    const otherProjectsRule = arn("elasticloadbalancing", "listener-rule/app/billing-alb/0123456789abcdef/0123456789abcdef/0123456789abcdef");
    const otherProjectsGroup = arn("elasticloadbalancing", "targetgroup/billing-api/0123456789abcdef");
    const shifter = (service: string) => role(w.workload, `tracker-${E}-${service}-traffic-shift`);

    // [role's service, action, resource, expected, why]
    const rows: [string, string, () => string, Expect, string][] = [
      ["api", "elasticloadbalancing:ModifyRule", () => hostRule("api"), ALLOW, "shifts the weights of the API's production rule"],
      ["api", "elasticloadbalancing:ModifyRule", () => hostRule("frontend"), DENY, "never another service's rule"],
      ["api", "elasticloadbalancing:ModifyRule", () => otherProjectsRule, DENY, "never another project's rule in the shared account"],
      ["api", "elasticloadbalancing:RegisterTargets", () => group("api"), ALLOW, "registers tasks in its primary group"],
      ["api", "elasticloadbalancing:RegisterTargets", () => group("api-alt"), ALLOW, "and in its alternate group"],
      ["api", "elasticloadbalancing:DeregisterTargets", () => group("api-alt"), ALLOW, "and deregisters the old revision's"],
      ["api", "elasticloadbalancing:RegisterTargets", () => group("admin"), DENY, "never another service's group"],
      ["api", "elasticloadbalancing:DeregisterTargets", () => otherProjectsGroup, DENY, "never another project's group"],
      ["api", "elasticloadbalancing:ModifyListener", () => https, ALLOW, "the HTTPS listener that holds its rule"],
      ["api", "elasticloadbalancing:ModifyListener", () => http, DENY, "not the HTTP redirect listener"],
      ["api", "elasticloadbalancing:DescribeRules", () => "*", ALLOW, "reads the rules (no resource-level permissions)"],
      ["api", "elasticloadbalancing:DeleteRule", () => hostRule("api"), DENY, "changes weights, deletes nothing"],
      ["api", "elasticloadbalancing:DeleteLoadBalancer", () => arnOf("aws_lb", () => true), DENY, "nor the load balancer"],
      ["api", "secretsmanager:GetSecretValue", () => arn("secretsmanager", `secret:tracker/${E}/secret-key-AbCdEf`), DENY, "reads no secret"],
      ["admin", "elasticloadbalancing:ModifyRule", () => hostRule("admin"), ALLOW, "the admin panel's own rule"],
      ["frontend", "elasticloadbalancing:RegisterTargets", () => group("frontend-alt"), ALLOW, "the frontend's alternate group"],
    ];
    it.each(rows)("DLV-1: %s-traffic-shift %s -> %s (%s)", async (service, action, resource, expected) => {
      expect(await decide(w, shifter(service), { action, resource: resource() })).toBe(expected);
    });

    it.each(["api", "frontend", "admin"])("DLV-1: %s-traffic-shift is assumed by ECS itself, not by tasks or EC2, and carries the workload boundary", (service) => {
      const r = shifter(service);
      expect(assume(r, A, "ecs.amazonaws.com", "sts:AssumeRole", {})).toBe("Allowed");
      expect(assume(r, A, "ecs-tasks.amazonaws.com", "sts:AssumeRole", { "aws:SourceAccount": A })).not.toBe("Allowed");
      expect(assume(r, A, "ec2.amazonaws.com", "sts:AssumeRole", {})).not.toBe("Allowed");
      expect(r.boundary).toBe(w.boundary);
    });

    it("DLV-1: no traffic-shift role for a worker", () => {
      expect([...w.workload.keys()].filter((n) => n.endsWith("-traffic-shift")).sort()).toEqual(
        ["admin", "api", "frontend"].map((s) => `tracker-${E}-${s}-traffic-shift`),
      );
    });
  });

  describe("IAM-1: the refreshing roles read every resource and data-source type of the stacks they plan", () => {
    const r = (action: string, resource = "*"): Request => ({ action, resource });
    // Type -> the calls the AWS provider's read makes for it (what `terraform plan` does on refresh),
    // on a resource named as the stacks name it. Calls AWS authorizes only on "*" are asked on "*".
    const reads: Record<string, Request[]> = {
      aws_vpc: [r("ec2:DescribeVpcs"), r("ec2:DescribeVpcAttribute", arn("ec2", "vpc/vpc-0123456789abcdef0"))],
      aws_subnet: [r("ec2:DescribeSubnets")],
      aws_internet_gateway: [r("ec2:DescribeInternetGateways")],
      aws_eip: [r("ec2:DescribeAddresses")],
      aws_nat_gateway: [r("ec2:DescribeNatGateways")],
      aws_route_table: [r("ec2:DescribeRouteTables")],
      aws_route: [r("ec2:DescribeRouteTables")],
      aws_route_table_association: [r("ec2:DescribeRouteTables")],
      aws_security_group: [r("ec2:DescribeSecurityGroups")],
      aws_default_security_group: [r("ec2:DescribeSecurityGroups")],
      aws_vpc_security_group_ingress_rule: [r("ec2:DescribeSecurityGroupRules")],
      aws_vpc_security_group_egress_rule: [r("ec2:DescribeSecurityGroupRules")],
      aws_vpc_endpoint: [r("ec2:DescribeVpcEndpoints")],
      aws_vpc_peering_connection: [r("ec2:DescribeVpcPeeringConnections")],
      aws_route53_zone_association: [r("route53:GetHostedZone", "arn:aws:route53:::hostedzone/Z0123456789ABC"), r("route53:ListHostedZonesByVPC")],
      aws_flow_log: [r("ec2:DescribeFlowLogs")],
      aws_network_interface: [r("ec2:DescribeNetworkInterfaces")],
      aws_ebs_volume: [r("ec2:DescribeVolumes")],
      aws_instance: [r("ec2:DescribeInstances"), r("ec2:DescribeInstanceAttribute", arn("ec2", "instance/i-0123456789abcdef0")), r("ec2:DescribeInstanceCreditSpecifications")],
      aws_iam_instance_profile: [r("iam:GetInstanceProfile", iam(`instance-profile/tracker-${E}-db-host`))],
      aws_iam_role: [r("iam:GetRole", iam(`role/tracker-${E}-api-task`)), r("iam:ListRolePolicies", iam(`role/tracker-${E}-api-task`)), r("iam:ListAttachedRolePolicies", iam(`role/tracker-${E}-api-task`))],
      aws_iam_role_policy: [r("iam:GetRolePolicy", iam(`role/tracker-${E}-api-task`))],
      aws_iam_role_policy_attachment: [r("iam:ListAttachedRolePolicies", iam(`role/tracker-${E}-db-host`))],
      aws_iam_policy: [r("iam:GetPolicy", iam(`policy/tracker-${E}-workload-boundary`)), r("iam:GetPolicyVersion", iam(`policy/tracker-${E}-workload-boundary`))],
      aws_iam_openid_connect_provider: [r("iam:GetOpenIDConnectProvider", iam(`oidc-provider/${ISSUER}`))],
      aws_lb: [r("elasticloadbalancing:DescribeLoadBalancers"), r("elasticloadbalancing:DescribeLoadBalancerAttributes"), r("elasticloadbalancing:DescribeTags")],
      aws_lb_listener: [r("elasticloadbalancing:DescribeListeners"), r("elasticloadbalancing:DescribeListenerAttributes")],
      aws_lb_listener_rule: [r("elasticloadbalancing:DescribeRules")],
      aws_lb_target_group: [r("elasticloadbalancing:DescribeTargetGroups"), r("elasticloadbalancing:DescribeTargetGroupAttributes")],
      aws_ecs_cluster: [r("ecs:DescribeClusters", arn("ecs", `cluster/${cluster}`))],
      aws_ecs_cluster_capacity_providers: [r("ecs:DescribeClusters", arn("ecs", `cluster/${cluster}`))],
      aws_ecs_service: [r("ecs:DescribeServices", arn("ecs", `service/${cluster}/tracker-${E}-api`))],
      aws_ecs_task_definition: [r("ecs:DescribeTaskDefinition"), r("ecs:ListTagsForResource", arn("ecs", `task-definition/tracker-${E}-api:1`))],
      aws_cloudwatch_log_group: [r("logs:DescribeLogGroups"), r("logs:ListTagsForResource", arn("logs", `log-group:/ecs/tracker-${E}/api`))],
      aws_cloudwatch_log_metric_filter: [r("logs:DescribeMetricFilters", arn("logs", `log-group:/ecs/tracker-${E}/api`))],
      aws_cloudwatch_log_resource_policy: [r("logs:DescribeResourcePolicies")],
      aws_cloudwatch_metric_alarm: [r("cloudwatch:DescribeAlarms", arn("cloudwatch", `alarm:tracker-${E}-alb-5xx`)), r("cloudwatch:ListTagsForResource", arn("cloudwatch", `alarm:tracker-${E}-alb-5xx`))],
      aws_cloudwatch_event_rule: [r("events:DescribeRule", arn("events", `rule/tracker-${E}-ecs-task-failures`)), r("events:ListTagsForResource", arn("events", `rule/tracker-${E}-ecs-task-failures`))],
      aws_cloudwatch_event_target: [r("events:ListTargetsByRule", arn("events", `rule/tracker-${E}-ecs-task-failures`))],
      aws_sns_topic: [r("sns:GetTopicAttributes", arn("sns", `tracker-${E}-alarms`)), r("sns:ListTagsForResource", arn("sns", `tracker-${E}-alarms`))],
      aws_sns_topic_policy: [r("sns:GetTopicAttributes", arn("sns", `tracker-${E}-alarms`))],
      aws_sns_topic_subscription: [r("sns:GetSubscriptionAttributes", arn("sns", `tracker-${E}-alarms`))],
      aws_kms_key: [r("kms:DescribeKey", key), r("kms:GetKeyPolicy", key), r("kms:GetKeyRotationStatus", key), r("kms:ListResourceTags", key)],
      aws_kms_alias: [r("kms:ListAliases")],
      aws_secretsmanager_secret: [r("secretsmanager:DescribeSecret", secret("postgres-password")), r("secretsmanager:GetResourcePolicy", secret("postgres-password"))],
      aws_secretsmanager_secret_version: [r("secretsmanager:GetSecretValue", secret("postgres-password"))],
      aws_ssm_parameter: [r("ssm:GetParameter", arn("ssm", `parameter/tracker/${E}/api-url`)), r("ssm:DescribeParameters"), r("ssm:ListTagsForResource", arn("ssm", `parameter/tracker/${E}/api-url`))],
      aws_efs_file_system: [r("elasticfilesystem:DescribeFileSystems", fileSystem), r("elasticfilesystem:DescribeLifecycleConfiguration", fileSystem)],
      aws_efs_mount_target: [r("elasticfilesystem:DescribeMountTargets", fileSystem), r("elasticfilesystem:DescribeMountTargetSecurityGroups", fileSystem)],
      aws_efs_access_point: [r("elasticfilesystem:DescribeAccessPoints", fileSystem)],
      aws_efs_backup_policy: [r("elasticfilesystem:DescribeBackupPolicy", fileSystem)],
      aws_efs_file_system_policy: [r("elasticfilesystem:DescribeFileSystemPolicy", fileSystem)],
      aws_acm_certificate: [r("acm:DescribeCertificate", arn("acm", "certificate/01234567-89ab-cdef-0123-456789abcdef")), r("acm:ListTagsForCertificate", arn("acm", "certificate/01234567-89ab-cdef-0123-456789abcdef"))],
      aws_acm_certificate_validation: [r("acm:DescribeCertificate", arn("acm", "certificate/01234567-89ab-cdef-0123-456789abcdef"))],
      aws_service_discovery_private_dns_namespace: [r("servicediscovery:GetNamespace", arn("servicediscovery", "namespace/ns-0123456789abcdef")), r("servicediscovery:GetOperation")],
      aws_service_discovery_service: [r("servicediscovery:GetService", arn("servicediscovery", "service/srv-0123456789abcdef"))],
      aws_service_discovery_instance: [r("servicediscovery:GetInstance", arn("servicediscovery", "service/srv-0123456789abcdef"))],
      aws_dlm_lifecycle_policy: [r("dlm:GetLifecyclePolicy", arn("dlm", "policy/policy-0123456789abcdef0"))],
      aws_appautoscaling_target: [r("application-autoscaling:DescribeScalableTargets")],
      aws_appautoscaling_policy: [r("application-autoscaling:DescribeScalingPolicies")],
      aws_appautoscaling_scheduled_action: [r("application-autoscaling:DescribeScheduledActions")],
      aws_s3_bucket: ["ListBucket", "GetBucketPolicy", "GetBucketAcl", "GetBucketCORS", "GetBucketWebsite", "GetBucketVersioning", "GetAccelerateConfiguration",
        "GetBucketRequestPayment", "GetBucketLogging", "GetLifecycleConfiguration", "GetReplicationConfiguration", "GetEncryptionConfiguration",
        "GetBucketObjectLockConfiguration", "GetBucketTagging"].map((a) => r(`s3:${a}`, bucket)),
      aws_s3_bucket_lifecycle_configuration: [r("s3:GetLifecycleConfiguration", bucket)],
      aws_s3_bucket_ownership_controls: [r("s3:GetBucketOwnershipControls", bucket)],
      aws_s3_bucket_policy: [r("s3:GetBucketPolicy", bucket)],
      aws_s3_bucket_public_access_block: [r("s3:GetBucketPublicAccessBlock", bucket)],
      aws_s3_bucket_server_side_encryption_configuration: [r("s3:GetEncryptionConfiguration", bucket)],
      aws_s3_bucket_versioning: [r("s3:GetBucketVersioning", bucket)],
      aws_ecr_repository: [r("ecr:DescribeRepositories", arn("ecr", `repository/tracker-${E}/api`)), r("ecr:ListTagsForResource", arn("ecr", `repository/tracker-${E}/api`))],
      aws_ecr_lifecycle_policy: [r("ecr:GetLifecyclePolicy", arn("ecr", `repository/tracker-${E}/api`))],
      aws_wafv2_web_acl: [r("wafv2:GetWebACL", webAcl), r("wafv2:ListTagsForResource", webAcl)],
      aws_wafv2_web_acl_association: [r("wafv2:GetWebACLForResource", arn("elasticloadbalancing", `loadbalancer/${alb}`))],
      aws_wafv2_web_acl_logging_configuration: [r("wafv2:GetLoggingConfiguration", webAcl)],
      aws_budgets_budget: [r("budgets:ViewBudget", `arn:aws:budgets::${A}:budget/tracker-${E}-monthly-cost`)],
      aws_scheduler_schedule_group: [r("scheduler:GetScheduleGroup", arn("scheduler", `schedule-group/tracker-${E}-off-hours`)), r("scheduler:ListTagsForResource", arn("scheduler", `schedule-group/tracker-${E}-off-hours`))],
      aws_scheduler_schedule: [r("scheduler:GetSchedule", arn("scheduler", `schedule/tracker-${E}-off-hours/tracker-${E}-db-host-start`))],
      // Data sources.
      "data.aws_ecr_repository": [r("ecr:DescribeRepositories", arn("ecr", `repository/tracker-${E}/api`))],
      "data.aws_ssm_parameter": [r("ssm:GetParameter", `arn:aws:ssm:${R}::parameter/aws/service/debian/release/12/latest/arm64`)],
    };
    // No AWS call: documents rendered locally, the ELB account looked up in the provider's table,
    // and Cloudflare (its own API token).
    const noAwsRead = new Set(["data.aws_iam_policy_document", "data.aws_elb_service_account", "cloudflare_dns_record", "data.cloudflare_zone"]);
    const stacks = [synthTracker(env), synthBootstrap(env)];
    const types = new Set(stacks.flatMap((stack) => [...Object.keys(stack.resource ?? {}), ...Object.keys(stack.data ?? {}).map((t) => `data.${t}`)]));

    it("IAM-1: every resource and data-source type of the environment and bootstrap stacks has its reads here", () => {
      expect([...types].filter((t) => !reads[t] && !noAwsRead.has(t))).toEqual([]);
    });
    /** An action AWS authorizes only on "*" is asked on "*", as AWS does. */
    async function refresh(name: string, request: Request): Promise<Expect> {
      return decide(w, role(w.ci, `tracker-${E}-${name}`), request).catch(async (e: Error) => {
        if (!e.message.includes("must.use.wildcard")) throw e;
        return decide(w, role(w.ci, `tracker-${E}-${name}`), { ...request, resource: "*" });
      });
    }
    it.each([...types].filter((t) => reads[t]))("IAM-1: the main-branch plan and the deploy role refresh %s", async (type) => {
      const refused: string[] = [];
      for (const name of ["ci-main-plan", "ci-deploy"]) {
        for (const request of reads[type]!) if ((await refresh(name, request)) !== ALLOW) refused.push(`${name} ${request.action} ${request.resource}`);
      }
      expect(refused).toEqual([]);
    });
    it.each([...types].filter((t) => reads[t] && t !== "aws_secretsmanager_secret_version"))(
      "IAM-3: the pull-request plan role reads %s too (its plans read data sources and state, never a secret value)",
      async (type) => {
        const refused: string[] = [];
        for (const request of reads[type]!) if ((await refresh("ci-plan", request)) !== ALLOW) refused.push(`${request.action} ${request.resource}`);
        expect(refused).toEqual([]);
      },
    );
  });

  describe("IAM-1: the deploy role creates every resource type of the stacks it deploys", () => {
    // Resource type -> the API call that creates it (AWS API reference), on a resource named as the stacks name it.
    const creates: Record<string, Request> = {
      aws_vpc: { action: "ec2:CreateVpc", resource: arn("ec2", "vpc/*") },
      aws_subnet: { action: "ec2:CreateSubnet", resource: arn("ec2", "subnet/*") },
      aws_internet_gateway: { action: "ec2:CreateInternetGateway", resource: arn("ec2", "internet-gateway/*") },
      aws_eip: { action: "ec2:AllocateAddress", resource: arn("ec2", "elastic-ip/*") },
      aws_nat_gateway: { action: "ec2:CreateNatGateway", resource: arn("ec2", "natgateway/*") },
      aws_route_table: { action: "ec2:CreateRouteTable", resource: arn("ec2", "route-table/*") },
      aws_route: { action: "ec2:CreateRoute", resource: arn("ec2", "route-table/rtb-0123456789abcdef0") },
      aws_route_table_association: { action: "ec2:AssociateRouteTable", resource: arn("ec2", "route-table/rtb-0123456789abcdef0") },
      aws_security_group: { action: "ec2:CreateSecurityGroup", resource: arn("ec2", "security-group/*") },
      aws_default_security_group: { action: "ec2:RevokeSecurityGroupEgress", resource: arn("ec2", "security-group/sg-0123456789abcdef0") },
      aws_vpc_security_group_ingress_rule: { action: "ec2:AuthorizeSecurityGroupIngress", resource: arn("ec2", "security-group/sg-0123456789abcdef0") },
      aws_vpc_security_group_egress_rule: { action: "ec2:AuthorizeSecurityGroupEgress", resource: arn("ec2", "security-group/sg-0123456789abcdef0") },
      aws_vpc_endpoint: { action: "ec2:CreateVpcEndpoint", resource: arn("ec2", "vpc-endpoint/*") },
      aws_vpc_peering_connection: { action: "ec2:CreateVpcPeeringConnection", resource: arn("ec2", "vpc-peering-connection/*") },
      aws_route53_zone_association: { action: "route53:AssociateVPCWithHostedZone", resource: "arn:aws:route53:::hostedzone/Z0123456789ABC" },
      aws_flow_log: { action: "ec2:CreateFlowLogs", resource: arn("ec2", "vpc-flow-log/*") },
      aws_network_interface: { action: "ec2:CreateNetworkInterface", resource: arn("ec2", "network-interface/*") },
      aws_ebs_volume: { action: "ec2:CreateVolume", resource: arn("ec2", "volume/*") },
      aws_instance: { action: "ec2:RunInstances", resource: arn("ec2", "instance/*") },
      aws_iam_instance_profile: { action: "iam:CreateInstanceProfile", resource: iam(`instance-profile/tracker-${E}-db-host`) },
      aws_iam_role: { action: "iam:CreateRole", resource: iam(`role/tracker-${E}-api-task`), context: boundary },
      aws_iam_role_policy: { action: "iam:PutRolePolicy", resource: iam(`role/tracker-${E}-api-task`), context: boundary },
      aws_iam_role_policy_attachment: { action: "iam:AttachRolePolicy", resource: iam(`role/tracker-${E}-db-host`), context: boundary },
      aws_lb: { action: "elasticloadbalancing:CreateLoadBalancer", resource: arn("elasticloadbalancing", `loadbalancer/${alb}`) },
      aws_lb_listener: { action: "elasticloadbalancing:CreateListener", resource: arn("elasticloadbalancing", `loadbalancer/${alb}`) },
      aws_lb_listener_rule: { action: "elasticloadbalancing:CreateRule", resource: arn("elasticloadbalancing", `listener/${alb}/0123456789abcdef`) },
      aws_lb_target_group: { action: "elasticloadbalancing:CreateTargetGroup", resource: arn("elasticloadbalancing", `targetgroup/tracker-${E}-api-0a1b2c/0123456789abcdef`) },
      aws_ecs_cluster: { action: "ecs:CreateCluster", resource: arn("ecs", `cluster/${cluster}`) },
      aws_ecs_cluster_capacity_providers: { action: "ecs:PutClusterCapacityProviders", resource: arn("ecs", `cluster/${cluster}`) },
      aws_ecs_service: { action: "ecs:CreateService", resource: arn("ecs", `service/${cluster}/tracker-${E}-api`) },
      aws_ecs_task_definition: { action: "ecs:RegisterTaskDefinition", resource: arn("ecs", `task-definition/tracker-${E}-api:1`) },
      aws_cloudwatch_log_group: { action: "logs:CreateLogGroup", resource: arn("logs", `log-group:/ecs/tracker-${E}/api`) },
      aws_cloudwatch_log_metric_filter: { action: "logs:PutMetricFilter", resource: arn("logs", `log-group:/aws/events/tracker-${E}-ecs-task-failures`) },
      aws_cloudwatch_log_resource_policy: { action: "logs:PutResourcePolicy", resource: "*" },
      aws_cloudwatch_metric_alarm: { action: "cloudwatch:PutMetricAlarm", resource: arn("cloudwatch", `alarm:tracker-${E}-api-cpu`) },
      aws_cloudwatch_event_rule: { action: "events:PutRule", resource: arn("events", `rule/tracker-${E}-ecs-task-failures`) },
      aws_cloudwatch_event_target: { action: "events:PutTargets", resource: arn("events", `rule/tracker-${E}-ecs-task-failures`) },
      aws_sns_topic: { action: "sns:CreateTopic", resource: arn("sns", `tracker-${E}-alarms`) },
      aws_sns_topic_policy: { action: "sns:SetTopicAttributes", resource: arn("sns", `tracker-${E}-alarms`) },
      aws_sns_topic_subscription: { action: "sns:Subscribe", resource: arn("sns", `tracker-${E}-alarms`) },
      aws_kms_key: { action: "kms:CreateKey", resource: "*", context: { "aws:RequestTag/Project": "tracker" } },
      aws_kms_alias: { action: "kms:CreateAlias", resource: arn("kms", `alias/tracker-${E}-key`) },
      aws_secretsmanager_secret: { action: "secretsmanager:CreateSecret", resource: secret("postgres-password") },
      aws_secretsmanager_secret_version: { action: "secretsmanager:PutSecretValue", resource: secret("postgres-password") },
      aws_ssm_parameter: { action: "ssm:PutParameter", resource: arn("ssm", `parameter/tracker/${E}/api-url`) },
      aws_efs_file_system: { action: "elasticfilesystem:CreateFileSystem", resource: "*" },
      aws_efs_mount_target: { action: "elasticfilesystem:CreateMountTarget", resource: arn("elasticfilesystem", "file-system/fs-01234567") },
      aws_efs_access_point: { action: "elasticfilesystem:CreateAccessPoint", resource: arn("elasticfilesystem", "file-system/fs-01234567") },
      aws_efs_backup_policy: { action: "elasticfilesystem:PutBackupPolicy", resource: arn("elasticfilesystem", "file-system/fs-01234567") },
      aws_efs_file_system_policy: { action: "elasticfilesystem:PutFileSystemPolicy", resource: arn("elasticfilesystem", "file-system/fs-01234567") },
      aws_acm_certificate: { action: "acm:RequestCertificate", resource: "*" },
      aws_acm_certificate_validation: { action: "acm:DescribeCertificate", resource: arn("acm", "certificate/01234567-89ab-cdef-0123-456789abcdef") },
      aws_service_discovery_private_dns_namespace: { action: "servicediscovery:CreatePrivateDnsNamespace", resource: "*" },
      aws_service_discovery_service: { action: "servicediscovery:CreateService", resource: arn("servicediscovery", "namespace/ns-0123456789abcdef") },
      aws_service_discovery_instance: { action: "servicediscovery:RegisterInstance", resource: arn("servicediscovery", "service/srv-0123456789abcdef") },
      aws_dlm_lifecycle_policy: { action: "dlm:CreateLifecyclePolicy", resource: "*" },
      aws_appautoscaling_target: { action: "application-autoscaling:RegisterScalableTarget", resource: arn("application-autoscaling", "scalable-target/*") },
      aws_appautoscaling_policy: { action: "application-autoscaling:PutScalingPolicy", resource: arn("application-autoscaling", "scalable-target/*") },
      aws_s3_bucket: { action: "s3:CreateBucket", resource: `arn:aws:s3:::tracker-${E}-alb-logs-${A}` },
      aws_s3_bucket_lifecycle_configuration: { action: "s3:PutLifecycleConfiguration", resource: `arn:aws:s3:::tracker-${E}-alb-logs-${A}` },
      aws_s3_bucket_ownership_controls: { action: "s3:PutBucketOwnershipControls", resource: `arn:aws:s3:::tracker-${E}-alb-logs-${A}` },
      aws_s3_bucket_policy: { action: "s3:PutBucketPolicy", resource: `arn:aws:s3:::tracker-${E}-alb-logs-${A}` },
      aws_s3_bucket_public_access_block: { action: "s3:PutBucketPublicAccessBlock", resource: `arn:aws:s3:::tracker-${E}-alb-logs-${A}` },
      aws_s3_bucket_server_side_encryption_configuration: { action: "s3:PutEncryptionConfiguration", resource: `arn:aws:s3:::tracker-${E}-alb-logs-${A}` },
      aws_s3_bucket_versioning: { action: "s3:PutBucketVersioning", resource: `arn:aws:s3:::tracker-${E}-alb-logs-${A}` },
      aws_ecr_repository: { action: "ecr:CreateRepository", resource: arn("ecr", `repository/tracker-${E}/api`) },
      aws_ecr_lifecycle_policy: { action: "ecr:PutLifecyclePolicy", resource: arn("ecr", `repository/tracker-${E}/api`) },
      aws_wafv2_web_acl: { action: "wafv2:CreateWebACL", resource: arn("wafv2", `regional/webacl/tracker-${E}-web-acl/0123abcd-0123-4567-89ab-0123456789ab`) },
      aws_wafv2_web_acl_association: { action: "elasticloadbalancing:SetWebAcl", resource: "*" },
      aws_wafv2_web_acl_logging_configuration: { action: "wafv2:PutLoggingConfiguration", resource: arn("wafv2", `regional/webacl/tracker-${E}-web-acl/0123abcd-0123-4567-89ab-0123456789ab`) },
      aws_budgets_budget: { action: "budgets:ModifyBudget", resource: `arn:aws:budgets::${A}:budget/tracker-${E}-monthly-cost` },
      aws_scheduler_schedule_group: { action: "scheduler:CreateScheduleGroup", resource: arn("scheduler", `schedule-group/tracker-${E}-off-hours`) },
      aws_scheduler_schedule: { action: "scheduler:CreateSchedule", resource: arn("scheduler", `schedule/tracker-${E}-off-hours/tracker-${E}-db-host-start`) },
      aws_appautoscaling_scheduled_action: { action: "application-autoscaling:PutScheduledAction", resource: arn("application-autoscaling", "scalable-target/*") },
    };
    // Deliberately not the deploy role's (IAM-2): the bootstrap stack's CI roles, their OIDC provider and
    // the boundary are applied by an administrator (README "First bootstrap"); Cloudflare records use the
    // Cloudflare token, not AWS.
    const notByDeploy = new Set(["aws_iam_openid_connect_provider", "aws_iam_policy", "cloudflare_dns_record"]);

    const types = new Set(
      [synthTracker(env), synthBootstrap(env)].flatMap((stack) => Object.keys(stack.resource ?? {})),
    );
    it("IAM-1: every resource type of the environment and bootstrap stacks has a create request here", () => {
      expect([...types].filter((t) => !creates[t] && !notByDeploy.has(t))).toEqual([]);
    });
    it.each([...types].filter((t) => creates[t]))("IAM-1: the deploy role can create %s", async (type) => {
      expect(await decide(w, role(w.ci, `tracker-${E}-ci-deploy`), creates[type]!)).toBe(ALLOW);
    });
    // Type -> the calls that change it in place and the call that deletes it (a replacement, a removed
    // service, `cdktf destroy` of staging), on this project's resources (tagged Project=tracker).
    const ours = { "aws:ResourceTag/Project": "tracker" };
    const tg = arn("elasticloadbalancing", `targetgroup/tracker-${E}-api-0a1b2c/0123456789abcdef`);
    const listener = arn("elasticloadbalancing", `listener/${alb}/0123456789abcdef`);
    const rule = arn("elasticloadbalancing", `listener-rule/${alb}/0123456789abcdef/0123456789abcdef`);
    const lb = arn("elasticloadbalancing", `loadbalancer/${alb}`);
    const service = arn("ecs", `service/${cluster}/tracker-${E}-api`);
    const logGroup = arn("logs", `log-group:/ecs/tracker-${E}/api`);
    const alarm = arn("cloudwatch", `alarm:tracker-${E}-api-target-5xx`);
    const eventRule = arn("events", `rule/tracker-${E}-ecs-task-failures`);
    const topic = arn("sns", `tracker-${E}-alarms`);
    const u = (action: string, resource: string, context: Record<string, string> = ours): Request => ({ action, resource, context });
    const changes: Record<string, Request[]> = {
      aws_vpc: [u("ec2:ModifyVpcAttribute", arn("ec2", "vpc/vpc-0123456789abcdef0")), u("ec2:DeleteVpc", arn("ec2", "vpc/vpc-0123456789abcdef0"))],
      aws_subnet: [u("ec2:ModifySubnetAttribute", arn("ec2", "subnet/subnet-0123456789abcdef0")), u("ec2:DeleteSubnet", arn("ec2", "subnet/subnet-0123456789abcdef0"))],
      aws_internet_gateway: [u("ec2:DetachInternetGateway", arn("ec2", "internet-gateway/igw-0123456789abcdef0")), u("ec2:DeleteInternetGateway", arn("ec2", "internet-gateway/igw-0123456789abcdef0"))],
      aws_eip: [u("ec2:DisassociateAddress", arn("ec2", "elastic-ip/eipalloc-0123456789abcdef0")), u("ec2:ReleaseAddress", arn("ec2", "elastic-ip/eipalloc-0123456789abcdef0"))],
      aws_nat_gateway: [u("ec2:DeleteNatGateway", arn("ec2", "natgateway/nat-0123456789abcdef0"))],
      aws_route_table: [u("ec2:DeleteRouteTable", arn("ec2", "route-table/rtb-0123456789abcdef0"))],
      aws_route: [u("ec2:ReplaceRoute", arn("ec2", "route-table/rtb-0123456789abcdef0")), u("ec2:DeleteRoute", arn("ec2", "route-table/rtb-0123456789abcdef0"))],
      aws_route_table_association: [u("ec2:ReplaceRouteTableAssociation", arn("ec2", "route-table/rtb-0123456789abcdef0")), u("ec2:DisassociateRouteTable", arn("ec2", "route-table/rtb-0123456789abcdef0"))],
      aws_security_group: [u("ec2:DeleteSecurityGroup", arn("ec2", "security-group/sg-0123456789abcdef0"))],
      aws_default_security_group: [u("ec2:RevokeSecurityGroupIngress", arn("ec2", "security-group/sg-0123456789abcdef0"))],
      aws_vpc_security_group_ingress_rule: [u("ec2:ModifySecurityGroupRules", arn("ec2", "security-group/sg-0123456789abcdef0")), u("ec2:UpdateSecurityGroupRuleDescriptionsIngress", arn("ec2", "security-group/sg-0123456789abcdef0")), u("ec2:RevokeSecurityGroupIngress", arn("ec2", "security-group/sg-0123456789abcdef0"))],
      aws_vpc_security_group_egress_rule: [u("ec2:ModifySecurityGroupRules", arn("ec2", "security-group/sg-0123456789abcdef0")), u("ec2:UpdateSecurityGroupRuleDescriptionsEgress", arn("ec2", "security-group/sg-0123456789abcdef0")), u("ec2:RevokeSecurityGroupEgress", arn("ec2", "security-group/sg-0123456789abcdef0"))],
      aws_vpc_endpoint: [u("ec2:ModifyVpcEndpoint", arn("ec2", "vpc-endpoint/vpce-0123456789abcdef0")), u("ec2:DeleteVpcEndpoints", arn("ec2", "vpc-endpoint/vpce-0123456789abcdef0"))],
      aws_vpc_peering_connection: [u("ec2:ModifyVpcPeeringConnectionOptions", arn("ec2", "vpc-peering-connection/pcx-0123456789abcdef0")), u("ec2:DeleteVpcPeeringConnection", arn("ec2", "vpc-peering-connection/pcx-0123456789abcdef0"))],
      aws_route53_zone_association: [u("route53:DisassociateVPCFromHostedZone", "arn:aws:route53:::hostedzone/Z0123456789ABC", {})],
      aws_flow_log: [u("ec2:DeleteFlowLogs", arn("ec2", "vpc-flow-log/fl-0123456789abcdef0"))],
      aws_network_interface: [u("ec2:ModifyNetworkInterfaceAttribute", arn("ec2", "network-interface/eni-0123456789abcdef0")), u("ec2:DetachNetworkInterface", arn("ec2", "instance/i-0123456789abcdef0")), u("ec2:DeleteNetworkInterface", arn("ec2", "network-interface/eni-0123456789abcdef0"))],
      aws_ebs_volume: [u("ec2:ModifyVolume", arn("ec2", "volume/vol-0123456789abcdef0")), u("ec2:DetachVolume", arn("ec2", "volume/vol-0123456789abcdef0")), u("ec2:DeleteVolume", arn("ec2", "volume/vol-0123456789abcdef0"))],
      aws_instance: [
        u("ec2:StopInstances", arn("ec2", "instance/i-0123456789abcdef0")), u("ec2:ModifyInstanceAttribute", arn("ec2", "instance/i-0123456789abcdef0")),
        u("ec2:StartInstances", arn("ec2", "instance/i-0123456789abcdef0")), u("ec2:ModifyInstanceMetadataOptions", arn("ec2", "instance/i-0123456789abcdef0")),
        u("ec2:ReplaceIamInstanceProfileAssociation", arn("ec2", "instance/i-0123456789abcdef0")), u("ec2:TerminateInstances", arn("ec2", "instance/i-0123456789abcdef0")),
      ],
      aws_iam_instance_profile: [u("iam:RemoveRoleFromInstanceProfile", iam(`instance-profile/tracker-${E}-db-host`), {}), u("iam:DeleteInstanceProfile", iam(`instance-profile/tracker-${E}-db-host`), {})],
      aws_iam_role: [u("iam:UpdateAssumeRolePolicy", iam(`role/tracker-${E}-api-task`), {}), u("iam:UpdateRoleDescription", iam(`role/tracker-${E}-api-task`), {}), u("iam:DeleteRole", iam(`role/tracker-${E}-api-task`), {})],
      aws_iam_role_policy: [u("iam:DeleteRolePolicy", iam(`role/tracker-${E}-api-task`), boundary)],
      aws_iam_role_policy_attachment: [u("iam:DetachRolePolicy", iam(`role/tracker-${E}-db-host`), boundary)],
      aws_lb: [u("elasticloadbalancing:ModifyLoadBalancerAttributes", lb), u("elasticloadbalancing:SetSecurityGroups", lb), u("elasticloadbalancing:DeleteLoadBalancer", lb)],
      aws_lb_listener: [u("elasticloadbalancing:ModifyListener", listener), u("elasticloadbalancing:ModifyListenerAttributes", listener), u("elasticloadbalancing:DeleteListener", listener)],
      aws_lb_listener_rule: [u("elasticloadbalancing:ModifyRule", rule), u("elasticloadbalancing:SetRulePriorities", rule), u("elasticloadbalancing:DeleteRule", rule)],
      aws_lb_target_group: [u("elasticloadbalancing:ModifyTargetGroup", tg), u("elasticloadbalancing:ModifyTargetGroupAttributes", tg), u("elasticloadbalancing:DeleteTargetGroup", tg)],
      aws_ecs_cluster: [u("ecs:UpdateCluster", arn("ecs", `cluster/${cluster}`)), u("ecs:UpdateClusterSettings", arn("ecs", `cluster/${cluster}`)), u("ecs:DeleteCluster", arn("ecs", `cluster/${cluster}`))],
      aws_ecs_cluster_capacity_providers: [u("ecs:PutClusterCapacityProviders", arn("ecs", `cluster/${cluster}`))],
      aws_ecs_service: [u("ecs:UpdateService", service), u("ecs:TagResource", service), u("ecs:DeleteService", service)],
      // skip_destroy: Terraform forgets a replaced revision and never deregisters it (below).
      aws_ecs_task_definition: [],
      aws_cloudwatch_log_group: [u("logs:PutRetentionPolicy", logGroup), u("logs:AssociateKmsKey", logGroup), u("logs:TagResource", logGroup), u("logs:DeleteLogGroup", logGroup)],
      aws_cloudwatch_log_metric_filter: [u("logs:DeleteMetricFilter", logGroup)],
      aws_cloudwatch_log_resource_policy: [u("logs:DeleteResourcePolicy", "*", {})],
      aws_cloudwatch_metric_alarm: [u("cloudwatch:TagResource", alarm), u("cloudwatch:DeleteAlarms", alarm)],
      aws_cloudwatch_event_rule: [u("events:DisableRule", eventRule), u("events:TagResource", eventRule), u("events:DeleteRule", eventRule)],
      aws_cloudwatch_event_target: [u("events:RemoveTargets", eventRule)],
      aws_sns_topic: [u("sns:SetTopicAttributes", topic), u("sns:TagResource", topic), u("sns:DeleteTopic", topic)],
      aws_sns_topic_policy: [u("sns:SetTopicAttributes", topic)],
      aws_sns_topic_subscription: [u("sns:SetSubscriptionAttributes", topic), u("sns:Unsubscribe", topic)],
      aws_kms_key: [u("kms:PutKeyPolicy", key), u("kms:EnableKeyRotation", key), u("kms:UpdateKeyDescription", key), u("kms:ScheduleKeyDeletion", key)],
      aws_kms_alias: [u("kms:UpdateAlias", arn("kms", `alias/tracker-${E}-key`)), u("kms:UpdateAlias", key), u("kms:DeleteAlias", arn("kms", `alias/tracker-${E}-key`)), u("kms:DeleteAlias", key)],
      aws_secretsmanager_secret: [u("secretsmanager:UpdateSecret", secret("postgres-password")), u("secretsmanager:TagResource", secret("postgres-password")), u("secretsmanager:DeleteSecret", secret("postgres-password"))],
      aws_secretsmanager_secret_version: [u("secretsmanager:PutSecretValue", secret("postgres-password")), u("secretsmanager:UpdateSecretVersionStage", secret("postgres-password"))],
      aws_ssm_parameter: [u("ssm:PutParameter", arn("ssm", `parameter/tracker/${E}/api-url`)), u("ssm:AddTagsToResource", arn("ssm", `parameter/tracker/${E}/api-url`)), u("ssm:DeleteParameter", arn("ssm", `parameter/tracker/${E}/api-url`))],
      aws_efs_file_system: [u("elasticfilesystem:UpdateFileSystem", fileSystem), u("elasticfilesystem:PutLifecycleConfiguration", fileSystem), u("elasticfilesystem:DeleteFileSystem", fileSystem)],
      aws_efs_mount_target: [u("elasticfilesystem:ModifyMountTargetSecurityGroups", fileSystem), u("elasticfilesystem:DeleteMountTarget", fileSystem)],
      aws_efs_access_point: [u("elasticfilesystem:DeleteAccessPoint", arn("elasticfilesystem", "access-point/fsap-0123456789abcdef0"))],
      aws_efs_backup_policy: [u("elasticfilesystem:PutBackupPolicy", fileSystem)],
      aws_efs_file_system_policy: [u("elasticfilesystem:DeleteFileSystemPolicy", fileSystem)],
      aws_acm_certificate: [u("acm:UpdateCertificateOptions", arn("acm", "certificate/01234567-89ab-cdef-0123-456789abcdef")), u("acm:DeleteCertificate", arn("acm", "certificate/01234567-89ab-cdef-0123-456789abcdef"))],
      aws_service_discovery_private_dns_namespace: [u("servicediscovery:UpdatePrivateDnsNamespace", arn("servicediscovery", "namespace/ns-0123456789abcdef")), u("servicediscovery:DeleteNamespace", arn("servicediscovery", "namespace/ns-0123456789abcdef"))],
      aws_service_discovery_service: [u("servicediscovery:UpdateService", arn("servicediscovery", "service/srv-0123456789abcdef")), u("servicediscovery:DeleteService", arn("servicediscovery", "service/srv-0123456789abcdef"))],
      aws_service_discovery_instance: [u("servicediscovery:DeregisterInstance", arn("servicediscovery", "service/srv-0123456789abcdef"))],
      aws_dlm_lifecycle_policy: [u("dlm:UpdateLifecyclePolicy", arn("dlm", "policy/policy-0123456789abcdef0")), u("dlm:DeleteLifecyclePolicy", arn("dlm", "policy/policy-0123456789abcdef0"))],
      aws_appautoscaling_target: [u("application-autoscaling:DeregisterScalableTarget", arn("application-autoscaling", "scalable-target/*"))],
      aws_appautoscaling_policy: [u("application-autoscaling:DeleteScalingPolicy", arn("application-autoscaling", "scalable-target/*"))],
      aws_appautoscaling_scheduled_action: [u("application-autoscaling:DeleteScheduledAction", arn("application-autoscaling", "scalable-target/*"))],
      // (S3 bucket actions take no resource-tag condition.)
      aws_s3_bucket: [u("s3:PutBucketTagging", bucket, {}), u("s3:DeleteBucket", bucket, {})],
      aws_s3_bucket_lifecycle_configuration: [u("s3:PutLifecycleConfiguration", bucket, {})],
      aws_s3_bucket_ownership_controls: [u("s3:PutBucketOwnershipControls", bucket, {})],
      aws_s3_bucket_policy: [u("s3:DeleteBucketPolicy", bucket, {})],
      aws_s3_bucket_public_access_block: [u("s3:PutBucketPublicAccessBlock", bucket, {})],
      aws_s3_bucket_server_side_encryption_configuration: [u("s3:PutEncryptionConfiguration", bucket, {})],
      aws_s3_bucket_versioning: [u("s3:PutBucketVersioning", bucket, {})],
      aws_ecr_repository: [u("ecr:PutImageScanningConfiguration", arn("ecr", `repository/tracker-${E}/api`)), u("ecr:PutImageTagMutability", arn("ecr", `repository/tracker-${E}/api`)), u("ecr:DeleteRepository", arn("ecr", `repository/tracker-${E}/api`))],
      aws_ecr_lifecycle_policy: [u("ecr:DeleteLifecyclePolicy", arn("ecr", `repository/tracker-${E}/api`))],
      // Creating or updating a web ACL that references AWS's managed rule groups is authorized on each of them too.
      aws_wafv2_web_acl: [
        u("wafv2:UpdateWebACL", webAcl), u("wafv2:TagResource", webAcl), u("wafv2:DeleteWebACL", webAcl),
        u("wafv2:CreateWebACL", arn("wafv2", "regional/managedruleset/AWSManagedRulesCommonRuleSet/0123abcd-0123-4567-89ab-0123456789ab"), {}),
        u("wafv2:UpdateWebACL", arn("wafv2", "regional/managedruleset/AWSManagedRulesKnownBadInputsRuleSet/0123abcd-0123-4567-89ab-0123456789ab"), {}),
      ],
      aws_wafv2_web_acl_association: [u("wafv2:DisassociateWebACL", lb), u("elasticloadbalancing:SetWebAcl", "*")],
      // WAF delivers to CloudWatch Logs through a vended log delivery, created and deleted with it.
      aws_wafv2_web_acl_logging_configuration: [
        u("wafv2:PutLoggingConfiguration", webAcl), u("logs:CreateLogDelivery", "*", {}), u("logs:GetLogDelivery", "*", {}),
        u("wafv2:DeleteLoggingConfiguration", webAcl), u("logs:DeleteLogDelivery", "*", {}),
      ],
      aws_budgets_budget: [u("budgets:ModifyBudget", `arn:aws:budgets::${A}:budget/tracker-${E}-monthly-cost`, {})],
      aws_scheduler_schedule_group: [u("scheduler:TagResource", arn("scheduler", `schedule-group/tracker-${E}-off-hours`)), u("scheduler:DeleteScheduleGroup", arn("scheduler", `schedule-group/tracker-${E}-off-hours`))],
      aws_scheduler_schedule: [u("scheduler:UpdateSchedule", arn("scheduler", `schedule/tracker-${E}-off-hours/tracker-${E}-db-host-start`)), u("scheduler:DeleteSchedule", arn("scheduler", `schedule/tracker-${E}-off-hours/tracker-${E}-db-host-start`))],
    };
    it("CD-4: the deploy role cannot deregister a task definition revision: rollback needs the replaced ones ACTIVE", async () => {
      const deploy = role(w.ci, `tracker-${E}-ci-deploy`);
      expect(await decide(w, deploy, { action: "ecs:DeregisterTaskDefinition", resource: "*" })).toBe(DENY);
      expect(await decide(w, deploy, { action: "ecs:DeleteTaskDefinitions", resource: arn("ecs", `task-definition/tracker-${E}-api:1`), context: ours })).toBe(DENY);
    });
    it("IAM-1: every resource type the deploy role creates has its changes and deletion here", () => {
      expect([...types].filter((t) => creates[t] && !changes[t] && t !== "aws_acm_certificate_validation")).toEqual([]);
    });
    it.each([...types].filter((t) => changes[t]))("IAM-1: the deploy role can change and delete %s (an update, a replacement, staging's destroy)", async (type) => {
      const deploy = role(w.ci, `tracker-${E}-ci-deploy`);
      const refused: string[] = [];
      for (const request of changes[type]!) {
        const decision = await decide(w, deploy, request).catch(async (e: Error) => {
          if (!e.message.includes("must.use.wildcard")) throw e;
          return decide(w, deploy, { ...request, resource: "*" });
        });
        if (decision !== ALLOW) refused.push(`${request.action} ${request.resource}`);
      }
      expect(refused).toEqual([]);
    });

    it("IAM-2: ...but not the bootstrap stack's CI roles, the OIDC provider or the boundary", async () => {
      const deploy = role(w.ci, `tracker-${E}-ci-deploy`);
      for (const name of w.ci.keys()) {
        expect(await decide(w, deploy, { action: "iam:CreateRole", resource: iam(`role/${name}`), context: boundary }), name).toBe(DENY);
      }
      expect(await decide(w, deploy, { action: "iam:CreateOpenIDConnectProvider", resource: iam(`oidc-provider/${ISSUER}`) })).toBe(DENY);
      expect(await decide(w, deploy, { action: "iam:CreatePolicy", resource: w.boundaryArn })).toBe(DENY);
    });
  });
});
