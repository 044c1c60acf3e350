/**
 * IAM-1: evaluates the synthesized roles with a real IAM policy evaluator, `@cloud-copilot/iam-simulate`
 * (AGPL-3.0: a devDependency used by the tests only, never by the stacks; docs/DESIGN.md).
 *
 * - `renderPolicy` turns a synthesized `data.aws_iam_policy_document` into the policy JSON AWS
 *   receives, with every `${aws_...arn}` reference resolved to a plausible ARN built from the
 *   referenced resource's own attributes (its name, the environment's account and region).
 * - `rolesOf` collects each `aws_iam_role` with its trust policy, inline policies, attached managed
 *   policies and permissions boundary.
 * - `evaluate` runs the public, validating `runSimulation` (which checks actions, resource ARNs and
 *   condition keys against AWS's published data) and fails when it *ignored* a context key: a
 *   key the action does not support would otherwise silently drop out of the evaluation.
 * - `assume` evaluates a trust policy. `runSimulation` drops the GitHub OIDC claims
 *   (`token.actions.githubusercontent.com:sub`/`:aud` are not in AWS's published condition keys of
 *   sts:AssumeRoleWithWebIdentity), so the trust is evaluated with the engine's lower-level
 *   `authorize`, which evaluates every key given (the matrix proves the claims are really compared).
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { EnvironmentDefinition } from "../../src/config/types";
import { dataSources, resources, type SynthesizedStack } from "./synth";

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export interface PolicyJson {
  Version: "2012-10-17";
  Statement: Record<string, unknown>[];
}

export interface EvaluatedRole {
  readonly name: string;
  readonly arn: string;
  readonly trust: PolicyJson;
  /** Inline policies and attached managed policies, by name. */
  readonly policies: { name: string; policy: PolicyJson }[];
  readonly boundary?: PolicyJson;
}

/**
 * AWS managed policies the stacks attach, as AWS publishes them (AWS managed policy reference).
 * AmazonSSMManagedInstanceCore v3 (its statements for the instance's own agent) and
 * AWSDataLifecycleManagerServiceRole (snapshots, and the event rules DLM manages for its policies).
 */
export const AWS_MANAGED_POLICIES: Readonly<Record<string, PolicyJson>> = {
  "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore": {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: [
          "ssm:DescribeAssociation", "ssm:GetDeployablePatchSnapshotForInstance", "ssm:GetDocument", "ssm:DescribeDocument",
          "ssm:GetManifest", "ssm:GetParameter", "ssm:GetParameters", "ssm:ListAssociations", "ssm:ListInstanceAssociations",
          "ssm:PutInventory", "ssm:PutComplianceItems", "ssm:PutConfigurePackageResult", "ssm:UpdateAssociationStatus",
          "ssm:UpdateInstanceAssociationStatus", "ssm:UpdateInstanceInformation",
        ],
        Resource: "*",
      },
      {
        Effect: "Allow",
        Action: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
        Resource: "*",
      },
      {
        Effect: "Allow",
        Action: ["ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage", "ec2messages:GetEndpoint", "ec2messages:GetMessages", "ec2messages:SendReply"],
        Resource: "*",
      },
    ],
  },
  "arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole": {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: [
          "ec2:CreateSnapshot", "ec2:CreateSnapshots", "ec2:DeleteSnapshot", "ec2:DescribeInstances", "ec2:DescribeVolumes",
          "ec2:DescribeSnapshots", "ec2:EnableFastSnapshotRestores", "ec2:DescribeFastSnapshotRestores", "ec2:DisableFastSnapshotRestores",
          "ec2:CopySnapshot", "ec2:ModifySnapshotAttribute", "ec2:DescribeSnapshotAttribute", "ec2:DescribeSnapshotTierStatus",
          "ec2:ModifySnapshotTier", "ec2:DescribeAvailabilityZones",
        ],
        Resource: "*",
      },
      { Effect: "Allow", Action: ["ec2:CreateTags"], Resource: "arn:aws:ec2:*::snapshot/*" },
      {
        Effect: "Allow",
        Action: [
          "events:PutRule", "events:DeleteRule", "events:DescribeRule", "events:EnableRule", "events:DisableRule",
          "events:ListTargetsByRule", "events:PutTargets", "events:RemoveTargets",
        ],
        Resource: "arn:aws:events:*:*:rule/AwsDataLifecycleRule.managed-cwe.*",
      },
    ],
  },
};

