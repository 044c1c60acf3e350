/**
 * Roles trusted by the GitHub Actions OIDC provider can only be assumed by the configured
 * repositories (ACC-4: this repository; CD-5: the application repositories that push images): the
 * `sub` claim is pinned to `repo:<owner>/<name>:...`, no wildcard owner or repository, and the
 * audience is sts.amazonaws.com.
 * Sources: Checkov CKV_AWS_358 (GithubActionsOIDCTrustPolicy, read in
 * checkov/terraform/checks/data/aws/GithubActionsOIDCTrustPolicy.py: a statement with a Federated
 * principal naming oidc-provider/token.actions.githubusercontent.com must have a condition on
 * token.actions.githubusercontent.com:sub whose values are not "*", not "<claim>:*", and for
 * repo: claims match repo:<org>/<repo>). We go further and require one of the configured repositories
 * (`PROJECT_DEFINITION.githubRepository`, `applicationRepositories`).
 * Both the data source form and inline JSON trust policies are read.
 */
import { PROJECT_DEFINITION } from "../../src/config/environments";
import type { PolicyContext, PolicyStatement, Rule } from "../engine";
import { trustStatements } from "../iam";
import { EVERY_STACK } from "../stacks";

const ISSUER = "token.actions.githubusercontent.com";

/** The repositories whose workflows may assume roles: this one, and the image-building application repositories (CD-5). */
const TRUSTED_REPOSITORIES: readonly string[] = [PROJECT_DEFINITION.githubRepository, ...PROJECT_DEFINITION.applicationRepositories];

/** Whether a Federated principal identifier names the GitHub Actions OIDC provider. */
function isGithubProvider(identifier: string, ctx: PolicyContext): boolean {
  if (identifier.includes(`oidc-provider/${ISSUER}`)) return true;
  const provider = ctx.resolve(identifier);
  return provider !== undefined && String(provider.config["url"] ?? "").includes(ISSUER);
}

export function githubTrustProblems(statements: readonly PolicyStatement[], repositories: readonly string[], ctx: PolicyContext): string[] {
  const out: string[] = [];
  for (const s of statements) {
    if (s.effect !== "Allow") continue;
    const federated = s.principals.some((p) => p.type === "Federated" && p.identifiers.some((i) => isGithubProvider(i, ctx)));
    if (!federated) continue;
    const sub = s.conditions.filter((c) => c.variable === `${ISSUER}:sub`);
    if (sub.length === 0) {
      out.push("GitHub OIDC trust without a condition on the sub claim");
      continue;
    }
    for (const value of sub.flatMap((c) => c.values)) {
      if (!repositories.some((repository) => value.startsWith(`repo:${repository}:`))) {
        out.push(`sub ${value} is not limited to one of the configured repositories (${repositories.join(", ")})`);
      }
    }
    const aud = s.conditions.filter((c) => c.variable === `${ISSUER}:aud`);
    if (!aud.some((c) => c.test === "StringEquals" && c.values.length > 0 && c.values.every((v) => v === "sts.amazonaws.com"))) {
      out.push("aud is not pinned to sts.amazonaws.com with StringEquals");
    }
  }
  return out;
}

export const rule: Rule = {
  id: "iam-github-oidc-trust",
  mirrors: ["CKV_AWS_358", "ACC-4", "CD-1"],
  description: "GitHub OIDC trust policies pin sub to this repository and aud to sts.amazonaws.com.",
  resourceTypes: ["data.aws_iam_policy_document", "aws_iam_role"],
  expectedIn: EVERY_STACK,
  check(resource, ctx) {
    // A role whose trust policy is a data document is checked through that document.
    const viaDocument = resource.type === "aws_iam_role" && /^\$\{data\.aws_iam_policy_document\./.test(String(resource.config["assume_role_policy"]));
    if (viaDocument) return [];
    const statements = resource.type === "aws_iam_role" ? trustStatements(resource, ctx) : ctx.documentStatements(resource);
    if (!statements) return ["trust policy cannot be read"];
    return githubTrustProblems(statements, TRUSTED_REPOSITORIES, ctx);
  },
};
