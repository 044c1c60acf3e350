/**
 * `npx tsx scripts/print-service-variables.ts`: prints, per service of the catalog, the environment
 * variables its containers receive and where each comes from (CFG-3), as the Markdown tables of
 * docs/configuration-variables.md. See scripts/lib/service-variables.ts.
 */
import { renderServiceVariables } from "./lib/service-variables";

process.stdout.write(renderServiceVariables());
