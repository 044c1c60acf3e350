/** ACC-4: the per-account bootstrap — state bucket and GitHub Actions OIDC roles. */
import { describe, expect, it } from "vitest";
import { PROJECT_DEFINITION, PRODUCTION, STAGING } from "../src/config/environments";
import { stateBucketName } from "../src/config/naming";
import { Testing } from "../src/cdktf";
import { BootstrapStack, localStatePath } from "../stacks/bootstrap-stack";
import { dataSources, only, resources, synthBootstrap, type SynthesizedStack } from "./support/synth";

const staging = synthBootstrap(STAGING);
const production = synthBootstrap(PRODUCTION);
const repo = PROJECT_DEFINITION.githubRepository;

/** The policy-document data source a `${data.aws_iam_policy_document.x.json}` reference names. */
function document(stack: SynthesizedStack, reference: string): Record<string, any> {
  const name = /\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}/.exec(reference)?.[1];
  const doc = dataSources(stack, "aws_iam_policy_document").find(([n]) => n === name);
  if (!doc) throw new Error(`no policy document for ${reference}`);
  return doc[1];
}

describe.each([
  ["staging", staging, STAGING],
  ["production", production, PRODUCTION],
] as const)("%s bootstrap", (_name, stack, env) => {
  const [bucketName, bucket] = only(stack, "aws_s3_bucket");
  const bucketRef = `\${aws_s3_bucket.${bucketName}.id}`;
  const companion = (type: string) => only(stack, type, (r) => r.bucket === bucketRef)[1];

  it("ACC-4: the state bucket is named after the account and protected from destroy", () => {
    expect(bucket.bucket).toBe(stateBucketName(env.accountId));
    expect(bucket.lifecycle.prevent_destroy).toBe(true);
  });

  it("ACC-4: versioned, KMS-encrypted, public access blocked, ACLs disabled", () => {
    expect(companion("aws_s3_bucket_versioning").versioning_configuration.status).toBe("Enabled");
    expect(companion("aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("aws:kms");
    expect(companion("aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(companion("aws_s3_bucket_ownership_controls").rule.object_ownership).toBe("BucketOwnerEnforced");
  });

  it("ACC-4: the bucket policy denies every request not made over TLS, to everyone, on the bucket and every object", () => {
    const policy = document(stack, companion("aws_s3_bucket_policy").policy);
    const arn = `\${aws_s3_bucket.${bucketName}.arn}`;
    expect(policy.statement).toEqual([
      {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        principals: [{ type: "*", identifiers: ["*"] }],
        actions: ["s3:*"],
        resources: [arn, `${arn}/*`],
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
    ]);
  });

  it("ACC-4: state versions are kept 90 days after they are replaced, the current state never expires, and unfinished uploads go after 7 days", () => {
    expect(bucket.force_destroy).toBe(false);
    expect(companion("aws_s3_bucket_server_side_encryption_configuration").rule[0].bucket_key_enabled).toBe(true);
    expect(companion("aws_s3_bucket_lifecycle_configuration").rule).toEqual([
      {
        id: "expire-old-state-versions",
        status: "Enabled",
        filter: [{ prefix: "" }],
        noncurrent_version_expiration: [{ noncurrent_days: 90 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
  });

  const roles = resources(stack, "aws_iam_role");
  const role = (suffix: string) => roles.find(([, r]) => r.name === `tracker-${env.name}-${suffix}`)!;

  it("ACC-4 / IAM-3: GitHub's OIDC provider; the plan role trusts only this repository's pull requests", () => {
    const [, provider] = only(stack, "aws_iam_openid_connect_provider");
    expect(provider.url).toBe("https://token.actions.githubusercontent.com");
    expect(provider.client_id_list).toEqual(["sts.amazonaws.com"]);
    const trust = document(stack, role("ci-plan")[1].assume_role_policy).statement[0];
    expect(trust.actions).toEqual(["sts:AssumeRoleWithWebIdentity"]);
    expect(trust.condition).toEqual([
      { test: "StringEquals", variable: "token.actions.githubusercontent.com:aud", values: ["sts.amazonaws.com"] },
      { test: "StringEquals", variable: "token.actions.githubusercontent.com:sub", values: [`repo:${repo}:pull_request`] },
    ]);
    const main = document(stack, role("ci-main-plan")[1].assume_role_policy).statement[0];
    expect(main.condition[1].values).toEqual([`repo:${repo}:ref:refs/heads/main`]);
  });

  it("IAM-1: each CI role's inline policies and their statements, by the Sid CloudTrail and Access Analyzer show", () => {
    const plan = ["DescribeConfiguration", "ReadThisEnvironmentsSchedules", "ReadThisEnvironmentsBudget", "ReadThisProjectsIam",
      "ReadThisProjectsBucketConfiguration", "ReadThisEnvironmentsParameters", "GenerateEphemeralPasswords", "ListStateBucket", "ReadStateAndLock"];
    const refresh = ["ReadThisEnvironmentsSecretsForRefresh", "DecryptThisEnvironmentsSecrets"];
    const expected: Record<string, Record<string, string[]>> = {
      "ci-plan": { "pull-request-plan": [...plan, "NeverReadSecretValues", "NeverDecryptThroughSecretsManager", "NeverDecryptThroughParameterStore"] },
      "ci-main-plan": { "main-plan": [...plan, ...refresh] },
      "ci-deploy": {
        "deploy-read": [...plan, "WriteStateAndLock", ...refresh],
        "deploy-manage": [
          "NetworkHostsAndVolumes", "LoadBalancers", "WebAcl", "AttachTheWebAclToTheLoadBalancer", "WebAclLogDelivery",
          "ContainerServices", "LogGroups", "LogResourcePolicies", "AlarmsRulesAndTopics", "TopicSubscriptions",
          "ThisEnvironmentsSchedules", "ThisEnvironmentsBudget", "SecretsAndParameters", "ImageRepositories", "Buckets",
          "CreateKeys", "ManageAndUseThisProjectsKeys", "KeyAliases", "FileSystems", "CertificatesDiscoveryScalingSnapshots",
          "RolesOnlyWithTheBoundary", "ThisEnvironmentsRolesAndInstanceProfiles", "PassThisProjectsRolesToTheServicesUsed",
          "PassTheTrafficShiftRolesToEcs", "CreateServiceLinkedRolesOfTheServicesUsed",
        ],
        "deploy-guards": [
          "NeverChangeTheCiRoles", "NeverChangeTheBoundary", "NeverRemoveTheBoundary", "NoRoleWithoutTheBoundary",
          "NeverTouchAnotherProjectsResources", "NeverTagForAnotherProject",
        ],
      },
      "ci-image-push": { "push-images": ["EcrLogin", "PushThisEnvironmentsImages"] },
    };
    const actual: Record<string, Record<string, string[]>> = {};
    for (const suffix of Object.keys(expected)) {
      const [roleName] = role(suffix);
      actual[suffix] = Object.fromEntries(
        resources(stack, "aws_iam_role_policy")
          .filter(([, p]) => p.role === `\${aws_iam_role.${roleName}.id}`)
          .map(([, p]) => [p.name, document(stack, p.policy).statement.map((st: any) => st.sid)]),
      );
    }
    expect(actual).toEqual(expected);
  });

  it("IAM-1: no CI role carries an AWS managed policy (ReadOnlyAccess / PowerUserAccess are gone)", () => {
    expect(resources(stack, "aws_iam_role_policy_attachment")).toEqual([]);
  });

  it("IAM-2: the workload boundary is a customer policy named tracker-<env>-workload-boundary", () => {
    const [, boundary] = only(stack, "aws_iam_policy");
    expect(boundary.name).toBe(`tracker-${env.name}-workload-boundary`);
    expect(boundary.description).toBe(`Permissions boundary of every role of tracker-${env.name} (IAM-2)`);
    // What it caps, statement by statement (Sids as the IAM console shows them).
    expect(document(stack, boundary.policy).statement.map((st: any) => st.sid)).toEqual([
      "LogsAndMetrics", "PullImages", "ThisEnvironmentsSecrets", "ThisEnvironmentsParameters", "UseKeys", "MountFileSystems",
      "SessionManager", "VolumesAndSnapshots", "OffHoursSchedule", "OffHoursAlarms", "CanaryTrafficShiftReads", "CanaryTrafficShift",
      "LifecycleManagerRules",
    ]);
    expect(stack.output?.["workload-boundary-arn"]).toBeDefined();
  });

  it("ACC-4: the deploy role is trusted only from main and/or the GitHub environment", () => {
    const trust = document(stack, role("ci-deploy")[1].assume_role_policy).statement[0];
    const sub = trust.condition.find((c: any) => c.variable.endsWith(":sub"));
    const expected = env.ci.deployFrom.map((f) => (f === "main-branch" ? `repo:${repo}:ref:refs/heads/main` : `repo:${repo}:environment:${env.name}`));
    expect(sub.values).toEqual(expected);
    expect(sub.values.join()).not.toMatch(/\*/);
  });

  it("CD-5: the image push role trusts only the application repositories' main branch", () => {
    const [pushName, push] = role("ci-image-push");
    const trust = document(stack, push.assume_role_policy).statement[0];
    expect(trust.condition).toEqual(
      expect.arrayContaining([
        {
          test: "StringEquals",
          variable: "token.actions.githubusercontent.com:sub",
          values: PROJECT_DEFINITION.applicationRepositories.map((app) => `repo:${app}:ref:refs/heads/main`),
        },
      ]),
    );
    const [, policy] = resources(stack, "aws_iam_role_policy").find(([, p]) => p.role === `\${aws_iam_role.${pushName}.id}`)!;
    const statements = document(stack, policy.policy).statement;
    const pushStatement = statements.find((s: any) => s.actions.includes("ecr:PutImage"));
    expect(pushStatement.resources).toEqual([`arn:aws:ecr:${env.region}:${env.accountId}:repository/tracker-${env.name}/*`]);
    expect(statements.filter((s: any) => s.resources.includes("*")).flatMap((s: any) => s.actions)).toEqual(["ecr:GetAuthorizationToken"]);
  });

  it("ACC-4 / ECS-10: no role gets '*' on '*' (denies aside); IAM writes are limited to this environment's names", () => {
    for (const [, doc] of dataSources(stack, "aws_iam_policy_document")) {
      for (const s of doc.statement) {
        if (s.effect === "Deny") continue;
        expect(s.actions).not.toContain("*");
        const writes = (s.actions as string[]).filter((a) => a.startsWith("iam:") && !/^iam:(Get|List)/.test(a) && a !== "iam:CreateServiceLinkedRole");
        if (writes.length > 0) {
          // `tracker-<env>-*`, or narrower within it (DLV-1: `tracker-<env>-*-traffic-shift` roles to ECS).
          for (const r of s.resources as string[]) expect(r).toMatch(new RegExp(`:(role|instance-profile)/tracker-${env.name}-\\*(-[a-z-]+)?$`));
        }
      }
    }
  });
});

describe("ACC-4: first bootstrap", () => {
  it("ACC-4: production's deploy role is reachable only through the approved GitHub environment", () => {
    expect(PRODUCTION.ci.deployFrom).toEqual(["github-environment"]);
  });
});

describe.each([
  ["staging", staging, STAGING],
  ["production", production, PRODUCTION],
] as const)("%s bootstrap: the images key and the outputs the runbooks read", (name, stack, _env) => {
  it("ECR-1: the images key is alias/tracker-<env>-images-key, says it encrypts container images, and only the account administers it (no logs/alarm/budget service)", () => {
    const [keyName, key] = only(stack, "aws_kms_key");
    expect(only(stack, "aws_kms_alias")[1]).toMatchObject({ name: `alias/tracker-${name}-images-key`, target_key_id: `\${aws_kms_key.${keyName}.key_id}` });
    expect(key.description).toBe(`Encrypts the ${name} tracker container images`);
    const statements = document(stack, key.policy).statement as { sid: string; principals: { identifiers: string[] }[] }[];
    expect(statements.map((s) => s.sid)).toEqual(["AccountAdministersThroughIam"]);
  });

  it("ACC-4: outputs: the state bucket's name and the ARNs of the four CI roles and the workload boundary, by reference", () => {
    const role = (suffix: string) => `\${aws_iam_role.${only(stack, "aws_iam_role", (r) => r.name === `tracker-${name}-${suffix}`)[0]}.arn}`;
    expect(stack.output).toEqual({
      "state-bucket": { value: `\${aws_s3_bucket.${only(stack, "aws_s3_bucket")[0]}.bucket}` },
      "plan-role-arn": { value: role("ci-plan") },
      "main-plan-role-arn": { value: role("ci-main-plan") },
      "deploy-role-arn": { value: role("ci-deploy") },
      "image-push-role-arn": { value: role("ci-image-push") },
      "workload-boundary-arn": { value: `\${aws_iam_policy.${only(stack, "aws_iam_policy", (p) => p.name === `tracker-${name}-workload-boundary`)[0]}.arn}` },
    });
  });

  it("ACC-4: without a local state directory the state is in the account's S3 bucket, not a local file", () => {
    const backend = stack.terraform as { backend: Record<string, unknown> };
    expect(Object.keys(backend.backend)).toEqual(["s3"]);
  });
});

describe("ACC-4: GitHub's OIDC provider, created or adopted", () => {
  const federated = (stack: SynthesizedStack) =>
    Object.fromEntries(
      resources(stack, "aws_iam_role").map(([, r]) => {
        const trust = document(stack, r.assume_role_policy).statement;
        expect(trust).toHaveLength(1);
        return [r.name, trust[0].principals];
      }),
    );

  it("ACC-4: a created provider is tagged tracker-<env>-github-oidc, and each of the four roles trusts that provider", () => {
    const stack = synthBootstrap(STAGING);
    const [name, provider] = only(stack, "aws_iam_openid_connect_provider");
    expect(provider.tags).toEqual({ Name: "tracker-staging-github-oidc" });
    expect(dataSources(stack, "aws_iam_openid_connect_provider")).toEqual([]);
    const principals = [{ type: "Federated", identifiers: [`\${aws_iam_openid_connect_provider.${name}.arn}`] }];
    expect(federated(stack)).toEqual(
      Object.fromEntries(["ci-plan", "ci-main-plan", "ci-deploy", "ci-image-push"].map((role) => [`tracker-staging-${role}`, principals])),
    );
  });

  it("ACC-4: with githubOidcProvider \"existing\" (an account that already has one) nothing is created: the roles trust the account's provider, looked up by GitHub's issuer URL", () => {
    const env = { ...PRODUCTION, ci: { ...PRODUCTION.ci, githubOidcProvider: "existing" as const } };
    const stack = JSON.parse(Testing.synth(new BootstrapStack(Testing.app(), { environment: env, project: PROJECT_DEFINITION }))) as SynthesizedStack;
    expect(resources(stack, "aws_iam_openid_connect_provider")).toEqual([]);
    const [[name, lookup], ...others] = dataSources(stack, "aws_iam_openid_connect_provider");
    expect(others).toEqual([]);
    expect(lookup).toEqual({ url: "https://token.actions.githubusercontent.com" });
    const principals = [{ type: "Federated", identifiers: [`\${data.aws_iam_openid_connect_provider.${name}.arn}`] }];
    expect(federated(stack)).toEqual(
      Object.fromEntries(["ci-plan", "ci-main-plan", "ci-deploy", "ci-image-push"].map((role) => [`tracker-production-${role}`, principals])),
    );
  });
});

describe("RUN-1: the first bootstrap keeps its state in a local file", () => {
  it("RUN-1: with a local state directory the backend is local, at <directory>/<stack>.tfstate", () => {
    const stack = JSON.parse(
      Testing.synth(new BootstrapStack(Testing.app(), { environment: STAGING, project: PROJECT_DEFINITION, localStateDirectory: "/srv/infra/bootstrap-state" })),
    ) as SynthesizedStack;
    expect((stack.terraform as { backend: unknown }).backend).toEqual({ local: { path: "/srv/infra/bootstrap-state/tracker-bootstrap-staging.tfstate" } });
  });

  it("RUN-1: a relative directory is refused, naming the directory and why (Terraform runs in cdktf.out/stacks/<stack>/)", () => {
    expect(localStatePath("/srv/state", "tracker-bootstrap-production")).toBe("/srv/state/tracker-bootstrap-production.tfstate");
    expect(() => localStatePath("bootstrap-state", "tracker-bootstrap-staging")).toThrow(
      'bootstrap local state: "bootstrap-state" must be an absolute path (Terraform runs in cdktf.out/stacks/<stack>/)',
    );
  });
});
