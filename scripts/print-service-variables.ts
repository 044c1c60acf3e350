/**
 * `npx tsx scripts/print-service-variables.ts`: prints, per service of the catalog, the environment
 * variables its containers receive and where each comes from (CFG-3), as the Markdown tables of
 * docs/configuration-variables.md. See scripts/lib/service-variables.ts.
 */
import { helpRequested } from "./lib/command";
import { renderServiceVariables } from "./lib/service-variables";

if (helpRequested(process.argv.slice(2))) {
  console.log(`Usage: npx tsx scripts/print-service-variables.ts

Prints, per service of the catalog, the environment variables its containers receive and where
each comes from (CFG-3), as the Markdown tables of docs/configuration-variables.md.

Example:
  npx tsx scripts/print-service-variables.ts | less`);
  process.exit(0);
}

process.stdout.write(renderServiceVariables());
