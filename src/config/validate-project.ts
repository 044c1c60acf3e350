/**
 * Validation of `PROJECT_DEFINITION` (CFG-5): the GitHub repositories and environment that the CI
 * roles trust. These values end up in IAM trust policies (`token.actions.githubusercontent.com:sub`
 * = `repo:<owner>/<name>:...`), where a wildcard would let other repositories assume the roles and a
 * URL would match nothing, so every value is refused at synth unless GitHub could really send it.
 */
import { PROJECT } from "./naming";
import type { EnvironmentDefinition, ProjectDefinition } from "./types";

/** GitHub account (user or organization) names: letters, digits and single hyphens, not at either end, 1..39. */
const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** GitHub repository names: letters, digits, `.`, `_`, `-`, 1..100 (`.` and `..` are not names). */
const GITHUB_REPOSITORY_NAME = /^[A-Za-z0-9._-]{1,100}$/;
/** GitHub environment names may be up to 255 characters (GitHub's "Managing environments for deployment"). */
const GITHUB_ENVIRONMENT_MAX = 255;

/** An `owner/name` example the messages suggest, taken from what the user wrote where possible. */
function ownerNameFrom(value: string): string | undefined {
  const match = /github\.com[/:]([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/.exec(value);
  return match ? `${match[1]}/${match[2]}` : undefined;
}

/** The one problem with a repository reference, or undefined when it is a plain `owner/name`. */
export function githubRepositoryProblem(value: string): string | undefined {
  if (/[*?]/.test(value)) {
    return `"${value}" contains a wildcard; name exactly one repository as owner/name. In the CI roles' trust a wildcard lets every matching repository (e.g. any repository of the organization) assume them, production's deploy role included`;
  }
  // A scheme (`https://`), scp-like syntax (`git@host:`) or GitHub's host name: none is in an owner/name.
  if (value.includes("://") || /@[^/\s]+:/.test(value) || /(^|[/.])github\.com([/:]|$)/i.test(value)) {
    const suggestion = ownerNameFrom(value);
    return `"${value}" is a URL; write the repository as owner/name${suggestion ? `, here "${suggestion}"` : ""} (the CI roles' trust compares GitHub's "repo:owner/name" claim)`;
  }
  if (/\.git$/i.test(value)) return `"${value}" ends in ".git"; write the repository as owner/name without it ("${value.replace(/\.git$/i, "")}")`;
  const parts = value.split("/");
  if (parts.length !== 2) return `"${value}" is not owner/name (exactly one "/" between the GitHub account and the repository)`;
  const [owner, name] = parts as [string, string];
  if (!GITHUB_OWNER.test(owner)) {
    return `"${value}": "${owner}" is not a GitHub account name (letters, digits and single hyphens, no hyphen at the start or end, at most 39 characters)`;
  }
  if (!GITHUB_REPOSITORY_NAME.test(name) || name === "." || name === "..") {
    return `"${value}": "${name}" is not a GitHub repository name (letters, digits, ".", "_" and "-", at most 100 characters)`;
  }
  return undefined;
}

/** The one problem with a GitHub environment name, or undefined. */
export function githubEnvironmentProblem(value: string): string | undefined {
  if (value.length === 0) return "is empty; name the GitHub environment that guards production deploys";
  if (value.length > GITHUB_ENVIRONMENT_MAX) return `is ${value.length} characters long; GitHub allows at most ${GITHUB_ENVIRONMENT_MAX}`;
  if (value.trim() !== value) return `"${value}" has leading or trailing spaces`;
  if (/[*?]/.test(value)) return `"${value}" contains a wildcard; the deploy role's trust would accept any matching environment`;
  // The OIDC subject is `repo:<owner>/<name>:environment:<environment>`; a colon would forge its structure.
  if (/[:\p{Cc}]/u.test(value)) return `"${value}" contains a colon or a control character, which cannot appear in GitHub's OIDC subject`;
  return undefined;
}

/** Validates the project settings; returns its problems, each prefixed `project.<field>`. */
export function projectProblems(project: ProjectDefinition, environments: readonly EnvironmentDefinition[]): string[] {
  const problems: string[] = [];
  const at = (field: string, message: string) => problems.push(`project.${field}: ${message}`);

  if (project.name !== PROJECT) {
    at("name", `"${String(project.name)}" must be "${PROJECT}": every name and the Project tag use that prefix (src/config/naming.ts)`);
  }

  const repository = githubRepositoryProblem(project.githubRepository);
  if (repository) at("githubRepository", repository);

  if (project.applicationRepositories.length === 0) {
    at("applicationRepositories", "is empty; list the owner/name of every repository that builds the images, or no workflow can push one");
  }
  const seen = new Map<string, number>();
  project.applicationRepositories.forEach((value, i) => {
    const field = `applicationRepositories[${i}]`;
    const problem = githubRepositoryProblem(value);
    if (problem) at(field, problem);
    // GitHub names are case-insensitive: "Org/App" and "org/app" are one repository.
    const key = value.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) at(field, `"${value}" is already applicationRepositories[${first}]; list each repository once`);
    else seen.set(key, i);
  });

  const environment = githubEnvironmentProblem(project.githubProductionEnvironment);
  if (environment) {
    at("githubProductionEnvironment", environment);
  } else {
    // The deploy role trusts `environment:<env.name>` (ACC-4); the workflow's environment must be that one.
    const production = environments.find((e) => e.name === "production");
    if (production && project.githubProductionEnvironment !== production.name) {
      at(
        "githubProductionEnvironment",
        `"${project.githubProductionEnvironment}" differs from the production environment's name "${production.name}", which the production deploy role's trust names (repo:${project.githubRepository}:environment:${production.name}); use "${production.name}"`,
      );
    }
  }
  return problems;
}
