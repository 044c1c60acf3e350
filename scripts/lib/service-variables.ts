/**
 * The environment variables each service's containers receive (CFG-3), rendered from the service
 * catalog and the environment definitions as Markdown: the table in docs/configuration-variables.md
 * is this function's output, and a test keeps the two equal.
 */
import { ENVIRONMENTS } from "../../src/config/environments";
import { environmentVariableName, parameterName, secretName } from "../../src/config/naming";
import { SERVICE_CATALOG } from "../../src/config/service-catalog";
import type { EnvironmentDefinition, EnvironmentName, ParameterName, SecretName, ServiceDefinition } from "../../src/config/types";
import { parameterValues } from "../../src/runtime-config/parameters";
import { GENERATED_PASSWORD, providedSecrets } from "../../src/runtime-config/secrets";

const GENERATED = `*generated: ${GENERATED_PASSWORD.password_length} letters and digits*`;
const PROVIDED = "*the existing credential, put by an operator*";

/** One Markdown table per catalog service: variable, source, and its value in each environment. */
export function renderServiceVariables(
  catalog: readonly ServiceDefinition[] = SERVICE_CATALOG,
  environments: readonly EnvironmentDefinition[] = ENVIRONMENTS,
): string {
  const values = new Map(environments.map((env) => [env.name, parameterValues(env, catalog)]));
  const lines: string[] = [];
  for (const service of catalog) {
    lines.push(`### ${service.name}`, "");
    if (service.secrets.length + service.parameters.length === 0) {
      lines.push("No variables from Secrets Manager or Parameter Store.", "");
      continue;
    }
    lines.push(
      `| Variable | Source | ${environments.map((e) => e.name).join(" | ")} |`,
      `| --- | --- |${environments.map(() => " --- |").join("")}`,
    );
    for (const secret of service.secrets) {
      const source = anyEnvironment(environments, (env) => secretName(env, secret));
      const value = (env: EnvironmentDefinition) => (providedSecrets(env).includes(secret) ? PROVIDED : GENERATED);
      lines.push(row(secret, `Secrets Manager \`${source}\``, environments.map(value)));
    }
    for (const parameter of service.parameters) {
      lines.push(
        row(
          parameter,
          `Parameter Store \`${anyEnvironment(environments, (env) => parameterName(env, parameter))}\``,
          environments.map((e) => `\`${values.get(e.name)![parameter as ParameterName]}\``),
        ),
      );
    }
    lines.push("");
  }
  return lines.join("\n");
}

/** A name from naming.ts with the environment written as `<env>`, e.g. `tracker/<env>/secret-key`. */
function anyEnvironment(environments: readonly EnvironmentDefinition[], nameOf: (env: EnvironmentName) => string): string {
  const env = environments[0]!.name;
  return nameOf(env).split(`/${env}/`).join("/<env>/");
}

function row(name: SecretName | ParameterName, source: string, examples: string[]): string {
  return `| \`${environmentVariableName(name)}\` | ${source} | ${examples.join(" | ")} |`;
}
