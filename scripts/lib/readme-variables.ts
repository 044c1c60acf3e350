/** The README's compact table of the environment variables each service receives (CFG-3). */
import { environmentVariableName } from "../../src/config/naming";
import { SERVICE_CATALOG } from "../../src/config/service-catalog";
import type { ServiceDefinition } from "../../src/config/types";

export function readmeVariablesTable(catalog: readonly ServiceDefinition[] = SERVICE_CATALOG): string {
  const rows = catalog.map((s) => {
    const secrets = s.secrets.map(environmentVariableName).join(", ") || "–";
    const parameters = s.parameters.map(environmentVariableName).join(", ") || "–";
    return `| \`${s.name}\` | ${secrets} | ${parameters} |`;
  });
  return [
    "| service | from Secrets Manager (`tracker/<env>/<name>`) | from Parameter Store (`/tracker/<env>/<name>`) |",
    "|---|---|---|",
    ...rows,
  ].join("\n");
}