/** A stable fake id for a resource (ids exist only after apply). */
const fakeId = (name: string, length = 17) => createHash("sha256").update(name).digest("hex").slice(0, length);

/**
 * The value of `${type.name.attribute}` (or `${data.type.name.attribute}`), built from the
 * resource's attributes as AWS would: an unknown type is an error, so that a new reference gets a
 * deliberate ARN here rather than a silent placeholder.
 */
export function resolveAttribute(stack: SynthesizedStack, env: EnvironmentDefinition, address: string): string {
  const m = /^(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)$/.exec(address);
  if (!m) throw new Error(`unsupported reference \${${address}}`);
  const [, data, type, name, attribute] = m as unknown as [string, string | undefined, string, string, string];
  const block = (data ? stack.data : stack.resource)?.[type]?.[name] as Record<string, any> | undefined;
  if (!block) throw new Error(`reference to a missing ${data ?? ""}${type}.${name}`);
  const { region, accountId: account } = env;
  const regional = (service: string, resource: string) => `arn:aws:${service}:${region}:${account}:${resource}`;
  const plain = (value: unknown, what: string) => {
    if (typeof value !== "string" || value.includes("${")) throw new Error(`${type}.${name}: ${what} is not a literal`);
    return value;
  };
  const arns: Record<string, () => string> = {
    aws_iam_role: () => `arn:aws:iam::${account}:role/${plain(block.name, "name")}`,
    aws_iam_policy: () => `arn:aws:iam::${account}:policy/${plain(block.name, "name")}`,
    aws_iam_openid_connect_provider: () => `arn:aws:iam::${account}:oidc-provider/${String(block.url).replace(/^https:\/\//, "")}`,
    aws_s3_bucket: () => `arn:aws:s3:::${plain(block.bucket, "bucket")}`,
    aws_kms_key: () => regional("kms", `key/${fakeId(name, 8)}-0000-4000-8000-${fakeId(name, 12)}`),
    aws_secretsmanager_secret: () => regional("secretsmanager", `secret:${plain(block.name, "name")}-AbCdEf`),
    aws_ssm_parameter: () => regional("ssm", `parameter${plain(block.name, "name")}`),
    aws_cloudwatch_log_group: () => regional("logs", `log-group:${plain(block.name, "name")}`),
    aws_sns_topic: () => regional("sns", plain(block.name, "name")),
    aws_ecr_repository: () => regional("ecr", `repository/${plain(block.name, "name")}`),
    aws_ebs_volume: () => regional("ec2", `volume/vol-${fakeId(name)}`),
    aws_instance: () => regional("ec2", `instance/i-${fakeId(name)}`),
    aws_cloudwatch_metric_alarm: () => regional("cloudwatch", `alarm:${plain(block.alarm_name, "alarm_name")}`),
    aws_efs_file_system: () => regional("elasticfilesystem", `file-system/fs-${fakeId(name, 8)}`),
    aws_efs_access_point: () => regional("elasticfilesystem", `access-point/fsap-${fakeId(name)}`),
    // DLV-1: the load balancer's pieces the traffic-shift roles name (ELB's ARN formats).
    aws_lb: () => regional("elasticloadbalancing", `loadbalancer/app/${plain(block.name, "name")}/${fakeId(name, 16)}`),
    aws_lb_target_group: () => regional("elasticloadbalancing", `targetgroup/${plain(block.name, "name")}/${fakeId(name, 16)}`),
    aws_lb_listener: () => {
      const lb = resolveReferences(stack, env, String(block.load_balancer_arn)).replace(":loadbalancer/", ":listener/");
      return `${lb}/${fakeId(name, 16)}`;
    },
    aws_lb_listener_rule: () => {
      const listener = resolveReferences(stack, env, String(block.listener_arn)).replace(":listener/", ":listener-rule/");
      return `${listener}/${fakeId(name, 16)}`;
    },
    // eu-central-1's Elastic Load Balancing account (AWS documentation, "Enable access logs").
    aws_elb_service_account: () => "arn:aws:iam::054676820928:root",
  };
  const build = arns[type];
  if (!build) throw new Error(`no ARN rule for ${type} (add one to __tests__/support/iam-evaluator.ts)`);
  if (attribute === "arn") return build();
  if ((attribute === "name" || attribute === "id") && type === "aws_iam_role") return plain(block.name, "name");
  throw new Error(`unsupported attribute ${type}.${name}.${attribute}`);
}

