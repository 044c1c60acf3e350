/**
 * SHR-1 for IAM: a grant that selects resources by name pattern or by tag selects only this
 * project's (policies/shared-account.ts). Read in every policy a stack writes: identity policies,
 * trust policies and resource policies (KMS key policies included).
 *
 * In each Allow statement:
 * - a condition value with a wildcard (`StringLike`, `ArnLike`, `ArnEquals`, their `IfExists` and
 *   `ForAnyValue:`/`ForAllValues:` forms) names the project in a literal part: `tracker-*` and
 *   `arn:...:log-group:/ecs/tracker-staging*` do, `*` and `arn:...:log-group:*` do not;
 * - a statement on a wildcard resource that is not ours (`instance/*`, `*`) and narrows it by
 *   resource tags (`aws:ResourceTag/...`, `ec2:ResourceTag/...`) has at least one tag condition
 *   whose every value is a tag only our resources carry. Conditions are ANDed, so one suffices;
 *   `Environment=staging` alone is carried by every project's staging resources.
 * Deny statements are not selectors of ours and are not checked.
 */
import { blocks, type PolicyContext, type PolicyStatement, type Rule, type TfResource } from "../engine";
import { isDocumentReference } from "../iam";
import { beforeFirstWildcard, isOwnedTag, isOwnedValue } from "../shared-account";
import { EVERY_STACK } from "../stacks";

/** Resources whose attributes hold policies, and those attributes. */
const POLICY_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  aws_iam_policy: ["policy"],
  aws_iam_role_policy: ["policy"],
  aws_iam_user_policy: ["policy"],
  aws_iam_group_policy: ["policy"],
  aws_iam_role: ["assume_role_policy"],
  aws_kms_key: ["policy"],
  aws_kms_key_policy: ["policy"],
  aws_s3_bucket_policy: ["policy"],
  aws_sns_topic_policy: ["policy"],
  aws_sqs_queue_policy: ["policy"],
  aws_efs_file_system_policy: ["policy"],
  aws_ecr_repository_policy: ["policy"],
  aws_secretsmanager_secret_policy: ["policy"],
  aws_cloudwatch_log_resource_policy: ["policy_document"],
};

const WILDCARD_TESTS = /^(ForAnyValue:|ForAllValues:)?(StringLike|ArnLike|ArnEquals)(IfExists)?$/;
const POSITIVE_TESTS = /^(ForAnyValue:|ForAllValues:)?(StringEquals|StringLike|ArnLike|ArnEquals)(IfExists)?$/;
const RESOURCE_TAG = /^(?:[\w-]+):ResourceTag\/(.+)$/;

function statementsOf(resource: TfResource, ctx: PolicyContext): PolicyStatement[] | undefined {
  if (resource.type === "data.aws_iam_policy_document") return ctx.documentStatements(resource);
  const values = (POLICY_ATTRIBUTES[resource.type] ?? []).map((a) => resource.config[a]);
  if (resource.type === "aws_iam_role") values.push(...blocks(resource.config["inline_policy"]).map((p) => p["policy"]));
  const out: PolicyStatement[] = [];
  for (const value of values) {
    // No policy (a KMS key on its default policy), or a document checked on its own.
    if (value === undefined || value === null || isDocumentReference(value)) continue;
    const statements = ctx.policyStatements(value);
    if (!statements) return undefined;
    out.push(...statements);
  }
  return out;
}

export function selectorProblems(statement: PolicyStatement, ctx: PolicyContext): string[] {
  if (statement.effect !== "Allow") return [];
  const out: string[] = [];
  for (const c of statement.conditions) {
    if (!WILDCARD_TESTS.test(c.test)) continue;
    for (const value of c.values) {
      if (beforeFirstWildcard(value).wildcard && !isOwnedValue(value, ctx)) {
        out.push(`condition ${c.test} ${c.variable} "${value}" matches other projects' names too (begin it with this project's prefix)`);
      }
    }
  }
  const wildcardResources = statement.resources.filter((r) => beforeFirstWildcard(r).wildcard && !isOwnedValue(r, ctx));
  const tagConditions = statement.conditions.filter((c) => POSITIVE_TESTS.test(c.test) && RESOURCE_TAG.test(c.variable));
  if (wildcardResources.length > 0 && tagConditions.length > 0) {
    const owned = tagConditions.some((c) => {
      const key = RESOURCE_TAG.exec(c.variable)![1]!;
      return c.values.length > 0 && c.values.every((v) => isOwnedTag(key, v, ctx));
    });
    if (!owned) {
      const tags = tagConditions.map((c) => `${c.variable}=${c.values.join("|")}`).join(" and ");
      out.push(`selects ${wildcardResources.join(", ")} by ${tags}: no tag only this project's resources carry`);
    }
  }
  return out;
}

export const rule: Rule = {
  id: "shared-account-iam-selectors",
  mirrors: ["SHR-1"],
  description:
    "Allow statements select by name patterns and tags only this project's resources: wildcard condition values name the project in a literal part; tag-narrowed wildcard resources need one project-unique tag.",
  expectedIn: EVERY_STACK,
  resourceTypes: ["data.aws_iam_policy_document", ...Object.keys(POLICY_ATTRIBUTES)],
  check(resource, ctx) {
    const statements = statementsOf(resource, ctx);
    if (!statements) return ["policy cannot be read"];
    return [...new Set(statements.flatMap((s) => selectorProblems(s, ctx)))];
  },
};
