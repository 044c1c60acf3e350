/**
 * Used by the plan workflow: writes the Markdown section of one stack's plan (CD-1).
 *
 *   npx tsx scripts/plan-summary.ts --stack tracker-staging --env staging \
 *     --plan-json plan.json --plan-text plan.txt [--cost infracost.txt] [--failed] --out summary.md
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { helpRequested } from "./lib/command";
import { renderStackSection, type PlanJson } from "./lib/plan-summary";

const USAGE = `Usage: npx tsx scripts/plan-summary.ts --stack <stack> --env <environment> --plan-text <file> --out <file> [options]

Writes the Markdown section of one stack's plan for the pull-request comment (CD-1).

Options:
  --stack <name>        the stack planned (required)
  --env <name>          its environment (required)
  --plan-text <file>    'terraform show -no-color' of the plan, or the failed plan's log (required)
  --plan-json <file>    'terraform show -json' of the plan (without it the plan counts as failed)
  --cost <file>         a cost summary to include
  --failed              the plan failed
  --out <file>          where the Markdown goes (required)
  -h, --help            this text

Example:
  npx tsx scripts/plan-summary.ts --stack tracker-staging --env staging --plan-json plan.json --plan-text plan.txt --out summary.md`;

if (helpRequested(process.argv.slice(2))) {
  console.log(USAGE);
  process.exit(0);
}
const { values } = parseArgs({
  options: {
    stack: { type: "string" },
    env: { type: "string" },
    "plan-json": { type: "string" },
    "plan-text": { type: "string" },
    cost: { type: "string" },
    failed: { type: "boolean", default: false },
    out: { type: "string" },
  },
  strict: true,
});
if (!values.stack || !values.env || !values.out || !values["plan-text"]) {
  console.error(`plan-summary: --stack, --env, --plan-text and --out are required\n\n${USAGE}`);
  process.exit(2);
}
const read = (path: string | undefined) => (path && existsSync(path) ? readFileSync(path, "utf8") : undefined);
const planJson = read(values["plan-json"]);
const failed = values.failed === true || !planJson;
const section = renderStackSection({
  stack: values.stack,
  environment: values.env,
  plan: failed ? undefined : (JSON.parse(planJson!) as PlanJson),
  planText: read(values["plan-text"]) ?? "(no output)",
  failed,
  costText: read(values.cost)?.trim() || undefined,
});
writeFileSync(values.out, section);
console.log(section.split("\n").slice(0, 4).join("\n"));