/** Every `${...}` of a string replaced by its resolved value (the data OIDC provider included). */
export function resolveReferences(stack: SynthesizedStack, env: EnvironmentDefinition, text: string): string {
  return text.replace(/\$\{([^}]+)\}/g, (_, address: string) => {
    if (/^data\.aws_iam_openid_connect_provider\.[^.]+\.arn$/.test(address)) {
      return `arn:aws:iam::${env.accountId}:oidc-provider/token.actions.githubusercontent.com`;
    }
    return resolveAttribute(stack, env, address);
  });
}

const one = (values: string[]) => (values.length === 1 ? values[0]! : values);

/** A synthesized `data.aws_iam_policy_document` as the policy JSON AWS receives. */
export function renderPolicy(stack: SynthesizedStack, env: EnvironmentDefinition, documentName: string): PolicyJson {
  const doc = stack.data?.aws_iam_policy_document?.[documentName] as Record<string, any> | undefined;
  if (!doc) throw new Error(`no policy document ${documentName}`);
  for (const key of Object.keys(doc)) {
    if (!["statement", "version"].includes(key)) throw new Error(`${documentName}: unsupported policy document field ${key}`);
  }
  const resolve = (values: string[]) => values.map((v) => resolveReferences(stack, env, v));
  const statements = (doc.statement as Record<string, any>[]).map((s) => {
    const out: Record<string, unknown> = {};
    if (s.sid) out.Sid = s.sid;
    out.Effect = s.effect ?? "Allow";
    if (s.actions) out.Action = one(s.actions);
    if (s.not_actions) out.NotAction = one(s.not_actions);
    if (s.resources) out.Resource = one(resolve(s.resources));
    if (s.not_resources) out.NotResource = one(resolve(s.not_resources));
    for (const [field, key] of [["principals", "Principal"], ["not_principals", "NotPrincipal"]] as const) {
      if (!s[field]) continue;
      const principals: Record<string, string | string[]> = {};
      for (const p of s[field] as { type: string; identifiers: string[] }[]) {
        if (p.type === "*") { out[key] = "*"; continue; }
        principals[p.type] = one([...[principals[p.type] ?? []].flat(), ...resolve(p.identifiers)]);
      }
      if (Object.keys(principals).length > 0) out[key] = principals;
    }
    if (s.condition) {
      const condition: Record<string, Record<string, string | string[]>> = {};
      for (const c of s.condition as { test: string; variable: string; values: string[] }[]) {
        condition[c.test] ??= {};
        if (condition[c.test]![c.variable]) throw new Error(`${documentName}: ${c.test} ${c.variable} twice`);
        condition[c.test]![c.variable] = one(resolve(c.values));
      }
      out.Condition = condition;
    }
    return out;
  });
  return { Version: "2012-10-17", Statement: statements };
}

/** The document a `${data.aws_iam_policy_document.x.json}` reference names. */
export function documentNameOf(reference: string): string {
  const m = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(reference);
  if (!m) throw new Error(`not a policy document reference: ${reference}`);
  return m[1]!;
}

