/**
 * IAM helpers shared by the IAM rules: which resources hold identity policies, and action matching.
 */
import { blocks, referencesIn, type PolicyContext, type PolicyStatement, type TfResource } from "./engine";

/** Resource types whose policy documents the IAM rules read. */
export const IDENTITY_POLICY_TYPES: readonly string[] = [
  "data.aws_iam_policy_document",
  "aws_iam_policy",
  "aws_iam_role_policy",
  "aws_iam_user_policy",
  "aws_iam_group_policy",
  "aws_iam_role",
];

/** A whole `${data.aws_iam_policy_document.x.json}`: such a document is checked on its own, once. */
export function isDocumentReference(value: unknown): boolean {
  return (
    typeof value === "string" &&
    /^\$\{[^{}]*\}$/.test(value.trim()) &&
    referencesIn(value).some((r) => r.address.startsWith("data.aws_iam_policy_document."))
  );
}

/** Attributes through which a document becomes an identity policy (what a principal may do). */
const IDENTITY_USES = new Set([
  "aws_iam_policy.policy",
  "aws_iam_role_policy.policy",
  "aws_iam_user_policy.policy",
  "aws_iam_group_policy.policy",
  "aws_iam_role.inline_policy",
  "data.aws_iam_policy_document.source_policy_documents",
  "data.aws_iam_policy_document.override_policy_documents",
]);

/**
 * Whether a policy document is (or may be) an identity policy. A document used only as a
 * resource policy (KMS key policy, bucket policy, topic policy) or a trust policy is not: the
 * identity-policy controls (IAM.1, IAM.21, CKV_AWS_286/287) do not apply to it. An unused
 * document is treated as an identity policy (checked rather than skipped).
 */
export function isIdentityDocument(doc: TfResource, ctx: PolicyContext): boolean {
  const uses = ctx.referrers(doc).map(([r, attribute]) => `${r.type}.${attribute}`);
  return uses.length === 0 || uses.some((u) => IDENTITY_USES.has(u));
}

/**
 * The statements a resource declares itself. A policy attribute that only references a
 * `data.aws_iam_policy_document` yields nothing here (the document is checked on its own, once).
 * `aws_iam_role` yields its inline policies; its trust policy is read by `trustStatements`.
 */
export function declaredStatements(resource: TfResource, ctx: PolicyContext): PolicyStatement[] | undefined {
  if (resource.type === "data.aws_iam_policy_document") return isIdentityDocument(resource, ctx) ? ctx.documentStatements(resource) : [];
  const values =
    resource.type === "aws_iam_role" ? blocks(resource.config["inline_policy"]).map((p) => p["policy"]) : [resource.config["policy"]];
  const out: PolicyStatement[] = [];
  for (const v of values) {
    if (v === undefined || isDocumentReference(v)) continue;
    const statements = ctx.policyStatements(v);
    if (!statements) return undefined;
    out.push(...statements);
  }
  return out;
}

/** The trust policy of a role, wherever it is declared (undefined when unreadable). */
export function trustStatements(role: TfResource, ctx: PolicyContext): PolicyStatement[] | undefined {
  return ctx.policyStatements(role.config["assume_role_policy"]);
}

/** IAM action glob match, case-insensitive (`iam:Pass*` matches `iam:PassRole`). */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "i");
  return re.test(action);
}

/** Whether an Allow statement grants `action` (directly or through a wildcard). */
export function grants(statement: PolicyStatement, action: string): boolean {
  if (statement.effect !== "Allow") return false;
  if (statement.notActions.length > 0) return !statement.notActions.some((p) => actionMatches(p, action));
  return statement.actions.some((p) => actionMatches(p, action));
}

/** Whether a statement applies to every resource (`*`, or NotResource). */
export function onAnyResource(statement: PolicyStatement): boolean {
  return statement.resources.includes("*") || statement.notResources.length > 0;
}

/**
 * Whether a statement denies everyone's requests that do not use TLS (S3.5, EFS-2): a Deny for the
 * principal `*` whose every condition is `Bool aws:SecureTransport = false`. Conditions of one
 * statement all have to hold, so another condition beside it (an account, a VPC endpoint) narrows the
 * Deny to some clients and leaves plaintext open to the rest.
 */
export function deniesPlaintextToEveryone(statement: PolicyStatement): boolean {
  return (
    statement.effect === "Deny" &&
    statement.principals.some((p) => p.identifiers.includes("*")) &&
    statement.conditions.length > 0 &&
    statement.conditions.every((c) => c.test === "Bool" && c.variable === "aws:SecureTransport" && c.values.includes("false"))
  );
}