/** Every policy document of a stack, rendered (trust, inline, boundary, key and resource policies). */
export function allPolicies(stack: SynthesizedStack, env: EnvironmentDefinition): Map<string, PolicyJson> {
  return new Map(dataSources(stack, "aws_iam_policy_document").map(([name]) => [name, renderPolicy(stack, env, name)]));
}

/**
 * Each role of a stack with its policies. `boundaries` maps a boundary ARN to its policy: the
 * environment stacks name the boundary by ARN, the bootstrap stack of the account holds it.
 */
export function rolesOf(stack: SynthesizedStack, env: EnvironmentDefinition, boundaries: ReadonlyMap<string, PolicyJson>): Map<string, EvaluatedRole> {
  const roles = new Map<string, EvaluatedRole>();
  for (const [address, role] of resources(stack, "aws_iam_role")) {
    const refersToRole = (value: string) => value === `\${aws_iam_role.${address}.id}` || value === `\${aws_iam_role.${address}.name}`;
    const inline = resources(stack, "aws_iam_role_policy")
      .filter(([, p]) => refersToRole(p.role))
      .map(([, p]) => ({ name: String(p.name), policy: renderPolicy(stack, env, documentNameOf(p.policy)) }));
    const attached = resources(stack, "aws_iam_role_policy_attachment")
      .filter(([, a]) => refersToRole(a.role))
      .map(([, a]) => {
        const arn = String(a.policy_arn);
        const managed = AWS_MANAGED_POLICIES[arn];
        if (managed) return { name: arn, policy: managed };
        throw new Error(`role ${role.name}: no policy document for attached ${arn}`);
      });
    if (role.inline_policy || role.managed_policy_arns) throw new Error(`role ${role.name}: inline_policy/managed_policy_arns not supported`);
    let boundary: PolicyJson | undefined;
    if (role.permissions_boundary !== undefined) {
      const arn = resolveReferences(stack, env, String(role.permissions_boundary));
      boundary = boundaries.get(arn);
      if (!boundary) throw new Error(`role ${role.name}: boundary ${arn} is not known`);
    }
    roles.set(String(role.name), {
      name: String(role.name),
      arn: `arn:aws:iam::${env.accountId}:role/${role.name}`,
      trust: renderPolicy(stack, env, documentNameOf(role.assume_role_policy)),
      policies: [...inline, ...attached],
      boundary,
    });
  }
  return roles;
}

/** The boundary policies a bootstrap stack creates, by ARN. */
export function boundariesOf(bootstrap: SynthesizedStack, env: EnvironmentDefinition): Map<string, PolicyJson> {
  return new Map(
    resources(bootstrap, "aws_iam_policy").map(([, p]) => [
      `arn:aws:iam::${env.accountId}:policy/${p.name}`,
      renderPolicy(bootstrap, env, documentNameOf(p.policy)),
    ]),
  );
}

export interface Request {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
}

/**
 * Where the published data is incomplete, the request is evaluated by the engine's `authorize`
 * (below) with every key given. Only these two known gaps, nothing else:
 * - `kms:EncryptionContext:<key>` is documented for kms:Decrypt, but the data lists it only as a
 *   pattern the validator does not match, so `runSimulation` would drop it;
 * - AWS's public parameters have no account in their ARN (`arn:aws:ssm:<region>::parameter/aws/...`),
 *   which the validator's resource patterns refuse.
 */
const SIMULATOR_GAPS = {
  ignoredKey: /^kms:encryptioncontext:/i,
  publicParameter: /^arn:aws:ssm:[a-z0-9-]+::parameter\/aws\//,
};

/**
 * The decision AWS would take on a request the role makes in its own account (identity
 * policies, permissions boundary, an optional resource policy such as a KMS key policy, which
 * KMS requires).
 */
export async function evaluate(role: EvaluatedRole, accountId: string, request: Request, resourcePolicy?: PolicyJson): Promise<Decision> {
  if (SIMULATOR_GAPS.publicParameter.test(request.resource)) return evaluateWithEngine(role, accountId, request, resourcePolicy);
  const result = await runSimulation(
    {
      request: {
        principal: role.arn,
        action: request.action,
        resource: { resource: request.resource, accountId },
        contextVariables: request.context ?? {},
      },
      identityPolicies: role.policies,
      permissionBoundaryPolicies: role.boundary ? [{ name: "boundary", policy: role.boundary }] : undefined,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy,
    },
    {},
  );
  if (result.resultType === "error") {
    throw new Error(`${role.name} ${request.action} ${request.resource}: the simulator refused the request: ${JSON.stringify(result.errors)}`);
  }
  const single = result.resultType === "single" ? result.result : undefined;
  const ignored = single?.ignoredContextKeys ?? [];
  if (ignored.length > 0) {
    if (ignored.every((k) => SIMULATOR_GAPS.ignoredKey.test(k))) return evaluateWithEngine(role, accountId, request, resourcePolicy);
    throw new Error(`${role.name} ${request.action}: context keys not applicable to this action were ignored: ${ignored.join(", ")}`);
  }
  return result.overallResult as Decision;
}

function evaluateWithEngine(role: EvaluatedRole, accountId: string, request: Request, resourcePolicy?: PolicyJson): Decision {
  const analysis = authorize({
    request: new AwsRequestImpl(role.arn, { resource: request.resource, accountId }, request.action, new RequestContextImpl(request.context ?? {})),
    sessionPolicy: undefined,
    identityPolicies: role.policies.map((p) => loadPolicy(p.policy, { name: p.name })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: resourcePolicy ? loadPolicy(resourcePolicy, { name: "resource-policy" }) : undefined,
    permissionBoundaries: role.boundary ? [loadPolicy(role.boundary, { name: "boundary" })] : undefined,
    vpcEndpointPolicies: undefined,
    simulationParameters: { simulationMode: "Strict", discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]) },
    serviceSettings: { s3: {} },
  });
  return analysis.result as Decision;
}

// The engine's own `authorize` and request types (its lower-level API; the package's `exports`
// map exposes only its entry point, so they are loaded from the same installed copy by path).
const engineRoot = dirname(createRequire(__filename).resolve("@cloud-copilot/iam-simulate"));
const engine = createRequire(join(engineRoot, "index.js"));
// iam-simulate's own policy parser (a dependency of it, not of this repository).
const { loadPolicy } = engine("@cloud-copilot/iam-policy");
const { authorize } = engine(join(engineRoot, "core_engine", "CoreSimulatorEngine.js"));
const { AwsRequestImpl } = engine(join(engineRoot, "request", "request.js"));
const { RequestContextImpl } = engine(join(engineRoot, "requestContext.js"));
const { DiscoveryContextKeyConstraints } = engine(join(engineRoot, "context_keys", "discoveryContextKeyConstraints.js"));

/**
 * Whether a principal may assume a role: the role's trust policy evaluated as the resource policy
 * of `action` on the role, with every context key given (GitHub's OIDC claims included).
 */
export function assume(
  role: EvaluatedRole,
  accountId: string,
  principal: string,
  action: "sts:AssumeRole" | "sts:AssumeRoleWithWebIdentity",
  context: Record<string, string | string[]>,
): Decision {
  const analysis = authorize({
    request: new AwsRequestImpl(principal, { resource: role.arn, accountId }, action, new RequestContextImpl(context)),
    sessionPolicy: undefined,
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: loadPolicy(role.trust, { name: `${role.name}-trust` }),
    permissionBoundaries: undefined,
    vpcEndpointPolicies: undefined,
    simulationParameters: { simulationMode: "Strict", discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]) },
    serviceSettings: { s3: {} },
  });
  return analysis.result as Decision;
}
